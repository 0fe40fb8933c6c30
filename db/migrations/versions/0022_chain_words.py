"""Chains' words of the gazetteer: the geocoder reads a chain named among other words (issue 14).

A&E and workplace texts name a chain's branch by the chain and a place beside it: "Ruislip Waitrose",
"Tesco store at Bayswater", "Shadwell Iceland Store". The place's own name often matches better than any of
the chain's venues, so the geocoder needs to know which of the text's words is a chain's. Worked out per
text, that cost a grouped count over the hundreds of venues holding the word (2-3 ms a text, half the
geocoder's time). ``gazetteer.chain_word`` lists those words once: a word that begins fifteen venue names
or more and 70% of the gazetteer's names holding it, one name of them (the chain's own) being at least 40%
of them ("tesco", "dominos", "pret"; not "royal", "kings" or a place's name). Rebuilt with the gazetteer
(``safestats_internal.gazetteer_chain_words``, db/functions/210_gazetteer_rebuild.sql) and read by
``safestats_internal.geocode_text_chain``.

Revision ID: 0022_chain_words
Revises: 0021_code_catchment
Create Date: 2026-12-08
"""
from alembic import op

revision = "0022_chain_words"
down_revision = "0021_code_catchment"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
    CREATE TABLE gazetteer.chain_word (
      word       text PRIMARY KEY,
      venues     integer NOT NULL,
      top_name   text NOT NULL,
      top_names  integer NOT NULL
    )""")
    op.execute("COMMENT ON TABLE gazetteer.chain_word IS 'Words naming a chain (tesco, dominos, pret ...): "
               "each begins at least fifteen venue names and 70% of the gazetteer''s names holding it, one "
               "name of those being at least 40% of them. Rebuilt with the gazetteer; the geocoder reads a "
               "chain named beside an area, a station or a street with it.'")
    op.execute("COMMENT ON COLUMN gazetteer.chain_word.word IS 'The chain''s word (normalised).'")
    op.execute("COMMENT ON COLUMN gazetteer.chain_word.venues IS 'Active venues whose name begins with the "
               "word.'")
    op.execute("COMMENT ON COLUMN gazetteer.chain_word.top_name IS 'The commonest of those names "
               "(normalised): the chain''s own.'")
    op.execute("COMMENT ON COLUMN gazetteer.chain_word.top_names IS 'Active venues of that name.'")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS gazetteer.chain_word")
