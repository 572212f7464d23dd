"""Turning samples into pictures and lines of text for the data and evaluation views."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap


def sample_to_qimage(x: Any) -> QImage | None:
    """An image sample (C, H, W) float in [0, 1] (tensor or array) as a QImage; else None."""
    try:
        a = x.detach().cpu().float().numpy() if hasattr(x, "detach") else np.asarray(x, float)
    except Exception:  # noqa: BLE001 - anything odd is simply not drawable
        return None
    if a.ndim == 2:
        a = a[None]
    if a.ndim != 3 or a.shape[0] not in (1, 3, 4):
        return None
    a = np.nan_to_num(a)
    lo, hi = float(a.min()), float(a.max())
    if lo < 0 or hi > 1:  # normalized or raw values: stretch to show something
        a = (a - lo) / (hi - lo) if hi > lo else np.zeros_like(a)
    u8 = np.ascontiguousarray((np.clip(a, 0, 1) * 255 + 0.5).astype(np.uint8))
    c, h, w = u8.shape
    if c == 1:
        buf = np.ascontiguousarray(u8[0])
        img = QImage(buf.data, w, h, w, QImage.Format.Format_Grayscale8)
    else:
        buf = np.ascontiguousarray(u8[:3].transpose(1, 2, 0))
        img = QImage(buf.data, w, h, 3 * w, QImage.Format.Format_RGB888)
    return img.copy()  # own the pixels: ``buf`` goes away


def sample_pixmap(x: Any, size: int = 56) -> QPixmap | None:
    """A thumbnail ``size`` pixels on its long side; small images stay crisp (no smoothing)."""
    img = sample_to_qimage(x)
    if img is None:
        return None
    small = max(img.width(), img.height()) < size
    mode = (Qt.TransformationMode.FastTransformation if small
            else Qt.TransformationMode.SmoothTransformation)
    return QPixmap.fromImage(img.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, mode))


def decode_tokens(ids: Any, vocab: list[str] | None, tokenizer: str | None,
                  limit: int = 200) -> str:
    """Token ids as readable text (padding dropped); ``limit`` characters at most."""
    if vocab is None:
        return " ".join(str(int(i)) for i in list(ids)[:limit])
    words = []
    for i in (ids.tolist() if hasattr(ids, "tolist") else list(ids)):
        i = int(i)
        if i == 0:  # <pad>
            continue
        words.append(vocab[i] if 0 <= i < len(vocab) else "<?>")
    text = ("" if tokenizer == "char" else " ").join(words)
    text = text.replace("\n", "⏎ ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_features(x: Any, limit: int = 8) -> str:
    """A feature vector (or sequence) as a short line of numbers."""
    a = x.detach().cpu().numpy() if hasattr(x, "detach") else np.asarray(x)
    flat = a.ravel()
    head = ", ".join(f"{v:.3g}" for v in flat[:limit])
    return f"[{head}{', …' if flat.size > limit else ''}]" + (
        f"  ({' x '.join(map(str, a.shape))})" if a.ndim > 1 else "")


def label_text(y: Any, class_names: list[str] | None) -> str:
    """A target as a person reads it: the class name, or the value(s)."""
    try:
        if hasattr(y, "dim") and y.dim() == 0 or isinstance(y, int | np.integer):
            i = int(y)
            if class_names and 0 <= i < len(class_names):
                return class_names[i]
            return str(i)
        if hasattr(y, "tolist"):
            v = y.tolist()
            if isinstance(v, float):
                return f"{v:.3g}"
            if isinstance(v, list):
                return "[" + ", ".join(f"{t:.3g}" if isinstance(t, float) else str(t)
                                       for t in v[:4]) + (", …]" if len(v) > 4 else "]")
        return str(y)
    except Exception:  # noqa: BLE001
        return str(y)
