"""DataMeta: what a trained model needs to know about its data to take new inputs, without
the data set itself (a run folder stores it as ``data.json``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch

from workbench.core.data.errors import DataSourceError
from workbench.core.data.images import image_to_tensor
from workbench.core.data.tokens import encode, tokenize

if TYPE_CHECKING:
    from workbench.core.data.dataset import DataSet

FORMAT = 1


@dataclass
class DataMeta:
    source: str  # how to load the data set again, e.g. "digits28" or "folder:/data/pets"
    name: str
    kind: str  # "image", "features", "tokens"
    sample_shape: tuple[int, ...]
    task: str  # "classification", "regression", "next_token"
    num_classes: int
    class_names: list[str] = field(default_factory=list)
    mean: tuple[float, ...] | None = None
    std: tuple[float, ...] | None = None
    vocab: list[str] | None = None
    tokenizer: str | None = None
    skipped: int = 0  # unreadable files left out when the data set was loaded
    notes: list[str] = field(default_factory=list)  # what loading said (e.g. which files)

    @classmethod
    def from_dataset(cls, ds: DataSet, source: str) -> DataMeta:
        return cls(source, ds.name, ds.kind, tuple(int(s) for s in ds.sample_shape), ds.task,
                   int(ds.num_classes), [str(c) for c in ds.class_names],
                   tuple(ds.mean) if ds.mean is not None else None,
                   tuple(ds.std) if ds.std is not None else None,
                   list(ds.vocab) if ds.vocab is not None else None, ds.tokenizer,
                   int(ds.skipped), [str(n) for n in ds.notes])

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "source": self.source, "name": self.name, "kind": self.kind,
                "sample_shape": list(self.sample_shape), "task": self.task,
                "num_classes": self.num_classes, "class_names": list(self.class_names),
                "mean": list(self.mean) if self.mean is not None else None,
                "std": list(self.std) if self.std is not None else None,
                "vocab": list(self.vocab) if self.vocab is not None else None,
                "tokenizer": self.tokenizer, "skipped": self.skipped, "notes": list(self.notes)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DataMeta:
        """Raises ValueError naming the field when ``d`` is not a data description."""
        try:
            def floats(key: str) -> tuple[float, ...] | None:
                v = d.get(key)
                return tuple(float(x) for x in v) if v is not None else None

            vocab = d.get("vocab")
            return cls(
                str(d.get("source", "")), str(d.get("name", d.get("source", ""))),
                str(d["kind"]), tuple(int(s) for s in d["sample_shape"]), str(d["task"]),
                int(d.get("num_classes", len(d.get("class_names") or []))),
                [str(c) for c in d.get("class_names") or []], floats("mean"), floats("std"),
                [str(t) for t in vocab] if vocab is not None else None,
                d.get("tokenizer"), int(d.get("skipped") or 0),
                [str(n) for n in d.get("notes") or []])
        except (KeyError, TypeError, ValueError) as e:
            raise ValueError(f"not a valid data description (data.json): {e!r}") from None

    # -- preparing inputs the way training did -----------------------------------------------
    def normalize(self, x: torch.Tensor) -> torch.Tensor:
        """(x - mean) / std per channel (images) or per feature; identity for tokens."""
        if self.kind == "tokens" or self.mean is None or self.std is None:
            return x
        if not x.is_floating_point():
            x = x.float()
        mean = torch.tensor(self.mean, dtype=x.dtype, device=x.device)
        std = torch.tensor(self.std, dtype=x.dtype, device=x.device)
        if self.kind == "image":
            mean, std = mean.view(-1, 1, 1), std.view(-1, 1, 1)
        return (x - mean) / std

    def encode_text(self, text: str) -> torch.Tensor:
        """(L,) int64 token ids: padded, unknown tokens as <unk>; next-token models keep the
        end of a too long text (the latest context), classifiers its start."""
        if self.kind != "tokens" or self.vocab is None or self.tokenizer is None:
            raise DataSourceError(f"The data set {self.name} does not take text input.")
        index = {t: i for i, t in enumerate(self.vocab)}
        keep = "end" if self.task == "next_token" else "start"
        ids = encode(tokenize(text, self.tokenizer), index,  # type: ignore[arg-type]
                     self.sample_shape[0], keep=keep)
        return torch.tensor(ids, dtype=torch.int64)

    def text_length(self, text: str) -> int:
        """How many tokens of ``text`` fit the input (the last one is where to predict)."""
        if self.tokenizer is None:
            return 0
        return min(len(tokenize(text, self.tokenizer)), self.sample_shape[0])  # type: ignore[arg-type]

    def load_image(self, path: str | Path) -> torch.Tensor:
        """(C, H, W) float32 in [0, 1] at the data set's size and channels, not normalized.
        Raises DataSourceError naming the file when it is not a readable image."""
        return image_to_tensor(Path(path), self.sample_shape)
