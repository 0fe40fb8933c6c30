"""``safestats synth istv|police-uk``: write realistic synthetic source files (fixed seed)."""
from __future__ import annotations

from pathlib import Path

from safestats import config


def register(sub) -> None:
    p = sub.add_parser("synth", help="write synthetic source files for tests, the demo and benchmarks",
                       description="Writes files in the published layouts of a source. The same arguments "
                                   "always give the same files (fixed seed). Nothing here is real data.")
    ssub = p.add_subparsers(dest="what", metavar="WHAT", required=True)
    i = ssub.add_parser("istv", help="A&E assault extracts in several hospitals' layouts and encodings",
                        description="Writes ISTV (ISB 1594) extracts for King's (UTF-8 CSV), Guy's and St "
                                    "Thomas' (Windows-1252, free-text hospital names), Barts Health (monthly "
                                    "Excel) and St George's (semicolons, BOM), January-March 2024.")
    i.add_argument("--rows", type=int, default=2000, help="records in total (default 2000)")
    i.add_argument("--out", type=Path, required=True, help="output directory")
    i.add_argument("--seed", type=int, default=1594, help="random seed (same seed, same file; default 1594)")
    i.set_defaults(func=run_istv)
    s = ssub.add_parser("police-uk", help="police.uk street-level crime files following real per-LSOA counts",
                        description="Writes one YYYY-MM-metropolitan-street.csv per month whose points "
                                    "follow the MPS per-LSOA annual crime counts (London's real spatial "
                                    "distribution), placed inside LSOA 2011 polygons from the database (run "
                                    "`safestats reference` first). Includes rows without coordinates, "
                                    "repeated Crime IDs, identical anti-social behaviour rows and points "
                                    "outside London.")
    s.add_argument("--rows", type=int, default=200_000, help="rows in total (default 200000)")
    s.add_argument("--out", type=Path, required=True, help="output directory")
    s.add_argument("--first-month", default="2001-01", help="YYYY-MM (default 2001-01)")
    s.add_argument("--last-month", default="2025-12", help="YYYY-MM (default 2025-12)")
    s.add_argument("--single-file", action="store_true", help="write all months into one file (benchmarks)")
    s.add_argument("--counts-dir", type=Path, help="MPS LSOA annual count files (default: "
                   f"{config.SHARED_DATA_DIR / 'datastore' / 'mps_lsoa_annual_crime_2011_2021'}; "
                   "$SAFESTATS_SHARED_DATA moves the shared data folder)")
    s.add_argument("--seed", type=int, default=2001, help="random seed (same seed, same files; default 2001)")
    s.set_defaults(func=run_police)


def run_istv(args) -> int:
    from safestats import synth_istv
    files = synth_istv.write(args.out, args.rows, args.seed)
    for f in files:
        print(f)
    return 0


def run_police(args) -> int:
    from safestats import synth_police
    from safestats.db import connect
    with connect() as conn:
        files = synth_police.write(conn, args.out, args.rows, args.first_month, args.last_month,
                                   counts_dir=args.counts_dir, seed=args.seed, single_file=args.single_file)
    for f in files:
        print(f)
    return 0
