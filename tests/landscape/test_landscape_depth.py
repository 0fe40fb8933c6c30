"""London Landscape in depth (issue 17) on the compact shipped data: catalogue counts, reloads,
boundary moves, series and trends, area profiles computed by hand, ward contributions summing to
the borough's difference, and rank correlations checked against scipy."""

from __future__ import annotations

import csv
import gzip
import math
from collections import defaultdict
from datetime import date

import pytest
from scipy import stats

from safestats import config, db, landscape

pytestmark = pytest.mark.slow

SHIPPED = config.SHIPPED_DATA_DIR / "landscape"
THEMES = {
    "Emergency Services",
    "Education & Qualifications",
    "Ethnicity & Origin",
    "Financial & Economic",
    "Health",
    "Population",
    "Transport",
    "Crime",
    "Public Confidence",
}
LEWISHAM = "E09000023"
WARDS = ["E05013714", "E05013725", "E05013730"]  # Bellingham, Ladywell, Rushey Green (2022)
PEERS = {
    "E05013714": ["E05013720", "E05013723", "E05013721", "E05013722", "E05013717"],
    "E05013725": ["E05013716", "E05013718", "E05013719", "E05013727", "E05013728"],
    "E05013730": ["E05013724", "E05013726", "E05013729", "E05013731", "E05013732"],
}
VIOLENCE = "mps_ward_violence_against_the_person"


@pytest.fixture(scope="module")
def loaded(db_url):
    with db.connect(db_url) as conn:
        first = landscape.load_more(conn)
        demo = landscape.load_demo_data(conn)  # ward profiles + survey (Public Confidence)
        run = conn.execute(
            "INSERT INTO comparator.run (label, level, vintage, k, transform, cluster_method, n_groups, "
            "n_areas) "
            "VALUES ('hand-made peers', 'ward', 2022, 5, 'none', 'none', 1, 684) RETURNING run_id"
        ).fetchone()[0]
        for area, peers in PEERS.items():
            for rank, p in enumerate(peers, start=1):
                conn.execute(
                    "INSERT INTO comparator.similar_area (run_id, area_code, rank, similar_code, distance) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    (run, area, rank, p, rank / 10),
                )
    return {"first": first, "demo": demo, "run": run}


# ---- 1. the shipped data, counted without a database ------------------------------------------


