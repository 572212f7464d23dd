"""The settings that suit the chosen data (the core's ``presets``: text), applied to the
Training form when such data is chosen, as ``workbench train`` applies them, with a note
above the form that says what changed and an Undo that puts the earlier values back.

Choosing other data again takes the preset back off, as long as its values are still the
ones set (a value the user changed since is theirs and stays). A running training (the form
locked) and a GAN (which uses its own settings) get no preset.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from workbench.core.engine.config import GAN
from workbench.core.engine.presets import preset_changes, preset_for_source, preset_kind
from workbench.ui.i18n import tr_core, tr_noop, translator
from workbench.ui.training.form import NOTE_STYLE, SettingsForm

tr = translator("training.preset")

KIND_TITLES = {"text": tr_noop("text")}


class PresetNote(QWidget):
    """"Set to suit text data: batch size 32, AdamW, ... [Undo]" above the form."""

    def __init__(self, form: SettingsForm, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = form
        self.kind: str | None = None  # the kind of data last chosen, when a preset suits it
        self.before: dict[str, Any] = {}  # what the preset replaced (Undo puts it back)
        self.applied: dict[str, Any] = {}
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setStyleSheet(NOTE_STYLE)
        self.undo_button = QPushButton(tr("Undo"))
        self.undo_button.setToolTip(tr("Put back the settings these replaced"))
        self.undo_button.clicked.connect(self.undo)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 4, 6, 2)
        row.addWidget(self.label, 1)
        row.addWidget(self.undo_button)
        self.hide()

    def source_chosen(self, source: str) -> None:
        """The Data tab's choice changed (``text``, ``text:/path``, ``digits``...)."""
        kind = preset_kind(source)
        if kind == self.kind:
            return
        self.kind = kind
        if kind is None:
            self._take_back()
            return
        if self.form.model_kind == GAN or self.form.locked:
            return
        changes = preset_changes(self.form.config(), source)
        if not changes:
            return
        self.before = {name: self.form.value(name) for name in changes}
        self.applied = dict(preset_for_source(source))
        for name, value in changes.items():
            self.form.set_value(name, value)
        self.label.setText(tr("Set to suit {} data: {}").format(
            tr(KIND_TITLES.get(kind, kind)), self.describe(changes)))
        self.show()

    def describe(self, values: dict[str, Any]) -> str:
        parts = []
        for name, value in values.items():
            s = self.form.setting(name)
            parts.append(f"{tr_core('settings', s.short_label)} "
                         f"{tr_core('settings', s.title_of(value))}")
        return tr(", ").join(parts)

    def undo(self) -> None:
        """Put back what the preset replaced."""
        for name, value in self.before.items():
            self.form.set_value(name, value)
        self._forget()

    def _take_back(self) -> None:
        """Other data: the preset's values that are still as it set them go back."""
        if not self.before:
            return
        kept = {n: v for n, v in self.before.items() if self.form.value(n) == self.applied[n]}
        for name, value in kept.items():
            self.form.set_value(name, value)
        self._forget()

    def _forget(self) -> None:
        self.before, self.applied = {}, {}
        self.hide()
