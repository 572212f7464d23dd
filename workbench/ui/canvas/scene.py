"""The canvas scene: one NodeItem per layer and one EdgeItem per connection, kept in step
with the document. Items are updated in place on every change (never rebuilt wholesale), and
every user gesture becomes an undo command pushed on the document."""

from __future__ import annotations

import json

from PySide6.QtCore import QMimeData, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPen
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSceneDragDropEvent,
    QGraphicsSceneMouseEvent,
)

from workbench.core.graph import Edge, ModelSpec, Node, SpecFormatError
from workbench.core.layers import CATALOGUE
from workbench.ui import style
from workbench.ui.canvas.edges import EdgeItem, edge_path
from workbench.ui.canvas.items import NODE_H, NODE_W, NodeItem
from workbench.ui.canvas.layout import ROW, auto_layout
from workbench.ui.canvas.ports import PortItem
from workbench.ui.commands import (
    AddLayerCommand,
    AddNodeCommand,
    ConnectCommand,
    DisconnectCommand,
    MoveCommand,
    PasteCommand,
    RemoveCommand,
    auto_layout_command,
    new_node,
    unique_name,
)
from workbench.ui.document import ModelDocument

LAYER_MIME = "application/x-workbench-layer"  # a palette drag: the layer kind
NODES_MIME = "application/x-workbench-nodes"  # copied layers: JSON nodes + edges
PASTE_OFFSET = 40.0


