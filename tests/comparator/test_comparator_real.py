"""The comparator on real London data: every ward gets k neighbours, runs are reproducible, the
neighbourhood run is compared with MOPAC's own groups, the SQL API and QGIS views answer, the demo prints."""
import re

import pytest

from safestats import db
from safestats.comparator import BuildParams, build, mopac_agreement
from safestats.landscape import aggregate_to_neighbourhoods, demo_step, load_demo_data

# slow: the Landscape demo data and two comparator builds (over a minute); `make test-quick` leaves it out
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def data(db_url):
    with db.connect(db_url) as conn:
        load_demo_data(conn)
        aggregate_to_neighbourhoods(conn, 2016)
        ward = build(conn, BuildParams(level="ward", vintage=2011, label="t-ward"), quiet=True)
        nbh = build(conn, BuildParams(level="neighbourhood", vintage=2016, label="t-nbh"), quiet=True)
    return {"ward": ward, "nbh": nbh}


def test_every_ward_gets_k_neighbours_not_itself(data, conn):
    run = data["ward"]["run_id"]
    assert data["ward"]["areas"] == 624 and data["ward"]["left_out"] == []
    per_area = conn.execute("SELECT area_code, count(*), count(DISTINCT similar_code), "
                            "bool_or(similar_code = area_code) FROM comparator.similar_area "
                            "WHERE run_id = %s GROUP BY 1", (run,)).fetchall()
    assert len(per_area) == 624
    assert all(n == 15 and d == 15 and not self_ for _, n, d, self_ in per_area)
    unordered = conn.execute("SELECT count(*) FROM (SELECT distance < lag(distance) "
                             "OVER (PARTITION BY area_code ORDER BY rank) AS dec "
                             "FROM comparator.similar_area WHERE run_id = %s) x WHERE dec",
                             (run,)).fetchone()[0]
    assert unordered == 0
    groups = conn.execute("SELECT count(DISTINCT group_no), min(silhouette) >= -1, max(silhouette) <= 1 "
                          "FROM comparator.area_group WHERE run_id = %s", (run,)).fetchone()
    assert groups == (12, True, True)


def test_run_stores_parameters_and_indicators(data, conn):
    run = data["ward"]["run_id"]
    k, transform, params, n = conn.execute("SELECT k, transform, parameters, (SELECT count(*) FROM "
                                           "comparator.run_indicator WHERE run_id = r.run_id) "
                                           "FROM comparator.run r WHERE run_id = %s", (run,)).fetchone()
    assert (k, transform) == (15, "yeo-johnson") and params["n_groups"] == 12
    assert n == data["ward"]["indicators"] == len(params["indicators"]) >= 40
    assert not any(c.startswith("wp_crime") for c in params["indicators"])  # outcomes are not profiled
    lam = conn.execute("SELECT count(*) FROM comparator.run_indicator WHERE run_id = %s "
                       "AND transform = 'yeo-johnson' AND lambda IS NOT NULL AND sd > 0",
                       (run,)).fetchone()[0]
    assert lam == n


def test_same_parameters_give_the_same_run(data, conn):
    again = build(conn, BuildParams(level="ward", vintage=2011, label="t-ward-again"), quiet=True)
    diff = conn.execute("""
        SELECT count(*) FROM comparator.similar_area a JOIN comparator.similar_area b
          ON b.run_id = %s AND b.area_code = a.area_code AND b.rank = a.rank
        WHERE a.run_id = %s AND (a.similar_code <> b.similar_code OR abs(a.distance - b.distance) > 1e-9)""",
                        (again["run_id"], data["ward"]["run_id"])).fetchone()[0]
    same_groups = conn.execute("SELECT bool_and(a.group_no = b.group_no) FROM comparator.area_group a JOIN "
                               "comparator.area_group b ON b.run_id = %s AND b.area_code = a.area_code "
                               "WHERE a.run_id = %s", (again["run_id"], data["ward"]["run_id"])).fetchone()[0]
    assert diff == 0 and same_groups


def test_weights_change_the_neighbours(data, conn):
    heavy = build(conn, BuildParams(level="ward", vintage=2011, weights={"wp_pct_bame": 5.0}, label="t-w"),
                  quiet=True)
    moved = conn.execute("SELECT count(*) FROM comparator.similar_area a JOIN comparator.similar_area b "
                         "ON b.run_id = %s AND b.area_code = a.area_code AND b.rank = a.rank "
                         "WHERE a.run_id = %s AND a.similar_code <> b.similar_code",
                         (heavy["run_id"], data["ward"]["run_id"])).fetchone()[0]
    assert moved > 0
    w = conn.execute("SELECT weight FROM comparator.run_indicator "
                     "WHERE run_id = %s AND indicator_code = 'wp_pct_bame'",
                     (heavy["run_id"],)).fetchone()[0]
    assert w == 5.0


