"""One editor widget per parameter type of the catalogue (``Param.type``).

Each editor shows a value, and emits ``committed(value)`` only for a value ``Param.check``
accepts; anything else is shown in red with the reason and is not committed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.core.layers import AUTO, Param
from workbench.ui.i18n import tr_core

INT_LIMIT = 2_000_000_000


class ParamEditor(QWidget):
    """A labelled field for one parameter plus a line for why a value is refused."""

    committed = Signal(object)

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.param = param
        self.reason = QLabel()
        self.reason.setObjectName("reason")
        self.reason.setWordWrap(True)
        self.reason.hide()
        self.field = self._make_field()
        self.field.setToolTip(tr_core("catalogue", param.help))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.field, 1)
        layout.addLayout(row)
        layout.addWidget(self.reason)

    # subclasses
    def _make_field(self) -> QWidget:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def value_text(self) -> str:
        return ""

    # shared
    def submit(self, value: Any) -> bool:
        """Check ``value``; commit it or show why not."""
        why = self.param.check(value)
        self.show_invalid(why)
        if why is None:
            self.committed.emit(value)
            return True
        return False

    def show_invalid(self, why: str | None) -> None:
        if bool(self.field.property("invalid")) != (why is not None):
            self.field.setProperty("invalid", why is not None)
            self.field.style().unpolish(self.field)  # re-read the stylesheet's [invalid]
            self.field.style().polish(self.field)
        if why:
            self.reason.setText(f"{tr_core('catalogue', self.param.title)} {why}")
        self.reason.setVisible(why is not None)

    @property
    def invalid(self) -> bool:
        return bool(self.field.property("invalid"))


class IntEditor(ParamEditor):
    def _make_field(self) -> QWidget:
        p = self.param
        box = QSpinBox()
        lo = int(p.min) if p.min is not None else -INT_LIMIT
        if p.auto:
            lo = min(lo, AUTO)
            box.setSpecialValueText("auto")
        box.setRange(lo, int(p.max) if p.max is not None else INT_LIMIT)
        box.setKeyboardTracking(False)
        box.setAccelerated(True)
        box.valueChanged.connect(lambda v: self.submit(int(v)))
        return box

    def set_value(self, value: Any) -> None:
        box: QSpinBox = self.field  # type: ignore[assignment]
        box.blockSignals(True)
        if isinstance(value, int) and not isinstance(value, bool):
            box.setValue(value)
        box.blockSignals(False)
        self.show_invalid(self.param.check(value))


class FloatEditor(ParamEditor):
    def _make_field(self) -> QWidget:
        p = self.param
        box = QDoubleSpinBox()
        lo = p.min if p.min is not None else -1e9
        hi = p.max if p.max is not None else 1e9
        box.setRange(lo, hi)
        # tiny defaults (a norm's eps of 1e-5) need the digits to show at all
        box.setDecimals(7 if 0 < p.default < 1e-3 else 4 if hi - lo <= 10 else 3)
        box.setSingleStep(0.05 if hi - lo <= 2 else 0.1)
        box.setKeyboardTracking(False)
        box.valueChanged.connect(lambda v: self.submit(round(float(v), 6)))
        return box

    def set_value(self, value: Any) -> None:
        box: QDoubleSpinBox = self.field  # type: ignore[assignment]
        box.blockSignals(True)
        if isinstance(value, int | float) and not isinstance(value, bool):
            box.setValue(float(value))
        box.blockSignals(False)
        self.show_invalid(self.param.check(value))


class BoolEditor(ParamEditor):
    def _make_field(self) -> QWidget:
        box = QCheckBox()
        box.toggled.connect(lambda v: self.submit(bool(v)))
        return box

    def set_value(self, value: Any) -> None:
        box: QCheckBox = self.field  # type: ignore[assignment]
        box.blockSignals(True)
        box.setChecked(bool(value))
        box.blockSignals(False)


class ChoiceEditor(ParamEditor):
    def _make_field(self) -> QWidget:
        box = QComboBox()
        box.addItems([str(c) for c in self.param.choices])
        box.activated.connect(lambda i: self.submit(self.param.choices[i]))
        return box

    def set_value(self, value: Any) -> None:
        box: QComboBox = self.field  # type: ignore[assignment]
        box.blockSignals(True)
        i = box.findText(str(value))
        if i < 0:
            box.addItem(str(value))
            i = box.count() - 1
        box.setCurrentIndex(i)
        box.blockSignals(False)
        self.show_invalid(self.param.check(value))


class IntOrChoiceEditor(ParamEditor):
    """A whole number or one of a few words (e.g. padding: 1, 2, ... or "same")."""

    def _make_field(self) -> QWidget:
        box = QComboBox()
        box.setEditable(True)
        box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        box.addItems([str(c) for c in self.param.choices])
        box.activated.connect(lambda _i: self.submit_text(box.currentText()))
        box.lineEdit().editingFinished.connect(lambda: self.submit_text(box.currentText()))
        return box

    def submit_text(self, text: str) -> bool:
        return self.submit(parse_int_or_word(text))

    def set_value(self, value: Any) -> None:
        box: QComboBox = self.field  # type: ignore[assignment]
        box.blockSignals(True)
        box.lineEdit().blockSignals(True)
        box.setEditText(str(value))
        box.lineEdit().blockSignals(False)
        box.blockSignals(False)
        self.show_invalid(self.param.check(value))

    def value_text(self) -> str:
        return self.field.currentText()  # type: ignore[attr-defined]


class ShapeEditor(ParamEditor):
    """A shape typed as "1, 28, 28"."""

    def _make_field(self) -> QWidget:
        edit = QLineEdit()
        edit.setPlaceholderText("e.g. 1, 28, 28")
        edit.editingFinished.connect(lambda: self.submit_text(edit.text()))
        return edit

    def submit_text(self, text: str) -> bool:
        return self.submit(parse_shape(text))

    def set_value(self, value: Any) -> None:
        edit: QLineEdit = self.field  # type: ignore[assignment]
        edit.blockSignals(True)
        edit.setText(", ".join(str(v) for v in value) if isinstance(value, list | tuple)
                     else str(value))
        edit.blockSignals(False)
        self.show_invalid(self.param.check(value))

    def value_text(self) -> str:
        return self.field.text()  # type: ignore[attr-defined]


def parse_int_or_word(text: str) -> Any:
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        return text


def parse_shape(text: str) -> Any:
    parts = [p for p in text.replace("x", ",").replace("×", ",").replace(" ", ",").split(",")
             if p.strip()]
    try:
        return [int(p) for p in parts]
    except ValueError:
        return text  # Param.check explains what is expected


def editor_for(param: Param) -> ParamEditor:
    if param.type == "int":
        return IntOrChoiceEditor(param) if param.choices else IntEditor(param)
    if param.type == "float":
        return FloatEditor(param)
    if param.type == "bool":
        return BoolEditor(param)
    if param.type == "choice":
        return ChoiceEditor(param)
    if param.type == "shape":
        return ShapeEditor(param)
    raise ValueError(f"no editor for parameter type {param.type!r}")


__all__ = ["ParamEditor", "editor_for", "parse_int_or_word", "parse_shape"]
