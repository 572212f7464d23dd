"""The desktop app: PySide6 + pyqtgraph, a view over ``workbench.core`` with no ML logic."""
