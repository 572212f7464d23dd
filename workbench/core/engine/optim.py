"""Optimizers and learning-rate schedules from a TrainingConfig. Schedules step once per
optimizer step, so warm-up and decay are smooth even for runs of a few epochs."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import torch
from torch import nn
from torch.optim import lr_scheduler

from workbench.core.engine.config import TrainingConfig
from workbench.core.engine.errors import TrainingError

Scheduler = lr_scheduler.LRScheduler


def make_optimizer(params: Iterable[nn.Parameter] | Iterable[dict], config: TrainingConfig,
                   device: torch.device) -> torch.optim.Optimizer:
    """``params``: parameters, or param groups where a group's ``lr_scale`` multiplies the
    learning rate (the head's, when fine-tuning)."""
    params = list(params)
    if params and isinstance(params[0], dict):
        params = [{**g, "lr": config.lr * g.get("lr_scale", 1.0)} for g in params]
    # The fused kernels are the fastest where they exist; both paths are deterministic.
    fused = {"fused": True} if device.type in ("cuda", "cpu") else {}
    lr, wd = config.lr, config.weight_decay
    if config.optimizer == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=config.momentum,
                               nesterov=config.nesterov and config.momentum > 0,
                               weight_decay=wd, **fused)
    if config.optimizer == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=wd, **fused)
    if config.optimizer == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=wd, **fused)
    if config.optimizer == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, momentum=config.momentum, weight_decay=wd)
    raise TrainingError(f"Unknown optimizer '{config.optimizer}': choose sgd, adam, adamw or "
                        "rmsprop.")


def lr_factor(config: TrainingConfig, steps_per_epoch: int) -> Callable[[int], float]:
    """Multiplier of the base learning rate after ``step`` optimizer steps (none/step/cosine),
    with the linear warm-up in front. A pure function of the step, so resuming is exact."""
    total = max(1, config.epochs * steps_per_epoch)
    warmup = min(total, round(config.warmup_epochs * steps_per_epoch))
    schedule = config.schedule
    step_every = max(1, config.step_size) * steps_per_epoch

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        if schedule == "cosine":
            t = (step - warmup) / max(1, total - warmup)
            return 0.5 * (1.0 + math.cos(math.pi * min(1.0, t)))
        if schedule == "step":
            return config.gamma ** (step // step_every)
        return 1.0

    return factor


def make_scheduler(optimizer: torch.optim.Optimizer, config: TrainingConfig,
                   steps_per_epoch: int) -> Scheduler | None:
    """None when the learning rate is constant (saves a Python call per step)."""
    if config.schedule == "onecycle":
        total = max(1, config.epochs * steps_per_epoch)
        warmup = round(config.warmup_epochs * steps_per_epoch)
        # OneCycle has its own warm-up phase: warmup_epochs sets its length (default 30 %).
        # (Its peak falls at step pct * total_steps - 1: this puts it right after warm-up.)
        pct = min(0.9, (warmup + 1) / (total + 1)) if warmup > 0 else 0.3
        # total + 1: OneCycle's last phase ends at step total_steps - 1, and the scheduler is
        # stepped after every optimizer step, the last one included.
        max_lr = [config.lr * g.get("lr_scale", 1.0) for g in optimizer.param_groups]
        return lr_scheduler.OneCycleLR(optimizer, max_lr=max_lr, total_steps=total + 1,
                                       pct_start=pct,
                                       cycle_momentum=config.optimizer != "rmsprop")
    if config.schedule not in ("none", "step", "cosine"):
        raise TrainingError(f"Unknown schedule '{config.schedule}': choose none, step, cosine "
                            "or onecycle.")
    if config.schedule == "none" and config.warmup_epochs <= 0:
        return None
    return lr_scheduler.LambdaLR(optimizer, lr_factor(config, steps_per_epoch))


def add_group(optimizer: torch.optim.Optimizer, scheduler: Scheduler | None,
              params: list[nn.Parameter]) -> None:
    """Give ``params`` (layers just unfrozen) to a running optimizer at the body's learning
    rate, and to its schedule, which otherwise would not move the new group's rate."""
    first = optimizer.param_groups[0]
    group: dict = {"params": params, "lr_scale": 1.0}
    for key in ("lr", "initial_lr", "max_lr", "min_lr", "max_momentum", "base_momentum",
                "betas", "momentum"):
        if key in first:
            group[key] = first[key]
    optimizer.add_param_group(group)
    if isinstance(scheduler, lr_scheduler.LambdaLR):
        scheduler.base_lrs.append(scheduler.base_lrs[0])
        scheduler.lr_lambdas.append(scheduler.lr_lambdas[0])
    if scheduler is not None and hasattr(scheduler, "_last_lr"):
        scheduler._last_lr.append(first["lr"])


def restore_scheduler(scheduler: Scheduler | None, state: dict | None, global_step: int,
                      total_changed: bool) -> None:
    """Load a saved schedule; when the run was extended (more epochs), the step count is
    replayed on the new schedule instead, since OneCycle's saved phases hold the old total."""
    if scheduler is None:
        return
    if state is not None and not total_changed:
        scheduler.load_state_dict(state)
        return
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "scheduler.step() before optimizer.step()"
        for _ in range(global_step):
            scheduler.step()
