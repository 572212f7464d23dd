"""Trainer: builds a spec into a model and trains it on a data set, reporting through events.

Runs anywhere (a test, the CLI, a QThread): stop and pause are thread-safe flags checked
between batches; metrics stay on the device and are read a few times a second; every
failure during training ends the run with a reason instead of an exception.

This module holds the setup and ``fit``; the class's other parts, each in a module named for
what it holds: ``steps`` (the step loop and its metrics), ``epochs`` (validation and the end
of each epoch), ``resume`` (checkpoints written and resumed from), ``frozen`` (fine-tuning's
frozen layers), ``run_end`` (failures, the test-split evaluation) and ``lifecycle`` (the
start and end of a run, shared with the GanTrainer).
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import torch
from torch import nn

from workbench.core.engine.compat import check_compatibility
from workbench.core.engine.config import TrainingConfig
from workbench.core.engine.devices import DeviceError, describe_device, resolve_device
from workbench.core.engine.distill import (
    DistillObjective,
    Teacher,
    make_distill_forward,
    prepare_teacher,
)
from workbench.core.engine.epochs import EpochLoop, text_sampler
from workbench.core.engine.errors import TrainingError
from workbench.core.engine.events import Callback, RunEnded, RunStarted
from workbench.core.engine.frozen import FrozenLayers
from workbench.core.engine.lifecycle import RunLifecycle
from workbench.core.engine.loaders import training_loaders
from workbench.core.engine.loop import Progress, make_forward, make_train_step
from workbench.core.engine.metrics import DeviceSums
from workbench.core.engine.objective import make_objective, resolve_loss
from workbench.core.engine.optim import make_optimizer, make_scheduler
from workbench.core.engine.precision import autocast, grad_scaler, resolve_precision
from workbench.core.engine.reconstruct import image_head, target_of
from workbench.core.engine.reconstruct import make_objective as make_reconstruction
from workbench.core.engine.resume import Checkpoints
from workbench.core.engine.run_end import RunEnd
from workbench.core.engine.settings import lower_first
from workbench.core.engine.steps import StepLoop
from workbench.core.finetune import (
    FineTuneError,
    InitialWeights,
    LoadReport,
    freeze,
    load_into,
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


class Trainer(StepLoop, EpochLoop, Checkpoints, FrozenLayers, RunEnd, RunLifecycle):
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
        self._sampler = text_sampler(data, config.seed)
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

    # -- control, from any thread ------------------------------------------------------------
    def request_stop(self) -> None:
        """Stop after the current batch; the last checkpoint keeps the exact position. Under
        torch.distributed the ranks agree first, and stop together a few batches later."""
        if self.dist is not None:
            self.dist.stop_wish.set()
        else:
            self._stop.set()

    # -- setup -----------------------------------------------------------------------------
    def _build(self, spec: ModelSpec, analysis: Analysis) -> nn.Module:
        try:
            return build_model(spec, analysis)
        except (RuntimeError, MemoryError) as e:  # the allocator refused all the same
            raise self._cannot_create(e) from None

    def _cannot_create(self, e: BaseException) -> TrainingError:
        first = str(e).splitlines()[0][:160] if str(e) else "out of memory"
        return TrainingError(f"The model cannot be created on {describe_device(self.device)} "
                             f"({first}): make it smaller")

    # -- the run ---------------------------------------------------------------------------
    def fit(self, resume: bool | Path = False) -> RunEnded:
        """Train to the end (or a stop, early stop or failure), then evaluate on the test split.

        ``resume=True`` continues from ``run_dir/checkpoints/last``; a path continues from that
        checkpoint folder. Raises TrainingError only when there is nothing to resume from.
        """
        self._begin(resume)
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
        status, reason = self._outcome()
        return self._end_run(status, reason, {"best_epoch": p.best_epoch},
                             best_val_accuracy=p.best_of("val_accuracy", True),
                             best_val_loss=p.best_of("val_loss", False))
