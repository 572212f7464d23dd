"""TensorBoard event files for a training run: a Trainer callback writing scalars per step and
per epoch, the hyper-parameters with the final metrics, and the model graph when it traces.

    trainer = Trainer(..., callbacks=[TensorBoardLogger("runs/tb", model, example_batch)])
    # or, for a trainer already made: attach_tensorboard(trainer, "runs/tb")
    # then: tensorboard --logdir runs/tb
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path
from typing import Any

import torch
from torch import nn

from workbench.core.engine.events import (
    Callback,
    EpochEnd,
    EvaluationDone,
    RunEnded,
    RunStarted,
    StepMetrics,
)

log = logging.getLogger(__name__)


class TensorBoardLogger(Callback):
    """Writes ``log_dir`` with ``torch.utils.tensorboard.SummaryWriter``.

    Tags: ``step/loss``, ``step/accuracy``, ``step/lr``, ``step/samples_per_sec`` (x = global
    step); ``loss/train``, ``loss/val``, ``accuracy/train``, ``accuracy/val`` per epoch (x =
    the step the epoch ended on); ``test/*`` from the evaluation; hyper-parameters with the
    final metrics in the HPARAMS tab; the graph when ``model`` traces with ``example_input``
    (a failure is logged and noted in the TEXT tab, never raised: logging must not stop a run).
    Under DDP, give it to rank 0 only.
    """

    def __init__(self, log_dir: str | os.PathLike, model: nn.Module | None = None,
                 example_input: torch.Tensor | None = None) -> None:
        self.log_dir = Path(log_dir)
        self.model = model
        self.example_input = example_input
        self.graph_error: str | None = None  # why the graph could not be written, if not
        self._writer: Any = None
        self._config: dict[str, Any] = {}
        self._final: dict[str, float] = {}

    @property
    def writer(self) -> Any:
        if self._writer is None:  # created on first use: no empty event files for no run
            from torch.utils.tensorboard import SummaryWriter

            self._writer = SummaryWriter(log_dir=str(self.log_dir))
        return self._writer

    # -- hooks ---------------------------------------------------------------------------
    def on_run_started(self, event: RunStarted) -> None:
        self._config = dict(event.config)
        rows = "\n".join(f"| {k} | {v} |" for k, v in sorted(event.config.items()))
        self.writer.add_text("run/config", "| setting | value |\n|---|---|\n" + rows)
        self.writer.add_text("run/device", f"{event.device}, {event.precision}, "
                             f"{event.params:,} parameters, {event.train_size:,} training "
                             f"samples, {event.total_steps:,} steps")
        if self.model is not None and self.example_input is not None:
            self.log_graph(self.model, self.example_input)

    def on_step(self, event: StepMetrics) -> None:
        w, step = self.writer, event.step
        w.add_scalar("step/loss", event.loss, step)
        if event.accuracy is not None:
            w.add_scalar("step/accuracy", event.accuracy, step)
        w.add_scalar("step/lr", event.lr, step)
        w.add_scalar("step/samples_per_sec", event.samples_per_sec, step)
        self._final["train_loss"] = event.loss

    def on_epoch_end(self, event: EpochEnd) -> None:
        w, step = self.writer, event.step
        values = {"loss/train": event.train_loss, "accuracy/train": event.train_accuracy,
                  "loss/val": event.val_loss, "accuracy/val": event.val_accuracy}
        for tag, value in values.items():
            if value is not None:
                w.add_scalar(tag, value, step)
                self._final[tag.replace("/", "_")] = value
        w.add_scalar("epoch/seconds", event.seconds, step)

    def on_evaluation(self, event: EvaluationDone) -> None:
        for key, value in event.results.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                self.writer.add_scalar(f"test/{key}", value)
                self._final[f"test_{key}"] = float(value)

    def on_run_ended(self, event: RunEnded) -> None:
        metrics = {f"hparam/{k}": v for k, v in self._final.items()}
        for key in ("best_val_accuracy", "best_val_loss"):
            value = getattr(event, key)
            if value is not None:
                metrics[f"hparam/{key}"] = value
        hparams = {k: v for k, v in self._config.items()
                   if isinstance(v, bool | int | float | str)}
        hparams["status"] = event.status
        self.writer.add_hparams(hparams, metrics, run_name=".")
        self.close()

    # -- helpers -------------------------------------------------------------------------
    def log_graph(self, model: nn.Module, example_input: torch.Tensor) -> bool:
        """Add the model graph (traced once with ``example_input``); False if it does not
        trace, with the reason in ``graph_error``, the log and the TEXT tab."""
        modes = {m: m.training for m in model.modules()}
        try:
            device = next((p.device for p in model.parameters()), example_input.device)
            model.eval()  # tracing runs the model: keep BatchNorm statistics untouched
            with warnings.catch_warnings(), torch.no_grad():
                warnings.simplefilter("ignore")
                self.writer.add_graph(model, example_input.to(device))
            return True
        except Exception as e:  # tracing may fail for many reasons; the run goes on
            self.graph_error = f"{type(e).__name__}: {str(e).strip().splitlines()[0][:300]}" \
                if str(e).strip() else type(e).__name__
            log.warning("TensorBoard: could not add the model graph (%s)", self.graph_error)
            self.writer.add_text("run/graph", f"The model graph is not available: "
                                 f"{self.graph_error}")
            return False
        finally:
            for m, mode in modes.items():
                m.training = mode

    def close(self) -> None:
        if self._writer is not None:
            self._writer.flush()
            self._writer.close()
            self._writer = None


def sample_batch(trainer: Any) -> torch.Tensor | None:
    """One training sample as a batch of one, on the trainer's device (for tracing the graph);
    None when the data cannot give one cheaply."""
    split = trainer.data.train
    try:
        x = split.x[:1] if split.x is not None else split.dataset[0][0].unsqueeze(0)
    except Exception:  # noqa: BLE001 - no graph is better than no run
        return None
    return x.to(trainer.device)


def logger_for(trainer: Any, log_dir: str | os.PathLike) -> TensorBoardLogger:
    """A TensorBoardLogger for this Trainer's run: scalars, hyper-parameters and its graph."""
    return TensorBoardLogger(log_dir, trainer.model, sample_batch(trainer))


def attach_tensorboard(trainer: Any, log_dir: str | os.PathLike) -> TensorBoardLogger:
    """Add ``logger_for(trainer, log_dir)`` to the Trainer's callbacks (before ``fit()``)."""
    logger = logger_for(trainer, log_dir)
    trainer.callbacks.append(logger)
    return logger
