"""London Landscape loaders on the real London Datastore files (../shared/data), and bad input."""
import csv
import gzip

import pytest

from loaders import (
    indicators_long,
    lsoa_population,
    mopac_survey,
    neighbourhood_wards,
    ptal_wards,
    ward_atlas,
    ward_profiles,
)
from loaders.core import LoadOptions, LoadRefused, load_csv
from safestats import db


@pytest.fixture(scope="module")
def loaded(db_url, shared_data, tmp_path_factory):
    """Every landscape source loaded once into this module's database."""
    ds = shared_data / "datastore"
    rej = tmp_path_factory.mktemp("rejects")
    results = {}
    with db.connect(db_url) as conn:
        opts = LoadOptions(quiet=True, rejects_dir=rej)
        results["profiles"] = load_csv(conn, ward_profiles.SOURCE, ds / "ward-profiles-excel-version.csv",
                                       opts)
        results["atlas"] = load_csv(conn, ward_atlas.SOURCE, ds / "2013_ward_atlas_data.csv", opts)
        results["ptal"] = load_csv(conn, ptal_wards.SOURCE, ds / "ward2014_avptai2015.csv", opts)
        results["pop"] = lsoa_population.load(conn, ds / "london-mid2020-pop.csv", opts)
        results["map"] = load_csv(conn, neighbourhood_wards.SOURCE, mopac_survey.MAPPING_CSV, opts)
        results["pas16"] = mopac_survey.load(conn, ds / "2016-police-perceptions.csv", opts)
        results["pas21"] = mopac_survey.load(
            conn, ds / "2015-16_to_2020-21_inclusive_neighbourhood_indicators_final_221221.csv", opts)
    return results


def _rows(path, encoding):
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.reader(f))


def test_ward_profiles_route_rows_by_level(loaded, conn, shared_data):
    r = loaded["profiles"]
    assert r.status == "loaded" and r.rows_rejected == 0
    rows = _rows(shared_data / "datastore" / "ward-profiles-excel-version.csv", "cp1252")
    wards = {x[2] for x in rows[1:] if x[2].startswith("E05")}
    got = dict(conn.execute("SELECT level || ' ' || vintage, count(DISTINCT area_code) "
                            "FROM landscape.indicator_value WHERE indicator_code = 'wp_population' "
                            "GROUP BY 1").fetchall())
    assert got["ward 2011"] == len(wards) == 624
    assert got["borough 2022"] == 33 and got["region 2022"] == 1 and got["country 2022"] == 1
    # The City of London appears twice in the file: the repeat is skipped with its reason.
    skipped = conn.execute("SELECT details->'skipped_rows' FROM safestats.load WHERE load_id = %s",
                           (r.load_id,)).fetchone()[0]
    assert [(s["line"], s["area_code"]) for s in skipped] == [(627, "E09000001")]
    assert "repeats the area of line 2" in skipped[0]["reason"]


def test_ward_profiles_values_match_the_file_and_na_is_not_stored(loaded, conn, shared_data):
    rows = _rows(shared_data / "datastore" / "ward-profiles-excel-version.csv", "cp1252")
    header = rows[0]
    col = header.index("Median House Price (£) - 2014")
    abbey = next(x for x in rows if x[2] == "E05000026")
    v = conn.execute("SELECT value FROM landscape.indicator_value "
                     "WHERE indicator_code = 'wp_median_house_price_gbp' "
                     "AND area_code = 'E05000026'").fetchone()[0]
    assert v == float(abbey[col])
    name, unit = conn.execute("SELECT name, unit FROM landscape.indicator "
                              "WHERE indicator_code = 'wp_median_house_price_gbp'").fetchone()
    assert "£" in name and unit == "GBP"  # decoded from Windows-1252
    na_cells = sum(1 for x in rows[1:] for v in x[3:] if v == "n/a" and x[2] != "E09000001")
    stored = conn.execute("SELECT count(*) FROM landscape.indicator_value v JOIN landscape.indicator i "
                          "USING (indicator_code) WHERE i.indicator_code LIKE 'wp\\_%' "
                          "AND v.method = 'published'").fetchone()[0]
    n_ind = conn.execute("SELECT count(*) FROM landscape.indicator "
                         "WHERE indicator_code LIKE 'wp\\_%'").fetchone()[0]
    # 659 distinct areas x indicators, minus the n/a cells
    assert stored == 659 * n_ind - na_cells
    obese = conn.execute("SELECT count(*) FROM landscape.indicator_value WHERE area_code = 'E05000133' "
                         "AND indicator_code LIKE 'wp\\_pct\\_children\\_in\\_%obese'").fetchone()[0]
    assert obese == 0


