"""Widgets that draw explanations: an image with a heat map over it, a colour scale, tokens on
their colours, a grid of small maps. The colours come from the core's renderer
(``workbench.core.explain.render``), so what is shown is what Save PNG writes."""

from __future__ import annotations

import html
from typing import Any

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from workbench.core.explain.render import colour_scale, colourize, overlay_rgba


def array_to_qimage(a: np.ndarray) -> QImage:
    """(H, W) grey, (H, W, 1|3) in [0, 1], or (H, W, 4) uint8 RGBA as a QImage (a copy)."""
    a = np.asarray(a)
    if a.dtype != np.uint8:
        a = (np.clip(np.nan_to_num(a.astype(np.float64)), 0, 1) * 255 + 0.5).astype(np.uint8)
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[..., 0]
    a = np.ascontiguousarray(a)
    h, w = a.shape[:2]
    if a.ndim == 2:
        return QImage(a.data, w, h, w, QImage.Format.Format_Grayscale8).copy()
    if a.shape[2] == 3:
        return QImage(a.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
    return QImage(a.data, w, h, 4 * w, QImage.Format.Format_RGBA8888).copy()


def heat_image(values: np.ndarray, signed: bool) -> QImage:
    """A map on its own colours (no input under it): for feature maps and attention."""
    rgba, _, _ = colourize(values, signed)
    return array_to_qimage(rgba)


class PictureView(QWidget):
    """Draws one or more layered QImages scaled to fit (crisp: small images stay pixels),
    with a caption below."""

    def __init__(self, caption: str = "", minimum: int = 120) -> None:
        super().__init__()
        self.layers: list[QImage] = []
        self.caption = caption
        self.setMinimumSize(minimum, minimum)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_layers(self, layers: list[QImage], caption: str | None = None) -> None:
        self.layers = [img for img in layers if img is not None and not img.isNull()]
        if caption is not None:
            self.caption = caption
        self.update()

    def clear(self) -> None:
        self.set_layers([], "")

    def image_rect(self) -> QRectF:
        if not self.layers:
            return QRectF()
        base = self.layers[0]
        text_h = self.fontMetrics().height() + 4 if self.caption else 0
        w, h = self.width() - 4, self.height() - 4 - text_h
        scale = min(w / base.width(), h / base.height()) if base.width() and base.height() else 1
        iw, ih = base.width() * scale, base.height() * scale
        return QRectF((self.width() - iw) / 2, 2 + (h - ih) / 2, iw, ih)

    def paintEvent(self, _event: Any) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        rect = self.image_rect()
        for img in self.layers:
            p.drawImage(rect, img)
        if self.caption:
            p.setPen(self.palette().text().color())
            p.drawText(QRectF(0, self.height() - self.fontMetrics().height() - 2, self.width(),
                              self.fontMetrics().height() + 2),
                       Qt.AlignmentFlag.AlignCenter, self.caption)
        p.end()

    def grab_image(self) -> QPixmap:
        return self.grab()


def overlay_layers(image: np.ndarray | None, values: np.ndarray, signed: bool) -> list[QImage]:
    """The input in grey (or colour) with the heat map over it."""
    layers = [array_to_qimage(image)] if image is not None else []
    return layers + [array_to_qimage(overlay_rgba(values, signed))]


class ColourScale(QWidget):
    """The colour bar beside a heat map: high end at the top, with its values."""

    def __init__(self) -> None:
        super().__init__()
        self.lo, self.hi, self.signed = 0.0, 1.0, False
        self.setFixedWidth(70)
        self.setMinimumHeight(100)
        self.setVisible(False)

    def set_range(self, lo: float, hi: float, signed: bool) -> None:
        self.lo, self.hi, self.signed = lo, hi, signed
        self.setVisible(True)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(70, 200)

    def paintEvent(self, _event: Any) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        colours = colour_scale(self.signed, 128)
        top, bottom, x, w = 8, self.height() - 8, 4, 16
        span = max(1, bottom - top)
        for i in range(span):
            r, g, b, _a = colours[int((1 - i / span) * (len(colours) - 1))]
            p.fillRect(x, top + i, w, 1, QColor(int(r), int(g), int(b)))
        p.setPen(self.palette().text().color())
        fm = self.fontMetrics()
        ticks = [(self.hi, top), (self.lo, bottom)]
        if self.signed:
            ticks.append((0.0, (top + bottom) // 2))
        for value, y in ticks:
            p.drawLine(x + w, y, x + w + 3, y)
            p.drawText(x + w + 5, y + fm.ascent() // 2, f"{value:.3g}")
        p.end()


def token_html(tokens: list[str], values: np.ndarray, signed: bool) -> str:
    """The text as rich text, each token on the colour of its attribution (value as tooltip
    is not possible in a QLabel: the value goes in the title attribute for copying)."""
    rgba, _, _ = colourize(np.asarray(values, dtype=np.float64), signed)
    spans = []
    for tok, (r, g, b, _a), v in zip(tokens, rgba, values, strict=False):
        dark = 0.299 * r + 0.587 * g + 0.114 * b < 128
        fg = "white" if dark else "black"
        text = html.escape(tok.replace(" ", "␣") if len(tok) == 1 else tok)
        spans.append(f"<span style='background-color: rgb({r},{g},{b}); color: {fg};' "
                     f"title='{v:.4g}'>&nbsp;{text}&nbsp;</span>")
    return "<div style='line-height: 170%; font-size: 12pt;'>" + " ".join(spans) + "</div>"