def _shipped():
    with open(SHIPPED / "landscape_more_catalogue.csv", newline="", encoding="utf-8") as f:
        cat = {r["indicator_code"]: r for r in csv.DictReader(f)}
    years = defaultdict(set)
    proj = defaultdict(set)
    with gzip.open(SHIPPED / "landscape_more.csv.gz", "rt", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            (years if r["value_status"] == "observed" else proj)[r["indicator_code"]].add(
                int(r["period_start"][:4])
            )
    return cat, years, proj


def test_shipped_catalogue_has_150_indicators_ten_years_and_long_projections():
    cat, years, proj = _shipped()
    assert len(cat) >= 150
    assert set(cat) == set(years) | set(proj)  # every catalogued indicator has values
    themes = {r["theme"] for r in cat.values()}
    assert THEMES - {"Public Confidence"} <= themes  # Public Confidence: the shipped MOPAC survey
    ten = [c for c, ys in years.items() if len(ys) >= 10]
    assert len(ten) >= 20, ten
    # Projections at least 20 years beyond the last observed year, where the data publishes them.
    ahead = {c: max(ys) - max(years[c]) for c, ys in proj.items() if years.get(c)}
    assert ahead["gla_population"] >= 20 and ahead["atlas_population_estimates"] >= 20
    assert max(proj["gla_population"]) == 2050
    for r in cat.values():
        assert r["licence"] and r["source"] and r["attribution"] and r["unit"]
        assert r["direction"] in ("higher is better", "higher is worse", "neutral")
        assert "ambulance" not in r["source"].lower() or r["indicator_code"].startswith("atlas_")


def test_loaded_catalogue_covers_every_theme(loaded, conn):
    assert loaded["first"].status in ("loaded", "unchanged")
    got = dict(
        conn.execute("SELECT theme, count(*) FROM safestats.indicator_catalogue GROUP BY 1").fetchall()
    )
    assert set(got) >= THEMES, got
    assert sum(got.values()) >= 150
    n10 = conn.execute(
        "SELECT count(*) FROM safestats.indicator_catalogue WHERE observed_years >= 10"
    ).fetchone()[0]
    assert n10 >= 20
    horizon = conn.execute(
        "SELECT projected_years_ahead FROM safestats.indicator_catalogue "
        "WHERE indicator_code = 'gla_population'"
    ).fetchone()[0]
    assert horizon >= 20


# ---- 2. reloads, moves and the published-wins rule ----------------------------------------------


def _fingerprint(conn):
    return conn.execute(
        "SELECT count(*), round(sum(value)::numeric, 3), count(*) FILTER (WHERE method <> 'published') "
        "FROM landscape.indicator_value WHERE load_id IS NULL OR load_id IS NOT NULL"
    ).fetchone()


def test_reload_is_unchanged_and_forced_reload_changes_nothing(loaded, conn):
    before = _fingerprint(conn)
    again = landscape.load_more(conn)
    assert again.status == "unchanged"
    forced = landscape.load_more(conn, force=True)
    assert forced.status == "loaded"
    assert _fingerprint(conn) == before


def test_published_values_are_never_replaced_by_derived_ones(loaded, conn):
    # 2022-ward crime is published for 2022, 2024, 2025; 2021 comes from 2018 wards (derived).
    got = dict(
        conn.execute(
            "SELECT period, array_agg(DISTINCT method) FROM landscape.indicator_value "
            "WHERE indicator_code = 'mps_ward_all_crime' AND level = 'ward' AND vintage = 2022 "
            "GROUP BY 1"
        ).fetchall()
    )
    assert got["2022"] == ["published"] and got["2025"] == ["published"]
    assert got["2021"] == ["area-weighted from ward 2018 (apportioned count)"]
    # GLA borough population is published: the ward -> borough move adds nothing there.
    n = conn.execute(
        "SELECT count(*) FROM landscape.indicator_value WHERE indicator_code = 'gla_population' "
        "AND level = 'borough' AND method <> 'published'"
    ).fetchone()[0]
    assert n == 0


def test_counts_are_conserved_onto_2022_wards(loaded, conn):
    lsoa, ward = conn.execute("""
        SELECT sum(value) FILTER (WHERE level = 'lsoa'), sum(value) FILTER (WHERE level = 'ward')
        FROM landscape.indicator_value WHERE indicator_code = 'c21_residents'""").fetchone()
    assert ward == pytest.approx(lsoa, rel=1e-9)
    # Cycling to work 2011 (2011 wards): the 54 re-warded wards of Hackney, Kensington and Chelsea and
    # Tower Hamlets have no polygon, so their share stays at ward 2011 only; the rest is conserved.
    src, moved = conn.execute("""
        SELECT sum(v.value) FILTER (WHERE v.level = 'ward' AND v.vintage = 2011
                                      AND EXISTS (SELECT 1 FROM ref.area a WHERE a.level = 'ward'
                                                  AND a.vintage = 2011 AND a.code = v.area_code)),
               sum(v.value) FILTER (WHERE v.level = 'ward' AND v.vintage = 2022)
        FROM landscape.indicator_value v
        WHERE v.indicator_code = 'census_cycle_to_work' AND v.period = '2011'""").fetchone()
    assert moved == pytest.approx(src, rel=1e-6)
    share = conn.execute(
        "SELECT ward_2022_apportioned_share FROM safestats.indicator_catalogue "
        "WHERE indicator_code = 'census_cycle_to_work'"
    ).fetchone()[0]
    assert share == 1.0


# ---- 3. series and trends -------------------------------------------------------------------------


def test_series_puts_observed_then_projected_on_one_axis(loaded, conn):
    rows = conn.execute(
        "SELECT period_start, value_status FROM safestats.indicator_series('gla_population', %s, 'borough')",
        (LEWISHAM,),
    ).fetchall()
    starts = [r[0] for r in rows]
    assert starts == sorted(starts) and starts[0] == date(1999, 1, 1) and starts[-1] == date(2050, 1, 1)
    statuses = [r[1] for r in rows]
    first_proj = statuses.index("projected")
    assert set(statuses[:first_proj]) == {"observed"} and set(statuses[first_proj:]) == {"projected"}


def test_trend_matches_scipy(loaded, conn):
    rows = conn.execute(
        "SELECT * FROM safestats.indicator_trend('hhi_median', 'lsoa', 2011, 2005, 2012) "
        "WHERE area_code IN ('E01000001', 'E01003189', 'E01033574')"
    ).fetchall()
    assert len(rows) == 3
    for r in rows:
        pts = conn.execute(
            "SELECT extract(year FROM period_start)::float8 + (extract(doy FROM period_start) - 1) "
            "/ 365.25, value FROM landscape.indicator_value WHERE indicator_code = 'hhi_median' "
            "AND level = 'lsoa' AND vintage = 2011 AND area_code = %s "
            "AND extract(year FROM period_start) BETWEEN 2005 AND 2012",
            (r[0],),
        ).fetchall()
        x, y = [p[0] for p in pts], [p[1] for p in pts]
        lr = stats.linregress(x, y)
        t = stats.t.ppf(0.975, len(x) - 2)
        assert r[2] == len(x) == 8
        assert r[8] == pytest.approx(lr.slope, rel=1e-9)
        assert r[9] == pytest.approx(lr.slope - t * lr.stderr, rel=1e-4)
        assert r[10] == pytest.approx(lr.slope + t * lr.stderr, rel=1e-4)
        assert r[11] == pytest.approx(stats.theilslopes(y, x).slope, rel=1e-9)
    fastest = conn.execute(
        "SELECT area_code, relative_slope FROM safestats.indicator_fastest_changing("
        "'hhi_median', 'lsoa', 2011, 2005, 2012, 5)"
    ).fetchall()
    assert len(fastest) == 5
    rel = [abs(f[1]) for f in fastest]
    assert rel == sorted(rel, reverse=True)


# ---- 4. area profile, by hand ------------------------------------------------------------------


def _pick(rows):
    today = date.today()
    return sorted(
        rows,
        key=lambda r: (
            r["value_status"] != "observed",
            r["period_start"] > today,
            abs((r["period_start"] - today).days),
            r["period"],
        ),
    )[0]


@pytest.mark.parametrize("ward", WARDS)
def test_area_profile_equals_hand_computation(loaded, conn, ward):
    run = loaded["run"]
    prof = {
        r[3]: r for r in conn.execute("SELECT * FROM safestats.area_profile(%s, %s)", (ward, run)).fetchall()
    }
    cols = [
        d.name
        for d in conn.execute("SELECT * FROM safestats.area_profile(%s, %s) LIMIT 0", (ward, run)).description
    ]
    vals = defaultdict(list)
    cur = conn.execute(
        "SELECT indicator_code, area_code, period, period_start, value, value_status "
        "FROM landscape.indicator_value WHERE level = 'ward' AND vintage = 2022"
    )
    for ind, area, per, ps, v, st in cur:
        vals[ind].append({"area": area, "period": per, "period_start": ps, "value": v, "value_status": st})
    mine = {ind: [r for r in rs if r["area"] == ward] for ind, rs in vals.items()}
    mine = {ind: _pick(rs) for ind, rs in mine.items() if rs}
    assert set(prof) == set(mine) and len(prof) > 100
    direction = dict(conn.execute("SELECT indicator_code, direction FROM landscape.indicator").fetchall())
    parent = conn.execute(
        "SELECT parent_code FROM ref.area WHERE level = 'ward' AND vintage = 2022 AND code = %s", (ward,)
    ).fetchone()[0]
    checked_peers = 0
    for ind, m in mine.items():
        got = dict(zip(cols, prof[ind]))
        same = [r["value"] for r in vals[ind] if r["period"] == m["period"]]
        n = len(same)
        mean = sum(same) / n
        sd = math.sqrt(sum((v - mean) ** 2 for v in same) / n)
        assert got["period"] == m["period"] and got["value"] == pytest.approx(m["value"])
        assert got["areas_n"] == n and got["london_mean"] == pytest.approx(mean)
        assert got["london_min"] == min(same) and got["london_max"] == max(same)
        if sd > 0:
            assert got["z_score"] == pytest.approx((m["value"] - mean) / sd, rel=1e-6, abs=1e-9)
        if n > 1:
            below = sum(1 for v in same if v < m["value"])
            assert got["london_percentile"] == pytest.approx(100 * below / (n - 1))
        peers = [r["value"] for r in vals[ind] if r["area"] in PEERS[ward] and r["period"] == m["period"]]
        assert got["peers_n"] == len(peers)
        if peers:
            checked_peers += 1
            pm = sum(peers) / len(peers)
            assert got["peers_mean"] == pytest.approx(pm)
            assert got["peers_min"] == min(peers) and got["peers_max"] == max(peers)
            d = direction[ind]
            if d == "neutral" or m["value"] == pm:
                assert got["vs_peers"] in ("higher than peers", "lower than peers", "same as peers")
            else:
                better = (m["value"] > pm) == (d == "higher is better")
                assert got["vs_peers"] == ("better than peers" if better else "worse than peers")
            assert got["significant"] is None  # no intervals are published for these
        else:
            assert got["peers_mean"] is None and got["vs_peers"] == "no peers"
        bor = conn.execute(
            "SELECT value FROM landscape.indicator_value WHERE indicator_code = %s AND level = 'borough' "
            "AND area_code = %s AND period = %s ORDER BY vintage DESC LIMIT 1",
            (ind, parent, m["period"]),
        ).fetchone()
        assert got["borough_code"] == parent
        assert got["borough_value"] == (pytest.approx(bor[0]) if bor else None)
    assert checked_peers > 100


def test_area_profile_significance_uses_intervals(loaded, conn):
    """With published intervals the gap is tested against them (toy values on one indicator)."""
    run = loaded["run"]
    ward, peers = "E05013714", PEERS["E05013714"]
    conn.execute(
        "INSERT INTO landscape.indicator (indicator_code, name, theme, unit, direction, source, licence, "
        "level) VALUES ('t_ci', 't_ci', 'Health', 'percent', 'higher is better', 'test', 'test', 'ward') "
        "ON CONFLICT DO NOTHING"
    )
    rows = [(ward, 60.0, 58.0, 62.0)] + [(p, 50.0, 48.0, 52.0) for p in peers]
    for a, v, lo, hi in rows:
        conn.execute(
            "INSERT INTO landscape.indicator_value (indicator_code, level, vintage, area_code, period, "
            "period_start, value, lower, upper) VALUES ('t_ci', 'ward', 2022, %s, '2020', '2020-01-01', "
            "%s, %s, %s) ON CONFLICT DO NOTHING",
            (a, v, lo, hi),
        )
    try:
        r = conn.execute(
            "SELECT vs_peers, significant, significance_basis, peers_mean FROM "
            "safestats.area_profile(%s, %s) WHERE indicator_code = 't_ci'",
            (ward, run),
        ).fetchone()
        assert r[0] == "better than peers" and r[1] is True and r[3] == 50.0
        assert "intervals" in r[2]
    finally:
        conn.execute("DELETE FROM landscape.indicator WHERE indicator_code = 't_ci'")


# ---- 5. drivers -------------------------------------------------------------------------------


@pytest.mark.parametrize("metric", [VIOLENCE, "iod25_violence_with_injury_rate_per_1_000_at_risk_popula"])
def test_ward_contributions_sum_to_the_boroughs_difference(loaded, conn, metric):
    rows = conn.execute(
        "SELECT area_code, value, weight, borough_value, london_value, borough_difference, "
        "contribution, metric_kind FROM safestats.borough_ward_contributions(%s, %s)",
        (LEWISHAM, metric),
    ).fetchall()
    assert len(rows) == 19  # Lewisham's 2022 wards
    diff = rows[0][5]
    assert sum(r[6] for r in rows) == pytest.approx(diff, rel=1e-9, abs=1e-9)
    assert diff == pytest.approx(rows[0][3] - rows[0][4])
    # by hand: London over every ward holding both the metric and the population weight
    per = conn.execute(
        "SELECT period FROM safestats.borough_ward_contributions(%s, %s) LIMIT 1", (LEWISHAM, metric)
    ).fetchone()[0]
    allw = conn.execute(
        """
        SELECT m.value, w.value, a.parent_code FROM landscape.indicator_value m
        JOIN landscape.indicator_value w ON w.indicator_code = 'c21_residents' AND w.level = 'ward'
             AND w.vintage = 2022 AND w.area_code = m.area_code AND w.period = '2021'
        JOIN ref.area a ON a.level = 'ward' AND a.vintage = 2022 AND a.code = m.area_code
        WHERE m.indicator_code = %s AND m.level = 'ward' AND m.vintage = 2022 AND m.period = %s""",
        (metric, per),
    ).fetchall()
    if rows[0][7].startswith("count"):
        rate = sum(v for v, w, _ in allw) / sum(w for _, w, _ in allw)
        bor = [(v, w) for v, w, p in allw if p == LEWISHAM]
        assert diff == pytest.approx(sum(v for v, _ in bor) - rate * sum(w for _, w in bor))
    else:
        lon = sum(v * w for v, w, _ in allw) / sum(w for _, w, _ in allw)
        assert rows[0][4] == pytest.approx(lon)


def _bh(ps):
    m = len(ps)
    order = sorted(range(m), key=lambda i: ps[i])
    q = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, ps[i] * m / rank)
        q[i] = running
    return q