def test_catalogue_entries_are_complete(loaded, conn):
    rows = conn.execute("SELECT indicator_code, theme, unit, direction, source, licence, level, vintage, "
                        "periods FROM landscape.indicator WHERE indicator_code LIKE 'wp\\_%'").fetchall()
    assert len(rows) == 63
    for _code, theme, unit, _direction, source, licence, level, vintage, periods in rows:
        assert theme and unit and source.startswith("GLA") and "Open Government" in licence
        assert (level, vintage) == ("ward", 2011) and periods
    crime = {r[0]: r[3] for r in rows}
    assert crime["wp_crime_rate"] == "higher is worse"
    assert crime["wp_male_life_expectancy"] == "higher is better"


def test_reload_is_unchanged_and_forced_reload_does_not_duplicate(loaded, conn, shared_data):
    path = shared_data / "datastore" / "ward-profiles-excel-version.csv"
    before = conn.execute("SELECT count(*) FROM landscape.indicator_value").fetchone()[0]
    again = load_csv(conn, ward_profiles.SOURCE, path, LoadOptions(quiet=True))
    assert again.status == "unchanged"
    forced = load_csv(conn, ward_profiles.SOURCE, path, LoadOptions(quiet=True, force=True))
    assert forced.status == "loaded"
    assert conn.execute("SELECT count(*) FROM landscape.indicator_value").fetchone()[0] == before


def test_atlas_skips_england_and_wales_with_a_reason(loaded, conn):
    r = loaded["atlas"]
    assert r.status == "loaded" and r.rows_rejected == 0
    skipped = conn.execute("SELECT details->'skipped_rows' FROM safestats.load WHERE load_id = %s",
                           (r.load_id,)).fetchone()[0]
    assert [s["area_code"] for s in skipped] == ["K04000001"]
    assert conn.execute("SELECT count(DISTINCT area_code) FROM landscape.indicator_value "
                        "WHERE indicator_code = 'wa13_total_crime_rate' "
                        "AND level = 'ward'").fetchone()[0] == 624


def test_ptal_band_is_stored_as_its_ordinal(loaded, conn, shared_data):
    rows = _rows(shared_data / "datastore" / "ward2014_avptai2015.csv", "utf-8")
    for code, _, ptai, band in rows[1:4]:
        got = dict(conn.execute("SELECT indicator_code, value FROM landscape.indicator_value "
                                "WHERE area_code = %s AND level IN ('ward', 'borough') "
                                "AND indicator_code IN ('ptai_2015', 'ptal_band_2015')",
                                (code,)).fetchall())
        assert got["ptai_2015"] == pytest.approx(float(ptai))
        assert got["ptal_band_2015"] == ptal_wards.PTAL_ORDER.index(band.lower())


def test_population_totals_match_the_file(loaded, conn, shared_data):
    rows = _rows(shared_data / "datastore" / "london-mid2020-pop.csv", "utf-8")
    i = rows[0].index("Persons_All-Ages")
    total = sum(int(x[i]) for x in rows[1:])
    got = conn.execute("SELECT sum(value), count(*), min(period) FROM landscape.indicator_value "
                       "WHERE indicator_code = 'pop_persons_all_ages' AND level = 'lsoa' "
                       "AND vintage = 2011").fetchone()
    assert got == (total, len(rows) - 1, "2020")


