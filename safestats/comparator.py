"""Neighbourhood Comparator: most similar areas and most similar groups (scikit-learn).

A run takes indicators of one area level and vintage (wards, MPS neighbourhoods), transforms skewed
ones (Yeo-Johnson by default, or log), imputes the few missing values with the indicator's median,
standardises to z-scores, multiplies each by its weight, and then

* finds for every area its k nearest areas by Euclidean distance on the weighted z-scores (itself
  excluded; "A is among B's peers" does not imply the converse), and
* clusters all areas into groups (k-means or Ward's hierarchical), with silhouette widths.

Every parameter, the indicator list with periods, transform parameters and standardisation constants
are stored with the run (``comparator.run`` / ``run_indicator``), so a run can be repeated and two
runs compared. The maths lives in small pure functions (:func:`transform`, :func:`standardise`,
:func:`nearest`, :func:`cluster`) that the tests check on hand-computed cases.
"""
from __future__ import annotations

import json
import platform
import time
from dataclasses import asdict, dataclass, field

import numpy as np

from .output import Table, fetch_table

DEFAULT_K = 15
DEFAULT_GROUPS = 12


@dataclass
class BuildParams:
    level: str = "ward"
    vintage: int = 2011
    indicators: list[str] | str = "default"
    k: int = DEFAULT_K
    transform: str = "yeo-johnson"          # yeo-johnson | log | none
    weights: dict[str, float] = field(default_factory=dict)
    n_groups: int = DEFAULT_GROUPS
    cluster_method: str = "kmeans"          # kmeans | ward
    random_state: int = 42
    max_missing: float = 0.2                # areas missing more than this share of indicators are left out
    label: str | None = None


# --------------------------------------------------------------------------- the maths
def transform(X: np.ndarray, method: str) -> tuple[np.ndarray, list[dict]]:
    """Column-wise transform of skewed indicators; NaN stays NaN. Returns (X', per-column info)."""
    X = np.asarray(X, dtype=float)
    out = X.copy()
    info: list[dict] = []
    if method == "none":
        return out, [{"transform": "none"} for _ in range(X.shape[1])]
    if method == "yeo-johnson":
        from sklearn.preprocessing import PowerTransformer
        # One fit for all usable columns (NaN are ignored by the fit and kept by the transform).
        usable = [j for j in range(X.shape[1])
                  if (~np.isnan(X[:, j])).sum() >= 3 and np.nanstd(X[:, j]) > 0]
        lambdas = {}
        if usable:
            pt = PowerTransformer(method="yeo-johnson", standardize=False)
            out[:, usable] = pt.fit_transform(X[:, usable])
            lambdas = dict(zip(usable, pt.lambdas_))
        info = [{"transform": "yeo-johnson", "lambda": float(lambdas[j])} if j in lambdas
                else {"transform": "none"} for j in range(X.shape[1])]
        return out, info
    if method == "log":
        for j in range(X.shape[1]):
            col = X[:, j]
            ok = ~np.isnan(col)
            c = col[ok]
            skew = float(((c - c.mean()) ** 3).mean() / (c.std() ** 3)) if c.std() > 0 else 0.0
            if c.size and c.min() >= 0 and skew > 1:
                out[ok, j] = np.log1p(c)
                info.append({"transform": "log1p", "skew": skew})
            else:
                info.append({"transform": "none", "skew": skew})
        return out, info
    raise ValueError(f"unknown transform {method!r} (yeo-johnson, log or none)")


