"""Tokenizers and vocabularies for text data: index 0 is padding, index 1 stands for unknown."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Literal

import torch

PAD = "<pad>"
UNK = "<unk>"
PAD_INDEX = 0
UNK_INDEX = 1

Tokenizer = Literal["char", "word"]
TOKENIZERS: tuple[str, ...] = ("char", "word")

# Words are runs of letters/digits; punctuation marks are tokens of their own.
_WORD = re.compile(r"\w+|[^\w\s]")


def tokenize(text: str, tokenizer: Tokenizer) -> list[str]:
    """Split ``text`` into tokens: characters as they are, or lower-cased words."""
    if tokenizer == "char":
        return list(text)
    if tokenizer == "word":
        return _WORD.findall(text.lower())
    raise ValueError(f"unknown tokenizer {tokenizer!r}: use 'char' or 'word'")


def build_vocab(
    texts: Iterable[str], tokenizer: Tokenizer, *, max_vocab: int = 20000, min_freq: int = 1
) -> list[str]:
    """Index -> token, most frequent first (ties alphabetical, so it is deterministic).

    ``max_vocab`` caps the whole list including ``<pad>`` and ``<unk>``.
    """
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(tokenize(text, tokenizer))
    counts.pop(PAD, None)
    counts.pop(UNK, None)
    ranked = sorted((t for t, c in counts.items() if c >= min_freq), key=lambda t: (-counts[t], t))
    return [PAD, UNK, *ranked[: max(0, max_vocab - 2)]]


def encode(
    tokens: Sequence[str], index: dict[str, int], length: int, *, keep: str = "start"
) -> list[int]:
    """Token ids padded with ``<pad>`` to ``length``; too long keeps the start (or the end)."""
    ids = [index.get(t, UNK_INDEX) for t in tokens]
    if len(ids) > length:
        ids = ids[:length] if keep == "start" else ids[len(ids) - length :]
    return ids + [PAD_INDEX] * (length - len(ids))


def encode_texts(
    texts: Sequence[str], vocab: Sequence[str], tokenizer: Tokenizer, length: int
) -> torch.Tensor:
    """(N, length) int64 token ids for many texts."""
    index = {t: i for i, t in enumerate(vocab)}
    rows = [encode(tokenize(t, tokenizer), index, length) for t in texts]
    if not rows:
        return torch.zeros((0, length), dtype=torch.int64)
    return torch.tensor(rows, dtype=torch.int64)