def test_associations_match_scipy_spearman_and_bh(loaded, conn):
    res = conn.execute(
        "SELECT indicator_code, period, n, rho, p_value, q_value, rho_lower, rho_upper "
        "FROM safestats.indicator_associations(%s)",
        (VIOLENCE,),
    ).fetchall()
    assert len(res) > 100
    pop = dict(
        conn.execute(
            "SELECT area_code, value FROM landscape.indicator_value WHERE indicator_code = "
            "'c21_residents' AND level = 'ward' AND vintage = 2022"
        ).fetchall()
    )
    additive = dict(conn.execute("SELECT indicator_code, additive FROM landscape.indicator").fetchall())

    def values(code, period):
        rows = conn.execute(
            "SELECT area_code, value FROM landscape.indicator_value WHERE indicator_code = %s "
            "AND level = 'ward' AND vintage = 2022 AND period = %s",
            (code, period),
        ).fetchall()
        if additive[code]:
            return {a: 1000 * v / pop[a] for a, v in rows if a in pop}
        return dict(rows)

    y = values(VIOLENCE, "2025")
    picks = [
        r for r in res if r[0] in ("iod_imd_score", "c21_residents", "hhi_median", "gla_population_density")
    ]
    picks += [res[len(res) // 2], res[-1]]
    for code, period, n, rho, p, _q, lo, hi in picks:
        x = values(code, period)
        common = sorted(set(x) & set(y))
        s = stats.spearmanr([x[a] for a in common], [y[a] for a in common])
        assert n == len(common)
        assert rho == pytest.approx(s.statistic, abs=1e-10)
        assert p == pytest.approx(s.pvalue, rel=1e-6, abs=1e-300)
        assert lo < rho < hi
    q_py = _bh([r[4] for r in res])
    for r, q in zip(res, q_py):
        assert r[5] == pytest.approx(q, rel=1e-9, abs=1e-300)


def test_t_pvalue_matches_scipy(conn):
    for t, df in ((0.3, 5), (2.1, 12), (-4.0, 30), (8.5, 600), (1.0, 1)):
        got = conn.execute("SELECT safestats_internal.landscape_t_pvalue(%s, %s)", (t, df)).fetchone()[0]
        assert got == pytest.approx(2 * stats.t.sf(abs(t), df), rel=1e-9)


# ---- CLI ------------------------------------------------------------------------------------------


def test_cli_profile_trend_drivers_catalogue(loaded, run_cli):
    code, out, _ = run_cli("landscape", "catalogue", "--theme", "Transport")
    assert code == 0 and "census_cycle_to_work_pct" in out
    code, out, _ = run_cli("landscape", "profile", "E05013725", "--run", loaded["run"], "--theme", "Crime")
    assert code == 0 and "mps_ward_violence_against_the_person" in out and "than peers" in out
    code, out, _ = run_cli(
        "landscape",
        "trend",
        "hhi_median",
        "--level",
        "lsoa",
        "--vintage",
        "2011",
        "--from-year",
        "2005",
        "--to-year",
        "2012",
        "--top",
        "3",
    )
    assert code == 0 and "improving" in out
    code, out, _ = run_cli("landscape", "drivers", LEWISHAM, VIOLENCE, "--top", "5")
    assert code == 0 and "E05013725" in out and "association, not cause" in out
