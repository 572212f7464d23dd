"""A settings form generated from a dataclass's declared settings (TrainingConfig's): one
editor per field from its kind, range and choices, in collapsible sections by group, rows
shown only while they matter (``relevant_when``) and for the kind of model they apply to
(``set_model_kind``: a GAN's settings for a GAN, the one-network settings otherwise), an
inline message under any value the declarations refuse, and every field that may not change during a run locked while one is
active. ``config()`` is the one place the form becomes a TrainingConfig."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.engine.config import GROUPS, TrainingConfig
from workbench.core.engine.settings import Group, Setting, SettingProblem, problems_of, settings_of
from workbench.ui.i18n import tr_core, translator
from workbench.ui.training.fields import LogSpinBox, WideIntSpinBox, get_value, on_change, set_value

tr = translator("training.form")


def ts(text: str | None) -> str:
    """A setting's label, help or choice title as shown (the core declares them)."""
    return tr_core("settings", text or "")

INT32 = 2**31 - 1
UNBOUNDED = 1e9  # a float editor's limit where the declaration has none
EDITOR_MIN_WIDTH = 90
ERROR_STYLE = "QLabel { color: #b00020; }"
NOTE_STYLE = "QLabel { color: #6b6b6b; }"
Choices = Callable[[], Sequence[tuple[Any, str]]]  # (value, title) for a str setting


@dataclass
class _Field:
    setting: Setting
    widget: QWidget
    error: QLabel
    form: QFormLayout
    unavailable: str | None = None  # why the field cannot be used now (its default applies)


class Section(QWidget):
    """A titled, collapsible group of rows; collapsed, its header sums up what is set."""

    def __init__(self, title: str, expanded: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self._expanded = expanded
        self.header = QToolButton()
        self.header.setText(ts(title))
        self.header.setAutoRaise(True)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        font = self.header.font()
        font.setBold(True)
        self.header.setFont(font)
        self.header.clicked.connect(lambda: self.set_expanded(not self._expanded))
        self.summary = QLabel()
        self.summary.setStyleSheet(NOTE_STYLE)
        # long summaries are cut, not widening the form; the tooltip holds the whole text
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.body = QWidget()
        self.form = QFormLayout(self.body)
        self.form.setContentsMargins(20, 0, 4, 6)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.header, 0, Qt.AlignmentFlag.AlignLeft)
        head.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(head)
        layout.addWidget(self.body)
        self.set_expanded(expanded)

    @property
    def expanded(self) -> bool:
        return self._expanded

    def set_expanded(self, expanded: bool) -> None:
        self._expanded = expanded
        self.header.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.header.setToolTip((tr("Hide the {} settings") if expanded else tr("Show the {} settings"))
                               .format(ts(self.title)))
        self.body.setVisible(expanded)
        self.summary.setVisible(not expanded)

    def set_summary(self, text: str) -> None:
        self.summary.setText(f"· {text}")
        self.summary.setToolTip(text)


