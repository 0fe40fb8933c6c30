"""Source tables: police.uk crime, outcomes and stop-and-search; MPS ward and LSOA counts; London
Fire Brigade incidents; London Ambulance Service assaults; extra columns on the A&E tables.

Crime and incident record tables are range-partitioned by month (yearly partitions 2001–2030 plus
a default), so 20+ years stay fast: a reload replaces one (force, month) slice inside one
partition, and queries for a period touch only its partitions.

Revision ID: 0003_sources
Revises: 0002_health_records
Create Date: 2026-11-25
"""
import migration_helpers as mh
from alembic import op

revision = "0003_sources"
down_revision = "0002_health_records"
branch_labels = None
depends_on = None

FIRST_YEAR, LAST_YEAR = 2001, 2030

# The columns every police.uk record table ends with, in this order: where the record is (geom,
# EPSG:27700), the areas assigned from it, whether it could be placed, and where it came from (the
# load and the line of its file).
POLICE_UK_LOCATION = [
    ("geom", "geometry(Point, 27700)"),
    ("lsoa21_code", "text"),
    ("ward22_code", "text"),
    ("borough_code", "text"),
    ("location_status",
     "text NOT NULL CHECK (location_status IN ('ok', 'no-coordinates', 'outside-london'))"),
    ("load_id", "bigint NOT NULL"),
    ("source_line", "integer NOT NULL"),
]
POLICE_UK_LOCATION_COLUMNS = ",\n      ".join(f"{name:<19} {decl}" for name, decl in POLICE_UK_LOCATION)


def _yearly_partitions(table: str) -> None:
    """One partition per calendar year plus a default (rows outside the range still load)."""
    schema, name = table.split(".")
    for y in range(FIRST_YEAR, LAST_YEAR + 1):
        op.execute(f"CREATE TABLE {schema}.{name}_{y} PARTITION OF {table} "
                   f"FOR VALUES FROM ('{y}-01-01') TO ('{y + 1}-01-01')")
    op.execute(f"CREATE TABLE {schema}.{name}_default PARTITION OF {table} DEFAULT")


