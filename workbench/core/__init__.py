"""The Qt-free core of Workbench: catalogue, graph, data, engine, evaluation, export.

Nothing under this package may import PySide6, pyqtgraph or ``workbench.ui`` (checked by
import-linter in CI and by a test that imports the core with Qt blocked).
"""
