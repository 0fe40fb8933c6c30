"""QGIS's standard layer_styles table, so layers opened from the QGIS Browser come styled.

QGIS would create this table itself on the first "save style to database", but only for a user
allowed to create tables in ``public``; SafeStats creates it up front, owned by the owner role,
readable by every group role and writable by admins (who store the SafeStats styles).

Revision ID: 0006_qgis
Revises: 0005_landscape
Create Date: 2026-11-25
"""
import migration_helpers as mh
from alembic import op

revision = "0006_qgis"
down_revision = "0005_landscape"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # PostgreSQL 15 gives no CREATE on schema public to other roles: create as superuser, then hand
    # the table to the owner role so the default grants apply as for every other SafeStats table.
    mh.as_superuser_begin()
    # Column names and types as QGIS (QgsPostgresProvider) creates them, so QGIS reads and writes it
    # unchanged; "type" is the column QGIS 3.22+ adds for the layer type.
    op.execute("""
    CREATE TABLE public.layer_styles (
      id                serial PRIMARY KEY,
      f_table_catalog   varchar,
      f_table_schema    varchar,
      f_table_name      varchar,
      f_geometry_column varchar,
      stylename         text,
      styleqml          xml,
      stylesld          xml,
      useasdefault      boolean,
      description       text,
      owner             varchar(63) DEFAULT CURRENT_USER,
      ui                xml,
      update_time       timestamp DEFAULT CURRENT_TIMESTAMP,
      type              varchar
    )""")
    op.execute("""COMMENT ON TABLE public.layer_styles IS 'QGIS layer styles stored in the database (QGIS''s
own table): the SafeStats plugin saves its style of each view here as the default, so the view opens
styled from the QGIS Browser too.'""")
    op.execute("ALTER TABLE public.layer_styles OWNER TO safestats_owner")
    op.execute("GRANT SELECT ON public.layer_styles TO safestats_admin, safestats_loader, safestats_analyst, "
               "safestats_health, safestats_public")
    op.execute("GRANT INSERT, UPDATE, DELETE ON public.layer_styles TO safestats_admin")
    op.execute("GRANT USAGE ON SEQUENCE public.layer_styles_id_seq TO safestats_admin")
    mh.as_owner()


def downgrade() -> None:
    mh.as_superuser_begin()
    op.execute("DROP TABLE public.layer_styles")
    mh.as_owner()
