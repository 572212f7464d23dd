"""Trainer: builds a spec into a model and trains it on a data set, reporting through events.

Runs anywhere (a test, the CLI, a QThread): stop and pause are thread-safe flags checked
between batches; metrics stay on the device and are read a few times a second; every
failure during training ends the run with a reason instead of an exception.
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import math
import random
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch
from torch import nn

from workbench.core.engine import checkpoint as ckpt
from workbench.core.engine.compat import check_compatibility
from workbench.core.engine.config import TrainingConfig
from workbench.core.engine.control import RunControls
from workbench.core.engine.devices import DeviceError, describe_device, resolve_device
from workbench.core.engine.distill import (
    DistillObjective,
    Teacher,
    make_distill_forward,
    prepare_teacher,
)
from workbench.core.engine.errors import TrainingError
from workbench.core.engine.events import (
    Callback,
    EpochEnd,
    EvaluationDone,
    RunEnded,
    RunStarted,
    SampleGrid,
    StepMetrics,
)
from workbench.core.engine.loaders import training_loaders
from workbench.core.engine.loop import (
    DataFailure,
    Diverged,
    Progress,
    make_forward,
    make_train_step,
    next_batch,
    params_finite,
    validate,
)
from workbench.core.engine.metrics import DeviceSums
from workbench.core.engine.objective import make_objective, resolve_loss
from workbench.core.engine.optim import add_group, make_optimizer, make_scheduler
from workbench.core.engine.precision import autocast, grad_scaler, resolve_precision
from workbench.core.engine.reconstruct import image_head, target_of
from workbench.core.engine.reconstruct import make_objective as make_reconstruction
from workbench.core.engine.resume import restore_training, training_state
from workbench.core.engine.settings import lower_first
from workbench.core.finetune import (
    FineTuneError,
    InitialWeights,
    LoadReport,
    freeze,
    head_layers,
    load_into,
    parametrised_layers,
    resolve_frozen,
)
from workbench.core.graph import Analysis, ModelSpec, build_model, model_io
from workbench.core.graph.analysis import analysis_at
from workbench.core.graph.fits import ModelTooLargeError, check_fits

if TYPE_CHECKING:
    from workbench.core.data import DataSet
    from workbench.core.distributed import DistContext

log = logging.getLogger(__name__)

SYNC_SECONDS = 0.25  # how often metrics are read from an accelerator (each read stalls it)
CPU_SYNC_SECONDS = 0.05  # on the CPU a read costs nothing: report often, for smooth curves
PAUSE_POLL = 0.02
GRID_SECONDS = 0.4  # an autoencoder's reconstruction grid this often
EXPLODED = 1e4  # a loss this many times its first value has diverged, even if finite


def _text_sampler(data: DataSet, seed: int):
    """An EpochSampler for next-token data (a text sample after each epoch), else None."""
    if data.task != "next_token" or not data.vocab or not data.tokenizer:
        return None
    from workbench.core.generate.epochs import EpochSampler

    return EpochSampler(data, seed)


class Trainer(RunControls):
    """``Trainer(spec, data, config, run_dir=..., callbacks=[...]).fit()``.

    Raises TrainingError (or ModelInvalidError for a spec with errors) from ``__init__`` when
    the run cannot start; ``fit`` itself returns a RunEnded for every outcome. After ``fit``,
    ``model`` holds the weights that were evaluated: the best checkpoint's when there is one.
    ``analysis``: the spec's analysis at ``config.batch_size`` (a workspace's), if at hand.
    Fine-tuning: ``initial`` weights go into the layers they fit (``load_report`` says which),
    ``frozen`` layers do not train (until ``config.unfreeze_after`` epochs, when set).
    ``teacher``: distil from this model (classification): the training steps use the KD loss
    and report its two parts in ``StepMetrics.parts``; validation and the test do not.
    ``dist``: this process's rank under torch.distributed (see ``workbench.core.distributed``):
    its share of every batch, the model wrapped (DDP or FSDP), metrics reduced over the
    ranks, checkpoints and evaluation on rank 0 only.
    """

    def __init__(self, spec: ModelSpec, data: DataSet, config: TrainingConfig, *,
                 run_dir: Path | None = None, callbacks: Sequence[Callback] = (),
                 analysis: Analysis | None = None, initial: InitialWeights | None = None,
                 frozen: Sequence[str] = (), teacher: Teacher | None = None,
                 dist: DistContext | None = None) -> None:
        problems = config.validate()
        if problems:
            raise TrainingError("The training settings have problems: "
                                + "; ".join(lower_first(p) for p in problems))
        self.spec, self.data, self.config = spec, data, config
        self.run_dir = Path(run_dir) if run_dir is not None else None
        self.callbacks = list(callbacks)
        self.dist = dist
        try:
            self.device = dist.device if dist is not None else resolve_device(config.device)
        except DeviceError as e:
            raise TrainingError(str(e)) from e
        self.precision = resolve_precision(config.precision, self.device)
        self._sync_seconds = CPU_SYNC_SECONDS if self.device.type == "cpu" else SYNC_SECONDS
        analysis = analysis_at(spec, config.batch_size, config.optimizer, analysis)
        io = model_io(spec, analysis)
        # an Image output trained on images: an autoencoder, its input is its target
        self.image_head = image_head(spec, io.output_node) if io.task == "image" else None
        self.loss_name = ("reconstruction" if self.image_head
                          else resolve_loss(config.loss, data.task))
        self.warnings = check_compatibility(io, data, self.loss_name)
        for w in self.warnings:
            log.warning(w)
        if len(data.train) == 0:
            raise TrainingError(f"The data set '{data.name}' has no training samples.")

        if self.device.type == "cuda":
            torch.backends.cudnn.benchmark = True  # fixed shapes: let cuDNN pick its fastest
            torch.set_float32_matmul_precision("high")  # TF32 matmuls on Ampere and later
        try:  # an absurd size is a message with the figure, not an allocator crash
            check_fits(analysis, self.device, training=True)
        except ModelTooLargeError as e:
            raise TrainingError(str(e)[:1].upper() + str(e)[1:]) from None
        torch.manual_seed(config.seed)  # same seed, same initial weights
        model = self._build(spec, analysis)
        try:
            self.load_report: LoadReport | None = (load_into(model, initial)
                                                   if initial is not None else None)
            order = [n for n in analysis.order if n in dict(model.named_children())]
            self._frozen = freeze(model, resolve_frozen(order, frozen))
        except FineTuneError as e:
            raise TrainingError(str(e)[:1].upper() + str(e)[1:]) from None
        self.frozen_parameters = self._frozen.count
        try:
            self.model: nn.Module = model.to(self.device)
        except (RuntimeError, MemoryError) as e:  # the allocator refused all the same
            raise self._cannot_create(e) from None
        self.channels_last = (config.channels_last and self.device.type == "cuda"
                              and any(isinstance(m, nn.Conv2d) for m in self.model.modules()))
        if self.channels_last:
            self.model = self.model.to(memory_format=torch.channels_last)
        if config.compile and getattr(sys, "frozen", False):
            raise TrainingError("torch.compile is not available in the desktop build (it "
                                "compiles code at run time with tools the build leaves out): "
                                "untick it, or use Workbench installed with uv or pip.")
        self._forward = self.model if dist is None else dist.wrap(self.model)
        if config.compile:
            self._forward = torch.compile(self._forward)
        # frozen parameters are given to no optimizer: no gradients, no optimizer state
        self._params = [p for p in self.model.parameters() if p.requires_grad]
        if not self._params and self._frozen.parameters and config.unfreeze_after == 0:
            raise TrainingError("Every layer with weights is frozen, so nothing would train: "
                                "unfreeze at least the head (or set 'unfreeze after').")
        self.train_loader, self.val_loader = training_loaders(
            data, config, self.device, dist.shard if dist is not None else (0, 1),
            pad_val=dist is not None and dist.sharding == "fsdp")
        self.steps_per_epoch = len(self.train_loader)
        self.total_steps = self.steps_per_epoch * config.epochs
        self.optimizer = make_optimizer(self._param_groups(order), config, self.device)
        self.scheduler = make_scheduler(self.optimizer, config, self.steps_per_epoch)
        self.scaler = grad_scaler(self.precision, self.device)
        target = None
        if self.image_head is not None:
            h = self.image_head
            objective = make_reconstruction(h["loss"], h["activation"])
            target = target_of(data, h["activation"])
        else:
            objective = make_objective(data.task, self.loss_name,
                                       label_smoothing=config.label_smoothing)
        amp = autocast(self.precision, self.device)
        self._compute = make_forward(self._forward, objective, amp, self.channels_last, target)
        # validation bypasses DDP (whose forward may sync buffers: the ranks' shards of the
        # validation split differ in batches); FSDP's sharded model must run on every rank
        self._eval_compute = self._compute if dist is None or dist.sharding == "fsdp" else \
            make_forward(self.model, objective, amp, self.channels_last, target)
        self._distill: DistillObjective | None = None
        train_compute = self._compute
        if teacher is not None:
            if data.task != "classification" or target is not None:
                raise TrainingError("Distillation needs a classification task: the teacher's "
                                    f"class probabilities are what the student learns ({data.task}).")
            teacher_module = prepare_teacher(teacher, self.device)
            self._distill = DistillObjective(objective, teacher.temperature, teacher.alpha,
                                             self.device)
            train_compute = make_distill_forward(
                self._forward, teacher_module, self._distill, amp, self.channels_last)
        self._step = make_train_step(train_compute, self.optimizer, self.scheduler,
                                     self.scaler, config.grad_clip, self._params)
        self._has_accuracy = data.task != "regression" and self.image_head is None
        self._next_grid = 0.0
        self.progress = Progress()
        self._sampler = _text_sampler(data, config.seed)
        self._best_memory: dict[str, torch.Tensor] | None = None  # best weights without run_dir
        self._stop, self._pause = threading.Event(), threading.Event()
        self._world = dist.world if dist is not None else 1

    def _device_text(self) -> str:
        """"cpu", or "2 processes (gloo, DDP) on cpu" under torch.distributed."""
        text = describe_device(self.device)
        if self.dist is None:
            return text
        import torch.distributed as tdist

        how = "FSDP" if self.dist.sharding == "fsdp" else "DDP"
        on = "GPUs from " if self.device.type == "cuda" else ""
        return f"{self.dist.world} processes ({tdist.get_backend()}, {how}) on {on}{text}"

    def _param_groups(self, order: list[str]) -> list[dict]:
        """The body's trainable parameters, and the head's apart when it learns faster."""
        if self.config.head_lr_multiplier == 1.0:
            return [{"params": self._params}]
        head = set(head_layers(order, parametrised_layers(self.model)))
        layers = dict(self.model.named_children())
        head_ids = {id(p) for n in head for p in layers[n].parameters()}
        body = [p for p in self._params if id(p) not in head_ids]
        heads = [p for p in self._params if id(p) in head_ids]
        return [{"params": body}, {"params": heads,
                                   "lr_scale": self.config.head_lr_multiplier}]

    @property
    def frozen_layers(self) -> list[str]:
        """The layers frozen now (empty after gradual unfreezing)."""
        return list(self._frozen.layers)

    def start_notes(self) -> list[str]:
        """What the start of training says about fine-tuning: loaded, fresh, frozen layers."""
        out = self.load_report.lines() if self.load_report is not None else []
        if self._frozen.layers:
            after = self.config.unfreeze_after
            out.append(f"Frozen: {', '.join(self._frozen.layers)} ({self._frozen.count:,} "
                       "parameters)" + (f", until epoch {after}" if after else ""))
        return out

    def _unfreeze(self) -> None:
        """Gradual unfreezing: the frozen layers join the optimizer at the body's rate."""
        released = self._frozen.release()
        if released:
            add_group(self.optimizer, self.scheduler, released)
            self._params.extend(released)

    def _unfreeze_due(self, epoch: int) -> bool:
        after = self.config.unfreeze_after
        return bool(self._frozen.parameters) and after > 0 and epoch >= after

    # -- control, from any thread ------------------------------------------------------------
    def request_stop(self) -> None:
        """Stop after the current batch; the last checkpoint keeps the exact position. Under
        torch.distributed the ranks agree first, and stop together a few batches later."""
        if self.dist is not None:
            self.dist.stop_wish.set()
        else:
            self._stop.set()

    # -- checkpoints -----------------------------------------------------------------------
    def _checkpoint_dir(self, which: str) -> Path | None:
        return self.run_dir / "checkpoints" / which if self.run_dir is not None else None

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

    def _build(self, spec: ModelSpec, analysis: Analysis) -> nn.Module:
        try:
            return build_model(spec, analysis)
        except (RuntimeError, MemoryError) as e:  # the allocator refused all the same
            raise self._cannot_create(e) from None

    def _cannot_create(self, e: BaseException) -> TrainingError:
        first = str(e).splitlines()[0][:160] if str(e) else "out of memory"
        return TrainingError(f"The model cannot be created on {describe_device(self.device)} "
                             f"({first}): make it smaller")

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

    # -- the run ---------------------------------------------------------------------------
    def fit(self, resume: bool | Path = False) -> RunEnded:
        """Train to the end (or a stop, early stop or failure), then evaluate on the test split.

        ``resume=True`` continues from ``run_dir/checkpoints/last``; a path continues from that
        checkpoint folder. Raises TrainingError only when there is nothing to resume from.
        """
        if resume:
            self._restore(resume)
        else:
            torch.manual_seed(self.config.seed)  # dropout etc.: independent of what ran before
            np.random.seed(self.config.seed % 2**32)
            random.seed(self.config.seed)
        p = self.progress
        self._t0 = self._window_t0 = time.monotonic()
        self._paused = 0.0
        self._steps0, self._window_samples = p.global_step, 0
        self._next_sync = self._t0  # the first step is read alone: the divergence baseline
        self._sums = DeviceSums(self.device)
        self._first_loss: float | None = None  # the first window's mean loss
        self._steps_read, self._offset = 0, p.totals
        self._window_first = p.global_step + 1
        self._emit(RunStarted(
            self.config.to_dict(), self._device_text(), len(self.data.train),
            len(self.data.val), len(self.data.test),
            sum(t.numel() for t in self.model.parameters()), self.steps_per_epoch,
            self.total_steps, self.precision, p.epoch, p.global_step,
            self._frozen.count, tuple(self.start_notes())))
        status, reason = "finished", ""
        try:
            status = self._run()
        except Diverged as e:
            status, reason = "failed", str(e)  # the last checkpoint stays the last good one
        except DataFailure as e:
            status, reason = "failed", f"The data could not be read at step " \
                                       f"{p.global_step + 1} (epoch {p.epoch + 1}): {e}"
            self._save_quietly()
        except torch.OutOfMemoryError:
            status, reason = "failed", self._out_of_memory()
            self._save_quietly()
        except Exception as e:
            log.exception("training failed")
            status = "failed"
            reason = (f"Training failed at step {p.global_step + 1} (epoch {p.epoch + 1}): "
                      f"{type(e).__name__}: {e}")
            self._save_quietly()
        seconds = time.monotonic() - self._t0 - self._paused
        if status in ("finished", "early_stopped"):
            self._evaluate()
        last = self._checkpoint_dir("last")
        ended = RunEnded(
            status, reason, len(p.history), p.global_step, seconds,  # type: ignore[arg-type]
            best_val_accuracy=p.best_of("val_accuracy", True),
            best_val_loss=p.best_of("val_loss", False),
            checkpoint=str(last) if last is not None and (last / ckpt.WEIGHTS).is_file() else None,
            extra={"warnings": list(self.warnings), "best_epoch": p.best_epoch})
        self._stop.clear()
        self._pause.clear()
        self._emit(ended)
        return ended

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

    # -- endings ---------------------------------------------------------------------------
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