class GraphScene(QGraphicsScene):
    message = Signal(str)  # a line for the status bar
    node_activated = Signal(str)  # a node was double-clicked

    def __init__(self, document: ModelDocument, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.nodes: dict[int, NodeItem] = {}  # by id(Node): survives renames
        self.edges: dict[Edge, EdgeItem] = {}
        self._by_name: dict[str, NodeItem] = {}
        self._drag_from: PortItem | None = None
        self._drag_line: QGraphicsPathItem | None = None
        self._drag_target: PortItem | None = None
        self._paste_count = 0
        self.extra_problems: list = []  # problems found outside the model (the data's fit)
        self.setBackgroundBrush(QColor(style.CANVAS_BG))
        document.changed.connect(self.sync)
        document.loaded.connect(self.rebuild)
        if document.spec is not None:
            self.sync()

    # -- keeping in step with the document ------------------------------------------------
    @property
    def spec(self) -> ModelSpec:
        assert self.document.spec is not None
        return self.document.spec

    def rebuild(self) -> None:
        """A different model was loaded: drop every item (the next sync makes new ones)."""
        self.cancel_connection()
        self.clearSelection()
        for item in list(self.edges.values()) + list(self.nodes.values()):
            self.removeItem(item)
        self.nodes.clear()
        self.edges.clear()
        self._by_name.clear()
        self._paste_count = 0

    def sync(self, *_args) -> None:
        """Bring the items in line with the spec and its latest analysis (in place)."""
        spec, analysis = self.document.spec, self.document.analysis
        if spec is None:
            return
        alive = {id(n) for n in spec.nodes}
        for key in [k for k in self.nodes if k not in alive]:
            item = self.nodes.pop(key)
            for e in list(item.edges):
                self._remove_edge(e.edge)
            self.removeItem(item)
        self._by_name = {}
        problems: dict[str, list] = {}
        found = list(analysis.problems) if analysis is not None else []
        for p in found + self.extra_problems:
            if p.node:
                problems.setdefault(p.node, []).append(p)
        for node in spec.nodes:
            item = self.nodes.get(id(node))
            if item is None or item.node is not node:
                item = NodeItem(node)
                self.nodes[id(node)] = item
                self.addItem(item)
            self._by_name.setdefault(node.name, item)
            info = analysis.nodes.get(node.name) if analysis is not None else None
            workspace = self.document.workspace
            item.update_from(info, problems.get(node.name, []),
                             frozen=workspace is not None and node.name in workspace.frozen)
        wanted = set(spec.edges)
        for e in [e for e in self.edges if e not in wanted]:
            self._remove_edge(e)
        for e in spec.edges:
            if e in self.edges:
                continue
            src, dst = self._by_name.get(e.src), self._by_name.get(e.dst)
            if src is None or dst is None or src is dst:
                continue
            item = EdgeItem(e, src, dst)
            self.edges[e] = item
            src.edges.add(item)
            dst.edges.add(item)
            self.addItem(item)
        for item in self.nodes.values():
            for port, port_item in item.inputs.items():
                port_item.set_connected(any(e.edge.dst_port == port and e.dst is item
                                            for e in item.edges))
            item.output.set_connected(any(e.src is item for e in item.edges))
        for edge in self.edges.values():
            edge.route()
        self._update_scene_rect()

    def set_extra_problems(self, problems: list) -> None:
        """Problems from outside the model's analysis (e.g. the data do not fit its input),
        shown on their layers like the model's own until replaced."""
        if list(problems) != self.extra_problems:
            self.extra_problems = list(problems)
            self.sync()

    def _remove_edge(self, edge: Edge) -> None:
        item = self.edges.pop(edge, None)
        if item is None:
            return
        item.src.edges.discard(item)
        item.dst.edges.discard(item)
        self.removeItem(item)

    def _update_scene_rect(self) -> None:
        bounds = self.itemsBoundingRect() if self.nodes else QRectF(-300, -200, 600, 400)
        self.setSceneRect(bounds.adjusted(-900, -600, 900, 600))

    # -- lookups and selection ------------------------------------------------------------------
    def item_for(self, name: str) -> NodeItem | None:
        return self._by_name.get(name)

    def selected_names(self) -> list[str]:
        return [it.node.name for it in self.selectedItems() if isinstance(it, NodeItem)]

    def selected_edges(self) -> list[Edge]:
        return [it.edge for it in self.selectedItems() if isinstance(it, EdgeItem)]

    def select_names(self, names: list[str]) -> None:
        self.clearSelection()
        for n in names:
            item = self.item_for(n)
            if item is not None:
                item.setSelected(True)

    def select_all(self) -> None:
        for item in self.nodes.values():
            item.setSelected(True)

    # -- edits --------------------------------------------------------------------------------
    def add_layer(self, kind: str, pos: QPointF | tuple[float, float],
                  connect_from: str | None = None) -> str:
        """Add a layer of ``kind`` at ``pos`` (centre-top), optionally fed by ``connect_from``;
        it becomes the selection. Returns its name."""
        x, y = (pos.x(), pos.y()) if isinstance(pos, QPointF) else pos
        node = new_node(self.spec, kind, (round(x, 1), round(y, 1)))
        self.document.push(AddNodeCommand(self.document, node, connect_from))
        self.select_names([node.name])
        return node.name

    def append_layer(self, kind: str) -> str:
        """Palette double-click: add after the selected layer, fed by it (spliced into its
        chain when it feeds others, the layers below moving down a row); with nothing
        selected, add below the lowest layer. One undo step either way."""
        selected = self.selected_names()
        src = selected[0] if len(selected) == 1 else None
        if src is not None:
            anchor = self.spec.node(src).pos
        elif self.spec.nodes:
            anchor = max((n.pos for n in self.spec.nodes), key=lambda p: (p[1], -p[0]))
        else:
            return self.add_layer(kind, (0.0, 0.0))
        command = AddLayerCommand(self.document, kind,
                                  self._free_spot(anchor[0], anchor[1] + ROW), src, ROW)
        self.document.push(command)
        assert command.node is not None
        self.select_names([command.node.name])
        return command.node.name

    def _free_spot(self, x: float, y: float) -> tuple[float, float]:
        """``(x, y)`` or the nearest place to its right where no node sits."""
        for _ in range(50):
            probe = QRectF(x - NODE_W / 2 + 2, y + 2, NODE_W - 4, NODE_H - 4)
            if not any(isinstance(it, NodeItem) for it in self.items(probe)):
                return (x, y)
            x += NODE_W + 40
        return (x, y)

    def connect_ports(self, src: str, dst: str, port: str = "in") -> bool:
        """Connect ``src``'s output to ``dst``'s input ``port`` (replacing what fed that
        port). What the model rules refuse (self-loops, cycles, unknown ports, anything
        after the output) is said in the status bar instead."""
        workspace = self.document.workspace
        if workspace is None:
            return False
        why = workspace.can_connect(src, dst, port)
        if why is not None:
            if Edge(src, dst, port) not in self.spec.edges:  # a repeat needs no message
                self.message.emit(why)
            return False
        self.document.push(ConnectCommand(self.document, src, dst, port))
        return True

    def delete_selection(self) -> bool:
        names, edges = self.selected_names(), self.selected_edges()
        if names:
            self.document.push(RemoveCommand(self.document, names, edges))
        elif edges:
            self.document.push(DisconnectCommand(self.document, edges))
        else:
            return False
        return True

    def auto_layout(self) -> None:
        if not self.spec.nodes:
            return
        first = self.spec.nodes[0].pos
        positions = auto_layout(self.spec, origin=first,
                                widths={it.node.name: it.width for it in self.nodes.values()})
        if any(self.spec.node(n).pos != p for n, p in positions.items()):
            self.document.push(auto_layout_command(self.document, positions))

    # -- clipboard ------------------------------------------------------------------------------
    def copy_selection(self) -> int:
        names = set(self.selected_names())
        if not names:
            return 0
        nodes = [n.to_json() for n in self.spec.nodes if n.name in names]
        edges = [e.to_json() for e in self.spec.edges if e.src in names and e.dst in names]
        data = json.dumps({"format_version": 2, "name": "clipboard", "nodes": nodes,
                           "edges": edges}, indent=1)
        mime = QMimeData()
        mime.setData(NODES_MIME, data.encode("utf-8"))
        mime.setText(data)
        QGuiApplication.clipboard().setMimeData(mime)
        self._paste_count = 0
        return len(nodes)

    def cut_selection(self) -> int:
        n = self.copy_selection()
        if n:
            self.delete_selection()
        return n

    def paste(self) -> list[str]:
        """Paste copied layers with fresh names, shifted, keeping the edges among them."""
        mime = QGuiApplication.clipboard().mimeData()
        raw = bytes(mime.data(NODES_MIME)).decode("utf-8", "replace") if mime and \
            mime.hasFormat(NODES_MIME) else (mime.text() if mime else "")
        try:
            copied = ModelSpec.from_json(raw)
        except SpecFormatError:
            return []
        copied.nodes = [n for n in copied.nodes if n.kind in CATALOGUE]
        if not copied.nodes:
            return []
        self._paste_count += 1
        shift = PASTE_OFFSET * self._paste_count
        renames: dict[str, str] = {}
        nodes: list[Node] = []
        for n in copied.nodes:
            fresh = unique_name(self.spec, n.name, renames.values())
            renames[n.name] = fresh
            nodes.append(Node(fresh, n.kind, dict(n.params), (n.pos[0] + shift, n.pos[1] + shift)))
        edges = [Edge(renames[e.src], renames[e.dst], e.dst_port) for e in copied.edges
                 if e.src in renames and e.dst in renames]
        self.document.push(PasteCommand(self.document, nodes, edges))
        self.select_names([n.name for n in nodes])
        return [n.name for n in nodes]

    # -- connecting by dragging from a port -------------------------------------------------
    def begin_connection(self, port: PortItem) -> None:
        self.cancel_connection()
        self._drag_from = port
        self._drag_line = QGraphicsPathItem()
        self._drag_line.setPen(QPen(QColor(style.ACCENT), 2.0, Qt.PenStyle.DashLine))
        self._drag_line.setZValue(10)
        self.addItem(self._drag_line)
        self.update_connection(port.scenePos())

    def update_connection(self, pos: QPointF) -> None:
        if self._drag_from is None or self._drag_line is None:
            return
        start = self._drag_from.scenePos()
        target = self._port_at(pos)
        if self._drag_target is not None and self._drag_target is not target:
            self._drag_target.set_highlight(False)
        self._drag_target = target
        end = target.scenePos() if target is not None else pos
        if target is not None:
            target.set_highlight(True)
        if self._drag_from.is_output:
            self._drag_line.setPath(edge_path(start, end))
        else:
            self._drag_line.setPath(edge_path(end, start))

    def finish_connection(self, pos: QPointF) -> bool:
        """Drop the dragged connection at ``pos``: connects when it is over a fitting port."""
        start = self._drag_from
        target = self._port_at(pos)
        self.cancel_connection()
        if start is None or target is None:
            return False
        out, into = (start, target) if start.is_output else (target, start)
        return self.connect_ports(out.node_item.node.name, into.node_item.node.name,
                                  into.port or "in")

    def cancel_connection(self) -> None:
        if self._drag_target is not None:
            self._drag_target.set_highlight(False)
        if self._drag_line is not None:
            self.removeItem(self._drag_line)
        self._drag_from = self._drag_line = self._drag_target = None

    def _port_at(self, pos: QPointF) -> PortItem | None:
        """The port under ``pos`` that the dragged port can join (output <-> input)."""
        if self._drag_from is None:
            return None
        want_output = not self._drag_from.is_output
        best, best_d = None, 18.0
        for item in self.items(QRectF(pos.x() - 18, pos.y() - 18, 36, 36)):
            if isinstance(item, PortItem) and item.is_output == want_output \
                    and item.node_item is not self._drag_from.node_item:
                d = (item.scenePos() - pos).manhattanLength()
                if d < best_d:
                    best, best_d = item, d
        return best

    # -- moving nodes: one command per drag ----------------------------------------------------
    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        self.commit_moves()

    def commit_moves(self) -> bool:
        """Turn the drag that just ended into a move command (nothing if nothing moved)."""
        moves = {}
        for item in self.nodes.values():
            node = item.node
            new = (round(item.pos().x(), 1), round(item.pos().y(), 1))
            if new != tuple(node.pos):
                moves[node.name] = (tuple(node.pos), new)
        if not moves:
            return False
        self.document.push(MoveCommand(self.document, moves))
        return True

    # -- dropping a layer from the palette -------------------------------------------------------
    def dragEnterEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        if event.mimeData().hasFormat(LAYER_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        if event.mimeData().hasFormat(LAYER_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        kind = bytes(event.mimeData().data(LAYER_MIME)).decode("utf-8", "replace")
        if kind in CATALOGUE:
            pos = event.scenePos()
            self.add_layer(kind, (pos.x(), pos.y() - NODE_H / 2))
            event.acceptProposedAction()
        else:
            event.ignore()
