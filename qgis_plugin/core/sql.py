"""Quoting of values and names for SQL sent through QGIS's ``executeSql``.

QGIS 3.22's ``QgsAbstractDatabaseProviderConnection.executeSql`` takes no bind parameters, and the
C++ quoting of the PostgreSQL provider (``QgsPostgresConn::quotedValue``) is not exposed to Python.
``QgsExpression.quotedString`` is the *expression engine's* quoting (it writes a newline as the two
characters ``\\n``), which PostgreSQL would store differently. So the plugin quotes here, the same
way the provider does in C++: an ``E''`` string with backslashes and single quotes doubled, which
reads back byte for byte whatever ``standard_conforming_strings`` is set to.
"""
from __future__ import annotations

import math
from datetime import date, datetime


class UnquotableValue(ValueError):
    """A value PostgreSQL cannot hold as text (a NUL character) or of an unsupported type."""


def quote_literal(value) -> str:
    """An SQL literal for ``value`` (str, int, float, bool, date, None)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return "NULL"
        return repr(value)
    if isinstance(value, (date, datetime)):
        return quote_literal(value.isoformat())
    if not isinstance(value, str):
        # QVariant-wrapped values arrive as str/int/float already; anything else is a caller bug.
        raise UnquotableValue(f"cannot pass a {type(value).__name__} to SQL")
    if "\x00" in value:
        raise UnquotableValue("text contains a NUL character, which PostgreSQL cannot store")
    return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def quote_ident(name: str) -> str:
    """A double-quoted SQL identifier (schema, table or column name)."""
    if not name or "\x00" in name:
        raise UnquotableValue(f"not a usable SQL name: {name!r}")
    return '"' + name.replace('"', '""') + '"'


def qualified(schema: str, table: str) -> str:
    """``"schema"."table"``."""
    return f"{quote_ident(schema)}.{quote_ident(table)}"


def values_list(rows) -> str:
    """``(v1, v2), (v3, v4)`` for a VALUES clause; each value quoted with :func:`quote_literal`."""
    return ", ".join("(" + ", ".join(quote_literal(v) for v in row) + ")" for row in rows)
