"""Edits of a workspace's model: each one done, and able to be undone and redone.

Every change the app makes to a model is one ``Edit``, returned (already applied) by a
``Workspace`` method. The UI keeps them on Qt's QUndoStack (``ui/commands.py`` wraps each in
a QUndoCommand); a script can keep them in a list. History is linear, so a structural edit
undoes by restoring the node and edge lists it saw before (the Node objects themselves are
kept: views keyed by them stay valid) and redoes by restoring the lists it left.

An edit remembers the spec it changed (not "the workspace's current spec") and the part of a
GAN document (generator or discriminator) that was on the canvas, so one history serves both
graphs: undoing an edit of the other graph first puts that graph on the canvas (the user sees
what is undone), then changes it where it was made.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from workbench.core.graph import Edge, ModelSpec, Node

if TYPE_CHECKING:
    from workbench.core.workspace.state import Workspace

Pos = tuple[float, float]

MERGE_MOVE = 1001  # consecutive moves of the same nodes merge into one step
MERGE_PARAM = 1002  # consecutive changes of one parameter merge into one step


class Edit:
    """One undoable change. ``merge_id`` >= 0 lets a later edit of the same id merge into
    this one (``merge``), as dragging or typing makes many small changes."""

    merge_id = -1

    def __init__(self, workspace: Workspace, text: str) -> None:
        self.workspace = workspace
        self.text = text
        self.part = workspace.part  # the graph it edits (None: a one-graph model)

    def redo(self) -> None:
        self.workspace.show_part(self.part)
        self._apply(forward=True)
        self.workspace.edited(self)

    def undo(self) -> None:
        self.workspace.show_part(self.part)
        self._apply(forward=False)
        self.workspace.edited(self)

    def _apply(self, forward: bool) -> None:
        raise NotImplementedError

    def merge(self, later: Edit) -> bool:
        """Absorb ``later`` (already applied) into this edit; False when they do not merge."""
        return False

    @property
    def obsolete(self) -> bool:
        """True when the edit changes nothing (a drag back to where it started)."""
        return False

    @property
    def renamed(self) -> tuple[str, str] | None:
        """(old, new) when the edit renames a node, in the direction last applied."""
        return None


class StructureEdit(Edit):
    """Nodes and edges added or removed: snapshots of the lists before and after."""

    def __init__(self, workspace: Workspace, spec: ModelSpec, text: str,
                 change: Callable[[ModelSpec], Any]) -> None:
        super().__init__(workspace, text)
        self.spec = spec
        self.before = (list(spec.nodes), list(spec.edges))
        change(spec)
        self.after = (list(spec.nodes), list(spec.edges))

    def _apply(self, forward: bool) -> None:
        nodes, edges = self.after if forward else self.before
        self.spec.nodes[:], self.spec.edges[:] = list(nodes), list(edges)


class ParamEdit(Edit):
    """Parameters of one node set (several at once are one step: a data-fit fix)."""

    def __init__(self, workspace: Workspace, node: Node, values: dict[str, Any],
                 text: str) -> None:
        super().__init__(workspace, text)
        self.node = node
        self.old = {k: (k in node.params, node.params.get(k)) for k in values}
        self.new = dict(values)
        self.merge_id = MERGE_PARAM if len(values) == 1 else -1
        node.params.update(values)

    def _apply(self, forward: bool) -> None:
        if forward:
            self.node.params.update(self.new)
            return
        for key, (had, value) in self.old.items():
            if had:
                self.node.params[key] = value
            else:
                self.node.params.pop(key, None)

    def merge(self, later: Edit) -> bool:
        if not (isinstance(later, ParamEdit) and later.node is self.node
                and later.new.keys() == self.new.keys() and later.merge_id == self.merge_id):
            return False
        self.new = dict(later.new)
        return True


class RenameEdit(Edit):
    def __init__(self, workspace: Workspace, spec: ModelSpec, old: str, new: str) -> None:
        super().__init__(workspace, f"Rename {old} to {new}")
        self.spec, self.old, self.new = spec, old, new
        self._last = (old, new)
        spec.rename(old, new)

    def _apply(self, forward: bool) -> None:
        a, b = (self.old, self.new) if forward else (self.new, self.old)
        self.spec.rename(a, b)
        self._last = (a, b)

    @property
    def renamed(self) -> tuple[str, str] | None:
        return self._last


class PropertiesEdit(Edit):
    """The model's name and description."""

    def __init__(self, workspace: Workspace, spec: ModelSpec, name: str, description: str,
                 text: str) -> None:
        super().__init__(workspace, text)
        self.spec = spec
        self.old = (spec.name, spec.description)
        self.new = (name, description)
        spec.name, spec.description = self.new

    def _apply(self, forward: bool) -> None:
        self.spec.name, self.spec.description = self.new if forward else self.old


class MoveEdit(Edit):
    """Nodes moved on the canvas. With ``merge``, consecutive moves of the same nodes merge
    (one undo step per drag run)."""

    def __init__(self, workspace: Workspace, moves: Sequence[tuple[Node, Pos, Pos]], text: str,
                 merge: bool = True) -> None:
        super().__init__(workspace, text)
        self.moves = {id(n): (n, old, new) for n, old, new in moves}
        self.merge_id = MERGE_MOVE if merge else -1
        for node, _old, new in self.moves.values():
            node.pos = new

    def _apply(self, forward: bool) -> None:
        for node, old, new in self.moves.values():
            node.pos = new if forward else old

    def merge(self, later: Edit) -> bool:
        if not (isinstance(later, MoveEdit) and later.merge_id == self.merge_id >= 0
                and later.moves.keys() == self.moves.keys()):
            return False
        for key, (node, old, _new) in self.moves.items():
            self.moves[key] = (node, old, later.moves[key][2])
        return True

    @property
    def obsolete(self) -> bool:
        return all(old == new for _n, old, new in self.moves.values())


class FreezeEdit(Edit):
    """Layers frozen or unfrozen for training (the workspace's ``frozen`` set)."""

    def __init__(self, workspace: Workspace, after: set[str], text: str) -> None:
        super().__init__(workspace, text)
        self.before, self.after = set(workspace.frozen), set(after)
        workspace.frozen = set(after)

    def _apply(self, forward: bool) -> None:
        self.workspace.frozen = set(self.after if forward else self.before)

    @property
    def obsolete(self) -> bool:
        return self.before == self.after


class CompositeEdit(Edit):
    """Several edits as one step (splicing a layer into a chain: the nodes below move down,
    the new one is wired in). Undone in reverse order."""

    def __init__(self, workspace: Workspace, text: str, parts: Sequence[Edit]) -> None:
        super().__init__(workspace, text)
        self.parts = list(parts)

    def _apply(self, forward: bool) -> None:
        for part in self.parts if forward else reversed(self.parts):
            part._apply(forward)

    @property
    def renamed(self) -> tuple[str, str] | None:
        return next((r for p in self.parts if (r := p.renamed)), None)


def replace_edge_into(spec: ModelSpec, edge: Edge) -> None:
    """Connect ``edge``; a port takes one connection, so one already into it is replaced."""
    spec.edges[:] = [x for x in spec.edges
                     if not (x.dst == edge.dst and x.dst_port == edge.dst_port)]
    spec.connect(edge.src, edge.dst, edge.dst_port)
