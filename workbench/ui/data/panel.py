"""The Data tab: choose a data source, load it (in a thread, with progress), see samples,
split sizes and class counts, and whether it fits the model (with one-click fixes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.core.workspace import DataChoice, Mismatch, default_source_for
from workbench.ui.commands import ApplyFixCommand
from workbench.ui.data.fit import FitBox
from workbench.ui.data.preview import SAMPLES, DataSummary, SamplePreview
from workbench.ui.document import ModelDocument
from workbench.ui.i18n import tr_core, tr_noop, translator
from workbench.ui.threads import BackgroundTask

tr = translator("data.panel")

if TYPE_CHECKING:
    from PySide6.QtWidgets import QListWidget

    from workbench.core.data import DataSet, SourceInfo

__all__ = ["SAMPLES", "DataPanel"]
FILE_SOURCES = {"csv": tr_noop("CSV files (*.csv *.tsv);;All files (*)"),
                "textcsv": tr_noop("CSV files (*.csv *.tsv);;All files (*)"),
                "text": tr_noop("Text files (*.txt *.md);;All files (*)")}


def _sources() -> dict[str, SourceInfo]:
    from workbench.core.data import SOURCES

    return SOURCES


class DataPanel(QWidget):
    """Signals: ``loaded(DataSet)``, ``mismatches_changed(list)``, ``message(str)``."""

    loaded = Signal(object)
    source_changed = Signal(str)  # the chosen source's name (text, digits, folder...)
    mismatches_changed = Signal(list)
    message = Signal(str)

    def __init__(self, document: ModelDocument | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.dataset: DataSet | None = None
        self.loaded_key: tuple | None = None
        self.mismatches: list[Mismatch] = []
        self.seed = 0
        self.task: BackgroundTask | None = None
        self._pending_fill = False
        self._user_chose = False
        self._auto_load_done = False

        self.source = QComboBox()
        for name, info in _sources().items():
            self.source.addItem(tr_core("datasets", info.title), name)
            self.source.setItemData(self.source.count() - 1, tr_core("datasets", info.description),
                                    Qt.ItemDataRole.ToolTipRole)
        self.source.activated.connect(self._on_user_source)
        self.source.currentIndexChanged.connect(self._on_source_changed)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setStyleSheet("color: #555")
        self.path = QLineEdit()
        self.path.setPlaceholderText(tr("Choose a folder or file…"))
        self.path.returnPressed.connect(self.load)
        self.browse = QPushButton(tr("Browse…"))
        self.browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse)
        self.path_widget = QWidget()
        self.path_widget.setLayout(path_row)
        path_row.setContentsMargins(0, 0, 0, 0)
        self.val_fraction = _fraction(0.1, tr("Share of the data held out to validate each epoch"))
        self.test_fraction = _fraction(0.1, tr("Share of the data held out for the final test"))
        self.load_button = QPushButton(tr("Load"))
        self.load_button.clicked.connect(lambda: self.load())
        self.download_button = QPushButton(tr("Download"))
        self.download_button.setToolTip(tr("Download the data set (needs the internet), then load it"))
        self.download_button.clicked.connect(lambda: self.load(download=True))
        buttons = QHBoxLayout()
        buttons.addWidget(self.load_button)
        buttons.addWidget(self.download_button)
        buttons.addStretch(1)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.status = QLabel("")
        self.status.setWordWrap(True)

        source_box = QGroupBox(tr("Source"))
        form = QFormLayout(source_box)
        form.addRow(tr("Data set"), self.source)
        form.addRow(self.description)
        self.path_label = QLabel(tr("Path"))
        form.addRow(self.path_label, self.path_widget)
        form.addRow(tr("Validation"), self.val_fraction)
        form.addRow(tr("Test"), self.test_fraction)
        form.addRow(buttons)
        form.addRow(self.progress)
        form.addRow(self.status)

        self.data_summary = DataSummary()
        self.summary, self.counts = self.data_summary.summary, self.data_summary.counts
        self.fit_box = FitBox()
        self.fit_box.fix_requested.connect(self.apply_fix)
        self.problems_box = self.fit_box
        self.preview = SamplePreview()

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(4, 4, 4, 4)
        lv.addWidget(source_box)
        lv.addWidget(self.fit_box)
        lv.addWidget(self.data_summary, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        if document is not None:
            document.changed.connect(self._on_document_changed)
        self._select(default_source_for(self._spec()))
        self._on_source_changed()
        self._show_mismatches()

    @property
    def samples(self) -> QListWidget:
        return self.preview.samples

    def _spec(self):
        workspace = self.document.workspace if self.document is not None else None
        return workspace.whole_spec if workspace is not None else None

    # -- selection ------------------------------------------------------------------------
    @property
    def source_name(self) -> str:
        return self.source.currentData()

    def source_string(self) -> str:
        """What load_source takes: ``digits``, ``mnist``, ``folder:/path``..."""
        name = self.source_name
        info = _sources()[name]
        if info.needs_path:
            return f"{name}:{self.path.text().strip()}"
        return name

    def options(self) -> dict[str, Any]:
        return {"val_fraction": round(self.val_fraction.value() / 100, 4),
                "test_fraction": round(self.test_fraction.value() / 100, 4)}

    def choice(self) -> DataChoice:
        """What the form says, as the workspace keeps it (a path source made absolute)."""
        return DataChoice(self.source_string(), self.options()).absolute()

    def key(self) -> tuple:
        return (self.source_string(), tuple(sorted(self.options().items())), self.seed)

    def current_dataset(self) -> DataSet | None:
        """The loaded DataSet when it is what the form says now (same source, options, seed)."""
        return self.dataset if self.dataset is not None and self.loaded_key == self.key() else None

    def set_source(self, name: str, path: str | None = None) -> None:
        self._user_chose = True
        self._select(name)
        if path is not None:
            self.path.setText(path)

    def set_seed(self, seed: int) -> None:
        self.seed = int(seed)

    def _select(self, name: str) -> None:
        i = self.source.findData(name)
        if i >= 0:
            self.source.setCurrentIndex(i)

    def _on_user_source(self, *_: Any) -> None:
        self._user_chose = True

    def _on_source_changed(self, *_: Any) -> None:
        name = self.source_name
        info = _sources().get(name)
        if info is None:
            return
        self.description.setText(tr_core("datasets", info.description))
        self.path_label.setVisible(info.needs_path)
        self.path_widget.setVisible(info.needs_path)
        self.download_button.setVisible(info.downloadable)
        self.status.setText("")
        self.source_changed.emit(name)

    def _browse(self) -> None:
        name = self.source_name
        if name in FILE_SOURCES:
            path, _ = QFileDialog.getOpenFileName(self, tr("Choose a file"), self.path.text(),
                                                  tr(FILE_SOURCES[name]))
        else:
            path = QFileDialog.getExistingDirectory(self, tr("Choose a folder"), self.path.text())
        if path:
            self.path.setText(path)
            self.load()

    # -- loading ---------------------------------------------------------------------------
    def load(self, download: bool = False) -> BackgroundTask | None:
        """Load the chosen source in a thread; ``loaded`` is emitted when done."""
        if self.task is not None and self.task.is_running():
            return self.task
        info = _sources()[self.source_name]
        if info.needs_path and not self.path.text().strip():
            self._set_status(tr("Choose a path first."), error=True)
            return None
        source, options, seed = self.source_string(), self.options(), self.seed
        key = self.key()

        def job(progress):
            from workbench.core.data import load_source

            return load_source(source, seed=seed, download=download, progress=progress,
                               **options)

        task = BackgroundTask(job, self)
        task.progress.connect(self._on_progress)
        task.done.connect(lambda data: self._on_loaded(data, key))
        task.failed.connect(self._on_load_failed)
        self.task = task
        self._set_busy(True, tr("Downloading…") if download else tr("Loading…"))
        task.start()
        return task

    def ensure_loaded(self) -> None:
        """Load the default source once, the first time the data are wanted."""
        if not self._auto_load_done and self.dataset is None and not _sources()[
                self.source_name].needs_path and not _sources()[self.source_name].downloadable:
            self._auto_load_done = True
            self.load()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._pending_fill and self.dataset is not None:
            self._fill(self.dataset)
        self.ensure_loaded()

    def wait(self, timeout: float = 60.0) -> bool:
        """Block until a running load is done (tests, shutdown); True when nothing runs."""
        return self.task.wait(timeout) if self.task is not None else True

    def shutdown(self, timeout: float = 10.0) -> bool:
        return self.wait(timeout)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.load_button.setEnabled(not busy)
        self.download_button.setEnabled(not busy)
        self.source.setEnabled(not busy)
        self.progress.setVisible(busy)
        if busy:
            self.progress.setValue(0)
            self._set_status(text)

    def _on_progress(self, fraction: float, text: str) -> None:
        self.progress.setValue(int(max(0.0, min(1.0, fraction)) * 100))
        if text:
            self._set_status(text)

    def _on_load_failed(self, message: str) -> None:
        self._set_busy(False)
        self._set_status(message, error=True)
        self.message.emit(tr("Could not load the data: {}").format(message))

    def _on_loaded(self, data: DataSet, key: tuple) -> None:
        self._set_busy(False)
        workspace = self.document.workspace if self.document is not None else None
        if workspace is not None and key == self.key():  # the data chosen: the workspace's
            workspace.set_data(self.choice())
        self.set_dataset(data, key)

    def set_dataset(self, data: DataSet, key: tuple | None = None, *,
                    defer: bool = False) -> None:
        """Show a DataSet (loaded here or by a run). ``defer``: while the tab is hidden, build
        the thumbnails and tables only when it is shown (a run is starting: stay quick)."""
        self.dataset = data
        self.loaded_key = key if key is not None else self.key()
        self._set_status(tr("Loaded {}.").format(data.name))
        if defer and not self.isVisible():
            self._pending_fill = True
        else:
            self._fill(data)
        self._show_mismatches()
        self.loaded.emit(data)

    def _fill(self, data: DataSet) -> None:
        self._pending_fill = False
        self.data_summary.show_data(data)
        self.preview.show_data(data)

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #8a1c1c" if error else "color: #444")

    # -- fit with the model ------------------------------------------------------------
    def _on_document_changed(self, *_: Any) -> None:
        if not self._user_chose and self.dataset is None:
            self._select(default_source_for(self._spec()))
        self._show_mismatches()

    def _show_mismatches(self) -> None:
        workspace = self.document.workspace if self.document is not None else None
        if self.dataset is None or workspace is None:
            self.mismatches = []
        else:
            self.mismatches = workspace.check_data(self.dataset)
        self.fit_box.show_mismatches(self.mismatches if self.dataset is not None else None)
        self.mismatches_changed.emit(list(self.mismatches))

    def fix_buttons(self) -> list[QPushButton]:
        return list(self.fit_box.buttons)

    def apply_fix(self, mismatch: Mismatch) -> None:
        """The mismatch's fix, as one undoable edit of the model."""
        if not mismatch.fixable or self.document is None:
            return
        command = ApplyFixCommand(self.document, mismatch)
        self.document.push(command)
        if command.error:
            self._set_status(tr("Could not apply the fix: {}").format(command.error), error=True)
            return
        self.message.emit(mismatch.fix_label)
        self._show_mismatches()

    def problem_text(self) -> str | None:
        return "; ".join(m.message for m in self.mismatches) or None


def _fraction(value: float, tip: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0.0, 90.0)
    box.setDecimals(1)
    box.setSingleStep(5.0)
    box.setSuffix(" %")
    box.setValue(value * 100)
    box.setToolTip(tip)
    return box
