"""The main window: a tab per task (Model, then Training, Evaluation, Runs added by their
panels through ``add_tab``) and docks around the model canvas (Palette, Inspector, Summary,
Problems). It composes panels and routes menu actions; the panels do the work.

The window is built and shown before PyTorch is imported (``build_panels=False``); the panels
that need the layer catalogue are made by ``build_panels()`` once the core is loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QStyle,
    QWidget,
)

from workbench.ui import style
from workbench.ui.desktop import install_desktop
from workbench.ui.dialogs import Prompts
from workbench.ui.document import ModelDocument
from workbench.ui.files import FileHandling
from workbench.ui.task_tabs import TaskTabs
from workbench.ui.units import fmt_count, fmt_flops, plural

if TYPE_CHECKING:
    from pathlib import Path

    from workbench.core.graph import ModelSpec

class MainWindow(FileHandling, QMainWindow):
    def __init__(self, document: ModelDocument | None = None, prompts: Prompts | None = None,
                 *, build_panels: bool = True, remember: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.remember = remember  # restore and save geometry, dock layout (QSettings)
        self.document = document or ModelDocument(self)
        self.prompts = prompts or Prompts(self)
        self.scene = self.view = self.palette = self.inspector = None  # type: ignore[assignment]
        self.summary = self.problems = None  # type: ignore[assignment]
        self.setObjectName("MainWindow")
        self.resize(1440, 900)
        self.setDockNestingEnabled(True)

        self.tabs = TaskTabs()  # its bar sits in a toolbar row: docks cannot move it
        self.model_page = QStackedWidget()
        self.loading = QLabel("Loading PyTorch and the layer catalogue…")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setStyleSheet(f"color: {style.TEXT_DIM}; font-size: 12pt; "
                                   f"background: {style.CANVAS_BG}")
        self.model_page.addWidget(self.loading)
        self.tabs.addTab(self.model_page, "Model")
        self.setCentralWidget(self.tabs)
        # each tab keeps its own dock layout: the model's docks around the canvas, none
        # around Training, Evaluation... until the user shows some there (View menu)
        self._dock_page: QWidget = self.model_page
        self._dock_states: dict[int, QByteArray] = {}
        self.tabs.currentChanged.connect(self._on_tab_changed)

        self.palette_dock = self._dock("Palette", "PaletteDock", Qt.DockWidgetArea.LeftDockWidgetArea)
        self.inspector_dock = self._dock("Inspector", "InspectorDock",
                                         Qt.DockWidgetArea.RightDockWidgetArea)
        self.summary_dock = self._dock("Summary", "SummaryDock",
                                       Qt.DockWidgetArea.BottomDockWidgetArea)
        self.problems_dock = self._dock("Problems", "ProblemsDock",
                                        Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.summary_dock, self.problems_dock)
        self.summary_dock.raise_()
        self.resizeDocks([self.palette_dock, self.inspector_dock], [230, 320],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.summary_dock], [190], Qt.Orientation.Vertical)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self.tabs.mount_bar(self)
        self._build_status_bar()
        self.document.modified_changed.connect(self._update_title)
        self.document.saved.connect(self._update_title)
        self.document.loaded.connect(self._on_loaded)
        self.document.changed.connect(self._update_status)
        self._update_title()
        self._enable_model_actions(False)
        install_desktop(self)  # icon, View > Language and Reset, Help, last open file
        self.default_state = self.saveState()  # what View > Reset Layout goes back to
        if remember:
            self.restore_settings()
        if build_panels:
            self.build_panels()

    # -- public API for the other panels ----------------------------------------------------
    def add_tab(self, widget: QWidget, title: str) -> int:
        """Add a task tab (Training, Evaluation, Runs...) after the existing ones."""
        return self.tabs.addTab(widget, title)

    @property
    def file_menu(self) -> QMenu:
        return self._file_menu

    def open_spec(self, spec: ModelSpec, path: str | Path | None = None,
                  template: str | None = None, title: str | None = None) -> None:
        """Show ``spec`` (no unsaved-changes question: callers ask first); ``title`` names
        an untitled model."""
        self.build_panels()
        self.document.load_spec(spec, path, template=template, title=title)

    def export_model(self) -> Any:
        """File > Export…: the export dialog (a run's trained weights or the canvas model)."""
        from workbench.ui.export import show_export_dialog

        return show_export_dialog(self)

    # -- panels -----------------------------------------------------------------------------
    def _dock(self, title: str, name: str, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        placeholder = QLabel("")
        dock.setWidget(placeholder)
        self.addDockWidget(area, dock)
        return dock

    def build_panels(self) -> None:
        """Make the canvas and the docked panels (imports the core: PyTorch)."""
        if self.scene is not None:
            return
        from workbench.ui.canvas import CanvasView, GraphScene
        from workbench.ui.inspector import InspectorPanel
        from workbench.ui.palette import PalettePanel
        from workbench.ui.problems import ProblemsPanel
        from workbench.ui.summary import SummaryPanel

        doc = self.document
        self.scene = GraphScene(doc, self)
        self.view = CanvasView(self.scene)
        self.model_page.addWidget(self.view)
        self.model_page.setCurrentWidget(self.view)
        self.palette = PalettePanel()
        self.inspector = InspectorPanel(doc)
        self.summary = SummaryPanel(doc)
        self.problems = ProblemsPanel(doc)
        for dock, widget in ((self.palette_dock, self.palette),
                             (self.inspector_dock, self.inspector),
                             (self.summary_dock, self.summary),
                             (self.problems_dock, self.problems)):
            old = dock.widget()
            dock.setWidget(widget)
            old.deleteLater()
        self.view.context_actions = [self.cut_action, self.copy_action, self.paste_action,
                                     self.delete_action, None, self.select_all_action,
                                     self.layout_action, self.fit_action]
        self.palette.activated.connect(self.append_layer)
        self.scene.selectionChanged.connect(self._on_selection)
        self.scene.message.connect(lambda m: self.statusBar().showMessage(m, 5000))
        self.scene.node_activated.connect(lambda _n: self.inspector_dock.raise_())
        self.problems.node_clicked.connect(self.show_node)
        self.problems.count_changed.connect(self._on_problem_count)
        self.summary.node_clicked.connect(self.show_node)
        doc.renamed.connect(lambda _o, _n: self._on_selection())
        self.problems.refresh()
        self._enable_model_actions(doc.spec is not None)

    def append_layer(self, kind: str) -> None:
        if self.scene is not None and self.document.spec is not None:
            item = self.scene.item_for(self.scene.append_layer(kind))
            if item is not None:
                self.view.ensureVisible(item.sceneBoundingRect(), 40, 40)

    def show_node(self, name: str) -> None:
        """Select a layer and centre the canvas on it."""
        if self.scene is None:
            return
        self.tabs.setCurrentWidget(self.model_page)
        self.scene.select_names([name])
        self.view.center_on_node(name)

    def show_problems(self) -> None:
        """The Problems list, on the Model tab (its docks live there)."""
        self.tabs.setCurrentWidget(self.model_page)
        self.problems_dock.show()
        self.problems_dock.raise_()

    def _on_selection(self) -> None:
        if self.scene is None or self.inspector is None:
            return
        names, edges = self.scene.selected_names(), self.scene.selected_edges()
        if len(names) == 1:
            self.inspector.show_node(names[0])
        elif not names and len(edges) == 1:
            self.inspector.show_edge(edges[0])
        else:
            self.inspector.show_node(None)
        self.delete_action.setEnabled(bool(names or edges))
        self.copy_action.setEnabled(bool(names))
        self.cut_action.setEnabled(bool(names))

    def _on_loaded(self) -> None:
        self._update_title()
        self._enable_model_actions(True)
        if self.view is not None:
            QTimer.singleShot(0, self.view.show_model)

    # -- actions and menus ------------------------------------------------------------------------
    def _action(self, text: str, slot: Any, shortcut: Any = None, tip: str = "",
                icon: QStyle.StandardPixmap | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [shortcut])
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        K, S = QKeySequence.StandardKey, QStyle.StandardPixmap
        a = self._action
        self.new_action = a("&New from Template…", self.new_from_template, K.New,
                            "Start a new model from a template", S.SP_FileIcon)
        self.open_action = a("&Open…", self.open_file, K.Open, "Open a model file",
                             S.SP_DialogOpenButton)
        self.save_action = a("&Save", self.save, K.Save, "Save the model", S.SP_DialogSaveButton)
        self.save_as_action = a("Save &As…", self.save_as, K.SaveAs, "Save under a new name")
        self.export_action = a("&Export…", self.export_model, QKeySequence("Ctrl+E"),
                               "Export the model: ONNX, torch.export, TorchScript, a Workbench "
                               "bundle or a PyTorch project")
        self.quit_action = a("&Quit", self.close, K.Quit, "Quit Workbench")
        self.undo_action = self.document.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.undo_action.setIcon(self.style().standardIcon(S.SP_ArrowBack))
        self.redo_action = self.document.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.setIcon(self.style().standardIcon(S.SP_ArrowForward))
        scene = lambda name: lambda: getattr(self.scene, name)()  # noqa: E731
        self.cut_action = a("Cu&t", scene("cut_selection"), K.Cut, "Cut the selected layers")
        self.copy_action = a("&Copy", scene("copy_selection"), K.Copy, "Copy the selected layers")
        self.paste_action = a("&Paste", scene("paste"), K.Paste, "Paste layers")
        self.delete_action = a("&Delete", scene("delete_selection"), K.Delete,
                               "Delete the selected layers and connections", S.SP_TrashIcon)
        self.select_all_action = a("Select &All", scene("select_all"), K.SelectAll)
        self.layout_action = a("Auto-&layout", scene("auto_layout"), QKeySequence("Ctrl+L"),
                               "Arrange the layers top to bottom")
        view = lambda name: lambda: getattr(self.view, name)()  # noqa: E731
        self.zoom_in_action = a("Zoom &In", view("zoom_in"),
                                [QKeySequence.StandardKey.ZoomIn, QKeySequence("Ctrl+=")])
        self.zoom_out_action = a("Zoom &Out", view("zoom_out"), K.ZoomOut)
        self.fit_action = a("&Fit to Window", view("fit"), QKeySequence("Ctrl+0"),
                            "Show the whole model")
        self.actual_size_action = a("&Actual Size", view("reset_zoom"), QKeySequence("Ctrl+1"))
        for act in (self.cut_action, self.copy_action, self.paste_action, self.delete_action,
                    self.select_all_action):
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def _model_actions(self) -> list[QAction]:
        return [self.new_action, self.open_action, self.save_action, self.save_as_action,
                self.export_action, self.paste_action, self.select_all_action, self.layout_action,
                self.zoom_in_action, self.zoom_out_action, self.fit_action,
                self.actual_size_action]

    def _enable_model_actions(self, on: bool) -> None:
        on = on and self.scene is not None
        for act in self._model_actions():
            act.setEnabled(on)
        if not on:
            for act in (self.cut_action, self.copy_action, self.delete_action):
                act.setEnabled(False)
        # New and Open only need the core, which is loaded once panels exist
        self.new_action.setEnabled(self.scene is not None)
        self.open_action.setEnabled(self.scene is not None)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._file_menu = bar.addMenu("&File")
        self._file_menu.addActions([self.new_action, self.open_action])
        self.recent_menu = self._file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._file_menu.addSeparator()
        self._file_menu.addActions([self.save_action, self.save_as_action])
        self._file_menu.addSeparator()
        self._file_menu.addAction(self.export_action)
        self._file_menu.addSeparator()
        self._file_menu.addAction(self.quit_action)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.undo_action, self.redo_action])
        edit.addSeparator()
        edit.addActions([self.cut_action, self.copy_action, self.paste_action,
                         self.delete_action, self.select_all_action])
        edit.addSeparator()
        edit.addAction(self.layout_action)
        view = bar.addMenu("&View")
        view.addActions([self.zoom_in_action, self.zoom_out_action, self.fit_action,
                         self.actual_size_action])
        view.addSeparator()
        for dock in (self.palette_dock, self.inspector_dock, self.summary_dock,
                     self.problems_dock):
            view.addAction(dock.toggleViewAction())
        self.view_menu = view
        self.edit_menu = edit

    def _build_toolbar(self) -> None:
        tb = self.addToolBar("Main")
        tb.setObjectName("MainToolBar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tb.addActions([self.new_action, self.open_action, self.save_action])
        tb.addSeparator()
        stack = self.document.undo_stack
        # short labels here; the Edit menu says what would be undone
        self.toolbar_undo = _StackAction("Undo", stack.undo, stack.canUndoChanged,
                                         stack.undoTextChanged, tb)
        self.toolbar_redo = _StackAction("Redo", stack.redo, stack.canRedoChanged,
                                         stack.redoTextChanged, tb)
        tb.addActions([self.toolbar_undo, self.toolbar_redo])
        tb.addAction(self.delete_action)
        tb.addSeparator()
        tb.addActions([self.layout_action, self.fit_action])
        self.toolbar = tb

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.params_label = QLabel("")
        self.flops_label = QLabel("")
        self.problems_label = QLabel("")
        self.problems_label.setTextFormat(Qt.TextFormat.RichText)
        self.problems_label.linkActivated.connect(lambda _l: self.show_problems())
        for w in (self.params_label, self.flops_label, self.problems_label):
            bar.addPermanentWidget(w)

    def _update_status(self, *_args: Any) -> None:
        a = self.document.analysis
        if a is None:
            return
        self.params_label.setText(f"{fmt_count(a.total_params)} parameters")
        self.flops_label.setText(f"{fmt_flops(a.total_flops)} / batch of {a.batch}")

    def _on_problem_count(self, errors: int, warnings: int) -> None:
        if errors or warnings:
            colour = style.ERROR if errors else style.WARNING
            parts = ([plural(errors, "error")] if errors else []) + \
                ([plural(warnings, "warning")] if warnings else [])
            self.problems_label.setText(f"<a href='#' style='color:{colour}; font-weight:600; "
                                        f"text-decoration:none'>{', '.join(parts)}</a>")
        else:
            self.problems_label.setText(f"<span style='color:{style.OK}'>✓ No problems</span>")
        title = "Problems" + (f" ({errors + warnings})" if errors or warnings else "")
        self.problems_dock.setWindowTitle(title)

    def _update_title(self, *_args: Any) -> None:
        self.setWindowTitle(f"{self.document.display_name}[*] — Workbench")
        self.setWindowModified(self.document.is_modified)

    # -- dock layout per tab ----------------------------------------------------------------------
    def docks(self) -> list[QDockWidget]:
        return [self.palette_dock, self.inspector_dock, self.summary_dock, self.problems_dock]

    def _on_tab_changed(self, _index: int) -> None:
        page = self.tabs.currentWidget()
        if page is None or page is self._dock_page:
            return
        self._dock_states[id(self._dock_page)] = self.saveState()
        self._dock_page = page
        state = self._dock_states.get(id(page))
        if state is not None:
            self.restoreState(state)
        elif page is not self.model_page:
            for dock in self.docks():
                dock.hide()

    def _model_dock_state(self) -> QByteArray:
        """The dock layout of the Model tab (what the next start restores)."""
        if self._dock_page is self.model_page:
            return self.saveState()
        return self._dock_states.get(id(self.model_page)) or self.saveState()

    # -- window state -------------------------------------------------------------------------------
    def restore_settings(self) -> None:
        s = QSettings()
        geometry, state = s.value("window/geometry"), s.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)

    def save_settings(self) -> None:
        s = QSettings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self._model_dock_state())

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        if self.remember:
            self.save_settings()
        if not self.document.is_modified:
            self.document.discard_recovery()
        self.document.autosave_timer.stop()
        event.accept()


class _StackAction(QAction):
    """A toolbar Undo/Redo with a fixed label and the step it would undo as its tooltip."""

    def __init__(self, verb: str, slot: Any, can: Any, text_changed: Any,
                 parent: QWidget) -> None:
        super().__init__(verb, parent)
        self.verb = verb
        self.setEnabled(False)
        self.triggered.connect(lambda _c=False: slot())
        can.connect(self.setEnabled)
        text_changed.connect(self.describe)

    def describe(self, text: str) -> None:
        self.setToolTip(f"{self.verb} {text}".strip())
