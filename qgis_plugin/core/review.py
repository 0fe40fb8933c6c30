"""Review of uncertain geocodes: the analyst's choice becomes an alias the geocoder consults first.

The geocoder owns its alias table; this module finds it in the catalogue (a table whose name
contains "alias" in a SafeStats schema) and fills the columns it recognises.
"""
from __future__ import annotations

from .connection import Database, SafeStatsError, py
from .geocoding import require_geocoder
from .sql import qualified, quote_ident, quote_literal

ALIAS_SCHEMAS = ("safestats", "geocoder", "gazetteer", "geo")
TEXT_COLUMNS = ("alias_text", "location_text", "text_as_entered", "entered_text", "raw_text", "text", "alias")
SITE_COLUMNS = ("site_code",)


def alias_table(db: Database) -> tuple[str, str, list[str]]:
    """(schema, table, columns) of the geocoder's alias table, or a clear error."""
    schemas = ", ".join(quote_literal(s) for s in ALIAS_SCHEMAS)
    rows = db.query(
        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE c.relkind IN ('r', 'p') AND n.nspname IN ({schemas}) AND c.relname LIKE '%alias%' ORDER BY 1, 2")
    if not rows:
        raise SafeStatsError(f"The database behind '{db.name}' has no geocoder alias table yet; the review "
                             f"decision was not stored. Install the geocoder (`safestats migrate`).")
    schema, table = rows[0]
    return schema, table, db.relation_columns(f"{schema}.{table}")


def accept_candidate(db: Database, text: str, site_code: str | None, rank: int) -> str:
    """Store candidate ``rank`` (1 = best) of ``text`` at ``site_code`` as an alias; returns what it matched."""
    require_geocoder(db, "geocode_candidates")
    schema, table, cols = alias_table(db)
    text_col = next((c for c in TEXT_COLUMNS if c in cols), None)
    if text_col is None:
        raise SafeStatsError(f"{schema}.{table} has none of the expected text columns {TEXT_COLUMNS}")
    chosen = (f"SELECT * FROM safestats.geocode_candidates({quote_literal(text)}::text, "
              f"{quote_literal(site_code)}::text, {int(rank)}) OFFSET {int(rank) - 1} LIMIT 1")
    cand_cols = ("geom", "matched", "level", "confidence", "radius_m")
    target = [c for c in cand_cols if c in cols]
    insert_cols = [text_col] + ([c for c in SITE_COLUMNS if c in cols][:1]) + target
    site_val = [quote_literal(site_code)] if any(c in cols for c in SITE_COLUMNS) else []
    select = ", ".join([quote_literal(text)] + site_val + [f"c.{quote_ident(c)}" for c in target])
    rows = db.query(
        f"INSERT INTO {qualified(schema, table)} ({', '.join(quote_ident(c) for c in insert_cols)}) "
        f"SELECT {select} FROM ({chosen}) AS c RETURNING {quote_ident(target[0]) if target else 'NULL'}")
    if not rows:
        raise SafeStatsError(f"'{text}' has fewer than {rank} candidates; nothing was stored.")
    matched = db.scalar(f"SELECT c.matched FROM ({chosen}) AS c")
    return str(py(matched) or "")
