"""IDX files (the MNIST format), gzipped or raw, and the ``idx:DIR`` source built on them."""

from __future__ import annotations

import gzip
import math
import re
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from workbench.core.data.dataset import DataSet, Split
from workbench.core.data.errors import DataSourceError
from workbench.core.data.splits import feature_stats, sized_split_indices, split_indices, take

# IDX type code -> big-endian numpy dtype.
_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def _read_bytes(path: Path) -> bytes:
    raw = path.read_bytes()
    if raw[:2] != b"\x1f\x8b":  # gzip by content, not by name
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        raise DataSourceError(
            f"The IDX file {path} is a damaged gzip file ({exc}): download it again."
        ) from exc


def read_idx(path: str | Path) -> np.ndarray:
    """The array stored in an IDX file, in native byte order.

    Checks the magic number (two zero bytes, a type code, a dimension count), the dimensions,
    and that the payload is exactly as long as the dimensions say; raises DataSourceError.
    """
    path = Path(path)
    data = _read_bytes(path)
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise DataSourceError(f"{path} is not an IDX file (its magic number is wrong).")
    code, ndim = data[2], data[3]
    if code not in _DTYPES:
        raise DataSourceError(f"{path} is not an IDX file (unknown data type code 0x{code:02x}).")
    if ndim == 0:
        raise DataSourceError(f"{path} is not an IDX file (it declares no dimensions).")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DataSourceError(f"The IDX file {path} is truncated (its header is incomplete).")
    dims = tuple(int(d) for d in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    dtype = _DTYPES[code]
    expected = math.prod(dims) * dtype.itemsize  # exact: numpy's int64 product can wrap
    found = len(data) - header
    if found != expected:
        what = "truncated" if found < expected else "longer than its header says"
        raise DataSourceError(
            f"The IDX file {path} is {what}: dimensions {'x'.join(map(str, dims))} need "
            f"{expected:,} bytes of data but it holds {found:,}; download it again."
        )
    arr = np.frombuffer(data, dtype=dtype, offset=header).reshape(dims)
    return arr.astype(dtype.newbyteorder("="))


def _role(name: str) -> tuple[str | None, str | None]:
    """(split, part) guessed from a file name, e.g. ('test', 'images') for t10k-images-idx3."""
    low = name.lower()
    part = None
    if re.search(r"images|idx3", low):
        part = "images"
    elif re.search(r"labels|idx1", low):
        part = "labels"
    split = "train" if "train" in low else "test" if ("t10k" in low or "test" in low) else None
    return split, part


def find_idx_pairs(folder: Path) -> dict[str, tuple[Path, Path]]:
    """Image/label file pairs by split ('train', 'test', or 'all' when names say neither)."""
    found: dict[tuple[str, str], Path] = {}
    # Sorted so a raw file ("x") wins over its gzipped twin ("x.gz") deterministically.
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        split, part = _role(path.name)
        if part is None:
            continue
        found.setdefault((split or "all", part), path)
    pairs = {}
    for split in ("train", "test", "all"):
        if (split, "images") in found and (split, "labels") in found:
            pairs[split] = (found[(split, "images")], found[(split, "labels")])
    return pairs


def _images_labels(images_path: Path, labels_path: Path) -> tuple[torch.Tensor, torch.Tensor]:
    images, labels = read_idx(images_path), read_idx(labels_path)
    if images.ndim == 3:
        images = images[:, None]
    elif images.ndim == 4 and images.shape[-1] in (1, 3):
        images = images.transpose(0, 3, 1, 2)  # (N, H, W, C) -> (N, C, H, W)
    else:
        raise DataSourceError(f"{images_path} holds shape {images.shape}, not a stack of images.")
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise DataSourceError(f"{labels_path} holds shape {labels.shape}, not integer labels.")
    if labels.size and labels.min() < 0:
        raise DataSourceError(f"{labels_path} holds negative labels ({int(labels.min())}): "
                              "class labels must be 0 or more.")
    if len(labels) != len(images):
        raise DataSourceError(
            f"{images_path.name} has {len(images):,} images but {labels_path.name} has "
            f"{len(labels):,} labels: they must come from the same set."
        )
    if images.dtype == np.uint8:
        x = torch.from_numpy(images.copy()).float().div_(255.0)
    else:  # other integer or float payloads: scale into [0, 1] by the largest value
        x = torch.from_numpy(images.astype(np.float32))
        peak = float(x.max()) if x.numel() else 0.0
        if peak > 1.0:
            x /= peak
    return x.contiguous(), torch.from_numpy(labels.astype(np.int64))


def load_idx(
    folder: Path,
    *,
    seed: int,
    val_fraction: float,
    test_fraction: float,
    progress: Callable[[float, str], None] | None = None,
    train_size: int | None = None,
    val_size: int | None = None,
) -> DataSet:
    """A folder of IDX image/label pairs.

    With a train pair and a test pair, the official test set is kept and validation is carved
    from train (``val_fraction`` of train, or ``val_size`` samples; ``train_size`` caps train).
    With a single pair (e.g. only MNIST's t10k files), train/val/test are carved from it: by
    fractions, or with ``train_size``/``val_size`` giving train and val exactly and test the
    rest; when nothing is left, the test split is the validation split (noted in ``notes``).
    """
    if not folder.is_dir():
        raise DataSourceError(f"The folder {folder} does not exist: choose a folder of IDX files.")
    pairs = find_idx_pairs(folder)
    if not pairs:
        raise DataSourceError(
            f"No IDX image/label pair found in {folder}: expected files such as "
            "train-images-idx3-ubyte(.gz) and train-labels-idx1-ubyte(.gz)."
        )
    notes: list[str] = []
    if progress:
        progress(0.1, "Reading IDX files")
    sized = train_size is not None or val_size is not None
    if "train" in pairs and "test" in pairs:
        x, y = _images_labels(*pairs["train"])
        x_test, y_test = _images_labels(*pairs["test"])
        if sized:
            n_val = val_size if val_size is not None else int(round(len(x) * val_fraction))
            n_train = train_size if train_size is not None else len(x) - n_val
            tr, va, _ = sized_split_indices(len(x), train_size=n_train, val_size=n_val, seed=seed)
        else:
            tr, va, _ = split_indices(
                len(x), val_fraction=val_fraction, test_fraction=0.0, seed=seed, labels=y.numpy()
            )
        train, val, test = take(x, y, tr), take(x, y, va), Split(x=x_test, y=y_test)
    else:
        key = next(iter(pairs))
        x, y = _images_labels(*pairs[key])
        notes.append(
            f"Train, validation and test splits carved (seed {seed}) from {pairs[key][0].name}."
        )
        if sized:
            n_val = val_size if val_size is not None else int(round(len(x) * val_fraction))
            n_train = (
                train_size
                if train_size is not None
                else len(x) - n_val - int(round(len(x) * test_fraction))
            )
            tr, va, te = sized_split_indices(len(x), train_size=n_train, val_size=n_val, seed=seed)
            if len(te) == 0:
                te = va
                notes.append(
                    "Nothing left for a test split: the test split is the validation split."
                )
        else:
            tr, va, te = split_indices(
                len(x),
                val_fraction=val_fraction,
                test_fraction=test_fraction,
                seed=seed,
                labels=y.numpy(),
            )
        train, val, test = take(x, y, tr), take(x, y, va), take(x, y, te)
    num_classes = int(max(int(train.y.max()), int(test.y.max()) if len(test) else 0)) + 1
    mean, std = feature_stats(train.x, "image")
    if progress:
        progress(1.0, "Done")
    return DataSet(
        name=f"idx:{folder}",
        kind="image",
        sample_shape=tuple(train.x.shape[1:]),
        task="classification",
        num_classes=num_classes,
        class_names=[str(i) for i in range(num_classes)],
        train=train,
        val=val,
        test=test,
        mean=mean,
        std=std,
        notes=notes,
    )
