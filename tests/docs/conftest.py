"""A demo-shaped database for the documentation tests: every step of `safestats demo` but the QGIS
registration (which writes the user's service file and QGIS profile), on this module's database."""
from __future__ import annotations

import os

import pytest

from safestats import db


@pytest.fixture(scope="module")
def demo_db(db_url):
    from safestats import demo
    before = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = db_url          # the demo's synthetic files go to a temporary folder
    try:
        with db.connect(db_url) as conn:
            for _title, step in demo.STEPS:
                if step is not demo.qgis_step:
                    step(conn, True)
    finally:
        if before is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = before
    return db_url
