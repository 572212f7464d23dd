"""The model canvas: a QGraphicsScene of layer nodes and connections, and its view."""

from workbench.ui.canvas.scene import LAYER_MIME, NODES_MIME, GraphScene
from workbench.ui.canvas.view import CanvasView

__all__ = ["LAYER_MIME", "NODES_MIME", "CanvasView", "GraphScene"]
