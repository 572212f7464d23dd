"""What a sweep varies: ``lr=1e-4..1e-2:log`` (a range, log-scaled), ``batch_size=32,64,128``
(choices), ``fc.out_features=16..128`` (a layer's parameter: NODE.PARAM). Training settings
are checked against their declarations, layer parameters against the layer catalogue, so a
mistyped name is refused before any trial runs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from workbench.core.engine.config import TrainingConfig
from workbench.core.graph import ModelSpec
from workbench.core.layers import CATALOGUE


class SweepParamError(ValueError):
    """A --param that cannot be used; the message names it and says what to write."""


@dataclass(frozen=True)
class SweepParam:
    name: str  # "lr", or "node.param" for a layer's parameter
    low: float | None = None
    high: float | None = None
    log: bool = False
    integer: bool = False
    choices: tuple[Any, ...] = ()

    @property
    def node(self) -> str | None:
        return self.name.split(".", 1)[0] if "." in self.name else None

    @property
    def key(self) -> str:
        return self.name.split(".", 1)[1] if "." in self.name else self.name

    def suggest(self, trial: Any) -> Any:
        """This parameter's value for an Optuna trial."""
        if self.choices:
            return trial.suggest_categorical(self.name, list(self.choices))
        if self.integer:
            return trial.suggest_int(self.name, int(self.low), int(self.high), log=self.log)  # type: ignore[arg-type]
        return trial.suggest_float(self.name, self.low, self.high, log=self.log)  # type: ignore[arg-type]

    def describe(self) -> str:
        if self.choices:
            return f"{self.name} in {{{', '.join(map(str, self.choices))}}}"
        return f"{self.name} in [{self.low:g}, {self.high:g}]" + (" (log)" if self.log else "")


def _value(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text  # a choice word: "adamw", "gelu"


def parse_param(text: str, spec: ModelSpec | None = None) -> SweepParam:
    """``NAME=LOW..HIGH[:log]`` or ``NAME=A,B,C``; NAME a training setting or NODE.PARAM."""
    name, sep, body = text.partition("=")
    name, body = name.strip(), body.strip()
    if not sep or not name or not body:
        raise SweepParamError(f"--param {text!r}: write NAME=LOW..HIGH[:log] or NAME=A,B,C, "
                              "e.g. lr=1e-4..1e-2:log or batch_size=32,64,128")
    log = body.endswith(":log")
    body = body.removesuffix(":log")
    if ".." in body:
        lo_text, _, hi_text = body.partition("..")
        lo, hi = _value(lo_text.strip()), _value(hi_text.strip())
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lo, hi)):
            raise SweepParamError(f"--param {text!r}: a range takes two numbers, LOW..HIGH")
        if lo >= hi:
            raise SweepParamError(f"--param {text!r}: LOW must be less than HIGH")
        if log and lo <= 0:
            raise SweepParamError(f"--param {text!r}: a log range must start above 0")
        param = SweepParam(name, lo, hi, log, isinstance(lo, int) and isinstance(hi, int))
        samples = (lo, hi)
    else:
        if log:
            raise SweepParamError(f"--param {text!r}: ':log' belongs to a range LOW..HIGH")
        choices = tuple(_value(c.strip()) for c in body.split(",") if c.strip())
        if not choices:
            raise SweepParamError(f"--param {text!r}: give at least one value")
        param = SweepParam(name, choices=choices)
        samples = choices
    for v in samples:
        problem = check_value(param, v, spec)
        if problem:
            raise SweepParamError(f"--param {text!r}: {problem}")
    return param


def check_value(param: SweepParam, value: Any, spec: ModelSpec | None) -> str | None:
    """Why ``value`` cannot be used for ``param`` (unknown name, refused value), or None."""
    if param.node is None:
        s = TrainingConfig.setting(param.name)
        if s is None:
            names = ", ".join(x.name for x in TrainingConfig.settings())
            return f"no training setting '{param.name}' (settings: {names}; a layer's " \
                   "parameter is NODE.PARAM)"
        if s.kind == "float" and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        rule = s.check(value)
        return f"{s.label.lower()} {rule}, not {value!r}" if rule else None
    if spec is None:
        return None
    if not spec.has_node(param.node):
        names = ", ".join(n.name for n in spec.nodes)
        return f"the model has no layer '{param.node}' (layers: {names})"
    kind = CATALOGUE[spec.node(param.node).kind]
    try:
        p = kind.param(param.key)
    except KeyError:
        names = ", ".join(p.name for p in kind.params) or "none"
        return f"layer '{param.node}' ({spec.node(param.node).kind}) has no parameter '{param.key}' " \
               f"(its parameters: {names})"
    rule = p.check(value)
    return f"{param.name} {rule}, not {value!r}" if rule else None


def apply_values(spec: ModelSpec, config: TrainingConfig, values: dict[str, Any]
                 ) -> tuple[ModelSpec, TrainingConfig]:
    """The spec and config with a trial's values set (layer ones on a copy of the spec)."""
    settings = {k: v for k, v in values.items() if "." not in k}
    for k, v in list(settings.items()):
        s = TrainingConfig.setting(k)
        if s is not None and s.kind == "float" and isinstance(v, int):
            settings[k] = float(v)
    config = TrainingConfig.from_dict({**config.to_dict(), **settings})
    layered = {k: v for k, v in values.items() if "." in k}
    if layered:
        spec = spec.copy()
        for k, v in layered.items():
            node, key = k.split(".", 1)
            spec.node(node).params[key] = v
    return spec, config
