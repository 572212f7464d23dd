"""The desktop app: PySide6 + pyqtgraph, a view over ``workbench.core`` with no ML logic."""

from workbench.ui.pyside_fixes import keep_singletons_alive

keep_singletons_alive()  # before any Qt call anywhere in the app
