"""``text:FILE``: plain text for next-character prediction."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from workbench.core.data.dataset import DataSet, Split
from workbench.core.data.errors import DataSourceError
from workbench.core.data.splits import check_fractions
from workbench.core.data.tokens import PAD, UNK, UNK_INDEX


def _block_sizes(n: int, val_fraction: float, test_fraction: float) -> tuple[int, int, int]:
    n_val, n_test = round(n * val_fraction), round(n * test_fraction)
    if n >= 3:  # a requested split gets at least one window when there are enough
        n_val = max(n_val, 1 if val_fraction > 0 else 0)
        n_test = max(n_test, 1 if test_fraction > 0 else 0)
    if n - n_val - n_test < 1:
        n_val = n_test = 0
    return n - n_val - n_test, n_val, n_test


def load_text(
    path: Path,
    *,
    seed: int,
    val_fraction: float,
    test_fraction: float,
    progress: Callable[[float, str], None] | None = None,
    seq_len: int = 64,
    stride: int | None = None,
) -> DataSet:
    """Windows of ``seq_len`` + 1 characters every ``stride`` (default ``seq_len``, i.e. not
    overlapping): x = the first ``seq_len``, y = the same shifted by one, both (N, L) int64.

    Splits are contiguous blocks of the text (train first, then validation, then test) so no
    validation text is seen in training; ``seed`` does not change them. The vocabulary is the
    training block's characters (after <pad> and <unk>); others become <unk>.
    """
    del seed
    check_fractions(val_fraction, test_fraction)
    if seq_len < 1:
        raise DataSourceError("seq_len must be at least 1.")
    stride = stride or seq_len
    if not path.is_file():
        raise DataSourceError(f"The file {path} does not exist: choose a plain text file.")
    if progress:
        progress(0.1, f"Reading {path.name}")
    text = path.read_text(encoding="utf-8", errors="replace")
    if len(text) < seq_len + 1:
        raise DataSourceError(
            f"The text file {path.name} has {len(text):,} characters: it needs at least "
            f"{seq_len + 1} for seq_len={seq_len} (use a longer text or a smaller seq_len)."
        )
    n = (len(text) - seq_len - 1) // stride + 1
    n_train, n_val, _ = _block_sizes(n, val_fraction, test_fraction)
    if progress:
        progress(0.3, "Encoding characters")
    # Code points via numpy, not a Python loop per character: books are millions of them.
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    train_codes = np.unique(codes[: (n_train - 1) * stride + seq_len + 1])  # sorted
    vocab = [PAD, UNK, *(chr(c) for c in train_codes)]
    pos = np.minimum(np.searchsorted(train_codes, codes), len(train_codes) - 1)
    known = train_codes[pos] == codes
    ids = torch.from_numpy(np.where(known, pos + 2, UNK_INDEX).astype(np.int64))
    windows = ids.unfold(0, seq_len + 1, stride)[:n]

    def block(a: int, b: int) -> Split:
        w = windows[a:b]
        # the text these windows cover, for fresh random windows each training epoch
        stream = ids[a * stride: (b - 1) * stride + seq_len + 1] if b > a else None
        return Split(x=w[:, :-1].contiguous(), y=w[:, 1:].contiguous(), stream=stream)

    if progress:
        progress(1.0, "Done")
    return DataSet(
        name=f"text:{path}",
        kind="tokens",
        sample_shape=(seq_len,),
        task="next_token",
        num_classes=len(vocab),
        class_names=list(vocab),
        train=block(0, n_train),
        val=block(n_train, n_train + n_val),
        test=block(n_train + n_val, n),
        vocab=vocab,
        tokenizer="char",
        notes=[
            f"{n:,} windows of {seq_len} characters; vocabulary of {len(vocab)} from the training text."
        ],
    )
