"""Help > About Workbench: the version, what it runs on (PyTorch, CUDA, Qt, PySide6, Python)
and the device training would use, with a button that copies it all for a bug report."""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

import workbench
from workbench.ui import style
from workbench.ui.i18n import tr_noop, translator
from workbench.ui.icons import app_icon

tr = translator("about")

HOMEPAGE_TEXT = tr_noop("Build, train, evaluate and export neural networks by point and click.")


@dataclass(frozen=True)
class SystemInfo:
    version: str
    torch: str
    cuda: str  # "12.8", "not built with CUDA"
    qt: str
    pyside: str
    python: str
    os: str
    device: str  # the device "Automatic" trains on: "cuda:0 — NVIDIA A10 (24 GB)"
    frozen: bool  # the desktop build (PyInstaller) rather than an installed package

    def rows(self) -> list[tuple[str, str]]:
        return [(tr_noop("Version"), self.version + (tr(" (desktop build)") if self.frozen else "")),
                (tr_noop("Training device"), self.device), ("PyTorch", self.torch),
                ("CUDA", self.cuda), ("Qt", self.qt), ("PySide6", self.pyside),
                ("Python", self.python), (tr_noop("System"), self.os)]

    def text(self) -> str:
        return "\n".join(f"{k}: {v}" for k, v in [("Workbench", self.version), *self.rows()[1:]])


def system_info() -> SystemInfo:
    """Imports torch (it is loaded by the time the menu is usable)."""
    import torch

    try:
        from workbench.core.engine import detect_devices

        best = detect_devices()[0]
        from workbench.ui.training.devices import shown_label

        device = f"{best.id} — {shown_label(best.label)}"
    except Exception as e:  # noqa: BLE001 - a broken driver must not break About
        device = tr("unknown ({})").format(e)
    cuda = torch.version.cuda or tr("not built with CUDA")
    if torch.version.cuda and not torch.cuda.is_available():
        cuda += tr(" (no usable GPU)")
    return SystemInfo(
        version=workbench.__version__,
        torch=torch.__version__,
        cuda=cuda,
        qt=qVersion(),
        pyside=PYSIDE_VERSION,
        python=platform.python_version(),
        os=f"{platform.system()} {platform.release()} ({platform.machine()})",
        device=device,
        frozen=bool(getattr(sys, "frozen", False)),
    )


class AboutDialog(QDialog):
    def __init__(self, info: SystemInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info = info
        self.setWindowTitle(tr("About Workbench"))
        self.setObjectName("AboutDialog")
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(72, 72))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        head.addWidget(icon)
        title = QLabel(f"<div style='font-size:16pt; font-weight:600'>Workbench "
                       f"{info.version}</div><div style='color:{style.TEXT_DIM}'>"
                       f"{tr(HOMEPAGE_TEXT)}</div>")
        title.setWordWrap(True)
        head.addWidget(title, 1)
        layout.addLayout(head)
        form = QFormLayout()
        form.setContentsMargins(84, 8, 0, 8)
        self.values: dict[str, QLabel] = {}
        for key, value in info.rows():
            label = QLabel(value)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            form.addRow(f"{tr(key)}:", label)
            self.values[key] = label
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(tr("Copy"))
        self.copy_button.setToolTip(tr("Copy these versions, e.g. for a bug report"))
        self.copy_button.clicked.connect(self.copy)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.info.text())
        self.copy_button.setText(tr("Copied"))


def show_about(parent: QWidget | None = None) -> AboutDialog:
    dialog = AboutDialog(system_info(), parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