def standardise(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Median-impute NaN, then z-scores (population sd, ddof=0). Returns (Z, mean, sd, imputed per column).
    A constant column gets z = 0 (it cannot tell areas apart)."""
    X = np.asarray(X, dtype=float).copy()
    imputed = np.isnan(X).sum(axis=0)
    med = np.nanmedian(X, axis=0)
    rows, cols = np.where(np.isnan(X))
    X[rows, cols] = med[cols]
    mean = X.mean(axis=0)
    sd = X.std(axis=0)
    Z = np.divide(X - mean, sd, out=np.zeros_like(X), where=sd > 0)
    return Z, mean, sd, imputed


def nearest(Zw: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """For each row, the indices and Euclidean distances of its k nearest *other* rows, nearest first."""
    from sklearn.neighbors import NearestNeighbors
    n = Zw.shape[0]
    if k >= n:
        raise ValueError(f"k = {k} needs more than {k} areas; this run has {n}")
    nn = NearestNeighbors(n_neighbors=k + 1, metric="euclidean").fit(Zw)
    dist, idx = nn.kneighbors(Zw)
    out_i = np.empty((n, k), dtype=int)
    out_d = np.empty((n, k))
    for i in range(n):
        keep = idx[i] != i
        if keep.all():          # an exact duplicate came first instead of the row itself
            keep[-1] = False
        out_i[i] = idx[i][keep][:k]
        out_d[i] = dist[i][keep][:k]
    return out_i, out_d


def cluster(Zw: np.ndarray, n_groups: int, method: str,
            random_state: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Group labels (1..n_groups), silhouette width per area, mean silhouette."""
    from sklearn.metrics import silhouette_samples
    if method == "kmeans":
        from sklearn.cluster import KMeans
        labels = KMeans(n_clusters=n_groups, n_init=10, random_state=random_state).fit_predict(Zw)
    elif method == "ward":
        from sklearn.cluster import AgglomerativeClustering
        labels = AgglomerativeClustering(n_clusters=n_groups, linkage="ward").fit_predict(Zw)
    else:
        raise ValueError(f"unknown clustering {method!r} (kmeans or ward)")
    sil = silhouette_samples(Zw, labels) if 1 < n_groups < Zw.shape[0] else np.zeros(Zw.shape[0])
    # Number groups by size (1 = largest) so labels read the same across identical runs.
    order = {lab: g + 1 for g, (lab, _) in enumerate(sorted(
        ((lab, (labels == lab).sum()) for lab in np.unique(labels)), key=lambda t: (-t[1], t[0])))}
    return np.array([order[lab] for lab in labels]), sil, float(sil.mean())


# --------------------------------------------------------------------------- data
def default_indicators(conn, level: str, vintage: int) -> list[str]:
    """The documented profiling set: GLA ward profile indicators that are rates, shares, means or
    indices (not raw counts, which mostly measure ward size) and not crime (the outcome we compare)."""
    return [r[0] for r in conn.execute(
        "SELECT i.indicator_code FROM landscape.indicator i WHERE i.indicator_code LIKE 'wp\\_%%' "
        "AND NOT i.additive AND i.theme <> 'Crime' AND EXISTS (SELECT 1 FROM landscape.indicator_value v "
        "WHERE v.indicator_code = i.indicator_code AND v.level = %s AND v.vintage = %s) ORDER BY 1",
        (level, vintage)).fetchall()]


def all_indicators(conn, level: str, vintage: int) -> list[str]:
    """Every indicator with values at this level and vintage, except survey measures."""
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT v.indicator_code FROM landscape.indicator_value v JOIN landscape.indicator i "
        "USING (indicator_code) WHERE v.level = %s AND v.vintage = %s AND i.theme <> 'Public Confidence' "
        "ORDER BY 1", (level, vintage)).fetchall()]


def fetch_matrix(conn, level: str, vintage: int, codes: list[str]):
    """(area codes, indicator codes, periods, matrix with NaN) — latest period of each indicator."""
    rows = conn.execute("""
        WITH per AS (SELECT DISTINCT ON (indicator_code) indicator_code, period FROM landscape.indicator_value
                     WHERE level = %(l)s AND vintage = %(v)s AND indicator_code = ANY(%(c)s)
                     ORDER BY indicator_code, period_start DESC, period DESC)
        SELECT v.area_code, v.indicator_code, per.period, v.value
        FROM landscape.indicator_value v JOIN per USING (indicator_code, period)
        WHERE v.level = %(l)s AND v.vintage = %(v)s""", {"l": level, "v": vintage, "c": codes}).fetchall()
    present = sorted({r[1] for r in rows})
    missing = sorted(set(codes) - set(present))
    if missing:
        raise ValueError(f"no values at {level} {vintage} for: {', '.join(missing)}")
    areas = sorted({r[0] for r in rows})
    ai = {a: i for i, a in enumerate(areas)}
    ci = {c: j for j, c in enumerate(codes)}
    X = np.full((len(areas), len(codes)), np.nan)
    periods = {}
    for a, c, p, v in rows:
        X[ai[a], ci[c]] = v
        periods[c] = p
    return areas, codes, [periods[c] for c in codes], X


