"""Gazetteer for free-text location geocoding: source features, postcodes, the unified name table,
the review aliases, the confidence calibration and stored batch results.

Revision ID: 0004_gazetteer
Revises: 0003_sources
Create Date: 2026-11-25
"""
import migration_helpers as mh
from alembic import op

revision = "0004_gazetteer"
down_revision = "0003_sources"
branch_labels = None
depends_on = None


def upgrade() -> None:
    mh.create_schema("gazetteer", "Named places for geocoding free-text locations (postcodes, venues, "
                     "stations, streets, junctions, parks, areas) and the geocoder''s calibration.")
    # One row per feature read from a gazetteer file (a reload of a file kind replaces its rows).
    op.execute("""
    CREATE TABLE gazetteer.source_feature (
      source       text NOT NULL,          -- file kind: fsa, osm_pubs, tfl_stations, naptan_rail, ...
      source_key   text NOT NULL,          -- the file's own id for the row
      kind         text NOT NULL,          -- venue, pub, station, hospital, ae_site, park, bus_stop,
                                           -- street_point
      name         text NOT NULL,
      street       text,                   -- venues: the street part of the address
      postcode     text,
      geom         geometry(Point, 27700) NOT NULL,
      radius_m     real,
      area_geom    geometry(MultiPolygon, 27700),   -- parks: the polygon
      extra        jsonb NOT NULL DEFAULT '{}',
      licence      text NOT NULL,
      load_id      bigint REFERENCES safestats.load,
      PRIMARY KEY (source, source_key)
    )""")
    op.execute("""COMMENT ON TABLE gazetteer.source_feature IS 'Features as read from the gazetteer files
(one row per file row that has a location); gazetteer.feature is rebuilt from these.'""")
    op.execute("""
    CREATE TABLE gazetteer.postcode (
      postcode      text PRIMARY KEY,       -- compact upper case, no space: SE154QT
      display       text NOT NULL,          -- SE15 4QT
      sector        text NOT NULL,          -- SE15 4
      district      text NOT NULL,          -- SE15
      quality       smallint,
      borough_code  text,
      geom          geometry(Point, 27700) NOT NULL,
      load_id       bigint REFERENCES safestats.load
    )""")
    op.execute("CREATE INDEX postcode_sector_idx ON gazetteer.postcode (sector)")
    op.execute("CREATE INDEX postcode_district_idx ON gazetteer.postcode (district)")
    op.execute("CREATE INDEX postcode_geom_idx ON gazetteer.postcode USING gist (geom)")
    op.execute("""COMMENT ON TABLE gazetteer.postcode IS 'OS Code-Point Open postcode units (London);
sectors and districts are derived from them into gazetteer.feature.'""")
    # The unified name table: one search covers every kind.
    op.execute("""
    CREATE TABLE gazetteer.feature (
      feature_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      kind          text NOT NULL,          -- postcode sector district venue pub station hospital ae_site
                                            -- park landmark street junction area borough
      level         text NOT NULL CHECK (level IN ('postcode','venue','junction','street','sector',
                                                   'area','district','borough')),
      name          text NOT NULL,
      norm          text NOT NULL,          -- safestats.geocode_normalise(name)
      street_norm   text,                   -- venues: normalised street of the address
      aliases       text[] NOT NULL DEFAULT '{}',
      geom          geometry(Point, 27700) NOT NULL,
      extent        geometry(Geometry, 27700),   -- streets: their points; parks: the polygon
      radius_m      real NOT NULL,
      borough_code  text,
      district      text,                   -- postcode district (SE15)
      source        text NOT NULL,
      source_key    text,
      licence       text NOT NULL,
      active        boolean NOT NULL DEFAULT true  -- false: withheld (evaluation), never matched
    )""")
    op.execute("CREATE INDEX feature_norm_trgm ON gazetteer.feature USING gin (norm gin_trgm_ops)")
    op.execute("CREATE INDEX feature_norm_idx ON gazetteer.feature (norm)")
    op.execute("CREATE INDEX feature_geom_idx ON gazetteer.feature USING gist (geom)")
    op.execute("CREATE INDEX feature_extent_idx ON gazetteer.feature USING gist (extent)")
    op.execute("""COMMENT ON TABLE gazetteer.feature IS 'The unified gazetteer name table: every named
place the geocoder can match (venues, stations, hospitals, parks, streets, junctions, postcode sectors and
districts, ward-based areas, boroughs) with its normalised name, point, extent or radius, borough, postcode
district, source and licence (OSM rows are ODbL). Rebuilt by safestats.gazetteer_rebuild().'""")
    # The words of every name: candidates are found word by word (exact, then trigram-similar words
    # for typos), which is far cheaper than a trigram scan of whole names for common trigrams.
    op.execute("""
    CREATE TABLE gazetteer.word (
      word   text PRIMARY KEY,
      freq   integer NOT NULL            -- names that contain it: very common words do not generate
                                         -- candidates
    )""")
    op.execute("CREATE INDEX word_trgm ON gazetteer.word USING gin (word gin_trgm_ops)")
    op.execute("""
    CREATE TABLE gazetteer.feature_word (
      word        text NOT NULL,
      feature_id  bigint NOT NULL,
      in_name     boolean NOT NULL,       -- false: a word of a venue's street (for "tesco rye lane")
      name_len    smallint NOT NULL       -- length of the normalised name: shorter = closer to the words
    )""")
    op.execute("CREATE INDEX feature_word_idx ON gazetteer.feature_word (word, feature_id) "
               "INCLUDE (in_name, name_len)")
    op.execute("COMMENT ON TABLE gazetteer.word IS 'Distinct distinctive words of gazetteer names, "
               "with how many names contain each.'")
    op.execute("COMMENT ON TABLE gazetteer.feature_word IS 'Which gazetteer features contain which word.'")
    op.execute("""
    CREATE TABLE gazetteer.alias (
      alias_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      text_norm     text NOT NULL,
      site_code     text NOT NULL DEFAULT '',      -- '' = any site
      location_text text NOT NULL,
      geom          geometry(Point, 27700) NOT NULL,
      radius_m      real NOT NULL,
      level         text NOT NULL,
      matched       text NOT NULL,
      feature_id    bigint,
      created_by    text NOT NULL DEFAULT current_user,
      created_at    timestamptz NOT NULL DEFAULT now(),
      UNIQUE (text_norm, site_code)
    )""")
    op.execute("""COMMENT ON TABLE gazetteer.alias IS 'Review decisions: a location text as entered
(optionally for one A&E site) mapped to a gazetteer feature. safestats.geocode() consults it first. Written
through safestats.geocode_alias_set(); the feature is copied so a gazetteer rebuild does not break it.'""")
    op.execute("""
    CREATE TABLE gazetteer.calibration (
      level        text NOT NULL,           -- answer level, suffixed ' ambiguous' for ambiguous answers
      score_lo     real NOT NULL,
      score_hi     real NOT NULL,
      confidence   real NOT NULL CHECK (confidence BETWEEN 0 AND 1),
      n            integer NOT NULL,
      fitted_at    timestamptz NOT NULL DEFAULT now(),
      fit_label    text NOT NULL,
      PRIMARY KEY (level, score_lo)
    )""")
    op.execute("""COMMENT ON TABLE gazetteer.calibration IS 'Confidence calibration fitted on the
labelled calibration set (isotonic regression of being within the stated radius on the match score, per
level): safestats.geocode() reads the confidence of the bin its score falls in.'""")
    op.execute("""
    CREATE TABLE gazetteer.geocode_result (
      table_name    text NOT NULL,
      row_key       text NOT NULL,
      location_text text,
      site_code     text,
      geom          geometry(Point, 27700),
      confidence    real,
      radius_m      real,
      level         text NOT NULL,
      matched       text,
      ambiguous     boolean,
      explain       jsonb,
      gazetteer_version text NOT NULL,
      geocoded_at   timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (table_name, row_key)
    )""")
    op.execute("CREATE INDEX geocode_result_geom_idx ON gazetteer.geocode_result USING gist (geom)")
    op.execute("""COMMENT ON TABLE gazetteer.geocode_result IS 'Stored batch geocoding results (safestats
geocode --table …): one row per source row (table, primary key), with the gazetteer version used.'""")
    # Batch results may hold record-level text: not for analysts in general.
    op.execute("REVOKE SELECT ON gazetteer.geocode_result FROM safestats_analyst")


