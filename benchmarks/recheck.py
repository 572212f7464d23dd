"""Re-checking a 100-node graph after one edit (target: under 50 ms on a 2-core CPU).

Builds a 100-node CNN/MLP chain, analyses it once (warm cache), then times `analyze` after
single-parameter edits at the start, middle and end of the graph, and a cold first check.
Run: uv run python benchmarks/recheck.py
"""

from __future__ import annotations

import statistics
import time

from workbench.core.graph import ModelSpec, analyze


def hundred_node_spec() -> ModelSpec:
    s = ModelSpec(name="bench100")
    s.add_node("ImageInput", "input", {"channels": 3, "height": 32, "width": 32})
    prev = "input"
    for i in range(24):  # 24 x (conv, bn, relu) = 72 nodes
        for kind, params in (("Conv2d", {"out_channels": 16, "padding": 1}),
                             ("BatchNorm2d", {}), ("ReLU", {})):
            name = f"{kind.lower()}_{i}"
            s.add_node(kind, name, params)
            s.connect(prev, name)
            prev = name
    s.add_node("Flatten", "flatten")
    s.connect(prev, "flatten")
    prev = "flatten"
    for i in range(12):  # 12 x (linear, relu) = 24 nodes
        for kind, params in (("Linear", {"out_features": 64}), ("ReLU", {})):
            name = f"{kind.lower()}_fc{i}"
            s.add_node(kind, name, params)
            s.connect(prev, name)
            prev = name
    s.add_node("Dropout", "drop")
    s.connect(prev, "drop")
    s.add_node("ClassificationHead", "head")
    s.connect("drop", "head")
    return s


def timed(spec: ModelSpec, batch: int = 64) -> float:
    t = time.perf_counter()
    a = analyze(spec, batch=batch)
    dt = (time.perf_counter() - t) * 1000
    assert a.ok, a.problems[:3]
    return dt


def main() -> None:
    spec = hundred_node_spec()
    print(f"nodes: {len(spec.nodes)}, edges: {len(spec.edges)}")
    cold = timed(spec)
    print(f"first (cold) check:                 {cold:7.1f} ms")
    for where, node, param, values in [
        ("edit at the end (head classes)", "head", "classes", range(2, 22)),
        ("edit in the middle (fc6 width)", "linear_fc6", "out_features", range(32, 52)),
        ("edit at the start (conv_0 width)", "conv2d_0", "out_channels", range(8, 28)),
    ]:
        times = []
        for v in values:
            spec.node(node).params[param] = v
            times.append(timed(spec))
        print(f"{where:35s} median {statistics.median(times):6.1f} ms, "
              f"max {max(times):6.1f} ms (target < 50 ms)")
    spec.node("input").params["height"] = 30  # every downstream shape changes
    print(f"input size edit (all shapes change): {timed(spec):6.1f} ms")


if __name__ == "__main__":
    main()
