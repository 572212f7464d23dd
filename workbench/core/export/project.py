"""A plain PyTorch project: model.py (see codegen), train.py (a real .py template in
``project_template/`` with the run's settings and data loader filled in), requirements.txt,
README.md and the trained weights. ``python train.py`` trains on one device;
``torchrun --nproc_per_node=N train.py`` on N with DistributedDataParallel."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import pprint
import re
import sys
import textwrap
import uuid
from dataclasses import dataclass, field
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
    VERIFY_BATCH,
    ExportResult,
    check_close,
    cpu_eval,
    example_input,
)
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


@dataclass
class DataPlan:
    """How train.py gets the run's data."""

    loader: str  # a function in project_template/loaders.py
    data: dict[str, Any]  # train.py's DATA
    requirements: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # written next to train.py


# per path source: the data options its loader in train.py reproduces
_PATH_OPTIONS = {"idx": (), "folder": (), "csv": ("label_column", "delimiter", "header"),
                 "text": ("stride",),
                 "textcsv": ("label_column", "text_column", "delimiter")}
_IGNORED = ("image_size", "seq_len", "max_length", "max_vocab", "tokenizer", "task")  # in meta


def data_plan(spec: ModelSpec, meta: dict[str, Any], seed: int) -> DataPlan:
    """Where the data comes from, read from the run's data description (DataMeta dict, plus
    its ``data_options``); a stand-in for an untrained export of a digits-sized model."""
    io = model_io(spec)
    plan = DataPlan("load_unsupported", {})
    source = str(meta.get("source") or "")
    if not source:  # no run behind this export
        source = {(1, 8, 8): "digits", (1, 28, 28): "digits28"}.get(tuple(io.input_shape), "")
        if source:
            plan.notes.append(f"No data metadata: train.py uses the built-in '{source}' digits "
                              "and normalizes with statistics of their training split.")
    options = dict(meta.get("data_options") or {})
    task = meta.get("task") or ("next_token" if io.input_kind == "tokens"
                                and len(io.output_shape) == 2 else io.task)
    plan.data = {
        "source": source, "kind": meta.get("kind") or io.input_kind, "task": task,
        "sample_shape": list(meta.get("sample_shape") or io.input_shape),
        "class_names": list(meta.get("class_names") or []),
        "mean": meta.get("mean"), "std": meta.get("std"),
        "val_fraction": options.pop("val_fraction", 0.1),
        "test_fraction": options.pop("test_fraction", 0.1), "seed": seed}
    prefix, _, path = source.partition(":")
    prefix = prefix.strip().lower()
    if source in ("digits", "digits28"):
        plan.loader, plan.requirements = "load_digits", ["scikit-learn"]
    elif prefix in _TORCHVISION and not path:
        plan.loader, plan.requirements = "load_torchvision", ["torchvision"]
        plan.data["torchvision_class"] = _TORCHVISION[prefix]
    elif prefix in _PATH_OPTIONS and path:
        plan.loader, plan.data["path"] = f"load_{prefix}", path.strip()
        plan.data.update({k: options.pop(k) for k in _PATH_OPTIONS[prefix] if k in options})
        if prefix == "folder":
            plan.requirements = ["torchvision", "pillow"]
        if prefix in ("text", "textcsv"):
            plan.data["tokenizer"] = meta.get("tokenizer") or "char"
            plan.files["vocab.json"] = json.dumps(list(meta.get("vocab") or []),
                                                  ensure_ascii=False) + "\n"
        for key in _IGNORED:
            options.pop(key, None)
    else:
        plan.notes.append(f"train.py has no loader for the data source '{source or 'unknown'}': "
                          "fill in its load_data() before running it.")
    if options:
        plan.notes.append(f"Data options not reproduced by train.py: {', '.join(sorted(options))}.")
    if prefix not in ("csv", "textcsv") or len(plan.data["class_names"]) > 10_000:
        plan.data["class_names"] = []  # only CSV labels need them (a vocabulary is in vocab.json)
    return plan


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
                 ) -> tuple[str, DataPlan]:
    """train.py's text, and the data plan (extra files, requirements, notes) behind it."""
    cfg = {**TrainingConfig().to_dict(), **_plain(config)}
    plan = data_plan(spec, _plain(meta), int(cfg.get("seed", 0)))
    data = plan.data
    settings = {k: cfg[k] for k in _CONFIG_KEYS if k in cfg}
    if cfg.get("frozen"):  # fine-tuning: the layers that do not train (see train.py)
        settings["frozen"] = [str(n) for n in cfg["frozen"]]
        settings["unfreeze_after"] = int(cfg.get("unfreeze_after") or 0)
    if float(cfg.get("head_lr_multiplier") or 1.0) != 1.0:  # the head learns faster
        settings["head_lr_multiplier"] = float(cfg["head_lr_multiplier"])
        settings["head"] = _head(spec)
    if cfg.get("augment"):
        plan.notes.append("Data augmentation is not reproduced by train.py.")
    if cfg.get("early_stopping"):
        plan.notes.append("Early stopping is not reproduced by train.py: it trains every epoch.")
    cls = class_name(spec.name)
    about = textwrap.fill(f'Model: {cls} ("{spec.name}") from model.py. Data: '
                          f"{data['source'] or 'not known'}. Exported by Workbench.", 96)
    header = ('"""Train the exported model as Workbench did, on one device or many.\n\n'
              "    python train.py                         # one device (a GPU if there is one)\n"
              "    torchrun --nproc_per_node=4 train.py    # 4 GPUs (or CPU processes) with DDP\n"
              "    python train.py --weights weights.safetensors --epochs 2   # fine-tune\n\n"
              "The settings below are the run's; --batch-size is the global batch, split "
              f"across processes.\n{about}\n"
              '"""\n')
    text = (TEMPLATE_DIR / "train.py").read_text(encoding="utf-8")
    text = _replace_region(text, "header", header)
    text = _replace_region(text, "settings", (
        f"from model import {cls} as Model\n\n"
        f"CONFIG = {_literal(settings)}\n\nDATA = {_literal(data)}\n"))
    text = _replace_region(text, "data", loader_source(plan.loader))
    return text, plan


