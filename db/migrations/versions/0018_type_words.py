"""Kind-of-place words of the gazetteer: the geocoder's evidence test for non-place answers (issue 14).

A&E texts such as "in a nightclub", "at my workplace canteen" or "in the street somewhere" name a kind
of place, not a place. Matched word by word against the gazetteer they find venues whose whole name is
such a word ("The Canteen", "The Saint"). ``gazetteer.type_word`` lists the words that are kinds of
place by the gazetteer's own evidence: words that end many venue names ("... School", "... Cafe",
"... Canteen", "... Arms") much more often than they appear elsewhere in them. It is rebuilt with the
gazetteer (``safestats_internal.gazetteer_type_words``, db/functions/210_gazetteer_rebuild.sql); the
geocoder never accepts a venue found by a name made only of such words and of the non-place vocabulary
(``safestats_internal.geocode_weak_evidence``).

Revision ID: 0018_type_words
Revises: 0016_violence_releases
Create Date: 2026-12-05
"""
from alembic import op

revision = "0018_type_words"
down_revision = "0016_violence_releases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
    CREATE TABLE gazetteer.type_word (
      word        text PRIMARY KEY,
      names       integer NOT NULL,   -- distinct venue names holding the word
      head_names  integer NOT NULL    -- of those, names of two words or more that end with it
    )""")
    op.execute("COMMENT ON TABLE gazetteer.type_word IS 'Words naming a kind of place (school, cafe, bar, "
               "canteen, arms ...): words that end at least 20 distinct venue names and at least 60% of "
               "the venue names holding them. Rebuilt with the gazetteer; a venue whose name is only such "
               "words and non-place vocabulary is never a geocoding answer by its name alone.'")
    op.execute("COMMENT ON COLUMN gazetteer.type_word.word IS 'A word naming a kind of place (normalised).'")
    op.execute("COMMENT ON COLUMN gazetteer.type_word.names IS 'Distinct venue names holding the word.'")
    op.execute("COMMENT ON COLUMN gazetteer.type_word.head_names IS 'Distinct venue names of two words or "
               "more that end with the word.'")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS gazetteer.type_word")
