"""A plain PyTorch project: model.py (see codegen), train.py (a real .py template in
``project_template/`` with the run's settings and data loader filled in), requirements.txt,
README.md and the trained weights. ``python train.py`` trains on one device;
``torchrun --nproc_per_node=N train.py`` on N with DistributedDataParallel."""

from __future__ import annotations

import ast
import importlib.util
import os
import pprint
import re
import sys
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

import safetensors.torch
import torch
from torch import nn

from workbench.core.engine.config import TrainingConfig
from workbench.core.export.bundle import state_dict_for_saving
from workbench.core.export.codegen import class_name, model_source
from workbench.core.export.errors import ExportError
from workbench.core.export.verify import (
    VERIFY_BATCH, ExportResult, check_close, cpu_eval, example_input)
from workbench.core.files import atomic_write_bytes, atomic_write_text
from workbench.core.graph import ModelSpec, model_io

TEMPLATE_DIR = Path(__file__).resolve().parent / "project_template"
FILES = ("model.py", "train.py", "requirements.txt", "README.md", "weights.safetensors")
_TORCHVISION = {"mnist": "MNIST", "fashion-mnist": "FashionMNIST", "kmnist": "KMNIST",
                "cifar10": "CIFAR10", "cifar100": "CIFAR100", "svhn": "SVHN"}
_CONFIG_KEYS = ("optimizer", "lr", "momentum", "nesterov", "weight_decay", "batch_size",
                "epochs", "schedule", "warmup_epochs", "step_size", "gamma", "loss",
                "label_smoothing", "grad_clip", "precision", "seed", "num_workers")


def _plain(obj: Any) -> dict[str, Any]:
    if obj is None:
        return {}
    return dict(obj.to_dict() if hasattr(obj, "to_dict") else obj)


def data_settings(spec: ModelSpec, meta: dict[str, Any], seed: int
                  ) -> tuple[str, dict[str, Any], list[str], list[str]]:
    """(loader function, DATA dict, extra requirements, notes) for the run's data source."""
    io = model_io(spec)
    notes: list[str] = []
    source = str(meta.get("source") or meta.get("name") or "")
    if not source:  # no run behind this export: a stand-in the model can train on
        source = {(1, 8, 8): "digits", (1, 28, 28): "digits28"}.get(tuple(io.input_shape), "")
        if source:
            notes.append(f"No data metadata: train.py uses the built-in '{source}' digits and "
                         "normalizes with statistics of their training split.")
    options = dict(meta.get("data_options") or {})
    task = meta.get("task") or ("next_token" if io.input_kind == "tokens"
                                and len(io.output_shape) == 2 else io.task)
    data: dict[str, Any] = {
        "source": source, "kind": meta.get("kind") or io.input_kind, "task": task,
        "sample_shape": list(meta.get("sample_shape") or io.input_shape),
        "class_names": list(meta.get("class_names") or []),
        "mean": meta.get("mean"), "std": meta.get("std"),
        "val_fraction": options.pop("val_fraction", 0.1),
        "test_fraction": options.pop("test_fraction", 0.1), "seed": seed}
    prefix, _, path = source.partition(":")
    extra: list[str] = []
    if source in ("digits", "digits28") or re.fullmatch(r"digits\d+", source):
        loader, extra = "load_digits", ["scikit-learn"]
    elif prefix.lower() in _TORCHVISION and not path:
        loader, extra = "load_torchvision", ["torchvision"]
        data["torchvision_class"] = _TORCHVISION[prefix.lower()]
    elif prefix in ("idx", "folder", "csv") and path:
        loader = f"load_{prefix}"
        data["path"] = path
        extra = ["torchvision", "pillow"] if prefix == "folder" else []
        for key in ("label_column", "delimiter", "header"):
            if prefix == "csv" and key in options:
                data[key] = options.pop(key)
        options.pop("image_size", None)  # the sample shape says it already
    else:
        loader = "load_unsupported"
        notes.append(f"train.py has no loader for the data source '{source or 'unknown'}': "
                     "fill in its load_data() before running it.")
    if options:
        notes.append(f"Data options not reproduced by train.py: {', '.join(sorted(options))}.")
    if data["class_names"] and len(data["class_names"]) > 1000:
        data["class_names"] = []  # only CSV labels need them; keep the file readable
    return loader, data, extra, notes


def _functions(source: str) -> dict[str, str]:
    tree = ast.parse(source)
    return {n.name: ast.get_source_segment(source, n) or "" for n in tree.body
            if isinstance(n, ast.FunctionDef)}


def loader_source(loader: str) -> str:
    """The loader (renamed ``load_data``) after the helpers it calls, from loaders.py."""
    funcs = _functions((TEMPLATE_DIR / "loaders.py").read_text(encoding="utf-8"))
    needed, pending = [loader], [loader]
    while pending:
        body = funcs[pending.pop()]
        for name in funcs:
            if name not in needed and re.search(rf"\b{name}\(", body):
                needed.append(name)
                pending.append(name)
    helpers = [funcs[n] for n in funcs if n in needed and n != loader]
    main = funcs[loader].replace(f"def {loader}(", "def load_data(", 1)
    return "\n\n\n".join([*helpers, main])


def _replace_region(text: str, name: str, body: str) -> str:
    pattern = re.compile(rf"# <workbench:{name}>\n.*?# </workbench:{name}>\n", re.S)
    if not pattern.search(text):
        raise RuntimeError(f"the train.py template lost its '{name}' section")
    return pattern.sub(lambda _m: body.rstrip("\n") + "\n", text, count=1)


