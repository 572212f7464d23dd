"""The training engine: ``Trainer(spec, data, config).fit()`` anywhere (tests, CLI, a
QThread), reporting through plain-data events to callbacks.

Names are imported lazily (PEP 562) so that ``workbench.core.engine.events`` and ``config``,
which are plain data, can be imported without paying for torch: the GUI starts faster.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "check_compatibility": "compat", "TrainingConfig": "config", "DeviceError": "devices",
    "DeviceInfo": "devices", "detect_devices": "devices", "resolve_device": "devices",
    "TrainingError": "errors", "Callback": "events", "EpochEnd": "events",
    "EvaluationDone": "events", "Event": "events", "RunEnded": "events", "RunStarted": "events",
    "StepMetrics": "events", "TextSample": "events", "Trainer": "trainer", "Teacher": "distill",
    "GanMetrics": "events", "SampleGrid": "events", "GanTrainer": "gan",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'workbench.core.engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"workbench.core.engine.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
