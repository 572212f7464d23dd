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


def wrapped_layout(spec: ModelSpec, max_rows: int = 18, gap: float = 160.0
                   ) -> dict[str, tuple[float, float]]:
    """``auto_layout`` for long models (an imported ResNet has 50 rows): the rows are cut
    into side-by-side columns of at most ``max_rows``, only at a row where the whole model
    passes through one layer (between blocks, never through a residual branch), preferring
    the rows where the layers' name prefix changes (``layer1_...`` -> ``layer2_...``)."""
    pos = auto_layout(spec)
    depth = depths(spec)
    last = max(depth.values(), default=0)
    if last + 1 <= max_rows * 1.25:
        return pos
    at: dict[int, list[str]] = defaultdict(list)
    for n, d in depth.items():
        at[d].append(n)
    spans = [(depth[e.src], depth[e.dst]) for e in spec.edges
             if e.src in depth and e.dst in depth]

    def cut_ok(r: int) -> bool:  # one layer in the row, no edge passes it by
        return len(at[r]) == 1 and not any(a < r < b for a, b in spans)

    def prefix(r: int) -> str:
        return at[r][0].split("_")[0] if len(at[r]) == 1 else ""

    cuts: list[int] = []  # a column ends with the row named
    start = 0
    while last - start + 1 > max_rows:
        window = [r for r in range(start + max_rows // 2, start + max_rows) if cut_ok(r)]
        if not window:
            break
        nice = [r for r in window if r + 1 <= last and prefix(r) != prefix(r + 1)]
        r = max(nice or window)
        cuts.append(r)
        start = r + 1
    if not cuts:
        return pos
    bounds = [0, *(c + 1 for c in cuts), last + 1]
    out: dict[str, tuple[float, float]] = {}
    x0 = 0.0
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        names = [n for n, d in depth.items() if lo <= d < hi]
        left = min(pos[n][0] for n in names)
        right = max(pos[n][0] for n in names)
        for n in names:
            out[n] = (round(x0 + pos[n][0] - left, 1), round((depth[n] - lo) * ROW, 1))
        x0 += right - left + NODE_W + gap
    return out
