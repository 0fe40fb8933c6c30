"""Every load leaves the planner fresh statistics (issue 19).

A server of its own with autovacuum off (``Cluster(autovacuum=False)``): nothing analyses a table
behind the loaders' backs, so a step that forgets its ANALYZE leaves the planner with defaults, and
the plans below show it. No timing: each test runs the query the step's users run next under
``EXPLAIN (ANALYZE)`` and compares, for every scan of the tables the step wrote, the rows the planner
expected with the rows it found (within a factor of 10; scans of under 50 rows either way are left
out). ``test_the_check_sees_a_table_nobody_analysed`` shows the check failing where statistics lack.
"""
from __future__ import annotations

import shutil
import socket
import tempfile
from pathlib import Path

import psycopg
import pytest

from loaders import boundaries, gazetteer, registry, ward_profiles
from loaders.core import LoadOptions, load_csv, load_each
from safestats import comparator, config, db, synth_police
from safestats.cluster import Cluster
from safestats.reference import load_reference

pytestmark = pytest.mark.slow   # a server of its own, the reference geography and five loads

SHIPPED = config.SHIPPED_DATA_DIR
FACTOR, FLOOR = 10, 50


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def quiet_cluster():
    """A throwaway server with autovacuum off (and no durability: it is thrown away)."""
    base = Path(tempfile.mkdtemp(prefix="safestats-stats-", dir="/tmp"))
    base.chmod(0o755)
    cluster = Cluster(home=base, port=_free_port(), autovacuum=False,
                      settings={"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
                                "shared_buffers": "'128MB'"})
    cluster.start()
    cluster.wait_ready()
    yield cluster
    cluster.stop()
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def url(quiet_cluster):
    """A database migrated to head and nothing else: every table is as the steps leave it."""
    quiet_cluster.ensure_database("stats")
    u = quiet_cluster.url("stats")
    db.upgrade(u)
    return u


@pytest.fixture
def conn(url):
    with db.connect(url) as c:
        yield c


def scans(conn, query: str, params=None) -> list[tuple[str, str, float, float]]:
    """(schema.table, node type, rows expected, rows found) per scan node that ran, per loop."""
    cur = psycopg.ClientCursor(conn)     # values inlined: planned as the analysts' queries are
    plan = cur.execute("EXPLAIN (ANALYZE, VERBOSE, FORMAT JSON) " + query, params).fetchone()[0][0]["Plan"]
    out = []

    def walk(node):
        if "Relation Name" in node and node.get("Actual Loops", 0) > 0:
            out.append((f"{node.get('Schema')}.{node['Relation Name']}", node["Node Type"],
                        node["Plan Rows"], node["Actual Rows"]))
        for child in node.get("Plans", []):
            walk(child)
    walk(plan)
    return out


def misfits(conn, query: str, params=None, tables: tuple[str, ...] = ()) -> tuple[list, list]:
    """(scans of ``tables`` — names or name prefixes, e.g. a partitioned table's — , those whose
    estimate is more than FACTOR off)."""
    seen = [s for s in scans(conn, query, params) if s[0].startswith(tables)]
    bad = [s for s in seen if max(s[2], s[3]) >= FLOOR and max(s[2], s[3]) > FACTOR * max(min(s[2], s[3]), 1)]
    return seen, bad


def assert_planned_on_statistics(conn, query: str, params=None, tables: tuple[str, ...] = ()) -> None:
    seen, bad = misfits(conn, query, params, tables)
    assert seen, f"the plan reads none of {tables}: {scans(conn, query, params)}"
    assert not bad, f"planner estimates off by more than {FACTOR}x (no statistics?): {bad}"


def test_the_check_sees_a_table_nobody_analysed(conn):
    conn.execute("CREATE TEMP TABLE control AS SELECT g AS id, (g % 3)::text AS k "
                 "FROM generate_series(1, 30000) g")
    query = "SELECT * FROM control WHERE k = '1'"
    seen, bad = misfits(conn, query, tables=("pg_temp",))
    assert seen and bad, "without ANALYZE the estimate should be far off (else this check proves nothing)"
    conn.execute("ANALYZE control")
    seen, bad = misfits(conn, query, tables=("pg_temp",))
    assert seen and not bad


