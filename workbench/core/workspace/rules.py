"""The model rules a person meets while editing: which connections are allowed, what a new
layer is called, which names are usable. Plain functions of a spec (the Workspace offers
them as methods); the graph's own checks in ``graph.structure`` are the authority, so the
editor refuses exactly what validation would call an error."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from workbench.core.graph import Edge, ModelSpec, Node
from workbench.core.graph.spec import NAME_RE
from workbench.core.graph.structure import ancestors, label
from workbench.core.layers import CATALOGUE, get_kind


def name_base(kind: str) -> str:
    """The stem of a new layer's name, from the catalogue: ``conv`` for Conv2d (then conv_1,
    conv_2...)."""
    return get_kind(kind).name_base


def unique_name(spec: ModelSpec, base: str, taken: Iterable[str] = ()) -> str:
    """A node name not used in ``spec`` nor in ``taken`` (names handed out but not added)."""
    extra = set(taken)
    if not extra:
        return spec.unique_name(base)
    probe = ModelSpec(list(spec.nodes) + [Node(n, "") for n in extra])
    return probe.unique_name(base)


def new_node(spec: ModelSpec, kind: str, pos: tuple[float, float], name: str | None = None,
             params: dict[str, Any] | None = None, taken: Iterable[str] = ()) -> Node:
    """A node of ``kind`` with its defaults and a fresh name (not yet in the spec)."""
    layer = get_kind(kind)
    if name is None:
        name = unique_name(spec, name_base(kind), taken)
    return Node(name, kind, layer.defaults() | dict(params or {}),
                (float(pos[0]), float(pos[1])))


def connect_problem(spec: ModelSpec, src: str, dst: str, port: str = "in") -> str | None:
    """Why ``src`` -> ``dst.port`` may not be connected, or None. Ports, self-loops, cycles
    (through the graph's ``ancestors``) and anything after the output are refused; a port
    that already has a connection may be given another (it replaces the old one)."""
    for name in (src, dst):
        if not spec.has_node(name):
            return f"there is no layer '{name}'"
    if src == dst:
        return "A layer cannot feed itself"
    src_kind, dst_kind = CATALOGUE.get(spec.node(src).kind), CATALOGUE.get(spec.node(dst).kind)
    if dst_kind is not None and port not in dst_kind.inputs:
        what = "takes no input (it is where data enters)" if dst_kind.is_input else \
            f"has no input '{port}'"
        return f"{label(spec, dst)} {what}"
    if src_kind is not None and src_kind.is_output:
        return f"{label(spec, src)} is the output; nothing may follow it"
    if Edge(src, dst, port) in spec.edges:
        return f"{src} already feeds {dst}"
    if dst in ancestors(spec, src):
        return f"Connecting {src} → {dst} would make a loop"
    return None


def name_problem(spec: ModelSpec, old: str, new: str) -> str | None:
    """Why layer ``old`` may not be renamed ``new``, or None."""
    if new == old:
        return None
    if not NAME_RE.match(new):
        return ("A name uses letters, digits and underscores, starts with a letter or "
                "underscore, and has at most 64 characters")
    if spec.has_node(new):
        return f"Another layer is already named '{new}'"
    return None


def downstream(spec: ModelSpec, name: str) -> set[str]:
    """Every node fed, directly or not, by ``name`` (not ``name`` itself)."""
    succ: dict[str, list[str]] = {}
    for e in spec.edges:
        succ.setdefault(e.src, []).append(e.dst)
    out: set[str] = set()
    stack = list(succ.get(name, []))
    while stack:
        n = stack.pop()
        if n not in out and n != name:
            out.add(n)
            stack.extend(succ.get(n, []))
    return out


def splices(spec: ModelSpec, after: str, kind: str) -> bool:
    """Would a new ``kind`` go between ``after`` and what it feeds (rather than beside)? Yes
    for a layer with an input that is not an output head, after a layer that feeds others."""
    layer = get_kind(kind)
    return bool(layer.inputs) and not layer.is_output and bool(spec.outputs_of(after))


def node_text(node: Node) -> str:
    """How edits name a node: "Linear 'fc1'"."""
    kind = CATALOGUE.get(node.kind)
    return f"{kind.title if kind else node.kind} '{node.name}'"
