"""A read-only log the analyst can select and copy (also in QGIS's Log Messages, tab SafeStats)."""
from __future__ import annotations

from qgis.PyQt.QtWidgets import QApplication, QHBoxLayout, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from ..core import log


class LogPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setPlainText("\n".join(log.lines()))
        copy = QPushButton(self.tr("Copy log"), self)
        copy.clicked.connect(self.copy)
        clear = QPushButton(self.tr("Clear"), self)
        clear.clicked.connect(self.text.clear)
        buttons = QHBoxLayout()
        buttons.addWidget(copy)
        buttons.addWidget(clear)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.text)
        lay.addLayout(buttons)
        log.add_listener(self.append)

    def append(self, line: str) -> None:
        self.text.appendPlainText(line)

    def copy(self) -> None:
        QApplication.clipboard().setText(self.text.toPlainText())

    def close_down(self) -> None:
        log.remove_listener(self.append)
