"""What every format shares: example inputs, the numeric round-trip check, quiet exporters and
mapping an exporter's failure back to the layer (node) that caused it."""

from __future__ import annotations

import contextlib
import copy
import logging
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
import torch
from torch import fx, nn

from workbench.core.export.errors import ExportError
from workbench.core.graph import ModelSpec, model_io
from workbench.core.graph.structure import label

ATOL = 1e-4  # fp32, eval mode: exported and PyTorch outputs agree far better than this
EXPORT_BATCH = 2  # traced with this batch...
VERIFY_BATCH = 1  # ...checked with another (the size exporters like to specialize on)


@dataclass
class ExportResult:
    """What an export wrote and how it was checked (for the CLI and the export dialog)."""

    format: str
    path: Path
    files: list[Path] = field(default_factory=list)
    max_abs_diff: float | None = None  # None: not verified
    checked_with: str = ""  # e.g. "onnxruntime 1.32.0"
    notes: list[str] = field(default_factory=list)  # fallbacks and caveats, for a person

    @property
    def verified(self) -> bool:
        return self.max_abs_diff is not None and self.max_abs_diff <= ATOL

    def summary(self) -> str:
        """A few lines for a person: what was written, how it was checked, any caveats."""
        size = sum(f.stat().st_size for f in self.files if f.is_file())
        lines = [f"Wrote {self.path} ({size / 1e6:.1f} MB)"]
        if self.max_abs_diff is not None:
            lines.append(f"{_TITLES.get(self.format, self.format)} verified with "
                         f"{self.checked_with}: max abs diff {self.max_abs_diff:.1e} "
                         f"(batch of {VERIFY_BATCH})")
        else:
            lines.append("Not verified.")
        return "\n".join(lines + self.notes)


_TITLES = {"bundle": "Bundle", "onnx": "ONNX", "pt2": "ExportedProgram",
           "torchscript": "TorchScript", "pytorch": "PyTorch project"}


def versions() -> dict[str, str]:
    """What wrote a file, recorded in it for whoever opens it later."""
    try:
        from importlib.metadata import version

        wb = version("workbench")
    except Exception:  # running from a source tree without metadata
        wb = "unknown"
    return {"workbench": wb, "torch": torch.__version__}


def example_input(spec: ModelSpec, batch: int = EXPORT_BATCH, seed: int = 0) -> torch.Tensor:
    """A deterministic batch the model accepts: token ids for token inputs, else N(0, 1)."""
    io = model_io(spec)
    gen = torch.Generator().manual_seed(seed)
    if io.input_kind == "tokens":
        return torch.randint(0, io.vocab_size or 2, (batch, *io.input_shape), generator=gen)
    return torch.randn((batch, *io.input_shape), generator=gen, dtype=io.input_dtype)


def dynamic_batch() -> tuple[dict[int, Any]]:
    """``dynamic_shapes`` for a model's single input: the batch axis may be any size."""
    return ({0: torch.export.Dim("batch", min=1)},)


def max_abs_diff(a: Any, b: Any) -> float:
    a = a.detach().cpu().numpy() if isinstance(a, torch.Tensor) else np.asarray(a)
    b = b.detach().cpu().numpy() if isinstance(b, torch.Tensor) else np.asarray(b)
    if a.shape != b.shape:
        raise ExportError(f"the exported model gives shape {b.shape} where PyTorch gives {a.shape}")
    return float(np.abs(a.astype(np.float64) - b.astype(np.float64)).max(initial=0.0))


def check_close(result: ExportResult, reference: torch.Tensor, got: Any, fmt: str) -> None:
    """Record the difference; an export that does not reproduce the model is an error."""
    result.max_abs_diff = max_abs_diff(reference, got)
    if result.max_abs_diff > ATOL:
        raise ExportError(f"the {fmt} export does not reproduce the model: outputs differ by up "
                          f"to {result.max_abs_diff:.2e} (tolerance {ATOL:g})", format=fmt)


