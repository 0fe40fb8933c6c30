"""Shared fixtures: one throwaway PostGIS cluster per test session, a migrated template database
with London's geography, and a fresh copy of it per test module.

Fixtures other test modules use:
- ``pg_cluster``: the session's :class:`safestats.cluster.Cluster`.
- ``template_db``: name of the migrated template (reference geography loaded from the shipped data).
- ``db_url``: URL of this module's own database, copied from the template (module scope).
- ``conn``: an autocommit psycopg connection to ``db_url`` (function scope).
- ``empty_db_url``: factory making a new empty database (no migrations) and returning its URL.
- ``run_cli``: runs ``safestats`` in-process against ``db_url``; returns (exit code, stdout, stderr).
"""
from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
import uuid
from pathlib import Path

import psycopg
import pytest

from safestats import config, db
from safestats.cluster import Cluster

SHARED_DATA = config.SHARED_DATA_DIR
TEMPLATE = "safestats_template"


def _free_port() -> int:
    # The server listens on a Unix socket only; the port just names the socket file. Pick one
    # unlikely to collide with a parallel run.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pg_cluster():
    base = Path(tempfile.mkdtemp(prefix="safestats-test-", dir="/tmp"))
    os.chmod(base, 0o755)
    # local_auth="trust": a throwaway cluster any local connection may enter as any role, so tests log in
    # as the logins they create. The embedded default is private (peer auth; see
    # tests/security/test_security_embedded.py).
    cluster = Cluster(home=base, port=_free_port(),
                      settings={"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
                                "shared_buffers": "'128MB'"},
                      local_auth="trust")
    cluster.start()
    cluster.wait_ready()
    yield cluster
    cluster.stop()
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def template_db(pg_cluster):
    """Migrated to head, functions installed, reference geography loaded (shipped copy)."""
    from safestats.reference import load_reference
    pg_cluster.ensure_database(TEMPLATE)
    url = pg_cluster.url(TEMPLATE)
    db.upgrade(url)
    with db.connect(url) as conn:
        load_reference(conn, quiet=True)
        conn.execute("VACUUM ANALYZE")
    return TEMPLATE


def _create_db(cluster: Cluster, template: str | None) -> str:
    name = f"t_{uuid.uuid4().hex[:10]}"
    cluster.ensure_database(name, template=template)
    return name


def _drop_db(cluster: Cluster, name: str) -> None:
    with psycopg.connect(cluster.url("postgres"), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def db_url(pg_cluster, template_db):
    name = _create_db(pg_cluster, template_db)
    yield pg_cluster.url(name)
    _drop_db(pg_cluster, name)


@pytest.fixture
def conn(db_url):
    with db.connect(db_url) as c:
        yield c


@pytest.fixture
def empty_db_url(pg_cluster):
    made = []

    def make() -> str:
        name = _create_db(pg_cluster, "template0")
        made.append(name)
        return pg_cluster.url(name)

    yield make
    for name in made:
        _drop_db(pg_cluster, name)


@pytest.fixture
def run_cli(db_url, monkeypatch, capsys):
    from safestats.cli import main

    def run(*argv: str):
        monkeypatch.setenv("DATABASE_URL", db_url)
        code = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.skip(f"the shared open data folder {SHARED_DATA} is absent "
                    "(tests read it from beside the checkout, or from $SAFESTATS_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _settle_map_canvas():
    """After each test, let pytest-qgis's shared map canvas finish (or cancel) any render job and forget
    its layers. A canvas that is shown (the dock tests show it) starts rendering in a worker thread as
    soon as a layer is added; the next test's ``qgis_new_project`` then deletes that layer while the
    job may still be drawing it, which crashed a CI run (SIGSEGV in a render thread). QGIS itself stops
    the canvas before it clears a project; this does the same between tests."""
    yield
    plugin = sys.modules.get("pytest_qgis.plugin")
    canvas = getattr(plugin, "_CANVAS", None) if plugin else None
    if canvas is None:
        return
    from qgis.PyQt import sip
    from qgis.PyQt.QtCore import QCoreApplication, QEvent
    if sip.isdeleted(canvas):
        return
    canvas.stopRendering()
    canvas.waitWhileRendering()
    canvas.setLayers([])
    QCoreApplication.processEvents()
    # widgets closed with deleteLater() go now, not at some later, arbitrary processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    canvas.stopRendering()
    canvas.waitWhileRendering()
