"""The File menu's work for the main window: new from a template, open, save, save as,
unsaved-change questions, recent files and restoring autosaved work. A mixin of MainWindow,
which provides ``document``, ``prompts``, ``open_spec`` and ``recent_menu``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from workbench.ui.i18n import translator

tr = translator("files")

if TYPE_CHECKING:
    from collections.abc import Callable

    from workbench.ui.dialogs import Prompts
    from workbench.ui.document import ModelDocument

MAX_RECENT = 10
RECENT_KEY = "recent_files"
BUNDLE_SUFFIX = ".wbbundle"  # the core's bundle.SUFFIX (this module is imported before torch)


def file_stem(name: str) -> str:
    """A model name as a file name: "Digits CNN" -> "digits_cnn"."""
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in name.strip().lower())
    return stem.strip("_") or "model"


def is_bundle_path(path: str | Path) -> bool:
    """A Workbench bundle by name, or a zip/folder with a bundle manifest whatever its name
    (a damaged .wbbundle still counts: opening it says what is wrong with it)."""
    p = Path(path)
    if p.suffix.lower() == BUNDLE_SUFFIX:
        return True
    if p.suffix.lower() == ".json":
        return False
    from workbench.core.export import is_bundle

    return is_bundle(p)


class FileHandling:
    document: ModelDocument
    prompts: Prompts
    scene: object | None
    open_spec: Callable[..., None]

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False when the user cancels."""
        if self.document.spec is None or not self.document.is_modified:
            return True
        answer = self.prompts.unsaved_changes(self.document.display_name)
        if answer == "save":
            return self.save()
        if answer == "discard":
            self.document.discard_recovery()
            return True
        return False

    def new_blank(self) -> bool:
        """File > New: an empty model called "Untitled model" (named after its file when
        first saved, or through Model Properties)."""
        if not self.maybe_save():
            return False
        from workbench.core.graph import ModelSpec
        from workbench.core.workspace import BLANK_NAME

        self.open_spec(ModelSpec(name=BLANK_NAME))
        return True

    def edit_properties(self) -> bool:
        """Edit > Model Properties…: name and description, one undoable step."""
        spec = self.document.spec
        if spec is None:
            return False
        answer = self.prompts.model_properties(spec.name, spec.description)
        if answer is None or answer == (spec.name, spec.description):
            return False
        from workbench.ui.commands import PropertiesCommand

        command = PropertiesCommand(self.document, *answer)
        self.document.push(command)
        if command.error:
            self.prompts.error(tr("Cannot change the model's properties"), command.error)
            return False
        return True

    def new_from_template(self, name: str | None = None) -> bool:
        if not self.maybe_save():
            return False
        name = name or self.prompts.choose_template()
        if not name:
            return False
        from workbench.core.graph import SpecFormatError
        from workbench.core.templates import load_template

        try:
            self.open_spec(load_template(name), None, template=name)
        except SpecFormatError as e:
            self.prompts.error(tr("Cannot open the template"), str(e))
            return False
        return True

    def open_file(self, path: str | Path | None = None) -> bool:
        if not self.maybe_save():
            return False
        path = path or self.prompts.open_path(str(self.document.path.parent)
                                              if self.document.path else "")
        if not path:
            return False
        if is_bundle_path(path):  # a trained model: its spec on the canvas, weights for Try it
            from workbench.ui.export import open_bundle

            if not open_bundle(self, path):
                self.remember_recent(path, remove=True)
                return False
            self.remember_recent(path)
            return True
        from workbench.core.graph import ModelSpec, SpecFormatError

        try:
            self.open_spec(ModelSpec.load(path), path)
        except SpecFormatError as e:
            self.prompts.error(tr("Cannot open the model"), str(e))
            self.remember_recent(path, remove=True)
            return False
        self.remember_recent(path)
        if not self.offer_recovery():
            self.say_missing_weights()
        return True

    def say_missing_weights(self) -> None:
        """A model saved with start weights that cannot be read now: say so on opening (the
        Summary keeps saying it until they are attached or detached)."""
        missing = getattr(self.document.workspace, "missing_weights", None)
        if missing is not None:
            from workbench.ui.summary.panel import missing_weights_text

            self.prompts.warning(tr("The start weights cannot be found"),
                                 missing_weights_text(missing))

    def import_file(self) -> bool:
        """File > Import…: an ONNX file or a torchvision model, imported on a worker thread
        into a bundle that then opens here."""
        if not self.maybe_save():
            return False
        from PySide6.QtWidgets import QDialog

        from workbench.ui.dialogs.import_dialog import ImportDialog, import_into

        dialog = ImportDialog(self,  # type: ignore[arg-type]
                              str(self.document.path.parent) if self.document.path else "")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        request = dialog.request()
        if not request["ref"] or not request["output"]:
            self.prompts.error("Cannot import the model", "Say what to import and where to "
                               "save the bundle.")
            return False
        import_into(self, **request)
        return True

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._write(self.document.path)

    def save_as(self, path: str | Path | None = None) -> bool:
        doc = self.document
        named = doc.spec is not None and doc.workspace is not None and \
            not doc.workspace.has_automatic_name
        stem = doc.title or (file_stem(doc.spec.name) if named and doc.spec else None) \
            or doc.template or "model"
        suggestion = str(doc.path or Path.home() / f"{stem}.json")
        path = path or self.prompts.save_path(suggestion)
        return bool(path) and self._write(Path(path))

    def _write(self, path: Path) -> bool:
        """Save to ``path``. A model still carrying an automatic name (its template's, or
        "Untitled model") is named after the file first, as one undoable step: the runs,
        exports and code of "my_net.json" then say my_net, not the template's name."""
        doc = self.document
        if doc.workspace is not None and doc.workspace.has_automatic_name and path.stem:
            from workbench.ui.commands import PropertiesCommand

            doc.push(PropertiesCommand(doc, name=path.stem))
        try:
            self.document.save(path)
        except OSError as e:
            self.prompts.error(tr("Cannot save the model"), f"{path}: {e.strerror or e}")
            return False
        self.remember_recent(path)
        self.statusBar().showMessage(tr("Saved {}").format(path), 4000)
        return True

    def offer_recovery(self) -> bool:
        """If autosaved changes newer than the file exist, offer to restore them."""
        doc = self.document
        rec = doc.find_recovery(doc.path)
        if rec is None:
            return False
        if self.prompts.restore_recovery(doc.display_name, rec):
            try:
                doc.restore(rec, doc.path)
                self.say_missing_weights()
                return True
            except Exception as e:  # noqa: BLE001 - a damaged recovery must not stop the app
                self.prompts.error(tr("Cannot restore"), str(e))
        rec.unlink(missing_ok=True)
        return False

    def recent_files(self) -> list[str]:
        value = QSettings().value(RECENT_KEY, [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def remember_recent(self, path: str | Path, remove: bool = False) -> None:
        p = str(Path(path).resolve())
        files = [f for f in self.recent_files() if f != p]
        if not remove:
            files.insert(0, p)
        QSettings().setValue(RECENT_KEY, files[:MAX_RECENT])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for i, f in enumerate(files):
            act = self.recent_menu.addAction(f"&{i + 1}  {Path(f).name}")
            act.setToolTip(f)
            act.setStatusTip(f)
            act.triggered.connect(lambda _c=False, f=f: self.open_file(f))
            act.setEnabled(self.scene is not None)
        if not files:
            self.recent_menu.addAction(tr("No recent files")).setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(tr("Clear Recent Files"),
                                       lambda: QSettings().setValue(RECENT_KEY, []))
