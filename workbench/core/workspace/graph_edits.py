"""The Workspace's edits of the graph (add, splice in, remove, connect, paste, parameters,
rename, properties, move): each is checked against the model rules, applied as an undoable
Edit and returned."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from workbench.core.graph import Edge, ModelSpec, Node
from workbench.core.layers import CATALOGUE, get_kind
from workbench.core.workspace import rules
from workbench.core.workspace.edits import (
    CompositeEdit,
    Edit,
    MoveEdit,
    ParamEdit,
    Pos,
    PropertiesEdit,
    RenameEdit,
    StructureEdit,
    replace_edge_into,
)
from workbench.core.workspace.fit import Mismatch

ROW = 100.0  # vertical distance between chained layers (the canvas's auto-layout row)


class EditError(ValueError):
    """An edit the model rules refuse; the message says why, for a person."""


class GraphEdits:
    """Part of the Workspace: ``spec`` is the graph being edited; ``edited`` (the Workspace's)
    follows every edit."""

    spec: ModelSpec

    def _done(self, edit: Edit) -> Edit:
        self.edited(edit)
        return edit

    def _structure(self, text: str, change) -> StructureEdit:
        return StructureEdit(self, self.spec, text, change)

    def add_node(self, node: Node, connect_from: str | None = None) -> Edit:
        """Add ``node``, fed by ``connect_from`` when given (and the node takes an input)."""
        inputs = get_kind(node.kind).inputs

        def change(spec: ModelSpec) -> None:
            spec.nodes.append(node)
            if connect_from and inputs and spec.has_node(connect_from):
                spec.connect(connect_from, node.name, inputs[0])

        return self._done(self._structure(f"Add {rules.node_text(node)}", change))

    def add_layer(self, kind: str, pos: Pos, after: str | None = None, row: float = ROW
                  ) -> tuple[Node, Edit]:
        """Add a ``kind`` layer at ``pos``, fed by ``after`` when given. When ``after`` feeds
        other layers the new one is spliced in between (they are fed by it instead, and move
        down a row to make room): one edit."""
        node = self.new_node(kind, pos)
        if after is None or not self.spec.has_node(after) or get_kind(kind).is_input:
            return node, self.add_node(node)
        if not rules.splices(self.spec, after, kind):
            after_kind = CATALOGUE.get(self.spec.node(after).kind)
            feeds = after_kind is not None and not after_kind.is_output  # nothing after a head
            return node, self.add_node(node, after if feeds else None)
        anchor = self.spec.node(after).pos
        node.pos = (anchor[0], anchor[1] + row)  # where the next layer was; it moves down
        below = rules.downstream(self.spec, after)
        moves = [(n, n.pos, (n.pos[0], n.pos[1] + row)) for n in self.spec.nodes
                 if n.name in below]
        port = get_kind(kind).inputs[0]

        def splice(spec: ModelSpec) -> None:
            spec.nodes.append(node)
            spec.edges[:] = [Edge(node.name, e.dst, e.dst_port) if e.src == after else e
                             for e in spec.edges]
            spec.connect(after, node.name, port)

        parts: list[Edit] = [MoveEdit(self, moves, "", merge=False)] if moves else []
        parts.append(self._structure("", splice))
        edit = CompositeEdit(self, f"Insert {rules.node_text(node)} after {after}", parts)
        return node, self._done(edit)

    def remove(self, nodes: Iterable[str], edges: Iterable[Edge] = ()) -> Edit:
        """Delete nodes (with every edge touching them) and edges."""
        names = [n for n in dict.fromkeys(nodes) if self.spec.has_node(n)]
        gone = set(names)
        edges = [e for e in edges if e.src not in gone and e.dst not in gone]
        if names and not edges:
            text = (f"Delete {rules.node_text(self.spec.node(names[0]))}" if len(names) == 1
                    else f"Delete {len(names)} layers")
        elif not names:
            text = "Delete connection" if len(edges) == 1 else f"Delete {len(edges)} connections"
        else:
            text = f"Delete {len(names)} layers and {len(edges)} connections"

        def change(spec: ModelSpec) -> None:
            spec.edges[:] = [e for e in spec.edges if e not in edges
                             and e.src not in gone and e.dst not in gone]
            spec.nodes[:] = [n for n in spec.nodes if n.name not in gone]

        return self._done(self._structure(text, change))

    def connect(self, src: str, dst: str, port: str = "in") -> Edit:
        """Join ``src``'s output to ``dst``'s input ``port`` (replacing what fed that port).
        Raises EditError saying why when the rules refuse it."""
        why = self.can_connect(src, dst, port)
        if why is not None:
            raise EditError(why)
        text = f"Connect {src} → {dst}" + (f".{port}" if port != "in" else "")
        return self._done(self._structure(text, lambda s: replace_edge_into(s, Edge(src, dst,
                                                                                    port))))

    def disconnect(self, edges: Sequence[Edge]) -> Edit:
        edges = list(edges)
        text = "Disconnect " + (str(edges[0]) if len(edges) == 1
                                else f"{len(edges)} connections")

        def change(spec: ModelSpec) -> None:
            spec.edges[:] = [e for e in spec.edges if e not in edges]

        return self._done(self._structure(text, change))

    def paste(self, nodes: Sequence[Node], edges: Sequence[Edge], text: str = "") -> Edit:
        """Insert copied nodes (already given fresh names) and the edges among them."""
        text = text or (f"Paste {rules.node_text(nodes[0])}" if len(nodes) == 1
                        else f"Paste {len(nodes)} layers")

        def change(spec: ModelSpec) -> None:
            spec.nodes.extend(nodes)
            for e in edges:
                spec.connect(e.src, e.dst, e.dst_port)

        return self._done(self._structure(text, change))

    def set_param(self, node: str, param: str, value: Any) -> Edit:
        """Change one parameter; consecutive changes of the same one merge (typing)."""
        target = self.spec.node(node)
        kind = CATALOGUE.get(target.kind)
        title = kind.param(param).title.lower() if kind and param in kind.defaults() else param
        return self._done(ParamEdit(self, target, {param: value}, f"Set {node} {title}"))

    def set_params(self, node: str, values: dict[str, Any], text: str = "") -> Edit:
        """Several parameters of one node as one step."""
        return self._done(ParamEdit(self, self.spec.node(node), dict(values),
                                    text or f"Set parameters of {node}"))

    def apply_fix(self, mismatch: Mismatch) -> Edit:
        """Make the data fit: the mismatch's parameters set on its layer, one step."""
        if not mismatch.fixable or mismatch.node is None:
            raise EditError(f"there is no automatic fix for: {mismatch.message}")
        return self.set_params(mismatch.node, mismatch.params, mismatch.fix_label)

    def rename(self, old: str, new: str) -> Edit:
        why = self.name_problem(old, new)
        if why is not None:
            raise EditError(why)
        return self._done(RenameEdit(self, self.spec, old, new))

    def set_properties(self, name: str | None = None, description: str | None = None) -> Edit:
        """The model's name (shown in runs, used for export file names and code) and
        description (the exported code's docstring)."""
        name = self.spec.name if name is None else name.strip()
        description = self.spec.description if description is None else description.strip()
        if not name:
            raise EditError("The model needs a name")
        what = "name" if description == self.spec.description else \
            "description" if name == self.spec.name else "properties"
        return self._done(PropertiesEdit(self, self.spec, name, description,
                                         f"Change the model's {what}"))

    def move(self, moves: dict[str, tuple[Pos, Pos]], text: str = "",
             merge: bool = True) -> Edit:
        """Move nodes: ``{name: (old, new)}``."""
        nodes = [self.spec.node(n) for n in moves]
        text = text or (f"Move {nodes[0].name}" if len(nodes) == 1 else f"Move {len(nodes)} layers")
        return self._done(MoveEdit(self, [(n, _pos(moves[n.name][0]), _pos(moves[n.name][1]))
                                          for n in nodes], text, merge))


def _pos(p: Iterable[float]) -> Pos:
    x, y = p
    return (round(float(x), 1), round(float(y), 1))
