"""A list of data samples: thumbnails for images, a line of text for tokens and features.
The Data tab's preview and the Evaluation tab's gallery are both one of these."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem

from workbench.ui.widgets.thumbnails import decode_tokens, describe_features, sample_pixmap

ICON = 64


class SampleList(QListWidget):
    """``set_kind(kind)`` once per data set ("image", "tokens", "features", or None when
    the samples are not at hand), then ``add_sample`` per sample."""

    def __init__(self, grid: QSize | None = None, parent=None) -> None:
        super().__init__(parent)
        self.kind: str | None = None
        self.vocab: list[str] | None = None
        self.tokenizer: str | None = None
        self._grid = grid or QSize()
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(QSize(ICON, ICON))
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setSpacing(6)
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)

    def set_kind(self, kind: str | None, vocab: list[str] | None = None,
                 tokenizer: str | None = None) -> None:
        """Icons for images (and for captions without samples), lines of text otherwise."""
        self.clear()
        self.kind, self.vocab, self.tokenizer = kind, vocab, tokenizer
        icons = kind in (None, "image")
        self.setViewMode(QListView.ViewMode.IconMode if icons else QListView.ViewMode.ListMode)
        self.setGridSize(self._grid if icons else QSize())

    def add_sample(self, x: Any, caption: str, tooltip: str = "",
                   text_limit: int = 200) -> QListWidgetItem:
        """One sample ``x`` (None: only the caption) under ``caption``."""
        item = QListWidgetItem()
        if tooltip:
            item.setToolTip(tooltip)
        if x is None:
            item.setText(caption)
        elif self.kind == "image":
            pix = sample_pixmap(x, ICON)
            if pix is not None:
                item.setIcon(pix)
            item.setText(caption)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
        elif self.kind == "tokens":
            text = decode_tokens(x, self.vocab, self.tokenizer, text_limit)
            item.setText(f"{caption}: {text}" if caption else text)
        else:
            item.setText(f"{caption}: {describe_features(x)}" if caption
                         else describe_features(x))
        self.addItem(item)
        return item


def split_sample(split: Any, index: Any) -> tuple[Any, Any]:
    """Sample ``index`` of a Split as (x, y), from its tensors or its dataset; (None, None)
    when it cannot be read."""
    try:
        i = int(index)
    except (TypeError, ValueError):
        return None, None
    try:
        if split.x is not None:
            if not 0 <= i < len(split.x):
                return None, None
            return split.x[i], (split.y[i] if split.y is not None else None)
        if split.dataset is not None:
            x, y = split.dataset[i]
            return x, y
    except Exception:  # noqa: BLE001 - an unreadable sample is simply not shown
        return None, None
    return None, None
