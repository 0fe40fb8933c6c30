"""Typo look-up for the geocoder: an index on each gazetteer word's first letter and length.

A short typo breaks most of a word's trigrams ("ceicl" for "cecil", "tunnl" for "tunnel"), so the
trigram index finds nothing for it. safestats.geocode_candidates (db/functions/220_geocode.sql) then
looks for words one or two edits away (fuzzystrmatch's levenshtein, installed by the baseline) among
those with the same first letter and a length within one; this index makes that a small range scan
instead of a pass over every word.

Revision ID: 0009_word_typos
Revises: 0008_load_speed
Create Date: 2026-11-25
"""
from alembic import op

revision = "0009_word_typos"
down_revision = "0008_load_speed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX word_first_len ON gazetteer.word (left(word, 1), length(word))")
    op.execute("COMMENT ON INDEX gazetteer.word_first_len IS 'First letter and length of each word: the "
               "geocoder''s look-up of words one or two edits away from a typo the trigram index "
               "cannot match.'")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS gazetteer.word_first_len")
