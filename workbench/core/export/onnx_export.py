"""ONNX: torch.onnx's dynamo exporter (opset 18, dynamic batch), checked with the ONNX checker
and run with onnxruntime against PyTorch.

The TorchScript-based exporter is kept only as a per-model fallback for what torch.export
cannot capture (e.g. data-dependent branches); when it is used the result says so. (With
torch 2.15 every shipped template exports with the dynamo exporter.)
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import torch
from torch import nn

from workbench.core.export.errors import ExportError
from workbench.core.export.verify import (
    EXPORT_BATCH,
    VERIFY_BATCH,
    ExportResult,
    check_close,
    cpu_eval,
    dynamic_batch,
    example_input,
    failure,
    quiet,
    reason,
    versions,
)
from workbench.core.graph import ModelSpec

OPSET = 18
_PROTO_LIMIT = 2 << 30  # protobuf's limit: bigger models keep their weights in a side file
_META_KEYS = ("kind", "sample_shape", "task", "class_names", "mean", "std", "tokenizer", "vocab",
              "source")


def export_onnx(path: str | os.PathLike, model: nn.Module, spec: ModelSpec, *,
                meta: dict[str, Any] | None = None, opset: int = OPSET,
                verify: bool = True) -> ExportResult:
    """Write ``model`` as ONNX with input ``input`` and output ``output`` (batch axis dynamic;
    int64 for token inputs). Normalization and class names go in the metadata properties
    (``workbench.preprocessing``) for other tools. Raises ExportError naming the layer that
    ONNX cannot hold."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    result = ExportResult("onnx", path)
    example = example_input(spec, EXPORT_BATCH)
    props = _metadata(spec, meta)
    big = sum(t.numel() * t.element_size() for t in model.state_dict().values()) > _PROTO_LIMIT
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp.onnx", dir=path.parent)
    os.close(fd)
    tmp = path if big else Path(tmp_name)  # external weights are named after the file
    try:
        with cpu_eval(model) as m:
            try:
                _dynamo(m, example, tmp, opset, props, big)
            except Exception as first:
                try:
                    _legacy(m, example, tmp, opset, props)
                except Exception:
                    raise failure("onnx", "ONNX", first, m, spec, example,
                                  lambda sub, args: _dynamo(sub, args[0], None, opset, {}, False)
                                  if len(args) == 1 else None,
                                  others="The other formats are not affected.") from first
                result.notes.append(
                    "The dynamo ONNX exporter could not capture this model "
                    f"({_short(first)}); used the TorchScript-based exporter instead.")
            _check(tmp)
            if verify:
                x = example_input(spec, VERIFY_BATCH, seed=1)
                got = _run_onnxruntime(tmp, x)
                check_close(result, m(x), got, "onnx")
                import onnxruntime

                result.checked_with = f"onnxruntime {onnxruntime.__version__}"
        if tmp != path:
            os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        Path(tmp_name).unlink(missing_ok=True)
    result.files = [path] + ([Path(str(path) + ".data")] if big else [])
    return result


def _metadata(spec: ModelSpec, meta: dict[str, Any] | None) -> dict[str, str]:
    pre = {k: meta[k] for k in _META_KEYS if meta and meta.get(k) is not None}
    return {"workbench.model": spec.name, "workbench.preprocessing": json.dumps(pre),
            **{f"workbench.{k}_version": v for k, v in versions().items()}}


def _dynamo(m: nn.Module, example: torch.Tensor, dest: Path | None, opset: int,
            props: dict[str, str], big: bool) -> None:
    with quiet():
        program = torch.onnx.export(m, (example,), dynamo=True, opset_version=opset,
                                    input_names=["input"], output_names=["output"],
                                    dynamic_shapes=dynamic_batch(), verbose=False)
    if dest is None or program is None:  # only checking that it converts
        return
    program.model.metadata_props.update(props)
    program.save(dest, external_data=big)


def _legacy(m: nn.Module, example: torch.Tensor, dest: Path, opset: int,
            props: dict[str, str]) -> None:
    import onnx

    with quiet():
        torch.onnx.export(m, (example,), str(dest), dynamo=False, opset_version=opset,
                          input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    proto = onnx.load(str(dest))
    for k, v in props.items():
        proto.metadata_props.add(key=k, value=v)
    onnx.save(proto, str(dest))


def _check(path: Path) -> None:
    import onnx

    try:
        onnx.checker.check_model(str(path), full_check=True)
    except onnx.checker.ValidationError as e:
        raise ExportError(f"the ONNX file failed the ONNX checker: {_short(e)}",
                          format="onnx") from e


def _run_onnxruntime(path: Path, x: torch.Tensor) -> Any:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.log_severity_level = 3  # errors only
    session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    return session.run(None, {session.get_inputs()[0].name: x.numpy()})[0]


def _short(e: BaseException) -> str:
    return reason(e)
