"""Built-in data sets, splits, normalization, sequence tasks and the source registry."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from workbench.core.data import SOURCES, DataSet, DataSourceError, default_data_dir, load_source


@pytest.fixture(scope="module")
def digits() -> DataSet:
    return load_source("digits", seed=0)


def test_digits_shapes_and_splits(digits: DataSet) -> None:
    assert digits.kind == "image" and digits.task == "classification"
    assert digits.sample_shape == (1, 8, 8)
    assert digits.num_classes == 10 and digits.class_names == [str(i) for i in range(10)]
    sizes = [len(digits.train), len(digits.val), len(digits.test)]
    assert sum(sizes) == 1797 and sizes == [1437, 180, 180]
    x = digits.train.x
    assert x.dtype == torch.float32 and x.shape[1:] == (1, 8, 8)
    assert 0.0 <= float(x.min()) and float(x.max()) <= 1.0
    assert digits.train.y.dtype == torch.int64
    # Stratified: every class appears in every split.
    counts = digits.summary()["class_counts"]
    assert all(min(c) >= 15 for c in (counts["val"], counts["test"]))


def test_digits_seeded_split(digits: DataSet) -> None:
    same = load_source("digits", seed=0)
    other = load_source("digits", seed=1)
    assert torch.equal(same.train.x, digits.train.x) and torch.equal(same.test.y, digits.test.y)
    assert not torch.equal(other.train.x, digits.train.x)


def test_split_fractions_and_errors() -> None:
    ds = load_source("digits", val_fraction=0.2, test_fraction=0.0)
    assert len(ds.test) == 0 and len(ds.val) == round(1797 * 0.2)
    with pytest.raises(DataSourceError, match="add up to 1"):
        load_source("digits", val_fraction=0.5, test_fraction=0.5)


def test_digits28() -> None:
    ds = load_source("digits28")
    assert ds.sample_shape == (1, 28, 28) and ds.train.x.shape[1:] == (1, 28, 28)
    assert ds.name == "digits28" and float(ds.train.x.max()) <= 1.0


def test_normalization_stats_from_train_only(digits: DataSet) -> None:
    train = digits.train.x
    assert digits.mean == pytest.approx((float(train.mean()),), rel=1e-4)
    assert digits.std == pytest.approx((float(train.std(correction=0)),), rel=1e-4)
    everything = torch.cat([train, digits.val.x, digits.test.x])
    assert digits.mean[0] != pytest.approx(float(everything.mean()), rel=1e-6)
    z = digits.normalize(train)
    assert float(z.mean()) == pytest.approx(0.0, abs=1e-4)
    assert float(z.std(correction=0)) == pytest.approx(1.0, abs=1e-3)
    assert torch.equal(digits.train.x, train)  # stored tensors are never normalized
    assert digits.normalize(train[0]).shape == (1, 8, 8)  # a single sample works too


def test_summary_is_json(digits: DataSet) -> None:
    summary = json.loads(json.dumps(digits.summary()))
    assert summary["sizes"] == {"train": 1437, "val": 180, "test": 180}
    assert sum(summary["class_counts"]["train"]) == 1437
    assert json.dumps(digits.preprocessing())


def test_encode_image(digits: DataSet, tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (40, 30), (255, 255, 255)).save(tmp_path / "seven.png")
    x = digits.encode_image(str(tmp_path / "seven.png"))
    assert x.shape == (1, 8, 8) and torch.allclose(x, torch.ones_like(x))
    with pytest.raises(DataSourceError, match="does not take text"):
        digits.encode_text("hello")


def test_seq_parity() -> None:
    ds = load_source("seq:parity", n=500, seed=3)
    assert ds.kind == "tokens" and ds.sample_shape == (16,) and ds.num_classes == 2
    x, y = ds.train.x, ds.train.y
    assert x.dtype == torch.int64 and set(x.unique().tolist()) <= {2, 3}
    assert torch.equal(y, (x - 2).sum(1) % 2)
    assert ds.encode_text("0110").tolist()[:5] == [2, 3, 3, 2, 0]
    assert torch.equal(load_source("seq:parity", n=500, seed=3).train.x, x)


@pytest.mark.parametrize("name, shape", [("seq:trend", (32, 2)), ("seq:sum-sign", (20, 1))])
def test_seq_vector_sequences(name: str, shape: tuple[int, int]) -> None:
    ds = load_source(name, n=300)
    assert ds.kind == "features" and ds.sample_shape == shape
    assert ds.train.x.shape[1:] == shape and ds.train.x.dtype == torch.float32
    assert ds.mean is not None and len(ds.mean) == shape[1]
    assert ds.normalize(ds.train.x).shape == ds.train.x.shape


@pytest.mark.parametrize("name", ["seq:copy", "seq:reverse"])
def test_seq_next_token(name: str) -> None:
    ds = load_source(name, n=200)
    assert ds.task == "next_token" and ds.num_classes == len(ds.vocab)
    x, y = ds.train.x, ds.train.y
    assert x.shape == y.shape == (len(ds.train), 16)
    sep = ds.vocab.index("|")
    assert (x[:, 8] == sep).all() and (y[:, 7] == sep).all()
    first = x[:, :8]
    expected = first if name == "seq:copy" else first.flip(1)
    assert torch.equal(y[:, 8:], expected)
    assert (y[:, :7] == 0).all()  # unpredictable targets are <pad>


def test_unknown_sources_and_options() -> None:
    with pytest.raises(DataSourceError, match="digits") as info:
        load_source("nope")
    assert "folder:PATH" in str(info.value) and "seq:parity" in str(info.value)
    with pytest.raises(DataSourceError, match="seq:parity"):
        load_source("seq:nope")
    with pytest.raises(DataSourceError, match="needs a path"):
        load_source("csv")
    with pytest.raises(DataSourceError, match="does not apply"):
        load_source("digits", label_column="x")
    assert isinstance(DataSourceError("x"), ValueError)


def test_registry() -> None:
    for key in (
        "digits",
        "digits28",
        "mnist",
        "cifar10",
        "svhn",
        "idx",
        "folder",
        "csv",
        "textcsv",
        "text",
    ):
        assert key in SOURCES
    assert SOURCES["mnist"].downloadable and not SOURCES["digits"].downloadable
    assert SOURCES["folder"].needs_path and SOURCES["seq:parity"].kind == "tokens"


def test_default_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path))
    assert default_data_dir() == tmp_path
    monkeypatch.delenv("WORKBENCH_DATA_DIR")
    assert default_data_dir().name == "datasets"


def test_progress_is_reported() -> None:
    seen: list[tuple[float, str]] = []
    load_source("seq:parity", n=100, progress=lambda f, m: seen.append((f, m)))
    assert seen and seen[-1][0] == 1.0


@pytest.mark.parametrize("task", ["seq:copy", "seq:reverse", "seq:parity"])
def test_generated_token_ids_fit_the_vocabulary(task):
    from workbench.core.data import load_source

    ds = load_source(task, n=200)
    for split in (ds.train, ds.val, ds.test):
        assert int(split.x.max()) < len(ds.vocab)
        if ds.task == "next_token":
            assert int(split.y.max()) < len(ds.vocab)


def test_builtin_digits_read_without_sklearn_equal_sklearns_own() -> None:
    from sklearn.datasets import load_digits as sk_load_digits

    from workbench.core.data.builtin import digits_arrays

    images, labels = digits_arrays()
    bunch = sk_load_digits()
    assert images.shape == (1797, 8, 8) and np.array_equal(images, bunch.images)
    assert np.array_equal(labels, bunch.target)


def test_loading_the_builtin_digits_does_not_import_sklearn() -> None:
    import subprocess
    import sys

    code = ("import sys; from workbench.core.data import load_source; "
            "d = load_source('digits28', seed=0); "
            "assert 'sklearn' not in sys.modules, 'imported sklearn'; print(len(d.train))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
