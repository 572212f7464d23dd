"""The Sweep tab. Parameters as ``workbench sweep`` takes them (one per line), a number of
trials and epochs per trial; Start runs ``core.sweeps.Sweep`` on a QThread over the open
model, its data and its Training settings. The trials table, the best so far and the plots
are redrawn from the study (Optuna's storage) after each trial and once a second while one
runs. "Open the best trial" puts the best trial's model on the canvas."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.i18n import tr_noop, translator
from workbench.ui.sweep.plots import Importances, ParallelCoordinates
from workbench.ui.widgets.splitters import side_by_side, stacked

tr = translator("sweep.view")

DEFAULT_PARAMS = "lr=1e-4..1e-2:log\nbatch_size=32,64,128"
STATE_TEXT = {"COMPLETE": tr_noop("finished"), "PRUNED": tr_noop("pruned"),
              "FAIL": tr_noop("failed"), "RUNNING": tr_noop("running"),
              "WAITING": tr_noop("waiting")}


class _SweepWorker(QObject):
    trial_done = Signal()
    finished = Signal(str)  # "" or why it failed

    def __init__(self, sweep: Any) -> None:
        super().__init__()
        self.sweep = sweep

    @Slot()
    def run(self) -> None:
        try:
            self.sweep.on_trial = lambda _row: self.trial_done.emit()
            self.sweep.run()
            self.finished.emit("")
        except BaseException as exc:  # noqa: BLE001 - reported in the view
            self.finished.emit(f"{type(exc).__name__}: {exc}")


class SweepView(QWidget):
    open_model = Signal(object)  # a ModelSpec: the best trial's model
    message = Signal(str)
    sweep_finished = Signal(str)

    def __init__(self, document: Any, runs_dir: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document, self.runs_dir = document, runs_dir
        self.sweep: Any = None
        self.prepare: Any = None  # () -> None: puts the chosen data and settings in place
        self._thread: QThread | None = None
        self._worker: _SweepWorker | None = None

        self.params = QPlainTextEdit(DEFAULT_PARAMS)
        self.params.setToolTip(tr("One per line: NAME=LOW..HIGH[:log] (a range), NAME=A,B,C "
                                  "(choices); NAME is a training setting (lr, batch_size, "
                                  "optimizer...) or a layer's parameter, NODE.PARAM"))
        self.params.setMaximumHeight(90)
        self.trials = QSpinBox(minimum=1, maximum=1000, value=8)
        self.epochs = QSpinBox(minimum=1, maximum=1000, value=3)
        self.start_button = QPushButton(tr("Start sweep"))
        self.stop_button = QPushButton(tr("Stop"))
        self.best_button = QPushButton(tr("Open the best trial"))
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.best_button.clicked.connect(self.open_best)
        self.status = QLabel(tr("Set up the parameters to search, then Start."))
        self.status.setWordWrap(True)
        self.best = QLabel(tr("Best so far: —"))
        self.best.setStyleSheet("font-weight: 600")

        form = QFormLayout()
        form.addRow(tr("Parameters"), self.params)
        form.addRow(tr("Trials"), self.trials)
        form.addRow(tr("Epochs per trial"), self.epochs)
        buttons = QHBoxLayout()
        for b in (self.start_button, self.stop_button, self.best_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        setup = QVBoxLayout()
        setup.addLayout(form)
        setup.addLayout(buttons)
        setup.addWidget(self.status)
        setup.addWidget(self.best)
        setup.addStretch(1)
        top = QWidget()
        top.setLayout(setup)

        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.parallel = ParallelCoordinates()
        self.importance = Importances()

        main = stacked(side_by_side(top, self.table, sizes=[420, 900]),
                       side_by_side(self.parallel, self.importance, sizes=[800, 500]),
                       sizes=[380, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(main)

        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.refresh)
        self._update_buttons()

    # -- running -------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._thread is not None

    def make_sweep(self) -> Any:
        """The Sweep the form asks for, over the open model, data and settings."""
        from dataclasses import replace

        from workbench.core.sweeps import Sweep, parse_param

        if self.prepare is not None:  # the Data and Training tabs' choices into the workspace
            self.prepare()
        ws = self.document.workspace
        if ws is None:
            raise ValueError(tr("open a model first"))
        lines = [ln.strip() for ln in self.params.toPlainText().splitlines() if ln.strip()]
        if not lines:
            raise ValueError(tr("give at least one parameter, e.g. lr=1e-4..1e-2:log"))
        params = [parse_param(line, ws.spec) for line in lines]
        config = replace(ws.config, epochs=self.epochs.value())
        return Sweep(ws.spec.copy(), ws.data.source, config, params, trials=self.trials.value(),
                     runs_dir=self.runs_dir, data_options=dict(ws.data.load_options()))

    def start(self) -> bool:
        if self.running:
            return False
        try:
            self.sweep = self.make_sweep()
        except Exception as exc:  # noqa: BLE001 - a bad parameter line, no model...
            self.status.setText(tr("Cannot start: {}").format(exc))
            return False
        self._thread = QThread(self)
        self._worker = _SweepWorker(self.sweep)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.trial_done.connect(self.refresh)
        self._worker.finished.connect(self._on_finished)
        done = self.sweep.done()
        text = tr("Study '{}': {} of {} trials done, continuing…") if done else \
            tr("Study '{}': {} of {} trials done…")
        self.status.setText(text.format(self.sweep.name, done, self.sweep.trials))
        self._thread.start()
        self._timer.start()
        self._update_buttons()
        self.refresh()
        return True

    def stop(self) -> None:
        if self.sweep is not None and self.running:
            self.sweep.request_stop()
            self.status.setText(tr("Stopping after this batch; the trial is run again when the "
                                   "sweep continues."))

    @Slot(str)
    def _on_finished(self, error: str) -> None:
        self._timer.stop()
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
        self._thread, self._worker = None, None
        self.refresh()
        if error and "KeyboardInterrupt" not in error:
            self.status.setText(tr("The sweep stopped: {}").format(error))
        elif self.sweep is not None:
            self.status.setText(tr("Study '{}': {} of {} trials done.").format(
                self.sweep.name, self.sweep.done(), self.sweep.trials))
        self._update_buttons()
        self.sweep_finished.emit(error)

    def shutdown(self, timeout_s: float = 30.0) -> bool:
        if not self.running:
            return True
        self.stop()
        assert self._thread is not None
        return self._thread.wait(int(timeout_s * 1000))

    def _update_buttons(self) -> None:
        self.start_button.setEnabled(not self.running)
        self.stop_button.setEnabled(self.running)
        self.best_button.setEnabled(self._best_row() is not None)

    # -- showing the study ---------------------------------------------------------------
    def rows(self) -> list[Any]:
        from workbench.core.sweeps import trial_rows

        return trial_rows(self.sweep.study) if self.sweep is not None else []

    def _best_row(self) -> Any:
        good = [r for r in self.rows() if r.state == "COMPLETE" and r.value is not None]
        if not good:
            return None
        maximize = self.sweep.direction == "maximize"
        return (max if maximize else min)(good, key=lambda r: r.value)

    @Slot()
    def refresh(self) -> None:
        if self.sweep is None:
            return
        rows = self.rows()
        names = [p.name for p in self.sweep.params]
        monitor = self.sweep.config.monitor
        head = [tr("Trial"), tr("State"), monitor, *names, tr("Epochs"), tr("Run")]
        self.table.setColumnCount(len(head))
        self.table.setHorizontalHeaderLabels(head)
        self.table.setRowCount(len(rows))
        best = self._best_row()
        for i, r in enumerate(rows):
            cells = [str(r.number), tr(STATE_TEXT.get(r.state, r.state.lower()))
                     + (tr(" (again later)") if r.interrupted else ""),
                     "—" if r.value is None else f"{r.value:.4g}",
                     *(_cell(r.params.get(n)) for n in names), str(r.epochs), r.run_id or ""]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if best is not None and r.number == best.number:
                    f = item.font()
                    f.setBold(True)
                    item.setFont(f)
                self.table.setItem(i, j, item)
        if best is not None:
            values = ", ".join(f"{k}={_cell(v)}" for k, v in best.params.items())
            self.best.setText(tr("Best so far: trial {}, {} {:.4g} ({})").format(
                best.number, monitor, best.value, values))
        done = [(r.params, r.value) for r in rows if r.state == "COMPLETE"
                and r.value is not None and math.isfinite(r.value)]
        self.parallel.show_trials(names, [p.log for p in self.sweep.params], done,
                                  self.sweep.direction == "maximize", monitor)
        self.importance.show_importances(self._importances(len(done)))
        self._update_buttons()

    def _importances(self, complete: int) -> dict[str, float]:
        if complete < 2:
            return {}
        try:
            from optuna.importance import get_param_importances

            return dict(get_param_importances(self.sweep.study))
        except Exception:  # noqa: BLE001 - too few distinct trials for the evaluator yet
            return {}

    def open_best(self) -> bool:
        best = self._best_row()
        if best is None or not best.run_dir:
            return False
        from workbench.core.runs import open_run

        try:
            run = open_run(best.run_dir)
        except Exception as exc:  # noqa: BLE001
            self.message.emit(tr("Cannot open the best trial: {}").format(exc))
            return False
        self.open_model.emit(run.spec)
        return True


def _cell(v: Any) -> str:
    return f"{v:.4g}" if isinstance(v, float) else str(v)
