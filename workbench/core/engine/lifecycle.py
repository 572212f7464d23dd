"""How every trainer's run begins and ends (the Trainer's and the GanTrainer's alike): seeded
or restored at the start; at the end every outcome, failures included, is one RunEnded
reported to the callbacks, after the test-split evaluation when the run completed."""

from __future__ import annotations

import logging
import random
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from workbench.core.engine import checkpoint as ckpt
from workbench.core.engine.config import TrainingConfig
from workbench.core.engine.control import RunControls
from workbench.core.engine.events import RunEnded
from workbench.core.engine.loop import DataFailure, Diverged, Progress

log = logging.getLogger(__name__)


class RunLifecycle(RunControls):
    """The frame of ``fit``. A trainer provides ``_restore(resume)``, ``_run() -> status``,
    ``_evaluate()``, ``_out_of_memory() -> reason`` and ``_save_quietly()`` (what a failure
    keeps), and sets ``_t0`` and ``_paused`` when its run starts."""

    config: TrainingConfig
    run_dir: Path | None
    progress: Progress
    warnings: list[str]
    _t0: float
    _paused: float

    def _checkpoint_dir(self, which: str) -> Path | None:
        return self.run_dir / "checkpoints" / which if self.run_dir is not None else None

    def _begin(self, resume: bool | Path) -> None:
        """Continue from a checkpoint, or seed everything as a fresh run of this seed."""
        if resume:
            self._restore(resume)  # type: ignore[attr-defined]
        else:
            torch.manual_seed(self.config.seed)  # dropout etc.: independent of what ran before
            np.random.seed(self.config.seed % 2**32)
            random.seed(self.config.seed)

    def _save_quietly(self) -> None:
        """After a failure: what the trainer keeps (nothing unless it says so)."""

    def _outcome(self) -> tuple[str, str]:
        """Run to the end; (status, reason), a failure's reason naming where it struck."""
        p = self.progress
        status, reason = "finished", ""
        try:
            status = self._run()  # type: ignore[attr-defined]
        except Diverged as e:
            status, reason = "failed", str(e)  # the last checkpoint stays the last good one
        except DataFailure as e:
            status, reason = "failed", f"The data could not be read at step " \
                                       f"{p.global_step + 1} (epoch {p.epoch + 1}): {e}"
            self._save_quietly()
        except torch.OutOfMemoryError:
            status, reason = "failed", self._out_of_memory()  # type: ignore[attr-defined]
            self._save_quietly()
        except Exception as e:
            log.exception("training failed")
            status = "failed"
            reason = (f"Training failed at step {p.global_step + 1} (epoch {p.epoch + 1}): "
                      f"{type(e).__name__}: {e}")
            self._save_quietly()
        return status, reason

    def _end_run(self, status: str, reason: str, extra: dict[str, Any],
                 **results: Any) -> RunEnded:
        """Evaluate a completed run, then report and return its RunEnded (``results``: the
        trainer's own figures; ``extra`` joins the warnings)."""
        p = self.progress
        seconds = time.monotonic() - self._t0 - self._paused
        if status in ("finished", "early_stopped"):
            self._evaluate()  # type: ignore[attr-defined]
        last = self._checkpoint_dir("last")
        ended = RunEnded(
            status, reason, len(p.history), p.global_step, seconds,  # type: ignore[arg-type]
            checkpoint=str(last) if last is not None and (last / ckpt.WEIGHTS).is_file() else None,
            extra={"warnings": list(self.warnings), **extra}, **results)
        self._stop.clear()
        self._pause.clear()
        self._emit(ended)
        return ended
