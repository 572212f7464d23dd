"""The per-batch code of training and validation, and where a run stands.

``make_train_step`` picks one of a few small closures once per run (plain fp32, autocast,
autocast + gradient scaler), so the hot loop carries no per-step branching on settings, no
``.item()`` and no dict building.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

from workbench.core.engine.metrics import DeviceSums, Totals
from workbench.core.engine.objective import Objective

StepResult = tuple[torch.Tensor, torch.Tensor | None, int | torch.Tensor]
TrainStep = Callable[[torch.Tensor, torch.Tensor], StepResult]


class DataFailure(Exception):
    """The loader raised while producing a batch (a bad file, a worker crash...)."""


class Diverged(Exception):
    """The loss or the weights stopped being finite numbers."""


def next_batch(it: Iterator[tuple[torch.Tensor, torch.Tensor]]
               ) -> tuple[torch.Tensor, torch.Tensor] | None:
    """The next batch, None at the end; loader exceptions become DataFailure."""
    try:
        return next(it)
    except StopIteration:
        return None
    except Exception as e:
        raise DataFailure(str(e) or type(e).__name__) from e


def under_autocast(compute: Callable[[torch.Tensor, torch.Tensor], StepResult],
                   amp: torch.autocast | None
                   ) -> Callable[[torch.Tensor, torch.Tensor], StepResult]:
    """``compute`` run inside ``amp`` (mixed precision); ``compute`` itself without it."""
    if amp is None:
        return compute

    def mixed(xb: torch.Tensor, yb: torch.Tensor) -> StepResult:
        with amp:
            return compute(xb, yb)

    return mixed


def make_forward(forward: Callable[[torch.Tensor], torch.Tensor], objective: Objective,
                 amp: torch.autocast | None, channels_last: bool,
                 target_of: Callable[[torch.Tensor], torch.Tensor] | None = None
                 ) -> Callable[[torch.Tensor, torch.Tensor], StepResult]:
    """``target_of``: the target from the input instead of the labels (an autoencoder)."""
    def plain(xb: torch.Tensor, yb: torch.Tensor) -> StepResult:
        if target_of is not None:
            yb = target_of(xb)
        if channels_last and xb.dim() == 4:
            xb = xb.contiguous(memory_format=torch.channels_last)
        return objective(forward(xb), yb)

    return under_autocast(plain, amp)


def make_train_step(compute: Callable[[torch.Tensor, torch.Tensor], StepResult],
                    optimizer: torch.optim.Optimizer,
                    scheduler: torch.optim.lr_scheduler.LRScheduler | None,
                    scaler: torch.amp.GradScaler | None, grad_clip: float,
                    params: list[nn.Parameter]) -> TrainStep:
    zero_grad, opt_step = optimizer.zero_grad, optimizer.step
    sched_step = scheduler.step if scheduler is not None else None
    clip = float(grad_clip) if grad_clip and grad_clip > 0 else 0.0
    clip_norm = torch.nn.utils.clip_grad_norm_

    if scaler is None:
        def step(xb: torch.Tensor, yb: torch.Tensor) -> StepResult:
            result = compute(xb, yb)
            zero_grad(set_to_none=True)
            result[0].backward()
            if clip:
                clip_norm(params, clip)
            opt_step()
            if sched_step is not None:
                sched_step()
            return result

        return step

    def scaled_step(xb: torch.Tensor, yb: torch.Tensor) -> StepResult:
        result = compute(xb, yb)
        zero_grad(set_to_none=True)
        scaler.scale(result[0]).backward()
        if clip:
            scaler.unscale_(optimizer)  # clip the true gradients, not the scaled ones
            clip_norm(params, clip)
        scaler.step(optimizer)  # skipped when the scaled gradients overflowed
        scaler.update()
        if sched_step is not None:
            sched_step()
        return result

    return scaled_step


def validate(compute: Callable[[torch.Tensor, torch.Tensor], StepResult],
             batches: Iterator[tuple[torch.Tensor, torch.Tensor]], device: torch.device,
             stop_requested: Callable[[], bool]) -> tuple[float, float, int] | None:
    """(loss sum, correct, count) over the batches; None when a stop cut it short."""
    sums = DeviceSums(device)
    with torch.no_grad():
        while (batch := next_batch(batches)) is not None:
            if stop_requested():
                return None
            sums.add(*compute(*batch))
    return sums.read()


def params_finite(params: list[nn.Parameter]) -> bool:
    """One sync for all parameters (called once per epoch)."""
    if not params:
        return True
    return bool(torch.stack([torch.isfinite(p).all() for p in params]).all())


@dataclass
class Progress:
    """Where a run stands; saved in every checkpoint so a resumed run continues exactly."""

    epoch: int = 0  # the epoch under way (0-based)
    batch: int = 0  # batches done in it
    global_step: int = 0
    totals: Totals = field(default_factory=Totals)  # this epoch's training sums so far
    epoch_seconds: float = 0.0  # time this epoch took before the current fit (resume)
    best: float | None = None  # best monitored value
    best_epoch: int = -1
    bad_epochs: int = 0  # epochs since the monitored value last improved
    history: list[dict[str, Any]] = field(default_factory=list)  # one row per epoch

    def to_dict(self) -> dict[str, Any]:
        return {"epoch": self.epoch, "batch": self.batch, "global_step": self.global_step,
                "totals": self.totals.to_dict(), "epoch_seconds": self.epoch_seconds,
                "best": self.best, "best_epoch": self.best_epoch, "bad_epochs": self.bad_epochs,
                "history": [dict(r) for r in self.history]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Progress:
        return cls(int(d["epoch"]), int(d["batch"]), int(d["global_step"]),
                   Totals.from_dict(d.get("totals")), float(d.get("epoch_seconds", 0.0)),
                   d.get("best"), int(d.get("best_epoch", -1)), int(d.get("bad_epochs", 0)),
                   [dict(r) for r in d.get("history", [])])

    def close_epoch(self, row: dict[str, Any], monitor: str) -> bool:
        """Record a finished epoch's figures (an EpochEnd as a dict) and move to the next
        epoch; True when the monitored value improved (a new best)."""
        value, higher = monitored(row, monitor)
        improved = value is not None and math.isfinite(value) and (
            self.best is None or (value > self.best if higher else value < self.best))
        if improved:
            self.best, self.best_epoch, self.bad_epochs = float(value), self.epoch, 0  # type: ignore[arg-type]
        else:
            self.bad_epochs += 1
        self.history.append({k: v for k, v in row.items() if k != "is_best"})
        self.epoch, self.batch, self.totals, self.epoch_seconds = self.epoch + 1, 0, Totals(), 0.0
        return improved

    def best_of(self, key: str, higher: bool) -> float | None:
        values = [r[key] for r in self.history if isinstance(r.get(key), float)
                  and r[key] == r[key]]  # skip None and NaN
        if not values:
            return None
        return max(values) if higher else min(values)


def monitored(row: dict[str, Any], monitor: str) -> tuple[float | None, bool]:
    """(value, higher is better) that the best checkpoint and early stopping watch: the
    validation figure ``monitor`` names, the training one when there is no validation split,
    and the loss when there is no accuracy (regression)."""
    prefix = "val" if row.get("val_loss") is not None else "train"
    if monitor == "val_accuracy" and row.get(f"{prefix}_accuracy") is not None:
        return row[f"{prefix}_accuracy"], True
    return row.get(f"{prefix}_loss"), False
