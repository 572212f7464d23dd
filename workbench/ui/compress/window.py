"""The Compress window, opened from the Runs tab for one trained run: choose a method and
its options, run it on a worker thread (``BackgroundTask``), read the table (the same cells
as ``workbench compress`` prints: ``core.compress.table.cell``) and export a row.

Each compressed model is a run of its own, so it also appears in the Runs tab."""

from __future__ import annotations

import shutil
import weakref
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from workbench.core.compress.table import COLUMNS, cell
from workbench.ui.i18n import tr_noop, translator
from workbench.ui.threads import BackgroundTask

tr = translator("compress.window")

_WINDOWS: weakref.WeakKeyDictionary[QWidget, CompressWindow] = weakref.WeakKeyDictionary()

METHOD_TITLES = (("prune", tr_noop("Pruning")), ("int8", tr_noop("int8 quantization")),
                 ("distill", tr_noop("Knowledge distillation")))
COLUMN_TITLES = {"label": tr_noop("model"), "params": tr_noop("params"),
                 "bytes": tr_noop("size"), "size_ratio": tr_noop("smaller"),
                 "accuracy": tr_noop("test acc"), "accuracy_change": tr_noop("change"),
                 "latency_torch_ms": tr_noop("ms torch"), "latency_onnx_ms": tr_noop("ms onnx")}


