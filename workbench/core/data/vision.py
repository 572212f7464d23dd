"""torchvision's classic image sets (MNIST, CIFAR, SVHN, ...), downloaded into the data folder."""

from __future__ import annotations

import urllib.error
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from workbench.core.data.dataset import DataSet, Split
from workbench.core.data.errors import DataSourceError
from workbench.core.data.splits import feature_stats, split_indices, take


@dataclass(frozen=True)
class VisionSet:
    title: str
    cls_name: str  # class in torchvision.datasets
    split_arg: bool  # SVHN takes split="train"/"test" instead of train=True/False
    files_hint: str  # what to put in the folder by hand


VISION_SETS: dict[str, VisionSet] = {
    "mnist": VisionSet("MNIST", "MNIST", False, "the four MNIST .gz files"),
    "fashion-mnist": VisionSet(
        "Fashion-MNIST", "FashionMNIST", False, "the four Fashion-MNIST .gz files"
    ),
    "kmnist": VisionSet("KMNIST", "KMNIST", False, "the four KMNIST .gz files"),
    "cifar10": VisionSet("CIFAR-10", "CIFAR10", False, "cifar-10-python.tar.gz"),
    "cifar100": VisionSet("CIFAR-100", "CIFAR100", False, "cifar-100-python.tar.gz"),
    "svhn": VisionSet("SVHN", "SVHN", True, "train_32x32.mat and test_32x32.mat"),
}

# What a failed download raises: no network, DNS, refused, bad checksum, partial file.
_DOWNLOAD_ERRORS = (urllib.error.URLError, OSError, RuntimeError, ValueError)


def files_dir(key: str, root: Path) -> Path:
    """The exact folder torchvision looks in for ``key``'s files."""
    spec = VISION_SETS[key]
    if spec.cls_name in ("MNIST", "FashionMNIST", "KMNIST"):
        return root / spec.cls_name / "raw"
    return root


def _construct(key: str, root: Path, train: bool, download: bool) -> Any:
    import torchvision.datasets as tvd

    spec = VISION_SETS[key]
    cls = getattr(tvd, spec.cls_name)
    if spec.split_arg:
        return cls(str(root), split="train" if train else "test", download=download)
    return cls(str(root), train=train, download=download)


def _open(key: str, root: Path, train: bool, download: bool) -> Any:
    spec = VISION_SETS[key]
    where = files_dir(key, root)
    try:
        return _construct(key, root, train, download=False)
    except Exception as exc:  # torchvision's readers raise anything (even assert) on bad files
        missing = isinstance(exc, RuntimeError) and "not found" in str(exc).lower()
        if not missing:
            raise DataSourceError(
                f"The {spec.title} files in {where} could not be read ({type(exc).__name__}: "
                f"{exc}): delete them and download again."
            ) from exc
        if not download:
            raise DataSourceError(
                f"{spec.title} is not downloaded yet: press Download (or run with --download), "
                f"or put {spec.files_hint} in {where}."
            ) from exc
    try:
        root.mkdir(parents=True, exist_ok=True)
        return _construct(key, root, train, download=True)
    except _DOWNLOAD_ERRORS as exc:
        reason = getattr(exc, "reason", None) or exc
        raise DataSourceError(
            f"Could not download {spec.title} (no network?): {reason}; "
            f"put {spec.files_hint} in {where}."
        ) from exc


def _tensors(ds: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """Whole set as float (N, C, H, W) in [0, 1] and int64 labels, without per-sample Python."""
    data = ds.data
    data = torch.from_numpy(np.ascontiguousarray(data)) if isinstance(data, np.ndarray) else data
    if data.dim() == 3:  # MNIST family: (N, H, W)
        data = data.unsqueeze(1)
    elif data.shape[-1] == 3:  # CIFAR: (N, H, W, C); SVHN is already (N, C, H, W)
        data = data.permute(0, 3, 1, 2)
    targets = getattr(ds, "targets", None)
    if targets is None:
        targets = ds.labels
    x = data.contiguous().float().div_(255.0)
    return x, torch.as_tensor(np.asarray(targets), dtype=torch.int64)


def load_vision(
    key: str,
    *,
    data_dir: Path,
    seed: int,
    val_fraction: float,
    test_fraction: float,
    download: bool,
    progress: Callable[[float, str], None] | None = None,
) -> DataSet:
    """torchvision's official train/test split; validation carved (seeded, stratified) from
    train with ``val_fraction`` of it. ``test_fraction`` is unused: the test set is official."""
    del test_fraction
    spec = VISION_SETS[key]
    if progress:
        progress(0.0, f"Opening {spec.title}" + (" (downloading if needed)" if download else ""))
    train_ds = _open(key, data_dir, True, download)
    test_ds = _open(key, data_dir, False, download)
    if progress:
        progress(0.6, f"Converting {spec.title} to tensors")
    x, y = _tensors(train_ds)
    x_test, y_test = _tensors(test_ds)
    tr, va, _ = split_indices(
        len(x), val_fraction=val_fraction, test_fraction=0.0, seed=seed, labels=y.numpy()
    )
    train, val = take(x, y, tr), take(x, y, va)
    del x  # the copies in train/val are all that is kept
    classes = list(getattr(train_ds, "classes", None) or [str(i) for i in range(int(y.max()) + 1)])
    mean, std = feature_stats(train.x, "image")
    if progress:
        progress(1.0, "Done")
    return DataSet(
        name=key,
        kind="image",
        sample_shape=tuple(train.x.shape[1:]),
        task="classification",
        num_classes=len(classes),
        class_names=[str(c) for c in classes],
        train=train,
        val=val,
        test=Split(x=x_test, y=y_test),
        mean=mean,
        std=std,
    )
