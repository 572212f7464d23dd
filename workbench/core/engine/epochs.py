"""The Trainer's epochs: each one trained (``StepLoop``), checked, validated and closed
(history, best epoch, checkpoints, EpochEnd, a language model's text sample), until the last
epoch, a stop or early stopping."""

from __future__ import annotations

import dataclasses
import threading
import time
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from workbench.core.engine.config import TrainingConfig
from workbench.core.engine.events import EpochEnd
from workbench.core.engine.loop import Diverged, Progress, params_finite, validate

if TYPE_CHECKING:
    from workbench.core.data import DataSet
    from workbench.core.distributed import DistContext


def text_sampler(data: DataSet, seed: int):
    """An EpochSampler for next-token data (a text sample after each epoch), else None."""
    if data.task != "next_token" or not data.vocab or not data.tokenizer:
        return None
    from workbench.core.generate.epochs import EpochSampler

    return EpochSampler(data, seed)


class EpochLoop:
    """Part of the Trainer (its attributes are set up in ``Trainer.__init__`` and ``fit``)."""

    config: TrainingConfig
    model: nn.Module
    device: torch.device
    dist: DistContext | None
    progress: Progress
    optimizer: torch.optim.Optimizer
    val_loader: Any
    _stop: threading.Event
    _has_accuracy: bool
    _paused: float

    def _run(self) -> str:
        p, cfg = self.progress, self.config
        while p.epoch < cfg.epochs:
            if self._unfreeze_due(p.epoch):
                self._unfreeze()
            if self._flags_say_stop():
                self._save("last")
                return "stopped"
            t_epoch = time.monotonic()
            paused_before = self._paused
            self.model.train()
            if self._train_epoch():
                self._sync_all()
                p.epoch_seconds += time.monotonic() - t_epoch - (self._paused - paused_before)
                self._save("last")
                return "stopped"
            self._sync_all()
            if not params_finite(self._local_params()):
                lr = float(self.optimizer.param_groups[0]["lr"])
                raise Diverged(f"The weights became NaN or infinite in epoch {p.epoch + 1}: "
                               f"the training diverged at learning rate {lr:g}; lower the "
                               "learning rate, enable gradient clipping or check the data")
            val = self._validate()
            seconds = p.epoch_seconds + time.monotonic() - t_epoch - (self._paused - paused_before)
            if val is None:  # stopped during validation: resume redoes it
                p.epoch_seconds = seconds
                self._save("last")
                return "stopped"
            if self._end_epoch(val, seconds):
                return "early_stopped"
        return "finished"

    def _validate(self) -> tuple[float | None, float | None] | None:
        if self.val_loader is None:
            return None, None
        self.model.eval()
        try:
            out = validate(self._eval_compute, iter(self.val_loader), self.device,
                           self._stop.is_set)
        finally:
            self.model.train()
        if out is None:
            return None
        if self.dist is not None:  # each rank validated its part of the split
            out = self.dist.reduce_sums(*out)
        loss, correct, count = out
        if not count:
            return None, None
        return loss / count, (correct / count if self._has_accuracy else None)

    def _end_epoch(self, val: tuple[float | None, float | None], seconds: float) -> bool:
        """Record the epoch, write checkpoints, report; True when early stopping ends the run."""
        p, cfg = self.progress, self.config
        val_loss, val_acc = val
        train_loss, train_acc = p.totals.mean_loss(), p.totals.accuracy(self._has_accuracy)
        event = EpochEnd(p.epoch, p.global_step, train_loss, train_acc, val_loss, val_acc,
                         seconds, False)
        improved = p.close_epoch(dataclasses.asdict(event), cfg.monitor)
        event = dataclasses.replace(event, is_best=improved)
        if improved:
            self._save("last", "best")
        else:
            self._save("last")
        self._emit(event)
        if self._sampler is not None:  # a language model: show what it writes now
            sample = self._sampler.sample(self.model, event.epoch, p.global_step)
            if sample is not None:
                self._emit(sample)
        return cfg.early_stopping and p.bad_epochs >= cfg.patience

