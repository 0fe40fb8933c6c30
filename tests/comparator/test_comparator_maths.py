"""Comparator maths on small hand-computed cases: z-scores, transforms, distances, clustering, and
the gap intervals computed in SQL by safestats.comparator_gaps()."""
import math

import numpy as np
import pytest

from safestats import comparator as c


def test_zscores_population_sd_and_median_imputation():
    X = np.array([[1.0, 10.0], [2.0, np.nan], [3.0, 30.0], [4.0, 40.0]])
    Z, mean, sd, imputed = c.standardise(X)
    # column 1: mean 2.5, population sd sqrt(1.25)
    s = math.sqrt(1.25)
    assert Z[:, 0] == pytest.approx([-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s])
    assert mean[0] == pytest.approx(2.5) and sd[0] == pytest.approx(s)
    # column 2: the gap takes the median of 10, 30, 40 = 30 -> values 10, 30, 30, 40
    assert imputed.tolist() == [0, 1]
    m2, s2 = 27.5, math.sqrt(((10 - 27.5) ** 2 + 2 * (30 - 27.5) ** 2 + (40 - 27.5) ** 2) / 4)
    assert Z[1, 1] == pytest.approx((30 - m2) / s2)


def test_constant_column_gives_zero_not_nan():
    Z, _, sd, _ = c.standardise(np.array([[5.0, 1.0], [5.0, 2.0], [5.0, 3.0]]))
    assert sd[0] == 0 and (Z[:, 0] == 0).all() and not np.isnan(Z).any()


def test_nearest_excludes_self_and_orders_by_euclidean_distance():
    P = np.array([[0.0, 0.0], [3.0, 4.0], [1.0, 0.0], [0.0, 2.0]])
    idx, dist = c.nearest(P, 3)
    assert idx[0].tolist() == [2, 3, 1]
    assert dist[0] == pytest.approx([1.0, 2.0, 5.0])
    # from (3,4): (0,2) at sqrt(13), (1,0) at sqrt(20), (0,0) at 5
    assert idx[1].tolist() == [3, 2, 0]
    assert dist[1] == pytest.approx([math.sqrt(13), math.sqrt(20), 5.0])
    for i in range(4):
        assert i not in idx[i]


def test_nearest_with_duplicates_still_excludes_self():
    P = np.array([[1.0, 1.0], [1.0, 1.0], [4.0, 5.0]])
    idx, dist = c.nearest(P, 1)
    assert idx[:, 0].tolist() == [1, 0, 0]
    assert dist[0, 0] == 0 and dist[2, 0] == pytest.approx(5.0)


def test_nearest_refuses_k_not_below_areas():
    with pytest.raises(ValueError, match="needs more than"):
        c.nearest(np.zeros((3, 2)), 3)


def test_weights_scale_the_distance_contribution():
    # Two indicators; doubling the weight of the second makes the point that differs on it farther.
    Z = np.array([[0.0, 0.0], [1.5, 0.0], [0.0, 1.0]])
    idx, _ = c.nearest(Z, 1)
    assert idx[0, 0] == 2                     # (0,1) at 1 beats (1.5,0) at 1.5
    idx_w, dist_w = c.nearest(Z * np.array([1.0, 2.0]), 1)
    assert idx_w[0, 0] == 1 and dist_w[0, 0] == pytest.approx(1.5)   # (0,2) at 2 now loses


def test_log_transform_only_for_skewed_non_negative_columns():
    X = np.array([[1.0, -1.0], [1.0, 0.0], [1.0, 1.0], [1.0, 2.0], [100.0, 3.0]])
    Xt, info = c.transform(X, "log")
    assert info[0]["transform"] == "log1p" and Xt[:, 0] == pytest.approx(np.log1p(X[:, 0]))
    assert info[1]["transform"] == "none" and (Xt[:, 1] == X[:, 1]).all()


def test_yeo_johnson_reduces_skew_and_records_lambda():
    rng = np.random.default_rng(1)
    x = rng.lognormal(0, 1, 300)
    Xt, info = c.transform(np.c_[x, np.full(300, 2.0)], "yeo-johnson")

    def skew(v):
        return float(((v - v.mean()) ** 3).mean() / v.std() ** 3)
    assert skew(x) > 2 and abs(skew(Xt[:, 0])) < 0.5
    assert info[0]["transform"] == "yeo-johnson" and info[0]["lambda"] < 1
    assert info[1] == {"transform": "none"}        # constant column left alone


def test_transform_keeps_missing_values_missing():
    X = np.array([[1.0], [np.nan], [3.0], [10.0]])
    Xt, _ = c.transform(X, "yeo-johnson")
    assert np.isnan(Xt[1, 0]) and not np.isnan(Xt[[0, 2, 3], 0]).any()


@pytest.mark.parametrize("method", ["kmeans", "ward"])
def test_clustering_finds_separated_groups(method):
    rng = np.random.default_rng(7)
    a = rng.normal(0, 0.1, (30, 3))
    b = rng.normal(5, 0.1, (20, 3))
    labels, sil, mean_sil = c.cluster(np.vstack([a, b]), 2, method, 0)
    assert set(labels[:30]) == {1} and set(labels[30:]) == {2}     # group 1 = the larger
    assert mean_sil > 0.9 and sil.shape == (50,)


