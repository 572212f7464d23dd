"""The plain PyTorch project: model.py reads like hand-written code, train.py's data loaders
give exactly Workbench's splits, and train.py runs on two processes under torchrun (gloo)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from safetensors.torch import load_file
from torch.utils.data import Dataset, Subset, TensorDataset

from workbench.core.data import load_source
from workbench.core.data.meta import DataMeta
from workbench.core.engine.config import TrainingConfig
from workbench.core.export import export_model
from workbench.core.export.codegen import class_name, model_source
from workbench.core.export.project import data_plan, import_model_module, loader_source
from workbench.core.graph import build_model
from workbench.core.templates import load_template

MNIST_TEST = Path(__file__).resolve().parents[2].parent / "shared" / "datasets" / "mnist-test"


def test_model_py_reads_like_hand_written_code() -> None:
    source = model_source(load_template("resnet_small"))
    assert "class Add(nn.Module):" in source and "class GlobalAvgPool(nn.Module):" in source
    assert "class Concatenate" not in source and "class TransformerStack" not in source
    assert "self.stem = nn.Conv2d(1, 32, 3, padding=1, bias=False)  # -> 32 x 28 x 28" in source
    assert "x = self.b1_add(x, stem_relu)" in source
    assert "return self.head(x)" in source and "getattr" not in source
    mlp = model_source(load_template("mlp"))
    assert mlp.count("class ") == 1 and "import math" not in mlp


def test_awkward_node_names_still_give_working_code(tmp_path) -> None:
    spec = load_template("mlp")
    for old, new in (("flatten", "print"), ("fc1", "x"), ("relu1", "nn"), ("fc2", "torch")):
        spec.rename(old, new)
    torch.manual_seed(0)
    model = build_model(spec).eval()
    (tmp_path / "model.py").write_text(model_source(spec))
    fresh = getattr(import_model_module(tmp_path / "model.py"), class_name(spec.name))()
    fresh.load_state_dict(model.state_dict())
    x = torch.randn(2, 1, 28, 28)
    with torch.no_grad():
        assert torch.equal(fresh.eval()(x), model(x))


def test_generated_files_pass_ruff(tmp_path) -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed")
    for name, source in (("resnet_small", "csv:data.csv"), ("char_gpt", "text:book.txt")):
        spec = load_template(name)
        export_model("pytorch", tmp_path / name, spec=spec, model=build_model(spec),
                     meta={"source": source, "task": "classification"})
        out = subprocess.run([ruff, "check", "--no-cache", "--isolated", "--line-length", "100",
                              "--select", "E,F,W,I,B,UP", "."], cwd=tmp_path / name,
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stdout


# -- train.py's loaders reproduce Workbench's data ---------------------------------------------
def run_loader(source: str, tmp_path: Path, **options) -> tuple[dict[str, Dataset], object]:
    """Workbench's data set and what train.py's load_data() gives for the same source."""
    ds = load_source(source, seed=3, val_fraction=0.2, test_fraction=0.1, **options)
    meta = DataMeta.from_dataset(ds, source).to_dict()
    meta["data_options"] = {"val_fraction": 0.2, "test_fraction": 0.1, **options}
    plan = data_plan(load_template("mlp"), meta, seed=3)
    for name, text in plan.files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    namespace = {"DATA": plan.data, "torch": torch, "Dataset": Dataset, "Subset": Subset,
                 "TensorDataset": TensorDataset, "__file__": str(tmp_path / "train.py")}
    exec(loader_source(plan.loader), namespace)  # noqa: S102 - our own template
    return namespace["load_data"](None), ds


def tensors(dataset: Dataset) -> tuple[torch.Tensor, torch.Tensor]:
    if isinstance(dataset, TensorDataset):
        return dataset.tensors[0], dataset.tensors[1]
    xs, ys = zip(*(dataset[i] for i in range(len(dataset))), strict=True)
    return torch.stack(xs), torch.as_tensor(ys)


def assert_same_splits(ours: dict[str, Dataset], ds, atol: float = 0.0) -> None:
    for key, split in ds.splits.items():
        x, y = tensors(ours[key])
        assert torch.equal(y, split.y), key
        assert x.dtype == split.x.dtype and torch.allclose(x, split.x, atol=atol, rtol=0), key


@pytest.mark.parametrize("source", ["digits", "digits28"])
def test_digits_loader(source: str, tmp_path) -> None:
    assert_same_splits(*run_loader(source, tmp_path))


def test_idx_loader(tmp_path) -> None:
    if not MNIST_TEST.is_dir():
        pytest.skip(f"no MNIST test set at {MNIST_TEST}")
    assert_same_splits(*run_loader(f"idx:{MNIST_TEST}", tmp_path))


def test_image_folder_loader(tmp_path) -> None:
    rng = np.random.default_rng(0)
    for i in range(24):
        folder = tmp_path / "pets" / ("cat", "dog", "eel")[i % 3]
        folder.mkdir(parents=True, exist_ok=True)
        size = (12, 10) if i != 5 else (20, 16)  # one odd size: resized like Workbench
        Image.fromarray(rng.integers(0, 255, (size[1], size[0]), np.uint8), "L").save(
            folder / f"{i}.png")
    assert_same_splits(*run_loader(f"folder:{tmp_path / 'pets'}", tmp_path), atol=1 / 255)


def test_csv_loader(tmp_path) -> None:
    rows = ["a;b;kind"] + [f"{i * 0.5};{i % 7};{('x', 'y', 'z')[i % 3]}" for i in range(40)]
    (tmp_path / "t.csv").write_text("\n".join(rows))
    ours, ds = run_loader(f"csv:{tmp_path / 't.csv'}", tmp_path, label_column="kind")
    assert_same_splits(ours, ds)


def test_text_loaders(tmp_path) -> None:
    (tmp_path / "book.txt").write_text("the quick brown fox jumps over the lazy dog. " * 30)
    assert_same_splits(*run_loader(f"text:{tmp_path / 'book.txt'}", tmp_path, seq_len=16))
    rows = ["text,label"] + [f"{'good' if i % 2 else 'bad'} movie number {i},{i % 2}"
                             for i in range(30)]
    (tmp_path / "reviews.csv").write_text("\n".join(rows))
    assert_same_splits(*run_loader(f"textcsv:{tmp_path / 'reviews.csv'}", tmp_path))


# -- many processes ------------------------------------------------------------------------------
@pytest.mark.slow
def test_train_py_runs_on_two_processes_with_ddp(tmp_path) -> None:
    spec = load_template("lenet5")
    ds = load_source("digits28", seed=0)
    folder = tmp_path / "project"
    export_model("pytorch", folder, spec=spec, model=build_model(spec),
                 meta=DataMeta.from_dataset(ds, "digits28"),
                 config=TrainingConfig(epochs=3, batch_size=64, lr=3e-3))
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    out = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
         "train.py", "--epochs", "1", "--device", "cpu"],
        cwd=folder, env=env, capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "2 processes on cpu" in out.stdout and "epoch 1/1" in out.stdout
    assert out.stdout.count("epoch 1/1") == 1  # only rank 0 prints
    model = build_model(spec)
    model.load_state_dict(load_file(str(folder / "model.safetensors")))  # same keys as ours


@pytest.mark.slow
def test_train_py_reproduces_freezing(tmp_path) -> None:
    """Frozen layers (a BatchNorm among them) come out of train.py bit-identical."""
    from helpers import batchnorm_mlp_spec

    spec = batchnorm_mlp_spec()
    ds = load_source("digits", seed=0)
    folder = tmp_path / "project"
    torch.manual_seed(0)
    export_model("pytorch", folder, spec=spec, model=build_model(spec),
                 meta=DataMeta.from_dataset(ds, "digits"),
                 config={**TrainingConfig(epochs=1, lr=3e-3).to_dict(), "frozen": ["fc", "bn"]})
    assert "'frozen': ['fc', 'bn']" in (folder / "train.py").read_text()
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    out = subprocess.run([sys.executable, "train.py", "--device", "cpu", "--weights",
                          "weights.safetensors"], cwd=folder, env=env, capture_output=True,
                         text=True, timeout=240)
    assert out.returncode == 0, out.stdout + out.stderr
    before = load_file(str(folder / "weights.safetensors"))
    after = load_file(str(folder / "model.safetensors"))
    for key in ("fc.weight", "fc.bias", "bn.weight", "bn.running_mean", "bn.running_var"):
        assert torch.equal(before[key], after[key]), key
    assert not torch.equal(before["head.weight"], after["head.weight"])
