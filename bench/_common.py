"""What every benchmark script shares: a description of the machine and writing its own section of
docs/benchmarks.md (between ``<!-- bench:<area> -->`` markers, leaving the other sections alone)."""
from __future__ import annotations

import os
import platform
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def markers(area: str) -> tuple[str, str]:
    return f"<!-- bench:{area} -->", f"<!-- /bench:{area} -->"


def machine(conn) -> str:
    """Cores, RAM, PostgreSQL and PostGIS versions and the platform, for the record."""
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, AttributeError):
        pass
    pg = conn.execute("SHOW server_version").fetchone()[0]
    pgis = conn.execute("SELECT postgis_lib_version()").fetchone()[0]
    return f"{os.cpu_count()} cores (nproc), {mem}, PostgreSQL {pg}, PostGIS {pgis}, {platform.platform()}"


def write_section(area: str, section: str) -> Path:
    """Replace this area's section of docs/benchmarks.md (``section`` includes its markers), or
    append it when the file does not have one yet."""
    start, end = markers(area)
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else \
        "# Benchmarks\n\nEach section is written by its bench script.\n"
    if start in text and end in text:
        text = text[:text.index(start)] + section + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    return DOC
