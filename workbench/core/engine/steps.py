"""The Trainer's step loop: an epoch's batches through the train step, pause and stop
between batches, and the running sums read (the only device sync) a few times a second to
check for divergence and report StepMetrics; an autoencoder's reconstruction grid beside."""

from __future__ import annotations

import math
import threading
import time
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from workbench.core.engine.events import SampleGrid, StepMetrics
from workbench.core.engine.loop import Diverged, Progress, next_batch
from workbench.core.engine.metrics import DeviceSums

if TYPE_CHECKING:
    from workbench.core.data import DataSet
    from workbench.core.distributed import DistContext

PAUSE_POLL = 0.02
GRID_SECONDS = 0.4  # an autoencoder's reconstruction grid this often
EXPLODED = 1e4  # a loss this many times its first value has diverged, even if finite


class StepLoop:
    """Part of the Trainer (its attributes are set up in ``Trainer.__init__`` and ``fit``)."""

    data: DataSet
    model: nn.Module
    device: torch.device
    dist: DistContext | None
    progress: Progress
    optimizer: torch.optim.Optimizer
    image_head: dict[str, Any] | None
    train_loader: Any
    steps_per_epoch: int
    total_steps: int
    _stop: threading.Event
    _pause: threading.Event
    _sums: DeviceSums

    def _flags_say_stop(self) -> bool:
        """Between batches: wait while paused (still watching for stop); True to stop."""
        if self._pause.is_set() and not self._stop.is_set():
            self._sync()
            t = time.monotonic()
            while self._pause.is_set() and not self._stop.wait(PAUSE_POLL):
                pass
            waited = time.monotonic() - t
            self._paused += waited
            self._window_t0 += waited
            self._next_sync = time.monotonic() + self._sync_seconds
        return self._stop.is_set()

    def _train_epoch(self) -> bool:
        """Train from the current position to the end of the epoch; True when stopped."""
        p = self.progress
        self.train_loader.set_epoch(p.epoch)
        self._sums.reset()  # cumulative over this epoch, on top of what a checkpoint had
        self._steps_read = 0
        self._offset = p.totals
        self._window_t0 = time.monotonic()  # samples/s of training, not of validation
        batches = self.train_loader.iter_from(p.batch)
        step, sums, stop, pause = self._step, self._sums, self._stop, self._pause
        clock = time.monotonic
        after_step = self.dist.after_step if self.dist is not None else None
        while True:
            if (stop.is_set() or pause.is_set()) and self._flags_say_stop():
                return True
            batch = next_batch(batches)
            if batch is None:
                return False
            sums.add(*step(*batch))
            p.batch += 1
            p.global_step += 1
            self._window_samples += batch[0].shape[0] * self._world
            if after_step is not None:
                after_step(p.global_step, self._stop.set)
            if clock() >= self._next_sync:
                self._sync()

    def _local_params(self) -> list:
        """This rank's parameters (an FSDP rank holds shards: DTensors, checked locally)."""
        return [getattr(p, "_local_tensor", p) for p in self._params]

    def _sync_all(self) -> None:
        """``_sync``, then the epoch's sums added up over the ranks (every rank calls this at
        the same step): the epoch's figures are the global batch's."""
        self._sync()
        if self.dist is not None:
            self.progress.totals = self.dist.reduce_totals(self.progress.totals)

    def _sync(self) -> None:
        """Read the running sums (the only device sync in training), check them, report."""
        p = self.progress
        now = time.monotonic()
        self._next_sync = now + self._sync_seconds
        if self._sums.steps == self._steps_read:
            return
        self._steps_read = self._sums.steps
        loss_sum, correct, count = self._sums.read()
        first, last = self._window_first, p.global_step
        self._window_first = last + 1
        at = f"at step {last}" if first == last else f"between steps {first} and {last}"
        lr = float(self.optimizer.param_groups[0]["lr"])
        if not math.isfinite(loss_sum):
            what = "NaN" if math.isnan(loss_sum) else "infinite"
            raise Diverged(f"The loss became {what} {at} (epoch {p.epoch + 1}): the training "
                           f"diverged at learning rate {lr:g}; lower the learning rate, enable "
                           "gradient clipping or check the data")
        totals = self._offset.plus(loss_sum, correct, count)
        w_loss, w_correct = totals.loss - p.totals.loss, totals.correct - p.totals.correct
        w_count = totals.count - p.totals.count
        if w_count:
            mean = w_loss / w_count
            if self._first_loss is None:
                self._first_loss = mean
            elif mean > EXPLODED * max(self._first_loss, 1e-2):  # finite, but hopeless
                raise Diverged(f"The loss exploded to {mean:.3g} {at} (epoch {p.epoch + 1}; "
                               f"it began at {self._first_loss:.3g}): the training diverged at "
                               f"learning rate {lr:g}; lower the learning rate, enable "
                               "gradient clipping or check the data")
        p.totals = totals
        window = max(1e-9, now - self._window_t0)
        active = max(1e-9, now - self._t0 - self._paused)
        done = max(1, last - self._steps0)
        eta = max(0, self.total_steps - last) * active / done
        if self.image_head is not None and now >= self._next_grid:
            self._send_reconstructions()
        self._emit(StepMetrics(
            last, p.epoch, p.batch / max(1, self.steps_per_epoch),
            w_loss / w_count if w_count else float("nan"),
            (w_correct / w_count if w_count else float("nan")) if self._has_accuracy else None,
            float(self.optimizer.param_groups[0]["lr"]), self._window_samples / window, eta,
            self._distill.read_parts() if self._distill is not None else None))
        self._window_t0, self._window_samples = now, 0

    def _send_reconstructions(self) -> None:
        """Originals against reconstructions of fixed validation images, a few times a
        second (eval mode, no gradients: training is not disturbed)."""
        from workbench.core.engine.reconstruct import GRID_IMAGES, pairs_grid

        self._next_grid = time.monotonic() + GRID_SECONDS
        split = self.data.val if self.data.val.x is not None and len(self.data.val) else self.data.train
        if split.x is None:
            return
        x = split.x[:GRID_IMAGES]
        was = self.model.training
        self.model.eval()
        try:
            with torch.no_grad():
                out = self.model(self.data.normalize(x.to(self.device)))
        finally:
            self.model.train(was)
        self._emit(SampleGrid(self.progress.global_step, self.progress.epoch,
                              pairs_grid(x, out, self.image_head["activation"]),  # type: ignore[index]
                              "Originals (odd rows) and reconstructions"))

