"""Export in the desktop app: File > Export… (the export dialog) and opening a Workbench
bundle with File > Open… (its model on the canvas, its weights in "Try it")."""

from __future__ import annotations

from typing import Any

from workbench.ui.export.bundle_open import open_bundle
from workbench.ui.export.dialog import ExportDialog, ExportOutcome
from workbench.ui.export.sources import ExportSource, find_sources
from workbench.ui.i18n import translator

tr = translator("export")


def show_export_dialog(window: Any) -> ExportDialog | None:
    """Open the export dialog over ``window`` (not blocking: ``window.export_dialog``);
    an export still running in an earlier one is brought to the front instead."""
    old = getattr(window, "export_dialog", None)
    if old is not None and old.is_busy():
        old.raise_()
        return old
    sources, notes = find_sources(window)
    if not sources:
        window.prompts.error(tr("Nothing to export"), tr("Open or build a model first."))
        return None
    dialog = ExportDialog(window, sources, notes)

    def closed(_result: int) -> None:
        if getattr(window, "export_dialog", None) is dialog:
            window.export_dialog = None
        dialog.deleteLater()

    dialog.finished.connect(closed)
    window.export_dialog = dialog
    dialog.open()
    return dialog


__all__ = ["ExportDialog", "ExportOutcome", "ExportSource", "find_sources", "open_bundle",
           "show_export_dialog"]
