"""Reading image files into tensors with a data set's colour mode and size."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from workbench.core.data.errors import DataSourceError

# Modes without colour; everything else (RGB, RGBA, P, CMYK, ...) is read as RGB.
GREY_MODES = frozenset({"1", "L", "LA", "La", "I", "I;16", "I;16B", "I;16L", "I;16N", "F"})

# Everything PIL may raise on a bad file (truncated, not an image, too large, ...).
READ_ERRORS = (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError)


def is_grey(mode: str) -> bool:
    return mode in GREY_MODES


def load_image(path: str | Path) -> Image.Image:
    """Open and fully decode an image (decoding is where corrupt files fail)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PIL warns on odd metadata; a bad file raises anyway
        with Image.open(path) as img:
            img.load()
            return img.copy()


def image_to_array(img: Image.Image, channels: int, size_hw: tuple[int, int]) -> np.ndarray:
    """(H, W, C) uint8 array in mode L (1 channel) or RGB (3 channels), resized bilinearly."""
    if img.mode.startswith("I;16") or img.mode in ("I", "F"):
        # PIL's convert("L") clips 16-bit/float data instead of scaling it; scale by hand.
        arr = np.asarray(img, dtype=np.float32)
        peak = float(arr.max()) if arr.size else 0.0
        scale = 255.0 / 65535.0 if peak > 255 else 1.0
        img = Image.fromarray(np.clip(arr * scale, 0, 255).astype(np.uint8), mode="L")
    mode = "L" if channels == 1 else "RGB"
    if img.mode != mode:
        img = img.convert(mode)
    h, w = size_hw
    if img.size != (w, h):
        img = img.resize((w, h), Image.Resampling.BILINEAR)
    arr = np.asarray(img, dtype=np.uint8)
    return arr[:, :, None] if arr.ndim == 2 else arr


def image_to_tensor(image: str | Path | Image.Image, sample_shape: tuple[int, ...]) -> torch.Tensor:
    """A user's image as a (C, H, W) float32 tensor in [0, 1] fitting ``sample_shape``.

    Not normalized: pass the result (with a batch axis) through ``DataSet.normalize``.
    """
    if len(sample_shape) != 3 or sample_shape[0] not in (1, 3):
        raise DataSourceError(f"This data set does not hold images (sample shape {sample_shape}).")
    if not isinstance(image, Image.Image):
        try:
            image = load_image(image)
        except READ_ERRORS as exc:
            raise DataSourceError(f"Could not read the image {image}: {exc}.") from exc
    c, h, w = sample_shape
    arr = image_to_array(image, c, (h, w))
    return torch.from_numpy(arr.copy()).permute(2, 0, 1).float().div_(255.0)
