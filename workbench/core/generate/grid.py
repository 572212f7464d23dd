"""Image batches as one picture (a grid), as plain numpy uint8: what events carry and PNGs hold."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch


def to_unit(images: torch.Tensor, activation: str) -> torch.Tensor:
    """Pixels in [0, 1] from a model's output range (tanh gives [-1, 1])."""
    x = images.detach().float()
    if activation == "tanh":
        x = (x + 1) / 2
    return x.clamp(0, 1)


def image_grid(images: torch.Tensor, columns: int | None = None, pad: int = 2) -> np.ndarray:
    """(N, C, H, W) pixels in [0, 1] as one (rows*H, cols*W) grey or (.., 3) RGB uint8 array,
    with ``pad`` dark pixels between tiles."""
    x = images.detach().to("cpu", torch.float32).clamp(0, 1)
    n, c, h, w = x.shape
    cols = columns or max(1, math.ceil(math.sqrt(n)))
    rows = max(1, math.ceil(n / cols))
    out = torch.zeros(c, rows * (h + pad) + pad, cols * (w + pad) + pad)
    for i in range(n):
        r, k = divmod(i, cols)
        y0, x0 = pad + r * (h + pad), pad + k * (w + pad)
        out[:, y0:y0 + h, x0:x0 + w] = x[i]
    pixels = (out * 255).round().to(torch.uint8).numpy()
    if c == 1:
        return pixels[0]
    return np.ascontiguousarray(pixels[:3].transpose(1, 2, 0))


def save_png(pixels: np.ndarray, path: str | Path, scale: int = 1) -> Path:
    """Write a grid as PNG (atomically), enlarged ``scale`` times with crisp pixels."""
    from PIL import Image

    from workbench.core.files import atomic_write_bytes

    img = Image.fromarray(pixels)
    if scale > 1:
        img = img.resize((img.width * scale, img.height * scale), Image.NEAREST)
    import io

    buf = io.BytesIO()
    img.save(buf, format="PNG")
    path = Path(path)
    atomic_write_bytes(path, buf.getvalue())
    return path
