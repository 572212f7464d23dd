"""The layer palette: every catalogue kind, grouped, searchable, draggable."""

from workbench.ui.palette.panel import PalettePanel

__all__ = ["PalettePanel"]
