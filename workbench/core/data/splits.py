"""Seeded train/validation/test splits and normalization statistics."""

from __future__ import annotations

import numpy as np
import torch

from workbench.core.data.dataset import Split
from workbench.core.data.errors import DataSourceError

Indices = tuple[np.ndarray, np.ndarray, np.ndarray]


def check_fractions(val_fraction: float, test_fraction: float) -> None:
    if not (0.0 <= val_fraction < 1.0 and 0.0 <= test_fraction < 1.0):
        raise DataSourceError("The validation and test fractions must each be between 0 and 1.")
    if val_fraction + test_fraction >= 1.0:
        raise DataSourceError(
            "The validation and test fractions add up to 1 or more: leave some data to train on."
        )


def split_indices(
    n: int,
    *,
    val_fraction: float,
    test_fraction: float,
    seed: int,
    labels: np.ndarray | None = None,
) -> Indices:
    """Seeded (train, val, test) index arrays; stratified by class when ``labels`` is given.

    Stratification without per-class rounding drift: every sample gets its rank within its class
    as a fraction, samples are ordered by that fraction, and the first ``test`` then ``val``
    share of that order is taken. Totals are exact and each class is spread proportionally.
    """
    check_fractions(val_fraction, test_fraction)
    rng = np.random.default_rng(seed)
    n_test = int(round(n * test_fraction))
    n_val = int(round(n * val_fraction))
    if n - n_test - n_val < 1:
        raise DataSourceError(
            f"Only {n} samples: too few to split into train, validation and test."
        )
    if labels is None:
        order = rng.permutation(n)
    else:
        labels = np.asarray(labels).reshape(n)
        jitter = rng.random(n)
        key = np.empty(n, dtype=np.float64)
        for c in np.unique(labels):
            members = np.flatnonzero(labels == c)
            ranks = rng.permutation(len(members))
            key[members] = (ranks + 0.5) / len(members)
        order = np.lexsort((jitter, key))
    test, val, train = order[:n_test], order[n_test : n_test + n_val], order[n_test + n_val :]
    # Shuffle within each split so no split is ordered by class.
    return rng.permutation(train), rng.permutation(val), rng.permutation(test)


def sized_split_indices(n: int, *, train_size: int, val_size: int, seed: int) -> Indices:
    """Seeded split with fixed train and validation sizes; the test split is whatever remains."""
    if train_size < 1 or val_size < 0:
        raise DataSourceError("train_size must be at least 1 and val_size at least 0.")
    if train_size + val_size > n:
        raise DataSourceError(
            f"train_size {train_size} + val_size {val_size} is more than the {n} samples available."
        )
    order = np.random.default_rng(seed).permutation(n)
    return (
        order[:train_size],
        order[train_size : train_size + val_size],
        order[train_size + val_size :],
    )


def take(x: torch.Tensor, y: torch.Tensor, idx: np.ndarray) -> Split:
    """The samples at ``idx`` as a new split (copied, so the full tensors can be freed)."""
    index = torch.as_tensor(np.asarray(idx, dtype=np.int64))
    return Split(x=x.index_select(0, index), y=y.index_select(0, index))


def feature_stats(
    x: torch.Tensor, kind: str
) -> tuple[tuple[float, ...] | None, tuple[float, ...] | None]:
    """Per-channel (images, axis 1) or per-feature (last axis) mean and std of a training split.

    Constant channels get std 1 so normalizing never divides by zero.
    """
    if kind == "tokens" or not x.is_floating_point() or x.shape[0] == 0:
        return None, None
    dims = (0, 2, 3) if kind == "image" else tuple(range(x.dim() - 1))
    std, mean = torch.std_mean(x, dim=dims, correction=0)
    std = torch.where(std < 1e-6, torch.ones_like(std), std)
    return tuple(float(v) for v in mean), tuple(float(v) for v in std)
