"""Does a model fit the memory it would run in? Checked from the analysis (shapes on the
``meta`` device, nothing allocated) before a model is built, so an absurd size (a 4 TB
Linear, a million channels) is a message with the figure instead of an allocator crash."""

from __future__ import annotations

import os

import torch

from workbench.core.graph.analysis import Analysis


class ModelTooLargeError(ValueError):
    """The model would need more memory than the device has; the message gives both."""


def human_bytes(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB", "PB"):
        if abs(n) < 1024 or unit == "PB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} PB"


def device_memory(device: torch.device | str = "cpu") -> tuple[int | None, str]:
    """(bytes, what) of the memory a model on ``device`` lives in: RAM for the CPU (and for
    Apple's GPU, which shares it), the GPU's own memory for CUDA; None when unknown."""
    device = torch.device(device)
    if device.type == "cuda":
        try:
            index = device.index if device.index is not None else torch.cuda.current_device()
            return int(torch.cuda.get_device_properties(index).total_memory), \
                f"the GPU {torch.cuda.get_device_name(index)}"
        except Exception:  # noqa: BLE001 - no driver: let the build find out
            return None, "the GPU"
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")), "this computer"
    except (ValueError, OSError, AttributeError):  # Windows has no sysconf
        try:
            import ctypes

            class _Status(ctypes.Structure):
                _fields_ = [("length", ctypes.c_ulong), ("load", ctypes.c_ulong),
                            ("total", ctypes.c_ulonglong), ("avail", ctypes.c_ulonglong),
                            ("pf", ctypes.c_ulonglong), ("apf", ctypes.c_ulonglong),
                            ("virt", ctypes.c_ulonglong), ("avirt", ctypes.c_ulonglong),
                            ("ext", ctypes.c_ulonglong)]

            status = _Status()
            status.length = ctypes.sizeof(_Status)
            ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status))  # type: ignore[attr-defined]
            return int(status.total), "this computer"
        except Exception:  # noqa: BLE001
            return None, "this computer"


def needed_bytes(analysis: Analysis, *, training: bool) -> int:
    m = analysis.memory
    return m.total if training else m.weights


def check_fits(analysis: Analysis, device: torch.device | str = "cpu", *,
               training: bool = True) -> None:
    """Raise ModelTooLargeError when the estimate (weights, and for training gradients,
    optimizer state and activations at the analysed batch) exceeds the device's memory."""
    have, where = device_memory(device)
    need = needed_bytes(analysis, training=training)
    if have is None or need <= have:
        return
    m = analysis.memory
    detail = (f"weights {human_bytes(m.weights)}, gradients and optimizer "
              f"{human_bytes(m.gradients + m.optimizer)}, activations at batch "
              f"{analysis.batch} {human_bytes(m.activations)}") if training else \
        f"{analysis.total_params:,} parameters"
    what = "to train" if training else "for its weights"
    hint = "use a smaller batch or fewer units" if training and m.activations > m.weights \
        else "use fewer units, channels or a smaller input"
    raise ModelTooLargeError(f"the model needs about {human_bytes(need)} {what} ({detail}) but "
                             f"{where} has {human_bytes(have)} of memory: {hint}")
