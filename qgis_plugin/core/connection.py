"""The database, reached only through the user's saved QGIS PostgreSQL connections.

Credentials stay wherever the user keeps them (QGIS authentication database, pg_service.conf,
the saved connection); layer URIs are made with ``QgsDataSourceUri.uri(False)`` so an authcfg is
never expanded into a clear-text password.
"""
from __future__ import annotations

import re

from qgis.core import QgsDataSourceUri, QgsException, QgsProviderRegistry
from qgis.PyQt.QtCore import QVariant

from .log import log
from .sql import quote_literal

# Words of a driver message that mean the server could not be reached at all.
UNREACHABLE = ("connection failed", "could not connect", "connection to server", "no such file",
               "connection refused", "timeout expired", "could not translate")


def py(value):
    """A Python value for one ``executeSql`` cell: SQL NULL arrives as a null QVariant."""
    if value is None or (isinstance(value, QVariant) and value.isNull()):
        return None
    return value


class SafeStatsError(Exception):
    """A problem the analyst can act on; the message says what to do next."""


def _metadata():
    return QgsProviderRegistry.instance().providerMetadata("postgres")


def connection_names() -> list[str]:
    """Names of the PostgreSQL connections saved in this QGIS profile, sorted."""
    return sorted(_metadata().connections(False).keys())


def save_connection(name: str, uri: str) -> None:
    """Save (or replace) a PostgreSQL connection called ``name`` for ``uri`` in this profile.

    The user name is kept; a password never is (use a service file or QGIS's authentication
    database for one)."""
    md = _metadata()
    md.saveConnection(md.createConnection(uri, {"saveUsername": True, "savePassword": False}), name)


def describe(uri: str) -> str:
    """Where a connection points, without any credentials (for messages)."""
    u = QgsDataSourceUri(uri)
    if u.service():
        return f"service '{u.service()}'"
    host = u.host() or "local socket"
    return f"database '{u.database()}' on {host}" + (f" port {u.port()}" if u.port() else "")


