"""The offline data sets that ship with the app: scikit-learn's 8x8 handwritten digits."""

from __future__ import annotations

import gzip
import importlib.util
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from workbench.core.data.dataset import DataSet
from workbench.core.data.splits import feature_stats, split_indices, take


def load_digits(
    *,
    seed: int,
    val_fraction: float,
    test_fraction: float,
    progress: Callable[[float, str], None] | None = None,
    size: int = 8,
) -> DataSet:
    """1,797 greyscale digits as (1, size, size) in [0, 1]; size 28 upscales bilinearly so
    models built for MNIST run on them offline. Seeded stratified split."""
    if progress:
        progress(0.1, "Loading digits")
    images, labels = digits_arrays()
    x = torch.from_numpy(images).float().div_(16.0).unsqueeze(1)  # values are 0..16
    if size != 8:
        x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False).clamp_(0, 1)
    y = torch.from_numpy(labels).long()
    tr, va, te = split_indices(
        len(x), val_fraction=val_fraction, test_fraction=test_fraction, seed=seed, labels=y.numpy()
    )
    train = take(x, y, tr)
    mean, std = feature_stats(train.x, "image")
    if progress:
        progress(1.0, "Done")
    return DataSet(
        name="digits" if size == 8 else f"digits{size}",
        kind="image",
        sample_shape=(1, size, size),
        task="classification",
        num_classes=10,
        class_names=[str(i) for i in range(10)],
        train=train,
        val=take(x, y, va),
        test=take(x, y, te),
        mean=mean,
        std=std,
    )


def digits_arrays() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's digits as (1797, 8, 8) float images (0..16) and int labels.

    Read straight from the CSV that scikit-learn ships: importing sklearn costs about a
    second and, in the training thread, holds the GIL long enough to stall the window (a
    250 ms hitch). Falls back to sklearn's own loader if the file moves."""
    spec = importlib.util.find_spec("sklearn")  # finds the package without importing it
    csv = Path(spec.origin).parent / "datasets" / "data" / "digits.csv.gz" \
        if spec is not None and spec.origin else None
    if csv is not None and csv.is_file():
        with gzip.open(csv, "rt") as f:
            table = np.loadtxt(f, delimiter=",", dtype=np.float64)
        return table[:, :-1].reshape(-1, 8, 8), table[:, -1].astype(np.int64)
    from sklearn.datasets import load_digits as sk_load_digits

    bunch = sk_load_digits()
    return bunch.images, bunch.target
