"""File > Import…: an ONNX file or a torchvision model as a Workbench model. The dialog asks
what to import; the import (tracing, downloading weights, checking against the original,
writing the bundle) runs on a worker thread behind a busy indicator, and the written bundle
then opens like any other (its model on the canvas, its weights in Try it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.i18n import translator

tr = translator("dialogs.import_dialog")

TORCHVISION = ("resnet18", "resnet34", "vgg11", "mobilenet_v2", "mobilenet_v3_small")


class ImportDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, folder: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Import a model"))
        self.folder = folder or str(Path.home())
        self.source = QComboBox()
        self.source.setEditable(True)
        self.source.addItems([f"torchvision:{n}" for n in TORCHVISION])
        self.source.setToolTip(tr("An .onnx file, torchvision:NAME or module:FILE.py:ClassName"))
        browse = QPushButton(tr("Browse…"))
        browse.clicked.connect(self._browse_source)
        self.pretrained = QCheckBox(tr("Pretrained weights (downloaded once into torch's cache)"))
        self.pretrained.setChecked(True)
        self.shape = QLineEdit()
        self.shape.setPlaceholderText(tr("as the model says, e.g. 3,224,224"))
        self.output = QLineEdit()
        out_browse = QPushButton(tr("Browse…"))
        out_browse.clicked.connect(self._browse_output)
        form = QFormLayout()
        form.addRow(tr("Model:"), _row(self.source, browse))
        form.addRow("", self.pretrained)
        form.addRow(tr("Input shape:"), self.shape)
        form.addRow(tr("Save the bundle as:"), _row(self.output, out_browse))
        note = QLabel(tr("ONNX files carry their weights; torchvision models are traced with "
                         "torch.fx. Every import is checked against the original."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Import"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.source.currentTextChanged.connect(self._source_changed)
        self._source_changed(self.source.currentText())
        self.resize(560, self.sizeHint().height())

    def _browse_source(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Import an ONNX model"), self.folder,
                                              tr("ONNX model (*.onnx);;All files (*)"))
        if path:
            self.source.setEditText(path)

    def _browse_output(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Save the imported model"),
                                              self.output.text(),
                                              tr("Workbench bundle (*.wbbundle)"))
        if path:
            self.output.setText(path)

    def _source_changed(self, text: str) -> None:
        onnx = not text.startswith(("torchvision:", "module:"))
        self.pretrained.setEnabled(not onnx)  # an ONNX file has its own weights
        stem = Path(text).stem if onnx else text.rsplit(":", 1)[-1]
        folder = Path(text).parent if onnx and text else Path(self.folder)
        self.output.setText(str(folder / f"{stem or 'imported'}.wbbundle"))

    def request(self) -> dict[str, Any]:
        text = self.shape.text().replace("x", ",")
        shape = [int(s) for s in text.split(",") if s.strip().isdigit()] or None
        return {"ref": self.source.currentText().strip(), "input_shape": shape,
                "random_init": not (self.pretrained.isChecked() and self.pretrained.isEnabled()),
                "output": self.output.text().strip()}


def _row(*widgets: QWidget) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        row.addWidget(w, 1 if isinstance(w, QLineEdit | QComboBox) else 0)
    return box


def import_into(window: Any, ref: str, output: str, random_init: bool = False,
                input_shape: list[int] | None = None) -> Any:
    """Import ``ref`` on a worker thread, write the bundle to ``output`` and open it in
    ``window``; returns the BackgroundTask (a busy dialog shows meanwhile)."""
    from workbench.ui.threads import BackgroundTask

    out = Path(output)
    if out.suffix != ".wbbundle":
        out = out.with_name(out.name + ".wbbundle")

    def work(progress: Any) -> Any:
        from workbench.core.export.bundle import save_bundle
        from workbench.core.importers import import_model

        progress(0.0, tr("Importing {}…").format(ref))
        result = import_model(ref, random_init=random_init, input_shape=input_shape,
                              progress=False)
        progress(0.9, tr("Writing {}…").format(out.name))
        save_bundle(out, result.spec, result.model, result.meta)
        return result

    busy = QProgressDialog(tr("Importing {}…\n(tracing, checking against the original)")
                           .format(ref), "", 0, 0, window)
    busy.setWindowTitle(tr("Import"))
    busy.setCancelButton(None)  # tracing cannot be interrupted; it takes seconds
    busy.setWindowModality(Qt.WindowModality.WindowModal)
    busy.setMinimumDuration(0)
    busy.show()
    task = BackgroundTask(work, window)
    task.progress.connect(lambda _f, text: busy.setLabelText(text) if text else None)

    def done(result: Any) -> None:
        busy.close()
        # File > Open's way with a bundle (the unsaved-changes question was asked before)
        if window.open_file(out):
            notes = f" ({'; '.join(result.notes)})" if result.notes else ""
            window.statusBar().showMessage(
                tr("Imported {}: {} layers, {:,} parameters, saved as {}").format(
                    ref, result.layers, result.parameters, out.name) + notes, 15000)

    def failed(message: str) -> None:
        busy.close()
        window.prompts.error(tr("Cannot import the model"), message)

    task.done.connect(done)
    task.failed.connect(failed)
    window._import_task = task  # kept alive until it reports
    return task.start()
