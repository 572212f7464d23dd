"""The Generate window for a text run: a prompt, the sampling settings (length, temperature,
top-k, top-p, seed) and the text as it is written, token by token. A tool window beside the
main window, opened with ``show_generate`` from the Evaluation or Runs tab."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont, QTextCursor
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.core.generate.text import Sampling
from workbench.ui.generate.text_worker import TextGeneration
from workbench.ui.i18n import tr_noop, translator

tr = translator("generate.text_window")

if TYPE_CHECKING:
    from torch import nn

    from workbench.core.data.meta import DataMeta

_WINDOWS: weakref.WeakKeyDictionary[QWidget, GenerateWindow] = weakref.WeakKeyDictionary()


class GenerateWindow(QWidget):
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("GenerateWindow")
        self.setWindowTitle(tr("Generate text — Workbench"))
        self.resize(900, 640)
        self.run_dir: str | None = None
        self._model: nn.Module | None = None
        self._meta: DataMeta | None = None
        self.generation: TextGeneration | None = None
        self.title = QLabel("")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.prompt = QPlainTextEdit()
        self.prompt.setPlaceholderText(tr("The text to continue (empty: start a new line)"))
        self.prompt.setMaximumHeight(70)
        self.length = _spin(1, 100_000, 300, tr("Tokens to write"))
        self.temperature = _real(0.0, 5.0, 0.8, 0.05, tr("Below 1 safer, above 1 wilder; 0 always "
                                                          "takes the likeliest token"))
        self.top_k = _spin(0, 100_000, 0, tr("Draw only among the k likeliest tokens (0: off)"))
        self.top_k.setSpecialValueText(tr("off"))
        self.top_p = _real(0.01, 1.0, 1.0, 0.05, tr(
            "Draw only among the likeliest tokens that make up this share of the probability "
            "(1: off)"))
        self.seed = _spin(0, 2**31 - 1, 0, tr("The same seed writes the same text"))
        form = QFormLayout()
        for label, w in ((tr_noop("Length"), self.length),
                         (tr_noop("Temperature"), self.temperature),
                         ("Top-k", self.top_k), ("Top-p", self.top_p),
                         (tr_noop("Seed"), self.seed)):
            form.addRow(tr(label), w)
        self.generate_button = QPushButton(tr("Generate"))
        self.generate_button.setDefault(True)
        self.generate_button.clicked.connect(self.generate)
        self.stop_button = QPushButton(tr("Stop"))
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        buttons = QHBoxLayout()
        buttons.addWidget(self.generate_button)
        buttons.addWidget(self.stop_button)
        left = QVBoxLayout()
        left.addWidget(QLabel(tr("Prompt")))
        left.addWidget(self.prompt)
        left.addLayout(form)
        left.addLayout(buttons)
        left.addStretch(1)
        self.output = QPlainTextEdit()
        self.output.setReadOnly(True)
        self.output.setObjectName("generated_text")
        self.output.setFont(QFont("monospace"))
        self.status = QLabel("")
        self.status.setWordWrap(True)
        right = QVBoxLayout()
        right.addWidget(self.output, 1)
        right.addWidget(self.status)
        body = QHBoxLayout()
        side = QWidget()
        side.setLayout(left)
        side.setFixedWidth(300)
        body.addWidget(side)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(body, 1)

    def set_run(self, run_dir: str | None, title: str, model: nn.Module | None = None,
                meta: DataMeta | None = None) -> None:
        """Generate with ``run_dir``'s best checkpoint, or with ``model`` and ``meta`` given."""
        self.stop()
        self.run_dir, self._model, self._meta = run_dir, model, meta
        self.title.setText(f"<b>{title}</b>")
        self.status.setText("")

    def sampling(self) -> Sampling:
        return Sampling(length=self.length.value(), temperature=self.temperature.value(),
                        top_k=self.top_k.value(), top_p=self.top_p.value(),
                        seed=self.seed.value())

    def generate(self) -> TextGeneration | None:
        if self.generation is not None and self.generation.is_running():
            return None
        prompt = self.prompt.toPlainText()
        self.output.setPlainText(prompt)
        self.generation = TextGeneration(prompt, self.sampling(), run_dir=self.run_dir,
                                         model=self._model, meta=self._meta, parent=self)
        self.generation.chunk.connect(self._append)
        self.generation.finished.connect(self._on_finished)
        self.generation.failed.connect(self._on_failed)
        self.generate_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.status.setText(tr("Writing…"))
        return self.generation.start()

    def stop(self) -> None:
        if self.generation is not None:
            self.generation.stop()

    def _append(self, text: str) -> None:
        cursor = self.output.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        self.output.setTextCursor(cursor)
        self.output.ensureCursorVisible()

    def _done(self) -> None:
        self.generate_button.setEnabled(True)
        self.stop_button.setEnabled(False)

    def _on_finished(self, status: str) -> None:
        self._done()
        n = self.generation.tokens if self.generation else 0
        text = tr("Stopped after {:,} tokens (seed {}).") if status == "stopped" else \
            tr("Wrote {:,} tokens (seed {}).")
        self.status.setText(text.format(n, self.seed.value()))

    def _on_failed(self, text: str) -> None:
        self._done()
        self.status.setText(tr("Cannot generate: {}").format(text))
        self.message.emit(tr("Cannot generate: {}").format(text))

    def shutdown(self, timeout: float = 30.0) -> bool:
        self.stop()
        return self.generation.wait(timeout) if self.generation is not None else True

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.shutdown()
        super().closeEvent(event)


def _spin(lo: int, hi: int, value: int, tip: str) -> QSpinBox:
    w = QSpinBox()
    w.setRange(lo, hi)
    w.setValue(value)
    w.setToolTip(tip)
    return w


def _real(lo: float, hi: float, value: float, step: float, tip: str) -> QDoubleSpinBox:
    w = QDoubleSpinBox()
    w.setRange(lo, hi)
    w.setDecimals(2)
    w.setSingleStep(step)
    w.setValue(value)
    w.setToolTip(tip)
    return w


def open_windows() -> list[GenerateWindow]:
    return list(_WINDOWS.values())


def show_generate(parent: QWidget, run_dir: str | None, title: str = "",
                  model: Any = None, meta: Any = None) -> GenerateWindow:
    """The parent's Generate window (one per parent, reused), on this run, raised."""
    window = _WINDOWS.get(parent)
    if window is None:
        window = GenerateWindow(parent)
        _WINDOWS[parent] = window
    window.set_run(run_dir, title or (run_dir or tr("the model")), model, meta)
    window.show()
    window.raise_()
    return window
