"""The declaration every layer kind is made of: parameters, ports, and the constructor and
arguments from which both the built module and its exported code follow."""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from torch import nn

Shape = tuple[int, ...]
"""A per-sample shape: the batch axis is never included."""

ParamType = Literal["int", "float", "bool", "choice", "shape"]

AUTO = 0
"""For ``auto`` integer parameters (in_features, in_channels, ...): 0 means infer from input."""


@dataclass(frozen=True)
class Param:
    """One parameter of a layer kind; read by the inspector form, validation and code export."""

    name: str
    type: ParamType
    default: Any
    help: str
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    auto: bool = False  # int parameter where 0 means "infer from the input shape"
    label: str = ""

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()

    def check(self, value: Any) -> str | None:
        """Return why ``value`` is not acceptable, or None. Never raises."""
        if self.type == "bool":
            return None if isinstance(value, bool) else "must be true or false"
        if self.type == "choice":
            if value not in self.choices:
                return f"must be one of {', '.join(map(str, self.choices))}"
            return None
        if self.type == "shape":
            if not isinstance(value, list | tuple) or not value or len(value) > 6:
                return "must be a list of 1 to 6 positive whole numbers"
            for v in value:
                if isinstance(v, bool) or not isinstance(v, int) or not (1 <= v <= 1_000_000):
                    return "must be a list of 1 to 6 positive whole numbers"
            return None
        if self.type == "int":
            if isinstance(value, str) and value in self.choices:
                return None  # e.g. padding "same"
            if isinstance(value, bool) or not isinstance(value, int):
                extra = f" or one of {', '.join(self.choices)}" if self.choices else ""
                return "must be a whole number" + extra
            if self.auto and value == AUTO:
                return None
        elif self.type == "float":
            if isinstance(value, bool) or not isinstance(value, int | float):
                return "must be a number"
            if not math.isfinite(value):
                return "must be a finite number"
        if self.min is not None and value < self.min:
            return f"must be at least {_fmt(self.min)}" + (" (or 0 for auto)" if self.auto else "")
        if self.max is not None and value > self.max:
            return f"must be at most {_fmt(self.max)}"
        return None


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


CallArgs = tuple[tuple[Any, ...], dict[str, Any]]
"""Positional and keyword arguments for a constructor."""

ArgsFn = Callable[[dict[str, Any], list[Shape]], CallArgs]
"""(resolved params, per-sample input shapes) -> the constructor's arguments."""


def args(*positional: Any, **keywords: Any) -> CallArgs:
    """Write an argument list as it reads: ``args(3, 32, 3, padding=1)``."""
    return positional, keywords


def no_args(params: dict[str, Any], shapes: list[Shape]) -> CallArgs:
    return (), {}


@dataclass(frozen=True)
class CheckContext:
    """What a checker knows about a node's inputs: shapes and where each one comes from."""

    shapes: list[Shape]
    sources: list[str]  # e.g. "from Flatten 'flatten'"
    details: list[str]  # e.g. " (64 x 7 x 7)" when the producer flattened something, else ""

    def src(self, i: int = 0) -> str:
        return self.sources[i]

    def detail(self, i: int = 0) -> str:
        return self.details[i]


Checker = Callable[[dict[str, Any], CheckContext], str | None]
"""(params, inputs) -> a readable problem with the inputs, or None. The analysis prefixes the
node's kind and name, so a message reads "expects 1024 input features but receives ..."."""


@dataclass(frozen=True)
class LayerKind:
    """One entry of the catalogue. Everything that knows about a layer reads it from here.

    ``constructor`` (a torch.nn class or one from ``layers.modules``) and ``arguments`` are
    the single source of both ``build`` (the module) and ``code`` (the Python expression the
    exporter writes), so the two cannot drift.
    """

    kind: str
    group: str
    title: str
    help: str
    params: tuple[Param, ...]
    constructor: type[nn.Module]
    arguments: ArgsFn = no_args
    inputs: tuple[str, ...] = ("in",)
    min_inputs: int | None = None  # merge layers: how many of ``inputs`` must be connected
    check: Checker | None = None
    # Input layers only: the per-sample shape and dtype of the data this node receives.
    data_shape: Callable[[dict[str, Any]], Shape] | None = None
    data_kind: Literal["image", "features", "tokens", "sequence"] | None = None
    task: Literal["classification", "regression", "image"] | None = None  # output layers only
    key_params: tuple[str, ...] = field(default=())  # shown on the canvas node
    # a new node's name, in the style of the templates: "conv" gives conv, conv_1, ...
    # (left empty, the kind in lower case: "relu", "flatten")
    name_base: str = ""

    def __post_init__(self) -> None:
        if not self.name_base:
            object.__setattr__(self, "name_base", self.kind.lower())

    @property
    def is_input(self) -> bool:
        return self.data_shape is not None

    @property
    def is_output(self) -> bool:
        return self.task is not None

    @property
    def required_inputs(self) -> int:
        return len(self.inputs) if self.min_inputs is None else self.min_inputs

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def defaults(self) -> dict[str, Any]:
        return {p.name: (list(p.default) if isinstance(p.default, tuple) else p.default)
                for p in self.params}

    def resolve(self, params: dict[str, Any]) -> dict[str, Any]:
        """Defaults overlaid with the given values (unknown names dropped)."""
        out = self.defaults()
        out.update({k: v for k, v in params.items() if k in out})
        return out

    def call_args(self, params: dict[str, Any], shapes: list[Shape]) -> CallArgs:
        """The constructor's arguments for resolved ``params`` and per-sample input ``shapes``,
        leaving out keyword arguments equal to the constructor's own defaults."""
        positional, keywords = self.arguments(params, list(shapes))
        defaults = _keyword_defaults(self.constructor)
        kept = {k: v for k, v in keywords.items()
                if k not in defaults or not _same(v, defaults[k])}
        return tuple(positional), kept

    def build(self, params: dict[str, Any], shapes: list[Shape]) -> nn.Module:
        """The module for resolved ``params`` and per-sample input ``shapes``."""
        positional, keywords = self.call_args(params, shapes)
        return self.constructor(*positional, **keywords)

    def code(self, params: dict[str, Any], shapes: list[Shape]) -> str:
        """The Python expression that builds the same module, e.g. 'nn.Conv2d(1, 32, 3)'."""
        positional, keywords = self.call_args(params, shapes)
        parts = [repr(a) for a in positional] + [f"{k}={v!r}" for k, v in keywords.items()]
        return f"{self.code_name}({', '.join(parts)})"

    @property
    def code_name(self) -> str:
        """How exported code names the constructor: ``nn.Conv2d``, or a copied helper's name."""
        cls = self.constructor
        if cls.__module__.startswith("torch.nn") and getattr(nn, cls.__name__, None) is cls:
            return f"nn.{cls.__name__}"
        return cls.__name__


@functools.cache
def _keyword_defaults(cls: type) -> dict[str, Any]:
    try:
        sig = inspect.signature(cls)
    except (TypeError, ValueError):
        return {}
    return {n: p.default for n, p in sig.parameters.items()
            if p.default is not inspect.Parameter.empty}


def _same(a: Any, b: Any) -> bool:
    """Equal, and both or neither a bool (so ``True`` is not taken for the default ``1``)."""
    if a is None or b is None:
        return a is b
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    try:
        return bool(a == b)
    except Exception:  # e.g. a default that does not compare to a plain value
        return False


def fmt_shape(shape: Sequence[int] | None) -> str:
    if shape is None:
        return "?"
    return " x ".join(str(int(s)) for s in shape) if shape else "scalar"