def test_survey_2016_keeps_every_neighbourhood_and_mopac_group(loaded, conn, shared_data):
    rows = _rows(shared_data / "datastore" / "2016-police-perceptions.csv", "utf-8-sig")[2:]
    got = dict(conn.execute("SELECT neighbourhood_code, mopac_group FROM survey.neighbourhood "
                            "WHERE edition = '2016'").fetchall())
    assert got == {r[1]: int(r[2].split()[-1]) for r in rows}
    v = conn.execute("SELECT value FROM safestats.indicator_values('pas_good_job', 'neighbourhood', 2016) "
                     "WHERE area_code = %s", (rows[0][1],)).fetchone()[0]
    assert v == float(rows[0][3])


def test_survey_2021_multi_row_header_and_empty_rows_kept(loaded, conn, shared_data):
    rows = _rows(shared_data / "datastore" /
                 "2015-16_to_2020-21_inclusive_neighbourhood_indicators_final_221221.csv", "utf-8-sig")
    names = {r[0] for r in rows[3:]}
    got = {r[0] for r in conn.execute("SELECT name FROM survey.neighbourhood "
                                      "WHERE edition = '2021'").fetchall()}
    assert got == names and len(got) == 112
    # Westminster - ORB has no values but is still a neighbourhood on the map
    code = conn.execute("SELECT neighbourhood_code FROM survey.neighbourhood "
                        "WHERE name = 'Westminster - ORB'").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM landscape.indicator_value WHERE area_code = %s",
                        (code,)).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM ref.area WHERE level = 'neighbourhood' AND vintage = 2021 "
                        "AND code = %s", (code,)).fetchone()[0] == 1
    # the ethnic group comes from the second header row
    v = conn.execute("SELECT value FROM landscape.indicator_value "
                     "WHERE indicator_code = 'pas_good_job_black' AND area_code = 'KG-KB'").fetchone()[0]
    first = next(r for r in rows if r[0] == "Barking and Dagenham - Barking")
    assert v == float(first[11]) and rows[1][11] == "Black"


def test_no_survey_row_is_dropped_by_the_ward_mapping(loaded, conn):
    for edition in ("2016", "2021"):
        orphans = conn.execute("""
            SELECT n.name FROM survey.neighbourhood n WHERE n.edition = %s AND NOT EXISTS (
              SELECT 1 FROM survey.neighbourhood_ward w WHERE w.edition = n.edition
                AND w.neighbourhood_code = n.neighbourhood_code AND w.ward_vintage = 2014)""",
                               (edition,)).fetchall()
        assert orphans == []
    # every non-City 2014 ward is in exactly one 2016 neighbourhood
    n = conn.execute("SELECT count(*) FROM ref.area a WHERE a.level = 'ward' AND a.vintage = 2014 "
                     "AND a.parent_code <> 'E09000001' AND (SELECT count(*) FROM survey.neighbourhood_ward w "
                     "WHERE w.edition = '2016' AND w.ward_vintage = 2014 AND w.ward_code = a.code) <> 1"
                     ).fetchone()[0]
    assert n == 0


def test_indicator_values_series_and_qgis_view(loaded, conn):
    rows = conn.execute("SELECT area_code, value, period "
                        "FROM safestats.indicator_values('wp_crime_rate', 'ward')").fetchall()
    assert len(rows) == 624 and {r[2] for r in rows} == {"2014/15"}
    series = conn.execute("SELECT period_start, value "
                          "FROM safestats.indicator_series('pop_persons_all_ages', 'E01000001')").fetchall()
    assert len(series) == 1 and series[0][1] > 0
    types = dict(conn.execute("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                              "WHERE attrelid = 'safestats.indicator_map'::regclass "
                              "AND attnum > 0").fetchall())
    assert types["geom"] == "geometry(MultiPolygon,27700)" and types["period_start"] == "date"
    dup = conn.execute("SELECT feature_key FROM safestats.indicator_map "
                       "WHERE indicator_code = 'pas_good_job' GROUP BY 1 HAVING count(*) > 1").fetchall()
    assert dup == []
    n = conn.execute("SELECT count(*) FROM safestats.indicator_map "
                     "WHERE indicator_code = 'pas_good_job'").fetchone()[0]
    assert n == 106


