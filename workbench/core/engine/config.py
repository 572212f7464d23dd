"""TrainingConfig: every choice that defines a training run, as plain data saved with the run."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

Optimizer = Literal["sgd", "adam", "adamw", "rmsprop"]
Schedule = Literal["none", "step", "cosine", "onecycle"]
Loss = Literal["auto", "cross_entropy", "mse", "bce_with_logits"]
Precision = Literal["auto", "fp32", "bf16", "fp16"]


@dataclass(frozen=True)
class TrainingConfig:
    optimizer: Optimizer = "adam"
    lr: float = 1e-3
    momentum: float = 0.9  # SGD and RMSprop
    nesterov: bool = False  # SGD
    weight_decay: float = 0.0
    batch_size: int = 64
    epochs: int = 5
    schedule: Schedule = "none"
    warmup_epochs: float = 0.0  # linear warm-up before the schedule, in (fractional) epochs
    step_size: int = 10  # step schedule: epochs between decays
    gamma: float = 0.1  # step schedule: decay factor
    loss: Loss = "auto"  # auto: cross-entropy for classification, MSE for regression
    label_smoothing: float = 0.0
    grad_clip: float = 0.0  # max gradient norm; 0 = off
    precision: Precision = "auto"  # auto: bf16 autocast on CUDA if supported, else fp16+scaler; fp32 on CPU
    channels_last: bool = True  # convolutions on CUDA only
    compile: bool = False  # torch.compile the model
    seed: int = 0
    device: str = "auto"  # "auto", "cpu", "cuda", "cuda:1", "mps"
    early_stopping: bool = False
    patience: int = 3
    monitor: Literal["val_loss", "val_accuracy"] = "val_loss"
    augment: bool = False  # image augmentation on the training split
    rotation: float = 10.0  # degrees, when augment
    scale: float = 0.1  # +- fraction, when augment
    crop_padding: int = 2  # pixels, when augment
    hflip: bool = False  # when augment (not for digits!)
    num_workers: int = 2  # streamed (large) data sets only

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def label(key: str) -> str:
        """A setting's name for people ("lr" -> "Learning rate"); unknown keys as given."""
        return LABELS.get(key, key.replace("_", " ").capitalize())

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainingConfig:
        """Unknown keys are ignored so that configs from other versions still load."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def validate(self) -> list[str]:
        """Readable problems with the values, empty when fine."""
        problems = []
        if not self.lr > 0:
            problems.append("learning rate must be greater than 0")
        if self.batch_size < 1:
            problems.append("batch size must be at least 1")
        if self.epochs < 1:
            problems.append("epochs must be at least 1")
        if not 0 <= self.label_smoothing < 1:
            problems.append("label smoothing must be in [0, 1)")
        if self.weight_decay < 0:
            problems.append("weight decay cannot be negative")
        if self.optimizer not in ("sgd", "adam", "adamw", "rmsprop"):
            problems.append(f"unknown optimizer '{self.optimizer}'")
        if self.schedule not in ("none", "step", "cosine", "onecycle"):
            problems.append(f"unknown schedule '{self.schedule}'")
        if self.precision not in ("auto", "fp32", "bf16", "fp16"):
            problems.append(f"unknown precision '{self.precision}'")
        return problems


LABELS: dict[str, str] = {
    "optimizer": "Optimizer", "lr": "Learning rate", "momentum": "Momentum",
    "nesterov": "Nesterov momentum", "weight_decay": "Weight decay", "batch_size": "Batch size",
    "epochs": "Epochs", "schedule": "Schedule", "warmup_epochs": "Warm-up (epochs)",
    "step_size": "Step schedule: epochs per decay", "gamma": "Step schedule: decay factor",
    "loss": "Loss", "label_smoothing": "Label smoothing", "grad_clip": "Gradient clipping (norm)",
    "precision": "Precision", "channels_last": "Channels-last (CUDA)",
    "compile": "torch.compile", "seed": "Seed", "device": "Device",
    "early_stopping": "Early stopping", "patience": "Patience (epochs)",
    "monitor": "Early stopping watches", "augment": "Augment images",
    "rotation": "Augment: rotation (degrees)", "scale": "Augment: scale (+-)",
    "crop_padding": "Augment: shift (pixels)", "hflip": "Augment: horizontal flip",
    "num_workers": "Data loader workers",
}
