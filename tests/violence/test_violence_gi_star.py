"""Getis-Ord Gi* with Benjamini-Hochberg false discovery rate (db/functions/500, 510): a planted
cluster is found, a surface without pattern gives no significant cell (over many random draws, the
share of draws with any false positive stays within the rate), and the values equal an independent
numpy implementation on a real police.uk month (and PySAL's esda when it is installed)."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from safestats import config

CITY = "E09000001"
MONTH_FILE = config.SHIPPED_DATA_DIR / "loaders" / "2024-10-city-of-london-street.csv.gz"


def gi_grid(conn, cells: dict, band=1.5, fdr=0.05):
    """safestats.violence_gi_star_grid on {(ix, iy): value}; returns {(ix, iy): row}."""
    keys = sorted(cells)
    rows = conn.execute(
        "SELECT ix, iy, value, neighbours, local_sum, gi_z, p_value, q_value, hotspot "
        "FROM safestats.violence_gi_star_grid(%s, %s, %s::float8[], %s, %s)",
        ([k[0] for k in keys], [k[1] for k in keys], [float(cells[k]) for k in keys], band, fdr)).fetchall()
    return {(r[0], r[1]): r for r in rows}


def numpy_gi_star(keys, values, band=1.5):
    """Independent Gi*: binary weights on cells within `band` cell widths (self included)."""
    xy = np.array(keys, dtype=float)
    x = np.asarray(values, dtype=float)
    n = len(x)
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
    w = (d <= band + 1e-9).astype(float)
    wi = w.sum(1)
    li = w @ x
    m = x.mean()
    s = np.sqrt((x ** 2).mean() - m ** 2)
    z = (li - m * wi) / (s * np.sqrt((n * wi - wi ** 2) / (n - 1)))
    p = 2 * stats.norm.sf(np.abs(z))
    order = np.argsort(p, kind="stable")
    ranked = p[order] * n / np.arange(1, n + 1)
    q_sorted = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.empty(n)
    q[order] = np.minimum(q_sorted, 1)
    return wi, li, z, p, q, w


def test_planted_cluster_is_found(conn):
    rng = np.random.default_rng(18)
    cells = {(i, j): int(rng.poisson(5)) for i in range(30) for j in range(30)}
    block = {(i, j) for i in range(12, 15) for j in range(20, 23)}
    for k in block:
        cells[k] = int(rng.poisson(25))
    out = gi_grid(conn, cells)
    hot = {k for k, r in out.items() if r[8] == "hot"}
    assert (13, 21) in hot, "the centre of the planted cluster must be a hot spot"
    assert len(block & hot) >= 7
    # every hot cell is in the cluster or touches it (its 3 x 3 sum includes planted cells)
    assert all(any(abs(i - bi) <= 1 and abs(j - bj) <= 1 for bi, bj in block) for i, j in hot), hot
    assert not any(r[8] == "cold" and k in block for k, r in out.items())


def test_planted_cold_spot_is_found_on_a_busy_surface(conn):
    rng = np.random.default_rng(7)
    cells = {(i, j): int(rng.poisson(40)) for i in range(25) for j in range(25)}
    for i in range(5, 10):
        for j in range(5, 10):
            cells[(i, j)] = 0
    out = gi_grid(conn, cells)
    assert out[(7, 7)][8] == "cold"
    assert not any(r[8] == "hot" for r in out.values())


def test_uniform_surface_keeps_false_discoveries_within_the_rate(conn):
    """Under no pattern every discovery is false, so the false discovery rate is the chance of any
    significant cell: over 200 draws that share must stay within 5 % (plus Monte Carlo slack)."""
    rng = np.random.default_rng(1994)
    draws, with_any, cells_flagged = 200, 0, 0
    for _ in range(draws):
        cells = {(i, j): int(rng.poisson(12)) for i in range(20) for j in range(20)}
        out = gi_grid(conn, cells, fdr=0.05)
        flagged = sum(1 for r in out.values() if r[8] != "not significant")
        with_any += flagged > 0
        cells_flagged += flagged
    share = with_any / draws
    bound = 0.05 + 3 * np.sqrt(0.05 * 0.95 / draws)
    print(f"\nuniform surface: {with_any} of {draws} draws had a significant cell ({share:.3f}); "
          f"{cells_flagged} cells flagged of {draws * 400}")
    assert share <= bound


def test_grid_inputs_are_checked(conn):
    import psycopg
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="same length"):
        conn.execute("SELECT * FROM safestats.violence_gi_star_grid(ARRAY[1], ARRAY[1,2], ARRAY[1.0])")
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="false discovery rate"):
        conn.execute("SELECT * FROM safestats.violence_gi_star_grid(ARRAY[1], ARRAY[1], ARRAY[1.0], 1.5, 2)")
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="unknown source"):
        conn.execute("SELECT * FROM safestats.violence_hotspots('tweets', '2024-01-01', '2024-01-31')")
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="period"):
        conn.execute("SELECT * FROM safestats.violence_hotspots('street-crime', '2024-02-01', '2024-01-31')")


def test_normal_tail_is_accurate(conn):
    zs = [0.0, 0.5, 1.0, 1.959963984540054, 3.0, 5.0, 8.0, 12.0, -2.5, 40.0]
    got = conn.execute("SELECT array_agg(safestats.violence_normal_two_sided_p(z) ORDER BY o) "
                       "FROM unnest(%s::float8[]) WITH ORDINALITY u(z, o)", (zs,)).fetchone()[0]
    want = [2 * stats.norm.sf(abs(z)) for z in zs]
    for g, w in zip(got, want):
        assert g == pytest.approx(w, rel=2e-7, abs=1e-300)


@pytest.fixture(scope="module")
def city_month(db_url):
    """The shipped real police.uk month (City of London Police, October 2024), loaded."""
    import os

    from safestats import db
    from safestats.cli import main
    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = db_url
    try:
        assert main(["load", "police-uk", str(MONTH_FILE), "--quiet"]) == 0
    finally:
        if old is None:
            os.environ.pop("DATABASE_URL")
        else:
            os.environ["DATABASE_URL"] = old
    with db.connect(db_url) as c:
        n = c.execute("SELECT count(*) FROM crime.street_crime WHERE month = '2024-10-01'").fetchone()[0]
    assert n > 500
    return db_url


@pytest.mark.parametrize("crime_type,cell,band", [(None, 250, 1.5),
                                                  ("Violence and sexual offences", 200, 1.5),
                                                  (None, 150, 2.0),
                                                  ("Violence and sexual offences", 500, 1.5),
                                                  (None, 750, 1.5)])
def test_values_match_numpy_on_a_real_police_month(conn, city_month, crime_type, cell, band):
    rows = conn.execute(
        "SELECT cell_x, cell_y, records, neighbours, local_sum, gi_z, p_value, q_value, hotspot, "
        "records_used, records_excluded "
        "FROM safestats.violence_hotspots('street-crime', '2024-10-01', '2024-10-31', %s, %s, 'spread', %s, "
        "0.05, %s)", (cell, crime_type, band, [CITY])).fetchall()
    assert len(rows) > (20 if cell < 500 else 5)   # the City is 12 cells of 750 m
    keys = [(r[0], r[1]) for r in rows]
    # counts by hand from the raw points: cell = floor(coordinate / size)
    pts = conn.execute("SELECT ST_X(geom), ST_Y(geom) FROM crime.street_crime WHERE month = '2024-10-01' "
                       "AND geom IS NOT NULL AND (%s::text IS NULL OR crime_type = %s)",
                       (crime_type, crime_type)).fetchall()
    study = set(keys)
    hand = {}
    for x, y in pts:
        k = (int(np.floor(x / cell)), int(np.floor(y / cell)))
        if k in study:
            hand[k] = hand.get(k, 0) + 1
    values = [hand.get(k, 0) for k in keys]
    assert [r[2] for r in rows] == values
    total = conn.execute("SELECT count(*) FROM crime.street_crime WHERE month = '2024-10-01' "
                         "AND (%s::text IS NULL OR crime_type = %s)", (crime_type, crime_type)).fetchone()[0]
    assert rows[0][9] == sum(values) and rows[0][9] + rows[0][10] == total
    wi, li, z, p, q, w = numpy_gi_star(keys, values, band)
    np.testing.assert_array_equal([r[3] for r in rows], wi)
    np.testing.assert_allclose([r[4] for r in rows], li)
    np.testing.assert_allclose([r[5] for r in rows], z, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose([r[6] for r in rows], p, rtol=1e-6, atol=1e-15)
    np.testing.assert_allclose([r[7] for r in rows], q, rtol=1e-6, atol=1e-15)
    cls = ["hot" if qq <= 0.05 and zz > 0 else "cold" if qq <= 0.05 and zz < 0 else "not significant"
           for qq, zz in zip(q, z)]
    assert [r[8] for r in rows] == cls
    try:
        import libpysal
        from esda.getisord import G_Local
    except ImportError:
        return
    neighbours = {i: [j for j in range(len(keys)) if w[i, j] and j != i] for i in range(len(keys))}
    wts = libpysal.weights.W(neighbours, silence_warnings=True)
    g = G_Local(np.asarray(values, dtype=float), wts, transform="B", star=True, permutations=0)
    np.testing.assert_allclose(g.Zs, z, rtol=1e-6)


def test_area_hotspots_use_queen_contiguity(conn, city_month):
    rows = conn.execute("SELECT area_code, records, neighbours, gi_z, hotspot, records_unplaced "
                        "FROM safestats.violence_area_hotspots('street-crime', '2024-10-01', '2024-10-31', "
                        "'lsoa', NULL, 0.05, %s)", ([CITY],)).fetchall()
    codes = [r[0] for r in rows]
    nb = conn.execute("SELECT a.code, b.code FROM ref.area a "
                      "JOIN ref.area b ON ST_Intersects(a.geom, b.geom) "
                      "WHERE a.level = 'lsoa' AND a.vintage = 2021 AND b.level = 'lsoa' AND b.vintage = 2021 "
                      "AND a.parent_code = %s AND b.parent_code = %s", (CITY, CITY)).fetchall()
    idx = {c: i for i, c in enumerate(codes)}
    n = len(codes)
    w = np.zeros((n, n))
    for a, b in nb:
        w[idx[a], idx[b]] = 1
    hand = dict(conn.execute("SELECT lsoa21_code, count(*) FROM crime.street_crime "
                             "WHERE month = '2024-10-01' AND lsoa21_code IS NOT NULL GROUP BY 1").fetchall())
    x = np.array([hand.get(c, 0) for c in codes], dtype=float)
    assert [r[1] for r in rows] == list(x.astype(int))
    wi, li = w.sum(1), w @ x
    m, s = x.mean(), np.sqrt((x ** 2).mean() - x.mean() ** 2)
    z = (li - m * wi) / (s * np.sqrt((n * wi - wi ** 2) / (n - 1)))
    np.testing.assert_array_equal([r[2] for r in rows], wi)
    np.testing.assert_allclose([r[3] for r in rows], z, rtol=1e-9)
    outside = conn.execute("SELECT count(*) FROM crime.street_crime WHERE month = '2024-10-01' AND "
                           "(lsoa21_code IS NULL OR lsoa21_code NOT IN (SELECT unnest(%s::text[])))",
                           (codes,)).fetchone()[0]
    assert rows[0][5] == outside


def test_the_loaders_cell_counts_give_the_points_answer(conn, city_month):
    """Street crime on a grid of a multiple of 250 m is counted from the 250 m cell counts the
    police.uk loader keeps (crime.street_crime_cell); the answer is the points' answer exactly, and a
    write outside the loader makes the functions count the points again until a refresh."""
    assert conn.execute("SELECT count(*) FROM crime.street_crime_cell_month "
                        "WHERE month = '2024-10-01'").fetchone()[0] == 1, "the loader refreshed its month"
    total = conn.execute("SELECT count(*) FROM crime.street_crime WHERE month = '2024-10-01'").fetchone()[0]
    assert conn.execute("SELECT sum(records) FROM crime.street_crime_cell "
                        "WHERE month = '2024-10-01'").fetchone()[0] == total
    query = ("SELECT cell_x, cell_y, records, gi_z, q_value, hotspot, records_used, records_excluded "
             "FROM safestats.violence_hotspots('street-crime', '2024-09-01', '2024-11-30', %s, %s)")
    cases = [(250, None), (500, "Violence and sexual offences"), (1000, None), (750, "Anti-social behaviour")]
    assert conn.execute("SELECT safestats_internal.street_crime_cells_ready('2024-09-01', '2024-11-30')"
                        ).fetchone()[0] is False, "months without data have no counts: points"
    query = query.replace("'2024-09-01', '2024-11-30'", "'2024-10-01', '2024-10-31'")
    from_cells = {case: conn.execute(query, case).fetchall() for case in cases}
    assert conn.execute("SELECT safestats_internal.street_crime_cells_ready('2024-10-01', '2024-10-31')"
                        ).fetchone()[0] is True
    with conn.transaction(force_rollback=True):
        conn.execute("DELETE FROM crime.street_crime_cell_month")
        from_points = {case: conn.execute(query, case).fetchall() for case in cases}
    for case in cases:
        assert from_cells[case] == from_points[case], case
        assert sum(r[2] for r in from_cells[case]) == from_cells[case][0][6] > 0
    # a write outside the loader marks every month stale; a refresh recounts
    with conn.transaction(force_rollback=True):
        conn.execute("UPDATE crime.street_crime SET crime_type = 'Other crime' WHERE month = '2024-10-01' "
                     "AND source_line = (SELECT min(source_line) FROM crime.street_crime "
                     "WHERE month = '2024-10-01' AND geom IS NOT NULL)")
        assert conn.execute("SELECT count(*) FROM crime.street_crime_cell_month").fetchone()[0] == 0
        changed = conn.execute(query, (250, "Other crime")).fetchall()
        conn.execute("SELECT safestats_internal.street_crime_cells_refresh(ARRAY['2024-10-01'::date])")
        assert conn.execute(query, (250, "Other crime")).fetchall() == changed
    with conn.transaction(force_rollback=True):
        conn.execute("TRUNCATE crime.street_crime")
        assert conn.execute("SELECT count(*) FROM crime.street_crime_cell_month").fetchone()[0] == 0