# --------------------------------------------------------------------------- bad input
def test_bad_number_is_rejected_with_file_line_and_column(loaded, conn, tmp_path, shared_data):
    rows = _rows(shared_data / "datastore" / "ward-profiles-excel-version.csv", "cp1252")
    rows[5][3] = "lots"
    bad = tmp_path / "profiles-bad.csv"
    with open(bad, "w", encoding="cp1252", newline="") as f:
        csv.writer(f).writerows(rows)
    r = load_csv(conn, ward_profiles.SOURCE, bad, LoadOptions(quiet=True, rejects_dir=tmp_path))
    assert r.status == "loaded" and r.rows_rejected == 1
    with open(r.rejects_file, encoding="utf-8") as f:
        rej = list(csv.DictReader(f))
    assert rej[0]["line"] == "6" and "Population - 2015" in rej[0]["reason"] and "'lots'" in rej[0]["reason"]
    assert rej[0]["file"] == str(bad)
    with pytest.raises(LoadRefused, match="2 bad value|1 bad value"):
        load_csv(conn, ward_profiles.SOURCE, bad, LoadOptions(quiet=True, force=True, strict=True,
                                                                rejects_dir=tmp_path))


def test_wrong_layout_is_refused_naming_what_is_missing(conn, tmp_path, loaded):
    p = tmp_path / "not-profiles.csv"
    p.write_text("Ward name,New code,Something\nA,E05000026,1\n")
    with pytest.raises(LoadRefused, match="Population - 2015"):
        load_csv(conn, ward_profiles.SOURCE, p, LoadOptions(quiet=True))
    q = tmp_path / "not-survey.csv"
    q.write_text("a,b\n1,2\n")
    with pytest.raises(LoadRefused, match="not a MOPAC PAS"):
        mopac_survey.load(conn, q, LoadOptions(quiet=True))


def test_long_format_loader(conn, tmp_path, loaded):
    p = tmp_path / "lights.csv"
    p.write_text("area_code,indicator,period,value,lower,upper,sample_size\n"
                 "E05000026,Street lights per km,2019/20,31.5,29,34,200\n"
                 "E05000027,Street lights per km,2019/20,12,,,\n"
                 "E05000027,Street lights per km,2020/21,13,,,\n"
                 "E05000028,Street lights per km,someday,9,,,\n"
                 "E09000002,Street lights per km,2019/20,20.5,,,\n")
    r = load_csv(conn, indicators_long.SOURCE, p, LoadOptions(
        quiet=True, rejects_dir=tmp_path, extra={"theme": "Environment", "unit": "per km",
                                                 "source_label": "test borough", "licence": "OGL"}))
    assert (r.rows_read, r.rows_loaded, r.rows_rejected) == (5, 4, 1)
    got = conn.execute("SELECT area_code, level, vintage, period, period_start::text, value, lower, upper, "
                       "sample_size FROM landscape.indicator_value "
                       "WHERE indicator_code = 'street_lights_per_km' ORDER BY area_code, period").fetchall()
    assert got[0] == ("E05000026", "ward", 2018, "2019/20", "2019-04-01", 31.5, 29, 34, 200)
    assert [g[1] for g in got] == ["ward", "ward", "ward", "borough"]
    periods, theme = conn.execute("SELECT periods, theme FROM landscape.indicator "
                                  "WHERE indicator_code = 'street_lights_per_km'").fetchone()
    assert periods == ["2019/20", "2020/21"] and theme == "Environment"
    r2 = load_csv(conn, indicators_long.SOURCE, p, LoadOptions(quiet=True, rejects_dir=tmp_path, force=True))
    assert r2.rows_loaded == 4
    assert conn.execute("SELECT count(*) FROM landscape.indicator_value "
                        "WHERE indicator_code = 'street_lights_per_km'").fetchone()[0] == 4


def test_shipped_demo_copies_are_the_published_files(shared_data):
    from safestats.landscape import SHIPPED
    for name in ("ward-profiles-excel-version.csv", "2016-police-perceptions.csv"):
        with gzip.open(SHIPPED / (name + ".gz"), "rb") as f:
            assert f.read() == (shared_data / "datastore" / name).read_bytes()
