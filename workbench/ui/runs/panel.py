"""The Runs tab: the run history (RunStore) as a table; select runs to overlay their curves
and compare their configs; reopen a run's model; delete runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.runs import RunRecord, RunStore
from workbench.core.runs.compare import cell_text, compare_configs, row_label
from workbench.ui.i18n import tr_core, translator
from workbench.ui.runs.table import RunsModel, short_id
from workbench.ui.sort_header import use_sort_header
from workbench.ui.widgets.splitters import stacked

tr = translator("runs.panel")

RESUMABLE = ("interrupted", "stopped", "failed")


class RunsPanel(QWidget):
    """Signals: ``selection_changed(list[RunRecord])``, ``open_model(spec)``,
    ``show_evaluation(run_dir)``, ``message(str)``."""

    selection_changed = Signal(list)
    overlay_requested = Signal(list)  # records to overlay on the plots ([] clears)
    open_model = Signal(object)
    fine_tune = Signal(str)  # run folder: its model on the canvas with its weights attached
    continue_run = Signal(str, int)  # run folder, the total number of epochs to reach
    show_evaluation = Signal(str)
    resume_requested = Signal(str)  # a run folder to continue to its planned epochs
    message = Signal(str)

    def __init__(self, store: RunStore | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.busy_run_dirs: set[str] = set()
        self._stale = False
        self.model = RunsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView()
        use_sort_header(self.table)  # its arrow says newest first, as the rows are
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.table.doubleClicked.connect(lambda _: self._show_evaluation())

        self.refresh_button = QPushButton(tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.overlay = QCheckBox(tr("Overlay selected runs on the plots"))
        self.overlay.setChecked(True)
        self.overlay.toggled.connect(lambda _: self._emit_overlay())
        self.open_button = QPushButton(tr("Open model"))
        self.open_button.setToolTip(tr("Put this run's model on the canvas (undoable)"))
        self.open_button.clicked.connect(self._open_model)
        self.fine_tune_button = QPushButton(tr("Fine-tune from this run"))
        self.fine_tune_button.setToolTip(tr("Put this run's model on the canvas with its trained "
                                            "weights attached: training starts from them"))
        self.fine_tune_button.clicked.connect(self._fine_tune)
        self.continue_button = QPushButton(tr("Continue…"))
        self.continue_button.setToolTip(tr("Train this run for more epochs, exactly where it "
                                           "stopped (same settings, same curves)"))
        self.continue_button.clicked.connect(self._continue_clicked)
        self.eval_button = QPushButton(tr("Show evaluation"))
        self.eval_button.clicked.connect(self._show_evaluation)
        self.compress_button = QPushButton(tr("Compress…"))
        self.compress_button.setToolTip(tr("Prune, quantize (int8) or distil this run into a "
                                           "smaller, faster model (each a new run)"))
        self.compress_button.clicked.connect(self._compress)
        self.delete_button = QPushButton(tr("Delete…"))
        self.delete_button.clicked.connect(self._delete_clicked)
        bar = QHBoxLayout()
        for w in (self.refresh_button, self.overlay):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.open_button, self.eval_button, self.delete_button):
            bar.addWidget(w)
        # what makes a new run from the selected one: a row of its own, so that the tab
        # fits a 960-pixel-wide window
        derive = QHBoxLayout()
        derive.addStretch(1)
        for w in (self.fine_tune_button, self.continue_button, self.compress_button):
            derive.addWidget(w)

        self.compare = QTableWidget(0, 0)
        self.compare.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.compare.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.all_keys = QCheckBox(tr("Show equal settings too"))
        self.all_keys.toggled.connect(lambda _: self._fill_compare())
        self.compare_title = QLabel(tr("Select two or more runs to compare their settings."))
        compare_box = QWidget()
        cv = QVBoxLayout(compare_box)
        cv.setContentsMargins(0, 0, 0, 0)
        ch = QHBoxLayout()
        ch.addWidget(self.compare_title, 1)
        ch.addWidget(self.all_keys)
        cv.addLayout(ch)
        cv.addWidget(self.compare)

        top = QWidget()
        tv = QVBoxLayout(top)
        tv.setContentsMargins(0, 0, 0, 0)
        tv.addLayout(bar)
        tv.addLayout(derive)
        tv.addWidget(self.table)
        splitter = stacked(top, compare_box, sizes=[400, 250])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self._update_buttons()

    @property
    def store(self) -> RunStore:
        if self._store is None:
            self._store = RunStore()
        return self._store

    def close_store(self) -> None:
        if self._store is not None:
            self._store.close()

    # -- content ---------------------------------------------------------------------------
    def refresh(self, *, defer: bool = False) -> None:
        """Re-read the run history; ``defer``: while hidden, only when next shown or asked."""
        if defer and not self.isVisible():
            self._stale = True
            return
        self._stale = False
        selected = {r.id for r in self.selected_records()}
        try:
            records = self.store.list_runs()
        except Exception as exc:  # noqa: BLE001 - a damaged history must not break the app
            self.message.emit(tr("Cannot read the run history: {}").format(exc))
            records = []
        self.model.set_records(records)
        self.table.resizeColumnsToContents()
        if selected:
            self.select_ids(selected)
        self._update_buttons()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale or not self.model.records:
            self.refresh()

    def records(self) -> list[RunRecord]:
        if self._stale:
            self.refresh()
        return list(self.model.records)

    def selected_records(self) -> list[RunRecord]:
        rows = sorted({self.proxy.mapToSource(i).row()
                       for i in self.table.selectionModel().selectedRows()})
        return [self.model.records[r] for r in rows if r < len(self.model.records)]

    def select_ids(self, ids: set[str] | list[str]) -> None:
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        wanted = set(ids)
        selection = QItemSelection()
        for row, rec in enumerate(self.model.records):
            if rec.id in wanted:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                selection.select(index, index)
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.table.selectionModel().select(selection, flags)

    def _on_selection(self, *_: Any) -> None:
        records = self.selected_records()
        self._update_buttons()
        self._fill_compare()
        self.selection_changed.emit(records)
        self._emit_overlay()

    def _emit_overlay(self) -> None:
        self.overlay_requested.emit(self.selected_records() if self.overlay.isChecked() else [])

    def _update_buttons(self) -> None:
        n = len(self.selected_records())
        self.open_button.setEnabled(n == 1)
        self.fine_tune_button.setEnabled(n == 1)
        one = self.selected_records()[0] if n == 1 else None
        self.continue_button.setEnabled(one is not None and self._resumable(one))
        self.eval_button.setEnabled(n == 1)
        self.compress_button.setEnabled(n == 1)
        self.delete_button.setEnabled(n >= 1)

    def _resumable(self, record: RunRecord) -> bool:
        """Not training now, and with a checkpoint to go on from."""
        ckpts = Path(record.run_dir) / "checkpoints"
        return (record.status != "running" and str(record.run_dir) not in self.busy_run_dirs
                and any(ckpts.glob("*/model.safetensors")))

    @staticmethod
    def _unfinished(record: RunRecord) -> bool:
        """Stopped, failed or interrupted: Continue resumes it to its planned epochs without
        asking (a finished run asks how many more)."""
        return record.status in RESUMABLE

    # -- compare ---------------------------------------------------------------------------
    def _fill_compare(self) -> None:
        records = self.selected_records()
        self.compare.clear()
        if len(records) < 2:
            self.compare.setRowCount(0)
            self.compare.setColumnCount(0)
            self.compare_title.setText(tr("Select two or more runs to compare their settings."))
            return
        rows = compare_configs(records)
        show = rows if self.all_keys.isChecked() else [r for r in rows if r[2]]
        self.compare_title.setText(
            tr("%n setting(s) differ between the {} runs", n=sum(1 for r in rows if r[2]))
            .format(len(records)))
        self.compare.setColumnCount(len(records))
        self.compare.setRowCount(len(show))
        self.compare.setHorizontalHeaderLabels([tr("run {}").format(short_id(r.id)) + f"\n{r.spec_name}"
                                                for r in records])
        self.compare.setVerticalHeaderLabels([tr_core("settings", row_label(key))
                                              for key, _, _ in show])
        highlight = QBrush(QColor("#fff3bf"))
        for i, (key, values, differs) in enumerate(show):
            for j, v in enumerate(values):
                item = QTableWidgetItem(tr_core("settings", cell_text(key, v)))
                if differs:
                    item.setBackground(highlight)
                    f = item.font()
                    f.setBold(True)
                    item.setFont(f)
                self.compare.setItem(i, j, item)

    # -- actions ---------------------------------------------------------------------------
    def _open_model(self) -> None:
        records = self.selected_records()
        if len(records) != 1:
            return
        try:
            from workbench.core.runs import open_run

            run = open_run(str(records[0].run_dir), self.store)
        except Exception as exc:  # noqa: BLE001
            self.message.emit(tr("Cannot open the run: {}").format(exc))
            return
        self.open_model.emit(run.spec)

    def _fine_tune(self) -> None:
        records = self.selected_records()
        if len(records) == 1:
            self.fine_tune.emit(str(records[0].run_dir))

    def _continue_clicked(self) -> None:
        records = self.selected_records()
        if len(records) != 1 or not self._resumable(records[0]):
            return
        if self._unfinished(records[0]):
            self.resume_requested.emit(str(records[0].run_dir))
            return
        done = records[0].epochs_done or 0
        total, ok = QInputDialog.getInt(
            self, "Continue the run", f"Run {short_id(records[0].id)} has trained "
            f"{done} epoch(s). Train until epoch:", done + 5, done + 1, 100000)
        if ok:
            self.continue_run.emit(str(records[0].run_dir), total)

    def _compress(self) -> Any:
        records = self.selected_records()
        if len(records) != 1:
            return None
        from workbench.ui.compress import show_compress

        window = show_compress(self, str(records[0].run_dir), records[0].spec_name)
        if not window.property("runs_connected"):  # one window per main window: wire it once
            window.message.connect(self.message)
            window.finished.connect(lambda _report: self.refresh())
            window.setProperty("runs_connected", True)
        return window

    def _show_evaluation(self) -> None:
        records = self.selected_records()
        if len(records) == 1:
            self.show_evaluation.emit(str(records[0].run_dir))

    def _delete_clicked(self) -> None:
        records = self.selected_records()
        if not records:
            return
        names = "\n".join(f"• {r.spec_name} ({r.id})" for r in records[:10])
        answer = QMessageBox.question(
            self, tr("Delete runs"),
            tr("Delete %n run(s) and their folders (weights, metrics)?", n=len(records))
            + f"\n\n{names}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_runs([r.id for r in records])

    def delete_runs(self, ids: list[str]) -> int:
        """Forget the runs and remove their folders; a run still training is skipped."""
        done = 0
        by_id = {r.id: r for r in self.model.records}
        for run_id in ids:
            rec = by_id.get(run_id)
            if rec is not None and str(rec.run_dir) in self.busy_run_dirs:
                self.message.emit(tr("The run {} is still training: stop it first.").format(run_id))
                continue
            try:
                self.store.delete(run_id, remove_folder=True)
                done += 1
            except Exception as exc:  # noqa: BLE001
                self.message.emit(tr("Cannot delete {}: {}").format(run_id, exc))
        self.refresh()
        if done:
            self.message.emit(tr("Deleted %n run(s)", n=done))
        return done


