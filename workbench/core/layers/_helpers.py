"""Small helpers shared by the catalogue entries (parameter shorthands, messages)."""

from __future__ import annotations

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


def divisor_near(n: int, k: int) -> int:
    """The divisor of ``n`` closest to ``k`` (to suggest a valid group or head count)."""
    return min((d for d in range(1, n + 1) if n % d == 0), key=lambda d: abs(d - k))


def mismatch(what: str, expected: int, got: int, ctx_src: str, detail: str = "") -> str:
    return f"expects {expected} {what} but receives {got}{detail} {ctx_src}"
