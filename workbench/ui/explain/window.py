"""The Explain window: the Explain view and the Look-inside view over one trained model and
one input, a tool window beside the main window so the canvas stays in reach (selecting a
layer there picks it in both views). ``show_explain`` opens it from the Evaluation tab."""

from __future__ import annotations

import copy
import weakref
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget
from shiboken6 import isValid

from workbench.core.explain import Subject
from workbench.ui.explain.inside import InsideView
from workbench.ui.explain.view import ExplainView
from workbench.ui.i18n import translator

tr = translator("explain.window")

_WINDOWS: weakref.WeakKeyDictionary[QWidget, ExplainWindow] = weakref.WeakKeyDictionary()


class ExplainWindow(QWidget):
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("ExplainWindow")
        self.setWindowTitle(tr("Explain — Workbench"))
        self.resize(980, 700)
        self.source: str | None = None  # the run folder (or a description) explained
        self.title = QLabel("")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.explain_view = ExplainView()
        self.inside_view = InsideView()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.explain_view, tr("Explain"))
        self.tabs.addTab(self.inside_view, tr("Look inside"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs, 1)
        self.explain_view.message.connect(self.message)
        self.inside_view.message.connect(self.message)
        self._scene: Any = None

    @property
    def subject(self) -> Subject | None:
        return self.explain_view.subject

    def set_subject(self, subject: Subject, source: str) -> None:
        self.source = source
        self.explain_view.set_subject(subject)
        self.inside_view.set_subject(subject)
        self.title.setText(f"<b>{subject.title}</b> ({subject.spec.name}, {subject.kind} "
                           f"input, {subject.task.replace('_', '-')})")

    def set_input(self, value: Any) -> bool:
        ok = self.explain_view.set_input(value)
        self.inside_view.set_input(self.explain_view.prepared if ok else None)
        return ok

    def follow_canvas(self, scene: Any) -> None:
        """Pick the layer selected on ``scene`` (the main window's canvas) in both views."""
        if scene is self._scene or scene is None:
            return
        if self._scene is not None:
            try:
                self._scene.selectionChanged.disconnect(self._on_canvas_selection)
            except (RuntimeError, TypeError):
                pass
        self._scene = scene
        scene.selectionChanged.connect(self._on_canvas_selection)

    def _on_canvas_selection(self) -> None:
        if self._scene is None:
            return
        try:
            names = self._scene.selected_names()
        except RuntimeError:  # the scene is being destroyed (its window closed)
            self._scene = None
            return
        if len(names) != 1 or self.subject is None or not self.subject.spec.has_node(names[0]):
            return
        self.explain_view.follow_layer(names[0])
        self.inside_view.show_layer(names[0])

    def shutdown(self) -> None:
        self.explain_view.cancel_and_wait()
        self.inside_view.wait()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.shutdown()
        super().closeEvent(event)


def subject_for(run_dir: str | None, model: Any = None, meta: Any = None,
                spec: Any = None, title: str = "") -> Subject:
    """The model to explain: a run's best checkpoint (its own copy, loaded from the folder),
    or a given model (an opened bundle) with the spec it was built from."""
    if run_dir is not None:
        return Subject.open(run_dir)
    if model is None or meta is None or spec is None:
        raise ValueError("there is no trained model to explain: train one or open a bundle")
    from workbench.core.graph import build_model

    own = copy.deepcopy(model)  # the worker must not share hooks with Try it's model
    if set(build_model(spec).state_dict()) != set(own.state_dict()):
        raise ValueError("the model on the canvas is not the one whose weights are loaded; "
                         "open the bundle again")
    return Subject(own, meta, spec, title)


def show_explain(anchor: QWidget, value: Any, *, run_dir: str | None = None, model: Any = None,
                 meta: Any = None, title: str = "", method: str | None = None) -> ExplainWindow:
    """Open (or raise) the Explain window of ``anchor``'s main window on ``value`` (an image
    path, a text, a raw sample tensor). Raises ValueError (one line) when there is no model."""
    main = anchor.window()
    win = _WINDOWS.get(main)
    if win is not None and not isValid(win):
        win = None
    source = run_dir or f"given:{id(model)}"
    if win is None:
        win = ExplainWindow(main)
        _WINDOWS[main] = win
        message = getattr(anchor, "message", None)
        if message is not None:
            win.message.connect(message)
    if win.source != source or win.subject is None:
        document = getattr(main, "document", None)
        spec = getattr(document, "spec", None) if run_dir is None else None
        win.set_subject(subject_for(run_dir, model, meta, spec, title), source)
    win.follow_canvas(getattr(main, "scene", None))
    if method is not None:
        i = win.explain_view.method.findData(method)
        if i >= 0:
            win.explain_view.method.setCurrentIndex(i)
    win.set_input(value)
    win.show()
    win.raise_()
    win.activateWindow()
    return win


def open_windows() -> list[ExplainWindow]:
    return [w for w in _WINDOWS.values() if isValid(w)]
