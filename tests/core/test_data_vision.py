"""torchvision sets offline: clear messages when missing, and conversion of what is there."""

from __future__ import annotations

import struct
import urllib.error
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import torch
import torchvision

from workbench.core.data import DataSourceError, load_source
from workbench.core.data import vision as vision_module


def write_mnist_raw(folder: Path, n_train: int, n_test: int) -> None:
    """Uncompressed MNIST-format files with the names torchvision's MNIST expects."""
    folder.mkdir(parents=True)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        images = np.random.default_rng(0).integers(0, 256, (n, 6, 5), dtype=np.uint8)
        header = struct.pack(">BBBBIII", 0, 0, 8, 3, n, 6, 5)
        (folder / f"{prefix}-images-idx3-ubyte").write_bytes(header + images.tobytes())
        labels = (np.arange(n) % 10).astype(np.uint8)
        header = struct.pack(">BBBBI", 0, 0, 8, 1, n)
        (folder / f"{prefix}-labels-idx1-ubyte").write_bytes(header + labels.tobytes())


def test_not_downloaded_names_the_folder(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError) as info:
        load_source("mnist", data_dir=tmp_path, download=False)
    message = str(info.value)
    assert message.startswith(
        "MNIST is not downloaded yet: press Download (or run with --download)"
    )
    assert str(tmp_path / "MNIST" / "raw") in message
    with pytest.raises(DataSourceError, match="CIFAR-10 is not downloaded yet") as info:
        load_source("cifar10", data_dir=tmp_path)
    assert str(tmp_path) in str(info.value)


def test_damaged_files_are_explained(tmp_path: Path) -> None:
    raw = tmp_path / "MNIST" / "raw"
    write_mnist_raw(raw, 4, 4)
    (raw / "t10k-images-idx3-ubyte").write_bytes(b"garbage!" * 3)
    with pytest.raises(DataSourceError, match="could not be read.*delete them and download again"):
        load_source("mnist", data_dir=tmp_path)


def test_download_failure_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def offline(self: object) -> None:
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(torchvision.datasets.MNIST, "download", offline)
    with pytest.raises(DataSourceError) as info:
        load_source("mnist", data_dir=tmp_path, download=True)
    message = str(info.value)
    assert message.startswith("Could not download MNIST (no network?)")
    assert "name resolution" in message and str(tmp_path / "MNIST" / "raw") in message


def test_mnist_files_placed_by_hand(tmp_path: Path) -> None:
    # torchvision's own MNIST reader, on tiny files written where the message says to put them.
    write_mnist_raw(tmp_path / "MNIST" / "raw", 40, 12)
    ds = load_source("mnist", data_dir=tmp_path, val_fraction=0.25)
    assert ds.sample_shape == (1, 6, 5) and ds.class_names[0] == "0 - zero"
    assert (len(ds.train), len(ds.val), len(ds.test)) == (30, 10, 12)
    assert ds.train.x.dtype == torch.float32 and float(ds.train.x.max()) <= 1.0


@pytest.mark.parametrize(
    "key, data, attr",
    [
        ("cifar10", np.full((20, 32, 32, 3), 255, dtype=np.uint8), "targets"),  # (N, H, W, C)
        ("svhn", np.full((20, 3, 32, 32), 255, dtype=np.uint8), "labels"),  # (N, C, H, W)
    ],
)
def test_colour_sets_converted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, data: np.ndarray, attr: str
) -> None:
    def construct(key_: str, root: Path, train: bool, download: bool) -> SimpleNamespace:
        labels = np.arange(len(data)) % 10
        return SimpleNamespace(
            data=data, **{attr: labels.tolist() if attr == "targets" else labels}
        )

    monkeypatch.setattr(vision_module, "_construct", construct)
    ds = load_source(key, data_dir=tmp_path, val_fraction=0.5)
    assert ds.sample_shape == (3, 32, 32) and ds.num_classes == 10
    assert (len(ds.train), len(ds.val), len(ds.test)) == (10, 10, 20)
    assert torch.equal(ds.test.x, torch.ones(20, 3, 32, 32))
