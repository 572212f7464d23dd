"""TrainingConfig: every choice that defines a training run, as plain data saved with the run.

Each field is declared once with ``setting(...)``: its label, help, range or choices, form
group and CLI flag. The Training form, the ``workbench train`` flags, ``validate()`` and the
run comparison are generated from these declarations; adding a field here is all it takes to
give it a form entry and a flag.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

from workbench.core.engine.settings import (
    Group,
    Setting,
    SettingProblem,
    problems_of,
    setting,
    settings_of,
)

Optimizer = Literal["sgd", "adam", "adamw", "rmsprop"]
Schedule = Literal["none", "step", "cosine", "onecycle"]
Loss = Literal["auto", "cross_entropy", "mse", "bce_with_logits"]
Precision = Literal["auto", "fp32", "bf16", "fp16"]
Monitor = Literal["val_loss", "val_accuracy"]
Sharding = Literal["none", "fsdp"]
GanLoss = Literal["non_saturating", "hinge", "wgan_gp"]

# The form's sections, in order; advanced ones start collapsed.
GROUPS: tuple[Group, ...] = (
    Group("Run"), Group("Optimizer"), Group("Schedule"), Group("Loss", advanced=True),
    Group("Early stopping", advanced=True), Group("Augmentation", advanced=True),
    Group("Fine-tuning", advanced=True), Group("GAN", advanced=True),
    Group("Hardware", advanced=True),
)
_WGAN = ("gan_loss", ("wgan_gp",))
# The kinds of model a setting applies to (``Setting.models``): one network trained by the
# Trainer (classifiers, regressors, autoencoders, language models), or a GAN, whose generator
# and discriminator the GanTrainer trains with Adam at their own rates and its own losses.
NETWORK, GAN = "network", "gan"
MODEL_KINDS = (NETWORK, GAN)
_NET, _GAN = (NETWORK,), (GAN,)
_AUGMENT = ("augment", (True,))


@dataclass(frozen=True)
class TrainingConfig:
    # -- run
    epochs: int = setting(5, "Epochs", group="Run", min=1,
                          help="Passes over the training data")
    batch_size: int = setting(64, "Batch size", group="Run", min=1,
                              help="Samples per step; the Summary's memory estimate follows it")
    seed: int = setting(0, "Seed", group="Run", min=0, max=2**64 - 1,
                        help="The same seed gives the same splits, initial weights and batch "
                             "order")
    # -- optimizer
    optimizer: Optimizer = setting(
        "adam", "Optimizer", group="Optimizer", models=_NET,
        titles=(("adam", "Adam"), ("adamw", "AdamW"), ("sgd", "SGD"), ("rmsprop", "RMSprop")),
        help="How the weights are updated from their gradients")
    lr: float = setting(1e-3, "Learning rate", group="Optimizer", models=_NET, min=0, min_open=True,
                        log=1e-7, help="How big each update step is (the peak, with a schedule)")
    momentum: float = setting(0.9, "Momentum", group="Optimizer", models=_NET, min=0, max=1, max_open=True,
                              step=0.05, decimals=3,
                              relevant_when=("optimizer", ("sgd", "rmsprop")),
                              help="Share of the previous update carried into the next")
    nesterov: bool = setting(False, "Nesterov momentum", group="Optimizer", models=_NET,
                             relevant_when=("optimizer", ("sgd",)),
                             help="Look-ahead momentum (with a momentum above 0)")
    weight_decay: float = setting(0.0, "Weight decay", group="Optimizer", models=_NET, min=0, log=1e-6,
                                  zero_text="off", help="L2 penalty on the weights (decoupled "
                                                        "for AdamW); 0 turns it off")
    grad_clip: float = setting(0.0, "Gradient clipping (norm)", group="Optimizer", min=0,
                               step=0.5, decimals=2, form_label="Gradient clipping",
                               zero_text="off",
                               help="Largest gradient norm a step may use; 0 turns clipping off")
    # -- schedule
    schedule: Schedule = setting(
        "none", "Schedule", group="Schedule", models=_NET,
        titles=(("none", "Constant"), ("step", "Step decay"), ("cosine", "Cosine"),
                ("onecycle", "One-cycle")),
        help="How the learning rate changes during training")
    warmup_epochs: float = setting(
        0.0, "Warm-up (epochs)", group="Schedule", models=_NET, min=0, step=0.5, decimals=2, zero_text="off",
        cli="warmup", cli_aliases=("warmup-epochs",),
        help="Linear warm-up of the learning rate before the schedule, in (fractional) epochs; "
             "for one-cycle, the length of its rising phase")
    step_size: int = setting(10, "Step schedule: epochs per decay", group="Schedule", models=_NET, min=1,
                             form_label="Epochs per decay", relevant_when=("schedule", ("step",)),
                             help="Epochs between two decays of the learning rate")
    gamma: float = setting(0.1, "Step schedule: decay factor", group="Schedule", models=_NET, min=0,
                           min_open=True, max=1, step=0.05, decimals=3, form_label="Decay factor",
                           relevant_when=("schedule", ("step",)),
                           help="The learning rate is multiplied by this at each decay")
    # -- loss
    loss: Loss = setting(
        "auto", "Loss", group="Loss", models=_NET,
        titles=(("auto", "Automatic"), ("cross_entropy", "Cross-entropy"),
                ("mse", "Mean squared error"), ("bce_with_logits", "Binary cross-entropy")),
        help="Automatic: cross-entropy for classification, mean squared error for regression")
    label_smoothing: float = setting(
        0.0, "Label smoothing", group="Loss", models=_NET, min=0, max=1, max_open=True, step=0.05,
        decimals=3, help="Share of each target's probability spread over the other classes "
                         "(classification)")
    # -- early stopping and the best checkpoint
    early_stopping: bool = setting(False, "Early stopping", group="Early stopping", models=_NET,
                                   form_label="Stop early",
                                   help="Stop when the watched figure has not improved for "
                                        "'patience' epochs")
    patience: int = setting(3, "Patience (epochs)", group="Early stopping", models=_NET, min=1,
                            relevant_when=("early_stopping", (True,)),
                            help="Epochs without improvement before early stopping")
    monitor: Monitor = setting(
        "val_loss", "Monitor (best checkpoint, early stopping)", group="Early stopping", models=_NET,
        form_label="Watch", titles=(("val_loss", "Validation loss"),
                                    ("val_accuracy", "Validation accuracy")),
        help="The figure that picks the best checkpoint and that early stopping watches")
    # -- augmentation (image data, training split only)
    augment: bool = setting(False, "Augment images", group="Augmentation", models=_NET,
                            form_label="Augment training images",
                            help="Random changes to the training images each epoch (image "
                                 "data only)")
    rotation: float = setting(10.0, "Augment: rotation (degrees)", group="Augmentation", models=_NET, min=0,
                              max=180, step=5, decimals=1, form_label="Rotation (degrees)",
                              zero_text="off",
                              cli="augment-rotation", relevant_when=_AUGMENT,
                              help="Rotate by up to this many degrees either way; 0 turns it off")
    scale: float = setting(0.1, "Augment: scale (+-)", group="Augmentation", models=_NET, min=0, max=1,
                           max_open=True, step=0.05, decimals=2, form_label="Scale (±)",
                           zero_text="off",
                           cli="augment-scale", relevant_when=_AUGMENT,
                           help="Zoom by a factor between 1 - scale and 1 + scale; 0 turns it off")
    crop_padding: int = setting(2, "Augment: shift (pixels)", group="Augmentation", models=_NET, min=0,
                                form_label="Shift (pixels)", cli="augment-shift", zero_text="off",
                                relevant_when=_AUGMENT,
                                help="Shift by up to this many whole pixels; 0 turns it off")
    hflip: bool = setting(False, "Augment: horizontal flip", group="Augmentation", models=_NET,
                          form_label="Mirror left-right", cli="augment-hflip",
                          relevant_when=_AUGMENT,
                          help="Mirror half of the images (not for digits or text)")
    # -- fine-tuning (a start from trained weights, frozen layers)
    unfreeze_after: int = setting(0, "Unfreeze frozen layers after (epochs)", group="Fine-tuning", models=_NET,
                                  min=0, zero_text="never", form_label="Unfreeze after (epochs)",
                                  help="Gradual unfreezing: frozen layers train too from this "
                                       "epoch on; 0 keeps them frozen")
    head_lr_multiplier: float = setting(1.0, "Head learning-rate multiplier", group="Fine-tuning", models=_NET,
                                        min=0, min_open=True, step=0.5, decimals=2,
                                        form_label="Head learning rate (x)",
                                        cli="head-lr-multiplier",
                                        help="The head (the last layer with weights) learns "
                                             "this many times faster than the body, e.g. 10 "
                                             "for a new head on pre-trained layers")
    # -- GAN (a generator and a discriminator; other models ignore these)
    gan_loss: GanLoss = setting(
        "non_saturating", "GAN loss", group="GAN", models=_GAN,
        titles=(("non_saturating", "Non-saturating"), ("hinge", "Hinge"),
                ("wgan_gp", "Wasserstein (gradient penalty)")),
        help="How the two networks score each other: the non-saturating logistic loss of "
             "the original GAN, the hinge loss, or WGAN-GP's critic with a gradient penalty")
    g_lr: float = setting(2e-4, "Generator learning rate", group="GAN", models=_GAN, min=0, min_open=True,
                          log=1e-7, form_label="Generator learning rate",
                          help="Adam's step size for the generator (GANs only)")
    d_lr: float = setting(2e-4, "Discriminator learning rate", group="GAN", models=_GAN, min=0,
                          min_open=True, log=1e-7,
                          help="Adam's step size for the discriminator (GANs only)")
    beta1: float = setting(0.5, "Adam beta1 (GAN)", group="GAN", models=_GAN, min=0, max=1, max_open=True,
                           step=0.05, decimals=3, form_label="Adam beta1",
                           help="Momentum of both GAN optimizers; 0.5 is DCGAN's choice, 0 "
                                "is usual for WGAN-GP")
    beta2: float = setting(0.999, "Adam beta2 (GAN)", group="GAN", models=_GAN, min=0, max=1,
                           max_open=True, step=0.001, decimals=4, form_label="Adam beta2",
                           help="Decay of the squared-gradient average of both GAN optimizers")
    d_steps: int = setting(1, "Discriminator steps per generator step", group="GAN", models=_GAN, min=1,
                           max=20, form_label="D steps per G step",
                           help="Discriminator updates before each generator update (5 is "
                                "usual for WGAN-GP)")
    gp_weight: float = setting(10.0, "Gradient penalty weight", group="GAN", models=_GAN, min=0, max=1000,
                               step=1, decimals=2, relevant_when=_WGAN,
                               help="Weight of WGAN-GP's penalty on the critic's gradient norm")
    gan_quality: bool = setting(
        True, "GAN quality figure", group="GAN", models=_GAN, form_label="Score samples at the end",
        help="At the end, a classifier trained on the same real data (once, then cached) "
             "scores 1,000 samples: the share it recognises with confidence >= 0.9 and the "
             "classes present (an Inception-score-like figure)")
    # -- hardware
    device: str = setting("auto", "Device", group="Hardware",
                          help="Where to train: auto (the fastest: CUDA, MPS, else the CPU), "
                               "cpu, cuda, cuda:1, mps")
    precision: Precision = setting(
        "auto", "Precision", group="Hardware", models=_NET,
        titles=(("auto", "Automatic"), ("fp32", "fp32"), ("bf16", "bf16 (mixed)"),
                ("fp16", "fp16 (mixed)")),
        help="Automatic: bf16 autocast on CUDA where supported, else fp16 with a gradient "
             "scaler; fp32 on the CPU")
    channels_last: bool = setting(True, "Channels-last (CUDA)", group="Hardware", models=_NET,
                                  form_label="Channels-last layout (CUDA)",
                                  help="Faster convolutions on CUDA; ignored elsewhere")
    compile: bool = setting(False, "torch.compile", group="Hardware", models=_NET,
                            form_label="Compile the model (torch.compile)",
                            help="Faster steps on a GPU after a slow first step")
    num_workers: int = setting(2, "Data loader workers", group="Hardware", min=0,
                               help="Worker processes for streamed (large) data sets; small "
                                    "ones live on the device whole")
    # -- many devices (workbench.core.distributed): data-parallel under torch.distributed.run
    nproc: int = setting(1, "Processes (devices)", group="Hardware", models=_NET, min=1, max=256,
                         form_label="Processes / GPUs",
                         help="Train data-parallel on this many processes: one per GPU (all "
                              "GPUs when it equals their count) or, on the CPU, this many "
                              "processes; the batch size is the global one, split between them")
    sharding: Sharding = setting(
        "none", "Sharding", group="Hardware", models=_NET,
        titles=(("none", "None (each process holds the whole model)"),
                ("fsdp", "FSDP (shard weights, gradients, optimizer state)")),
        help="With several processes: FSDP (fully_shard) splits the weights, gradients and "
             "optimizer state of each Transformer block between them, for models that do not "
             "fit one device")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainingConfig:
        """Unknown keys are ignored so that configs from other versions still load."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    @staticmethod
    def settings() -> tuple[Setting, ...]:
        """The declarations, in order (see ``workbench.core.engine.settings``)."""
        return settings_of(TrainingConfig)

    @staticmethod
    def setting(key: str) -> Setting | None:
        return _BY_NAME.get(key)

    @staticmethod
    def label(key: str) -> str:
        """A setting's name for people ("lr" -> "Learning rate"); unknown keys as given."""
        s = _BY_NAME.get(key)
        return s.label if s else key.replace("_", " ").capitalize()

    @staticmethod
    def title(key: str, value: Any) -> str:
        """A value as people read it ("onecycle" -> "One-cycle", True -> "on")."""
        s = _BY_NAME.get(key)
        return s.title_of(value) if s else str(value)

    def problems(self) -> list[SettingProblem]:
        """Each value its declaration refuses (type, finiteness, range, choices), and a batch
        that the processes cannot share evenly."""
        problems = problems_of(self)
        if (not problems and self.nproc > 1 and self.batch_size % self.nproc):
            problems.append(SettingProblem(
                "batch_size", _BY_NAME["batch_size"].label,
                f"must be a multiple of the number of processes ({self.nproc}): each takes "
                f"an equal share of the global batch", self.batch_size))
        return problems

    def validate(self) -> list[str]:
        """Readable problems with the values ("Warm-up (epochs) must be at least 0, not -5"),
        empty when fine."""
        return [str(p) for p in self.problems()]


_BY_NAME: dict[str, Setting] = {s.name: s for s in settings_of(TrainingConfig)}
LABELS: dict[str, str] = {name: s.label for name, s in _BY_NAME.items()}
