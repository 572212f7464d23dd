"""The main window's actions, menus and toolbar (a mixin of MainWindow, which provides the
slots: the File menu's from ``FileHandling``, the scene's and view's through attributes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QStyle, QWidget

from workbench.ui.i18n import translator

tr = translator("actions")

if TYPE_CHECKING:
    from workbench.ui.document import ModelDocument


class WindowActions:
    document: ModelDocument
    scene: Any
    view: Any
    _file_menu: QMenu  # the rest (menuBar, addToolBar, style...) is QMainWindow's

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
        self.new_action = a(tr("&New"), self.new_blank, K.New, tr("Start an empty model"),
                            S.SP_FileIcon)
        self.new_template_action = a(tr("New from &Template…"), self.new_from_template,
                                     QKeySequence("Ctrl+Shift+N"),
                                     tr("Start a new model from a ready-made template"))
        self.open_action = a(tr("&Open…"), self.open_file, K.Open, tr("Open a model file"),
                             S.SP_DialogOpenButton)
        self.import_action = a(tr("&Import…"), self.import_file, QKeySequence("Ctrl+I"),
                               tr("Import an ONNX file or a torchvision model with its weights"))
        self.save_action = a(tr("&Save"), self.save, K.Save, tr("Save the model"), S.SP_DialogSaveButton)
        self.save_as_action = a(tr("Save &As…"), self.save_as, K.SaveAs, tr("Save under a new name"))
        self.export_action = a(tr("&Export…"), self.export_model, QKeySequence("Ctrl+E"),
                               tr("Export the model: ONNX, torch.export, TorchScript, a Workbench "
                               "bundle or a PyTorch project"))
        self.quit_action = a(tr("&Quit"), self.close, K.Quit, tr("Quit Workbench"))
        self.undo_action = self.document.undo_stack.createUndoAction(self, tr("&Undo"))
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.undo_action.setIcon(self.style().standardIcon(S.SP_ArrowBack))
        self.redo_action = self.document.undo_stack.createRedoAction(self, tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.setIcon(self.style().standardIcon(S.SP_ArrowForward))
        scene = lambda name: lambda: getattr(self.scene, name)()  # noqa: E731
        self.cut_action = a(tr("Cu&t"), scene("cut_selection"), K.Cut, tr("Cut the selected layers"))
        self.copy_action = a(tr("&Copy"), scene("copy_selection"), K.Copy, tr("Copy the selected layers"))
        self.paste_action = a(tr("&Paste"), scene("paste"), K.Paste, tr("Paste layers"))
        self.delete_action = a(tr("&Delete"), scene("delete_selection"), K.Delete,
                               tr("Delete the selected layers and connections"), S.SP_TrashIcon)
        self.select_all_action = a(tr("Select &All"), scene("select_all"), K.SelectAll)
        self.properties_action = a(tr("Model &Properties…"), self.edit_properties,
                                   QKeySequence("Ctrl+Alt+P"),
                                   tr("The model's name and description (runs, exports, code)"))
        self.layout_action = a(tr("Auto-&layout"), scene("auto_layout"), QKeySequence("Ctrl+L"),
                               tr("Arrange the layers top to bottom"))
        self.freeze_action = a(tr("&Freeze / Unfreeze"), self.toggle_freeze,
                               QKeySequence("Ctrl+Shift+F"),
                               tr("Fine-tuning: the selected layers' weights do not train (or "
                                  "train again)"))
        self.freeze_head_action = a(tr("Freeze All but the &Head"),
                                    lambda: self.summary.freeze_all_but_head(),
                                    tip=tr("Freeze every layer with weights except the last one"))
        self.unfreeze_all_action = a(tr("U&nfreeze All"), lambda: self.summary.unfreeze_all(),
                                     tip=tr("Every layer trains again"))
        self.detach_weights_action = a(tr("Detach Start &Weights"), self.detach_weights,
                                       tip=tr("Train this model from fresh weights, not from "
                                              "the run or bundle it was fine-tuned from"))
        view = lambda name: lambda: getattr(self.view, name)()  # noqa: E731
        self.zoom_in_action = a(tr("Zoom &In"), view("zoom_in"),
                                [QKeySequence.StandardKey.ZoomIn, QKeySequence("Ctrl+=")])
        self.zoom_out_action = a(tr("Zoom &Out"), view("zoom_out"), K.ZoomOut)
        self.fit_action = a(tr("&Fit to Window"), view("fit"), QKeySequence("Ctrl+0"),
                            tr("Show the whole model"))
        self.actual_size_action = a(tr("&Actual Size"), view("reset_zoom"), QKeySequence("Ctrl+1"))
        for act in (self.cut_action, self.copy_action, self.paste_action, self.delete_action,
                    self.select_all_action):
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def _model_actions(self) -> list[QAction]:
        return [self.new_action, self.new_template_action, self.open_action,
                self.import_action, self.save_action,
                self.save_as_action, self.export_action, self.paste_action,
                self.select_all_action, self.properties_action, self.layout_action,
                self.freeze_action, self.freeze_head_action, self.unfreeze_all_action,
                self.zoom_in_action, self.zoom_out_action, self.fit_action,
                self.actual_size_action]

    def _enable_model_actions(self, on: bool) -> None:
        on = on and self.scene is not None
        for act in self._model_actions():
            act.setEnabled(on)
        if not on:
            for act in (self.cut_action, self.copy_action, self.delete_action):
                act.setEnabled(False)
        self._enable_detach()

    def _enable_detach(self, *_args: Any) -> None:
        """Detach Start Weights: only while there are some (or a start that is gone)."""
        ws = self.document.workspace
        self.detach_weights_action.setEnabled(
            self.scene is not None and ws is not None
            and (ws.initial_weights is not None or ws.missing_weights is not None))
        # New and Open only need the core, which is loaded once panels exist
        for act in (self.new_action, self.new_template_action, self.open_action,
                    self.import_action):
            act.setEnabled(self.scene is not None)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._file_menu = bar.addMenu(tr("&File"))
        self._file_menu.addActions([self.new_action, self.new_template_action,
                                    self.open_action])
        self.recent_menu = self._file_menu.addMenu(tr("Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._file_menu.addAction(self.import_action)
        self._file_menu.addSeparator()
        self._file_menu.addActions([self.save_action, self.save_as_action])
        self._file_menu.addSeparator()
        self._file_menu.addAction(self.export_action)
        self._file_menu.addSeparator()
        self._file_menu.addAction(self.quit_action)
        edit = bar.addMenu(tr("&Edit"))
        edit.addActions([self.undo_action, self.redo_action])
        edit.addSeparator()
        edit.addActions([self.cut_action, self.copy_action, self.paste_action,
                         self.delete_action, self.select_all_action])
        edit.addSeparator()
        edit.addAction(self.layout_action)
        edit.addSeparator()
        edit.addActions([self.freeze_action, self.freeze_head_action,
                         self.unfreeze_all_action, self.detach_weights_action])
        edit.addSeparator()
        edit.addAction(self.properties_action)
        view = bar.addMenu(tr("&View"))
        view.addActions([self.zoom_in_action, self.zoom_out_action, self.fit_action,
                         self.actual_size_action])
        view.addSeparator()
        for dock in (self.palette_dock, self.inspector_dock, self.summary_dock,
                     self.problems_dock):
            view.addAction(dock.toggleViewAction())
        self.view_menu = view
        self.edit_menu = edit

    def _build_toolbar(self) -> None:
        tb = self.addToolBar(tr("Main"))
        tb.setObjectName("MainToolBar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tb.addActions([self.new_action, self.new_template_action, self.open_action,
                       self.save_action])
        tb.addSeparator()
        stack = self.document.undo_stack
        # short labels here; the Edit menu says what would be undone
        self.toolbar_undo = _StackAction(tr("Undo"), stack.undo, stack.canUndoChanged,
                                         stack.undoTextChanged, tb)
        self.toolbar_redo = _StackAction(tr("Redo"), stack.redo, stack.canRedoChanged,
                                         stack.redoTextChanged, tb)
        tb.addActions([self.toolbar_undo, self.toolbar_redo])
        tb.addAction(self.delete_action)
        tb.addSeparator()
        tb.addActions([self.layout_action, self.fit_action])
        self.toolbar = tb


    def detach_weights(self) -> None:
        ws = self.document.workspace
        if ws is not None and (ws.initial_weights is not None
                               or ws.missing_weights is not None):
            ws.detach_weights()
            self.statusBar().showMessage(tr("Start weights detached: training starts from "
                                            "fresh weights"), 6000)

    def toggle_freeze(self) -> None:
        """Freeze the selected layers, or unfreeze them when they all are frozen already."""
        from workbench.ui.commands import EditCommand

        ws = self.document.workspace
        names = self.scene.selected_names() if self.scene is not None else []
        if ws is None or not names:
            return
        freeze = not all(n in ws.frozen for n in names)
        self.document.push(EditCommand(self.document, lambda w: w.set_frozen(names, freeze)))


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
