"""The Generator / Discriminator switch above the canvas, shown for a GAN document: the
canvas, inspector, summary and problems then follow the chosen graph. The document keeps one
undo history; undoing an edit of the other graph switches to it (the core's ``Edit.part``),
and the buttons follow (``loaded``)."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QWidget

from workbench.ui.document import ModelDocument
from workbench.ui.i18n import tr_noop, translator

tr = translator("canvas.part_switch")

PARTS = (("generator", tr_noop("Generator")), ("discriminator", tr_noop("Discriminator")))
TIPS = {
    "generator": tr_noop("Edit the generator on the canvas (Undo goes back through the edits "
                         "of both graphs, showing each where it was made)"),
    "discriminator": tr_noop("Edit the discriminator on the canvas (Undo goes back through the "
                             "edits of both graphs, showing each where it was made)"),
}


class PartSwitch(QWidget):
    def __init__(self, document: ModelDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 0)
        layout.addWidget(QLabel(tr("GAN graph:")))
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QPushButton] = {}
        for part, title in PARTS:
            b = QPushButton(tr(title))
            b.setCheckable(True)
            b.setToolTip(tr(TIPS[part]))
            b.clicked.connect(lambda _=False, p=part: self.switch(p))
            self.group.addButton(b)
            self.buttons[part] = b
            layout.addWidget(b)
        layout.addStretch(1)
        document.loaded.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        ws = self.document.workspace
        gan = ws is not None and ws.document is not None
        self.setVisible(gan)
        if gan and ws.part in self.buttons:  # type: ignore[union-attr]
            self.buttons[ws.part].setChecked(True)  # type: ignore[union-attr,index]

    def switch(self, part: str) -> None:
        ws = self.document.workspace
        if ws is None or ws.document is None or ws.part == part:
            return
        ws.switch_part(part)  # the undo history stays: each edit knows its graph
