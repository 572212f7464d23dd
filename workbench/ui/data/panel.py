"""The Data tab: choose a data source, load it (in a thread, with progress), see samples,
split sizes and class counts, and whether it fits the model (with one-click fixes)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.data.compat import Mismatch, check_data, default_source_for
from workbench.ui.data.thumbnails import decode_tokens, describe_features, label_text, sample_pixmap
from workbench.ui.threads import BackgroundTask
from workbench.ui.training.document_api import document_analysis, document_spec, set_node_params

SAMPLES = 32
FILE_SOURCES = {"csv": "CSV files (*.csv *.tsv);;All files (*)",
                "textcsv": "CSV files (*.csv *.tsv);;All files (*)",
                "text": "Text files (*.txt *.md);;All files (*)"}


def _sources() -> dict[str, Any]:
    from workbench.core.data import SOURCES

    return SOURCES


class DataPanel(QWidget):
    """Signals: ``loaded(DataSet)``, ``mismatches_changed(list)``, ``message(str)``."""

    loaded = Signal(object)
    mismatches_changed = Signal(list)
    message = Signal(str)

    def __init__(self, document: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.dataset: Any = None
        self.loaded_key: tuple | None = None
        self.mismatches: list[Mismatch] = []
        self.seed = 0
        self.task: BackgroundTask | None = None
        self._fix_buttons: list[QPushButton] = []
        self._pending_fill = False
        self._user_chose = False
        self._auto_load_done = False

        self.source = QComboBox()
        for name, info in _sources().items():
            self.source.addItem(info.title, name)
            self.source.setItemData(self.source.count() - 1, info.description,
                                    Qt.ItemDataRole.ToolTipRole)
        self.source.activated.connect(self._on_user_source)
        self.source.currentIndexChanged.connect(self._on_source_changed)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setStyleSheet("color: #555")
        self.path = QLineEdit()
        self.path.setPlaceholderText("Choose a folder or file…")
        self.path.returnPressed.connect(self.load)
        self.browse = QPushButton("Browse…")
        self.browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse)
        self.path_widget = QWidget()
        self.path_widget.setLayout(path_row)
        path_row.setContentsMargins(0, 0, 0, 0)
        self.val_fraction = _fraction(0.1, "Share of the data held out to validate each epoch")
        self.test_fraction = _fraction(0.1, "Share of the data held out for the final test")
        self.load_button = QPushButton("Load")
        self.load_button.clicked.connect(lambda: self.load())
        self.download_button = QPushButton("Download")
        self.download_button.setToolTip("Download the data set (needs the internet), then load it")
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

        source_box = QGroupBox("Source")
        form = QFormLayout(source_box)
        form.addRow("Data set", self.source)
        form.addRow(self.description)
        self.path_label = QLabel("Path")
        form.addRow(self.path_label, self.path_widget)
        form.addRow("Validation", self.val_fraction)
        form.addRow("Test", self.test_fraction)
        form.addRow(buttons)
        form.addRow(self.progress)
        form.addRow(self.status)

        self.summary = QLabel("Not loaded")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counts = QTableWidget(0, 4)
        self.counts.setHorizontalHeaderLabels(["Class", "Train", "Val", "Test"])
        self.counts.verticalHeader().hide()
        self.counts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.counts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.counts.setMinimumHeight(120)
        summary_box = QGroupBox("Data set")
        sv = QVBoxLayout(summary_box)
        sv.addWidget(self.summary)
        sv.addWidget(self.counts, 1)

        self.problems_box = QGroupBox("Fit with the model")
        self.problems_layout = QVBoxLayout(self.problems_box)
        self.problems_layout.setContentsMargins(8, 8, 8, 8)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(4, 4, 4, 4)
        lv.addWidget(source_box)
        lv.addWidget(self.problems_box)
        lv.addWidget(summary_box, 1)

        self.samples = QListWidget()
        self.samples.setViewMode(QListView.ViewMode.IconMode)
        self.samples.setIconSize(QSize(64, 64))
        self.samples.setResizeMode(QListView.ResizeMode.Adjust)
        self.samples.setMovement(QListView.Movement.Static)
        self.samples.setSpacing(6)
        self.samples.setUniformItemSizes(True)
        self.samples.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        samples_box = QGroupBox(f"First {SAMPLES} training samples")
        smv = QVBoxLayout(samples_box)
        smv.addWidget(self.samples)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(samples_box)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        if document is not None and hasattr(document, "changed"):
            document.changed.connect(self._on_document_changed)
        self._select(default_source_for(document_spec(document)))
        self._on_source_changed()
        self._show_mismatches()

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

    def key(self) -> tuple:
        return (self.source_string(), tuple(sorted(self.options().items())), self.seed)

    def current_dataset(self) -> Any:
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
        self.description.setText(info.description)
        self.path_label.setVisible(info.needs_path)
        self.path_widget.setVisible(info.needs_path)
        self.download_button.setVisible(info.downloadable)
        self.status.setText("")

    def _browse(self) -> None:
        name = self.source_name
        if name in FILE_SOURCES:
            path, _ = QFileDialog.getOpenFileName(self, "Choose a file", self.path.text(),
                                                  FILE_SOURCES[name])
        else:
            path = QFileDialog.getExistingDirectory(self, "Choose a folder", self.path.text())
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
            self._set_status("Choose a path first.", error=True)
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
        self._set_busy(True, "Downloading…" if download else "Loading…")
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
        self.message.emit(f"Could not load the data: {message}")

    def _on_loaded(self, data: Any, key: tuple) -> None:
        self._set_busy(False)
        self.set_dataset(data, key)

    def set_dataset(self, data: Any, key: tuple | None = None, *, defer: bool = False) -> None:
        """Show a DataSet (loaded here or by a run). ``defer``: while the tab is hidden, build
        the thumbnails and tables only when it is shown (a run is starting: stay quick)."""
        self.dataset = data
        self.loaded_key = key if key is not None else self.key()
        self._set_status(f"Loaded {data.name}.")
        if defer and not self.isVisible():
            self._pending_fill = True
        else:
            self._fill(data)
        self._show_mismatches()
        self.loaded.emit(data)

    def _fill(self, data: Any) -> None:
        self._pending_fill = False
        s = data.summary()
        sizes = s.get("sizes", {})
        lines = [
            f"<b>{data.name}</b>: {data.kind}, samples of {' x '.join(map(str, data.sample_shape))}",
            f"{data.task.replace('_', ' ')}, {data.num_classes:,} "
            f"{'tokens' if data.task == 'next_token' else 'classes' if data.task == 'classification' else 'outputs'}",
            "train {:,} · validation {:,} · test {:,}".format(
                sizes.get("train", 0), sizes.get("val", 0), sizes.get("test", 0)),
        ]
        if s.get("skipped"):
            lines.append(f"{s['skipped']:,} unreadable samples skipped")
        lines += [str(n) for n in s.get("notes", [])]
        self.summary.setText("<br>".join(lines))
        self._fill_counts(data, s)
        self._fill_samples(data)

    def _fill_counts(self, data: Any, summary: dict[str, Any]) -> None:
        counts = summary.get("class_counts") or {}
        names = list(data.class_names) if data.task == "classification" else []
        self.counts.setRowCount(len(names))
        self.counts.setVisible(bool(names))
        for r, name in enumerate(names):
            self.counts.setItem(r, 0, QTableWidgetItem(str(name)))
            for c, split in enumerate(("train", "val", "test"), start=1):
                values = counts.get(split) or []
                item = QTableWidgetItem(f"{values[r]:,}" if r < len(values) else "—")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.counts.setItem(r, c, item)

    def _fill_samples(self, data: Any) -> None:
        self.samples.clear()
        split = data.train
        n = min(SAMPLES, len(split))
        text_mode = data.kind != "image"
        self.samples.setViewMode(QListView.ViewMode.ListMode if text_mode
                                 else QListView.ViewMode.IconMode)
        self.samples.setWordWrap(True)
        for i in range(n):
            x, y = _sample(split, i)
            if x is None:
                break
            label = label_text(y, data.class_names) if y is not None and data.task != "next_token" else ""
            if data.kind == "image":
                pix = sample_pixmap(x, 64)
                item = QListWidgetItem(label)
                if pix is not None:
                    item.setIcon(pix)
                item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
                item.setToolTip(f"training sample {i}: {label}")
            elif data.kind == "tokens":
                text = decode_tokens(x, data.vocab, data.tokenizer)
                item = QListWidgetItem(f"{label}: {text}" if label else text)
            else:
                item = QListWidgetItem(f"{label}: {describe_features(x)}" if label
                                       else describe_features(x))
            self.samples.addItem(item)

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #8a1c1c" if error else "color: #444")

    # -- fit with the model ------------------------------------------------------------
    def _on_document_changed(self, *_: Any) -> None:
        if not self._user_chose and self.dataset is None:
            self._select(default_source_for(document_spec(self.document)))
        self._show_mismatches()

    def _show_mismatches(self) -> None:
        spec = document_spec(self.document)
        if self.dataset is None or spec is None:
            self.mismatches = []
        else:
            self.mismatches = check_data(spec, self.dataset, document_analysis(self.document))
        self._fix_buttons = []
        while self.problems_layout.count():
            w = self.problems_layout.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        if self.dataset is None:
            self.problems_layout.addWidget(QLabel("Load the data to check it against the model."))
        elif not self.mismatches:
            ok = QLabel("✓ The data fit the model's input and output.")
            ok.setStyleSheet("color: #1b6e20")
            self.problems_layout.addWidget(ok)
        for m in self.mismatches:
            row = QWidget()
            h = QHBoxLayout(row)
            h.setContentsMargins(0, 0, 0, 0)
            text = QLabel(f"⚠ {m.message}")
            text.setWordWrap(True)
            text.setStyleSheet(f"color: {QColor('#8a4b00').name()}")
            h.addWidget(text, 1)
            if m.fixable:
                fix = QPushButton(m.fix_label)
                fix.setObjectName("fix")
                fix.clicked.connect(lambda _=False, m=m: self.apply_fix(m))
                h.addWidget(fix)
                self._fix_buttons.append(fix)
            self.problems_layout.addWidget(row)
        self.mismatches_changed.emit(list(self.mismatches))

    def fix_buttons(self) -> list[QPushButton]:
        return list(self._fix_buttons)

    def apply_fix(self, mismatch: Mismatch) -> None:
        if not mismatch.fixable or self.document is None:
            return
        try:
            set_node_params(self.document, mismatch.node, mismatch.params, mismatch.fix_label)
        except Exception as exc:  # noqa: BLE001 - say it, do not crash
            self._set_status(f"Could not apply the fix: {exc}", error=True)
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


def _sample(split: Any, i: int) -> tuple[Any, Any]:
    if split.x is not None:
        return split.x[i], (split.y[i] if split.y is not None else None)
    if split.dataset is not None:
        try:
            x, y = split.dataset[i]
            return x, y
        except Exception:  # noqa: BLE001
            return None, None
    return None, None

