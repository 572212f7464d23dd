"""Structural checks that need no shapes: names, kinds, parameters, ports, cycles."""

from __future__ import annotations

from collections import defaultdict, deque

from workbench.core.graph.problems import Problem
from workbench.core.graph.spec import NAME_RE, ModelSpec, Node
from workbench.core.layers import CATALOGUE


def by_name(spec: ModelSpec) -> dict[str, Node]:
    """The nodes by name (the first of a duplicated name, as ``spec.node`` finds): a check of
    the whole graph looks nodes up in this instead of scanning the list each time."""
    index: dict[str, Node] = {}
    for n in spec.nodes:
        index.setdefault(n.name, n)
    return index


def label(spec: ModelSpec, name: str, index: dict[str, Node] | None = None) -> str:
    """How a node is named in messages: "Linear 'fc1'"."""
    node = (index if index is not None else by_name(spec)).get(name)
    kind = CATALOGUE.get(node.kind) if node is not None else None
    return f"{kind.title if kind else 'Layer'} '{name}'"


def check_structure(spec: ModelSpec) -> tuple[list[Problem], list[str]]:
    """Every problem that does not need shapes, and a topological order of the acyclic part."""
    problems: list[Problem] = []
    index = by_name(spec)
    seen: set[str] = set()
    for node in spec.nodes:
        if node.name in seen:
            problems.append(Problem(f"two layers are named '{node.name}'; rename one", node.name))
        seen.add(node.name)
        if not NAME_RE.match(node.name):
            problems.append(Problem(
                f"'{node.name[:40]}' is not a usable layer name: use letters, digits and "
                "underscores, starting with a letter (at most 64)", node.name))
        kind = CATALOGUE.get(node.kind)
        if kind is None:
            problems.append(Problem(f"'{node.name}' has an unknown layer kind '{node.kind[:40]}'",
                                    node.name))
            continue
        known = {p.name for p in kind.params}
        for key in node.params:
            if key not in known:
                problems.append(Problem(f"{kind.title} '{node.name}' has no parameter '{key[:40]}'"
                                        " (it will be ignored)", node.name, severity="warning"))
        for p in kind.params:
            if p.name in node.params:
                why = p.check(node.params[p.name])
                if why:
                    problems.append(Problem(f"{kind.title} '{node.name}': {p.title.lower()} "
                                            f"{why}", node.name))

    taken: dict[tuple[str, str], int] = defaultdict(int)
    for edge in spec.edges:
        if edge.src not in index or edge.dst not in index:
            missing = edge.src if edge.src not in index else edge.dst
            problems.append(Problem(f"a connection refers to a layer '{missing[:40]}' that does "
                                    "not exist", edge=edge))
            continue
        if edge.src == edge.dst:
            problems.append(Problem(f"{label(spec, edge.src, index)} is connected to itself", edge.dst,
                                    edge))
            continue
        kind = CATALOGUE.get(index[edge.dst].kind)
        if kind is None:
            continue
        if edge.dst_port not in kind.inputs:
            what = "takes no input (it is where data enters)" if kind.is_input else \
                f"has no input '{edge.dst_port[:20]}'"
            problems.append(Problem(f"{label(spec, edge.dst, index)} {what}", edge.dst, edge))
            continue
        taken[(edge.dst, edge.dst_port)] += 1
        if taken[(edge.dst, edge.dst_port)] == 2:
            problems.append(Problem(
                f"{label(spec, edge.dst, index)} receives two connections on one input; use an Add or "
                "Concatenate layer to merge them", edge.dst, edge))

    for node in spec.nodes:
        kind = CATALOGUE.get(node.kind)
        if kind is None or kind.is_input:
            continue
        connected = [p for p in kind.inputs if taken[(node.name, p)]]
        if len(connected) < kind.required_inputs:
            if kind.required_inputs == 1:
                msg = f"{label(spec, node.name, index)} has no input; connect a layer to it"
            else:
                msg = (f"{label(spec, node.name, index)} needs at least {kind.required_inputs} inputs "
                       f"but has {len(connected)}")
            problems.append(Problem(msg, node.name))

    order, cyclic = _toposort(spec)
    if cyclic:
        for loop in _loops(spec, cyclic):  # the loops themselves, not what follows them
            names = ", ".join(f"'{n}'" for n in loop[:8]) + (", ..." if len(loop) > 8 else "")
            problems.append(Problem(f"the connections form a loop through {names}; a model "
                                    "must flow one way from input to output", loop[0]))

    inputs = [n.name for n in spec.nodes if (k := CATALOGUE.get(n.kind)) and k.is_input]
    outputs = [n.name for n in spec.nodes if (k := CATALOGUE.get(n.kind)) and k.is_output]
    if not inputs:
        problems.append(Problem("the model has no input layer; add one from the Inputs group"))
    elif len(inputs) > 1:
        problems.append(Problem(f"the model has {len(inputs)} input layers ({', '.join(inputs)});"
                                " only one is supported", inputs[1]))
    if not outputs:
        problems.append(Problem("the model has no output layer; add a classification or "
                                "regression head from the Output group"))
    elif len(outputs) > 1:
        problems.append(Problem(f"the model has {len(outputs)} output heads "
                                f"({', '.join(outputs)}); keep one", outputs[1]))
    for name in outputs:
        for e in spec.outputs_of(name):
            problems.append(Problem(f"{label(spec, name, index)} is the output; nothing may follow it",
                                    e.dst, e))
    if len(outputs) == 1 and not cyclic:
        needed = ancestors(spec, outputs[0])
        for node in spec.nodes:
            if node.name not in needed:
                problems.append(Problem(f"{label(spec, node.name, index)} does not lead to the output "
                                        "and will be ignored", node.name, severity="warning"))
    return problems, order