def downgrade() -> None:
    # The geocoder's functions and views (db/functions/2xx) sit on these tables: drop them first;
    # `safestats migrate` re-creates them on the next upgrade.
    op.execute("""DO $$ DECLARE r record; BEGIN
      FOR r IN SELECT c.oid::regclass AS v FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'safestats' AND c.relkind = 'v' AND c.relname LIKE 'geocode%'
      LOOP EXECUTE format('DROP VIEW %s', r.v); END LOOP;
      -- the violence analysis views (db/functions/5xx) read the gazetteer's venues too
      FOR r IN SELECT n.nspname AS s, c.relname AS v
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname IN ('safestats', 'open') AND c.relkind = 'v' AND c.relname LIKE 'violence%'
      LOOP EXECUTE format('DROP VIEW IF EXISTS %I.%I CASCADE', r.s, r.v); END LOOP;
      FOR r IN SELECT p.oid::regprocedure AS f FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
               WHERE n.nspname = 'safestats' AND (p.proname LIKE 'geocode%' OR p.proname LIKE 'gazetteer%')
      LOOP EXECUTE format('DROP FUNCTION %s', r.f); END LOOP;
    END $$""")
    for t in ("geocode_result", "calibration", "alias", "feature_word", "word", "feature", "postcode",
              "source_feature"):
        op.execute(f"DROP TABLE gazetteer.{t}")
    op.execute("DROP SCHEMA gazetteer")
