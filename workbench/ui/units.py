"""How numbers are written in the UI: counts, FLOPs, bytes, durations. Pure functions, no
Qt."""

from __future__ import annotations

import math


def fmt_count(n: int | float) -> str:
    """1234567 -> '1,234,567'."""
    return f"{int(n):,}"


def fmt_short(n: int | float, unit: str = "") -> str:
    """Compact SI form: 950 -> '950', 12_300 -> '12.3 K', 4.2e9 -> '4.20 G'."""
    n = float(n)
    for factor, prefix in ((1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "K")):
        if abs(n) >= factor:
            v = n / factor
            digits = 2 if v < 10 else 1 if v < 100 else 0
            return f"{v:.{digits}f} {prefix}{unit}"
    return f"{n:.0f} {unit}".rstrip() if unit else f"{n:.0f}"


def fmt_flops(n: int | float) -> str:
    return fmt_short(n, "FLOPs")


def fmt_params(n: int) -> str:
    """Short parameter count for node badges: 320, 18.5K, 1.20M."""
    return fmt_short(n).replace(" ", "")


def fmt_bytes(n: int | float) -> str:
    """Binary units: 0 B, 512 B, 3.4 KB, 12.5 MB, 1.23 GB."""
    n = float(n)
    for factor, unit in ((1 << 40, "TB"), (1 << 30, "GB"), (1 << 20, "MB"), (1 << 10, "KB")):
        if abs(n) >= factor:
            v = n / factor
            digits = 2 if v < 10 else 1 if v < 100 else 0
            return f"{v:.{digits}f} {unit}"
    return f"{n:.0f} B"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def fmt_duration(seconds: float | None, missing: str = "—") -> str:
    """65 -> '1:05', 3725 -> '1:02:05'; ``missing`` for None, NaN or negative."""
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return missing
    h, rem = divmod(int(round(seconds)), 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