def _loops(spec: ModelSpec, cyclic: set[str]) -> list[list[str]]:
    """The strongly connected components of more than one layer among ``cyclic`` (the nodes
    a topological sort could not place: loops and everything downstream of them), in spec
    order; iterative Tarjan, so a long loop does not hit the recursion limit."""
    succ: dict[str, list[str]] = defaultdict(list)
    for e in spec.edges:
        if e.src in cyclic and e.dst in cyclic and e.src != e.dst:
            succ[e.src].append(e.dst)
    position = {n.name: i for i, n in enumerate(spec.nodes)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(cyclic, key=lambda n: position.get(n, 0)):
        if root in index:
            continue
        work = [(root, iter(succ[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(succ[nxt])))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    n = stack.pop()
                    on_stack.discard(n)
                    component.append(n)
                    if n == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component, key=lambda n: position.get(n, 0)))
    return sorted(found, key=lambda c: position.get(c[0], 0))


def _toposort(spec: ModelSpec) -> tuple[list[str], set[str]]:
    names = [n.name for n in spec.nodes]
    valid = set(names)
    indeg = {n: 0 for n in names}
    succ: dict[str, list[str]] = defaultdict(list)
    for e in spec.edges:
        if e.src in valid and e.dst in valid and e.src != e.dst:
            indeg[e.dst] += 1
            succ[e.src].append(e.dst)
    ready = deque(n for n in names if indeg[n] == 0)
    order = []
    while ready:
        n = ready.popleft()
        order.append(n)
        for d in succ[n]:
            indeg[d] -= 1
            if indeg[d] == 0:
                ready.append(d)
    return order, {n for n in names if indeg[n] > 0}


def ancestors(spec: ModelSpec, name: str) -> set[str]:
    """``name`` and every node it depends on."""
    preds: dict[str, list[str]] = defaultdict(list)
    for e in spec.edges:
        preds[e.dst].append(e.src)
    out, stack = set(), [name]
    while stack:
        n = stack.pop()
        if n not in out:
            out.add(n)
            stack.extend(preds[n])
    return out
