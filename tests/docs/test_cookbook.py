"""Every SQL example of docs/sql-cookbook.md runs on a demo-shaped database, returns rows, and
returns the columns its written answer shows (python -m safestats.cookbook --write rewrites them)."""
from __future__ import annotations

import pytest

from safestats import cookbook, db

# slow: builds a demo-shaped database (gazetteer, sources, Landscape, comparator runs)
pytestmark = pytest.mark.slow

TEXT = cookbook.COOKBOOK.read_text(encoding="utf-8")
EXAMPLES = cookbook.examples(TEXT)


def test_the_cookbook_has_at_least_twelve_questions():
    questions = {ex.title for ex in EXAMPLES}
    assert len(questions) >= 12, questions


def _written_columns(ex: cookbook.Example) -> list[str] | None:
    block = TEXT[ex.start:ex.end]
    if "```text\n" not in block:
        return None
    first = block.split("```text\n", 1)[1].splitlines()[0]
    return first.split()


@pytest.mark.parametrize("ex", EXAMPLES, ids=[f"{i + 1}:{ex.title[:40]}" for i, ex in enumerate(EXAMPLES)])
def test_example_runs_on_the_demo_data(demo_db, ex):
    with db.connect(demo_db) as conn:
        table = cookbook.run(conn, ex)
    assert table.rows, f"{ex.title}: no rows on the demo data"
    written = _written_columns(ex)
    assert written is None or written == table.columns, (
        f"{ex.title}: the answer in the cookbook shows {written}, the SQL returns {table.columns}; "
        "run python -m safestats.cookbook --write")