# --------------------------------------------------------------------------- a run
def build(conn, params: BuildParams, quiet: bool = False) -> dict:
    """Build and store one run; returns a summary (run_id, areas, silhouette, seconds, ...)."""
    import sklearn

    from loaders import session
    from loaders.core import Progress

    t0 = time.perf_counter()
    prog = Progress("comparator", quiet)
    codes = params.indicators
    if codes == "default":
        codes = default_indicators(conn, params.level, params.vintage)
    elif codes == "all":
        codes = all_indicators(conn, params.level, params.vintage)
    if not codes:
        raise ValueError(f"no indicators at {params.level} {params.vintage}: load ward profiles first "
                         "(safestats load ward-profiles ...) or, for neighbourhoods, run "
                         "`safestats landscape neighbourhoods`")
    unknown_w = set(params.weights) - set(codes)
    if unknown_w:
        raise ValueError(f"weights for indicators not in the run: {', '.join(sorted(unknown_w))}")
    areas, codes, periods, X = fetch_matrix(conn, params.level, params.vintage, list(codes))
    t_compute = time.perf_counter()
    share_missing = np.isnan(X).mean(axis=1)
    keep = share_missing <= params.max_missing
    left_out = [a for a, k in zip(areas, keep) if not k]
    areas = [a for a, k in zip(areas, keep) if k]
    X = X[keep]
    prog.note(f"{len(areas)} areas x {len(codes)} indicators ({len(left_out)} areas left out: too many gaps)")
    # One thread for the numeric libraries: these matrices are small (hundreds x tens), so thread
    # start-up and, on a busy machine, oversubscription cost more than they save (measured: k-means
    # 10x faster single-threaded with other jobs running; see docs/benchmarks.md).
    from threadpoolctl import threadpool_limits
    with threadpool_limits(1):
        Xt, tinfo = transform(X, params.transform)
        Z, mean, sd, imputed = standardise(Xt)
        w = np.array([float(params.weights.get(c, 1.0)) for c in codes])
        Zw = Z * w
        idx, dist = nearest(Zw, params.k)
        labels, sil, sil_mean = cluster(Zw, params.n_groups, params.cluster_method, params.random_state)
    compute_seconds = time.perf_counter() - t_compute
    seconds = time.perf_counter() - t0
    with conn.transaction():
        run_id = conn.execute("""
            INSERT INTO comparator.run (label, level, vintage, k, transform, cluster_method, n_groups,
                                        silhouette, n_areas, random_state, parameters, software,
                                        build_seconds)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING run_id""",
            (params.label, params.level, params.vintage, params.k, params.transform, params.cluster_method,
             params.n_groups, sil_mean, len(areas), params.random_state,
             json.dumps({**asdict(params), "indicators": codes, "areas_left_out": left_out}),
             json.dumps({"scikit-learn": sklearn.__version__, "numpy": np.__version__,
                         "python": platform.python_version()}), seconds)).fetchone()[0]
        with conn.cursor() as cur:
            with cur.copy("COPY comparator.run_indicator (run_id, indicator_code, period, weight, transform, "
                          "lambda, mean, sd, imputed) FROM STDIN") as cp:
                for j, c in enumerate(codes):
                    cp.write_row((run_id, c, periods[j], w[j], tinfo[j]["transform"], tinfo[j].get("lambda"),
                                  float(mean[j]), float(sd[j]), int(imputed[j])))
            with cur.copy("COPY comparator.similar_area (run_id, area_code, rank, similar_code, distance) "
                          "FROM STDIN") as cp:
                for i, a in enumerate(areas):
                    for r in range(params.k):
                        cp.write_row((run_id, a, r + 1, areas[idx[i, r]], float(dist[i, r])))
            with cur.copy("COPY comparator.area_group (run_id, area_code, group_no, silhouette) "
                          "FROM STDIN") as cp:
                for i, a in enumerate(areas):
                    cp.write_row((run_id, a, int(labels[i]), float(sil[i])))
        # Fresh statistics for the gap and similarity queries that follow at once (issue 19).
        session.analyze_written(conn)
    return {"run_id": run_id, "areas": len(areas), "indicators": len(codes), "left_out": left_out,
            "silhouette": sil_mean, "seconds": time.perf_counter() - t0, "compute_seconds": compute_seconds,
            "fetch_seconds": t_compute - t0}