def train_source(spec: ModelSpec, meta: dict[str, Any] | None, config: dict[str, Any] | None
                 ) -> tuple[str, list[str], list[str]]:
    """(train.py text, extra requirements, notes)."""
    cfg = {**TrainingConfig().to_dict(), **_plain(config)}
    loader, data, extra, notes = data_settings(spec, _plain(meta), int(cfg.get("seed", 0)))
    settings = {k: cfg[k] for k in _CONFIG_KEYS if k in cfg}
    if cfg.get("augment"):
        notes.append("Data augmentation is not reproduced by train.py.")
    if cfg.get("early_stopping"):
        notes.append("Early stopping is not reproduced by train.py: it trains every epoch.")
    cls = class_name(spec.name)
    header = (f'"""Train {cls} ("{spec.name}") as Workbench did, on one device or many.\n\n'
              "    python train.py                         # one device (a GPU if there is one)\n"
              "    torchrun --nproc_per_node=4 train.py    # 4 GPUs (or CPU processes) with DDP\n"
              "    python train.py --weights weights.safetensors --epochs 2   # fine-tune\n\n"
              "The settings below are the run's; --batch-size is the global batch, split "
              "across processes.\n"
              f"Data: {data['source'] or 'not known'}. Exported by Workbench.\n"
              '"""\n')
    text = (TEMPLATE_DIR / "train.py").read_text(encoding="utf-8")
    text = _replace_region(text, "header", header)
    text = _replace_region(text, "settings", (
        f"from model import {cls} as Model\n\n"
        f"CONFIG = {_literal(settings)}\n\nDATA = {_literal(data)}\n"))
    text = _replace_region(text, "data", loader_source(loader))
    return text, extra, notes


def _literal(d: dict[str, Any]) -> str:
    """A dict as a readable Python literal: one key per line, long values wrapped."""
    lines = ["{"]
    for k, v in d.items():
        head = f"    {k!r}: "
        text = pprint.pformat(v, width=max(40, 96 - len(head)), compact=True)
        lines.append(head + text.replace("\n", "\n" + " " * len(head)) + ",")
    return "\n".join(lines + ["}"])


def _requirements(extra: list[str]) -> str:
    major, minor = torch.__version__.split(".")[:2]
    lines = [f"torch>={major}.{minor}", "safetensors>=0.4", "numpy>=1.26", *extra]
    return "\n".join(dict.fromkeys(lines)) + "\n"


def _readme(spec: ModelSpec, cls: str) -> str:
    return (f"# {spec.name}\n\nExported from Workbench as plain PyTorch.\n\n"
            "- `model.py`: the model, `" + cls + "`; `weights.safetensors`: trained weights\n"
            "- `train.py`: the run's data, settings and training loop\n\n"
            "```\npip install -r requirements.txt\n"
            "python train.py                          # one GPU, or the CPU\n"
            "torchrun --nproc_per_node=4 train.py     # four GPUs with DDP\n```\n\n"
            "```python\nfrom safetensors.torch import load_file\n"
            f"from model import {cls}\n\nmodel = {cls}()\n"
            'model.load_state_dict(load_file("weights.safetensors"))\nmodel.eval()\n```\n')


def import_model_module(path: str | os.PathLike) -> ModuleType:
    """Import a generated model.py afresh (a unique module name each time)."""
    name = f"workbench_export_model_{uuid.uuid4().hex}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ExportError(f"cannot import {path}", format="pytorch")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(name, None)
    return module


def write_project(path: str | os.PathLike, spec: ModelSpec, model: nn.Module,
                  meta: dict[str, Any] | Any | None = None,
                  config: dict[str, Any] | Any | None = None, *,
                  verify: bool = True) -> ExportResult:
    """Write the project folder (an existing folder may only hold an earlier export)."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder} is a file; a PyTorch project is a folder", format="pytorch")
    if folder.is_dir():
        strangers = [p.name for p in folder.iterdir() if p.name not in FILES
                     and p.name not in ("model.safetensors", "__pycache__", "data")]
        if strangers:
            raise ExportError(f"{folder} is not empty ({', '.join(sorted(strangers)[:3])}...): "
                              "choose a new folder", format="pytorch")
    model_py = model_source(spec)
    train_py, extra, notes = train_source(spec, meta, config)
    cls = class_name(spec.name)
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write_text(folder / "model.py", model_py)
    atomic_write_text(folder / "train.py", train_py)
    atomic_write_text(folder / "requirements.txt", _requirements(extra))
    atomic_write_text(folder / "README.md", _readme(spec, cls))
    atomic_write_bytes(folder / "weights.safetensors",
                       safetensors.torch.save(state_dict_for_saving(model)))
    result = ExportResult("pytorch", folder, [folder / f for f in FILES], notes=notes)
    compile(train_py, str(folder / "train.py"), "exec")  # a template bug fails loudly here
    if verify:
        generated = getattr(import_model_module(folder / "model.py"), cls)()
        weights = safetensors.torch.load_file(str(folder / "weights.safetensors"))
        generated.load_state_dict(weights, strict=True)
        generated.eval()
        x = example_input(spec, VERIFY_BATCH, seed=1)
        with cpu_eval(model) as m, torch.no_grad():
            check_close(result, m(x), generated(x), "pytorch")
        result.checked_with = "the generated model.py with weights.safetensors"
    return result
