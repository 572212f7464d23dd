"""``csv:FILE`` (numeric features) and ``textcsv:FILE`` (text classification) sources."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch

from workbench.core.data.dataset import DataSet, Split
from workbench.core.data.errors import DataSourceError
from workbench.core.data.splits import feature_stats, split_indices, take
from workbench.core.data.table import (
    class_labels,
    column_index,
    looks_continuous,
    numeric_matrix,
    read_table,
)
from workbench.core.data.tokens import TOKENIZERS, build_vocab, encode_texts

Progress = Callable[[float, str], None] | None


def _default_label(columns: Sequence[str]) -> int:
    lowered = [c.lower() for c in columns]
    return lowered.index("label") if "label" in lowered else len(columns) - 1


def load_csv(
    path: Path,
    *,
    seed: int,
    val_fraction: float,
    test_fraction: float,
    progress: Progress = None,
    label_column: str | int | Sequence[str | int] | None = None,
    task: str | None = None,
    delimiter: str | None = None,
    header: bool | None = None,
) -> DataSet:
    """Numeric feature columns plus a label column (default: the one named "label", else the
    last). ``task`` "classification" (labels may be text or numbers) or "regression" (float
    targets; several label columns give (N, K) targets); when not given, fractional numeric
    labels mean regression. Stratified split for classification, random for regression."""
    if progress:
        progress(0.1, f"Reading {path.name}")
    columns, rows, first_line = read_table(path, delimiter=delimiter, header=header)
    if label_column is None:
        label_cols = [_default_label(columns)]
    elif isinstance(label_column, str | int):
        label_cols = [column_index(columns, label_column, path, "label")]
    else:
        label_cols = [column_index(columns, c, path, "label") for c in label_column]
    feature_cols = [i for i in range(len(columns)) if i not in label_cols]
    if not feature_cols:
        raise DataSourceError(
            f"{path.name} has no feature columns besides the label: it needs at least one."
        )
    x = torch.from_numpy(numeric_matrix(rows, feature_cols, columns, path, first_line))
    label_values = [row[label_cols[0]] for row in rows]
    if task is None:
        task = (
            "regression"
            if len(label_cols) > 1 or looks_continuous(label_values)
            else "classification"
        )
    notes: list[str] = []
    if task == "classification":
        if len(label_cols) > 1:
            raise DataSourceError(
                "Classification takes one label column; use task='regression' for several."
            )
        idx, class_names = class_labels(label_values, path.name, first_line)
        y = torch.from_numpy(idx)
        labels_for_split: np.ndarray | None = idx
        num_classes = len(class_names)
        if num_classes < 2:
            raise DataSourceError(
                f"The label column {columns[label_cols[0]]!r} of {path.name} holds one class only."
            )
    elif task == "regression":
        targets = numeric_matrix(rows, label_cols, columns, path, first_line)
        y = torch.from_numpy(targets[:, 0] if len(label_cols) == 1 else targets)
        class_names = [columns[c] for c in label_cols]
        num_classes = len(label_cols)
        labels_for_split = None
        notes.append(f"Regression on {', '.join(class_names)} (targets are not normalized).")
    else:
        raise DataSourceError(
            f"Unknown task {task!r} for {path.name}: use classification or regression."
        )
    tr, va, te = split_indices(
        len(x),
        val_fraction=val_fraction,
        test_fraction=test_fraction,
        seed=seed,
        labels=labels_for_split,
    )
    train = take(x, y, tr)
    mean, std = feature_stats(train.x, "features")
    notes.append(f"Features: {', '.join(columns[c] for c in feature_cols)}.")
    if progress:
        progress(1.0, "Done")
    return DataSet(
        name=f"csv:{path}",
        kind="features",
        sample_shape=(len(feature_cols),),
        task=task,  # type: ignore[arg-type]
        num_classes=num_classes,
        class_names=class_names,
        train=train,
        val=take(x, y, va),
        test=take(x, y, te),
        mean=mean,
        std=std,
        notes=notes,
    )


def load_textcsv(
    path: Path,
    *,
    seed: int,
    val_fraction: float,
    test_fraction: float,
    progress: Progress = None,
    text_column: str | int | None = None,
    label_column: str | int | None = None,
    tokenizer: str = "word",
    max_length: int = 64,
    max_vocab: int = 20000,
    delimiter: str | None = None,
    header: bool = True,
) -> DataSet:
    """Text classification: a text column (default "text", else the first non-label column)
    and a label column (default "label", else the last). The vocabulary comes from the
    training split only, so validation and test words unseen in training become <unk>."""
    if tokenizer not in TOKENIZERS:
        raise DataSourceError(f"Unknown tokenizer {tokenizer!r}: use 'char' or 'word'.")
    if max_length < 1 or max_vocab < 3:
        raise DataSourceError("max_length must be at least 1 and max_vocab at least 3.")
    if progress:
        progress(0.1, f"Reading {path.name}")
    columns, rows, first_line = read_table(path, delimiter=delimiter, header=header)
    if len(columns) < 2:
        raise DataSourceError(f"{path.name} needs a text column and a label column.")
    label_i = (
        _default_label(columns)
        if label_column is None
        else column_index(columns, label_column, path, "label")
    )
    lowered = [c.lower() for c in columns]
    if text_column is not None:
        text_i = column_index(columns, text_column, path, "text")
    elif "text" in lowered and lowered.index("text") != label_i:
        text_i = lowered.index("text")
    else:
        text_i = next(i for i in range(len(columns)) if i != label_i)
    if text_i == label_i:
        raise DataSourceError(f"The text and label columns of {path.name} must differ.")
    texts = [row[text_i] for row in rows]
    idx, class_names = class_labels([row[label_i] for row in rows], path.name, first_line)
    if len(class_names) < 2:
        raise DataSourceError(
            f"The label column {columns[label_i]!r} of {path.name} holds one class only."
        )
    tr, va, te = split_indices(
        len(rows), val_fraction=val_fraction, test_fraction=test_fraction, seed=seed, labels=idx
    )
    vocab = build_vocab([texts[i] for i in tr], tokenizer, max_vocab=max_vocab)  # type: ignore[arg-type]
    if progress:
        progress(0.5, "Tokenizing")

    def split(ix: np.ndarray) -> Split:
        x = encode_texts([texts[i] for i in ix], vocab, tokenizer, max_length)  # type: ignore[arg-type]
        return Split(x=x, y=torch.from_numpy(idx[ix].copy()))

    if progress:
        progress(1.0, "Done")
    return DataSet(
        name=f"textcsv:{path}",
        kind="tokens",
        sample_shape=(max_length,),
        task="classification",
        num_classes=len(class_names),
        class_names=class_names,
        train=split(tr),
        val=split(va),
        test=split(te),
        vocab=vocab,
        tokenizer=tokenizer,  # type: ignore[arg-type]
        notes=[f"Vocabulary of {len(vocab):,} tokens from the training split ({tokenizer}s)."],
    )
