"""A sweep: an Optuna study whose trials are Workbench runs.

The study is stored in ``sweeps.sqlite`` in the runs folder (Optuna's RDB storage), named
after the model, the data and what is varied, so the same command run again continues the
same study: trials already done count, a trial cut short by an interruption is run again.
Each trial is a run of its own (``create_run``: its folder, its row in the run history);
its epoch ends report the monitored figure to Optuna's pruner (MedianPruner), which stops
a trial doing worse than the median of the earlier ones at the same epoch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.engine.config import TrainingConfig
from workbench.core.engine.events import Callback, EpochEnd
from workbench.core.engine.loop import monitored
from workbench.core.graph import ModelSpec
from workbench.core.runs.store import RunStore, default_runs_dir
from workbench.core.sweeps.params import SweepParam, apply_values

if TYPE_CHECKING:
    import optuna

    from workbench.core.data import DataSet

STORAGE_FILE = "sweeps.sqlite"
INTERRUPTED = "interrupted"  # user attribute of a trial cut short: it is run again
log = logging.getLogger(__name__)


def study_storage(runs_dir: Path | str | None = None) -> str:
    folder = Path(runs_dir) if runs_dir is not None else default_runs_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(folder / STORAGE_FILE).resolve()}"


def _optuna() -> Any:
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna


def default_study_name(spec: ModelSpec, source: str, params: Sequence[SweepParam],
                       config: TrainingConfig) -> str:
    """The same model, data, varied parameters and fixed settings: the same study."""
    key = json.dumps([spec.to_json(), source, [p.describe() for p in params],
                      config.to_dict()], sort_keys=True, default=str)
    digest = hashlib.sha1(key.encode()).hexdigest()[:8]
    what = "-".join(p.name for p in params)[:40]
    return f"{spec.name} on {source}: {what} ({digest})"


@dataclass(frozen=True)
class TrialRow:
    """One trial as the table shows it."""

    number: int
    state: str  # "COMPLETE", "PRUNED", "FAIL", "RUNNING"
    value: float | None
    params: dict[str, Any]
    run_id: str | None
    run_dir: str | None
    epochs: int  # epochs reported (a pruned trial stops early)
    interrupted: bool = False


def trial_rows(study: optuna.Study) -> list[TrialRow]:
    rows = []
    for t in study.get_trials(deepcopy=False):
        value = t.value if t.value is not None and math.isfinite(t.value) else None
        rows.append(TrialRow(t.number, t.state.name, value, dict(t.params),
                             t.user_attrs.get("run_id"), t.user_attrs.get("run_dir"),
                             len(t.intermediate_values), bool(t.user_attrs.get(INTERRUPTED))))
    return rows


def list_studies(runs_dir: Path | str | None = None) -> list[Any]:
    """The stored studies (optuna StudySummary), newest first; none when there is no file."""
    folder = Path(runs_dir) if runs_dir is not None else default_runs_dir()
    if not (folder / STORAGE_FILE).is_file():
        return []
    summaries = _optuna().get_all_study_summaries(study_storage(folder))
    return sorted(summaries, key=lambda s: s.datetime_start or 0, reverse=True)


def load_study(name: str, runs_dir: Path | str | None = None) -> optuna.Study:
    return _optuna().load_study(study_name=name, storage=study_storage(runs_dir))


class _Pruning(Callback):
    """Each epoch's monitored figure to Optuna; asks the run to stop when the pruner says."""

    def __init__(self, trial: Any, monitor: str, epochs: int) -> None:
        self.trial, self.monitor, self.epochs = trial, monitor, epochs
        self.trainer: Any = None
        self.best: float | None = None
        self.pruned = False
        self.higher = False

    def on_epoch_end(self, event: EpochEnd) -> None:
        value, self.higher = monitored(
            {"train_loss": event.train_loss, "train_accuracy": event.train_accuracy,
             "val_loss": event.val_loss, "val_accuracy": event.val_accuracy}, self.monitor)
        if value is None or not math.isfinite(value):
            return
        if self.best is None or (value > self.best if self.higher else value < self.best):
            self.best = value
        self.trial.report(value, event.epoch)
        last = event.epoch + 1 >= self.epochs  # nothing left to save: let it finish
        if not last and self.trial.should_prune() and self.trainer is not None:
            self.pruned = True
            self.trainer.request_stop()