def upgrade() -> None:
    readers = ("safestats_admin", "safestats_loader", "safestats_analyst", "safestats_health")
    mh.create_schema("crime", "Recorded crime: police.uk records, outcomes, stop and search; MPS counts.",
                     readers=readers)
    mh.create_schema("incident",
                     "Emergency service incidents: London Fire Brigade, London Ambulance Service.",
                     readers=readers)

    # ---------------------------------------------------------------- police.uk street-level crime
    op.execute(f"""
    CREATE TABLE crime.street_crime (
      crime_id            text,
      month               date NOT NULL,
      force               text NOT NULL,
      reported_by         text,
      falls_within        text,
      longitude           double precision,
      latitude            double precision,
      location            text,
      lsoa_code_reported  text,
      lsoa_name           text,
      crime_type          text NOT NULL,
      last_outcome        text,
      context             text,
      {POLICE_UK_LOCATION_COLUMNS},
      PRIMARY KEY (month, load_id, source_line)
    ) PARTITION BY RANGE (month)""")
    _yearly_partitions("crime.street_crime")
    # Analysts ask by borough (and its wards) over time, and London-wide by month and type; a ward
    # index of its own would cost every load more than it saves.
    op.execute("CREATE INDEX street_crime_borough_month_idx "
               "ON crime.street_crime (borough_code, month, ward22_code)")
    op.execute("CREATE INDEX street_crime_type_month_idx ON crime.street_crime (month, crime_type)")
    op.execute("CREATE INDEX street_crime_geom_idx ON crime.street_crime USING gist (geom)")
    op.execute("""COMMENT ON TABLE crime.street_crime IS 'data.police.uk street-level crime, one row per
published record (never de-duplicated: Crime IDs repeat and identical anti-social behaviour rows are
separate incidents). A file is the complete record of its (force, month): loading it again replaces
that slice. geom is EPSG:27700; lsoa21_code / ward22_code / borough_code are assigned on load from the
point. location_status: ok, no-coordinates (published without a point) or outside-london (kept, no
area). lsoa_code_reported is the LSOA police.uk published (2011 codes up to 2021, 2021 codes after).'""")

    op.execute(f"""
    CREATE TABLE crime.outcome (
      crime_id            text,
      month               date NOT NULL,
      force               text NOT NULL,
      reported_by         text,
      falls_within        text,
      longitude           double precision,
      latitude            double precision,
      location            text,
      lsoa_code_reported  text,
      lsoa_name           text,
      outcome_type        text NOT NULL,
      {POLICE_UK_LOCATION_COLUMNS},
      PRIMARY KEY (month, load_id, source_line)
    ) PARTITION BY RANGE (month)""")
    _yearly_partitions("crime.outcome")
    op.execute("CREATE INDEX outcome_force_month_idx ON crime.outcome (force, month)")
    op.execute("CREATE INDEX outcome_crime_id_idx ON crime.outcome (crime_id)")
    op.execute("""COMMENT ON TABLE crime.outcome IS 'data.police.uk outcomes: what happened to a crime, by
the month of the outcome. Join to crime.street_crime on crime_id. A file replaces its (force, month).'""")

    op.execute(f"""
    CREATE TABLE crime.stop_search (
      force               text NOT NULL,
      file_month          date NOT NULL,
      search_type         text NOT NULL,
      searched_at         timestamptz NOT NULL,
      part_of_operation   boolean,
      operation_name      text,
      longitude           double precision,
      latitude            double precision,
      gender              text,
      age_range           text,
      self_defined_ethnicity    text,
      officer_defined_ethnicity text,
      legislation         text,
      object_of_search    text,
      outcome             text,
      outcome_linked      boolean,
      outer_clothing_removed boolean,
      {POLICE_UK_LOCATION_COLUMNS},
      PRIMARY KEY (file_month, load_id, source_line)
    ) PARTITION BY RANGE (file_month)""")
    _yearly_partitions("crime.stop_search")
    op.execute("CREATE INDEX stop_search_force_month_idx ON crime.stop_search (force, file_month)")
    op.execute("""COMMENT ON TABLE crime.stop_search IS 'data.police.uk stop and search records.
file_month is the month of the published file (a search just before midnight UTC on the last day
of the previous month belongs to the file''s month in UK time). A file replaces its (force, month).'""")

    # ---------------------------------------------------------------- MPS published counts
    op.execute("""
    CREATE TABLE crime.mps_ward_month (
      ward_code      text NOT NULL,
      ward_name      text NOT NULL,
      borough_name   text NOT NULL,
      month          date NOT NULL,
      major_category text NOT NULL,
      minor_category text NOT NULL,
      count          integer NOT NULL CHECK (count >= 0),
      load_id        bigint NOT NULL,
      PRIMARY KEY (month, ward_code, borough_name, major_category, minor_category)
    )""")
    op.execute("CREATE INDEX mps_ward_month_ward_idx ON crime.mps_ward_month (ward_code, month)")
    op.execute("""COMMENT ON TABLE crime.mps_ward_month IS 'MPS recorded crime by 2022 ward, month and
minor category (London Datastore ward-level file, stored long). borough_name includes the pseudo-borough
"Aviation Security (SO18)" (Heathrow), whose ward code is also a Hillingdon ward: keep it apart when
summing by borough. A reload replaces the months the file covers.'""")
    op.execute("""
    CREATE TABLE crime.mps_lsoa_year (
      lsoa11_code    text NOT NULL,
      borough_name   text NOT NULL,
      year           smallint NOT NULL,
      major_category text NOT NULL,
      minor_category text NOT NULL DEFAULT '',
      count          numeric NOT NULL CHECK (count >= 0),
      load_id        bigint NOT NULL,
      PRIMARY KEY (year, lsoa11_code, major_category, minor_category)
    )""")
    op.execute("""COMMENT ON TABLE crime.mps_lsoa_year IS 'MPS recorded crime per LSOA 2011 and calendar
year (London Datastore recorded_crime_summary, one file per major category, minor_category empty for
a major-category total). The City of London is absent (policed by City of London Police). A reload
replaces the years and categories the file covers.'""")

    # ---------------------------------------------------------------- London Fire Brigade
    op.execute("""
    CREATE TABLE incident.lfb_incident (
      incident_number      text NOT NULL,
      call_date            date NOT NULL,
      call_time            time,
      incident_group       text,
      stop_code            text,
      special_service_type text,
      property_category    text,
      property_type        text,
      address_qualifier    text,
      postcode_full        text,
      postcode_district    text,
      uprn                 text,
      usrn                 text,
      reported_borough_code text,
      reported_ward_code   text,
      station_ground       text,
      first_pump_seconds   integer,
      second_pump_seconds  integer,
      pumps_attending      integer,
      pump_count           integer,
      pump_hours           numeric,
      notional_cost_gbp    numeric,
      geom                 geometry(Point, 27700),
      coordinate_source    text NOT NULL CHECK (coordinate_source IN ('exact', 'rounded', 'none')),
      lsoa21_code          text,
      ward22_code          text,
      borough_code         text,
      load_id              bigint NOT NULL,
      source_line          integer NOT NULL,
      PRIMARY KEY (call_date, incident_number)
    ) PARTITION BY RANGE (call_date)""")
    _yearly_partitions("incident.lfb_incident")
    op.execute("CREATE INDEX lfb_incident_number_idx ON incident.lfb_incident (incident_number)")
    op.execute("CREATE INDEX lfb_incident_borough_idx ON incident.lfb_incident (borough_code, call_date)")
    op.execute("CREATE INDEX lfb_incident_geom_idx ON incident.lfb_incident USING gist (geom)")
    op.execute("""COMMENT ON TABLE incident.lfb_incident IS 'London Fire Brigade incidents, one row per
IncidentNumber (a reload replaces an incident). geom is the best point available and coordinate_source
says which: exact (Easting_m/Northing_m, blank for about half the rows, e.g. dwellings) or rounded
(Easting_rounded/Northing_rounded, to the nearest 50 m). Areas are assigned from geom.'""")

    # ---------------------------------------------------------------- London Ambulance Service
    op.execute("""
    CREATE TABLE incident.las_assault_count (
      month          date NOT NULL,
      area_level     text NOT NULL CHECK (area_level IN ('lsoa', 'ward', 'borough')),
      area_code      text NOT NULL,
      category       text NOT NULL,
      count          integer NOT NULL CHECK (count >= 0),
      load_id        bigint NOT NULL,
      PRIMARY KEY (month, area_level, area_code, category)
    )""")
    op.execute("""COMMENT ON TABLE incident.las_assault_count IS 'London Ambulance Service assault
call-outs counted by month, area (LSOA, ward or borough code) and category (layout in docs/loaders.md).
A reload replaces the months the file covers.'""")
    op.execute("""
    CREATE TABLE incident.las_assault (
      incident_ref   text NOT NULL,
      call_at        timestamptz NOT NULL,
      category       text NOT NULL,
      geom           geometry(Point, 27700),
      location_status text NOT NULL CHECK (location_status IN ('ok', 'no-coordinates', 'outside-london')),
      lsoa21_code    text,
      ward22_code    text,
      borough_code   text,
      load_id        bigint NOT NULL,
      source_line    integer NOT NULL,
      PRIMARY KEY (call_at, incident_ref)
    ) PARTITION BY RANGE (call_at)""")
    for y in range(FIRST_YEAR, LAST_YEAR + 1):
        op.execute(f"CREATE TABLE incident.las_assault_{y} PARTITION OF incident.las_assault "
                   f"FOR VALUES FROM ('{y}-01-01 00:00+00') TO ('{y + 1}-01-01 00:00+00')")
    op.execute("CREATE TABLE incident.las_assault_default PARTITION OF incident.las_assault DEFAULT")
    op.execute("CREATE INDEX las_assault_ref_idx ON incident.las_assault (incident_ref)")
    op.execute("""COMMENT ON TABLE incident.las_assault IS 'London Ambulance Service assault call-outs,
one row per incident (incident-level layout in docs/loaders.md); a reload replaces an incident.'""")

    # ---------------------------------------------------------------- A&E (ISTV): what the loader adds
    op.execute("ALTER TABLE health.ae_assault ADD COLUMN hospital_name_given text")
    op.execute("ALTER TABLE health.ae_assault ADD COLUMN mapping text")
    op.execute("COMMENT ON COLUMN health.ae_assault.hospital_name_given IS 'The hospital name as the "
               "extract gave it, when the site code was reconciled from a free-text name.'")
    op.execute("COMMENT ON COLUMN health.ae_assault.mapping IS 'The column mapping "
               "(loaders/istv_mappings) the extract was read with.'")


def downgrade() -> None:
    # Views from db/functions that read these tables (re-created by `safestats migrate` at head).
    op.execute("DROP VIEW IF EXISTS safestats.source_gaps")
    op.execute("DROP VIEW IF EXISTS safestats.source_month")
    op.execute("ALTER TABLE health.ae_assault DROP COLUMN mapping")
    op.execute("ALTER TABLE health.ae_assault DROP COLUMN hospital_name_given")
    for t in ("incident.las_assault", "incident.las_assault_count", "incident.lfb_incident",
              "crime.mps_lsoa_year", "crime.mps_ward_month", "crime.stop_search", "crime.outcome",
              "crime.street_crime"):
        op.execute(f"DROP TABLE {t}")
    op.execute("DROP SCHEMA incident")
    op.execute("DROP SCHEMA crime")
