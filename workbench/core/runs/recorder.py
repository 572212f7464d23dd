"""RunRecorder: turns engine events into the run folder's files and the run history rows.

Hooks run on the training thread, so step rows are buffered and written in batches (every
few seconds and at each epoch end), never one SQLite transaction per step.

The history may be locked by another process (a second app, a backup tool): the files in the
run folder are written all the same, and the history's rows and updates stay buffered until
a later write gets through (retried at each flush, and a few times at the run's end). A row
leaves the buffer only once it is written; a lock never raises out of a hook.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
import sqlite3
import time
from pathlib import Path
from typing import Any

from workbench.core.engine.events import (
    Callback,
    EpochEnd,
    EvaluationDone,
    RunEnded,
    RunStarted,
    StepMetrics,
    TextSample,
)
from workbench.core.files import atomic_write_text
from workbench.core.runs.owner import this_owner
from workbench.core.runs.store import EPOCH_COLUMNS, STEP_COLUMNS, RunRecord, RunStore

log = logging.getLogger(__name__)

FLUSH_SECONDS = 2.0
FLUSH_ROWS = 500
STEP_WAIT = 0.5  # seconds a flush during training waits for a locked history
END_WAIT = 5.0  # ... and each of the END_TRIES at the run's end
END_TRIES = 3


def write_json(path: Path, data: Any) -> None:
    atomic_write_text(path, json.dumps(_finite(data), indent=2) + "\n")


def _finite(value: Any) -> Any:
    """NaN and infinity become null: JSON has no spelling for them (a diverged loss)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def evaluation_figures(results: dict[str, Any]) -> tuple[float | None, float | None]:
    """(test accuracy, test loss) from an EvaluationResult dict."""
    def num(*keys: str) -> float | None:
        for k in keys:
            v = results.get(k)
            if isinstance(v, int | float) and math.isfinite(v):
                return float(v)
        return None
    return num("accuracy", "test_accuracy"), num("loss", "test_loss")


class _Csv:
    """An append-only CSV of metric rows; rows after a resume point can be dropped first."""

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        self.path, self.columns = path, columns

    def truncate(self, keep: Any) -> None:
        if not self.path.is_file():
            return
        with self.path.open(newline="") as f:
            rows = [r for r in csv.DictReader(f) if keep(r)]
        self._write(rows, mode="w", header=True)

    def append(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            self._write(rows, mode="a", header=not self.path.is_file())

    def _write(self, rows: list[dict[str, Any]], mode: str, header: bool) -> None:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, self.columns, extrasaction="ignore", lineterminator="\n")
        if header:
            writer.writeheader()
        writer.writerows({k: _cell(r.get(k)) for k in self.columns} for r in rows)
        if mode == "w":
            atomic_write_text(self.path, buf.getvalue())
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", newline="") as f:
                f.write(buf.getvalue())


def _cell(v: Any) -> Any:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "" if v is None else str(v)
    return f"{v:.6g}" if isinstance(v, float) else v


def _int(v: Any, default: int = -1) -> int:
    try:
        return int(v)
    except (TypeError, ValueError):
        return default


