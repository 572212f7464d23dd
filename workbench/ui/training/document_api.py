"""The few things the training UI asks of the main window's ModelDocument, in one place:
read the spec and its analysis, set the analysis batch size and optimizer, edit parameters
(undoably) and open a spec."""

from __future__ import annotations

from typing import Any


def document_spec(document: Any):
    return getattr(document, "spec", None)


def document_analysis(document: Any):
    return getattr(document, "analysis", None)


def set_analysis_batch(document: Any, batch: int) -> None:
    """Analyse with this batch size, so the memory estimate follows the training batch."""
    document.set_batch_size(int(batch))


def set_analysis_optimizer(document: Any, optimizer: str) -> None:
    """Analyse for this optimizer, so the memory estimate counts its state (Adam's two
    moments, SGD's momentum)."""
    setter = getattr(document, "set_optimizer", None)
    if callable(setter):
        setter(str(optimizer))


def set_node_params(document: Any, node: str, params: dict[str, Any], text: str = "") -> None:
    """Set parameters of one node as ONE step on the document's undo stack."""
    from workbench.ui.commands import SetParamCommand

    stack = document.undo_stack
    stack.beginMacro(text or f"Set parameters of {node}")
    try:
        for key, value in params.items():
            stack.push(SetParamCommand(document, node, key, value))
    finally:
        stack.endMacro()


def open_spec(document: Any, spec: Any) -> None:
    """Replace the document's model with ``spec`` (e.g. a run's model) as an untitled model.
    The main window's ``open_spec`` is preferred (it builds the canvas first)."""
    document.load_spec(spec, None)
