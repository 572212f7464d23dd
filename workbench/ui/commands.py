"""Undoable edits of the model: every change the UI makes to a spec is one of these.

Each command changes ``document.spec`` through the ModelSpec API and then calls
``document.edited()`` (which re-analyses and emits ``changed``). History is linear, so a
structural edit can undo by restoring the node and edge lists it saw before (the Node objects
are kept, so views keyed by them stay valid) and redo by restoring the lists it left.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtGui import QUndoCommand

from workbench.core.graph import Edge, ModelSpec, Node
from workbench.core.layers import CATALOGUE, get_kind
from workbench.ui.document import ModelDocument

MOVE_ID = 1001
SET_PARAM_ID = 1002


def _label(node: Node) -> str:
    kind = CATALOGUE.get(node.kind)
    return f"{kind.title if kind else node.kind} '{node.name}'"


class DocumentCommand(QUndoCommand):
    def __init__(self, document: ModelDocument, text: str) -> None:
        super().__init__(text)
        self.document = document

    @property
    def spec(self) -> ModelSpec:
        assert self.document.spec is not None
        return self.document.spec


class StructureCommand(DocumentCommand):
    """Adds or removes nodes and edges. ``apply`` runs once; undo/redo swap snapshots."""

    def __init__(self, document: ModelDocument, text: str,
                 apply: Callable[[ModelSpec], Any] | None = None) -> None:
        super().__init__(document, text)
        self._apply_fn = apply
        self._before: tuple[list[Node], list[Edge]] | None = None
        self._after: tuple[list[Node], list[Edge]] | None = None

    def apply(self, spec: ModelSpec) -> None:
        if self._apply_fn is not None:
            self._apply_fn(spec)

    def redo(self) -> None:
        spec = self.spec
        if self._after is None:
            self._before = (list(spec.nodes), list(spec.edges))
            self.apply(spec)
            self._after = (list(spec.nodes), list(spec.edges))
        else:
            spec.nodes[:], spec.edges[:] = list(self._after[0]), list(self._after[1])
        self.document.edited()

    def undo(self) -> None:
        assert self._before is not None
        spec = self.spec
        spec.nodes[:], spec.edges[:] = list(self._before[0]), list(self._before[1])
        self.document.edited()


def new_node(spec: ModelSpec, kind: str, pos: tuple[float, float], name: str | None = None,
             params: dict[str, Any] | None = None, taken: Iterable[str] = ()) -> Node:
    """A node with the kind's defaults and a name not used in ``spec`` (nor in ``taken``)."""
    layer = get_kind(kind)
    if name is None:
        name = unique_name(spec, layer.name_base, taken)
    return Node(name, kind, layer.defaults() | dict(params or {}),
                (float(pos[0]), float(pos[1])))


def unique_name(spec: ModelSpec, base: str, taken: Iterable[str] = ()) -> str:
    extra = set(taken)
    if not extra:
        return spec.unique_name(base)
    probe = ModelSpec(list(spec.nodes) + [Node(n, "") for n in extra])
    return probe.unique_name(base)


class AddNodeCommand(StructureCommand):
    """Add one layer, optionally fed by an existing node (palette double-click appends)."""

    def __init__(self, document: ModelDocument, node: Node,
                 connect_from: str | None = None) -> None:
        super().__init__(document, f"Add {_label(node)}")
        self.node = node
        self.connect_from = connect_from

    def apply(self, spec: ModelSpec) -> None:
        spec.nodes.append(self.node)
        inputs = get_kind(self.node.kind).inputs
        if self.connect_from and inputs and spec.has_node(self.connect_from):
            spec.connect(self.connect_from, self.node.name, inputs[0])


class RemoveCommand(StructureCommand):
    """Delete nodes (with every edge touching them) and edges."""

    def __init__(self, document: ModelDocument, nodes: Iterable[str],
                 edges: Iterable[Edge] = ()) -> None:
        self.names = list(dict.fromkeys(nodes))
        self.edges = [e for e in edges if e.src not in self.names and e.dst not in self.names]
        if self.names and not self.edges:
            text = (f"Delete {_label(document.spec.node(self.names[0]))}"  # type: ignore[union-attr]
                    if len(self.names) == 1 else f"Delete {len(self.names)} layers")
        elif not self.names:
            text = "Delete connection" if len(self.edges) == 1 else \
                f"Delete {len(self.edges)} connections"
        else:
            text = f"Delete {len(self.names)} layers and {len(self.edges)} connections"
        super().__init__(document, text)

    def apply(self, spec: ModelSpec) -> None:
        for e in self.edges:
            if e in spec.edges:
                spec.disconnect(e)
        gone = set(self.names)
        spec.nodes[:] = [n for n in spec.nodes if n.name not in gone]
        spec.edges[:] = [e for e in spec.edges if e.src not in gone and e.dst not in gone]


