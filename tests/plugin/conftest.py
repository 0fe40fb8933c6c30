"""Fixtures of the plugin tests."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

# `make docs-images` sets this to docs/images and runs the tests marked docs_picture, so the manual's
# pictures are refreshed on purpose; a plain test run writes its pictures to the test's tmp_path only.
DOCS_IMAGES_ENV = "SAFESTATS_DOCS_IMAGES"


@pytest.fixture
def pictures(tmp_path) -> Path:
    """Where a test writes the pictures it renders: its own tmp_path, or the folder named by
    ``SAFESTATS_DOCS_IMAGES`` (docs/images under ``make docs-images``)."""
    folder = os.environ.get(DOCS_IMAGES_ENV)
    if not folder:
        return tmp_path
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path