def test_neighbourhood_run_against_mopac_groups(data, conn):
    assert data["nbh"]["areas"] == 106
    a = mopac_agreement(conn, data["nbh"]["run_id"])
    assert a["n"] == 106 and -1 <= a["ari"] <= 1
    # the profiles carry real structure: far better than chance agreement with MOPAC's groups
    assert a["ari"] > 0.1
    assert all(ours != 0 and theirs != major for _, _, ours, theirs, major in a["differ"])


def test_similar_areas_sql(data, conn):
    rows = conn.execute("SELECT rank, similar_code, similar_name, distance, same_group "
                        "FROM safestats.similar_areas('KG-KB', %s)", (data["nbh"]["run_id"],)).fetchall()
    assert [r[0] for r in rows] == list(range(1, 16))
    assert all(" - " in r[2] for r in rows)              # neighbourhood names, not codes
    latest = conn.execute("SELECT DISTINCT run_id FROM safestats.similar_areas('KG-KB')").fetchall()
    assert latest == [(data["nbh"]["run_id"],)]


def test_gaps_for_every_neighbourhood_with_consistent_significance(data, conn):
    run = data["nbh"]["run_id"]
    rows = conn.execute("SELECT area_code, peers_n, value, peers_mean, gap, gap_lower, gap_upper, "
                        "significant, shortfall FROM safestats.comparator_gaps('pas_good_job', %s)",
                        (run,)).fetchall()
    assert len(rows) == 106 and all(r[1] == 15 for r in rows)
    for _, _, v, m, gap, lo, hi, sig, shortfall in rows:
        assert gap == pytest.approx(v - m) and lo < gap < hi
        assert sig == (lo > 0 or hi < 0) and shortfall == pytest.approx(-gap)
    spread = conn.execute("SELECT group_no, areas, sd, range "
                          "FROM safestats.comparator_group_spread('pas_good_job', %s)",
                          (run,)).fetchall()
    assert sum(r[1] for r in spread) == 106
    sds = [r[2] for r in spread if r[2] is not None]
    assert sds == sorted(sds, reverse=True)


def test_qgis_views_cast_geometry_and_have_unique_keys(data, conn):
    for view in ("comparator_area_map", "comparator_similar_map", "comparator_gap_map"):
        t = conn.execute("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                         "WHERE attrelid = %s::regclass AND attname = 'geom'",
                         (f"safestats.{view}",)).fetchone()[0]
        assert t == "geometry(MultiPolygon,27700)"
    run = data["nbh"]["run_id"]
    n, keys = conn.execute("SELECT count(*), count(DISTINCT feature_key) FROM safestats.comparator_area_map "
                           "WHERE run_id = %s", (run,)).fetchone()
    assert n == keys == 106
    gaps = conn.execute("SELECT count(*) FROM safestats.comparator_gap_map WHERE run_id = %s "
                        "AND metric = 'pas_good_job'", (run,)).fetchone()[0]
    assert gaps == 106
    wards = conn.execute("SELECT count(*) FROM safestats.comparator_area_map WHERE run_id = %s",
                         (data["ward"]["run_id"],)).fetchone()[0]
    assert wards == 570      # 2011 wards with a polygon (the 54 re-warded in 2014 have none)


def test_cli_build_similar_gaps_agreement(data, run_cli):
    code, out, err = run_cli("comparator", "build", "--level", "neighbourhood", "--k", "10", "--groups", "8",
                             "--method", "ward", "--transform", "log", "--label", "cli")
    assert code == 0, err
    run = int(re.search(r"run (\d+):", out).group(1))
    assert "106 areas" in out and "8 groups (ward)" in out
    code, out, _ = run_cli("comparator", "similar", "KG-KB", "--run", run)
    assert code == 0 and len([line for line in out.splitlines() if re.match(r"\s+\d+\s", line)]) == 10
    code, out, _ = run_cli("comparator", "gaps", "pas_good_job", "--run", run, "--top", "5")
    assert code == 0 and "interval_basis" in out
    code, out, _ = run_cli("comparator", "agreement", "--run", run)
    assert code == 0 and "adjusted Rand index" in out
    code, _, err = run_cli("comparator", "build", "--weight", "wp_pct_bame=lots")
    assert code == 2 and "CODE=NUMBER" in err
    code, _, err = run_cli("comparator", "build", "--indicators", "no_such_indicator")
    assert code == 2 and "no_such_indicator" in err


def test_demo_step_prints_five_areas_with_intervals(data, conn, capsys):
    demo_step(conn, quiet=True)
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if re.search(r"gap\s+[+-]\d", line)]
    assert len(lines) == 5
    for line in lines:
        lo, hi = map(float, re.search(r"\[([+-]?\s*[\d.]+),\s*([+-]?\s*[\d.]+)\]", line).groups())
        gap = float(re.search(r"gap\s+([+-]\s*[\d.]+)", line).group(1).replace(" ", ""))
        assert lo < gap < hi