# --------------------------------------------------------------------------- SQL gap intervals
def _hand_run(conn, metric, unit, values, direction="higher is better"):
    """A run over four made-up areas A..D where A's peers are B and C. values: code -> (value, n)."""
    conn.execute("INSERT INTO landscape.indicator (indicator_code, name, theme, unit, direction, source, "
                 "licence, level) VALUES (%s, %s, 'Public Confidence', %s, %s, 'test', 'test', 'test') "
                 "ON CONFLICT DO NOTHING",
                 (metric, metric, unit, direction))
    for code, (v, n) in values.items():
        conn.execute("INSERT INTO landscape.indicator_value (indicator_code, level, vintage, area_code, "
                     "period, period_start, value, sample_size) "
                     "VALUES (%s, 'test', 1, %s, '2016', '2016-01-01', %s, %s)",
                     (metric, code, v, n))
    run = conn.execute("INSERT INTO comparator.run (level, vintage, k, transform, cluster_method, n_groups, "
                       "n_areas) VALUES ('test', 1, 2, 'none', 'kmeans', 1, 4) "
                       "RETURNING run_id").fetchone()[0]
    for area, peers in {"A": ["B", "C"], "B": ["A", "C"], "C": ["B", "D"], "D": ["C", "B"]}.items():
        for r, p in enumerate(peers, 1):
            conn.execute("INSERT INTO comparator.similar_area VALUES (%s, %s, %s, %s, %s)",
                         (run, area, r, p, r))
    return run


def test_gap_interval_with_sample_sizes(conn):
    run = _hand_run(conn, "t_pct_n", "percent",
                    {"A": (50, 100), "B": (60, 100), "C": (70, 100), "D": (65, 100)})
    g = conn.execute("SELECT value, peers_mean, peers_sd, gap, gap_lower, gap_upper, z_score, significant, "
                     "shortfall, interval_basis, peers_n FROM safestats.comparator_gaps('t_pct_n', %s) "
                     "WHERE area_code = 'A'", (run,)).fetchone()
    se_a = 100 * math.sqrt(0.5 * 0.5 / 100)
    se_mean = math.sqrt((100 * math.sqrt(0.6 * 0.4 / 100)) ** 2 + (100 * math.sqrt(0.7 * 0.3 / 100)) ** 2) / 2
    se_gap = math.sqrt(se_a ** 2 + se_mean ** 2)
    value, mean, sd, gap, lo, hi, z, sig, shortfall, basis, m = g
    assert (value, mean, gap, m) == (50, 65, -15, 2)
    assert sd == pytest.approx(math.sqrt(50))
    assert lo == pytest.approx(-15 - 1.96 * se_gap) and hi == pytest.approx(-15 + 1.96 * se_gap)
    assert lo == pytest.approx(-26.801, abs=1e-3)
    assert z == pytest.approx(-15 / math.sqrt(50))
    assert sig is True and shortfall == 15 and basis == "binomial, published sample size"


def test_gap_interval_assumes_n_when_none_published(conn):
    run = _hand_run(conn, "t_pct_no_n", "percent",
                    {"A": (60, None), "B": (62, None), "C": (64, None), "D": (63, None)})
    rows = {r[0]: r[1:] for r in conn.execute(
        "SELECT area_code, gap, gap_lower, gap_upper, significant, interval_basis "
        "FROM safestats.comparator_gaps('t_pct_no_n', %s, NULL, 400)", (run,)).fetchall()}
    gap, lo, hi, sig, basis = rows["A"]
    se_a = 100 * math.sqrt(0.6 * 0.4 / 400)
    se_mean = math.sqrt((100 * math.sqrt(.62 * .38 / 400)) ** 2 + (100 * math.sqrt(.64 * .36 / 400)) ** 2) / 2
    half = 1.96 * math.sqrt(se_a ** 2 + se_mean ** 2)
    assert gap == pytest.approx(-3) and lo == pytest.approx(-3 - half) and hi == pytest.approx(-3 + half)
    assert sig is False and basis == "binomial, assumed n = 400 respondents"


def test_gap_direction_higher_is_worse(conn):
    run = _hand_run(conn, "t_rate", "rate per 1,000 residents",
                    {"A": (30, 900), "B": (10, 100), "C": (10, 100), "D": (10, 100)}, "higher is worse")
    gap, lo, hi, shortfall, basis = conn.execute(
        "SELECT gap, gap_lower, gap_upper, shortfall, interval_basis "
        "FROM safestats.comparator_gaps('t_rate', %s) WHERE area_code = 'A'", (run,)).fetchone()
    # Poisson: se = rate / sqrt(count): A 30/30 = 1, peers 10/10 = 1 each -> se_mean = sqrt(2)/2
    half = 1.96 * math.sqrt(1 + 0.5)
    assert gap == 20 and shortfall == 20 and basis == "Poisson count"
    assert lo == pytest.approx(20 - half) and hi == pytest.approx(20 + half)
