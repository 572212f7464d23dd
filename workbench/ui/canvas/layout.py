"""The canvas's auto-layout lives in the core (importers lay out the graphs they make with
it); re-exported here for the canvas."""

from workbench.core.graph.layout import GAP, LANE_W, NODE_W, ROW, auto_layout, depths

__all__ = ["GAP", "LANE_W", "NODE_W", "ROW", "auto_layout", "depths"]
