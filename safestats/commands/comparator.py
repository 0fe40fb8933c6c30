"""``safestats comparator build|runs|similar|gaps|agreement``: the Neighbourhood Comparator
(safestats.comparator does the work)."""
from __future__ import annotations

import sys

from safestats.render import add_format_option


def register(sub) -> None:
    p = sub.add_parser("comparator",
                       help="most similar areas and groups (build, runs, similar, gaps, agreement)",
                       description="Neighbourhood Comparator: for every ward or MPS neighbourhood its k most "
                                   "similar areas and a most similar group, and how each area's confidence "
                                   "or crime compares with its peers. See docs/comparator.md.")
    csub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    b = csub.add_parser("build", help="build and store a run",
                        description="Transform (Yeo-Johnson/log), standardise, weight, k nearest by "
                                    "Euclidean distance (self excluded), cluster (k-means or Ward) with "
                                    "silhouette. Stored with every parameter; prints the run id.")
    b.add_argument("--level", default="ward", type=str.lower, choices=["ward", "neighbourhood"],
                   help="ward (default) or neighbourhood")
    b.add_argument("--vintage", type=int, help="boundary vintage (default: 2011 for wards, the GLA ward "
                   "profiles; 2016 for neighbourhoods)")
    b.add_argument("--indicators", default="default",
                   help="'default' (the documented profiling set), 'all', or comma-separated codes")
    b.add_argument("--k", type=int, default=15, help="similar areas per area (default 15)")
    b.add_argument("--groups", type=int, default=12, help="number of most similar groups (default 12)")
    b.add_argument("--method", choices=["kmeans", "ward"], default="kmeans", type=str.lower,
                   help="clustering (default kmeans)")
    b.add_argument("--transform", choices=["yeo-johnson", "log", "none"], default="yeo-johnson",
                   type=str.lower,
                   help="transform of skewed indicators before standardising (default yeo-johnson)")
    b.add_argument("--weight", action="append", default=[], metavar="CODE=W",
                   help="weight of an indicator (repeatable; default 1)")
    b.add_argument("--seed", type=int, default=42, help="random state of k-means (reproducible runs)")
    b.add_argument("--label", help="a name for the run, shown by `comparator runs`")
    b.add_argument("--quiet", action="store_true", help="no progress output")
    b.set_defaults(func=run_build)
    r = csub.add_parser("runs", help="list stored runs", description="Lists comparator runs.")
    add_format_option(r)
    r.set_defaults(func=run_runs)
    s = csub.add_parser("similar", help="the similar areas of one area",
                        description="safestats.similar_areas(): the k most similar areas of one area, "
                                    "nearest first. An area outside the run says which runs hold it.")
    s.add_argument("area_code", help="area code in any case (e.g. KG-KB, E05000026) or area name")
    s.add_argument("--run", type=int, help="comparator run id (default: the latest run holding the area)")
    add_format_option(s)
    s.set_defaults(func=run_similar)
    g = csub.add_parser("gaps", help="an area's metric against its similar areas, with intervals",
                        description="safestats.comparator_gaps(): value, peers' mean, gap, 95% interval, "
                                    "z-score, significance; worst shortfall first.")
    g.add_argument("metric", help="indicator code in any case, e.g. pas_good_job or crime_rate_total")
    g.add_argument("--run", type=int, required=True, help="comparator run id (see `comparator runs`)")
    g.add_argument("--top", type=int, default=10, help="areas shown, worst shortfall first (default 10)")
    g.add_argument("--assumed-n", type=float, default=120,
                   help="respondents assumed for a survey percentage without a sample size (default 120)")
    add_format_option(g)
    g.set_defaults(func=run_gaps)
    a = csub.add_parser("agreement", help="adjusted Rand index against MOPAC's 2016 groups",
                        description="Compares a neighbourhood run's groups with MOPAC's published Group.")
    a.add_argument("--run", type=int, required=True, help="a neighbourhood run id (see `comparator runs`)")
    add_format_option(a)
    a.set_defaults(func=run_agreement)


def run_build(args) -> int:
    from safestats.comparator import BuildParams, build
    from safestats.db import connect
    weights = {}
    for w in args.weight:
        code, _, val = w.partition("=")
        try:
            weights[code] = float(val)
        except ValueError:
            print(f"safestats: --weight {w!r}: expected CODE=NUMBER", file=sys.stderr)
            return 2
    vintage = args.vintage or (2016 if args.level == "neighbourhood" else 2011)
    inds = (args.indicators if args.indicators in ("default", "all")
            else [c.strip() for c in args.indicators.split(",")])
    params = BuildParams(level=args.level, vintage=vintage, indicators=inds, k=args.k,
                         transform=args.transform, weights=weights, n_groups=args.groups,
                         cluster_method=args.method, random_state=args.seed, label=args.label)
    with connect() as conn:
        try:
            s = build(conn, params, quiet=args.quiet)
        except ValueError as e:
            print(f"safestats: {e}", file=sys.stderr)
            return 2
    print(f"run {s['run_id']}: {s['areas']} areas x {s['indicators']} indicators, k = {args.k}, "
          f"{args.groups} groups ({args.method}), mean silhouette {s['silhouette']:.3f}, "
          f"{s['seconds']:.2f} s")
    if s["left_out"]:
        print(f"  left out (more than 20% of indicators missing): {', '.join(s['left_out'])}")
    return 0


def _emit(args, title, query, *params):
    from safestats.db import connect
    from safestats.render import emit
    with connect() as conn:
        emit(query(conn, *params), args.format, title)


def run_runs(args) -> int:
    from safestats import comparator
    _emit(args, "Comparator runs", comparator.runs)
    return 0


def run_similar(args) -> int:
    from safestats import comparator
    _emit(args, f"Areas most similar to {args.area_code}", comparator.similar, args.area_code, args.run)
    return 0


def run_gaps(args) -> int:
    from safestats import comparator
    _emit(args, f"{args.metric}: furthest behind their similar areas", comparator.gaps,
          args.metric, args.run, args.assumed_n, args.top)
    return 0


def run_agreement(args) -> int:
    from safestats.comparator import agreement_table, mopac_agreement
    from safestats.db import connect
    from safestats.render import emit
    with connect() as conn:
        a = mopac_agreement(conn, args.run)
    if args.format != "table":
        emit(agreement_table(a), args.format)
        return 0
    print(f"run {args.run}: adjusted Rand index vs MOPAC 2016 groups = {a['ari']:.3f} over {a['n']} "
          f"neighbourhoods")
    print(f"{len(a['differ'])} neighbourhoods sit outside the MOPAC group most of their group shares:")
    for code, name, ours, theirs, major in a["differ"]:
        print(f"  {code:<8} {name:<45} our group {ours:>2}  MOPAC group {theirs:>2} (most of our group: "
              f"{major})")
    return 0
