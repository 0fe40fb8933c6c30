"""Database work off QGIS's main thread: one :class:`DbTask` (a ``QgsTask``) per panel action.

The work function runs in QGIS's task manager thread with a :class:`~qgis.core.QgsFeedback` whose
cancellation reaches the server (``executeSql(sql, feedback)`` cancels the running statement on the
PostgreSQL connection); its result, or its error, is handed to callbacks that Qt runs on the main
thread (``taskCompleted`` / ``taskTerminated`` are emitted there). The task shows in QGIS's task
manager (status bar) with its progress and a cancel button; the panels also show their own.
"""
from __future__ import annotations

from collections.abc import Callable

from qgis.core import QgsApplication, QgsFeedback, QgsTask
from qgis.PyQt.QtCore import QCoreApplication, QEventLoop, QThread

from .connection import SafeStatsError


class DbTask(QgsTask):
    """Run ``work(feedback)`` in the background; then ``done(result)`` or ``failed(message)`` on the
    main thread. ``cancel()`` cancels the feedback too, which stops the server-side query."""

    def __init__(self, description: str, work: Callable, done: Callable | None = None,
                 failed: Callable | None = None):
        super().__init__(description, QgsTask.CanCancel)
        self.work = work
        self.done = done
        self.failed = failed
        self.feedback = QgsFeedback()
        self.feedback.progressChanged.connect(self.setProgress)
        self.result = None
        self.error: str | None = None
        self.finished_flag = False
        self.main_thread = QCoreApplication.instance().thread()

    def run(self) -> bool:  # runs in the task manager's thread
        try:
            self.result = self.work(self.feedback)
        except SafeStatsError as e:
            self.error = str(e)
            return False
        except Exception as e:  # noqa: BLE001 — any failure must reach the panel, not vanish in a thread
            self.error = f"{type(e).__name__}: {e}"
            return False
        objects = self.result if isinstance(self.result, (list, tuple)) else [self.result]
        for obj in objects:
            # Layers made in this thread belong to the main thread before the project sees them.
            mine = hasattr(obj, "thread") and obj.thread() is QThread.currentThread()
            if hasattr(obj, "moveToThread") and mine:
                obj.moveToThread(self.main_thread)
            if hasattr(obj, "layer") and hasattr(obj.layer, "moveToThread"):
                obj.layer.moveToThread(self.main_thread)
        return not self.isCanceled()

    def cancel(self) -> None:
        self.feedback.cancel()
        super().cancel()

    def finished(self, ok: bool) -> None:  # main thread
        self.finished_flag = True
        if ok and self.done is not None:
            self.done(self.result)
        elif not ok and self.failed is not None:
            self.failed(QCoreApplication.translate("SafeStats", "Cancelled.") if self.isCanceled()
                        else (self.error or QCoreApplication.translate("SafeStats", "The task failed.")))


class TaskRunner:
    """The tasks of one panel: start them, cancel them all, wait for them (tests, scripts)."""

    def __init__(self, on_busy: Callable[[bool, str], None] | None = None):
        self.tasks: list[DbTask] = []
        self.on_busy = on_busy

    def start(self, description: str, work: Callable, done: Callable | None = None,
              failed: Callable | None = None) -> DbTask:
        task = DbTask(description, work, self._wrap(done), self._wrap_failed(failed))
        self.tasks.append(task)             # keep a Python reference while QGIS runs it
        if self.on_busy:
            self.on_busy(True, description)
        QgsApplication.taskManager().addTask(task)
        return task

    def _wrap(self, fn):
        def call(result):
            self._settle()
            if fn is not None:
                fn(result)
        return call

    def _wrap_failed(self, fn):
        def call(message):
            self._settle()
            if fn is not None:
                fn(message)
        return call

    def _settle(self) -> None:
        self.tasks = [t for t in self.tasks if not t.finished_flag]
        if self.on_busy and not self.busy():
            self.on_busy(False, "")

    def busy(self) -> bool:
        return any(not t.finished_flag for t in self.tasks)

    def cancel_all(self) -> None:
        for t in list(self.tasks):
            if not t.finished_flag:
                t.cancel()

    def wait(self, timeout_ms: int = 120_000) -> bool:
        """Run the event loop until every task has finished and delivered its result (True), or the
        timeout passes (False)."""
        from qgis.PyQt.QtCore import QElapsedTimer
        timer = QElapsedTimer()
        timer.start()
        while self.busy() and timer.elapsed() < timeout_ms:
            QCoreApplication.processEvents(QEventLoop.AllEvents, 50)
            QThread.msleep(5)
        QCoreApplication.processEvents()
        return not self.busy()