class Database:
    """A SafeStats database behind one saved QGIS connection.

    Every query goes through ``executeSql``/``execSql`` of QGIS's connection API; user values reach
    SQL only through :func:`qgis_plugin.core.sql.quote_literal`.
    """

    def __init__(self, connection_name: str):
        self.name = connection_name
        # createConnection(name) loads the saved connection into an object we own; findConnection()
        # hands out a pointer owned by QGIS's cache, which can go stale when connections change.
        self.connection = None
        if connection_name in connection_names():
            try:
                self.connection = _metadata().createConnection(connection_name)
            except QgsException:
                self.connection = None
        if self.connection is None:
            known = ", ".join(connection_names()) or "none saved yet"
            raise SafeStatsError(
                f"There is no QGIS PostgreSQL connection called '{connection_name}' (renamed or deleted?). "
                f"Saved connections: {known}. Pick one in the SafeStats panel, or create one in "
                f"Layer > Data Source Manager > PostgreSQL.")
        self.uri = self.connection.uri()
        self.feedback = None

    @classmethod
    def from_uri(cls, uri: str, name: str = "SafeStats") -> Database:
        """A database from a connection URI without saving a connection (for scripts and the CLI)."""
        self = cls.__new__(cls)
        self.name = name
        self.connection = _metadata().createConnection(uri, {})
        self.uri = self.connection.uri()
        self.feedback = None
        return self

    def with_feedback(self, feedback) -> Database:
        """This database for one background task: every query takes ``feedback``, so cancelling the
        task cancels the statement running on the server."""
        import copy
        other = copy.copy(self)
        other.feedback = feedback
        return other

    # -- queries -------------------------------------------------------------------------------
    def query(self, sql: str, feedback=None) -> list[list]:
        """Rows of ``sql`` as lists; a connection failure becomes a :class:`SafeStatsError`."""
        feedback = feedback or self.feedback
        if feedback is not None and feedback.isCanceled():
            raise SafeStatsError("Cancelled.")
        try:
            return self.connection.executeSql(sql, feedback) if feedback else self.connection.executeSql(sql)
        except QgsException as e:
            if feedback is not None and feedback.isCanceled():
                raise SafeStatsError("Cancelled.") from None
            raise self._explain(e) from None

    def query_with_columns(self, sql: str) -> tuple[list[str], list[list]]:
        """(column names, rows) of ``sql``."""
        try:
            fb = self.feedback
            res = self.connection.execSql(sql, fb) if fb else self.connection.execSql(sql)
        except QgsException as e:
            if self.feedback is not None and self.feedback.isCanceled():
                raise SafeStatsError("Cancelled.") from None
            raise self._explain(e) from None
        rows = []
        while res.hasNextRow():
            rows.append(res.nextRow())
        return res.columns(), rows

    def scalar(self, sql: str):
        rows = self.query(sql)
        return rows[0][0] if rows and rows[0] else None

    def function_columns(self, schema: str, name: str) -> list[str]:
        """Output column names of a set-returning function (``RETURNS TABLE``), from the catalogue."""
        rows = self.query(
            "SELECT a.n FROM (SELECT p.proargnames, p.proargmodes FROM pg_proc p JOIN pg_namespace s "
            f"ON s.oid = p.pronamespace WHERE s.nspname = {quote_literal(schema)} AND p.proname = "
            f"{quote_literal(name)} ORDER BY p.oid LIMIT 1) f, "
            "unnest(f.proargnames, f.proargmodes) WITH ORDINALITY AS a(n, m, i) WHERE a.m = 't' ORDER BY a.i")
        return [r[0] for r in rows]

    def relation_columns(self, qualified_name: str) -> list[str]:
        """Column names of a table or view ([] when it does not exist)."""
        rows = self.query(
            "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = "
            f"to_regclass({quote_literal(qualified_name)}) AND a.attnum > 0 AND NOT a.attisdropped "
            "ORDER BY a.attnum")
        return [r[0] for r in rows]

    def _explain(self, e: Exception) -> SafeStatsError:
        # QGIS's message may quote the connection string; never let a password reach the log.
        text = re.sub(r"password='?[^' ]*'?", "password=…", str(e).strip())
        first = text.splitlines()[0] if text else "no message"
        where = describe(self.uri)
        if any(w in text.lower() for w in UNREACHABLE):
            msg = (f"Cannot reach the SafeStats database of connection '{self.name}' ({where}): {first}. "
                   f"Is the server running (`safestats db up`)? Check the connection in "
                   f"Data Source Manager > PostgreSQL.")
        elif "password authentication failed" in text.lower():
            msg = (f"The database of connection '{self.name}' ({where}) refused the login: {first}. "
                   f"Edit the connection's authentication in Data Source Manager > PostgreSQL.")
        else:
            msg = f"The database of connection '{self.name}' reported: {text}"
        log(msg, "critical")
        return SafeStatsError(msg)

    # -- facts about the database ----------------------------------------------------------------
    def check(self) -> str:
        """Connect once and confirm this is a SafeStats database; returns its PostGIS version line."""
        row = self.query("SELECT to_regclass('safestats.load') IS NOT NULL, "
                         "(SELECT extversion FROM pg_extension WHERE extname = 'postgis'), "
                         "current_database()")[0]
        if not py(row[0]):
            raise SafeStatsError(
                f"Connection '{self.name}' ({describe(self.uri)}) reaches database '{row[2]}', but it has no "
                f"SafeStats schema. Run `safestats migrate` against it, or pick another connection.")
        return f"{row[2]} (PostGIS {row[1]})"

    def relation_exists(self, qualified_name: str) -> bool:
        return bool(self.scalar(f"SELECT to_regclass({quote_literal(qualified_name)}) IS NOT NULL"))

    def function_exists(self, schema: str, name: str) -> bool:
        return bool(self.scalar(
            "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            f"WHERE n.nspname = {quote_literal(schema)} AND p.proname = {quote_literal(name)}"))

    # -- layer sources ---------------------------------------------------------------------------
    def layer_uri(self, schema: str, table: str, geometry_column: str | None, key: str | None = None,
                  where: str = "") -> str:
        """A provider URI for one table/view; ``uri(False)`` keeps any authcfg unexpanded."""
        u = QgsDataSourceUri(self.uri)
        u.setDataSource(schema, table, geometry_column, where, key or "")
        return u.uri(False)

    def query_layer_uri(self, sql: str, geometry_column: str, key: str, srid: str = "27700",
                        wkb_type=None) -> str:
        """A provider URI for a sub-query layer (``(SELECT …)`` as the table)."""
        u = QgsDataSourceUri(self.uri)
        u.setDataSource("", f"({sql})", geometry_column, "", key)
        u.setSrid(srid)
        if wkb_type is not None:
            u.setWkbType(wkb_type)
        return u.uri(False)
