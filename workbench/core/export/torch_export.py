"""PyTorch's own deployable formats: a torch.export ExportedProgram (``.pt2``) and TorchScript
(``.ts``). Both are reloaded with PyTorch's loader and compared with the model."""

from __future__ import annotations

import inspect
import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import torch
from torch import nn

from workbench.core.export.verify import (
    EXPORT_BATCH,
    VERIFY_BATCH,
    ExportResult,
    check_close,
    cpu_eval,
    dynamic_batch,
    example_input,
    failure,
    locate_by_isolation,
    quiet,
    reason,
    versions,
)
from workbench.core.graph import ModelSpec
from workbench.core.graph.structure import label

_PRE_KEYS = ("kind", "sample_shape", "task", "class_names", "mean", "std", "tokenizer", "vocab")


def _extra(spec: ModelSpec, meta: dict[str, Any] | None) -> dict[str, str]:
    pre = {k: meta[k] for k in _PRE_KEYS if meta and meta.get(k) is not None}
    return {"workbench.json": json.dumps({"model": spec.name, "preprocessing": pre,
                                          **versions()})}


@contextmanager
def _staged(path: Path) -> Iterator[Path]:
    """A temp file next to ``path`` that replaces it only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def export_pt2(path: str | os.PathLike, model: nn.Module, spec: ModelSpec, *,
               meta: dict[str, Any] | None = None, verify: bool = True) -> ExportResult:
    """A torch.export ExportedProgram with a dynamic batch axis, saved with torch.export.save.
    Reload with ``torch.export.load(path).module()``."""
    path = Path(path)
    result = ExportResult("pt2", path, [path])
    example = example_input(spec, EXPORT_BATCH)
    with cpu_eval(model) as m, _staged(path) as tmp:
        try:
            with quiet():
                program = torch.export.export(m, (example,), dynamic_shapes=dynamic_batch())
        except Exception as e:
            raise failure("pt2", "torch.export", e, m, spec, example,
                          lambda sub, args: torch.export.export(sub, args),
                          others="The other formats are not affected.") from e
        with quiet():
            torch.export.save(program, tmp, extra_files=_extra(spec, meta))
        if verify:
            x = example_input(spec, VERIFY_BATCH, seed=1)
            with quiet():
                loaded = torch.export.load(tmp).module()
                got = loaded(x)
            check_close(result, m(x), got, "pt2")
            result.checked_with = "torch.export.load"
    return result


def export_torchscript(path: str | os.PathLike, model: nn.Module, spec: ModelSpec, *,
                       meta: dict[str, Any] | None = None, verify: bool = True) -> ExportResult:
    """TorchScript via ``torch.jit.script``; when a layer cannot be scripted, via
    ``torch.jit.trace`` (any batch size still works; Python control flow is fixed at trace
    time, which is harmless for these feed-forward graphs). TorchScript is deprecated in
    PyTorch 2.15; it is offered for tools (and C++ apps) that still read it."""
    path = Path(path)
    result = ExportResult("torchscript", path, [path])
    example = example_input(spec, EXPORT_BATCH)
    with cpu_eval(model) as m, _staged(path) as tmp:
        try:
            with quiet():
                compiled = torch.jit.script(m)
            how = "torch.jit.script"
        except Exception as e:
            node = _script_culprit(e, m) or locate_by_isolation(m, example, _script)
            where = label(spec, node) if node and spec.has_node(node) else "a layer"
            why = reason(e)
            try:
                with quiet():
                    compiled = torch.jit.trace(m, (example,), check_trace=False)
            except Exception as e2:
                raise failure("torchscript", "TorchScript", e2, m, spec, example,
                              lambda sub, args: torch.jit.trace(sub, args, check_trace=False),
                              others="The other formats are not affected.") from e2
            how = "torch.jit.trace"
            result.notes.append(f"torch.jit.script cannot compile {where} ({why}); traced "
                                "instead.")
        with quiet():
            compiled.save(str(tmp), _extra_files=_extra(spec, meta))
        if verify:
            x = example_input(spec, VERIFY_BATCH, seed=1)
            # the profiling executor's first runs are slow and change nothing numerically
            with quiet(), torch.jit.optimized_execution(False):
                got = torch.jit.load(str(tmp))(x)
            check_close(result, m(x), got, "torchscript")
            result.checked_with = f"torch.jit.load ({how})"
    return result


def _script_culprit(exc: BaseException, model: nn.Module) -> str | None:
    """The first layer whose class holds the source line the TorchScript compiler points at
    (its errors name a file and line, not a module)."""
    where = re.search(r'File "([^"]+)", line (\d+)', str(exc))
    if where is None:
        return None
    path, line = os.path.realpath(where.group(1)), int(where.group(2))
    for name, child in model.named_children():
        try:
            lines, start = inspect.getsourcelines(type(child))
            source = os.path.realpath(inspect.getsourcefile(type(child)) or "")
        except (OSError, TypeError):
            continue
        if source == path and start <= line < start + len(lines):
            return name
    return None


def _script(sub: nn.Module, _args: tuple[torch.Tensor, ...]) -> None:
    torch.jit.script(sub)

