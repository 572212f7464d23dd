"""Growing numpy buffers for curves that gain points for hours: appends are amortized O(1)
(capacity doubles) and the visible data is a view, never a copy."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


class GrowingSeries:
    """x and y float64 buffers with a length; ``x``/``y`` are views of the filled part."""

    def __init__(self, capacity: int = 1024) -> None:
        self._x = np.empty(max(16, capacity))
        self._y = np.empty(max(16, capacity))
        self.n = 0

    def __len__(self) -> int:
        return self.n

    @property
    def capacity(self) -> int:
        return len(self._x)

    @property
    def x(self) -> np.ndarray:
        return self._x[: self.n]

    @property
    def y(self) -> np.ndarray:
        return self._y[: self.n]

    def _reserve(self, n: int) -> None:
        if n <= len(self._x):
            return
        cap = len(self._x)
        while cap < n:
            cap *= 2
        for name in ("_x", "_y"):
            old = getattr(self, name)
            new = np.empty(cap)
            new[: self.n] = old[: self.n]
            setattr(self, name, new)

    def append(self, x: float, y: float) -> None:
        self._reserve(self.n + 1)
        self._x[self.n] = x
        self._y[self.n] = y
        self.n += 1

    def extend(self, xs: Iterable[float] | np.ndarray, ys: Iterable[float] | np.ndarray) -> None:
        xs = np.asarray(xs, dtype=np.float64).ravel()
        ys = np.asarray(ys, dtype=np.float64).ravel()
        if len(xs) != len(ys):
            raise ValueError("x and y must have the same length")
        m = len(xs)
        if not m:
            return
        self._reserve(self.n + m)
        self._x[self.n : self.n + m] = xs
        self._y[self.n : self.n + m] = ys
        self.n += m

    def clear(self) -> None:
        self.n = 0

    def nearest(self, x: float) -> int | None:
        """Index of the point whose x is nearest ``x`` (x must be ascending, as steps are)."""
        if not self.n:
            return None
        xs = self.x
        i = int(np.searchsorted(xs, x))
        if i <= 0:
            return 0
        if i >= self.n:
            return self.n - 1
        return i if abs(xs[i] - x) < abs(x - xs[i - 1]) else i - 1

    def last(self) -> tuple[float, float] | None:
        return (float(self._x[self.n - 1]), float(self._y[self.n - 1])) if self.n else None


class Ema:
    """Exponential moving average, fed incrementally: ``s = w * s + (1 - w) * v``.

    Starts at the first value (no zero bias). NaN or infinite values pass through unchanged
    and do not disturb the state. ``weight`` 0 means no smoothing.

    With ``steps`` (the training step of each value) the weight is per step: a value that
    stands for k steps (the engine averages the steps between two reports, a few a second)
    moves the state as k per-step values would, ``w**k``. So a fast run reported every 20
    steps is not smoothed 20 times more than a slow one reported every step (its smoothed
    curve lagged far behind the raw one).
    """

    def __init__(self, weight: float = 0.9) -> None:
        self.weight = float(weight)
        self.state: float | None = None
        self.last_step: float | None = None

    def reset(self) -> None:
        self.state = None
        self.last_step = None

    def __call__(self, values: np.ndarray | Iterable[float],
                 steps: np.ndarray | Iterable[float] | None = None) -> np.ndarray:
        v = np.asarray(values, dtype=np.float64).ravel()
        out = v.copy()
        good = np.isfinite(v)
        if not good.any():
            return out
        g = v[good]
        w = self.weight
        if self.state is None:
            self.state = float(g[0])
        gaps = None
        if steps is not None:
            x = np.asarray(steps, dtype=np.float64).ravel()[good]
            prev = self.last_step if self.last_step is not None else x[0] - 1.0
            gaps = np.diff(x, prepend=prev)
            gaps = np.where(gaps > 0, gaps, 1.0)  # out of order or NaN: one step
            self.last_step = float(x[-1])
            if np.all(gaps == 1.0):
                gaps = None
        if w <= 0:
            self.state = float(g[-1])
            return out
        sm = _ema(g, w, self.state) if gaps is None else _ema_decays(g, w ** gaps, self.state)
        self.state = float(sm[-1])
        out[good] = sm
        return out


def _ema_decays(x: np.ndarray, a: np.ndarray, state: float) -> np.ndarray:
    """``s[i] = a[i] * s[i-1] + (1 - a[i]) * x[i]`` from ``s[-1] = state``, vectorized.

    ``s[i] = P[i] (state + sum_j<=i (1 - a[j]) x[j] / P[j])`` with ``P`` the running product
    of ``a``, in blocks within which ``P`` stays above 1e-100.
    """
    out = np.empty_like(x)
    a = np.clip(a, 1e-12, 1.0)
    depth = np.cumsum(-np.log10(a))  # decades of decay so far
    n, start = len(x), 0
    while start < n:
        base = depth[start - 1] if start else 0.0
        end = min(n, max(start + 1, int(np.searchsorted(depth, base + 100.0, side="right"))))
        ab, xb = a[start:end], x[start:end]
        p = np.cumprod(ab)
        res = p * (state + np.cumsum((1.0 - ab) * xb / p))
        out[start:end] = res
        state = float(res[-1])
        start = end
    return out


def _ema(x: np.ndarray, w: float, state: float) -> np.ndarray:
    """``s[i] = w * s[i-1] + (1 - w) * x[i]`` from ``s[-1] = state``, vectorized.

    In closed form ``s[j] = w^(j+1) state + (1 - w) w^j sum_k<=j x[k] w^-k``; blocks are short
    enough that ``w^-k`` stays far from overflowing (w^-m <= 1e100).
    """
    out = np.empty_like(x)
    block = max(1, min(4096, int(100 / -np.log10(w)))) if w < 1 else 4096
    for start in range(0, len(x), block):
        chunk = x[start:start + block]
        k = np.arange(len(chunk), dtype=np.float64)
        wk = w ** k
        acc = np.cumsum(chunk / wk)
        res = w * wk * state + (1.0 - w) * wk * acc
        out[start:start + block] = res
        state = float(res[-1])
    return out


class Envelope:
    """Min/max of a GrowingSeries per bucket of ``size`` points, extended incrementally.

    Drawn as two points per bucket (its min, then its max, at the bucket's first x), it looks
    like the full-resolution curve at any zoom where a bucket is narrower than a pixel, with
    ``size`` times fewer points.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.points = GrowingSeries(256)  # x: each bucket's first x twice; y: its min, max
        self.buckets = 0

    def update(self, series: GrowingSeries) -> None:
        complete = series.n // self.size
        if complete <= self.buckets:
            if complete < self.buckets:  # the series was cleared
                self.points.clear()
                self.buckets = 0
            else:
                return
        lo, hi = self.buckets * self.size, complete * self.size
        ys = series.y[lo:hi].reshape(-1, self.size)
        xs = series.x[lo:hi:self.size]
        with np.errstate(invalid="ignore"):
            mins = np.fmin.reduce(ys, axis=1)  # fmin/fmax skip NaN unless all are NaN
            maxs = np.fmax.reduce(ys, axis=1)
        inter = np.empty(2 * len(xs))
        inter[0::2], inter[1::2] = mins, maxs
        self.points.extend(np.repeat(xs, 2), inter)
        self.buckets = complete


class LevelOfDetail:
    """What to hand pyqtgraph for a series of any length: the raw points when few are in
    view, else the envelope whose buckets keep about ``target`` points in view (plus the raw
    tail that does not fill a bucket yet). Envelopes are built once and extended as points
    arrive, so a refresh costs O(points drawn), not O(points recorded)."""

    def __init__(self, series: GrowingSeries, target: int = 1024, raw_limit: int = 4000) -> None:
        self.series = series
        self.target = target
        self.raw_limit = raw_limit
        self.levels: dict[int, Envelope] = {}

    def clear(self) -> None:
        self.levels.clear()

    def arrays(self, x0: float | None = None, x1: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        s = self.series
        n = s.n
        if n <= self.raw_limit:
            return s.x, s.y
        xs = s.x
        i0, i1 = 0, n
        if x0 is not None and x1 is not None and x1 > x0:
            i0 = max(0, int(np.searchsorted(xs, x0)) - 1)
            i1 = min(n, int(np.searchsorted(xs, x1)) + 1)
        visible = max(1, i1 - i0)
        if visible <= self.raw_limit:
            return s.x[i0:i1], s.y[i0:i1]  # zoomed in: full resolution
        size = 2
        while visible // size > self.target:
            size *= 2
        env = self.levels.get(size)
        if env is None:
            env = self.levels[size] = Envelope(size)
        env.update(s)
        b0, b1 = i0 // size, min(env.buckets, i1 // size + 1)
        tail0 = env.buckets * size
        ex, ey = env.points.x[2 * b0:2 * b1], env.points.y[2 * b0:2 * b1]
        if i1 > tail0:
            return (np.concatenate([ex, s.x[tail0:i1]]), np.concatenate([ey, s.y[tail0:i1]]))
        return ex, ey
