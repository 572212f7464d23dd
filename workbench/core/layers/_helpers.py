"""Small helpers shared by the catalogue entries (parameter shorthands, code strings)."""

from __future__ import annotations

from typing import Any

from workbench.core.layers.base import AUTO, Param


def int_param(name: str, default: int, help: str, lo: int = 1, hi: int = 1_000_000,
              auto: bool = False, choices: tuple[str, ...] = ()) -> Param:
    return Param(name, "int", default, help, min=lo, max=hi, auto=auto, choices=choices)


def float_param(name: str, default: float, help: str, lo: float = 0.0, hi: float = 1.0) -> Param:
    return Param(name, "float", default, help, min=lo, max=hi)


def bool_param(name: str, default: bool, help: str) -> Param:
    return Param(name, "bool", default, help)


def choice_param(name: str, default: str, choices: tuple[str, ...], help: str) -> Param:
    return Param(name, "choice", default, help, choices=choices)


def auto_int(name: str, help: str) -> Param:
    return int_param(name, AUTO, help + " (0 = take it from the input)", lo=1, auto=True)


def pick(explicit: int, inferred: int) -> int:
    """An ``auto`` parameter's effective value."""
    return inferred if explicit == AUTO else explicit


def call(ctor: str, *args: Any, **kwargs: Any) -> str:
    """Write a constructor call as code: call("nn.Linear", 3, 4, bias=False)."""
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{ctor}({', '.join(parts)})"


def mismatch(what: str, expected: int, got: int, ctx_src: str, detail: str = "") -> str:
    return f"expects {expected} {what} but receives {got}{detail} {ctx_src}"