def test_area_assignment_after_boundary_load(conn, tmp_path):
    opts = {"quiet": True, "rejects_dir": tmp_path}
    for level, vintage, name in (("borough", 2022, "boroughs_2022.geojson.gz"),
                                 ("ward", 2014, "wards_2014.geojson.gz")):
        r = boundaries.SOURCE.load(conn, SHIPPED / "boundaries" / name,
                                   LoadOptions(**opts, extra={"level": level, "vintage": vintage}))
        assert r.status == "loaded"
    # What a loader's area assignment runs next (loaders/areas.py): points against subdivided parts.
    assert_planned_on_statistics(conn, """
        SELECT q.code, min(ap.code) FROM
          (SELECT code, ST_PointOnSurface(geom) AS g FROM ref.area WHERE level = 'ward' AND vintage = 2014) q
        JOIN ref.area_part ap ON ST_Intersects(ap.geom, q.g)
        WHERE ap.level = 'borough' AND ap.vintage = 2022 GROUP BY q.code""",
        tables=("ref.area", "ref.area_part"))
    # The rest of the reference geography, and the lookups its last step builds.
    load_reference(conn, quiet=True)
    assert_planned_on_statistics(conn, """
        SELECT to_code, sum(weight) FROM ref.area_lookup
        WHERE from_level = 'ward' AND from_vintage = 2014 AND to_level = 'ward' AND to_vintage = 2018
        GROUP BY to_code""", tables=("ref.area_lookup",))
    assert_planned_on_statistics(conn, "SELECT code FROM ref.area WHERE level = 'lsoa' AND vintage = 2011",
                                 tables=("ref.area",))


def _reference_loaded(conn) -> None:
    """The steps run in file order; run alone (``-k police``), a later step first builds the reference
    geography the boundary step would have left (the synthetic police file needs the 2011 LSOAs)."""
    if not conn.execute("SELECT EXISTS (SELECT 1 FROM ref.area WHERE level = 'lsoa' AND vintage = 2011)"
                        ).fetchone()[0]:
        load_reference(conn, quiet=True)


def test_analyst_query_after_police_load(conn, tmp_path):
    _reference_loaded(conn)
    files = synth_police.write(conn, tmp_path, rows=60_000, first_month="2023-01", last_month="2024-12",
                               single_file=True)
    r = registry.get("police-uk").load(conn, files[0], LoadOptions(quiet=True, rejects_dir=tmp_path))
    assert r.status == "loaded" and r.rows_loaded > 50_000
    assert_planned_on_statistics(conn, """
        SELECT ward22_code, month, count(*) FROM crime.street_crime
        WHERE borough_code = 'E09000033' AND month >= '2023-01-01' AND month < '2025-01-01'
        GROUP BY 1, 2""", tables=("crime.street_crime",))
    assert_planned_on_statistics(conn, """
        SELECT month, count(*) FROM crime.street_crime
        WHERE crime_type = 'Violence and sexual offences' GROUP BY month""", tables=("crime.street_crime",))


