"""The Compress window: prune, quantize or distil a trained run, with the table."""

from workbench.ui.compress.window import CompressWindow, show_compress

__all__ = ["CompressWindow", "show_compress"]
