"""The "Export model" dialog (File > Export…): what is exported, in which format, where, and
whether to check the written file against PyTorch. The export itself runs in a
BackgroundTask; the dialog shows a busy bar, then what was written and how closely it matches,
or one readable line saying which layer or format failed (never a traceback); the export's
job on that thread is ``job.run_export``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.ui import style
from workbench.ui.export.job import ExportOutcome, default_name, run_export
from workbench.ui.export.sources import ExportSource
from workbench.ui.i18n import translator
from workbench.ui.threads import BackgroundTask

tr = translator("export.dialog")

FOLDER_KEY = "export/folder"
FORMAT_KEY = "export/format"
_ROLE = Qt.ItemDataRole.UserRole


class ExportDialog(QDialog):
    """Signals: ``exported(ExportOutcome)`` after every export (success or not)."""

    exported = Signal(object)

    def __init__(self, window: Any, sources: list[ExportSource], notes: Sequence[str] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent if parent is not None else window)
        from workbench.core.export import FORMATS

        self.main_window = window
        self.prompts = window.prompts
        self.sources = list(sources)
        self.formats = FORMATS
        self.task: BackgroundTask | None = None
        self.outcome: ExportOutcome | None = None
        self._confirmed: str | None = None  # a path the user already agreed to replace
        self._node: str | None = None  # the layer the last failure names
        self.setWindowTitle(tr("Export model"))
        self.setObjectName("ExportDialog")
        self.resize(640, 560)

        self.source_box = QComboBox()
        for s in self.sources:
            self.source_box.addItem(s.title)
        self.source_box.currentIndexChanged.connect(self._on_source)
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        self.source_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes_label = QLabel("\n".join(notes))
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet(f"color: {style.TEXT_DIM}")
        self.notes_label.setVisible(bool(notes))

        self.format_list = QListWidget()
        self.format_list.setWordWrap(True)
        self.format_list.setSpacing(2)
        for f in FORMATS.values():
            ext = f.suffix or "folder"
            item = QListWidgetItem(f"{f.title} ({ext})\n{f.description}")
            item.setData(_ROLE, f.name)
            item.setToolTip(f.description)
            self.format_list.addItem(item)
        self.format_list.currentItemChanged.connect(lambda *_: self._on_format())
        self.format_list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.path_edit = QLineEdit()
        self.path_edit.textEdited.connect(lambda _t: setattr(self, "_confirmed", None))
        self.browse_button = QPushButton(tr("Browse…"))
        self.browse_button.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)

        self.verify_box = QCheckBox(tr("Check the exported model against PyTorch (recommended)"))
        self.verify_box.setChecked(True)
        self.verify_box.setToolTip(tr("Read the written file back with its real consumer "
                                   "(onnxruntime, torch.export.load, ...) and compare its outputs "
                                   "with the model's on a random batch."))

        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # indeterminate: the exporters report no progress
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(10)
        self.busy.hide()
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        self.result_title = QLabel("")
        self.result_title.setStyleSheet("font-weight: 600;")
        self.result_text = QLabel("")
        self.result_text.setWordWrap(True)
        self.result_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.show_node_button = QPushButton(tr("Show the layer"))
        self.show_node_button.hide()
        self.show_node_button.clicked.connect(self._show_node)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = self.buttons.addButton(
            tr("Export"), QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(tr("Export:"), self.source_box)
        layout = QVBoxLayout(self)
        if len(self.sources) > 1:  # a choice only when there is one to make
            layout.addLayout(form)
        else:
            self.source_box.hide()
        layout.addWidget(self.source_label)
        layout.addWidget(self.notes_label)
        layout.addWidget(QLabel(tr("Format:")))
        layout.addWidget(self.format_list)  # as tall as its formats (_fit_format_list)
        layout.addWidget(QLabel(tr("Save to:")))
        layout.addLayout(path_row)
        layout.addWidget(self.verify_box)
        layout.addWidget(self.busy)
        layout.addWidget(self.status_label)
        layout.addWidget(self.result_title)
        layout.addWidget(self.result_text)
        layout.addWidget(self.show_node_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)  # room to spare goes below the result, not to the list
        layout.addWidget(self.buttons)

        if isinstance(window, QObject):
            window.installEventFilter(self)  # the window may not close under a running export
        self.format_list.installEventFilter(self)  # refit its height when its width changes
        saved = str(QSettings().value(FORMAT_KEY, "onnx"))
        self.select_format(saved if saved in FORMATS else "onnx")
        self._on_source()
        self._fit_format_list()

    # -- state -------------------------------------------------------------------------------
    @property
    def source(self) -> ExportSource:
        return self.sources[max(0, self.source_box.currentIndex())]

    @property
    def format(self) -> str:
        item = self.format_list.currentItem()
        return str(item.data(_ROLE)) if item is not None else "onnx"

    def select_format(self, name: str) -> None:
        for i in range(self.format_list.count()):
            if self.format_list.item(i).data(_ROLE) == name:
                self.format_list.setCurrentRow(i)
                return
        raise ValueError(f"no export format {name!r}")

    def select_source(self, kind: str) -> None:
        """Pick the first source of ``kind`` ("run" or "canvas")."""
        for i, s in enumerate(self.sources):
            if s.kind == kind:
                self.source_box.setCurrentIndex(i)
                return
        raise ValueError(f"no {kind} to export")

    def set_path(self, path: str | Path) -> None:
        self.path_edit.setText(str(path))
        self._confirmed = None

    def is_busy(self) -> bool:
        return self.task is not None and self.task.is_running()

    def _default_folder(self) -> Path:
        saved = QSettings().value(FOLDER_KEY, "")
        if saved and Path(str(saved)).is_dir():
            return Path(str(saved))
        doc_path = getattr(getattr(self.main_window, "document", None), "path", None)
        return Path(doc_path).parent if doc_path else Path.home()

    def _suggested_path(self) -> Path:
        current = self.path_edit.text().strip()
        folder = Path(current).parent if current else self._default_folder()
        return folder / default_name(self.source.name, self.formats[self.format])

    def _on_source(self) -> None:
        src = self.source
        if src.kind == "run":
            detail = tr("Trained weights from the run folder {}").format(src.run_dir)
        else:
            detail = tr("Not trained: its weights are a random initialization (enough to check "
                        "that the model exports; train it to export something useful).")
        text = (tr("Exports <b>{}</b>").format(_html(src.title)) + "<br>"
                f"<span style='color:{style.TEXT_DIM}'>{_html(detail)}</span>")
        if src.problem:
            text += f"<br><span style='color:{style.ERROR}'>{_html(src.problem)}</span>"
        self.source_label.setText(text)
        if not self.is_busy():
            self._clear_result()
        self.set_path(self._suggested_path())
        self._update_enabled()

    def _fit_format_list(self) -> None:
        """The list exactly as tall as its formats at its width (the descriptions wrap): as
        the layout's stretch it gave up height to every result shown below it."""
        lst = self.format_list
        lst.doItemsLayout()  # the rows as wrapped at the current width
        first, last = lst.visualItemRect(lst.item(0)), lst.visualItemRect(lst.item(lst.count() - 1))
        height = last.bottom() - first.top() + 1 + 2 * lst.spacing() + 2 * lst.frameWidth()
        if height != lst.height():
            lst.setFixedHeight(height)

    def _clear_result(self) -> None:
        self.outcome = None
        self.result_title.setText("")
        self.result_text.setText("")
        self.show_node_button.hide()

    def _on_format(self) -> None:
        if not self.is_busy():  # the last result was another format's
            self._clear_result()
        self.set_path(self._suggested_path())
        fmt = self.formats[self.format]
        self.browse_button.setToolTip(tr("Choose where to write the {}").format(fmt.title))

    def _update_enabled(self) -> None:
        busy = self.is_busy()
        for w in (self.source_box, self.format_list, self.path_edit, self.browse_button,
                  self.verify_box):
            w.setEnabled(not busy)
        self.export_button.setEnabled(not busy and not self.source.problem)

    # -- actions -----------------------------------------------------------------------------
    def browse(self) -> bool:
        fmt = self.formats[self.format]
        path = self.prompts.export_path(self.path_edit.text().strip()
                                        or str(self._suggested_path()),
                                        fmt.title, fmt.file_filter, fmt.suffix)
        if not path:
            return False
        self.set_path(path)
        self._confirmed = path  # the file dialog already asked about replacing it
        return True

    def start_export(self) -> bool:
        """Check the inputs, then export on a worker thread; ``exported`` says how it went."""
        if self.is_busy() or self.source.problem:
            return False
        text = self.path_edit.text().strip()
        if not text:
            self._show_error(tr("Choose where to save the export."))
            return False
        path = Path(text).expanduser()
        fmt = self.formats[self.format]
        if fmt.suffix and path.is_dir():
            self._show_error(tr("{} is a folder: give a file name ending in {}.").format(path, fmt.suffix))
            return False
        if fmt.suffix and path.exists() and self._confirmed != text \
                and not self.prompts.confirm_overwrite(str(path)):
            return False
        source, name, verify = self.source, self.format, self.verify_box.isChecked()
        self._clear_result()
        self.status_label.setText(tr("Exporting to {}…").format(fmt.title))
        self.busy.show()
        self.task = BackgroundTask(lambda progress: run_export(source, name, path, verify,
                                                               progress), self)
        # a late progress line must not overwrite the result
        self.task.progress.connect(lambda _f, t: self.status_label.setText(t)
                                   if self.is_busy() else None)
        self.task.done.connect(self._finished)
        self.task.failed.connect(  # run_export catches everything; this is the last resort
            lambda msg: self._finished(ExportOutcome(name, path, error=msg)))
        self.task.start()
        self._update_enabled()
        return True

    def wait(self, timeout: float = 60.0) -> bool:
        """Join the export's thread and deliver its result (tests, closing the app)."""
        return self.task is None or self.task.wait(timeout)

    def _finished(self, outcome: ExportOutcome) -> None:
        self.outcome = outcome
        self.busy.hide()
        self.status_label.setText("")
        self._update_enabled()
        if outcome.ok:
            self.result_title.setText("✓ " + tr("Exported as {}").format(self.formats[outcome.format].title))
            self.result_title.setStyleSheet(f"font-weight: 600; color: {style.OK}")
            self.result_text.setText("\n".join(outcome.lines))
            settings = QSettings()
            settings.setValue(FOLDER_KEY, str(outcome.path.parent))
            settings.setValue(FORMAT_KEY, outcome.format)
            bar = getattr(self.main_window, "statusBar", None)
            if callable(bar):
                bar().showMessage(tr("Exported {}").format(outcome.path), 8000)
        else:
            self._show_error(outcome.error, outcome.node)
        self.exported.emit(outcome)

    def _show_error(self, message: str, node: str | None = None) -> None:
        self.result_title.setText(tr("✗ Not exported"))
        self.result_title.setStyleSheet(f"font-weight: 600; color: {style.ERROR}")
        self.result_text.setText(message)
        spec = getattr(getattr(self.main_window, "document", None), "spec", None)
        # the canvas can show the layer only when the canvas holds it
        can_show = node is not None and spec is not None and spec.has_node(node) \
            and callable(getattr(self.main_window, "show_node", None))
        self._node = node
        if can_show:
            self.show_node_button.setText(tr("Show '{}' on the canvas").format(node))
        self.show_node_button.setVisible(can_show)

    def _show_node(self) -> None:
        if self._node:
            self.main_window.show_node(self._node)

    # -- closing while an export runs --------------------------------------------------------
    def reject(self) -> None:
        if self.is_busy():  # the thread cannot be interrupted: let it finish
            self.status_label.setText(tr("The export is still running; it cannot be stopped "
                                      "halfway. Close this dialog when it is done."))
            return
        super().reject()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.format_list and event.type() == QEvent.Type.Resize:
            self._fit_format_list()
            return False
        if watched is self.main_window and event.type() == QEvent.Type.Close and self.is_busy():
            event.ignore()
            self.reject()  # says why
            return True
        return False

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.is_busy():
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