def _head(spec: ModelSpec) -> list[str]:
    """The head, as the Trainer finds it: the last layer with parameters."""
    from workbench.core.finetune import head_layers
    from workbench.core.graph import analyze

    analysis = analyze(spec)
    return head_layers(analysis.order, [n for n in analysis.order if analysis.nodes[n].params])


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
                     and p.name not in ("vocab.json", "model.safetensors", "__pycache__", "data")]
        if strangers:
            raise ExportError(f"{folder} is not empty ({', '.join(sorted(strangers)[:3])}...): "
                              "choose a new folder", format="pytorch")
    model_py = model_source(spec)
    train_py, plan = train_source(spec, meta, config)
    cls = class_name(spec.name)
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write_text(folder / "model.py", model_py)
    atomic_write_text(folder / "train.py", train_py)
    atomic_write_text(folder / "requirements.txt", _requirements(plan.requirements))
    for name, text in plan.files.items():
        atomic_write_text(folder / name, text)
    atomic_write_text(folder / "README.md", _readme(spec, cls))
    atomic_write_bytes(folder / "weights.safetensors",
                       safetensors.torch.save(state_dict_for_saving(model)))
    result = ExportResult("pytorch", folder, [folder / f for f in (*FILES, *plan.files)],
                          notes=plan.notes)
    compile(train_py, str(folder / "train.py"), "exec")  # a template bug fails loudly here
    if verify:
        generated = getattr(import_model_module(folder / "model.py"), cls)()
        weights = safetensors.torch.load_file(str(folder / "weights.safetensors"))
        generated.load_state_dict(weights, strict=True)
        generated.eval()
        x = example_input(spec, VERIFY_BATCH, seed=1)
        with cpu_eval(model) as m, torch.no_grad():
            check_close(result, m(x), generated(x), "pytorch")
        result.checked_with = "its model.py (imported afresh) and weights.safetensors"
    return result
