"""A blind list of non-place answers (issue 14): 200 texts an A&E receptionist might type when the
answer names no place (custody, work, an occasion, a vehicle, a friend's, won't say, abroad, various,
no fixed abode, a kind of place, home), written on 2026-12-06 by a helper told not to read the
geocoder, its vocabulary or any evaluation family, and to invent its own phrasings with data-entry
noise. Nothing of the geocoder was tuned on it. Its failures were printed once, when it was first run
(2026-12-06 02:50 UTC, after that day's vocabulary work), so from then on it is a seen list: the
figures of that first run are recorded in docs/geocoding.md, and the evaluation reports the current
ones beside them.
"""
from __future__ import annotations

from pathlib import Path

FILE = Path(__file__).with_name("blind_nonplaces.txt")


def texts() -> list[str]:
    lines = FILE.read_text(encoding="utf-8").splitlines()
    return [t for t in lines if t.strip()]


def run(conn) -> dict:
    """Geocode every text (no A&E site): how many were not located (answer none or home) and how many
    were located with confidence ≥ 0.8."""
    rows = conn.execute("SELECT t, g.level, g.matched, g.confidence FROM unnest(%s::text[]) WITH ORDINALITY "
                        "AS u(t, i) CROSS JOIN LATERAL safestats.geocode(u.t) g ORDER BY u.i",
                        (texts(),)).fetchall()
    located = [r for r in rows if r[1] not in ("none", "home")]
    return {"n": len(rows), "not_located": len(rows) - len(located),
            "confident_located": sum(1 for r in located if r[3] is not None and r[3] >= 0.8)}
