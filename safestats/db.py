"""Connecting to the SafeStats database, migrating it and installing its SQL functions."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import psycopg

from . import config
from .cluster import Cluster

OWNER_ROLE = "safestats_owner"


class DatabaseUnavailable(RuntimeError):
    pass


class BadDatabaseUrl(ValueError):
    """DATABASE_URL (or a --url) that libpq cannot read; the message says what a URL looks like."""


def check_url(url: str, where: str = "DATABASE_URL") -> str:
    """``url`` in libpq form, or :class:`BadDatabaseUrl` when libpq cannot parse it."""
    from psycopg.conninfo import conninfo_to_dict
    url = config.libpq_url(url)
    try:
        conninfo_to_dict(url)
    except psycopg.ProgrammingError as e:
        shown = url if len(url) < 60 and "@" not in url else url.split("@")[-1]
        raise BadDatabaseUrl(
            f"{where} {shown!r} is not a PostgreSQL connection URL ({str(e).strip()}). Expected e.g. "
            f"postgresql://USER:PASSWORD@HOST:5432/DBNAME or 'host=... dbname=...'; unset it to use "
            f"the embedded database.") from None
    return url


def database_url() -> str:
    """The database to use: ``DATABASE_URL`` when set, else the embedded cluster's ``safestats`` db."""
    url = config.env_database_url()
    if url:
        return check_url(url)
    return Cluster().url(config.DEFAULT_DBNAME)


def session_url() -> str:
    """The URL a person's own sessions use (psql, the pg_service entry, QGIS): ``DATABASE_URL`` when set,
    else the embedded cluster's personal, non-superuser login (``safestats db url``). SafeStats' own
    commands use :func:`database_url` (the cluster's superuser, reachable only by its OS user)."""
    url = config.env_database_url()
    if url:
        return config.libpq_url(url)
    return Cluster().user_url(config.DEFAULT_DBNAME)


def connect(url: str | None = None, autocommit: bool = True, **kw) -> psycopg.Connection:
    """A psycopg 3 connection, with a message that says what to do when the server is not there.

    Autocommit by default: SafeStats code opens explicit ``conn.transaction()`` blocks, which are
    then real transactions (one per file load), not savepoints of an implicit one.
    """
    url = check_url(url, "the database URL") if url else database_url()
    kw["autocommit"] = autocommit
    try:
        return psycopg.connect(url, **kw)
    except psycopg.OperationalError as e:
        hint = ("Start the embedded database with `safestats db up` (or `make demo`)"
                if not config.env_database_url()
                else "Check DATABASE_URL and that the server is running")
        raise DatabaseUnavailable(f"Cannot connect to the SafeStats database: {e}\n{hint}.") from e


def alembic_config(url: str):
    from alembic.config import Config
    cfg = Config()
    cfg.set_main_option("script_location", str(config.MIGRATIONS_DIR))
    # Revisions `import migration_helpers` from db/migrations; make that importable wherever the
    # scripts are loaded (upgrade, or just reading the history).
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("prepend_sys_path", str(config.MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", config.sqlalchemy_url(url).replace("%", "%%"))
    return cfg


def function_files() -> list[Path]:
    """The SQL sources in db/functions, in their install order (the numeric file-name prefix)."""
    return sorted(config.FUNCTIONS_DIR.glob("*.sql"))


def install_functions(conn: psycopg.Connection) -> list[str]:
    """(Re)create every function and view from db/functions with CREATE OR REPLACE, as the owner,
    then apply the least-privilege matrix (db/access_matrix.toml).

    One transaction: either all sources are installed or none is.
    """
    installed = []
    with conn.transaction():
        conn.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
        for path in function_files():
            try:
                conn.execute(path.read_text())
            except psycopg.Error as e:
                raise RuntimeError(f"{path.relative_to(config.REPO_ROOT)}: {e}") from e
            installed.append(path.name)
        # Grants that differ from the schema defaults come from db/access_matrix.toml.
        from . import access_matrix
        access_matrix.apply(conn)
    return installed


def install_functions_url(url: str | None = None) -> list[str]:
    with connect(url) as conn:
        return install_functions(conn)


def upgrade(url: str | None = None, revision: str = "head", functions: bool = True) -> None:
    """Alembic upgrade to ``revision``, then reinstall db/functions (the single truth for bodies)."""
    from alembic import command
    url = url or database_url()
    command.upgrade(alembic_config(url), revision)
    if functions:
        install_functions_url(url)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    from alembic import command
    url = url or database_url()
    command.downgrade(alembic_config(url), revision)


def current_revision(url: str | None = None) -> str | None:
    with connect(url) as conn:
        exists = conn.execute("SELECT to_regclass('public.alembic_version')").fetchone()[0]
        if not exists:
            return None
        row = conn.execute("SELECT version_num FROM public.alembic_version").fetchone()
        return row[0] if row else None


@contextmanager
def cursor(url: str | None = None):
    with connect(url) as conn, conn.cursor() as cur:
        yield cur
