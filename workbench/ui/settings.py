"""What the app remembers between runs (QSettings), in one place with one reset.

Kept: the window's geometry and dock layout (``window/*``, written by MainWindow), the recent
files (``recent_files``, ui/files.py), the file open at the end (``session/last_file``,
reopened at the next start), the training device (``training/device``), the interface
language (``ui/language``) and which first-run problems were already shown
(``first_run/shown``). Reset clears them all and puts the window back as built; models, runs
and autosaves are files and are not touched.

Torch-free: read before the core is loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

LAST_FILE = "session/last_file"
DEVICE = "training/device"
LANGUAGE = "ui/language"
FIRST_RUN_SHOWN = "first_run/shown"


def _text(key: str, default: str = "") -> str:
    value = QSettings().value(key, default)
    return str(value) if value is not None else default


def _list(key: str) -> list[str]:
    value = QSettings().value(key, [])
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in (value or [])]


# -- language ------------------------------------------------------------------------------
def language() -> str:
    """The chosen language: "system" (default), "en", "zh_CN"..."""
    return _text(LANGUAGE, "system") or "system"


def set_language(code: str) -> None:
    QSettings().setValue(LANGUAGE, code)


# -- last open file ------------------------------------------------------------------------
def last_file() -> Path | None:
    """The model file that was open when the app last closed, if it still exists."""
    text = _text(LAST_FILE)
    path = Path(text) if text else None
    return path if path is not None and path.is_file() else None


def remember_last_file(path: str | Path | None) -> None:
    value = str(Path(path).resolve()) if path else ""
    if _text(LAST_FILE) != value:  # no settings file for a session that never had a file
        QSettings().setValue(LAST_FILE, value)


def track_last_file(window: MainWindow) -> None:
    """Keep ``session/last_file`` in step with the document: what it was loaded from or
    saved to; an untitled model (a template, File > New) clears it."""
    doc = window.document

    def note(*_args: Any) -> None:
        if window.remember:
            remember_last_file(doc.path)

    doc.loaded.connect(note)
    doc.saved.connect(note)


# -- training device -----------------------------------------------------------------------
def device() -> str:
    return _text(DEVICE, "auto") or "auto"


def remember_device(window: MainWindow) -> QComboBox | None:
    """Restore the Training tab's device choice and save each change. Returns the combo
    box, or None when the training UI (or its device picker) is not installed. A saved
    device that is not here now (a GPU removed) leaves the panel's default."""
    ui = getattr(window, "training_ui", None)
    combo = getattr(getattr(ui, "training_panel", None), "device", None)
    if not isinstance(combo, QComboBox):
        return None
    index = combo.findData(device())
    if index >= 0:
        combo.setCurrentIndex(index)

    def save(_index: int) -> None:
        if window.remember and combo.currentData():
            QSettings().setValue(DEVICE, combo.currentData())

    combo.currentIndexChanged.connect(save)
    return combo


# -- first run -----------------------------------------------------------------------------
def shown_problems() -> set[str]:
    return set(_list(FIRST_RUN_SHOWN))


def mark_problems_shown(keys: set[str]) -> None:
    QSettings().setValue(FIRST_RUN_SHOWN, sorted(shown_problems() | keys))


# -- reset ---------------------------------------------------------------------------------
def reset_all(window: MainWindow) -> None:
    """Forget every setting and set the device picker back to Automatic (the window's
    layout: ui.desktop.reset_layout)."""
    QSettings().clear()
    QSettings().sync()
    ui = getattr(window, "training_ui", None)
    combo = getattr(getattr(ui, "training_panel", None), "device", None)
    if isinstance(combo, QComboBox) and combo.count():
        combo.blockSignals(True)  # Automatic is the default: nothing to save
        combo.setCurrentIndex(max(0, combo.findData("auto")))
        combo.blockSignals(False)
