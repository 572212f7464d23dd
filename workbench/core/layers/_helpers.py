"""Small helpers shared by the catalogue entries (parameter shorthands, messages)."""

from __future__ import annotations

from workbench.core.layers.base import AUTO, Param, fmt_shape


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


# Sequence layers that can skip padding: "in" the sequence, and optionally "tokens", the
# token ids it was made from (connect the token input), whose <pad> steps they then ignore.
PADDING_PORTS = ("in", "tokens")


def with_tokens_port(check):
    """``check`` of the main input, plus the check of an optional ``tokens`` input: token
    ids (one axis) as long as the sequence (or one shorter, for a class token in front)."""

    def checked(p, ctx):
        problem = check(p, ctx) if check is not None else None
        if problem or len(ctx.shapes) < 2:
            return problem
        seq, tokens = ctx.shapes[0], ctx.shapes[1]
        if len(tokens) != 1:
            return (f"takes token ids on its 'tokens' input (connect the token sequence input) "
                    f"but receives {fmt_shape(tokens)} {ctx.src(1)}")
        if seq and tokens[0] not in (seq[0], seq[0] - 1):
            return (f"receives {tokens[0]} token ids {ctx.src(1)} for a sequence of {seq[0]} "
                    f"steps: connect the token input the sequence was made from")
        return None

    return checked
