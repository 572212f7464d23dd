"""Look inside: a layer's output for the current input (its feature maps, one small picture per
channel) and, for attention layers, the attention weights of each head as a matrix over the
tokens or patches. The layer follows the canvas selection; the forward pass runs on a worker."""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.core.explain import Prepared, Subject, attention_maps, feature_layers, feature_maps
from workbench.core.explain.activations import AttentionMap
from workbench.ui.explain.pictures import PictureView, heat_image
from workbench.ui.i18n import translator
from workbench.ui.threads import BackgroundTask

tr = translator("explain.inside")

MAX_MAPS = 32  # channels drawn; the caption says how many there are


class InsideView(QWidget):
    message = Signal(str)
    shown = Signal(str)  # the layer whose output is on screen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.subject: Subject | None = None
        self.prepared: Prepared | None = None
        self.task: BackgroundTask | None = None
        self._pending: str | None = None
        self.maps: np.ndarray | None = None
        self.shown_layer = ""
        self.attention: list[AttentionMap] = []

        self.layer = QComboBox()
        self.layer.currentIndexChanged.connect(lambda _i: self.refresh())
        self.block = QComboBox()
        self.block.currentIndexChanged.connect(lambda _i: self._draw())
        form = QFormLayout()
        form.addRow(tr("Layer"), self.layer)
        form.addRow(tr("Attention"), self.block)
        self.caption = QLabel(tr("Open a trained model and an input, then pick a layer here or "
                              "on the canvas."))
        self.caption.setWordWrap(True)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.caption)
        layout.addWidget(scroll, 1)
        self.block.setVisible(False)
        form.labelForField(self.block).setVisible(False)
        self._block_label = form.labelForField(self.block)

    def set_subject(self, subject: Subject | None) -> None:
        self.wait()
        self.subject, self.prepared = subject, None
        self.layer.blockSignals(True)
        self.layer.clear()
        if subject is not None:
            for name in feature_layers(subject):
                self.layer.addItem(f"{name} ({subject.spec.node(name).kind})", name)
        self.layer.blockSignals(False)
        self._clear()

    def set_input(self, prepared: Prepared | None) -> None:
        self.prepared = prepared
        self.refresh()

    def show_layer(self, name: str) -> bool:
        i = self.layer.findData(name)
        if i < 0:
            return False
        if i == self.layer.currentIndex():
            self.refresh()
        else:
            self.layer.setCurrentIndex(i)  # refreshes
        return True

    # -- the forward pass, on a worker ------------------------------------------------------
    def refresh(self) -> None:
        name = self.layer.currentData()
        if self.subject is None or self.prepared is None or name is None:
            return
        if self.task is not None and self.task.is_running():
            self._pending = name  # after this one: only the latest choice matters
            return
        subject, prepared = self.subject, self.prepared

        def work(_progress):
            return name, feature_maps(subject, prepared, name), attention_maps(subject,
                                                                                prepared, name)

        self.caption.setText(f"Running the model up to {name}…")
        self.task = BackgroundTask(work, self)
        self.task.done.connect(self._on_done)
        self.task.failed.connect(lambda m: self.caption.setText(f"Cannot look inside: {m}"))
        self.task.start()

    def wait(self, timeout: float = 30.0) -> bool:
        ok = True
        if self.task is not None:
            ok = self.task.wait(timeout)
        self.task = None
        return ok

    def _on_done(self, result: tuple[str, np.ndarray, list[AttentionMap]]) -> None:
        name, self.maps, self.attention = result
        self.block.blockSignals(True)
        self.block.clear()
        for m in self.attention:
            self.block.addItem(m.name)
        self.block.blockSignals(False)
        self.block.setVisible(len(self.attention) > 1)
        self._block_label.setVisible(len(self.attention) > 1)
        self.shown_layer = name
        self._draw()
        self.shown.emit(name)
        pending, self._pending = self._pending, None
        if pending is not None and pending != name:
            self.refresh()

    # -- drawing ---------------------------------------------------------------------------
    def _clear(self) -> None:
        while self.grid.count():
            w = self.grid.takeAt(0).widget()
            if w is not None:
                w.deleteLater()

    def _add(self, pictures: list[tuple[np.ndarray, bool, str]], columns: int) -> None:
        self._clear()
        size = 150 if columns <= 2 else 96
        for i, (values, signed, caption) in enumerate(pictures):
            view = PictureView(caption, minimum=size)
            view.set_layers([heat_image(values, signed)])
            self.grid.addWidget(view, i // columns, i % columns)

    def _draw(self) -> None:
        if self.maps is None:
            return
        name = self.shown_layer
        if self.attention:
            m = self.attention[max(0, self.block.currentIndex())]
            heads, queries, keys = m.weights.shape
            tokens = self.prepared.tokens if self.prepared is not None else None
            what = (f"tokens: {html.escape(' '.join(tokens[:keys]))}" if tokens
                    else "positions (patches, with the class token first if there is one)")
            self.caption.setText(
                f"<b>{m.name}</b>: attention weights of {heads} heads, {queries} queries "
                f"(rows) x {keys} keys (columns); each row sums to 1. Over {what}.")
            self._add([(m.weights[h], False, f"head {h + 1}") for h in range(heads)],
                      min(4, heads))
            return
        a = self.maps
        signed = bool((a < 0).any())
        if a.ndim == 3:
            c, h, w = a.shape
            shown = min(c, MAX_MAPS)
            self.caption.setText(
                f"<b>{name}</b>: {c} feature maps of {h} x {w}" +
                (f" (the first {shown} shown)" if shown < c else "") +
                ", each on its own scale (bright: strong).")
            self._add([(a[i], signed and bool((a[i] < 0).any()), f"{i}") for i in range(shown)],
                      8)
        elif a.ndim == 2:
            self.caption.setText(f"<b>{name}</b>: {a.shape[0]} steps (rows) x {a.shape[1]} "
                                 "features (columns).")
            self._add([(a, signed, name)], 1)
        else:
            v = a.reshape(1, -1)
            self.caption.setText(f"<b>{name}</b>: {v.shape[1]} values; largest "
                                 f"{float(v.max()):.3g}, smallest {float(v.min()):.3g}.")
            self._add([(v, signed, name)], 1)

    def picture_count(self) -> int:
        return self.grid.count()
