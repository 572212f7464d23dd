"""``seq:NAME``: small generated sequence tasks for RNN and Transformer demos (seeded, offline).

Vector sequences (``seq:sum-sign``, ``seq:trend``) are kind "features" with sample_shape
(L, F): a model reads L time steps of F features. Token tasks use kind "tokens".
In ``seq:copy``/``seq:reverse``, target 0 (<pad>) marks positions with nothing to learn (the
random symbols before the separator); a loss with ``ignore_index=0`` skips them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from workbench.core.data.dataset import DataSet, Kind
from workbench.core.data.errors import DataSourceError
from workbench.core.data.splits import feature_stats, split_indices, take
from workbench.core.data.tokens import PAD, UNK

_SYMBOLS = "abcdefgh"


@dataclass(frozen=True)
class SeqTask:
    title: str
    description: str
    default_length: int
    kind: Kind  # "tokens", or "features" for vector sequences


SEQ_TASKS: dict[str, SeqTask] = {
    "parity": SeqTask(
        "Parity", "Bit strings of 16 tokens; is the number of ones even or odd?", 16, "tokens"
    ),
    "sum-sign": SeqTask(
        "Sum sign", "Sequences of 20 random numbers; is their sum positive?", 20, "features"
    ),
    "trend": SeqTask(
        "Trend", "Noisy 2-feature series of 32 steps: going down, flat or up?", 32, "features"
    ),
    "copy": SeqTask(
        "Copy", "Next token: 8 symbols, a separator, then the same 8 again.", 16, "tokens"
    ),
    "reverse": SeqTask(
        "Reverse", "Next token: 8 symbols, a separator, then them reversed.", 16, "tokens"
    ),
}


def _parity(rng: np.random.Generator, n: int, length: int):
    bits = rng.integers(0, 2, size=(n, length))
    x = torch.from_numpy(bits + 2)  # token ids: "0" -> 2, "1" -> 3
    y = torch.from_numpy(bits.sum(axis=1) % 2)
    return x, y, ["even", "odd"], [PAD, UNK, "0", "1"]


def _sum_sign(rng: np.random.Generator, n: int, length: int):
    values = rng.standard_normal((n, length, 1)).astype(np.float32)
    y = (values.sum(axis=(1, 2)) > 0).astype(np.int64)
    return torch.from_numpy(values), torch.from_numpy(y), ["negative", "positive"], None


def _trend(rng: np.random.Generator, n: int, length: int):
    y = rng.integers(0, 3, size=n)
    slope = (y - 1) * rng.uniform(0.5, 1.5, size=n)  # down, flat, up
    t = np.linspace(0.0, 1.0, length)
    offset = rng.normal(0.0, 1.0, size=(n, 1, 2))
    noise = rng.normal(0.0, 0.4, size=(n, length, 2))
    x = slope[:, None, None] * t[None, :, None] + offset + noise
    return torch.from_numpy(x.astype(np.float32)), torch.from_numpy(y), ["down", "flat", "up"], None


def _copy(rng: np.random.Generator, n: int, length: int, reverse: bool):
    k = length // 2
    if k < 1:
        raise DataSourceError("seq:copy needs length of at least 2.")
    vocab = [PAD, UNK, "|", *_SYMBOLS]
    sym = rng.integers(3, 3 + len(_SYMBOLS), size=(n, k))  # ids of _SYMBOLS in vocab
    second = sym[:, ::-1] if reverse else sym
    seq = np.concatenate([sym, np.full((n, 1), 2), second], axis=1)  # length 2k + 1
    x, y = seq[:, :-1].copy(), seq[:, 1:].copy()
    y[:, : k - 1] = 0  # next random symbol: unpredictable
    return torch.from_numpy(x), torch.from_numpy(y), vocab, vocab


def load_seq(
    name: str,
    *,
    seed: int,
    val_fraction: float,
    test_fraction: float,
    progress: Callable[[float, str], None] | None = None,
    n: int = 4000,
    length: int | None = None,
) -> DataSet:
    """Generate ``n`` samples of the task (``length`` time steps or tokens) from ``seed``."""
    if name not in SEQ_TASKS:
        raise DataSourceError(
            f"Unknown sequence task {name!r}: choose one of {', '.join('seq:' + k for k in SEQ_TASKS)}."
        )
    if n < 10:
        raise DataSourceError("n must be at least 10 samples.")
    length = length or SEQ_TASKS[name].default_length
    rng = np.random.default_rng(seed)
    tokenizer = None
    if name == "parity":
        x, y, class_names, vocab = _parity(rng, n, length)
        tokenizer = "char"
    elif name == "sum-sign":
        x, y, class_names, vocab = _sum_sign(rng, n, length)
    elif name == "trend":
        x, y, class_names, vocab = _trend(rng, n, length)
    else:
        x, y, class_names, vocab = _copy(rng, n, length, reverse=name == "reverse")
        tokenizer = "char"
    x, y = x.long() if vocab else x, y.long()
    next_token = name in ("copy", "reverse")
    tr, va, te = split_indices(
        n,
        val_fraction=val_fraction,
        test_fraction=test_fraction,
        seed=seed,
        labels=None if next_token else y.numpy(),
    )
    kind = "tokens" if vocab else "features"
    train = take(x, y, tr)
    mean, std = feature_stats(train.x, kind)
    if progress:
        progress(1.0, "Done")
    return DataSet(
        name=f"seq:{name}",
        kind=kind,
        sample_shape=tuple(x.shape[1:]),  # type: ignore[arg-type]
        task="next_token" if next_token else "classification",
        num_classes=len(class_names),
        class_names=class_names,
        train=train,
        val=take(x, y, va),
        test=take(x, y, te),
        mean=mean,
        std=std,
        vocab=vocab,
        tokenizer=tokenizer,  # type: ignore[arg-type]
        notes=[SEQ_TASKS[name].description],
    )
