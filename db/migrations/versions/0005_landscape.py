"""London Landscape indicator store, MOPAC Public Attitude Survey, Neighbourhood Comparator runs.

Revision ID: 0005_landscape
Revises: 0004_gazetteer
Create Date: 2026-11-25
"""
import migration_helpers as mh
from alembic import op

revision = "0005_landscape"
down_revision = "0004_gazetteer"
branch_labels = None
depends_on = None

READERS = ("safestats_admin", "safestats_loader", "safestats_analyst", "safestats_health")


def upgrade() -> None:
    mh.create_schema("landscape", "London Landscape: indicator catalogue and values for any area level.",
                     readers=READERS)
    mh.create_schema("survey", "MOPAC Public Attitude Survey: neighbourhoods (policing sectors) and "
                     "their ward mapping.", readers=READERS)
    mh.create_schema("comparator", "Neighbourhood Comparator: runs, most similar areas, groups.",
                     readers=READERS)

    op.execute("""
    CREATE TABLE landscape.indicator (
      indicator_code text PRIMARY KEY CHECK (indicator_code ~ '^[a-z0-9_]+$'),
      name           text NOT NULL,
      theme          text NOT NULL,
      unit           text NOT NULL,
      additive       boolean NOT NULL DEFAULT false,
      direction      text NOT NULL DEFAULT 'neutral'
                     CHECK (direction IN ('higher is better', 'higher is worse', 'neutral')),
      source         text NOT NULL,
      licence        text NOT NULL,
      attribution    text,
      level          text NOT NULL,
      vintage        smallint,
      periods        text[] NOT NULL DEFAULT '{}',
      value_status   text NOT NULL DEFAULT 'observed' CHECK (value_status IN ('observed', 'projected')),
      description    text,
      load_id        bigint REFERENCES safestats.load
    )""")
    op.execute("""COMMENT ON TABLE landscape.indicator IS 'Indicator catalogue: code, name, theme, unit,
additive (a count that may be summed and apportioned; otherwise a rate, share or mean), direction (is a
higher value better or worse), source, licence, the geography level and vintage it was published for,
its periods, and whether values are observed or projected.'""")

    op.execute("""
    CREATE TABLE landscape.indicator_value (
      indicator_code text NOT NULL REFERENCES landscape.indicator ON DELETE CASCADE,
      level          text NOT NULL,
      vintage        smallint NOT NULL,
      area_code      text NOT NULL,
      period         text NOT NULL,
      period_start   date NOT NULL,
      value          double precision NOT NULL,
      lower          double precision,
      upper          double precision,
      sample_size    double precision,
      value_status   text NOT NULL DEFAULT 'observed' CHECK (value_status IN ('observed', 'projected')),
      method         text NOT NULL DEFAULT 'published',
      load_id        bigint REFERENCES safestats.load,
      PRIMARY KEY (indicator_code, level, vintage, area_code, period),
      CHECK (lower IS NULL OR upper IS NULL OR lower <= upper)
    )""")
    op.execute("CREATE INDEX indicator_value_area_idx "
               "ON landscape.indicator_value (level, vintage, area_code)")
    op.execute("""COMMENT ON TABLE landscape.indicator_value IS 'One value of one indicator for one area
(level + vintage + code) and period. lower/upper: a 95% interval where known; sample_size: respondents
(surveys) or the count behind a rate. method: published, or how the value was derived (e.g.
"area-weighted from ward 2014", "rate per 1,000 from crime.mps_lsoa_year").'""")

    op.execute("""
    CREATE TABLE survey.neighbourhood (
      edition        text NOT NULL,
      neighbourhood_code text NOT NULL,
      name           text NOT NULL,
      borough_name   text NOT NULL,
      sector_name    text NOT NULL,
      mopac_group    smallint,
      load_id        bigint REFERENCES safestats.load,
      PRIMARY KEY (edition, neighbourhood_code)
    )""")
    op.execute("""COMMENT ON TABLE survey.neighbourhood IS 'MPS neighbourhoods (policing sectors, e.g.
"Barking and Dagenham - Barking", code KG-KB) as published by MOPAC in one survey edition. mopac_group is
MOPAC''s own comparator group (1-12) where the file gives it. Neighbourhoods without a published code get
one derived from their name (prefix N-).'""")

    op.execute("""
    CREATE TABLE survey.neighbourhood_ward (
      edition        text NOT NULL,
      neighbourhood_code text NOT NULL,
      ward_vintage   smallint NOT NULL,
      ward_code      text NOT NULL,
      ward_name      text,
      method         text NOT NULL,
      seed           text,
      distance_km    double precision,
      PRIMARY KEY (edition, ward_vintage, ward_code)
    )""")
    op.execute("""COMMENT ON TABLE survey.neighbourhood_ward IS 'Which ward belongs to which MPS
neighbourhood (no published boundaries): built by scripts/build_neighbourhood_wards.py, committed as
data/landscape/neighbourhood_wards.csv; method and seed say how each ward was assigned.'""")

    op.execute("""
    CREATE TABLE comparator.run (
      run_id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      created_at     timestamptz NOT NULL DEFAULT now(),
      created_by     text NOT NULL DEFAULT session_user,
      label          text,
      level          text NOT NULL,
      vintage        smallint NOT NULL,
      k              integer NOT NULL CHECK (k > 0),
      transform      text NOT NULL,
      cluster_method text NOT NULL,
      n_groups       integer NOT NULL,
      silhouette     double precision,
      n_areas        integer NOT NULL,
      random_state   integer,
      parameters     jsonb NOT NULL DEFAULT '{}'::jsonb,
      software       jsonb NOT NULL DEFAULT '{}'::jsonb,
      build_seconds  double precision
    )""")
    op.execute("""COMMENT ON TABLE comparator.run IS 'One comparator build: area level and vintage, k most
similar areas, transform, clustering (method, groups, silhouette) and all parameters, so a run can be
reproduced and compared with another.'""")
    op.execute("""
    CREATE TABLE comparator.run_indicator (
      run_id         integer NOT NULL REFERENCES comparator.run ON DELETE CASCADE,
      indicator_code text NOT NULL,
      period         text NOT NULL,
      weight         double precision NOT NULL,
      transform      text NOT NULL,
      lambda         double precision,
      mean           double precision,
      sd             double precision,
      imputed        integer NOT NULL DEFAULT 0,
      PRIMARY KEY (run_id, indicator_code)
    )""")
    op.execute("COMMENT ON TABLE comparator.run_indicator IS 'The indicators of a run, with period, weight, "
               "transform (and Yeo-Johnson lambda), standardisation mean/sd and missing values imputed.'")
    op.execute("""
    CREATE TABLE comparator.similar_area (
      run_id        integer NOT NULL REFERENCES comparator.run ON DELETE CASCADE,
      area_code     text NOT NULL,
      rank          smallint NOT NULL,
      similar_code  text NOT NULL,
      distance      double precision NOT NULL,
      PRIMARY KEY (run_id, area_code, rank)
    )""")
    op.execute("CREATE INDEX similar_area_similar_idx ON comparator.similar_area (run_id, similar_code)")
    op.execute("COMMENT ON TABLE comparator.similar_area IS 'For each area of a run its k most similar "
               "areas (rank 1 = nearest; Euclidean distance on weighted z-scores; not necessarily "
               "symmetric).'")
    op.execute("""
    CREATE TABLE comparator.area_group (
      run_id      integer NOT NULL REFERENCES comparator.run ON DELETE CASCADE,
      area_code   text NOT NULL,
      group_no    smallint NOT NULL,
      silhouette  double precision,
      PRIMARY KEY (run_id, area_code)
    )""")
    op.execute("COMMENT ON TABLE comparator.area_group IS 'The most similar group (cluster) of each area in "
               "a run, and its silhouette width (how well it sits in its group, -1..1).'")


