"""The widgets of "Try it": an image drop area and the top-k predictions as bars."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QWidget

from workbench.ui.i18n import tr_noop, translator

tr = translator("evaluation.try_it")


class ImageDrop(QLabel):
    """Shows the chosen image; accepts an image file dropped on it."""

    dropped = Signal(str)
    PROMPT = tr_noop("Drop an image here\nor click Open image…")

    def __init__(self) -> None:
        super().__init__(tr(self.PROMPT))
        self.setAcceptDrops(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(120, 120)
        self.setStyleSheet("QLabel { border: 2px dashed #aaa; border-radius: 6px; color: #777; }")

    def set_image(self, pixmap: Any) -> None:
        """Show ``pixmap`` as large as the label allows, now and after every resize (the
        bars below take their room once the prediction is in: scaled once, it was cut)."""
        self._source = pixmap
        self._fit_image()

    def clear_image(self) -> None:
        """Back to the prompt (another model is tried: the last one's image is not its)."""
        self._source = None
        self.clear()
        self.setText(tr(self.PROMPT))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_image()

    def _fit_image(self) -> None:
        source = getattr(self, "_source", None)
        if source is None or source.isNull():
            return
        w, h = max(1, self.width() - 8), max(1, self.height() - 8)
        # small images (28 x 28 digits) are enlarged crisp, as the gallery shows them
        crisp = source.width() * 2 <= w and source.height() * 2 <= h
        mode = (Qt.TransformationMode.FastTransformation if crisp
                else Qt.TransformationMode.SmoothTransformation)
        self.setPixmap(source.scaled(w, h, Qt.AspectRatioMode.KeepAspectRatio, mode))

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.dropped.emit(url.toLocalFile())
                event.acceptProposedAction()
                return


class PredictionBars(QWidget):
    """Top-k predictions as labelled horizontal bars."""

    def __init__(self) -> None:
        super().__init__()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.rows: list[tuple[str, float]] = []

    def set_predictions(self, rows: list[tuple[str, float]]) -> None:
        while self.grid.count():
            w = self.grid.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        self.rows = list(rows)
        for i, (name, p) in enumerate(self.rows):
            label = QLabel(str(name))
            bar = QProgressBar()
            bar.setRange(0, 1000)
            bar.setValue(int(round(max(0.0, min(1.0, p)) * 1000)))
            bar.setFormat(f"{100 * p:.1f} %")
            bar.setTextVisible(False)  # the value goes beside the bar: on it, it was unreadable
            bar.setMaximumHeight(14)
            if i == 0:
                bar.setStyleSheet("QProgressBar::chunk { background: #1f77b4; }")
            else:
                bar.setStyleSheet("QProgressBar::chunk { background: #9ecae1; }")
            value = QLabel(f"{100 * p:.1f} %")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setMinimumWidth(value.fontMetrics().horizontalAdvance("100.0 %") + 4)
            self.grid.addWidget(label, i, 0)
            self.grid.addWidget(bar, i, 1)
            self.grid.addWidget(value, i, 2)
        self.grid.setColumnStretch(1, 1)
