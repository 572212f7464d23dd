"""The evaluation's figures as text: the headline over the Evaluation tab, percentages and
regression values."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.core.evaluate import EvaluationResult


def pct(v: Any) -> str:
    return f"{100 * float(v):.2f} %" if isinstance(v, int | float) and math.isfinite(v) else "—"


def num(v: Any) -> str:
    return f"{float(v):.4f}" if isinstance(v, int | float) and math.isfinite(v) else "—"


REGRESSION_FIGURES = (("mse", "MSE"), ("rmse", "RMSE"), ("mae", "MAE"), ("r2", "R²"))


def headline(result: EvaluationResult) -> str:
    """The one line over the tab: the test figures of a classification or regression run."""
    parts = []
    if result.accuracy is not None:
        parts.append(f"Test accuracy <b>{pct(result.accuracy)}</b>")
    for k, v in result.top_k.items():
        if str(k) != "1":
            parts.append(f"top-{k} {pct(v)}")
    figures = dict(result.regression or {})
    if math.isfinite(result.loss) and not (result.task == "regression" and "mse" in figures):
        parts.append(f"loss {num(result.loss)}")
    for i, (key, label) in enumerate((k, t) for k, t in REGRESSION_FIGURES if k in figures):
        value = num(figures[key])
        parts.append(f"Test {label} <b>{value}</b>" if i == 0 and not parts else f"{label} {value}")
    if result.size:
        parts.append(f"on {int(result.size):,} test samples")
    return " · ".join(parts) if parts else f"Evaluated ({result.task})"


def value_text(v: Any) -> str:
    """A regression target or prediction: one number, or several."""
    if isinstance(v, list | tuple):
        return "(" + ", ".join(value_text(x) for x in v[:4]) + (", …)" if len(v) > 4 else ")")
    return f"{float(v):.4g}" if isinstance(v, int | float) else str(v)
