"""Alembic environment: runs every revision in one transaction, as the NOLOGIN owner role.

Objects created by revisions are owned by ``safestats_owner`` so the default privileges set in
the baseline grant them to the group roles the moment they are created. Revisions that need
superuser powers (extensions) step out with ``RESET ROLE`` and back in (see migration_helpers.py).

Run through ``safestats migrate`` / ``safestats.db.upgrade``: ``safestats.db.alembic_config`` sets
the script location and ``prepend_sys_path`` (this directory, so revisions can ``import
migration_helpers``). An alembic.ini of your own needs both, plus sqlalchemy.url or DATABASE_URL.
"""
import os

from alembic import context
from sqlalchemy import create_engine, pool, text

from safestats.config import sqlalchemy_url

config = context.config
url = config.get_main_option("sqlalchemy.url") or sqlalchemy_url(os.environ["DATABASE_URL"])


def run_migrations_online() -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        # The owner role is cluster-wide, but it only owns this database's objects once the baseline
        # has run here (the baseline grants it CREATE on the database).
        owner_ready = connection.execute(text(
            "SELECT pg_has_role(current_user, oid, 'MEMBER') "
            "AND has_database_privilege(oid, current_database(), 'CREATE') "
            "FROM pg_roles WHERE rolname = 'safestats_owner'")).scalar()
        if owner_ready:
            connection.execute(text("SET ROLE safestats_owner"))
        context.configure(connection=connection, transaction_per_migration=False)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("SafeStats migrations run online only (they inspect the server).")
run_migrations_online()
