"""The main window: a tab per task (Model, then Training, Evaluation, Runs added by their
panels through ``add_tab``) and docks around the model canvas (Palette, Inspector, Summary,
Problems). It composes panels and routes menu actions; the panels do the work.

The window is built and shown before PyTorch is imported (``build_panels=False``); the panels
that need the layer catalogue are made by ``build_panels()`` once the core is loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QWidget,
)

from workbench.ui import style
from workbench.ui.actions import WindowActions
from workbench.ui.desktop import install_desktop
from workbench.ui.dialogs import Prompts
from workbench.ui.document import ModelDocument
from workbench.ui.files import FileHandling
from workbench.ui.i18n import translator
from workbench.ui.task_tabs import TaskTabs
from workbench.ui.units import fmt_count, fmt_flops

tr = translator("main_window")

if TYPE_CHECKING:
    from pathlib import Path

    from workbench.core.graph import ModelSpec

class MainWindow(WindowActions, FileHandling, QMainWindow):
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
        self.loading = QLabel(tr("Loading PyTorch and the layer catalogue…"))
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setStyleSheet(f"color: {style.TEXT_DIM}; font-size: 12pt; "
                                   f"background: {style.CANVAS_BG}")
        self.model_page.addWidget(self.loading)
        self.tabs.addTab(self.model_page, tr("Model"))
        self.setCentralWidget(self.tabs)
        # each tab keeps its own dock layout: the model's docks around the canvas, none
        # around Training, Evaluation... until the user shows some there (View menu)
        self._dock_page: QWidget = self.model_page
        self._dock_states: dict[int, QByteArray] = {}
        self.tabs.currentChanged.connect(self._on_tab_changed)

        self.palette_dock = self._dock(tr("Palette"), "PaletteDock", Qt.DockWidgetArea.LeftDockWidgetArea)
        self.inspector_dock = self._dock(tr("Inspector"), "InspectorDock",
                                         Qt.DockWidgetArea.RightDockWidgetArea)
        self.summary_dock = self._dock(tr("Summary"), "SummaryDock",
                                       Qt.DockWidgetArea.BottomDockWidgetArea)
        self.problems_dock = self._dock(tr("Problems"), "ProblemsDock",
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
        self.document.weights_changed.connect(self._enable_detach)
        self.document.changed.connect(self._update_status)
        self.document.changed.connect(self._update_title)  # the model's name may change
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
        from PySide6.QtWidgets import QVBoxLayout

        from workbench.ui.canvas.part_switch import PartSwitch

        canvas_page = QWidget()  # the GAN switch (hidden for one graph) above the canvas
        column = QVBoxLayout(canvas_page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.part_switch = PartSwitch(doc)
        column.addWidget(self.part_switch)
        column.addWidget(self.view, 1)
        self.model_page.addWidget(canvas_page)
        self.model_page.setCurrentWidget(canvas_page)
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
                                     self.delete_action, None, self.freeze_action, None,
                                     self.select_all_action, self.layout_action,
                                     self.fit_action]
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
        self.params_label.setText(tr("%n parameter(s)", n=a.total_params).replace(
            str(a.total_params), fmt_count(a.total_params)))
        self.flops_label.setText(tr("{} / batch of {}").format(fmt_flops(a.total_flops), a.batch))

    def _on_problem_count(self, errors: int, warnings: int) -> None:
        if errors or warnings:
            colour = style.ERROR if errors else style.WARNING
            parts = ([tr("%n error(s)", n=errors)] if errors else []) + \
                ([tr("%n warning(s)", n=warnings)] if warnings else [])
            self.problems_label.setText(f"<a href='#' style='color:{colour}; font-weight:600; "
                                        f"text-decoration:none'>{tr(', ').join(parts)}</a>")
        else:
            self.problems_label.setText(f"<span style='color:{style.OK}'>✓ {tr('No problems')}</span>")
        title = tr("Problems") + (f" ({errors + warnings})" if errors or warnings else "")
        self.problems_dock.setWindowTitle(title)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        """After View > Language: the texts with values in them, computed again (the
        others are swapped by ``retranslate``)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._update_title()
            self._update_status()
            if self.problems is not None:
                self.problems.refresh()

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
        self.document.stop_autosave()
        event.accept()
