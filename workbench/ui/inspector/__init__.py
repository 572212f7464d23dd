"""The inspector: a form built from the selected layer's parameter schema."""

from workbench.ui.inspector.panel import InspectorPanel

__all__ = ["InspectorPanel"]