class SettingsForm(QWidget):
    """Editors for every declared setting of ``config_type`` (TrainingConfig by default).

    ``choices`` gives the (value, title) list of a free-text setting (the device) at the time
    it is asked; ``reload_choices(name)`` asks again.
    """

    changed = Signal(str)  # a field's value changed (by the user or by set_config)
    valid_changed = Signal(str, object)  # ...and the new value is one its declaration allows

    def __init__(self, config_type: type = TrainingConfig, *,
                 groups: Sequence[Group] = GROUPS, choices: dict[str, Choices] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.config_type = config_type
        self._choices = dict(choices or {})
        self._fields: dict[str, _Field] = {}
        self._lockable_extras: list[QWidget] = []
        self._extra_groups: set[str] = set()  # sections holding rows of add_extra
        self._locked = False
        self._model: str | None = None  # None: every setting shows
        self._filling = True
        self.problems: dict[str, SettingProblem] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(2)
        self.lock_note = QLabel(tr("Locked while this run trains: the settings can change "
                                "for the next run once it ends."))
        self.lock_note.setWordWrap(True)
        self.lock_note.setStyleSheet(NOTE_STYLE)
        self.lock_note.hide()
        layout.addWidget(self.lock_note)
        self.sections: dict[str, Section] = {}
        declared = settings_of(config_type)
        titles = [g.title for g in groups]
        titles += [s.group for s in declared if s.group not in titles]  # undeclared groups last
        advanced = {g.title for g in groups if g.advanced}
        for title in titles:
            if any(s.group == title for s in declared):
                self.sections[title] = Section(title or tr("Other"), title not in advanced)
                layout.addWidget(self.sections[title])
        for s in declared:
            self._add_field(s, self.sections[s.group].form)
        self._align_labels()
        layout.addStretch(1)
        self._filling = False
        self._refresh()

    # -- building -----------------------------------------------------------------------
    def _add_field(self, s: Setting, form: QFormLayout) -> None:
        w = self._editor(s)
        # an explicit minimum: the editors' own hints (a 10-digit maximum, a long choice)
        # would make the form wider than its column and cut every field at the right
        w.setMinimumWidth(EDITOR_MIN_WIDTH)
        w.setToolTip(ts(s.help))
        w.setObjectName(s.name)
        if isinstance(w, QCheckBox):
            form.addRow(w)
        else:
            label = QLabel(ts(s.short_label))
            label.setToolTip(ts(s.help))
            label.setBuddy(w)
            form.addRow(label, w)
        error = QLabel()
        error.setWordWrap(True)
        error.setStyleSheet(ERROR_STYLE)
        form.addRow(error)
        form.setRowVisible(error, False)
        self._fields[s.name] = _Field(s, w, error, form)
        set_value(w, s.default)
        on_change(w, lambda *_, name=s.name: self._edited(name))

    def _align_labels(self) -> None:
        """One label column across the sections, so the fields line up."""
        labels = [lab for lab in self.findChildren(QLabel) if lab.buddy() is not None]
        width = max((lab.sizeHint().width() for lab in labels), default=0)
        for lab in labels:
            lab.setMinimumWidth(width)

    def _editor(self, s: Setting) -> QWidget:
        if s.kind == "bool":
            return QCheckBox(ts(s.short_label))
        if s.kind == "choice" or (s.kind == "str" and s.name in self._choices):
            combo = QComboBox()
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            items = s.titles or tuple((c, str(c)) for c in s.choices)
            for value, title in (items if s.kind == "choice" else self._choices[s.name]()):
                combo.addItem(ts(title), value)
            return combo
        if s.kind == "int":
            low = int(s.min) if s.min is not None else -INT32
            high = int(s.max) if s.max is not None else INT32
            if high > INT32 or low < -INT32 - 1:
                return WideIntSpinBox(low, high)
            box = QSpinBox()
            box.setRange(low + bool(s.min_open), high - bool(s.max_open))
        elif s.kind == "float" and s.log is not None:
            box = LogSpinBox(s.default, s.log, s.max if s.max is not None else UNBOUNDED,
                             allow_zero=s.min == 0 and not s.min_open)
        elif s.kind == "float":
            box = QDoubleSpinBox()
            box.setDecimals(s.decimals if s.decimals is not None else 3)
            tick = 10.0 ** -box.decimals()
            box.setRange(s.min + tick * s.min_open if s.min is not None else -UNBOUNDED,
                         s.max - tick * s.max_open if s.max is not None else UNBOUNDED)
            box.setSingleStep(s.step if s.step is not None else 0.1)
        else:
            return QLineEdit()
        if s.zero_text and box.minimum() == 0:
            box.setSpecialValueText(ts(s.zero_text))
        box.setKeyboardTracking(False)
        return box

    def add_extra(self, group: str, widget: QWidget, *, lockable: bool = True) -> None:
        """A row that is not a setting of the config (e.g. "Write TensorBoard logs")."""
        self.sections[group].form.addRow(widget)
        self._extra_groups.add(group)
        if lockable:
            self._lockable_extras.append(widget)
        self._apply_enabled()

    # -- values -------------------------------------------------------------------------
    def widget(self, name: str) -> QWidget:
        return self._fields[name].widget

    @property
    def widgets(self) -> dict[str, QWidget]:
        return {name: f.widget for name, f in self._fields.items()}

    def row_shown(self, name: str) -> bool:
        """Whether the field's row is shown (it matters with the other settings)."""
        f = self._fields[name]
        return f.form.isRowVisible(f.widget)

    def error_text(self, name: str) -> str:
        """The inline message under the field ("" when its value is fine)."""
        f = self._fields[name]
        return f.error.text() if f.form.isRowVisible(f.error) else ""

    def value(self, name: str) -> Any:
        f = self._fields[name]
        if f.unavailable is not None or not f.setting.applies_to(self._model):
            return f.setting.default
        return get_value(f.widget)

    def values(self) -> dict[str, Any]:
        return {name: self.value(name) for name in self._fields}

    def config(self) -> Any:
        """The form's settings as a ``config_type`` (TrainingConfig); check ``problems``."""
        return self.config_type.from_dict(self.values())

    def set_value(self, name: str, value: Any) -> None:
        set_value(self._fields[name].widget, value)

    def set_config(self, config: Any) -> None:
        """Fill the form from a config (e.g. an earlier run's)."""
        for name in self._fields:
            if hasattr(config, name):
                self.set_value(name, getattr(config, name))

    def reload_choices(self, name: str) -> None:
        combo = self._fields[name].widget
        assert isinstance(combo, QComboBox)
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for value, title in self._choices[name]():
            combo.addItem(title, value)
        combo.blockSignals(False)
        if current is not None:
            self.set_value(name, current)
        self._edited(name)

    # -- state --------------------------------------------------------------------------
    def set_model_kind(self, model: str | None) -> None:
        """Show the settings that apply to this kind of model (``MODEL_KINDS``; None: all).
        The others are hidden and their defaults apply; their editors keep what was set,
        for the next model of their kind."""
        if model == self._model:
            return
        self._model = model
        self._refresh()

    @property
    def model_kind(self) -> str | None:
        return self._model

    @property
    def locked(self) -> bool:
        return self._locked

    def setting(self, name: str) -> Setting:
        return self._fields[name].setting

    def applies(self, name: str) -> bool:
        return self._fields[name].setting.applies_to(self._model)

    def set_locked(self, locked: bool) -> None:
        """While a run is active, fields that may not change during it cannot be edited."""
        self._locked = locked
        self.lock_note.setVisible(locked)
        self._apply_enabled()

    def set_unavailable(self, name: str, reason: str | None) -> None:
        """Make a field unusable for now (its default applies), saying why; None lifts it."""
        f = self._fields[name]
        f.unavailable = reason
        f.widget.setToolTip(reason or ts(f.setting.help))
        self._apply_enabled()
        self._refresh()

    def _apply_enabled(self) -> None:
        for f in self._fields.values():
            f.widget.setEnabled(f.unavailable is None
                                and not (self._locked and not f.setting.live))
        for w in self._lockable_extras:
            w.setEnabled(not self._locked)

    def problem_text(self) -> str:
        return "; ".join(str(p) for p in self.problems.values())

    def _edited(self, name: str) -> None:
        if self._filling:
            return
        self._refresh()
        self.changed.emit(name)
        if name not in self.problems:
            self.valid_changed.emit(name, self.value(name))

    def _refresh(self) -> None:
        """Rows shown while they matter, inline messages, the collapsed sections' summaries."""
        values = self.values()
        config = self.config_type.from_dict(values)
        self.problems = {p.name: p for p in problems_of(config)}
        for name, f in self._fields.items():
            relevant = f.setting.applies_to(self._model) and f.setting.is_relevant(values)
            f.form.setRowVisible(f.widget, relevant)
            problem = self.problems.get(name)
            f.error.setText(str(problem) if problem else "")
            f.form.setRowVisible(f.error, relevant and problem is not None)
        for title, section in self.sections.items():
            section.set_summary(self._summary(title, values))
            # a section none of whose settings apply to this model goes (extras keep theirs)
            section.setVisible(title in self._extra_groups or any(
                f.setting.applies_to(self._model) for f in self._fields.values()
                if f.setting.group == title))

    def _summary(self, group: str, values: dict[str, Any]) -> str:
        """"off", "on, Rotation (degrees) 15", "Precision bf16 (mixed)" or "defaults"."""
        fields = [f.setting for f in self._fields.values() if f.setting.group == group
                  and f.setting.applies_to(self._model)]
        switch = next((s for s in fields if s.kind == "bool" and any(
            o.relevant_when and o.relevant_when[0] == s.name for o in fields)), None)
        if switch is not None and not values[switch.name]:
            return tr("off")
        parts = [tr("on")] if switch is not None else []
        parts += [f"{ts(s.short_label)} {ts(s.title_of(values[s.name]))}" for s in fields
                  if s is not switch and s.is_relevant(values) and values[s.name] != s.default]
        if any(s.name in self.problems for s in fields):
            parts.insert(0, tr("needs attention"))
        return tr(", ").join(parts) or tr("defaults")
