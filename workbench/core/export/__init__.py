"""Export a model: a Workbench bundle, ONNX, torch.export (.pt2), TorchScript, or a plain
PyTorch project (model.py + train.py for one or many GPUs). Every format is read back with
its real consumer and compared with the model before the export counts as done.

``export_model(format, path, spec=..., model=..., meta=..., config=..., metrics=...)`` is the
one entry point the CLI and the export dialog use; ``FORMATS`` describes the choices.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from torch import nn

from workbench.core.export.bundle import Bundle, is_bundle, load_bundle, save_bundle
from workbench.core.export.errors import BundleError, ExportError
from workbench.core.export.verify import ATOL, ExportResult
from workbench.core.graph import ModelSpec


@dataclass(frozen=True)
class ExportFormat:
    name: str  # the key: --format NAME
    title: str
    suffix: str  # "" for a folder
    file_filter: str  # for a Qt file dialog
    description: str

    @property
    def is_folder(self) -> bool:
        return not self.suffix


FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("bundle", "Workbench bundle", ".wbbundle", "Workbench bundle (*.wbbundle)",
                 "Spec, weights and data metadata in one file; reopens in Workbench and "
                 "`workbench predict`."),
    ExportFormat("onnx", "ONNX", ".onnx", "ONNX model (*.onnx)",
                 "For onnxruntime, TensorRT, OpenVINO, browsers and mobile; any batch size."),
    ExportFormat("pt2", "torch.export program", ".pt2", "PyTorch ExportedProgram (*.pt2)",
                 "PyTorch's deployable graph (torch.export.load); for AOTInductor and "
                 "ExecuTorch."),
    ExportFormat("torchscript", "TorchScript", ".ts", "TorchScript (*.ts *.pt)",
                 "For LibTorch (C++) and older tools; deprecated in PyTorch, prefer .pt2."),
    ExportFormat("pytorch", "PyTorch project", "", "Folder",
                 "model.py, train.py (one or many GPUs with torchrun), requirements.txt and the "
                 "weights: train it anywhere without Workbench."),
)}


def export_model(format: str, path: str | os.PathLike, *, spec: ModelSpec, model: nn.Module,
                 meta: dict[str, Any] | Any | None = None,
                 config: dict[str, Any] | Any | None = None,
                 metrics: dict[str, Any] | None = None, verify: bool = True) -> ExportResult:
    """Write ``model`` (built from ``spec``, weights loaded) in ``format`` and check it.

    ``meta``: the data description (DataMeta or its dict: class names, normalization, source);
    ``config``: the TrainingConfig (or dict); ``metrics``: final metrics for the bundle.
    Raises ExportError (with ``.node`` when a layer is to blame) when the format cannot hold
    the model or the written file does not reproduce it. Never changes ``model``.
    """
    if format not in FORMATS:
        raise ExportError(f"unknown format '{format}': choose one of {', '.join(FORMATS)}")
    meta_dict = _as_dict(meta)
    writer = _WRITERS[format]
    return writer(Path(path), spec, model, meta_dict, config, metrics, verify)


def _as_dict(obj: Any) -> dict[str, Any] | None:
    if obj is None or isinstance(obj, dict):
        return obj
    return dict(obj.to_dict())


def _bundle(path: Path, spec: ModelSpec, model: nn.Module, meta: dict[str, Any] | None,
            config: Any, metrics: dict[str, Any] | None, verify: bool) -> ExportResult:
    from workbench.core.export.verify import VERIFY_BATCH, check_close, cpu_eval, example_input

    save_bundle(path, spec, model, meta or {}, config, metrics)
    result = ExportResult("bundle", path, [path])
    if verify:
        loaded = load_bundle(path)
        x = example_input(spec, VERIFY_BATCH, seed=1)
        with cpu_eval(model) as m:
            check_close(result, m(x), loaded.model(x), "bundle")
        result.checked_with = "load_bundle (checksums, weights, outputs)"
    return result


def _onnx(path: Path, spec: ModelSpec, model: nn.Module, meta: dict[str, Any] | None,
          config: Any, metrics: Any, verify: bool) -> ExportResult:
    from workbench.core.export.onnx_export import export_onnx

    return export_onnx(path, model, spec, meta=meta, verify=verify)


def _pt2(path: Path, spec: ModelSpec, model: nn.Module, meta: dict[str, Any] | None,
         config: Any, metrics: Any, verify: bool) -> ExportResult:
    from workbench.core.export.torch_export import export_pt2

    return export_pt2(path, model, spec, meta=meta, verify=verify)


def _torchscript(path: Path, spec: ModelSpec, model: nn.Module, meta: dict[str, Any] | None,
                 config: Any, metrics: Any, verify: bool) -> ExportResult:
    from workbench.core.export.torch_export import export_torchscript

    return export_torchscript(path, model, spec, meta=meta, verify=verify)


def _pytorch(path: Path, spec: ModelSpec, model: nn.Module, meta: dict[str, Any] | None,
             config: Any, metrics: Any, verify: bool) -> ExportResult:
    from workbench.core.export.project import write_project

    return write_project(path, spec, model, meta, config, verify=verify)


_WRITERS: dict[str, Callable[..., ExportResult]] = {
    "bundle": _bundle, "onnx": _onnx, "pt2": _pt2, "torchscript": _torchscript,
    "pytorch": _pytorch}

__all__ = ["ATOL", "FORMATS", "Bundle", "BundleError", "ExportError", "ExportFormat",
           "ExportResult", "export_model", "is_bundle", "load_bundle", "save_bundle"]