@dataclass
class Sweep:
    """``Sweep(spec, "digits", config, params, trials=10).run()``: the study after
    ``trials`` trials are done (counting those of earlier runs of the same study)."""

    spec: ModelSpec
    source: str
    config: TrainingConfig
    params: list[SweepParam]
    trials: int = 10
    runs_dir: Path | None = None
    store: RunStore | None = None
    study_name: str | None = None
    data_options: dict[str, Any] = field(default_factory=dict)
    data: DataSet | None = None
    prune_after: int = 2  # trials completed before the pruner may stop one
    callbacks: Sequence[Callback] = ()  # for every trial's run (the app's live plots)
    on_trial: Callable[[TrialRow], None] | None = None  # after each trial ends

    def __post_init__(self) -> None:
        self.runs_dir = Path(self.runs_dir) if self.runs_dir is not None else default_runs_dir()
        self.name = self.study_name or default_study_name(self.spec, self.source, self.params,
                                                          self.config)
        self._stop = threading.Event()
        self._trainer: Any = None
        self.study = self._open()

    # -- the study ----------------------------------------------------------------------
    @property
    def direction(self) -> str:
        return "maximize" if self.config.monitor == "val_accuracy" else "minimize"

    def _open(self) -> optuna.Study:
        optuna = _optuna()
        study = optuna.create_study(
            study_name=self.name, storage=study_storage(self.runs_dir), load_if_exists=True,
            direction=self.direction, sampler=optuna.samplers.TPESampler(seed=self.config.seed),
            pruner=optuna.pruners.MedianPruner(n_startup_trials=self.prune_after,
                                               n_warmup_steps=0))
        # a trial left running by a process that ended (power cut, kill): run it again
        storage = study._storage
        for t in study.get_trials(deepcopy=False,
                                  states=(optuna.trial.TrialState.RUNNING,)):
            storage.set_trial_user_attr(t._trial_id, INTERRUPTED, True)
            storage.set_trial_state_values(t._trial_id, optuna.trial.TrialState.FAIL)
        return study

    def done(self) -> int:
        """Trials that count: finished, pruned, or failed by themselves (not interrupted)."""
        return sum(1 for r in trial_rows(self.study)
                   if r.state in ("COMPLETE", "PRUNED", "FAIL") and not r.interrupted)

    def enqueue(self, values: dict[str, Any]) -> None:
        """Run these values next (a known good point, or a test's fixed trial)."""
        self.study.enqueue_trial(values, skip_if_exists=False)

    def request_stop(self) -> None:
        """Stop the trial under way (it is run again on resume) and start no other."""
        self._stop.set()
        if self._trainer is not None:
            self._trainer.request_stop()

    def run(self) -> optuna.Study:
        optuna = _optuna()
        store = self.store or RunStore()
        try:
            while self.done() < self.trials and not self._stop.is_set():
                self.study.optimize(lambda t: self._objective(t, store), n_trials=1,
                                    catch=(), gc_after_trial=True)
                if self.on_trial is not None:
                    self.on_trial(trial_rows(self.study)[-1])
        finally:
            if self.store is None:
                store.close()
        del optuna
        return self.study

    # -- one trial ----------------------------------------------------------------------
    def _objective(self, trial: Any, store: RunStore) -> float:
        optuna = _optuna()
        from workbench.core.runs import create_run

        values = {p.name: p.suggest(trial) for p in self.params}
        spec, config = apply_values(self.spec, self.config, values)
        problems = config.validate()
        if problems:  # a combination the settings refuse (a batch N processes cannot share)
            trial.set_user_attr("reason", "; ".join(problems))
            raise optuna.TrialPruned()
        pruning = _Pruning(trial, config.monitor, config.epochs)
        data = self._data(config.seed)
        trainer, run_dir = create_run(
            spec, self.source, config, data=data, runs_dir=self.runs_dir, store=store,
            callbacks=[pruning, *self.callbacks], name=f"{self.spec.name} trial {trial.number}",
            data_options=self.data_options)
        record_id = json.loads((run_dir / "run.json").read_text())["id"]
        trial.set_user_attr("run_id", record_id)
        trial.set_user_attr("run_dir", str(run_dir))
        _mark_run(run_dir, self.name, trial.number)
        if config.nproc > 1:
            from workbench.core.distributed import DistributedRun

            trainer = DistributedRun(run_dir, config.nproc, callbacks=[pruning, *self.callbacks],
                                     store_path=store.path)
        pruning.trainer = self._trainer = trainer
        try:
            if self._stop.is_set():
                raise KeyboardInterrupt
            ended = trainer.fit()
        except KeyboardInterrupt:
            trial.set_user_attr(INTERRUPTED, True)
            store.update(record_id, status="stopped", reason="the sweep was interrupted")
            raise
        finally:
            self._trainer = None
        if self._stop.is_set() and not pruning.pruned:
            trial.set_user_attr(INTERRUPTED, True)
            raise optuna.TrialPruned()  # not counted as done: resume runs it again
        if pruning.pruned:
            trial.set_user_attr("reason", f"pruned after epoch {ended.epochs_done}")
            raise optuna.TrialPruned()
        if ended.status == "failed" or pruning.best is None:
            trial.set_user_attr("reason", ended.reason or "no figure to compare")
            return float("nan")  # Optuna records a failed trial
        return pruning.best

    def _data(self, seed: int) -> DataSet | None:
        """The data set loaded once for the sweep (again only for a swept seed)."""
        if self.data is not None and seed == self.config.seed:
            return self.data
        from workbench.core.data import load_source
        from workbench.core.data.locations import absolute_source

        data = load_source(absolute_source(self.source), seed=seed, **self.data_options)
        if seed == self.config.seed:
            self.data = data
        return data


def _mark_run(run_dir: Path, study: str, number: int) -> None:
    """The run folder says which sweep and trial it belongs to (run.json)."""
    from workbench.core.runs.recorder import write_json

    path = run_dir / "run.json"
    info = json.loads(path.read_text())
    info["sweep"] = {"study": study, "trial": number}
    write_json(path, info)
