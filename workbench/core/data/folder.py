"""``folder:DIR``: images in one subfolder per class, or train/ and test/ (and val/) folders."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch.utils.data import Dataset

from workbench.core.data.dataset import DataSet, Split
from workbench.core.data.errors import DataSourceError
from workbench.core.data.images import READ_ERRORS, image_to_array, is_grey, load_image
from workbench.core.data.splits import feature_stats, split_indices
from workbench.core.files import is_regular_file

Sample = tuple[str, int]
Progress = Callable[[float, str], None] | None

_SPLIT_DIRS = {
    "train": ("train", "training"),
    "val": ("val", "valid", "validation"),
    "test": ("test", "testing"),
}
_STATS_SAMPLES = 2000  # streamed sets: normalization stats from this many training images


class ImageFileDataset(Dataset):
    """Streams image files as ((C, H, W) float in [0, 1], int64 label).

    A file that fails to decode here (it passed the header check while loading) yields a
    black image rather than stopping a training run hours in.
    """

    def __init__(self, samples: Sequence[Sample], channels: int, size_hw: tuple[int, int]):
        self.samples = list(samples)
        self.targets = [label for _, label in self.samples]
        self.channels, self.size_hw = channels, size_hw

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        path, label = self.samples[i]
        try:
            arr = image_to_array(load_image(path), self.channels, self.size_hw)
        except READ_ERRORS:
            arr = np.zeros((*self.size_hw, self.channels), dtype=np.uint8)
        x = torch.from_numpy(arr.copy()).permute(2, 0, 1).float().div_(255.0)
        return x, torch.tensor(label, dtype=torch.int64)


def _subdir(folder: Path, names: Sequence[str]) -> Path | None:
    for child in folder.iterdir():
        if child.is_dir() and child.name.lower() in names:
            return child
    return None


# torchvision is imported where used: importing it takes seconds, and most sources never need it.
def _samples(folder: Path, class_to_idx: dict[str, int]) -> list[Sample]:
    """(path, label) of every image, in torchvision's order (sorted classes, sorted walk),
    without following links to folders (a link loop would list its images again and again,
    across the splits) and each file once, however many links lead to it. Only regular
    files: a FIFO named like an image would block the scan."""
    from torchvision.datasets.folder import IMG_EXTENSIONS

    out: list[Sample] = []
    seen: set[str] = set()
    for cls in sorted(class_to_idx):
        for root, _, names in sorted(os.walk(folder / cls, followlinks=False)):
            for name in sorted(names):
                path = os.path.join(root, name)
                if not name.lower().endswith(IMG_EXTENSIONS) or not is_regular_file(path):
                    continue
                real = os.path.realpath(path)
                if real not in seen:
                    seen.add(real)
                    out.append((path, class_to_idx[cls]))
    return out


def _classes(folder: Path) -> list[str]:
    from torchvision.datasets.folder import find_classes

    try:
        classes, _ = find_classes(str(folder))
    except FileNotFoundError as exc:
        raise DataSourceError(
            f"No class folders found in {folder}: make one subfolder per class "
            "(e.g. cat/ and dog/ holding images), or train/ and test/ folders holding them."
        ) from exc
    return classes


def _scan_headers(
    samples: list[Sample], progress: Progress
) -> tuple[list[Sample], list[str], list]:
    """Open every file's header: (readable samples, unreadable paths, (mode, size) per sample)."""
    ok, bad, info = [], [], []
    for i, (path, label) in enumerate(samples):
        try:
            with Image.open(path) as img:
                info.append((img.mode, img.size))
            ok.append((path, label))
        except READ_ERRORS:
            bad.append(path)
        if progress and i % 200 == 0:
            progress(0.3 * i / max(1, len(samples)), f"Scanning images ({i:,}/{len(samples):,})")
    return ok, bad, info


def _materialize(
    samples: list[Sample],
    channels: int,
    size_hw: tuple[int, int],
    bad: list[str],
    progress: Progress,
    done: int,
    total: int,
) -> Split:
    """Decode a split into memory; files that fail to decode are appended to ``bad``."""
    arr = np.empty((len(samples), *size_hw, channels), dtype=np.uint8)
    keep = np.ones(len(samples), dtype=bool)
    for i, (path, _) in enumerate(samples):
        try:
            arr[i] = image_to_array(load_image(path), channels, size_hw)
        except READ_ERRORS:
            keep[i] = False
            bad.append(path)
        if progress and (done + i) % 200 == 0:
            progress(
                0.3 + 0.7 * (done + i) / max(1, total), f"Loading images ({done + i:,}/{total:,})"
            )
    labels = np.array([label for _, label in samples], dtype=np.int64)[keep]
    x = torch.from_numpy(arr[keep]).permute(0, 3, 1, 2).float().div_(255.0).contiguous()
    return Split(x=x, y=torch.from_numpy(labels))


def _sample_stats(ds: ImageFileDataset, seed: int) -> tuple:
    rng = np.random.default_rng(seed)
    pick = rng.permutation(len(ds))[:_STATS_SAMPLES]
    x = torch.stack([ds[int(i)][0] for i in pick])
    return feature_stats(x, "image")