def downgrade() -> None:
    # Functions in db/functions that refer to these schemas are re-created by `safestats migrate`;
    # a downgrade first drops the ones built on these tables (they live in schema safestats).
    op.execute("""DO $$ DECLARE r record; BEGIN
      FOR r IN SELECT c.oid::regclass AS v FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'safestats' AND c.relkind = 'v'
                 AND (c.relname LIKE 'indicator%' OR c.relname LIKE 'comparator%'
                      OR c.relname LIKE 'neighbourhood%')
               ORDER BY c.oid DESC
      LOOP EXECUTE format('DROP VIEW %s', r.v); END LOOP;
      FOR r IN SELECT p.oid::regprocedure AS f FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
               WHERE n.nspname = 'safestats' AND (p.proname LIKE 'indicator%' OR p.proname LIKE 'comparator%'
                     OR p.proname IN ('similar_areas', 'move_indicator', 'move_indicators',
                                      'build_population_lookup', 'build_crime_rate_indicators',
                                      'crime_rate_tables_present'))
      LOOP EXECUTE format('DROP FUNCTION %s', r.f); END LOOP;
    END $$""")
    op.execute("DROP TABLE comparator.area_group")
    op.execute("DROP TABLE comparator.similar_area")
    op.execute("DROP TABLE comparator.run_indicator")
    op.execute("DROP TABLE comparator.run")
    op.execute("DROP TABLE survey.neighbourhood_ward")
    op.execute("DROP TABLE survey.neighbourhood")
    op.execute("DROP TABLE landscape.indicator_value")
    op.execute("DROP TABLE landscape.indicator")
    op.execute("DROP SCHEMA comparator")
    op.execute("DROP SCHEMA survey")
    op.execute("DROP SCHEMA landscape")
