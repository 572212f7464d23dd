"""Auto-layout: layers top to bottom by depth, branches side by side (Qt-free: the canvas
and the importers both use it).

A small Sugiyama-style layout: each node's row is its longest distance from an input; an
edge that skips rows gets placeholder slots in the rows it crosses (so a residual shortcut
gets its own lane instead of running through the main chain); within a row each node wants
the x of the node feeding its first input port (so chains stay straight) and overlaps are
pushed to the right.
"""

from __future__ import annotations

from collections import defaultdict

from workbench.core.graph import ModelSpec
from workbench.core.layers import CATALOGUE

ROW = 110.0  # vertical distance between rows (node height + room for the edges)
NODE_W = 200.0
LANE_W = 36.0  # the width a long edge takes up in a row it crosses
GAP = 40.0


def _port_rank(spec: ModelSpec, dst: str, port: str) -> int:
    kind = CATALOGUE.get(spec.node(dst).kind) if spec.has_node(dst) else None
    return kind.inputs.index(port) if kind and port in kind.inputs else 99


def depths(spec: ModelSpec) -> dict[str, int]:
    """Longest-path depth from the sources; nodes on a cycle are put after the rest."""
    names = list(dict.fromkeys(n.name for n in spec.nodes))
    preds: dict[str, list[str]] = defaultdict(list)
    succs: dict[str, list[str]] = defaultdict(list)
    for e in spec.edges:
        if e.src in names and e.dst in names and e.src != e.dst:
            preds[e.dst].append(e.src)
            succs[e.src].append(e.dst)
    indeg = {n: len(preds[n]) for n in names}
    depth = {n: 0 for n in names}
    ready = [n for n in names if indeg[n] == 0]
    seen: set[str] = set()
    while ready:
        n = ready.pop(0)
        seen.add(n)
        for s in succs[n]:
            depth[s] = max(depth[s], depth[n] + 1)
            indeg[s] -= 1
            if indeg[s] == 0:
                ready.append(s)
    last = max((depth[n] for n in seen), default=-1)
    for n in names:  # cycles: stack the rest below, in file order
        if n not in seen:
            last += 1
            depth[n] = last
    return depth


def auto_layout(spec: ModelSpec, origin: tuple[float, float] = (0.0, 0.0),
                widths: dict[str, float] | None = None) -> dict[str, tuple[float, float]]:
    """New positions (node centre-top) for every node of ``spec``; ``widths``: of the
    nodes drawn wider than NODE_W (their texts need it)."""
    depth = depths(spec)
    if not depth:
        return {}
    order = {n.name: i for i, n in enumerate(spec.nodes)}
    # slots: real nodes, plus one lane per long edge per row it crosses
    rows: dict[int, list[str]] = defaultdict(list)
    for n in spec.nodes:
        if n.name in depth and n.name not in rows[depth[n.name]]:
            rows[depth[n.name]].append(n.name)
    primary: dict[str, tuple[int, str]] = {}  # slot -> (port rank, slot feeding it)
    widths = {n: max(NODE_W, (widths or {}).get(n, NODE_W)) for n in depth}
    edges = sorted((e for e in spec.edges if e.src in depth and e.dst in depth),
                   key=lambda e: (order[e.dst], _port_rank(spec, e.dst, e.dst_port)))
    for e in edges:
        prev = e.src
        for row in range(depth[e.src] + 1, depth[e.dst]):
            lane = f"\0{e.src}\0{e.dst}\0{e.dst_port}\0{row}"
            rows[row].append(lane)
            widths[lane] = LANE_W
            primary[lane] = (0, prev)
            prev = lane
        rank = _port_rank(spec, e.dst, e.dst_port)
        if depth[e.dst] > depth[e.src] and (e.dst not in primary or rank < primary[e.dst][0]):
            primary[e.dst] = (rank, prev)

    x: dict[str, float] = {}
    for row in sorted(rows):
        slots = rows[row]
        want = {s: x.get(primary[s][1], origin[0]) if s in primary else origin[0] for s in slots}
        # real nodes before lanes at the same x, then file order: the main chain keeps its line
        slots.sort(key=lambda s: (want[s], s.startswith("\0"), order.get(s, 0)))
        right = -float("inf")
        prev_w = 0.0
        for s in slots:
            pos = want[s]
            if right > -float("inf"):
                pos = max(pos, right + (prev_w + widths[s]) / 2 + GAP)
            x[s] = pos
            right, prev_w = pos, widths[s]
    return {n: (round(x[n], 1), round(origin[1] + depth[n] * ROW, 1)) for n in depth}
