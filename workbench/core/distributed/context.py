"""What one rank needs inside the Trainer: its share of the data, the model wrapped for
data-parallel or sharded training, sums reduced over the ranks, and a stop all ranks agree on.

Collectives must be called by every rank at the same point, so nothing here depends on the
clock: the stop (and the fault-injection hook the tests use) is checked every
``CHECK_EVERY`` optimizer steps, metrics are reduced at epoch ends and after validation.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch
import torch.distributed as dist
from torch import nn

if TYPE_CHECKING:
    from workbench.core.engine.metrics import Totals

log = logging.getLogger(__name__)

CHECK_EVERY = 8  # optimizer steps between two stop checks (one tiny all_reduce)
STOP_FILE = "stop-requested"  # in the run folder: the launcher's way to ask for a stop
# Fault injection for the tests: WORKBENCH_FAULT_RANK=1 WORKBENCH_FAULT_STEP=3 kills rank 1
# (SIGKILL, as the OOM killer would) after its third step.
FAULT_RANK, FAULT_STEP = "WORKBENCH_FAULT_RANK", "WORKBENCH_FAULT_STEP"


@dataclass
class DistContext:
    rank: int
    world: int
    local_rank: int
    device: torch.device
    sharding: str = "none"  # "none" (DDP) or "fsdp"
    run_dir: Path | None = None
    stop_wish: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        fault_rank, fault_step = os.environ.get(FAULT_RANK), os.environ.get(FAULT_STEP)
        self._fault = (int(fault_step) if fault_rank is not None and fault_step is not None
                       and int(fault_rank) == self.rank else None)
        self.model: nn.Module | None = None

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def shard(self) -> tuple[int, int]:
        return self.rank, self.world

    # -- the model ---------------------------------------------------------------------
    def wrap(self, model: nn.Module) -> nn.Module:
        """The module the training step calls: DDP around ``model``, or ``model`` itself
        sharded in place by ``fully_shard`` (each Transformer block, then the rest)."""
        if self.sharding == "fsdp":
            from workbench.core.distributed.sharding import shard_model

            self.model = shard_model(model, self.device)
            return self.model
        from torch.nn.parallel import DistributedDataParallel as DDP

        ids = [self.device.index] if self.device.type == "cuda" else None
        self.model = DDP(model, device_ids=ids)
        return self.model

    # -- reductions --------------------------------------------------------------------
    def reduce_sums(self, loss: float, correct: float, count: int) -> tuple[float, float, int]:
        """Each rank's (loss sum, correct, count) added up over the ranks."""
        t = torch.tensor([loss, correct, float(count)], dtype=torch.float64,
                         device=self._comm_device)
        dist.all_reduce(t)
        loss, correct, count = t.tolist()
        return loss, correct, int(round(count))

    def reduce_totals(self, totals: Totals) -> Totals:
        from workbench.core.engine.metrics import Totals

        return Totals(*self.reduce_sums(totals.loss, totals.correct, totals.count))

    @property
    def _comm_device(self) -> torch.device:
        return self.device if dist.get_backend() == "nccl" else torch.device("cpu")

    # -- the agreed stop ---------------------------------------------------------------
    def after_step(self, step: int, request_stop: Any) -> None:
        """Called by every rank after each optimizer step: every CHECK_EVERY steps the
        ranks agree whether any of them was asked to stop; all then stop at the same step."""
        if self._fault is not None and step >= self._fault:
            log.error("fault injection: rank %d kills itself at step %d", self.rank, step)
            os.kill(os.getpid(), signal.SIGKILL)
        if step % CHECK_EVERY:
            return
        wish = self.stop_wish.is_set() or (
            self.is_main and self.run_dir is not None and (self.run_dir / STOP_FILE).exists())
        flag = torch.tensor([1 if wish else 0], dtype=torch.int32, device=self._comm_device)
        dist.all_reduce(flag, op=dist.ReduceOp.MAX)
        if int(flag.item()):
            request_stop()
