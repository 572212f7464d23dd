"""Undoable edits on Qt's QUndoStack: each command is one of the workspace's Edits.

The model rules and the changes themselves live in the core (``Workspace`` methods return
an applied ``Edit``); a command only performs that method on its first ``redo`` (which
``push`` calls), then undoes and redoes the Edit, and merges as the Edit says (typing in a
spin box, dragging a node). The classes below keep the names views and tests use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtGui import QUndoCommand

from workbench.core.graph import Edge, Node
from workbench.core.workspace import Edit, EditError, Mismatch, Workspace
from workbench.core.workspace.rules import new_node, unique_name
from workbench.ui.document import ModelDocument
from workbench.ui.i18n import translator

tr = translator("commands")

__all__ = ["AddLayerCommand", "AddNodeCommand", "ApplyFixCommand", "ConnectCommand",
           "DisconnectCommand", "EditCommand", "MoveCommand", "PasteCommand",
           "PropertiesCommand", "RemoveCommand", "RenameCommand", "SetParamCommand",
           "SetParamsCommand", "auto_layout_command", "new_node", "unique_name"]

Pos = tuple[float, float]


class EditCommand(QUndoCommand):
    """``perform(workspace) -> Edit`` on the first redo; the Edit's undo/redo after. An edit
    the rules refuse (EditError) makes the command obsolete: Qt drops it, ``error`` says why."""

    def __init__(self, document: ModelDocument, perform: Callable[[Workspace], Edit],
                 text: str = "") -> None:
        super().__init__(text)
        self.document = document
        self._perform = perform
        self.edit: Edit | None = None
        self.error: str | None = None

    @property
    def workspace(self) -> Workspace:
        assert self.document.workspace is not None
        return self.document.workspace

    def redo(self) -> None:
        if self.edit is not None:
            self.edit.redo()
            return
        try:
            self.edit = self._perform(self.workspace)
        except EditError as e:
            self.error = str(e)
            self.setObsolete(True)
            return
        self.setText(self.edit.text)

    def undo(self) -> None:
        if self.edit is not None:
            self.edit.undo()

    def id(self) -> int:
        return self.edit.merge_id if self.edit is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        if not (isinstance(other, EditCommand) and self.edit is not None
                and other.edit is not None and self.edit.merge(other.edit)):
            return False
        if self.edit.obsolete:
            self.setObsolete(True)
        return True


class AddNodeCommand(EditCommand):
    """Add one layer, optionally fed by an existing node."""

    def __init__(self, document: ModelDocument, node: Node,
                 connect_from: str | None = None) -> None:
        super().__init__(document, lambda ws: ws.add_node(node, connect_from))
        self.node = node


class AddLayerCommand(EditCommand):
    """Add a new ``kind`` layer after ``after`` (spliced into its chain when it feeds
    others, see ``Workspace.add_layer``); ``node`` is the layer added."""

    def __init__(self, document: ModelDocument, kind: str, pos: Pos,
                 after: str | None = None, row: float | None = None) -> None:
        self.node: Node | None = None

        def perform(ws: Workspace) -> Edit:
            extra = {} if row is None else {"row": row}
            self.node, edit = ws.add_layer(kind, pos, after, **extra)
            return edit

        super().__init__(document, perform)


class RemoveCommand(EditCommand):
    """Delete nodes (with every edge touching them) and edges."""

    def __init__(self, document: ModelDocument, nodes: Iterable[str],
                 edges: Iterable[Edge] = ()) -> None:
        names, edges = list(nodes), list(edges)
        super().__init__(document, lambda ws: ws.remove(names, edges))


class ConnectCommand(EditCommand):
    """Join ``src``'s output to an input port of ``dst`` (replacing what fed that port)."""

    def __init__(self, document: ModelDocument, src: str, dst: str, port: str = "in") -> None:
        super().__init__(document, lambda ws: ws.connect(src, dst, port))
        self.edge = Edge(src, dst, port)


class DisconnectCommand(EditCommand):
    def __init__(self, document: ModelDocument, edges: Iterable[Edge]) -> None:
        self.edges = list(edges)
        super().__init__(document, lambda ws: ws.disconnect(self.edges))


class PasteCommand(EditCommand):
    """Insert copied nodes (already given fresh names) and the edges among them."""

    def __init__(self, document: ModelDocument, nodes: list[Node], edges: list[Edge],
                 text: str | None = None) -> None:
        super().__init__(document, lambda ws: ws.paste(nodes, edges, text or ""))
        self.nodes, self.edges = nodes, edges


class SetParamCommand(EditCommand):
    """Change one parameter. Consecutive changes of the same parameter merge into one step."""

    def __init__(self, document: ModelDocument, node: str, param: str, value: Any) -> None:
        super().__init__(document, lambda ws: ws.set_param(node, param, value))
        self.param, self.new = param, value


class SetParamsCommand(EditCommand):
    """Several parameters of one node as one step."""

    def __init__(self, document: ModelDocument, node: str, values: dict[str, Any],
                 text: str = "") -> None:
        super().__init__(document, lambda ws: ws.set_params(node, values, text))


class ApplyFixCommand(EditCommand):
    """A data-fit fix (the input size, the number of classes...): one step."""

    def __init__(self, document: ModelDocument, mismatch: Mismatch) -> None:
        super().__init__(document, lambda ws: ws.apply_fix(mismatch))


class RenameCommand(EditCommand):
    def __init__(self, document: ModelDocument, old: str, new: str) -> None:
        super().__init__(document, lambda ws: ws.rename(old, new))
        self.old, self.new = old, new


class PropertiesCommand(EditCommand):
    """The model's name and description."""

    def __init__(self, document: ModelDocument, name: str | None = None,
                 description: str | None = None) -> None:
        super().__init__(document, lambda ws: ws.set_properties(name, description))


class MoveCommand(EditCommand):
    """Move nodes. Consecutive moves of the same nodes merge (one undo step per drag run)."""

    def __init__(self, document: ModelDocument, moves: dict[str, tuple[Pos, Pos]],
                 text: str | None = None, merge: bool = True) -> None:
        super().__init__(document, lambda ws: ws.move(moves, text or "", merge))


def auto_layout_command(document: ModelDocument, positions: dict[str, Pos]) -> MoveCommand:
    spec = document.spec
    assert spec is not None
    moves = {n.name: (n.pos, positions[n.name]) for n in spec.nodes if n.name in positions}
    return MoveCommand(document, moves, text=tr("Auto-layout"), merge=False)
