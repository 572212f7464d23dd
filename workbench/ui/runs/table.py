"""The Runs tab's table of the run history: one row a run (its status in colour, where its
weights came from), sortable by every column."""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from workbench.core.data.locations import display_source
from workbench.core.runs import RunRecord
from workbench.ui.i18n import tr_noop, translator
from workbench.ui.units import fmt_duration

tr = translator("runs.panel")  # the tab's context: its translations stay as they were

STATUS_TEXT = {"running": tr_noop("running"), "finished": tr_noop("finished"),
               "stopped": tr_noop("stopped"), "failed": tr_noop("failed"),
               "early_stopped": tr_noop("stopped early"), "interrupted": tr_noop("interrupted")}
STATUS_COLOR = {"finished": "#1b6e20", "failed": "#a31515", "stopped": "#8a6d00",
                "early_stopped": "#1b6e20", "running": "#1f5fbf", "interrupted": "#a35200"}
# lineage.json's relation as the Runs table says it
RELATION_WORDS = {"prune": tr_noop("pruned"), "int8": tr_noop("quantized (int8)"),
                  "fp16": tr_noop("fp16 weights"), "bf16": tr_noop("bf16 weights"),
                  "distill": tr_noop("distilled"), "fine-tuned": tr_noop("fine-tuned")}
COLUMNS = (tr_noop("Run"), tr_noop("Status"), tr_noop("Started"), tr_noop("Model"),
           tr_noop("Data"), tr_noop("Best val acc"), tr_noop("Test acc"), tr_noop("Duration"),
           tr_noop("Device"))


def short_id(run_id: str) -> str:
    """The random tail of a run id ("20261123-101502-a3f9" -> "a3f9"): names runs in legends."""
    return run_id.rsplit("-", 1)[-1]


def _when(iso: str) -> str:
    """The start time in the user's time zone (the history stores it with its zone, UTC)."""
    try:
        when = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso or ""
    if when.tzinfo is not None:
        when = when.astimezone()
    return when.strftime("%Y-%m-%d %H:%M")


def _pct(v: float | None) -> str:
    return f"{100 * v:.2f} %" if isinstance(v, int | float) and math.isfinite(v) else ""


class RunsModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.records: list[RunRecord] = []
        self.lineage: dict[str, dict] = {}  # run id -> where its weights came from

    def set_records(self, records: list[RunRecord]) -> None:
        from workbench.core.runs.lineage import read_lineage

        self.beginResetModel()
        self.records = list(records)
        self.lineage = {r.id: d for r in self.records if (d := read_lineage(r.run_dir))}
        self.endResetModel()

    def lineage_text(self, r: RunRecord) -> str:
        """"fine-tuned from run 20261202-1230" (a run folder) or "... from m.wbbundle"."""
        d = self.lineage.get(r.id)
        if not d:
            return ""
        parent = Path(d["parent"])  # a run folder, a run id (compression) or a file
        parent_id = next((x.id for x in self.records
                          if Path(x.run_dir) == parent or x.id == d["parent"]), None)
        relation = str(d.get("relation", "derived"))
        return tr("{} from ").format(tr(RELATION_WORDS.get(relation, relation))) + (
            f"run {short_id(parent_id)}" if parent_id else parent.name)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(COLUMNS[section])
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.records[index.row()]
        c = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            lineage = self.lineage_text(r)
            return (short_id(r.id), tr(STATUS_TEXT.get(r.status, r.status)), _when(r.created),
                    r.spec_name + (f" ({lineage})" if lineage else ""), display_source(r.data_source), _pct(r.best_val_accuracy),
                    _pct(r.test_accuracy),
                    fmt_duration(r.seconds or None, missing=""), r.device)[c]
        if role == Qt.ItemDataRole.UserRole:  # sort keys
            return (r.id, r.status, r.created, r.spec_name, r.data_source,
                    r.best_val_accuracy if r.best_val_accuracy is not None else -1.0,
                    r.test_accuracy if r.test_accuracy is not None else -1.0,
                    r.seconds or 0.0, r.device)[c]
        if role == Qt.ItemDataRole.ForegroundRole and c == 1:
            return QBrush(QColor(STATUS_COLOR.get(r.status, "#333")))
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{r.id}\n{r.run_dir}\n{r.data_source}"
            if r.id in self.lineage:
                tip += f"\n{self.lineage_text(r)}: {self.lineage[r.id]['parent']}"
            if r.reason:
                tip += f"\n{r.reason}"
            return tip
        if role == Qt.ItemDataRole.TextAlignmentRole and c in (5, 6, 7):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None
