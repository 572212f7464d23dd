"""Per-layer summary (name, kind, output shape, parameters, FLOPs) with a totals row, and the
estimated training memory for the analysed batch size. Everything comes from the Analysis."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.graph import Analysis
from workbench.core.layers import CATALOGUE, fmt_shape
from workbench.ui import style
from workbench.ui.document import ModelDocument
from workbench.ui.i18n import tr_core, tr_noop, translator
from workbench.ui.units import fmt_bytes, fmt_count, fmt_flops

tr = translator("summary.panel")

COLUMNS = (tr_noop("Layer"), tr_noop("Kind"), tr_noop("Output shape"), tr_noop("Parameters"),
           "FLOPs")
NAME_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex
OPTIMIZER_NAMES = {"adam": "Adam", "adamw": "AdamW", "sgd": "SGD", "rmsprop": "RMSprop",
                   "none": tr_noop("no optimizer")}


class SummaryModel(QAbstractTableModel):
    """One row per layer that feeds the output, in model order, then a totals row."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.analysis: Analysis | None = None
        self.rows: list[dict[str, Any]] = []

    def set_analysis(self, analysis: Analysis | None) -> None:
        rows = analysis.rows() if analysis is not None else []
        same_shape = len(rows) == len(self.rows) and self.analysis is not None
        if not same_shape:
            self.beginResetModel()
        self.analysis, self.rows = analysis, rows
        if same_shape:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self.rowCount() - 1, len(COLUMNS) - 1))
        else:
            self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.analysis is None else len(self.rows) + 1

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return tr(COLUMNS[section])
            if role == Qt.ItemDataRole.TextAlignmentRole and section >= 3:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def is_total(self, row: int) -> bool:
        return row == len(self.rows)

    def data(self, index: _Index, role: int = 0) -> Any:
        if not index.isValid() or self.analysis is None:
            return None
        row, col = index.row(), index.column()
        total = self.is_total(row)
        if role == Qt.ItemDataRole.DisplayRole:
            if total:
                return (tr("Total"), "", "", fmt_count(self.analysis.total_params),
                        fmt_flops(self.analysis.total_flops))[col]
            r = self.rows[row]
            kind = CATALOGUE.get(r["kind"])
            return (r["name"], tr_core("catalogue", kind.title) if kind else r["kind"],
                    fmt_shape(r["output_shape"]) if r["output_shape"] else "?",
                    fmt_count(r["params"]), fmt_flops(r["flops"]) if r["flops"] else "—")[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and total:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.BackgroundRole and total:
            return QColor("#eef1f5")
        if role == Qt.ItemDataRole.ForegroundRole and not total and col == 1:
            return QColor(style.TEXT_DIM)
        if role == Qt.ItemDataRole.ToolTipRole and not total and col == 4:
            return tr("{} FLOPs for a batch of {}").format(f"{self.rows[row]['flops']:,}",
                                                            self.analysis.batch)
        if role == NAME_ROLE and not total:
            return self.rows[row]["name"]
        if role == Qt.ItemDataRole.UserRole:  # raw numbers, for sorting and tests
            if total:
                return (None, None, None, self.analysis.total_params,
                        self.analysis.total_flops)[col]
            r = self.rows[row]
            return (r["name"], r["kind"], r["output_shape"], r["params"], r["flops"])[col]
        return None


class SummaryPanel(QWidget):
    node_clicked = Signal(str)

    def __init__(self, document: ModelDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.model = SummaryModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for col, width in enumerate((160, 190, 130, 100, 110)):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.clicked.connect(self._clicked)

        side = QFrame()
        side.setObjectName("totals")
        side.setStyleSheet("#totals { background: #f8f9fa; border-left: 1px solid #dadce0; }")
        columns = QHBoxLayout(side)
        columns.setContentsMargins(14, 8, 14, 8)
        columns.setSpacing(28)
        self.labels: dict[str, QLabel] = {}
        model_form = self._form(columns, tr("Model"))
        for key, title in (("params", tr("Parameters")), ("trainable", tr("Trainable")),
                           ("frozen", tr("Frozen")), ("flops", tr("FLOPs per batch"))):
            self._add_value(model_form, key, title)
        memory_form = self._form(columns, tr("Training memory"))
        self.memory_heading = memory_form.itemAt(0).widget()
        for key, title in (("weights", tr("Weights")), ("gradients", tr("Gradients")),
                           ("optimizer", tr("Optimizer state")), ("activations", tr("Activations")),
                           ("total", tr("Total"))):
            self._add_value(memory_form, key, title)
        self.labels["frozen"].setToolTip(tr("Parameters of frozen layers, and the training "
                                            "memory that saves: frozen layers get no "
                                            "gradients and no optimizer state"))
        # with several processes (Training: Processes / GPUs): one device's share
        self._add_value(memory_form, "per_device", tr("Per device"))
        self._add_value(memory_form, "per_device_fsdp", tr("Per device, FSDP"))
        self.labels["per_device"].setToolTip(
            tr("Data-parallel on N devices: each holds the whole model, its gradients and "
               "optimizer state, and 1/N of the batch's activations"))
        self.labels["per_device_fsdp"].setToolTip(
            tr("Sharded (FSDP): each device holds 1/N of the weights, gradients and "
               "optimizer state, plus the largest layer's weights while it runs, and 1/N of "
               "the activations"))
        self.memory_note = QLabel()
        self.memory_note.setObjectName("dim")
        memory_form.insertRow(1, self.memory_note)
        self.labels["total"].setStyleSheet("font-weight: 700")
        self.memory_heading.setToolTip(tr("One training step: weights, their gradients, the "
                                       "optimizer's state and the activations kept for the "
                                       "backward pass"))
        self.labels["activations"].setToolTip(
            tr("What autograd saves for the backward pass at this batch size, measured by running "
            "each layer on PyTorch's meta device: layer inputs and outputs, attention maps, "
            "normalization statistics, dropout masks; each tensor once. fp32: mixed precision "
            "roughly halves it. Fused kernels keep their own amounts (less for fused "
            "attention, up to twice as much for an LSTM on the CPU)."))

        # fine-tuning: where the start weights go, and freezing
        self.weights_note = QLabel()
        self.weights_note.setWordWrap(True)
        self.weights_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.weights_note.hide()

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        left = QVBoxLayout()
        left.addWidget(self.table)
        left.addWidget(self.weights_note)
        layout.addLayout(left, 1)
        layout.addWidget(side)
        document.changed.connect(self.refresh)
        document.config_changed.connect(self.refresh)
        self.refresh()

    @staticmethod
    def _form(columns: QHBoxLayout, title: str) -> QFormLayout:
        form = QFormLayout()
        form.setVerticalSpacing(3)
        form.setHorizontalSpacing(16)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        heading = QLabel(title)
        heading.setStyleSheet("font-weight: 600; padding-bottom: 2px")
        form.addRow(heading)
        box = QVBoxLayout()
        box.addLayout(form)
        box.addStretch(1)
        columns.addLayout(box)
        return form

    def _add_value(self, form: QFormLayout, key: str, title: str) -> None:
        label = QLabel("—")
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        name = QLabel(title)
        name.setObjectName("dim")
        form.addRow(name, label)
        self.labels[key] = label
        self._names = {**getattr(self, "_names", {}), key: name}

    def form_row_visible(self, key: str, visible: bool) -> None:
        self.labels[key].setVisible(visible)
        self._names[key].setVisible(visible)

    def refresh(self, *_args: Any) -> None:
        a = self.document.analysis
        self.model.set_analysis(a)
        if a is None:
            for label in self.labels.values():
                label.setText("—")
            return
        m = a.memory
        ws = self.document.workspace
        trainable, frozen, saved = ws.freeze_counts() if ws is not None else (
            a.trainable_params, 0, 0)
        share = frozen / a.trainable_params if a.trainable_params else 0.0
        grads, opt = int(m.gradients * (1 - share)), int(m.optimizer * (1 - share))
        values = {"params": fmt_count(a.total_params), "trainable": fmt_count(trainable),
                  "frozen": fmt_count(frozen) + (f" (saves {fmt_bytes(saved)})" if frozen
                                                 else ""),
                  "flops": fmt_flops(a.total_flops), "weights": fmt_bytes(m.weights),
                  "gradients": fmt_bytes(grads), "optimizer": fmt_bytes(opt),
                  "activations": fmt_bytes(m.activations),
                  "total": fmt_bytes(m.total - (m.gradients - grads) - (m.optimizer - opt))}
        self._show_weights(ws)
        for key, text in values.items():
            self.labels[key].setText(text)
        optimizer = OPTIMIZER_NAMES.get(self.document.optimizer, self.document.optimizer)
        self.memory_note.setText(tr("batch of {}, {}").format(a.batch, tr(optimizer)))
        config = self.document.config
        n = config.nproc if config is not None else 1
        for key, sharded in (("per_device", False), ("per_device_fsdp", True)):
            self.labels[key].setText(tr("{} (of {})").format(
                fmt_bytes(m.per_device(n, sharded).total), n))
            self.form_row_visible(key, n > 1)

    def _show_weights(self, ws: Any) -> None:
        """Which layers load the start weights and which start fresh (and why)."""
        missing = getattr(ws, "missing_weights", None)
        if missing is not None:
            text = _html(missing_weights_text(missing))
            self.weights_note.setText(f"<span style='color:#8a1c1c'>{text}</span>")
            self.weights_note.show()
            return
        if ws is None or ws.initial_weights is None:
            self.weights_note.hide()
            return
        from workbench.core.finetune import FineTuneError

        try:
            report = ws.weights_report()
        except FineTuneError as e:
            self.weights_note.setText(f"<span style='color:#8a1c1c'>{_html(str(e))}</span>")
        else:
            text = "<br>".join(_html(line) for line in report.lines()) if report else \
                tr("Start weights attached (which layers load is shown once the model has no "
                   "errors)")
            self.weights_note.setText(text)
        self.weights_note.show()

    def freeze_all_but_head(self) -> None:
        from workbench.ui.commands import EditCommand

        if self.document.workspace is not None:
            self.document.push(EditCommand(self.document, lambda w: w.freeze_all_but_head()))

    def unfreeze_all(self) -> None:
        from workbench.ui.commands import EditCommand

        ws = self.document.workspace
        if ws is not None and ws.frozen:
            self.document.push(EditCommand(self.document,
                                           lambda w: w.set_frozen(list(w.frozen), False)))

    def _clicked(self, index: QModelIndex) -> None:
        name = index.data(NAME_ROLE)
        if name:
            self.node_clicked.emit(name)


def missing_weights_text(missing: Any) -> str:
    """A saved model's start weights that cannot be read now (core ``MissingWeights``)."""
    return tr("The start weights of this model came from {}, which cannot be read now ({}): "
              "training starts from fresh weights. Fine-tune from a run or bundle again, or "
              "detach them (Edit > Detach Start Weights).").format(missing.origin, missing.reason)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
