"""Render the app icon's PNGs from its SVG source with Qt's own SVG renderer.

    uv run python packaging/icons.py [--check]

writes resources/icons/workbench-{16..512}.png (the sizes desktops ask for: hicolor theme
folders, Windows .ico, macOS .icns); ``--check`` only says whether the committed PNGs still
match the SVG (exit 1 if not). The PNGs are committed beside their source so that the app
and a wheel need no SVG plugin to show the icon.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

from workbench.ui.icons import SIZES  # noqa: E402

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SOURCE = ICONS / "workbench.svg"


def png_path(size: int) -> Path:
    return ICONS / f"workbench-{size}.png"


def render(size: int, source: Path = SOURCE) -> QImage:
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise ValueError(f"{source} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def stale_sizes() -> list[int]:
    """The sizes whose committed PNG is missing or differs from a fresh render."""
    stale = []
    for size in SIZES:
        path = png_path(size)
        old = QImage(str(path)).convertToFormat(QImage.Format.Format_ARGB32) \
            if path.is_file() else QImage()
        if old.isNull() or old != render(size):
            stale.append(size)
    return stale


def write_all() -> list[Path]:
    out = []
    for size in SIZES:
        path = png_path(size)
        if not render(size).save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
        out.append(path)
    return out


def main(argv: list[str]) -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    if "--check" in argv:
        stale = stale_sizes()
        if stale:
            print(f"icons: the PNGs for {stale} do not match {SOURCE.name}; "
                  "run uv run python packaging/icons.py", file=sys.stderr)
            return 1
        print("icons: up to date")
        return 0
    for path in write_all():
        print(f"wrote {path.relative_to(ICONS.parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
