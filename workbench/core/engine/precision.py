"""Which arithmetic precision a run uses on its device, and the matching autocast/scaler."""

from __future__ import annotations

import torch

from workbench.core.engine.errors import TrainingError

DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16}


def resolve_precision(requested: str, device: torch.device) -> str:
    """"fp32", "bf16" or "fp16" for ``requested`` on ``device``.

    auto: bf16 on CUDA GPUs that support it, else fp16 (with a gradient scaler) on CUDA;
    fp32 elsewhere. bf16 on the CPU only when asked for explicitly (it is slower than fp32 on
    most CPUs). fp16 is refused on the CPU: CPUs lack fast fp16 and the gradient scaler it
    needs is meant for GPUs; this is an error rather than a silent fallback so the choice the
    user sees is the one that runs.
    """
    if requested == "auto":
        if device.type == "cuda":
            return "bf16" if torch.cuda.is_bf16_supported() else "fp16"
        return "fp32"
    if requested == "fp32":
        return "fp32"
    if requested == "bf16":
        if device.type == "cuda" and not torch.cuda.is_bf16_supported():
            raise TrainingError("This GPU does not support bf16: choose fp16, fp32 or auto.")
        return "bf16"
    if requested == "fp16":
        if device.type == "cpu":
            raise TrainingError("fp16 needs a GPU: on the CPU choose fp32 (or bf16, or auto).")
        return "fp16"
    raise TrainingError(f"Unknown precision '{requested}': choose auto, fp32, bf16 or fp16.")


def autocast(precision: str, device: torch.device) -> torch.autocast | None:
    """An autocast context for bf16/fp16; None for fp32 (no context at all: it costs time)."""
    if precision == "fp32":
        return None
    return torch.autocast(device_type=device.type, dtype=DTYPES[precision])


def grad_scaler(precision: str, device: torch.device) -> torch.amp.GradScaler | None:
    """fp16 gradients underflow without loss scaling; bf16 has fp32's range and needs none."""
    if precision != "fp16":
        return None
    return torch.amp.GradScaler(device.type)
