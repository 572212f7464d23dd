"""Bad data gives one clear message (DataSourceError / TrainingError), never a traceback or
a silently wrong data set: odd CSVs, overflowing IDX headers, mistyped data options,
negative labels, symlink loops, unreadable files (reported and recorded), empty labels."""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from test_engine_toys import fast, features_data, mlp

from workbench.cli import run
from workbench.core.data import DataSourceError, load_source
from workbench.core.engine import Trainer, TrainingError


def _csv(tmp_path: Path, text: str) -> str:
    path = tmp_path / "t.csv"
    path.write_text(text)
    return f"csv:{path}"


@pytest.mark.parametrize(("text", "words"), [
    (",,,,\n,,,,\n", "holds no values"),
    ("a,b,label\n1," + "x" * 200_000 + ",0\n2,3,1\n", "cannot be read as CSV"),
    ("a,b,label\n" + "".join(f"{i},{i},{'' if i == 3 else i % 2}\n" for i in range(20)),
     "Row 5 of t.csv has an empty label"),
])
def test_odd_csv_files_are_one_message(tmp_path, text, words):
    with pytest.raises(DataSourceError, match=words):
        load_source(_csv(tmp_path, text))


def _idx(folder: Path, dims: tuple[int, ...], payload: bytes, labels: bytes, code=0x08) -> None:
    folder.mkdir()
    (folder / "train-images-idx3-ubyte").write_bytes(
        struct.pack(">BBBB", 0, 0, 8, len(dims)) + struct.pack(f">{len(dims)}I", *dims) + payload)
    (folder / "train-labels-idx1-ubyte").write_bytes(
        struct.pack(">BBBBI", 0, 0, code, 1, len(labels)) + labels)


def test_idx_dimensions_whose_product_overflows(tmp_path):
    _idx(tmp_path / "i", (2**32 - 1,) * 3, bytes(100), b"\x00\x01")
    with pytest.raises(DataSourceError, match=f"{(2**32 - 1) ** 3:,} bytes"):
        load_source(f"idx:{tmp_path / 'i'}")


def test_negative_labels_are_one_message(tmp_path):
    _idx(tmp_path / "i", (4, 8, 8), bytes(256), np.array([0, -1, 1, 2], "i1").tobytes(), 0x09)
    with pytest.raises(DataSourceError, match="negative labels"):
        load_source(f"idx:{tmp_path / 'i'}")
    data = features_data()
    data.train.y[5] = -1  # any source: refused before training, not a traceback at step 1
    with pytest.raises(TrainingError, match="class label -1 in its training split"):
        Trainer(mlp(), data, fast())


def _images(folder: Path, n: int, value: int = 0) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        Image.fromarray(np.full((8, 8), value + 20 * i, np.uint8)).save(folder / f"{i}.png")


@pytest.mark.parametrize(("option", "words"), [
    ("image_size", "abc"), ("image_size", 1.5), ("image_size", -3)])
def test_mistyped_data_options(tmp_path, option, words):
    _images(tmp_path / "a", 3)
    _images(tmp_path / "b", 3)
    with pytest.raises(DataSourceError, match=f"Option {option}="):
        load_source(f"folder:{tmp_path}", **{option: words})


def test_mistyped_idx_sizes(tmp_path):
    _idx(tmp_path / "i", (4, 8, 8), bytes(256), bytes([0, 1, 0, 1]))
    for value in ("abc", 1.5, True):
        with pytest.raises(DataSourceError, match="must be a whole number"):
            load_source(f"idx:{tmp_path / 'i'}", train_size=value)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_a_symlink_loop_does_not_duplicate_images(tmp_path):
    _images(tmp_path / "a", 5)
    _images(tmp_path / "b", 5, 100)
    os.symlink(tmp_path / "a", tmp_path / "a" / "loop")  # a/loop -> a
    os.symlink(tmp_path / "a" / "0.png", tmp_path / "b" / "same.png")  # one file, two names
    data = load_source(f"folder:{tmp_path}", val_fraction=0.2, test_fraction=0.2)
    assert sum(len(s) for s in data.splits.values()) == 10


def test_unreadable_files_are_printed_and_recorded(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    for c, v in (("a", 0), ("b", 120)):
        _images(tmp_path / "d" / c, 6, v)
    (tmp_path / "d" / "a" / "broken.png").write_bytes(b"not a png")
    spec = tmp_path / "s.json"
    spec.write_text(json.dumps({"format_version": 2, "name": "s", "nodes": [
        {"name": "input", "kind": "ImageInput", "params": {"channels": 1, "height": 8, "width": 8}},
        {"name": "flat", "kind": "Flatten", "params": {}},
        {"name": "head", "kind": "ClassificationHead", "params": {"classes": 2}}],
        "edges": [{"src": "input", "dst": "flat"}, {"src": "flat", "dst": "head"}]}))
    assert run(["train", str(spec), "--data", f"folder:{tmp_path / 'd'}", "--epochs", "1",
                "--device", "cpu", "--json"]) == 0
    out, err = capsys.readouterr()
    assert "Skipped 1 unreadable files: a/broken.png" in err
    meta = json.loads((Path(json.loads(out)["run_dir"]) / "data.json").read_text())
    assert meta["skipped"] == 1 and "broken.png" in meta["notes"][0]


def test_seeds_out_of_range_are_refused(capsys):
    for seed in ("-1", str(2**64)):
        assert run(["train", "mlp", "--data", "digits", "--seed", seed]) == 2
        assert "seed must be between 0 and 2^64 - 1" in capsys.readouterr().err


def test_an_exploding_loss_stops_the_run_naming_the_learning_rate(tmp_path):
    """A finite loss 10^4 times its first value has diverged as surely as a NaN one."""
    ended = Trainer(mlp(dropout=0), features_data(), fast(epochs=3, lr=1e6),  # Adam
                    run_dir=tmp_path).fit()
    assert ended.status == "failed", ended
    assert "The loss exploded to" in ended.reason
    assert "diverged at learning rate 1e+06; lower the learning rate" in ended.reason