def mopac_agreement(conn, run_id: int) -> dict:
    """Adjusted Rand index between a neighbourhood run's groups and MOPAC's own 2016 ``Group``."""
    from sklearn.metrics import adjusted_rand_score
    rows = conn.execute("""
        SELECT g.area_code, n.name, g.group_no, n.mopac_group
        FROM comparator.area_group g
        JOIN comparator.run r USING (run_id)
        JOIN survey.neighbourhood n ON n.edition = r.vintage::text AND n.neighbourhood_code = g.area_code
        WHERE g.run_id = %s AND n.mopac_group IS NOT NULL ORDER BY g.area_code""", (run_id,)).fetchall()
    if not rows:
        from .names import UsageError
        raise UsageError(f"run {run_id} has no neighbourhoods with a MOPAC group (build one at level "
                         "neighbourhood, vintage 2016)")
    ours = [r[2] for r in rows]
    theirs = [r[3] for r in rows]
    ari = adjusted_rand_score(theirs, ours)
    # Which neighbourhoods differ: for each of our groups, the MOPAC group most of its members share;
    # members outside it are listed.
    differ = []
    for g in sorted(set(ours)):
        members = [r for r in rows if r[2] == g]
        counts: dict[int, int] = {}
        for r in members:
            counts[r[3]] = counts.get(r[3], 0) + 1
        major = max(counts, key=lambda m: (counts[m], -m))
        differ += [(r[0], r[1], g, r[3], major) for r in members if r[3] != major]
    return {"n": len(rows), "ari": float(ari), "differ": differ}


# ---- stored runs, as ``safestats comparator runs|similar|gaps`` shows them ----------------------

def runs(conn) -> Table:
    """Every stored comparator run with its parameters."""
    return fetch_table(conn, """
        SELECT run_id, label, level, vintage, k, transform, cluster_method, n_groups,
               round(silhouette::numeric, 3) AS silhouette, n_areas, cardinality(indicators) AS indicators,
               to_char(created_at, 'YYYY-MM-DD HH24:MI') AS created
        FROM safestats.comparator_runs ORDER BY run_id""")


def similar(conn, area_code: str, run_id: int | None = None) -> Table:
    """The areas most similar to ``area_code`` in a run (default: the latest run of its level)."""
    return fetch_table(conn, """
        SELECT rank, similar_code, similar_name, round(distance::numeric, 3) AS distance, same_group
        FROM safestats.similar_areas(%s, %s)""", (area_code, run_id))


def agreement_table(a: dict) -> Table:
    """:func:`mopac_agreement`'s answer as one table: a row per neighbourhood outside the MOPAC group
    most of its group shares, with the run's adjusted Rand index on every row."""
    return Table(["ari", "neighbourhoods", "area_code", "area_name", "our_group", "mopac_group",
                  "most_of_our_group"],
                 [(round(a["ari"], 4), a["n"], *d) for d in a["differ"]])


def metric_code(conn, metric: str) -> str:
    """The indicator code typed in any case; an unknown one raises naming the nearest codes."""
    from .names import resolve
    codes = [r[0] for r in conn.execute("SELECT indicator_code FROM landscape.indicator").fetchall()]
    return resolve(metric, codes, "metric")


def gaps(conn, metric: str, run_id: int, assumed_n: float = 120, top: int = 10) -> Table:
    """The ``top`` areas furthest behind their similar areas on ``metric``, with 95% intervals."""
    metric = metric_code(conn, metric)
    return fetch_table(conn, """
        SELECT area_code, area_name, group_no, round(value::numeric, 1) AS value,
               round(peers_mean::numeric, 1) AS peers, round(gap::numeric, 1) AS gap,
               round(gap_lower::numeric, 1) AS gap_lower, round(gap_upper::numeric, 1) AS gap_upper,
               round(z_score::numeric, 2) AS z, significant, interval_basis
        FROM safestats.comparator_gaps(%s, %s, NULL, %s) ORDER BY shortfall DESC NULLS LAST LIMIT %s""",
                       (metric, run_id, assumed_n, top))
