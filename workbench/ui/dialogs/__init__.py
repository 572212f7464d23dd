"""Modal questions the window asks (save changes? restore? which file?), in one place so tests
can answer them without dialogs."""

from workbench.ui.dialogs.prompts import Prompts

__all__ = ["Prompts"]