def _size_option(image_size: int | Sequence[int] | None, info: list) -> tuple[int, int]:
    if image_size is None:
        (w, h), _ = Counter(size for _, size in info).most_common(1)[0]
        return h, w
    if isinstance(image_size, int):
        return image_size, image_size
    h, w = image_size
    return int(h), int(w)


def load_folder(
    folder: Path,
    *,
    seed: int,
    val_fraction: float,
    test_fraction: float,
    progress: Progress = None,
    image_size: int | Sequence[int] | None = None,
    max_resident_bytes: int = 2 << 30,
) -> DataSet:
    """Images read with PIL into a common mode (L if every file is grey, else RGB) and size
    (``image_size`` or the most common size). Unreadable files are skipped and counted.

    Class subfolders only: seeded stratified train/val/test split by the fractions.
    train/ + test/ (+ val/): used as given; without val/, ``val_fraction`` of train becomes
    validation; without test/, ``test_fraction`` of train becomes test.
    Held in memory when it fits in ``max_resident_bytes`` as float32, else streamed from disk.
    """
    if not folder.is_dir():
        raise DataSourceError(
            f"The folder {folder} does not exist: choose a folder with one subfolder per class."
        )
    dirs = {k: _subdir(folder, names) for k, names in _SPLIT_DIRS.items()}
    groups: dict[str, list[Sample]] = {}
    if dirs["train"] is not None:
        classes = _classes(dirs["train"])
        class_to_idx = {c: i for i, c in enumerate(classes)}
        for key, path in dirs.items():
            if path is None:
                continue
            extra = sorted(set(_classes(path)) - set(classes)) if key != "train" else []
            if extra:
                raise DataSourceError(
                    f"{path} has class folders that train/ lacks ({', '.join(extra)}): "
                    "every split must use the classes of train/."
                )
            groups[key] = _samples(path, class_to_idx)
    else:
        classes = _classes(folder)
        class_to_idx = {c: i for i, c in enumerate(classes)}
        groups["all"] = _samples(folder, class_to_idx)
    if len(classes) < 2:
        raise DataSourceError(
            f"Only one class folder ({classes[0]}) in {folder}: classification needs at least two."
        )
    total = sum(len(s) for s in groups.values())
    if total == 0:
        raise DataSourceError(
            f"No images (PNG, JPEG, BMP, ...) found in the class folders of {folder}."
        )

    bad: list[str] = []
    info: list = []
    for key in groups:
        groups[key], bad_here, info_here = _scan_headers(groups[key], progress)
        bad += bad_here
        info += info_here
    if not info:
        raise DataSourceError(f"None of the {total:,} images in {folder} could be read.")
    channels = 1 if all(is_grey(mode) for mode, _ in info) else 3
    size_hw = _size_option(image_size, info)

    # Assign samples to splits before decoding, so streaming and in-memory split alike.
    split_samples: dict[str, list[Sample]] = {}
    source = groups.get("all", groups.get("train", []))
    val_f = val_fraction if "val" not in groups else 0.0
    test_f = test_fraction if "test" not in groups else 0.0
    if val_f or test_f:
        labels = np.array([label for _, label in source], dtype=np.int64)
        tr, va, te = split_indices(
            len(source), val_fraction=val_f, test_fraction=test_f, seed=seed, labels=labels
        )
        split_samples = {
            k: [source[i] for i in idx]
            for k, idx in zip(("train", "val", "test"), (tr, va, te), strict=True)
        }
    else:
        split_samples = {"train": list(source), "val": [], "test": []}
    for key in ("val", "test"):
        if key in groups:
            split_samples[key] = groups[key]

    n = sum(len(s) for s in split_samples.values())
    resident = n * channels * size_hw[0] * size_hw[1] * 4 <= max_resident_bytes
    splits: dict[str, Split] = {}
    done = 0
    for key in ("train", "val", "test"):
        samples = split_samples[key]
        if resident:
            splits[key] = _materialize(samples, channels, size_hw, bad, progress, done, n)
        else:
            splits[key] = Split(
                x=None, y=None, dataset=ImageFileDataset(samples, channels, size_hw)
            )
        done += len(samples)
    if len(splits["train"]) == 0:
        raise DataSourceError(f"None of the training images in {folder} could be read.")

    notes: list[str] = []
    if resident:
        mean, std = feature_stats(splits["train"].x, "image")
    else:
        mean, std = _sample_stats(splits["train"].dataset, seed)  # type: ignore[arg-type]
        notes.append(f"Too large to hold in memory: streamed from disk ({n:,} images).")
    if bad:
        names = [str(Path(p).relative_to(folder)) for p in bad]
        more = f", and {len(names) - 5} more" if len(names) > 5 else ""
        notes.append(f"Skipped {len(bad)} unreadable files: {', '.join(names[:5])}{more}.")
    if progress:
        progress(1.0, "Done")
    return DataSet(
        name=f"folder:{folder}",
        kind="image",
        sample_shape=(channels, *size_hw),
        task="classification",
        num_classes=len(classes),
        class_names=list(classes),
        train=splits["train"],
        val=splits["val"],
        test=splits["test"],
        mean=mean,
        std=std,
        skipped=len(bad),
        notes=notes,
    )
