"""The devices training can run on: what is there (best first) and turning a name into one."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from typing import Literal

import torch


class DeviceError(ValueError):
    """A device name that is unknown or not available here; the message lists what is."""


@dataclass(frozen=True)
class DeviceInfo:
    id: str  # what TrainingConfig.device takes: "cuda:0", "mps", "cpu"
    name: str
    memory_bytes: int | None
    kind: Literal["cuda", "mps", "cpu"]

    @property
    def label(self) -> str:
        """For a device picker: "NVIDIA H100 (80 GB)", "Apple GPU (MPS)", "CPU (8 cores)"."""
        if self.kind == "cuda":
            mem = f" ({self.memory_bytes / 2**30:.0f} GB)" if self.memory_bytes else ""
            return f"{self.name}{mem}"
        if self.kind == "mps":
            return "Apple GPU (MPS)"
        return f"CPU ({os.cpu_count() or 1} cores)"


def _mps_available() -> bool:
    mps = getattr(torch.backends, "mps", None)
    return bool(mps is not None and mps.is_available())


def detect_devices() -> list[DeviceInfo]:
    """CUDA GPUs (most memory first), then Apple's GPU, then the CPU (always there, last)."""
    found: list[DeviceInfo] = []
    if torch.cuda.is_available():
        gpus = []
        for i in range(torch.cuda.device_count()):
            props = torch.cuda.get_device_properties(i)
            gpus.append(DeviceInfo(f"cuda:{i}", props.name, int(props.total_memory), "cuda"))
        found += sorted(gpus, key=lambda d: -(d.memory_bytes or 0))  # stable: index order on ties
    if _mps_available():
        found.append(DeviceInfo("mps", "Apple GPU", None, "mps"))
    cpu_name = platform.processor() or platform.machine() or "CPU"
    found.append(DeviceInfo("cpu", cpu_name, None, "cpu"))
    return found


def resolve_device(name: str) -> torch.device:
    """"auto" -> the best device; "cpu", "cuda" (= cuda:0), "cuda:N", "mps" when available.

    Raises DeviceError naming what is available, e.g. "CUDA device 'cuda:1' is not available;
    available: cpu".
    """
    text = (name or "auto").strip().lower()
    devices = detect_devices()
    available = ", ".join(d.id for d in devices)
    if text == "auto":
        return torch.device(devices[0].id)
    if text == "cpu":
        return torch.device("cpu")
    if text == "mps":
        if _mps_available():
            return torch.device("mps")
        raise DeviceError(f"The Apple GPU 'mps' is not available; available: {available}")
    if text == "cuda" or text.startswith("cuda:"):
        index = text.partition(":")[2] or "0"
        if index.isdigit() and any(d.id == f"cuda:{int(index)}" for d in devices):
            return torch.device(f"cuda:{int(index)}")
        raise DeviceError(f"CUDA device '{name}' is not available; available: {available}")
    raise DeviceError(f"Unknown device '{name}': use auto, cpu, cuda, cuda:N or mps "
                      f"(available: {available})")


def describe_device(device: torch.device) -> str:
    """For events and logs: "cuda:0 (NVIDIA H100 80GB HBM3)", "mps" or "cpu"."""
    if device.type == "cuda":
        index = device.index if device.index is not None else torch.cuda.current_device()
        return f"cuda:{index} ({torch.cuda.get_device_name(index)})"
    return device.type