class RunRecorder(Callback):
    """Writes ``run.json``, ``metrics/*.csv``, ``evaluation.json`` and the RunStore rows."""

    def __init__(self, run_dir: Path, store: RunStore, record: RunRecord) -> None:
        self.run_dir = Path(run_dir)
        self.store = store
        self.record = record
        self._steps = _Csv(self.run_dir / "metrics" / "steps.csv", STEP_COLUMNS)
        self._epochs = _Csv(self.run_dir / "metrics" / "epochs.csv", EPOCH_COLUMNS)
        self._pending: list[dict[str, Any]] = []  # step rows not yet in the CSV
        self._db_steps: list[dict[str, Any]] = []  # in the CSV, not yet in the history
        self._db_epochs: list[dict[str, Any]] = []
        self._db_updates: dict[str, Any] = {}
        self._warned = False
        self._last_flush = time.monotonic()
        self._seconds_before = 0.0  # time spent before a resume
        self._started = time.monotonic()

    # -- helpers ----------------------------------------------------------------------
    def write_run_json(self) -> None:
        d = self.record.to_dict()
        d.pop("config")  # config.json holds it
        d["run_dir"] = self.run_dir.name  # relative, so a moved folder stays consistent
        if self.record.status == "running":  # so a dead owner can be told (owner.py)
            d["owner"] = this_owner()
        path = self.run_dir / "run.json"
        try:  # keep keys other writers put there (data_options, format)
            old = json.loads(path.read_text()) if path.is_file() else {}
        except (OSError, json.JSONDecodeError):
            old = {}
        write_json(path, {**old, **d})

    def _save(self, **values: Any) -> None:
        for k, v in values.items():
            setattr(self.record, k, v)
        self._db_updates.update(values)
        self.write_run_json()
        self._write_db()

    def flush(self, wait: float = STEP_WAIT) -> bool:
        """Step rows into the CSV, then everything buffered into the history; False while
        the history stays locked (the rows stay buffered)."""
        rows, self._pending = self._pending, []
        self._last_flush = time.monotonic()
        if rows:
            self._steps.append(rows)
            self._db_steps.extend(rows)
        return self._write_db(wait)

    @property
    def unsaved_rows(self) -> int:
        """Rows the history has not got yet (they are in the run folder's CSV files)."""
        return len(self._db_steps) + len(self._db_epochs)

    def _write_db(self, wait: float = STEP_WAIT) -> bool:
        try:
            with self.store.busy_timeout(wait):
                if self._db_steps:
                    self.store.add_steps(self.record.id, self._db_steps)
                    self._db_steps = []  # only now: a failed write keeps them
                if self._db_epochs:
                    self.store.add_epochs(self.record.id, self._db_epochs)
                    self._db_epochs = []
                if self._db_updates:
                    self.store.update(self.record.id, **self._db_updates)
                    self._db_updates = {}
        except sqlite3.Error as e:
            if not self._warned:
                self._warned = True
                log.warning("The run history %s cannot be written now (%s): its rows are "
                            "kept and written when it can be.", self.store.path, e)
            return False
        return True

    # -- hooks ------------------------------------------------------------------------
    def on_run_started(self, event: RunStarted) -> None:
        self._started = time.monotonic()
        if event.start_step > 0 or event.start_epoch > 0:  # resumed: drop what comes again
            self._seconds_before = self.record.seconds or 0.0
            self._steps.truncate(lambda r: _int(r.get("step")) <= event.start_step)
            self._epochs.truncate(lambda r: _int(r.get("epoch")) < event.start_epoch)
            try:  # rows it keeps are replaced by the new ones (INSERT OR REPLACE) anyway
                self.store.truncate_metrics(self.record.id, after_step=event.start_step,
                                            from_epoch=event.start_epoch)
            except sqlite3.Error as e:
                log.warning("The run history cannot be written now (%s).", e)
        self._save(status="running", device=event.device, params=event.params,
                   config=dict(event.config), reason="")

    def on_step(self, event: StepMetrics) -> None:
        self._pending.append({"step": event.step, "epoch": event.epoch, "loss": event.loss,
                              "accuracy": event.accuracy, "lr": event.lr,
                              "samples_per_sec": event.samples_per_sec})
        if (len(self._pending) >= FLUSH_ROWS
                or time.monotonic() - self._last_flush >= FLUSH_SECONDS):
            self.flush()

    def on_epoch_end(self, event: EpochEnd) -> None:
        self.flush()
        row = {"epoch": event.epoch, "step": event.step, "train_loss": event.train_loss,
               "train_accuracy": event.train_accuracy, "val_loss": event.val_loss,
               "val_accuracy": event.val_accuracy, "seconds": event.seconds}
        self._epochs.append([row])
        self._db_epochs.append(row)
        best = self.record.best_val_accuracy
        if event.val_accuracy is not None and math.isfinite(event.val_accuracy):
            best = event.val_accuracy if best is None else max(best, event.val_accuracy)
        self._save(epochs_done=event.epoch + 1, best_val_accuracy=best,
                   seconds=self._seconds_before + time.monotonic() - self._started)

    def on_text_sample(self, event: TextSample) -> None:
        """Appended to the run's samples.txt: how the writing changed epoch by epoch."""
        with open(self.run_dir / "samples.txt", "a", encoding="utf-8") as f:
            f.write(f"--- after epoch {event.epoch + 1} (step {event.step}) ---\n"
                    f"{event.prompt}{event.text}\n")

    def on_evaluation(self, event: EvaluationDone) -> None:
        write_json(self.run_dir / "evaluation.json", event.results)
        accuracy, loss = evaluation_figures(event.results)
        self._save(test_accuracy=accuracy, test_loss=loss)

    def on_run_ended(self, event: RunEnded) -> None:
        self.flush()
        best = self.record.best_val_accuracy
        if event.best_val_accuracy is not None and math.isfinite(event.best_val_accuracy):
            best = event.best_val_accuracy
        self._save(status=event.status, reason=event.reason, epochs_done=event.epochs_done,
                   seconds=self._seconds_before + event.seconds, best_val_accuracy=best)
        for _ in range(END_TRIES):
            if not (self._db_steps or self._db_epochs or self._db_updates) or \
                    self._write_db(END_WAIT):
                return
        log.warning("The run history %s stayed locked: %d metric rows of this run are only in "
                    "its folder's metrics/*.csv files.", self.store.path, self.unsaved_rows)
