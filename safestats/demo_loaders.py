"""Demo step for the source loaders: the shipped police.uk and MPS samples (data/loaders), plus
synthetic A&E, fire and ambulance files written with a fixed seed. Safe to run again: identical
files are skipped, and regenerated synthetic files replace their own slices."""
from __future__ import annotations

import tempfile
from pathlib import Path

from safestats import config

SAMPLES = config.SHIPPED_DATA_DIR / "loaders"
# (source, file pattern under data/loaders)
SHIPPED = [
    ("police-uk", "*-city-of-london-street.csv.gz"),
    ("police-uk-stop-search", "*-stop-and-search.csv.gz"),
    ("mps-ward", "mps_ward_level_crime_*.csv.gz"),
    ("mps-lsoa", "london-2011-2021-major-*.csv.gz"),
]


def step(conn, quiet: bool = False) -> None:
    """Load every sample source and say what went in (the demo prints `safestats status` after)."""
    from loaders import registry
    from loaders.core import LoadOptions
    from safestats import synth_incidents, synth_istv
    from safestats.loading import load_files

    rejects = Path(tempfile.gettempdir()) / "safestats-demo-rejects"

    def load(source: str, paths: list[Path]) -> None:
        load_files(conn, registry.get(source), sorted(paths), LoadOptions(quiet=quiet, rejects_dir=rejects))

    for source, pattern in SHIPPED:
        load(source, list(SAMPLES.glob(pattern)))
    # The synthetic files are written once and kept beside the cluster, so a second demo finds the
    # same files (Excel files never come out byte-identical) and changes nothing.
    work = Path(tempfile.gettempdir()) / "safestats-demo-synthetic"
    if not config.env_database_url():
        work = config.embedded_home() / "demo-synthetic"
    istv_dir = work / "istv"
    istv_files = sorted(istv_dir.glob("*")) if istv_dir.exists() else synth_istv.write(istv_dir, rows=1500)
    load("istv", istv_files)
    load("lfb", [synth_incidents.write_lfb(work / "lfb_incidents_2023.csv", rows=2000)])
    lsoas = [r[0] for r in conn.execute("SELECT code FROM ref.area WHERE level = 'lsoa' AND vintage = 2021 "
                                        "AND parent_code = 'E09000022' ORDER BY code").fetchall()]
    load("las-assaults", [synth_incidents.write_las_counts(work / "las_assaults_lambeth_2024.csv", lsoas,
                                                           [f"2024-{m:02d}" for m in range(1, 7)])])
    load("las-incidents", [synth_incidents.write_las_incidents(work / "las_incidents_2024q1.csv", rows=500)])
