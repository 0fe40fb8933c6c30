"""The panel stays responsive while the server is slow, and its Cancel button stops the query on the
server: database calls from the dock run as QgsTasks (real QGIS task manager, real PostgreSQL)."""
from __future__ import annotations

import pytest
from qgis.PyQt.QtCore import QCoreApplication, QElapsedTimer, QEventLoop, QThread, QTimer
from test_plugin_layers import qgis_uri

from qgis_plugin.core import connection
from qgis_plugin.gui.dock import SETTINGS_KEY, SafeStatsDock

CONN = "SafeStats test tasks"
MARK = "safestats-slow-panel-test"


def _spin_until(condition, limit_ms=30_000) -> bool:
    """Run the event loop until ``condition()`` holds (True) or ``limit_ms`` passes (False)."""
    timer = QElapsedTimer()
    timer.start()
    while not condition():
        if timer.elapsed() > limit_ms:
            return False
        QCoreApplication.processEvents(QEventLoop.AllEvents, 50)
        QThread.msleep(10)
    return True


def _running(conn) -> int:
    return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE %s "
                        "AND pid <> pg_backend_pid()", (f"%{MARK}%",)).fetchone()[0]


@pytest.fixture
def dock(db_url, qgis_iface, qgis_new_project):
    from qgis.core import QgsSettings
    connection.save_connection(CONN, qgis_uri(db_url))
    QgsSettings().setValue(SETTINGS_KEY, CONN)
    d = SafeStatsDock(qgis_iface)
    assert d.wait(), "connecting did not finish"
    assert d.db is not None, d.status.text()
    yield d
    d.close_down()
    d.deleteLater()


def test_connecting_runs_in_the_background(db_url, qgis_iface, qgis_new_project):
    from qgis.core import QgsSettings
    connection.save_connection(CONN, qgis_uri(db_url))
    QgsSettings().setValue(SETTINGS_KEY, CONN)
    d = SafeStatsDock(qgis_iface)
    # the constructor returned before the catalogue was read: the work is a task, not a main-thread call
    assert d.db is None and d.runner.busy()
    assert d.wait()
    assert d.db is not None and d.entries and d.status.text().startswith("Connected to")
    d.close_down()
    d.deleteLater()


def test_slow_query_keeps_the_panel_responsive_and_cancel_stops_it(dock, conn):
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    results, failures = [], []
    dock.run("SafeStats: slow test query", lambda db: db.query(f"SELECT pg_sleep(60), '{MARK}'"),
             results.append, failures.append)
    assert _spin_until(lambda: _running(conn) == 1), "the slow query never reached the server"
    before = len(ticks)
    assert _spin_until(lambda: len(ticks) >= before + 5)       # the event loop runs meanwhile
    assert not dock.cancel_button.isHidden() and not dock.progress.isHidden()
    assert dock.runner.busy() and results == [] and failures == []
    dock.cancel_button.click()
    assert dock.wait(30_000)
    assert failures == ["Cancelled."] and results == []
    # the statement is gone from the server long before its 60 s were up
    assert _spin_until(lambda: _running(conn) == 0, 20_000), "cancel did not stop the server-side query"
    assert dock.cancel_button.isHidden() and dock.progress.isHidden()
    timer.stop()


def test_a_failing_query_reports_in_the_panel(dock):
    failures = []
    dock.run("SafeStats: bad query", lambda db: db.query("SELECT no_such_column FROM safestats.load"),
             lambda _r: None, failures.append)
    assert dock.wait()
    assert len(failures) == 1 and "no_such_column" in failures[0]
