"""Shared pieces for revisions: ownership and schema grants.

Alembic loads revisions by file path; ``safestats.db.alembic_config`` puts this directory on
``sys.path`` (Alembic's ``prepend_sys_path``), so a revision does ``import migration_helpers as mh``.
"""
from alembic import op

OWNER = "safestats_owner"
GROUP_ROLES = ("safestats_admin", "safestats_loader", "safestats_analyst",
               "safestats_health", "safestats_public")


def as_superuser_begin() -> None:
    """Step out of the owner role (for CREATE EXTENSION and role management)."""
    op.execute("RESET ROLE")


def as_owner() -> None:
    op.execute(f"SET ROLE {OWNER}")


def create_schema(name: str, comment: str, readers=("safestats_admin", "safestats_loader",
                                                    "safestats_analyst", "safestats_health")) -> None:
    """A schema owned by the owner role, usable by ``readers``.

    Table/function privileges come from the baseline's default privileges; only USAGE on the
    schema itself has to be granted here.
    """
    op.execute(f"CREATE SCHEMA {name} AUTHORIZATION {OWNER}")
    op.execute(f"COMMENT ON SCHEMA {name} IS '{comment}'")
    if readers:
        op.execute(f"GRANT USAGE ON SCHEMA {name} TO {', '.join(readers)}")
