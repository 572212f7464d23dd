"""The training engine: ``Trainer(spec, data, config).fit()`` anywhere (tests, CLI, a
QThread), reporting through plain-data events to callbacks."""

from workbench.core.engine.compat import check_compatibility
from workbench.core.engine.config import TrainingConfig
from workbench.core.engine.devices import DeviceError, DeviceInfo, detect_devices, resolve_device
from workbench.core.engine.errors import TrainingError
from workbench.core.engine.events import (
    Callback,
    EpochEnd,
    EvaluationDone,
    Event,
    RunEnded,
    RunStarted,
    StepMetrics,
)
from workbench.core.engine.trainer import Trainer

__all__ = ["Callback", "DeviceError", "DeviceInfo", "EpochEnd", "EvaluationDone", "Event",
           "RunEnded", "RunStarted", "StepMetrics", "Trainer", "TrainingConfig", "TrainingError",
           "check_compatibility", "detect_devices", "resolve_device"]