@contextlib.contextmanager
def cpu_eval(model: nn.Module) -> Iterator[nn.Module]:
    """The model in eval mode on the CPU, put back as it was afterwards (a copy if it lives on
    another device, so a GPU model in the app is never moved under the user)."""
    on_cpu = all(t.device.type == "cpu" for t in (*model.parameters(), *model.buffers()))
    target = model if on_cpu else copy.deepcopy(model).cpu()
    modes = {m: m.training for m in target.modules()}
    target.eval()
    try:
        with torch.no_grad():
            yield target
    finally:
        for m, mode in modes.items():
            m.training = mode


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence the exporters' deprecation warnings and log chatter; errors still raise.
    (Progress printing is off through ``verbose=False``; stdout is never redirected, which
    would not be thread-safe in the app.)"""
    loggers = [logging.getLogger(n) for n in ("torch", "torch.onnx", "torch.export", "onnxscript")]
    levels = [lg.level for lg in loggers]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for lg in loggers:
            lg.setLevel(logging.ERROR)
        try:
            yield
        finally:
            for lg, level in zip(loggers, levels, strict=True):
                lg.setLevel(level)


# -- which node failed ------------------------------------------------------------------
def reason(exc: BaseException) -> str:
    """The innermost cause's first line, without terminal colours: what actually went wrong."""
    inner = exc
    while inner.__cause__ is not None:
        inner = inner.__cause__
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(inner)).strip()
    first = text.splitlines()[0] if text else type(inner).__name__
    if "data-dependent" in text or "GuardOnDataDependent" in type(inner).__name__:
        first = "its forward branches on tensor values (data-dependent control flow)"
    return first[:300].rstrip(" :")


def node_from_exception(exc: BaseException, model: nn.Module) -> str | None:
    """The top-level submodule (= spec node) an exporter failed in, read from the traceback:
    a frame running that submodule's ``forward``, or the fx node being translated (whose
    ``nn_module_stack`` names the module path)."""
    children = {id(m): name for name, m in model.named_children()}
    names = set(children.values())
    seen: set[int] = set()
    e: BaseException | None = exc
    found: str | None = None
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        tb: TracebackType | None = e.__traceback__
        while tb is not None:
            local = tb.tb_frame.f_locals
            this = local.get("self")
            if isinstance(this, nn.Module) and id(this) in children:
                found = children[id(this)]  # keep the innermost
            node = local.get("node")
            if isinstance(node, fx.Node):
                for path, _type in (node.meta.get("nn_module_stack") or {}).values():
                    top = str(path).split(".")[0]
                    if top in names:
                        found = top
                        break
            tb = tb.tb_next
        e = e.__cause__ or e.__context__
    return found


def locate_by_isolation(model: nn.Module, example: torch.Tensor,
                        attempt: Callable[[nn.Module, tuple[torch.Tensor, ...]], None]
                        ) -> str | None:
    """Export each top-level submodule alone (with the inputs it really receives) until one
    fails: slower than reading the traceback, but works for any exporter."""
    inputs: dict[str, tuple[torch.Tensor, ...]] = {}
    hooks = [m.register_forward_pre_hook(lambda _m, args, n=n: inputs.setdefault(n, args))
             for n, m in model.named_children()]
    try:
        with torch.no_grad():
            model(example)
    finally:
        for h in hooks:
            h.remove()
    for name, module in model.named_children():
        if name not in inputs or not any(True for _ in module.modules()):
            continue
        try:
            with quiet():
                attempt(module, inputs[name])
        except Exception:
            return name
    return None


def failure(fmt: str, title: str, exc: BaseException, model: nn.Module,
            spec: ModelSpec | None, example: torch.Tensor | None = None,
            attempt: Callable[[nn.Module, tuple[torch.Tensor, ...]], None] | None = None,
            others: str = "") -> ExportError:
    """An ExportError naming the layer that ``title`` cannot hold, and why."""
    node = node_from_exception(exc, model)
    if node is None and attempt is not None and example is not None:
        node = locate_by_isolation(model, example, attempt)
    where = "this model"
    if node is not None:
        where = label(spec, node) if spec is not None and spec.has_node(node) else f"layer '{node}'"
    msg = f"{title} cannot hold {where}: {reason(exc)}"
    if others:
        msg += f". {others}"
    return ExportError(msg, node=node, format=fmt)
