"""The devices the Training form offers: Automatic first, then every device the engine
finds, named with their memory; the CPU is always there."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from workbench.ui.i18n import translator

tr = translator("training.devices")


@dataclass(frozen=True)
class Device:
    id: str  # "cpu", "cuda:0", "auto"
    label: str


def detect_device_choices() -> list[Device]:
    out = [Device("auto", tr("Automatic (fastest available)"))]
    found: list[Any] = []
    try:
        from workbench.core.engine import detect_devices

        found = list(detect_devices())
    except Exception:  # noqa: BLE001 - no engine yet or no driver: the CPU still works
        found = []
    seen = set()
    for d in found:
        did = str(getattr(d, "id", "cpu"))
        if did in seen:
            continue
        seen.add(did)
        label = shown_label(getattr(d, "label", "") or _device_label(d))
        out.append(Device(did, label))
    if "cpu" not in seen:
        out.append(Device("cpu", "CPU"))
    return out


def device_choices() -> list[tuple[str, str]]:
    """(id, label) pairs for the form's Device box."""
    return [(d.id, d.label) for d in detect_device_choices()]


def shown_label(label: str) -> str:
    """The engine's "CPU (8 cores)" in the interface's language."""
    cores = re.fullmatch(r"CPU \((\d+) cores?\)", label)
    return tr("CPU (%n core(s))", n=int(cores.group(1))) if cores else label


def _device_label(d: Any) -> str:
    name = getattr(d, "name", "") or str(getattr(d, "id", "device"))
    mem = getattr(d, "memory_bytes", 0) or 0
    return f"{name} ({mem / 2**30:.0f} GB)" if mem else name