def test_geocoder_after_gazetteer_load(conn, tmp_path):
    folder = SHIPPED / "gazetteer"
    # As `safestats load gazetteer A B` does: each file its own transaction, one rebuild at the end.
    done = list(load_each(conn, gazetteer.SOURCE, [folder / "codepoint_open_2018_london.csv.gz",
                                                   folder / "tfl_bus_stops.csv.gz"],
                          LoadOptions(quiet=True, rejects_dir=tmp_path)))
    assert [r.status for _, r in done] == ["loaded", "loaded"]
    # No file rebuilt on its own (a per-file rebuild records its counts with the load) …
    assert conn.execute("SELECT count(*) FROM safestats.load WHERE source = 'gazetteer' "
                        "AND details ? 'rebuild'").fetchone()[0] == 0
    # … and the one rebuild after the last file holds both files' features.
    kinds = dict(conn.execute("SELECT kind, count(*) FROM gazetteer.feature GROUP BY kind").fetchall())
    assert kinds.get("sector", 0) > 100 and kinds.get("landmark", 0) > 0, kinds
    assert_planned_on_statistics(conn, "SELECT * FROM gazetteer.postcode WHERE district = 'SE1'",
                                 tables=("gazetteer.postcode",))
    assert_planned_on_statistics(conn, "SELECT * FROM gazetteer.source_feature WHERE kind = 'bus_stop'",
                                 tables=("gazetteer.source_feature",))
    assert_planned_on_statistics(conn, """
        SELECT f.name, f.kind FROM gazetteer.feature_word w JOIN gazetteer.feature f USING (feature_id)
        WHERE w.word = 'road'""", tables=("gazetteer.feature_word", "gazetteer.feature"))
    assert conn.execute("SELECT count(*) FROM safestats.geocode('SE1 7PB')").fetchone()[0] >= 1


def test_comparator_build_after_ward_profiles_load(conn, tmp_path):
    r = load_csv(conn, ward_profiles.SOURCE, SHIPPED / "landscape" / "ward-profiles-excel-version.csv.gz",
                 LoadOptions(quiet=True, rejects_dir=tmp_path))
    assert r.status == "loaded"
    codes = comparator.default_indicators(conn, "ward", 2011)
    assert len(codes) > 20
    # The comparator's first query (comparator.fetch_matrix): the one that took 79 s unanalysed.
    assert_planned_on_statistics(conn, """
        WITH per AS (SELECT DISTINCT ON (indicator_code) indicator_code, period FROM landscape.indicator_value
                     WHERE level = 'ward' AND vintage = 2011 AND indicator_code = ANY(%s)
                     ORDER BY indicator_code, period_start DESC, period DESC)
        SELECT v.area_code, v.indicator_code, per.period, v.value
        FROM landscape.indicator_value v JOIN per USING (indicator_code, period)
        WHERE v.level = 'ward' AND v.vintage = 2011""", (codes,), tables=("landscape.indicator_value",))
    run = comparator.build(conn, comparator.BuildParams(label="stats"), quiet=True)
    assert_planned_on_statistics(conn, "SELECT * FROM comparator.similar_area WHERE rank <= 5",
                                 tables=("comparator.similar_area",))
    assert run["areas"] > 500


def test_crime_rates_after_loads(conn, tmp_path):
    pop = config.SHARED_DATA_DIR / "datastore" / "london-mid2020-pop.csv"
    if not pop.exists():
        pytest.skip(f"{pop} is absent (the shared open data folder)")
    quiet = LoadOptions(quiet=True, rejects_dir=tmp_path)
    assert registry.get("lsoa-population").load(conn, pop, quiet).status == "loaded"
    ward_file = sorted((SHIPPED / "loaders").glob("mps_ward_level_crime_*.csv.gz"))[0]
    assert registry.get("mps-ward").load(conn, ward_file, quiet).status == "loaded"
    assert_planned_on_statistics(conn, """
        SELECT ward_code, sum(count) FROM crime.mps_ward_month WHERE major_category = 'Burglary'
        GROUP BY ward_code""", tables=("crime.mps_ward_month",))
    assert conn.execute("SELECT safestats_internal.build_crime_rate_indicators()").fetchone()[0] > 0
    assert_planned_on_statistics(conn, """
        SELECT area_code, value FROM landscape.indicator_value
        WHERE indicator_code = 'crime_rate_total' AND level = 'ward' AND vintage = 2022""",
                                 tables=("landscape.indicator_value",))


def test_db_check_calls_autovacuum_off_a_problem(url, monkeypatch, capsys):
    """(This module's server has autovacuum off.) `safestats db check` says so and exits 1."""
    from safestats.cli import main
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "check"]) == 1
    out = capsys.readouterr().out
    assert "problem: autovacuum = off\n  turn it on" in out
