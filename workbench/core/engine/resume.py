"""What a checkpoint's ``state.pt`` holds for a run to continue exactly, and putting it back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
from torch import nn

from workbench.core.engine import checkpoint as ckpt
from workbench.core.engine.config import TrainingConfig
from workbench.core.engine.errors import TrainingError
from workbench.core.engine.loop import Progress
from workbench.core.engine.optim import Scheduler, restore_scheduler


def training_state(progress: Progress, optimizer: torch.optim.Optimizer,
                   scheduler: Scheduler | None, scaler: torch.amp.GradScaler | None,
                   total_steps: int, config: TrainingConfig) -> dict[str, Any]:
    return {"progress": progress.to_dict(), "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict() if scheduler else None,
            "scaler": scaler.state_dict() if scaler else None,
            "rng": ckpt.rng_state(), "global_step": progress.global_step,
            "total_steps": total_steps, "batch_size": config.batch_size,
            "config": config.to_dict()}


def restore_training(folder: Path, model: nn.Module, optimizer: torch.optim.Optimizer,
                     scheduler: Scheduler | None, scaler: torch.amp.GradScaler | None, *,
                     total_steps: int, batch_size: int, steps_per_epoch: int,
                     load_sharded: Callable[[dict, dict], None] | None = None) -> Progress:
    """Load weights, optimizer, schedule, scaler and RNG states; return where the run stood.
    Raises TrainingError when the checkpoint is missing, damaged or for another model.
    ``load_sharded(weights, optimizer state)`` puts them into an FSDP-sharded model."""
    state = ckpt.load_state(folder)
    ckpt.check_pair(folder, state)
    sharded = bool(state.get("sharded"))
    if sharded != (load_sharded is not None):
        how = "with" if sharded else "without"
        raise TrainingError(f"The checkpoint {folder} was written {how} FSDP sharding: its "
                            f"optimizer state resumes {how} it (Sharding in the Hardware "
                            f"settings; any number of processes)")
    try:
        if load_sharded is not None:
            load_sharded(ckpt.load_weights(folder), state["optimizer"])
        else:
            model.load_state_dict(ckpt.load_weights(folder))
    except RuntimeError as e:
        raise TrainingError(f"The checkpoint {folder} does not fit this model: "
                            f"{str(e).splitlines()[0]}") from None
    if load_sharded is None:
        flags = [{k: g.get(k) for k in ("fused", "foreach")} for g in optimizer.param_groups]
        optimizer.load_state_dict(state["optimizer"])
        for g, f in zip(optimizer.param_groups, flags, strict=True):
            g.update(f)  # kernels suited to this device, whatever the checkpoint's was
    progress = Progress.from_dict(state["progress"])
    restore_scheduler(scheduler, state.get("scheduler"), progress.global_step,
                      int(state.get("total_steps", -1)) != total_steps)
    if scaler is not None and state.get("scaler"):
        scaler.load_state_dict(state["scaler"])
    old_bs = int(state.get("batch_size", batch_size))
    if old_bs != batch_size:  # keep the position in samples
        progress.batch = min(steps_per_epoch, progress.batch * old_bs // batch_size)
    ckpt.set_rng_state(state["rng"])
    return progress
