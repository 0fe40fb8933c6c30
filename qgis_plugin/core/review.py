"""Review of uncertain geocodes: the analyst's choice becomes an alias the geocoder consults first.

The geocoder owns its alias table (``gazetteer.alias``) and the way to write it,
``safestats.geocode_alias_set(location_text, site_code, feature_id)``; the plugin only passes the
analyst's decision — the text exactly as entered, the site, and the gazetteer feature of the
chosen candidate (``explain->feature_id`` of ``safestats.geocode_candidates``).
"""
from __future__ import annotations

from .connection import Database, SafeStatsError, py
from .geocoding import require_geocoder
from .sql import quote_literal


def accept_candidate(db: Database, text: str, site_code: str | None, rank: int) -> str:
    """Store candidate ``rank`` (1 = best) of ``text`` at ``site_code`` as an alias; returns what it matched."""
    require_geocoder(db, "geocode_candidates")
    require_geocoder(db, "geocode_alias_set")
    if not text or not text.strip():
        raise SafeStatsError("There is no location text to review.")
    rows = db.query(
        "SELECT (c.explain->>'feature_id')::bigint, c.matched FROM safestats.geocode_candidates("
        f"{quote_literal(text)}::text, {quote_literal(site_code)}::text, {int(rank)}) AS c "
        f"OFFSET {int(rank) - 1} LIMIT 1")
    if not rows:
        raise SafeStatsError(f"'{text}' has fewer than {rank} candidate(s); nothing was stored.")
    feature_id, matched = py(rows[0][0]), py(rows[0][1])
    if feature_id is None:
        raise SafeStatsError(f"Candidate {rank} of '{text}' ({matched or 'no match'}) is not a gazetteer "
                             "feature (e.g. 'home' or a postcode area), so it cannot be stored as an alias.")
    db.query(f"SELECT safestats.geocode_alias_set({quote_literal(text)}::text, {quote_literal(site_code)}::text, "
             f"{int(feature_id)}::bigint)")
    return str(matched or "")


def forget(db: Database, text: str, site_code: str | None) -> bool:
    """Remove the review decision for ``text`` at ``site_code`` (True if there was one)."""
    require_geocoder(db, "geocode_alias_remove")
    return bool(py(db.scalar(f"SELECT safestats.geocode_alias_remove({quote_literal(text)}::text, "
                             f"{quote_literal(site_code)}::text)")))
