"""What the trainer reports: small frozen events holding plain Python values (never tensors),
delivered to ``Callback`` hooks. The GUI worker, the CLI progress bar, the run recorder and
TensorBoard writer are all callbacks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class RunStarted:
    config: dict[str, Any]  # TrainingConfig.to_dict()
    device: str  # e.g. "cuda:0 (NVIDIA H100 80GB HBM3)" or "cpu"
    train_size: int
    val_size: int
    test_size: int
    params: int
    steps_per_epoch: int
    total_steps: int
    precision: str  # what was actually used: "fp32", "bf16", "fp16"
    start_epoch: int = 0  # > 0 when resumed
    start_step: int = 0
    frozen_params: int = 0  # parameters of frozen layers (fine-tuning), not trained
    notes: tuple[str, ...] = ()  # for a person: which layers got start weights, which froze


@dataclass(frozen=True)
class StepMetrics:
    """Averages over the steps since the previous StepMetrics (synced a few times a second)."""

    step: int  # global optimizer step, 1-based, after this step
    epoch: int  # 0-based
    epoch_progress: float  # 0..1 within the epoch
    loss: float
    accuracy: float | None  # None for regression
    lr: float
    samples_per_sec: float
    eta_seconds: float
    parts: dict[str, float] | None = None  # a loss made of parts (distillation: task, KD)


@dataclass(frozen=True)
class EpochEnd:
    epoch: int  # 0-based
    step: int
    train_loss: float
    train_accuracy: float | None
    val_loss: float | None
    val_accuracy: float | None
    seconds: float  # wall time of this epoch
    is_best: bool  # best validation metric so far (the "best" checkpoint was written)


@dataclass(frozen=True)
class TextSample:
    """Text a language model wrote after an epoch (from ``prompt``; ``text`` excludes it)."""

    epoch: int  # 0-based
    step: int
    prompt: str
    text: str


@dataclass(frozen=True)
class EvaluationDone:
    results: dict[str, Any]  # workbench.core.evaluate.EvaluationResult.to_dict()


@dataclass(frozen=True)
class RunEnded:
    status: Literal["finished", "stopped", "failed", "early_stopped"]
    reason: str  # for a person: "" when finished, else why (NaN loss at step 120, out of memory...)
    epochs_done: int
    steps_done: int
    seconds: float
    best_val_accuracy: float | None = None
    best_val_loss: float | None = None
    checkpoint: str | None = None  # path of the last good checkpoint, if any
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GanMetrics:
    """A GAN's figures, averaged over the steps since the previous GanMetrics (sent with
    each StepMetrics, whose ``loss`` is the generator's)."""

    step: int
    epoch: int
    epoch_progress: float
    d_loss: float
    g_loss: float
    # the discriminator's mean output on real and on generated images: a probability for
    # the non-saturating loss, a raw score (critic value) for hinge and WGAN-GP
    d_real: float
    d_fake: float
    warning: str = ""  # a collapse or divergence warning for a person, else ""


@dataclass(frozen=True, eq=False)
class SampleGrid:
    """Images the model makes now (a GAN's samples from fixed noise, an autoencoder's
    reconstructions), as one grey or RGB uint8 picture: a plain numpy array, never a tensor."""

    step: int
    epoch: int
    pixels: Any  # numpy uint8 (H, W) or (H, W, 3)
    title: str = ""


Event = (RunStarted | StepMetrics | EpochEnd | TextSample | EvaluationDone | RunEnded
         | GanMetrics | SampleGrid)


class Callback:
    """Override what you need; every hook defaults to doing nothing.
    Hooks run on the training thread: keep them quick (buffer, then hand over)."""

    def on_run_started(self, event: RunStarted) -> None: ...
    def on_step(self, event: StepMetrics) -> None: ...
    def on_epoch_end(self, event: EpochEnd) -> None: ...
    def on_text_sample(self, event: TextSample) -> None: ...
    def on_evaluation(self, event: EvaluationDone) -> None: ...
    def on_run_ended(self, event: RunEnded) -> None: ...
    def on_gan_metrics(self, event: GanMetrics) -> None: ...
    def on_samples(self, event: SampleGrid) -> None: ...


def dispatch(callbacks: list[Callback], event: Event) -> None:
    hook = {RunStarted: "on_run_started", StepMetrics: "on_step", EpochEnd: "on_epoch_end",
            EvaluationDone: "on_evaluation", RunEnded: "on_run_ended",
            TextSample: "on_text_sample", GanMetrics: "on_gan_metrics",
            SampleGrid: "on_samples"}[type(event)]
    for cb in callbacks:
        getattr(cb, hook)(event)
