<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
  <context>
    <name>ChartView</name>
    <message>
      <location filename="../../qgis_plugin/gui/chart_view.py" line="86" />
      <source>PNG image (*.png);;SVG drawing (*.svg)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/chart_view.py" line="85" />
      <source>Save chart</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>LogPanel</name>
    <message>
      <location filename="../../qgis_plugin/gui/log_panel.py" line="17" />
      <source>Clear</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/log_panel.py" line="15" />
      <source>Copy log</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>ReviewPanel</name>
    <message>
      <location filename="../../qgis_plugin/gui/review_panel.py" line="83" />
      <source>Accept selected</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/review_panel.py" line="86" />
      <source>Click a numbered candidate on the map to accept it</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/review_panel.py" line="67" />
      <source>Confidence below</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/review_panel.py" line="64" />
      <source>Layer</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/review_panel.py" line="60" />
      <source>List records to review</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/review_panel.py" line="167" />
      <source>Listing the records to review …</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/review_panel.py" line="79" />
      <source>Next ▶</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/review_panel.py" line="85" />
      <source>Pick on map</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/review_panel.py" line="69" />
      <source>Pick the records and list them.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/review_panel.py" line="63" />
      <source>Records</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/review_panel.py" line="59" />
      <source>Records below this confidence, and every ambiguous one, are listed</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/review_panel.py" line="181" />
      <source>SafeStats: records to review</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/review_panel.py" line="66" />
      <source>Site field</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/review_panel.py" line="81" />
      <source>Skip</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/review_panel.py" line="65" />
      <source>Text field</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/review_panel.py" line="45" />
      <source>Where the geocoded records are: a database table, or a layer made by 'Geocode a text field'</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/review_panel.py" line="77" />
      <source>◀ Previous</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>SafeStats</name>
    <message>
      <location filename="../../qgis_plugin/processing/alg_accept_geocode.py" line="26" />
      <source>'{0}' at site {1} now means: {2}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_accept_geocode.py" line="26" />
      <source>(any)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="71" />
      <source>A&amp;E records located less precisely than a cell</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/base.py" line="120" />
      <source>A&amp;E site code</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_geocode_text_field.py" line="58" />
      <source>A&amp;E site code field (optional)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_accept_geocode.py" line="12" />
      <source>Accept a geocoding candidate</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_accept_geocode.py" line="20" />
      <source>Accepted candidate</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_profile_report.py" line="32" />
      <source>Area codes, comma separated (empty: every area of the run)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_count_points_in_areas.py" line="41" />
      <source>Areas</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_count_points_in_areas.py" line="42" />
      <source>Assigns every point to the ward / LSOA / MSOA / borough it falls in (the database's safestats.area_at, the same rule every SafeStats loader uses, so counts match the database's) and writes the areas with their count, count per km², resident population and rate per 1,000 residents (safestats.rate_per_1000). The population is the database's ONS mid-year estimate (pop_persons_all_ages): held for that area set, or apportioned from LSOAs; leave the year empty for the latest loaded. Without a population the rate stays empty and the log says what to load. Points outside London are reported, not dropped silently.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_landscape_drivers.py" line="57" />
      <source>Associated indicators</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_landscape_drivers.py" line="53" />
      <source>Associated indicators to list</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_landscape_drivers.py" line="47" />
      <source>Borough code (E09…)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="75" />
      <source>Borough codes, comma-separated (empty = all London)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_landscape_drivers.py" line="59" />
      <source>Borough minus London</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_count_points_in_areas.py" line="57" />
      <source>Boundary vintage (year)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/core/tasks.py" line="64" />
      <source>Cancelled.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_accept_geocode.py" line="19" />
      <source>Candidate to accept (1 = best)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_geocode_candidates.py" line="30" />
      <source>Candidates</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="61" />
      <source>Category (crime type, location type, ...; empty = all)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="64" />
      <source>Cell size (m)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="78" />
      <source>Cold spots</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_profile_report.py" line="29" />
      <source>Comparator run (empty: the latest)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_count_points_in_areas.py" line="40" />
      <source>Count points in areas (rates per 1,000)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="113" />
      <source>Counting {0} {1} .. {2} in the database and computing Gi* ...</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="42" />
      <source>Counts a source (police.uk street crime, A&amp;E assaults, ambulance assaults, fire incidents) over a period per grid cell (every cell of London or of the boroughs given, zeros included) or per LSOA / ward, and computes the Getis-Ord Gi* statistic: the cell and its neighbours (cells whose centres lie within the band, 1.5 cell widths = the 3 x 3 block; for areas, the areas that touch) against London. p-values are two-sided (normal); q-values are Benjamini-Hochberg adjusted, and hotspot is hot or cold where q is at most the false discovery rate. A&amp;E records whose geocoding radius exceeds the cell are spread over the cells their circle covers (shares sum to 1) or excluded; the outputs say how many records were used whole, spread and excluded. A&amp;E counts follow your row-level access. See docs/analysis.md.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_count_points_in_areas.py" line="64" />
      <source>Counts by area</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_store_styles.py" line="12" />
      <source>Database</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_landscape_drivers.py" line="35" />
      <source>Drivers of a borough's figure (ward contributions, associated indicators)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="68" />
      <source>False discovery rate</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="89" />
      <source>First day</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="58" />
      <source>First day (YYYY-MM-DD)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_landscape_drivers.py" line="37" />
      <source>For a borough (E09 code) and a metric (an indicator held on 2022 wards, e.g. mps_ward_violence_against_the_person): each ward's contribution to the borough's difference from London (they sum exactly to it; counts are taken as the excess over London's rate per resident, rates and shares as population-weighted means), written as the borough's ward polygons; and the indicators associated with the metric across London's wards (Spearman rank correlation with 95% interval, Benjamini-Hochberg q-value) as a table. Association, not cause.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_geocode_text_field.py" line="41" />
      <source>Geocode a text field</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_geocode_text_field.py" line="63" />
      <source>Geocoded points</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/base.py" line="58" />
      <source>Geocoding</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="78" />
      <source>Hot spots</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="76" />
      <source>Hotspots</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_geocode_candidates.py" line="29" />
      <source>How many candidates</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_count_points_in_areas.py" line="60" />
      <source>Keep areas with no points</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="89" />
      <source>Last day</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="59" />
      <source>Last day (YYYY-MM-DD)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_geocode_candidates.py" line="23" />
      <source>Lists the geocoder's best candidates for one location text (safestats.geocode_candidates), as points with rank, confidence, radius, level and what each matched — to see on the map where an ambiguous text could be before accepting one with 'Accept a geocoding candidate'.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_geocode_text_field.py" line="42" />
      <source>Locates the free text of one field (e.g. the A&amp;E 'assault location' text) with the database's safestats.geocode(), which states how sure it is: confidence (0–1), radius in metres, level (postcode, venue, junction, street, …), what it matched and whether the text was ambiguous. An optional site-code field (or a fixed site code) tells the geocoder which A&amp;E site reported the record, so nearby namesakes win. Rows the geocoder cannot place keep no geometry. Each distinct text is sent once; values travel as quoted literals, never pasted SQL.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_geocode_text_field.py" line="55" />
      <source>Location text field</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/base.py" line="119" />
      <source>Location text, exactly as entered</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_landscape_drivers.py" line="36" />
      <source>London Landscape</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_landscape_drivers.py" line="48" />
      <source>Metric (indicator code)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="67" />
      <source>Neighbourhood (cell widths, centre to centre)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_profile_report.py" line="16" />
      <source>Neighbourhood profile report (PDF atlas)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_profile_report.py" line="37" />
      <source>PDF files (*.pdf)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_profile_report.py" line="38" />
      <source>Pages written</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_landscape_drivers.py" line="50" />
      <source>Period (empty: latest observed)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_count_points_in_areas.py" line="53" />
      <source>Points</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_count_points_in_areas.py" line="66" />
      <source>Points outside every area</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_count_points_in_areas.py" line="62" />
      <source>Population year for the rate per 1,000 (empty = latest loaded)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_geocode_text_field.py" line="84" />
      <source>Reading the input…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="80" />
      <source>Records excluded</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="79" />
      <source>Records spread over cells</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_accept_geocode.py" line="13" />
      <source>Records the analyst's decision for one location text: candidate number RANK from 'Show geocoding candidates' is written to the geocoder's alias table (text as entered + site code), so the same text at the same site geocodes exactly to it next time.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="79" />
      <source>Records used whole</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="133" />
      <source>Records: {0} used whole, {1} spread, {2} excluded</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_profile_report.py" line="37" />
      <source>Report</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_profile_report.py" line="17" />
      <source>Reports</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_profile_report.py" line="34" />
      <source>Resolution of raster parts (dots per inch)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_geocode_text_field.py" line="64" />
      <source>Rows located</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_geocode_text_field.py" line="65" />
      <source>Rows not located</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/base.py" line="86" />
      <source>SafeStats database (QGIS PostgreSQL connection)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_store_styles.py" line="13" />
      <source>Saves the SafeStats style of every layer in the database's catalogue as the default style in the layer_styles table, so the same tables opened from the QGIS Browser (or by colleagues) come styled. Needs write access to layer_styles (SafeStats admin role).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_geocode_candidates.py" line="22" />
      <source>Show geocoding candidates for a text</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_geocode_text_field.py" line="61" />
      <source>Site code for every row (when there is no site field)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="56" />
      <source>Source</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_store_styles.py" line="11" />
      <source>Store SafeStats styles in the database</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_store_styles.py" line="20" />
      <source>Styles stored</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_geocode_text_field.py" line="53" />
      <source>Table or layer with location text</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_store_styles.py" line="27" />
      <source>The database has no layer_styles table; run `safestats migrate`.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_count_points_in_areas.py" line="132" />
      <source>The database has no {0} boundaries for {1}; vintages available: {2}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/core/tasks.py" line="65" />
      <source>The task failed.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="62" />
      <source>Units</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="41" />
      <source>Violence</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="40" />
      <source>Violence hotspots (Getis-Ord Gi*, false discovery rate)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_landscape_drivers.py" line="55" />
      <source>Ward contributions</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_count_points_in_areas.py" line="68" />
      <source>Where the population for the rate came from</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_profile_report.py" line="19" />
      <source>Writes an A4 landscape PDF with two pages per area of a comparator run (or only the listed area codes): a map of the area and its most similar areas with legend, scale bar and attribution; the table of its gaps against its similar areas with 95% intervals; the comparator chart; its street-level crime per month; then the spine chart of its indicators on London's range by theme; the date and sources of the data. Charts are drawn as vector graphics with real text.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_count_points_in_areas.py" line="133" />
      <source>none</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_store_styles.py" line="40" />
      <source>stored the style of {0} ({1})</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_landscape_drivers.py" line="91" />
      <source>{0} differs from London by {1:.3f} on {2}; {3} ward contributions written</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_profile_report.py" line="50" />
      <source>{0} pages written to {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_count_points_in_areas.py" line="120" />
      <source>{0} point(s) fall outside every {1} of {2} (outside London?)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_geocode_text_field.py" line="86" />
      <source>{0} rows, {1} distinct texts; geocoding in the database…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="130" />
      <source>{0} units: {1} hot, {2} cold at false discovery rate {3:g}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/processing/alg_violence_hotspots.py" line="91" />
      <source>{0} {1!r}: write it as YYYY-MM-DD</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>SafeStatsDock</name>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="139" />
      <source>Add to map</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="243" />
      <source>Area</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="61" />
      <source>Cancel</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="51" />
      <source>Comparator</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="188" />
      <source>Connected to {0}: {1} layers.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="178" />
      <source>Connecting to '{0}' …</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="340" />
      <source>Finding the areas similar to {0} …</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="65" />
      <source>Help</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="50" />
      <source>Layers</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="55" />
      <source>Log</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="245" />
      <source>Metric</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="124" />
      <source>One of your saved QGIS PostgreSQL connections</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="66" />
      <source>Open the SafeStats plugin manual</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="131" />
      <source>Pick a connection.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="234" />
      <source>Pick on map</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="250" />
      <source>Profile</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="126" />
      <source>Refresh</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="53" />
      <source>Review</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="244" />
      <source>Run</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="382" />
      <source>SafeStats: area profile</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="311" />
      <source>SafeStats: comparator metrics</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="304" />
      <source>SafeStats: comparator runs</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="197" />
      <source>SafeStats: connecting</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="345" />
      <source>SafeStats: similar areas</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="391" />
      <source>SafeStats: trend</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="375" />
      <source>SafeStats: where confidence varies most</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="256" />
      <source>Save chart…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="257" />
      <source>Save the chart as PNG or SVG</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="134" />
      <source>Search layers (e.g. wards 2022, confidence, burglary)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="246" />
      <source>Show similar areas</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="62" />
      <source>Stop the running database query</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="251" />
      <source>The area's indicators on London's range (spine chart)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="254" />
      <source>The metric over time against similar areas, borough and London</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="296" />
      <source>This database has no comparator yet (safestats.similar_areas).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="253" />
      <source>Trend</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="233" />
      <source>Ward code, e.g. E05000026 — or pick on the map</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="248" />
      <source>Where confidence varies most</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/dock.py" line="359" />
      <source>{0}: {1} similar areas on {2}.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>SafeStatsLocator</name>
    <message>
      <location filename="../../qgis_plugin/gui/locator.py" line="73" />
      <source>Geocode: {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/locator.py" line="74" />
      <source>Geocoded text</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/locator.py" line="47" />
      <source>SafeStats places (wards, neighbourhoods, postcodes …)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../qgis_plugin/gui/locator.py" line="75" />
      <source>{0}, confidence {1:.2f}</source>
      <translation type="unfinished" />
    </message>
  </context>
</TS>
