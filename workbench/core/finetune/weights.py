"""Weights to start from: read from a run folder (its best checkpoint), a ``.wbbundle`` or a
bare ``.safetensors`` file, grouped by layer, and carried into a built model by layer name
and shape. Nothing is unpickled: safetensors only."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn


class FineTuneError(ValueError):
    """Weights that cannot be used as a start, or a freeze that names no layer; one line."""


@dataclass
class InitialWeights:
    """Weights to start training from instead of a fresh initialization (fine-tuning)."""

    tensors: dict[str, dict[str, torch.Tensor]]  # layer name -> that layer's state_dict
    origin: str  # where they came from: a run folder, a bundle, a safetensors file
    notes: list[str] = field(default_factory=list)
    # layers renamed on the canvas since: name now -> name in the origin (saved with the
    # model, so that reading the origin again gives each layer its own weights)
    renamed: dict[str, str] = field(default_factory=dict)

    def follow_rename(self, old: str, new: str) -> None:
        if old not in self.tensors:
            return
        self.tensors[new] = self.tensors.pop(old)
        source = self.renamed.pop(old, old)
        if source != new:
            self.renamed[new] = source

    def apply_renames(self, renamed: dict[str, str]) -> None:
        """Key the origin's tensors by today's layer names (after reading it again)."""
        moved = {now: self.tensors[was] for now, was in renamed.items() if was in self.tensors}
        for was in renamed.values():
            self.tensors.pop(was, None)
        self.tensors.update(moved)
        self.renamed = {now: was for now, was in renamed.items() if now in moved}


@dataclass
class LoadReport:
    """Which layers of a model got the start weights and which start fresh, and why."""

    origin: str
    loaded: list[str] = field(default_factory=list)
    fresh: dict[str, str] = field(default_factory=dict)  # layer -> why, in words
    unused: list[str] = field(default_factory=list)  # layers of the source the model lacks

    def lines(self) -> list[str]:
        """For a person: the start of training, the Summary, the CLI."""
        out = [f"Weights from {self.origin}: {len(self.loaded)} layer"
               f"{'' if len(self.loaded) == 1 else 's'} loaded"
               + (f" ({', '.join(self.loaded)})" if self.loaded else "")]
        out += [f"{name} starts fresh: {why}" for name, why in self.fresh.items()]
        if self.unused:
            out.append("not used (not in this model): " + ", ".join(self.unused))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"init_from": self.origin, "loaded_layers": list(self.loaded),
                "fresh_layers": dict(self.fresh), "unused_layers": list(self.unused)}


def by_layer(state: dict[str, torch.Tensor]) -> dict[str, dict[str, torch.Tensor]]:
    """``{"conv1.weight": t}`` -> ``{"conv1": {"weight": t}}`` (a built model's top-level
    modules are its layers, named as on the canvas)."""
    out: dict[str, dict[str, torch.Tensor]] = {}
    for key, tensor in state.items():
        layer, _, rest = key.removeprefix("_orig_mod.").partition(".")
        out.setdefault(layer, {})[rest] = tensor
    return out


def read_weights(source: str | Path, store: Any = None) -> InitialWeights:
    """The weights of a run (folder or id: its best checkpoint, else its last), a bundle or
    a safetensors file. Raises FineTuneError saying what is wrong."""
    from safetensors.torch import load_file

    path = Path(str(source)).expanduser()
    if path.suffix == ".safetensors":
        if not path.is_file():
            raise FineTuneError(f"there is no weights file {path}")
        try:
            state = load_file(str(path))
        except Exception as e:  # a truncated or foreign file
            raise FineTuneError(f"the weights in {path} cannot be read: {e}") from None
        return InitialWeights(by_layer(state), str(path.resolve()))
    from workbench.core.export.bundle import SUFFIX, BundleError, is_bundle, load_bundle

    if path.suffix == SUFFIX or (path.exists() and is_bundle(path)):
        try:
            bundle = load_bundle(path)
        except BundleError as e:
            raise FineTuneError(str(e)) from None
        return InitialWeights(by_layer(bundle.model.state_dict()), str(path.resolve()),
                              [f"the weights of the bundle {path.name} ({bundle.spec.name})"])
    from workbench.core.runs import RunError, open_run

    try:
        run = open_run(source, store)
        weights = run.checkpoint("best")
        state = load_file(str(weights))
    except RunError as e:
        raise FineTuneError(f"cannot start from '{source}': {e}") from None
    except Exception as e:
        raise FineTuneError(f"the weights of the run '{source}' cannot be read: {e}") from None
    which = weights.parent.name
    return InitialWeights(by_layer(state), str(run.run_dir),
                          [f"the {which} checkpoint of the run {run.run_dir.name} "
                           f"({run.spec.name})"])


def _shape(t: torch.Tensor | None) -> str:
    if t is None:
        return "none"
    return " x ".join(map(str, t.shape)) or "scalar"


def _why_not(have: dict[str, torch.Tensor], want: dict[str, torch.Tensor]) -> str | None:
    """Why a layer's saved tensors do not fit its new version; None when they do."""
    for key, t in want.items():
        if key not in have:
            return f"the saved layer has no '{key}' (a different kind of layer)"
        if tuple(have[key].shape) != tuple(t.shape):
            return (f"shape changed: {key} was {_shape(have[key])}, is now {_shape(t)}")
    extra = [k for k in have if k not in want]
    if extra:
        return f"the saved layer has '{extra[0]}', this one does not (a different kind of layer)"
    return None


def load_into(model: nn.Module, weights: InitialWeights) -> LoadReport:
    """Copy every layer whose name and shapes match into ``model`` (in place); the others
    keep their fresh initialization. Raises FineTuneError, naming a layer, when no layer
    with weights matches at all (the weights belong to another model)."""
    report = LoadReport(weights.origin)
    layers = [(name, m) for name, m in model.named_children() if m.state_dict()]
    for name, module in layers:
        want = module.state_dict()
        have = weights.tensors.get(name)
        if have is None:
            report.fresh[name] = "a new layer (not in the weights it starts from)"
            continue
        why = _why_not(have, want)
        if why is not None:
            report.fresh[name] = why
            continue
        with torch.no_grad():
            module.load_state_dict({k: have[k].to(dtype=want[k].dtype) for k in want})
        report.loaded.append(name)
    names = {n for n, _ in layers}
    report.unused = [n for n in weights.tensors if n not in names]
    if layers and not report.loaded:
        shared = [n for n, _ in layers if n in weights.tensors]
        if shared:
            first = shared[0]
            raise FineTuneError(f"the weights from {weights.origin} do not fit this model: no "
                                f"layer matches (layer '{first}': {report.fresh[first]})")
        raise FineTuneError(
            f"the weights from {weights.origin} do not fit this model: no layer matches "
            f"(layer '{layers[0][0]}' is not among its layers "
            f"{', '.join(list(weights.tensors)[:6]) or '(none)'})")
    return report
