"""The data model: a data set is three splits plus what models and predictions must know."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import torch
from torch.utils.data import Dataset

from workbench.core.data.errors import DataSourceError
from workbench.core.data.images import image_to_tensor
from workbench.core.data.tokens import encode, tokenize

Kind = Literal["image", "features", "tokens"]
Task = Literal["classification", "regression", "next_token"]


def class_counts(y: torch.Tensor | None, num_classes: int) -> list[int] | None:
    """Samples per class for (N,) int64 labels; None for any other kind of target."""
    if y is None or y.dim() != 1 or y.dtype != torch.int64:
        return None
    return [int(c) for c in torch.bincount(y, minlength=num_classes)[:num_classes]]


@dataclass(eq=False)  # tensors have no single truth value; splits compare by identity
class Split:
    """One split, held whole as CPU tensors (``x``, ``y``) or as a Dataset to stream.

    x: images float32 (N, C, H, W) in [0, 1], never normalized; features float32 (N, F)
       (or (N, L, F) for vector sequences); tokens int64 (N, L).
    y: int64 (N,) class labels; int64 (N, L) next tokens; float32 (N,) or (N, K) regression.
    dataset: for data too large to hold; yields ``(x, y)`` tensors per sample.
    stream: for text, the split's token ids as one (T,) int64 sequence that ``x`` and ``y``
       were cut from: training then draws windows at new random offsets every epoch (see
       ``data.windows``) instead of the same fixed ones.
    """

    x: torch.Tensor | None
    y: torch.Tensor | None
    dataset: Dataset | None = None
    stream: torch.Tensor | None = None

    def __len__(self) -> int:
        if self.x is not None:
            return int(self.x.shape[0])
        if self.dataset is not None:
            return len(self.dataset)  # type: ignore[arg-type]
        return 0

    @property
    def targets(self) -> torch.Tensor | None:
        """All labels when known without reading the data (streamed sets may list them)."""
        if self.y is not None:
            return self.y
        targets = getattr(self.dataset, "targets", None)
        return None if targets is None else torch.as_tensor(targets)


@dataclass(eq=False)
class DataSet:
    name: str
    kind: Kind
    sample_shape: tuple[int, ...]
    task: Task
    num_classes: int  # classes; vocabulary size for next_token; outputs for regression
    class_names: list[str]
    train: Split
    val: Split
    test: Split
    mean: tuple[float, ...] | None = None  # from the training split only
    std: tuple[float, ...] | None = None
    vocab: list[str] | None = None  # index -> token; 0 is "<pad>", 1 is "<unk>"
    tokenizer: Literal["char", "word"] | None = None
    skipped: int = 0
    notes: list[str] = field(default_factory=list)
    # (device, dtype) -> (mean, std) shaped for broadcasting; built once per device.
    _stats_cache: dict[Any, tuple[torch.Tensor, torch.Tensor]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def splits(self) -> dict[str, Split]:
        return {"train": self.train, "val": self.val, "test": self.test}

    def summary(self) -> dict[str, Any]:
        """Plain, JSON-able description: sizes, shapes, classes, class counts per split."""
        out: dict[str, Any] = {
            "name": self.name,
            "kind": self.kind,
            "task": self.task,
            "sample_shape": list(self.sample_shape),
            "num_classes": self.num_classes,
            "class_names": list(self.class_names),
            "sizes": {k: len(s) for k, s in self.splits.items()},
            "streamed": any(s.x is None and s.dataset is not None for s in self.splits.values()),
            "mean": list(self.mean) if self.mean is not None else None,
            "std": list(self.std) if self.std is not None else None,
            "vocab_size": len(self.vocab) if self.vocab is not None else None,
            "tokenizer": self.tokenizer,
            "skipped": self.skipped,
            "notes": list(self.notes),
        }
        if self.task == "classification":
            out["class_counts"] = {
                k: class_counts(s.targets, self.num_classes) for k, s in self.splits.items()
            }
        return out

    def preprocessing(self) -> dict[str, Any]:
        """What a saved model needs to prepare new inputs the way training did (JSON-able)."""
        return {
            "kind": self.kind,
            "sample_shape": list(self.sample_shape),
            "task": self.task,
            "class_names": list(self.class_names),
            "mean": list(self.mean) if self.mean is not None else None,
            "std": list(self.std) if self.std is not None else None,
            "vocab": list(self.vocab) if self.vocab is not None else None,
            "tokenizer": self.tokenizer,
        }

    def normalize(self, x: torch.Tensor) -> torch.Tensor:
        """(x - mean) / std per channel (images) or per feature (last axis), on x's device.

        Works on a batch or a single sample; identity for tokens or without stats.
        """
        if self.kind == "tokens" or self.mean is None or self.std is None:
            return x
        if not x.is_floating_point():
            x = x.float()
        key = (x.device, x.dtype)
        stats = self._stats_cache.get(key)
        if stats is None:
            mean = torch.tensor(self.mean, dtype=x.dtype)
            std = torch.tensor(self.std, dtype=x.dtype)
            if self.kind == "image":  # channel axis is -3 for (C,H,W) and (N,C,H,W)
                mean, std = mean.view(-1, 1, 1), std.view(-1, 1, 1)
            stats = (mean.to(x.device), std.to(x.device))
            self._stats_cache[key] = stats
        return (x - stats[0]) / stats[1]

    def encode_text(self, text: str) -> torch.Tensor:
        """``text`` as (L,) int64 token ids with this data set's vocabulary, L = sample_shape[0].

        Padded with ``<pad>``; unknown tokens become ``<unk>``. Too long text keeps its start
        for classification and its end (the latest context) for next-token prediction.
        """
        if self.kind != "tokens" or self.vocab is None or self.tokenizer is None:
            raise DataSourceError(f"The data set {self.name} does not take text input.")
        index = {t: i for i, t in enumerate(self.vocab)}
        keep = "end" if self.task == "next_token" else "start"
        ids = encode(tokenize(text, self.tokenizer), index, self.sample_shape[0], keep=keep)
        return torch.tensor(ids, dtype=torch.int64)

    def encode_image(self, image: Any) -> torch.Tensor:
        """A user's image (path or PIL image) as (C, H, W) float32 in [0, 1], not normalized."""
        return image_to_tensor(Path(image) if isinstance(image, str) else image, self.sample_shape)
