"""The Evaluation tab for models that make images: a GAN's samples and latent interpolation
with its quality figure, an autoencoder's originals against reconstructions and its worst
ones. The pictures are the PNGs the core wrote into the run folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

PICTURES = {"gan": (("samples", "Samples"), ("interpolation", "Latent interpolation (each row "
                                                              "walks from one noise to another)")),
            "reconstruction": (("reconstructions", "Originals (odd rows) and reconstructions"),
                               ("worst_reconstructions", "The worst reconstructions"))}


def headline(results: dict[str, Any]) -> str:
    """The figures in one paragraph."""
    if results.get("task") == "reconstruction":
        loss = results.get("loss")
        text = (f"Test split ({results.get('size', 0):,} images): mean reconstruction loss "
                f"{loss:.4g} ({results.get('reconstruction_loss', '')})"
                if isinstance(loss, float) else "No test images")
        worst = results.get("worst") or []
        if worst:
            text += f"; the worst is {worst[0]['loss']:.4g}"
        return text
    q = results.get("quality") or {}
    text = (f"D(x) {results.get('d_real', float('nan')):.3f} · D(G(z)) "
            f"{results.get('d_fake', float('nan')):.3f} in the last epoch")
    if q.get("confident_share") is not None:
        real = q.get("real_confident_share")
        text += (f"<br><b>Quality</b> (Inception-score-like; a CNN trained on the same data "
                 f"judges 1,000 samples): {100 * q['confident_share']:.1f} % recognised with "
                 f"confidence ≥ 0.9, {q['classes_present']} of {q['classes']} classes present"
                 + (f" (real images: {100 * real:.1f} %)" if real is not None else ""))
    return text


class RunPictures(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel("")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.row = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addLayout(self.row, 1)
        self.boxes: list[QGroupBox] = []

    def show_results(self, results: dict[str, Any], run_dir: str | None) -> int:
        """Show the run's pictures; returns how many were found."""
        for box in self.boxes:
            box.deleteLater()
        self.boxes = []
        self.text.setText(headline(results))
        shown = 0
        for key, title in PICTURES.get(str(results.get("task")), ()):
            name = results.get(key)
            path = Path(run_dir) / name if run_dir and name else None
            box = QGroupBox(title)
            label = QLabel("not written" if path is None or not path.is_file() else "")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            if path is not None and path.is_file():
                pix = QPixmap(str(path))
                label.setPixmap(pix.scaled(460, 460, Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.FastTransformation))
                shown += 1
            QVBoxLayout(box).addWidget(label)
            self.row.addWidget(box)
            self.boxes.append(box)
        return shown
