"""The evaluation's figures as text: the headline over the Evaluation tab, percentages and
regression values."""

from __future__ import annotations

import math
from typing import Any


def pct(v: Any) -> str:
    return f"{100 * float(v):.2f} %" if isinstance(v, int | float) and math.isfinite(v) else "—"


def num(v: Any) -> str:
    return f"{float(v):.4f}" if isinstance(v, int | float) and math.isfinite(v) else "—"


REGRESSION_FIGURES = (("mse", "MSE"), ("rmse", "RMSE"), ("mae", "MAE"), ("r2", "R²"))


def regression_figures(results: dict[str, Any]) -> dict[str, Any]:
    """MSE, MAE, R² (RMSE when given) of a regression result: EvaluationResult keeps them
    under "regression"; a flat dict (older files, other tools) has them at the top level."""
    nested = results.get("regression") or {}
    return {key: nested[key] if key in nested else results[key]
            for key, _ in REGRESSION_FIGURES if key in nested or key in results}


def headline(results: dict[str, Any]) -> str:
    """The one line over the tab: the test figures of a classification or regression run."""
    task = results.get("task", "classification")
    parts = []
    if results.get("accuracy") is not None:
        parts.append(f"Test accuracy <b>{pct(results['accuracy'])}</b>")
    for k, v in (results.get("top_k") or {}).items():
        if str(k) != "1":
            parts.append(f"top-{k} {pct(v)}")
    figures = regression_figures(results)
    if results.get("loss") is not None and not (task == "regression" and "mse" in figures):
        parts.append(f"loss {num(results['loss'])}")
    for i, (key, label) in enumerate((k, t) for k, t in REGRESSION_FIGURES if k in figures):
        value = num(figures[key])
        parts.append(f"Test {label} <b>{value}</b>" if i == 0 and not parts else f"{label} {value}")
    size = results.get("size")
    if size:
        parts.append(f"on {int(size):,} test samples")
    return " · ".join(parts) if parts else f"Evaluated ({task})"


def value_text(v: Any) -> str:
    """A regression target or prediction: one number, or several."""
    if isinstance(v, list | tuple):
        return "(" + ", ".join(value_text(x) for x in v[:4]) + (", …)" if len(v) > 4 else ")")
    return f"{float(v):.4g}" if isinstance(v, int | float) else str(v)