class ConnectCommand(StructureCommand):
    """Join ``src``'s output to an input port of ``dst``. A port takes one connection, so an
    existing one into the same port is replaced."""

    def __init__(self, document: ModelDocument, src: str, dst: str, port: str = "in") -> None:
        super().__init__(document, f"Connect {src} → {dst}"
                         + (f".{port}" if port != "in" else ""))
        self.edge = Edge(src, dst, port)

    def apply(self, spec: ModelSpec) -> None:
        e = self.edge
        spec.edges[:] = [x for x in spec.edges if not (x.dst == e.dst and x.dst_port == e.dst_port)]
        spec.connect(e.src, e.dst, e.dst_port)


class DisconnectCommand(StructureCommand):
    def __init__(self, document: ModelDocument, edges: Iterable[Edge]) -> None:
        self.edges = list(edges)
        super().__init__(document, "Disconnect " + (str(self.edges[0]) if len(self.edges) == 1
                                                   else f"{len(self.edges)} connections"))

    def apply(self, spec: ModelSpec) -> None:
        for e in self.edges:
            if e in spec.edges:
                spec.disconnect(e)


class PasteCommand(StructureCommand):
    """Insert copied nodes (already given fresh names) and the edges among them."""

    def __init__(self, document: ModelDocument, nodes: list[Node], edges: list[Edge],
                 text: str | None = None) -> None:
        super().__init__(document, text or (f"Paste {_label(nodes[0])}" if len(nodes) == 1
                                            else f"Paste {len(nodes)} layers"))
        self.nodes = nodes
        self.edges = edges

    def apply(self, spec: ModelSpec) -> None:
        spec.nodes.extend(self.nodes)
        for e in self.edges:
            spec.connect(e.src, e.dst, e.dst_port)


class SetParamCommand(DocumentCommand):
    """Change one parameter. Consecutive changes of the same parameter merge into one step."""

    def __init__(self, document: ModelDocument, node: str, param: str, value: Any) -> None:
        target = document.spec.node(node)  # type: ignore[union-attr]
        kind = CATALOGUE.get(target.kind)
        title = kind.param(param).title.lower() if kind and param in kind.defaults() else param
        super().__init__(document, f"Set {node} {title}")
        self.node = target
        self.param = param
        self.had_value = param in target.params
        self.old = target.params.get(param)
        self.new = value

    def id(self) -> int:
        return SET_PARAM_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (isinstance(other, SetParamCommand) and other.node is self.node
                and other.param == self.param):
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self.node.params[self.param] = self.new
        self.document.edited()

    def undo(self) -> None:
        if self.had_value:
            self.node.params[self.param] = self.old
        else:
            self.node.params.pop(self.param, None)
        self.document.edited()


class RenameCommand(DocumentCommand):
    def __init__(self, document: ModelDocument, old: str, new: str) -> None:
        super().__init__(document, f"Rename {old} to {new}")
        self.old = old
        self.new = new

    def _rename(self, a: str, b: str) -> None:
        self.spec.rename(a, b)
        self.document.renamed.emit(a, b)
        self.document.edited()

    def redo(self) -> None:
        self._rename(self.old, self.new)

    def undo(self) -> None:
        self._rename(self.new, self.old)


Pos = tuple[float, float]


class MoveCommand(DocumentCommand):
    """Move nodes. Consecutive moves of the same nodes merge (one undo step per drag run)."""

    def __init__(self, document: ModelDocument, moves: dict[str, tuple[Pos, Pos]],
                 text: str | None = None, merge: bool = True) -> None:
        nodes = [document.spec.node(n) for n in moves]  # type: ignore[union-attr]
        super().__init__(document, text or (f"Move {nodes[0].name}" if len(nodes) == 1
                                            else f"Move {len(nodes)} layers"))
        self.moves = {id(n): (n, _pos(moves[n.name][0]), _pos(moves[n.name][1]))
                      for n in nodes}
        self.merge = merge

    def id(self) -> int:
        return MOVE_ID if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (isinstance(other, MoveCommand) and other.merge
                and other.moves.keys() == self.moves.keys()):
            return False
        for key, (node, old, _new) in self.moves.items():
            self.moves[key] = (node, old, other.moves[key][2])
        if all(old == new for _n, old, new in self.moves.values()):
            self.setObsolete(True)
        return True

    def redo(self) -> None:
        for node, _old, new in self.moves.values():
            node.pos = new
        self.document.edited()

    def undo(self) -> None:
        for node, old, _new in self.moves.values():
            node.pos = old
        self.document.edited()


def _pos(p: Iterable[float]) -> Pos:
    x, y = p
    return (round(float(x), 1), round(float(y), 1))


def auto_layout_command(document: ModelDocument, positions: dict[str, Pos]) -> MoveCommand:
    spec = document.spec
    assert spec is not None
    moves = {n.name: (n.pos, positions[n.name]) for n in spec.nodes if n.name in positions}
    return MoveCommand(document, moves, text="Auto-layout", merge=False)
