"""The Explain view: method, target class, layer (Grad-CAM), Run / Cancel with progress on a
worker thread, and the result: the input beside the heat map over it with a colour scale
(images), the text on its colours (token models); Save PNG and Copy."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.explain import (
    METHODS,
    SLOW_METHODS,
    TITLES,
    Cancelled,
    Explanation,
    Prepared,
    Subject,
    explain,
    gradcam_layers,
)
from workbench.core.explain.render import headline, render_png, render_png_bytes, value_range
from workbench.ui.explain.pictures import (
    ColourScale,
    PictureView,
    array_to_qimage,
    heat_image,
    overlay_layers,
    token_html,
)
from workbench.ui.i18n import translator
from workbench.ui.threads import BackgroundTask

tr = translator("explain.view")

PREDICTED = "Predicted class"
DEFAULT_LAYER = "Last convolution (default)"


class ExplainView(QWidget):
    finished = Signal(object)  # the Explanation, or None when cancelled
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.subject: Subject | None = None
        self.prepared: Prepared | None = None
        self.result: Explanation | None = None
        self.task: BackgroundTask | None = None
        self._cancel = threading.Event()

        self.method = QComboBox()
        for m in METHODS:
            self.method.addItem(TITLES[m] + (" (slow)" if m in ("lime", "shap") else ""), m)
        self.method.setCurrentIndex(METHODS.index("gradcam"))
        self.method.currentIndexChanged.connect(self._method_changed)
        self.target = QComboBox()
        self.layer = QComboBox()
        self.layer.setToolTip(tr("Grad-CAM's convolution layer; selecting a layer on the canvas "
                              "picks it here"))
        self.run_button = QPushButton(tr("Run"))
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(12)
        self.save_button = QPushButton(tr("Save PNG…"))
        self.save_button.clicked.connect(lambda: self.save_png())
        self.copy_button = QPushButton(tr("Copy"))
        self.copy_button.clicked.connect(self.copy)

        form = QFormLayout()
        form.addRow(tr("Method"), self.method)
        form.addRow(tr("Target"), self.target)
        form.addRow(tr("Layer"), self.layer)
        buttons = QHBoxLayout()
        for b in (self.run_button, self.cancel_button):
            buttons.addWidget(b)
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.copy_button)

        self.input_view = PictureView("input")
        self.heat_view = PictureView("")
        self.layer_view = PictureView("", minimum=140)
        self.scale = ColourScale()
        pictures = QHBoxLayout()
        pictures.setContentsMargins(0, 0, 0, 0)
        pictures.addWidget(self.input_view, 3)
        pictures.addWidget(self.heat_view, 3)
        pictures.addWidget(self.layer_view, 2)
        self.pictures = QWidget()
        self.pictures.setLayout(pictures)
        self.tokens = QLabel("")
        self.tokens.setWordWrap(True)
        self.tokens.setTextFormat(Qt.TextFormat.RichText)
        self.tokens.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.tokens.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel(tr("Choose a method and press Run."))
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        body = QHBoxLayout()
        body.addWidget(self.pictures, 1)
        body.addWidget(self.tokens, 1)
        body.addWidget(self.scale)  # beside the map (images) or the text (tokens)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)
        self._set_busy(False)
        self._show_kind()

    # -- what is explained ------------------------------------------------------------------
    def set_subject(self, subject: Subject | None) -> None:
        self.cancel_and_wait()
        self.subject, self.prepared, self.result = subject, None, None
        self.target.clear()
        self.layer.clear()
        if subject is not None:
            self.target.addItem(PREDICTED, None)
            for i, name in enumerate(subject.class_names[:1000]):
                self.target.addItem(name if name == str(i) else f"{i}: {name}", i)
            if subject.kind == "image":
                self.layer.addItem(DEFAULT_LAYER, None)
                for name in gradcam_layers(subject):
                    self.layer.addItem(name, name)
            if subject.kind == "tokens" and self.current_method() == "gradcam":
                self.method.setCurrentIndex(METHODS.index("integrated-gradients"))
        self._clear_result()
        self._show_kind()
        self._set_busy(False)

    def set_input(self, value: Any) -> bool:
        """An image path, a text, or a raw sample tensor; shown at once, explained on Run."""
        if self.subject is None:
            return False
        try:
            self.prepared = self.subject.prepare(value)
        except Exception as exc:  # noqa: BLE001 - ExplainError, or anything a file can do
            self.prepared = None
            self.status.setText(f"Cannot use this input: {exc}")
            self._set_busy(False)
            return False
        self._clear_result()
        p = self.prepared
        if p.image is not None:
            self.input_view.set_layers([array_to_qimage(p.image)], p.label)
        elif p.tokens is not None:
            self.tokens.setText(" ".join(p.tokens))
        self.status.setText(f"Input: {p.label}. Choose a method and press Run.")
        self._set_busy(False)
        return True

    def follow_layer(self, name: str) -> bool:
        """Select ``name`` as Grad-CAM's layer when it can be one (the canvas selection)."""
        i = self.layer.findData(name)
        if i < 0:
            return False
        self.layer.setCurrentIndex(i)
        return True

    def current_method(self) -> str:
        return str(self.method.currentData())

    # -- running ------------------------------------------------------------------------------
    def is_running(self) -> bool:
        return self.task is not None and self.task.is_running()

    def run(self) -> bool:
        if self.subject is None or self.prepared is None or self.is_running():
            return False
        subject, prepared = self.subject, self.prepared
        method, target, layer = self.current_method(), self.target.currentData(), None
        if method == "gradcam":
            layer = self.layer.currentData()
        self._cancel.clear()
        cancelled = self._cancel.is_set

        def work(progress):
            try:
                return explain(subject, prepared, method, target=target, layer=layer,
                               progress=progress, cancelled=cancelled)
            except Cancelled:
                return None

        self.task = BackgroundTask(work, self)
        self.task.progress.connect(self._on_progress)
        self.task.done.connect(self._on_done)
        self.task.failed.connect(self._on_failed)
        self.progress.setValue(0)
        self.status.setText(f"{TITLES[method]}…" + (" This one takes a while; Cancel stops it."
                                                    if method in SLOW_METHODS else ""))
        self._set_busy(True)
        self.task.start()
        return True

    def cancel(self) -> None:
        if self.is_running():
            self._cancel.set()
            self.status.setText(tr("Cancelling…"))

    def cancel_and_wait(self, timeout: float = 30.0) -> bool:
        """Stop a running explanation and join its thread (closing, a new model)."""
        if self.task is None:
            return True
        self._cancel.set()
        ok = self.task.wait(timeout)
        self.task = None
        return ok

    def _on_progress(self, fraction: float, text: str) -> None:
        self.progress.setValue(int(round(1000 * max(0.0, min(1.0, fraction)))))
        if text and not self._cancel.is_set():
            self.status.setText(f"{text}… {100 * fraction:.0f} %")

    def _on_failed(self, message: str) -> None:
        self._set_busy(False)
        self.status.setText(f"Cannot explain: {message}")
        self.message.emit(f"Explain: {message}")
        self.finished.emit(None)

    def _on_done(self, result: Explanation | None) -> None:
        self._set_busy(False)
        if result is None:
            self.progress.setValue(0)
            self.status.setText(tr("Cancelled."))
            self.finished.emit(None)
            return
        self.show_result(result)
        self.finished.emit(result)

    # -- showing --------------------------------------------------------------------------------
    def show_result(self, e: Explanation) -> None:
        self.result = e
        lo, hi = value_range(e.attribution, e.signed)
        if e.kind == "image" and e.image is not None and e.attribution.ndim == 2:
            self.heat_view.set_layers(overlay_layers(e.image, e.attribution, e.signed),
                                      f"{e.title} over the input")
            if e.layer_map is not None:
                h, w = e.layer_map.shape
                self.layer_view.set_layers([heat_image(e.layer_map, False)],
                                           f"{e.layer}: {h} x {w}")
                self.layer_view.setVisible(True)
            else:
                self.layer_view.setVisible(False)
        elif e.tokens is not None:
            self.tokens.setText(token_html(e.tokens, e.attribution, e.signed))
        else:  # features: the core's picture (bars) as it would be saved
            image = QImage.fromData(render_png_bytes(e))
            self.heat_view.set_layers([image], "")
        self.scale.set_range(lo, hi, e.signed)
        notes = "; ".join(e.notes)
        self.status.setText(f"<b>{headline(e)}</b><br>{notes}. {e.seconds:.2f} s.")
        self.save_button.setEnabled(True)
        self.copy_button.setEnabled(True)

    def _clear_result(self) -> None:
        self.result = None
        self.heat_view.clear()
        self.layer_view.clear()
        self.layer_view.setVisible(False)
        self.scale.setVisible(False)
        self.progress.setValue(0)
        if self.prepared is None:
            self.input_view.clear()
            self.tokens.setText("")

    def _show_kind(self) -> None:
        kind = self.subject.kind if self.subject is not None else "image"
        self.pictures.setVisible(kind != "tokens")
        self.tokens.setVisible(kind == "tokens")
        self._method_changed()

    def _method_changed(self, *_args: Any) -> None:
        self.layer.setEnabled(self.current_method() == "gradcam" and self.layer.count() > 0)

    def _set_busy(self, busy: bool) -> None:
        ready = self.subject is not None and self.prepared is not None
        self.run_button.setEnabled(ready and not busy)
        self.cancel_button.setEnabled(busy)
        for w in (self.method, self.target):
            w.setEnabled(not busy)
        self.layer.setEnabled(not busy and self.current_method() == "gradcam"
                              and self.layer.count() > 0)
        done = self.result is not None and not busy
        self.save_button.setEnabled(done)
        self.copy_button.setEnabled(done)

    # -- keeping it ---------------------------------------------------------------------------
    def save_png(self, path: str | Path | None = None) -> Path | None:
        """The explanation as the CLI draws it (input, map, colour scale)."""
        if self.result is None:
            return None
        if path is None:
            suggestion = f"explain-{self.result.method}.png"
            chosen, _ = QFileDialog.getSaveFileName(self, tr("Save the explanation"), suggestion,
                                                    tr("PNG images (*.png)"))
            if not chosen:
                return None
            path = chosen if chosen.lower().endswith(".png") else chosen + ".png"
        try:
            out = render_png(self.result, path)
        except OSError as exc:
            self.status.setText(f"Cannot save {path}: {exc.strerror or exc}")
            return None
        self.message.emit(f"Saved the explanation to {out}")
        return out

    def copy(self) -> bool:
        """The same picture onto the clipboard."""
        if self.result is None:
            return False
        image = QImage.fromData(render_png_bytes(self.result))
        QGuiApplication.clipboard().setImage(image)
        self.message.emit("Copied the explanation")
        return not image.isNull()
