"""The app's icon, from the PNGs rendered from resources/icons/workbench.svg
(packaging/icons.py): every size in one QIcon, so no SVG plugin is needed."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from workbench.core.resources import resource_path

SIZES = (16, 32, 48, 64, 128, 256, 512)


@cache
def app_icon() -> QIcon:
    icon = QIcon()
    for size in SIZES:
        path = resource_path("icons", f"workbench-{size}.png")
        if path.is_file():
            icon.addFile(str(path))
    if icon.isNull():  # the PNGs are gone: the SVG still draws (Qt's svg icon engine)
        svg = resource_path("icons", "workbench.svg")
        if svg.is_file():
            icon = QIcon(str(svg))
    return icon
