"""Small input widgets the training form needs that Qt lacks, and one way to set, read and
watch any of its editors."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QSpinBox,
    QWidget,
)


class LogSpinBox(QDoubleSpinBox):
    """A spin box for values spanning decades (learning rate, weight decay).

    Shows values as ``1e-3``/``0.0003``; the arrows step through 1, 2, 5 per decade
    (wheel or arrow keys); any number can be typed.
    """

    LADDER = (1.0, 2.0, 3.0, 5.0)

    def __init__(self, value: float, minimum: float, maximum: float, *, allow_zero: bool = False,
                 parent=None) -> None:
        super().__init__(parent)
        self.allow_zero = allow_zero
        self.setDecimals(12)
        self.setRange(0.0 if allow_zero else minimum, maximum)
        self._min = minimum
        self.setValue(value)
        self.setKeyboardTracking(False)

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt override
        if value == 0:
            return "0"
        return f"{value:.4g}"

    def valueFromText(self, text: str) -> float:  # noqa: N802 - Qt override
        try:
            return float(text.strip())
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int):
        t = text.strip()
        if not t:
            return QValidator.State.Intermediate, text, pos
        try:
            v = float(t)
        except ValueError:
            ok = all(c in "0123456789.e+-" for c in t.lower())
            return (QValidator.State.Intermediate if ok else QValidator.State.Invalid), text, pos
        if not math.isfinite(v) or v < self.minimum() or v > self.maximum():
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Acceptable, text, pos

    def fixup(self, text: str) -> str:
        return self.textFromValue(self.value())

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt override
        v = self.value()
        if v <= 0:
            v = self._min if steps > 0 else 0.0
            self.setValue(v)
            return
        for _ in range(abs(steps)):
            v = self._next(v, up=steps > 0)
            if v <= 0:
                break
        self.setValue(v)

    def _next(self, v: float, up: bool) -> float:
        exp = math.floor(math.log10(v))
        rungs = [m * 10.0**e for e in (exp - 1, exp, exp + 1) for m in self.LADDER]
        if up:
            bigger = [r for r in rungs if r > v * (1 + 1e-9)]
            return min(min(bigger), self.maximum())
        smaller = [r for r in rungs if r < v * (1 - 1e-9)]
        out = max(smaller)
        if out < self._min:
            return 0.0 if self.allow_zero else self._min
        return out

    def stepEnabled(self):  # noqa: N802 - Qt override
        return QDoubleSpinBox.StepEnabledFlag.StepUpEnabled | QDoubleSpinBox.StepEnabledFlag.StepDownEnabled


class WideIntSpinBox(QAbstractSpinBox):
    """A whole-number box for ranges beyond QSpinBox's 32 bits (a 64-bit seed). ``value()``
    is the typed number, or None while the box is empty; a value outside the range is kept
    as typed so that the form can say what is wrong with it rather than change it."""

    valueChanged = Signal(object)  # noqa: N815 - Qt's name

    def __init__(self, minimum: int, maximum: int, value: int = 0, parent=None) -> None:
        super().__init__(parent)
        self._min, self._max = minimum, maximum
        self._emitted: int | None = None
        self.setKeyboardTracking(False)
        self.editingFinished.connect(self._commit)
        self.setValue(value)

    def minimum(self) -> int:
        return self._min

    def maximum(self) -> int:
        return self._max

    def value(self) -> int | None:
        text = self.lineEdit().text().strip()
        try:
            return int(text)
        except ValueError:
            return None

    def setValue(self, value: int) -> None:  # noqa: N802 - Qt's name
        self.lineEdit().setText(str(int(value)))
        self._commit()

    def validate(self, text: str, pos: int):
        ok = re.fullmatch(r"[+-]?[0-9]*", text.strip()) is not None
        return (QValidator.State.Acceptable if ok else QValidator.State.Invalid), text, pos

    def fixup(self, text: str) -> str:
        return text

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt override
        v = self.value()
        if v is not None:
            self.setValue(min(self._max, max(self._min, v + steps)))

    def stepEnabled(self):  # noqa: N802 - Qt override
        v, flags = self.value(), QAbstractSpinBox.StepEnabledFlag.StepNone
        if v is not None and v < self._max:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
        if v is not None and v > self._min:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        return flags

    def _commit(self) -> None:
        v = self.value()
        if v != self._emitted:
            self._emitted = v
            self.valueChanged.emit(v)


def set_value(w: QWidget, value: Any) -> None:
    """Show ``value`` in any of the form's editors."""
    if isinstance(w, QCheckBox):
        w.setChecked(bool(value))
    elif isinstance(w, QComboBox):
        i = w.findData(value)
        if i < 0:  # e.g. a device this machine lacks: keep it, say so
            w.addItem(f"{value} (not found here)", value)
            i = w.count() - 1
        w.setCurrentIndex(i)
    elif isinstance(w, QLineEdit):
        w.setText(str(value))
    else:
        w.setValue(value)


def get_value(w: QWidget) -> Any:
    """The value an editor holds, as the setting's type."""
    if isinstance(w, QCheckBox):
        return w.isChecked()
    if isinstance(w, QComboBox):
        return w.currentData()
    if isinstance(w, QLineEdit):
        return w.text()
    if isinstance(w, QSpinBox):
        return int(w.value())
    if isinstance(w, QDoubleSpinBox):
        return float(w.value())
    return w.value()


def on_change(w: QWidget, slot: Callable[..., None]) -> None:
    """Call ``slot`` when the user changes the editor (a line edit: when editing ends)."""
    if isinstance(w, QCheckBox):
        w.toggled.connect(slot)
    elif isinstance(w, QComboBox):
        w.currentIndexChanged.connect(slot)
    elif isinstance(w, QLineEdit):
        w.editingFinished.connect(slot)
    else:
        w.valueChanged.connect(slot)
