"""Finding a data file: the compact copy shipped in ``data/`` when present, else the original in the
shared open data folder (``config.SHARED_DATA_DIR``, ``$SAFESTATS_SHARED_DATA`` overrides)."""
from __future__ import annotations

from pathlib import Path


def resolve(shipped: str, original: str | None, shipped_dir: Path, shared_dir: Path) -> tuple[Path, bool]:
    """``(path, is_shipped)``: ``shipped_dir/shipped`` when it exists, else ``shared_dir/original``.

    Raises FileNotFoundError naming both places when neither exists (``original`` None: no
    original to fall back to)."""
    if (Path(shipped_dir) / shipped).exists():
        return Path(shipped_dir) / shipped, True
    if original and (Path(shared_dir) / original).exists():
        return Path(shared_dir) / original, False
    tried = [Path(shipped_dir) / shipped] + ([Path(shared_dir) / original] if original else [])
    raise FileNotFoundError("data file missing; looked for " + " and ".join(map(str, tried)))
