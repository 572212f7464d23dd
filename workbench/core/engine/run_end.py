"""The Trainer's end of a run: what a failure keeps (the last checkpoint at the failing batch,
memory given back) and the test-split evaluation with the best weights."""

from __future__ import annotations

import gc
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from workbench.core.engine import checkpoint as ckpt
from workbench.core.engine.config import TrainingConfig
from workbench.core.engine.devices import describe_device
from workbench.core.engine.events import EvaluationDone
from workbench.core.engine.loop import Diverged

if TYPE_CHECKING:
    from workbench.core.data import DataSet
    from workbench.core.distributed import DistContext

log = logging.getLogger(__name__)


class RunEnd:
    """Part of the Trainer (its attributes are set up in ``Trainer.__init__``)."""

    data: DataSet
    config: TrainingConfig
    model: nn.Module
    device: torch.device
    dist: DistContext | None
    run_dir: Path | None
    image_head: dict[str, Any] | None
    _params: list[nn.Parameter]
    _best_memory: dict[str, torch.Tensor] | None

    def _save_quietly(self) -> None:
        """After a failure: the last checkpoint at the failing batch, if the state is good."""
        try:
            self._sync()  # bring the epoch's sums up to date for a resume
        except Diverged:
            return  # NaN state: the previous checkpoint stays the last good one
        except Exception:
            log.exception("could not read the metrics after the failure")
        try:
            self._save("last")
        except Exception:
            log.exception("could not write the last checkpoint")

    def _out_of_memory(self) -> str:
        for p in self._params:
            p.grad = None
        gc.collect()
        if self.device.type == "cuda":
            torch.cuda.empty_cache()
        bs = self.config.batch_size
        return (f"Out of memory on {describe_device(self.device)} at batch size {bs}: try a "
                f"batch size of {max(1, bs // 2)} or a smaller model")

    def _evaluate(self) -> None:
        """Test-split evaluation with the best weights (loaded into ``model``)."""
        from workbench.core.evaluate import evaluate

        if len(self.data.test) == 0 or (self.dist is not None and not self.dist.is_main):
            return
        try:
            best = self._checkpoint_dir("best")
            if self.dist is not None and self.dist.sharding == "fsdp":
                from workbench.core.distributed.sharding import evaluation_model

                self.model = evaluation_model(self)  # plain: the others have ended
            elif best is not None and (best / ckpt.WEIGHTS).is_file():
                self.model.load_state_dict(ckpt.load_weights(best))
            elif self._best_memory is not None:
                self.model.load_state_dict(self._best_memory)
            if self.image_head is not None:
                from workbench.core.engine.reconstruct import evaluate_reconstruction

                results = evaluate_reconstruction(
                    self.model, self.data, loss=self.image_head["loss"],
                    activation=self.image_head["activation"], device=self.device,
                    run_dir=self.run_dir)
                self._send_reconstructions()
                self._emit(EvaluationDone(results))
                return
            result = evaluate(self.model, self.data, "test", device=self.device,
                              batch_size=max(256, 2 * self.config.batch_size))
        except Exception:
            log.exception("evaluation on the test split failed")
            return
        self._emit(EvaluationDone(result.to_dict()))
