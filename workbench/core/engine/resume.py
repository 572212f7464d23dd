"""What a checkpoint's ``state.pt`` holds for a run to continue exactly, and putting it back;
the Trainer's checkpoints (``last`` and ``best``) written and resumed from."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from workbench.core.engine import checkpoint as ckpt
from workbench.core.engine.config import TrainingConfig
from workbench.core.engine.errors import TrainingError
from workbench.core.engine.loop import Progress
from workbench.core.engine.optim import Scheduler, restore_scheduler

if TYPE_CHECKING:
    from workbench.core.distributed import DistContext
    from workbench.core.finetune.freeze import FreezeHandle

log = logging.getLogger(__name__)


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


class Checkpoints:
    """Part of the Trainer: ``last`` (where the run stands) and ``best`` (the best epoch's
    weights; held in memory without a run folder), and resuming from either."""

    config: TrainingConfig
    model: nn.Module
    dist: DistContext | None
    progress: Progress
    optimizer: torch.optim.Optimizer
    scheduler: Scheduler | None
    scaler: torch.amp.GradScaler | None
    run_dir: Path | None
    total_steps: int
    steps_per_epoch: int
    warnings: list[str]
    _frozen: FreezeHandle
    _best_memory: dict[str, torch.Tensor] | None

    def _save(self, *which: str) -> None:
        if self.dist is not None and self.dist.sharding == "fsdp":
            from workbench.core.distributed.sharding import save_sharded

            save_sharded(self, which)  # a collective: every rank gathers, rank 0 writes
            return
        if self.dist is not None and not self.dist.is_main:
            return  # one copy of the weights, written by rank 0
        if self.run_dir is None:
            if "best" in which:
                self._best_memory = {k: v.detach().to("cpu", copy=True)
                                     for k, v in self.model.state_dict().items()}
            return
        state = training_state(self.progress, self.optimizer, self.scheduler, self.scaler,
                               self.total_steps, self.config)
        for w in which:
            ckpt.save_checkpoint(self._checkpoint_dir(w), self.model, state)  # type: ignore[arg-type]

    def _restore(self, resume: bool | Path) -> None:
        if resume is True and self.run_dir is None:
            raise TrainingError("Resuming needs the run folder (run_dir) or a checkpoint path.")
        if resume is not True:
            self.progress = self._restore_from(Path(resume))  # type: ignore[arg-type]
            return
        ckpt.recover_checkpoints(self.run_dir / "checkpoints")  # type: ignore[operator]
        last, best = self._checkpoint_dir("last"), self._checkpoint_dir("best")
        try:
            self.progress = self._restore_from(last)  # type: ignore[arg-type]
        except TrainingError as e:
            if best is None or not ckpt.is_sound(best):
                raise
            # best is an earlier consistent point of the same run: continue from there
            log.warning("%s Resuming from the best checkpoint instead.", e)
            self.warnings.append(f"{e} Resumed from the best checkpoint instead.")
            self.progress = self._restore_from(best)

    def _restore_from(self, folder: Path) -> Progress:
        self._match_groups(folder)
        load = None
        if self.dist is not None and self.dist.sharding == "fsdp":
            from workbench.core.distributed.sharding import load_sharded

            def load(weights: dict, optim: dict) -> None:
                load_sharded(self.model, self.optimizer, weights, optim)
        progress = restore_training(
            folder, self.model, self.optimizer, self.scheduler, self.scaler,  # type: ignore[arg-type]
            total_steps=self.total_steps, batch_size=self.config.batch_size,
            steps_per_epoch=self.steps_per_epoch, load_sharded=load)
        if self.dist is not None and not self.dist.is_main:  # rank 0 carries the epoch's sums
            progress.totals = type(progress.totals)()
        return progress

    def _match_groups(self, folder: Path) -> None:
        """A checkpoint saved after gradual unfreezing has the unfrozen layers' param group:
        unfreeze first, so that its optimizer state loads into the same groups."""
        if not (self._frozen.parameters and self.config.unfreeze_after > 0):
            return
        try:
            saved = ckpt.load_state(folder)["optimizer"]["param_groups"]
        except (TrainingError, KeyError, TypeError):
            return  # restore_training says what is wrong with the checkpoint
        if len(saved) > len(self.optimizer.param_groups):
            self._unfreeze()

