"""Runs side by side: the settings and results that differ between runs. The Runs tab's
comparison table and ``workbench runs compare`` both read these rows."""

from __future__ import annotations

import math
from typing import Any

from workbench.core.data.locations import display_source
from workbench.core.engine.config import TrainingConfig
from workbench.core.runs.store import RunRecord

Row = tuple[str, list[Any], bool]  # (key, value per run, differs)

# results as the Runs table names them
RESULTS: tuple[tuple[str, str], ...] = (
    ("status", "Status"), ("epochs_done", "Epochs done"),
    ("best_val_accuracy", "Best val acc"), ("test_accuracy", "Test acc"),
    ("test_loss", "Test loss"), ("seconds", "Duration"), ("device", "Device"))
_RESULT_LABELS = dict(RESULTS)


def compare_configs(records: list[RunRecord]) -> list[Row]:
    """(key, value per run, differs) for every config key plus the data source and model."""
    keys: list[str] = ["model", "data"]
    for r in records:
        for k in (r.config or {}):
            if k not in keys:
                keys.append(k)
    out = []
    for k in keys:
        if k == "model":
            values = [r.spec_name for r in records]
        elif k == "data":
            values = [display_source(r.data_source) for r in records]
        else:
            values = [(r.config or {}).get(k) for r in records]
        out.append((k, values, _differs(values)))
    return out


def compare_results(records: list[RunRecord]) -> list[Row]:
    """(key, value per run, differs) for each result: status, epochs, accuracies, time."""
    out = []
    for key, _ in RESULTS:
        values = [getattr(r, key) for r in records]
        out.append((key, values, _differs(values)))
    return out


def _differs(values: list[Any]) -> bool:
    return any(v != values[0] for v in values[1:])


def row_label(key: str) -> str:
    """A row's name for people: "Learning rate", "Test acc", "Model"."""
    return _RESULT_LABELS.get(key) or TrainingConfig.label(key)


def cell_text(key: str, value: Any) -> str:
    """A value as the comparison shows it: a setting's title, a percentage, a duration."""
    if value is None:
        return "—"
    if key in ("best_val_accuracy", "test_accuracy") and isinstance(value, int | float):
        return f"{100 * value:.2f} %"
    if key == "seconds" and isinstance(value, int | float):
        return duration_text(float(value))
    if key in ("status", "device"):
        return str(value)
    setting = TrainingConfig.setting(key)
    if setting is not None:
        return setting.title_of(value)
    if isinstance(value, float):
        return f"{value:.4g}" if math.isfinite(value) else str(value)
    return str(value)


def duration_text(seconds: float) -> str:
    s = int(round(seconds))
    if s < 60:
        return f"{seconds:.1f} s"
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