class CompressWindow(QWidget):
    """Signals: ``message(str)`` for the status bar, ``finished(dict)`` with the table."""

    message = Signal(str)
    finished = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("CompressWindow")
        self.setWindowTitle(tr("Compress — Workbench"))
        self.resize(1100, 640)
        self.run_dir: str | None = None
        self.report: dict[str, Any] | None = None
        self.task: BackgroundTask | None = None

        self.title = QLabel(tr("Select a trained run in the Runs tab and choose Compress…"))
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.method = QComboBox()
        for key, title in METHOD_TITLES:
            self.method.addItem(tr(title), key)
        self.method.currentIndexChanged.connect(self._update_options)
        self.amount = _spin(0.5, 0.05, 0.95, 0.05, tr("Share of the weights (or channels) removed"))
        self.structured = QCheckBox(tr("Remove whole channels and neurons (a narrower model)"))
        self.finetune = _ispin(1, 0, 100, tr("Fine-tune epochs afterwards (0: none)"))
        self.rounds = _ispin(1, 1, 10, tr("Reach the amount in this many prune + fine-tune steps"))
        self.half = QComboBox()
        for key, title in ((None, tr("no")), ("fp16", "fp16"), ("bf16", "bf16")):
            self.half.addItem(title, key)
        self.student = QLineEdit()
        self.student.setPlaceholderText(tr("half the teacher's width (or a template / spec file)"))
        self.width = _spin(0.5, 0.05, 1.0, 0.05, tr("Width of the generated student"))
        self.epochs = _ispin(0, 0, 1000, tr("Student epochs (0: the teacher's)"))
        self.temperature = _spin(4.0, 0.5, 20.0, 0.5, tr("Softening temperature of the KD loss"))
        self.alpha = _spin(0.7, 0.0, 1.0, 0.05, tr("Weight of the teacher's term"))
        self.baseline = QCheckBox(tr("Also train the same student without the teacher"))

        self.form = QFormLayout()
        self.form.addRow(tr("Method"), self.method)
        self._rows: dict[str, list[QWidget]] = {"prune": [], "int8": [], "distill": []}
        for method, label, widget in (
                ("prune", tr_noop("Amount"), self.amount), ("prune", "", self.structured),
                ("prune", tr_noop("Fine-tune epochs"), self.finetune),
                ("prune", tr_noop("Rounds"), self.rounds),
                ("int8", tr_noop("Also half weights"), self.half),
                ("distill", tr_noop("Student"), self.student),
                ("distill", tr_noop("Student width"), self.width),
                ("distill", tr_noop("Epochs"), self.epochs),
                ("distill", tr_noop("Temperature"), self.temperature),
                ("distill", tr_noop("Alpha"), self.alpha),
                ("distill", "", self.baseline)):
            self.form.addRow(tr(label) if label else "", widget)
            self._rows[method].append(widget)

        self.run_button = QPushButton(tr("Compress"))
        self.run_button.clicked.connect(self.start)
        self.export_button = QPushButton(tr("Export row…"))
        self.export_button.clicked.connect(self._export_clicked)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.export_button)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(COLUMN_TITLES.get(key, title))
                                              for key, title in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.details = QLabel("")
        self.details.setWordWrap(True)

        options = QWidget()
        options.setLayout(self.form)
        options.setMaximumWidth(440)
        top = QHBoxLayout()
        top.addWidget(options)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        self._update_options()
        self._update_buttons()

    # -- state -----------------------------------------------------------------------------
    def set_run(self, run_dir: str, title: str = "") -> None:
        self.run_dir = str(run_dir)
        self.title.setText(f"<b>{title or Path(run_dir).name}</b> &nbsp; {run_dir}")
        self._update_buttons()

    def options(self) -> Any:
        from workbench.core.compress import CompressOptions

        return CompressOptions(
            self.method.currentData(), amount=self.amount.value(),
            structured=self.structured.isChecked(), finetune_epochs=self.finetune.value(),
            rounds=self.rounds.value(), half=self.half.currentData(),
            student=self.student.text().strip() or None, width=self.width.value(),
            epochs=self.epochs.value() or None, temperature=self.temperature.value(),
            alpha=self.alpha.value(), baseline=self.baseline.isChecked())

    def set_method(self, method: str) -> None:
        self.method.setCurrentIndex(self.method.findData(method))

    def _update_options(self) -> None:
        method = self.method.currentData()
        for key, widgets in self._rows.items():
            for w in widgets:
                self.form.setRowVisible(w, key == method)

    def _update_buttons(self) -> None:
        busy = self.task is not None and self.task.is_running()
        self.run_button.setEnabled(self.run_dir is not None and not busy)
        self.export_button.setEnabled(not busy and self.selected_row() is not None)

    def selected_row(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or self.report is None:
            return None
        row = self.report["rows"][rows[0].row()]
        return row if row.get("run_dir") else None

    # -- running ---------------------------------------------------------------------------
    def start(self) -> BackgroundTask | None:
        if self.run_dir is None or (self.task is not None and self.task.is_running()):
            return None
        options, run_dir = self.options(), self.run_dir

        def work(progress: Any) -> dict[str, Any]:
            from workbench.core.compress import compress_run

            return compress_run(run_dir, options, say=lambda m: progress(0.0, m),
                                callbacks=[training_progress(progress)]).to_dict()

        self.task = BackgroundTask(work, self)
        self.task.progress.connect(lambda _f, text: self.status.setText(text[:1].upper() + text[1:] + "…"))
        self.task.done.connect(self._done)
        self.task.failed.connect(self._failed)
        self.status.setText(tr("Starting…"))
        self.task.start()
        self._update_buttons()
        return self.task

    def _done(self, report: dict[str, Any]) -> None:
        self.show_report(report)
        n = len(report["rows"]) - 1
        self.status.setText(tr("Done: {} compressed model(s), each a new run in the Runs tab.")
                            .format(n))
        self.message.emit(tr("Compressed {}: {} new run(s)").format(Path(report["parent"]).name, n))
        self._update_buttons()
        self.finished.emit(report)

    def _failed(self, message: str) -> None:
        self.status.setText(tr("Could not compress: {}").format(message))
        self.message.emit(tr("Could not compress: {}").format(message))
        self._update_buttons()

    def show_report(self, report: dict[str, Any]) -> None:
        self.report = report
        rows = report["rows"]
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for j, (key, _) in enumerate(COLUMNS):
                item = QTableWidgetItem(cell(row, key))
                if j:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if row.get("run_dir"):
                    item.setToolTip(row["run_dir"])
                self.table.setItem(i, j, item)
        notes = []
        for row in rows:
            d = row.get("details") or {}
            if "top1_agreement" in d:
                notes.append(tr("{}: top-1 agreement with the float model {:.1f} % on {} "
                                "test samples, largest output difference {:.4f}").format(
                    row["label"], 100 * d["top1_agreement"], d["verified_samples"],
                    d["max_abs_diff"]))
            if d.get("losses"):
                notes.append(tr("{}: last task loss {:.4f}, KD loss {:.4f}").format(
                    row["label"], d["losses"]["task_loss"], d["losses"]["kd_loss"]))
        self.details.setText("\n".join(notes) + ("\n" if notes else "")
                             + tr("Latency: milliseconds per sample on the CPU (median)."))
        self._update_buttons()

    def cell_text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    # -- export ----------------------------------------------------------------------------
    def _export_clicked(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        onnx = row["method"] == "int8-onnx"
        filt = tr("ONNX model (*.onnx)") if onnx else \
            tr("ONNX model (*.onnx);;Workbench bundle (*.wbbundle)")
        path, chosen = QFileDialog.getSaveFileName(self, tr("Export the compressed model"), "",
                                                   filt)
        if path:
            fmt = "bundle" if "wbbundle" in chosen else "onnx"
            self.export_row(row, path, fmt)

    def export_row(self, row: dict[str, Any], path: str, fmt: str = "onnx") -> Path | None:
        """Write the row's model: the int8 ONNX file itself, or the run exported (``fmt``
        onnx or bundle) like any other run. Returns the path written, None on failure."""
        if row["method"] == "int8-torch":  # packed int8 PyTorch weights have no safe format
            self.status.setText(tr("PyTorch's dynamic int8 model is rebuilt from the float "
                                   "weights when needed; export the onnxruntime int8 row "
                                   "instead."))
            return None
        try:
            dest = Path(path)
            if row["method"] == "int8-onnx":
                shutil.copyfile(row["file"], dest)
            else:
                from workbench.core.export import export_model
                from workbench.core.runs import open_run

                run = open_run(row["run_dir"])
                export_model(fmt, dest, spec=run.spec, model=run.load_model(), meta=run.meta,
                             config=run.config)
        except Exception as exc:  # noqa: BLE001 - one line for the person
            self.status.setText(tr("Could not export: {}").format(exc))
            return None
        self.status.setText(tr("Exported {} to {}").format(row["label"], dest))
        self.message.emit(tr("Exported to {}").format(dest))
        return dest

    def shutdown(self) -> None:
        if self.task is not None:
            self.task.wait(600)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.shutdown()
        super().closeEvent(event)


def training_progress(progress: Any) -> Any:
    """A Callback that turns a fine-tune's or student's steps into progress lines, with
    the KD loss's two parts while distilling (at most a few lines a second)."""
    import time

    from workbench.core.engine.events import Callback, StepMetrics

    class _Progress(Callback):
        last = 0.0

        def on_step(self, event: StepMetrics) -> None:
            now = time.monotonic()
            if now - self.last < 0.25:
                return
            self.last = now
            text = tr("training: epoch {}, step {}, loss {:.4f}").format(
                event.epoch + 1, event.step, event.loss)
            if event.parts:
                text += ", " + ", ".join(f"{k.replace('_', ' ')} {v:.4f}"
                                         for k, v in event.parts.items())
            progress(event.epoch_progress, text)

    return _Progress()


def _spin(value: float, lo: float, hi: float, step: float, tip: str) -> QDoubleSpinBox:
    s = QDoubleSpinBox()
    s.setRange(lo, hi)
    s.setSingleStep(step)
    s.setDecimals(2)
    s.setValue(value)
    s.setToolTip(tip)
    return s


def _ispin(value: int, lo: int, hi: int, tip: str) -> QSpinBox:
    s = QSpinBox()
    s.setRange(lo, hi)
    s.setValue(value)
    s.setToolTip(tip)
    return s


def show_compress(anchor: QWidget, run_dir: str, title: str = "") -> CompressWindow:
    """Open (or raise) the Compress window of ``anchor``'s main window on ``run_dir``."""
    main = anchor.window()
    win = _WINDOWS.get(main)
    if win is not None and not isValid(win):
        win = None
    if win is None:
        win = CompressWindow(main)
        _WINDOWS[main] = win
    if not (win.task is not None and win.task.is_running()):
        win.set_run(run_dir, title)
    win.show()
    win.raise_()
    return win
