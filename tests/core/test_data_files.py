"""Sources read from user files: IDX folders (incl. the real MNIST test set) and image folders."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from workbench.core.data import DataSourceError, load_source, read_idx

MNIST_TEST = Path(__file__).resolve().parents[2].parent / "shared" / "datasets" / "mnist-test"


def write_idx(path: Path, arr: np.ndarray, *, gz: bool = False) -> Path:
    code = {np.uint8: 0x08, np.int32: 0x0C, np.float32: 0x0D}[arr.dtype.type]
    header = struct.pack(">BBBB", 0, 0, code, arr.ndim) + struct.pack(f">{arr.ndim}I", *arr.shape)
    data = header + arr.astype(arr.dtype.newbyteorder(">")).tobytes()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def fake_mnist(folder: Path, n_train: int, n_test: int, *, gz: bool) -> None:
    rng = np.random.default_rng(0)
    folder.mkdir(parents=True, exist_ok=True)
    ext = ".gz" if gz else ""
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        if n:
            images = rng.integers(0, 256, size=(n, 6, 5), dtype=np.uint8)
            labels = (np.arange(n) % 3).astype(np.uint8)
            write_idx(folder / f"{prefix}-images-idx3-ubyte{ext}", images, gz=gz)
            write_idx(folder / f"{prefix}-labels-idx1-ubyte{ext}", labels, gz=gz)


# --- IDX ----------------------------------------------------------------------------------


@pytest.mark.parametrize("gz", [False, True])
def test_read_idx_roundtrip(tmp_path: Path, gz: bool) -> None:
    arr = np.arange(24, dtype=np.int32).reshape(2, 3, 4) - 5
    out = read_idx(write_idx(tmp_path / "a.idx", arr, gz=gz))
    assert out.dtype == np.int32 and np.array_equal(out, arr)
    f = np.linspace(0, 1, 6, dtype=np.float32)
    assert np.array_equal(read_idx(write_idx(tmp_path / "f.idx", f, gz=gz)), f)


def test_read_idx_rejects_corrupt_files(tmp_path: Path) -> None:
    good = write_idx(tmp_path / "good", np.zeros((4, 3, 3), dtype=np.uint8))
    truncated = tmp_path / "truncated"
    truncated.write_bytes(good.read_bytes()[:-5])
    with pytest.raises(DataSourceError, match="truncated.*36 bytes.*31"):
        read_idx(truncated)
    (tmp_path / "magic").write_bytes(b"\x01\x02\x08\x01" + bytes(8))
    with pytest.raises(DataSourceError, match="magic number"):
        read_idx(tmp_path / "magic")
    (tmp_path / "code").write_bytes(b"\x00\x00\x07\x01" + struct.pack(">I", 1) + b"\x00")
    with pytest.raises(DataSourceError, match="data type code"):
        read_idx(tmp_path / "code")
    (tmp_path / "bad.gz").write_bytes(gzip.compress(good.read_bytes())[:-10])
    with pytest.raises(DataSourceError, match="damaged gzip"):
        read_idx(tmp_path / "bad.gz")


@pytest.mark.parametrize("gz", [False, True])
def test_idx_folder_train_and_test(tmp_path: Path, gz: bool) -> None:
    fake_mnist(tmp_path, 50, 20, gz=gz)
    ds = load_source(f"idx:{tmp_path}", val_fraction=0.2)
    assert ds.sample_shape == (1, 6, 5) and ds.num_classes == 3
    assert (len(ds.train), len(ds.val), len(ds.test)) == (40, 10, 20)  # official test kept
    assert ds.train.x.dtype == torch.float32 and float(ds.train.x.max()) <= 1.0


def test_idx_folder_corrupt_file(tmp_path: Path) -> None:
    fake_mnist(tmp_path, 0, 20, gz=False)
    images = tmp_path / "t10k-images-idx3-ubyte"
    images.write_bytes(images.read_bytes()[:-7])
    with pytest.raises(DataSourceError, match="t10k-images-idx3-ubyte is truncated"):
        load_source(f"idx:{tmp_path}")


def test_idx_folder_errors(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="does not exist"):
        load_source(f"idx:{tmp_path / 'missing'}")
    with pytest.raises(DataSourceError, match="No IDX image/label pair"):
        load_source(f"idx:{tmp_path}")


@pytest.mark.skipif(
    not MNIST_TEST.is_dir(), reason=f"real MNIST test set not present at {MNIST_TEST}"
)
def test_idx_real_mnist_test_set() -> None:
    images = read_idx(MNIST_TEST / "t10k-images-idx3-ubyte.gz")
    labels = read_idx(MNIST_TEST / "t10k-labels-idx1-ubyte.gz")
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert np.bincount(labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]

    ds = load_source(f"idx:{MNIST_TEST}", seed=0, train_size=8000, val_size=2000)
    assert ds.sample_shape == (1, 28, 28) and ds.num_classes == 10
    assert (len(ds.train), len(ds.val)) == (8000, 2000)
    assert torch.equal(ds.test.y, ds.val.y) and any(
        "test split is the validation" in n for n in ds.notes
    )
    counts = ds.summary()["class_counts"]
    total = [a + b for a, b in zip(counts["train"], counts["val"], strict=True)]
    assert total == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    again = load_source(f"idx:{MNIST_TEST}", seed=0, train_size=8000, val_size=2000)
    assert torch.equal(again.train.y, ds.train.y)
    by_fraction = load_source(f"idx:{MNIST_TEST}")
    assert (len(by_fraction.train), len(by_fraction.val), len(by_fraction.test)) == (
        8000,
        1000,
        1000,
    )


# --- image folders ------------------------------------------------------------------------


def _png(path: Path, colour: tuple[int, int, int] | int, size: tuple[int, int] = (12, 10)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "L" if isinstance(colour, int) else "RGB"
    Image.new(mode, size, colour).save(path)


def test_folder_of_class_subfolders(tmp_path: Path) -> None:
    for i in range(10):
        _png(tmp_path / "cat" / f"{i}.png", 200)
        _png(tmp_path / "dog" / f"{i}.jpg" if i % 2 else tmp_path / "dog" / f"{i}.bmp", 20)
    _png(tmp_path / "dog" / "odd-size.png", 20, size=(30, 30))  # resized to the common size
    (tmp_path / "cat" / "broken.png").write_bytes(b"this is not a png")
    good = tmp_path / "cat" / "0.png"
    (tmp_path / "cat" / "truncated.png").write_bytes(good.read_bytes()[:40])
    (tmp_path / "cat" / "notes.txt").write_text("ignored: not an image")

    ds = load_source(f"folder:{tmp_path}", val_fraction=0.2, test_fraction=0.2)
    assert ds.class_names == ["cat", "dog"] and ds.sample_shape == (1, 10, 12)  # all grey -> L
    assert len(ds.train) + len(ds.val) + len(ds.test) == 21
    assert ds.skipped == 2 and any("broken.png" in n and "truncated.png" in n for n in ds.notes)
    x = torch.cat([ds.train.x, ds.val.x, ds.test.x])
    y = torch.cat([ds.train.y, ds.val.y, ds.test.y])
    assert torch.allclose(x[y == 0], torch.full_like(x[y == 0], 200 / 255))
    assert ds.summary()["skipped"] == 2


def test_folder_train_test_layout_colour(tmp_path: Path) -> None:
    for split, n in (("train", 8), ("test", 3)):
        for cls, colour in (("red", (255, 0, 0)), ("blue", (0, 0, 255))):
            for i in range(n):
                _png(tmp_path / split / cls / f"{i}.png", colour)
    _png(tmp_path / "train" / "red" / "grey.png", 128)  # one grey file among colour ones

    ds = load_source(f"folder:{tmp_path}", val_fraction=0.25, image_size=8)
    assert ds.sample_shape == (3, 8, 8) and ds.class_names == ["blue", "red"]
    assert (len(ds.train), len(ds.val), len(ds.test)) == (13, 4, 6)
    assert ds.mean is not None and len(ds.mean) == 3
    blue = ds.test.x[ds.test.y == 0]
    assert torch.allclose(blue[:, 2], torch.ones_like(blue[:, 2]))


def test_folder_val_dir_and_streaming(tmp_path: Path) -> None:
    for split in ("train", "val", "test"):
        for cls in ("a", "b"):
            for i in range(3):
                _png(tmp_path / split / cls / f"{i}.png", 100 if cls == "a" else 50)
    ds = load_source(f"folder:{tmp_path}", max_resident_bytes=100)
    assert (len(ds.train), len(ds.val), len(ds.test)) == (6, 6, 6)
    assert ds.train.x is None and ds.train.dataset is not None
    x, y = ds.train.dataset[0]
    assert x.shape == (1, 10, 12) and y.dtype == torch.int64
    assert ds.summary()["class_counts"]["val"] == [3, 3]


def test_folder_errors(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="does not exist"):
        load_source(f"folder:{tmp_path / 'nowhere'}")
    with pytest.raises(DataSourceError, match="No class folders"):
        load_source(f"folder:{tmp_path}")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with pytest.raises(DataSourceError, match="No images"):
        load_source(f"folder:{tmp_path}")
    _png(tmp_path / "train" / "only" / "0.png", 1)
    with pytest.raises(DataSourceError, match="at least two"):
        load_source(f"folder:{tmp_path}")
