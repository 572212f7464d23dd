"""Training-memory estimate against what a real training step holds, on the CPU.

For each template: the old activation estimate (one output per node), the new one (what
autograd saves, measured per node on the meta device and joined over the graph), and two
measurements of the real model on the CPU with real tensors:
- saved: the unique storages autograd saves during the forward (saved_tensors_hooks);
- held: what the CPU allocator still holds after the forward (torch.profiler's memory
  events, allocations minus frees), minus the output: an independent count of the memory
  kept for backward (plus the input batch when it is saved). The backward then runs.

Run: uv run python benchmarks/memory.py [--batch 8] [template ...] 2>/dev/null
(the profiler logs to stderr)
"""

from __future__ import annotations

import argparse
import math
import time

import torch
from torch.profiler import ProfilerActivity, profile

from workbench.core.graph import analyze, build_model, model_io
from workbench.core.graph.memory import recording, saved_bytes
from workbench.core.layers import CATALOGUE
from workbench.core.templates import list_templates, load_template


def old_estimate(spec, batch: int) -> int:
    """The former figure: every node's output for the batch, in fp32."""
    a = analyze(spec, batch)
    return sum(batch * math.prod(i.out_shape) * 4 for n in a.order
               if (i := a.nodes.get(n)) and i.out_shape is not None
               and not CATALOGUE[i.kind].is_input)


def measured(spec, batch: int) -> tuple[int, int, float]:
    """(saved bytes, held bytes, seconds) of one real forward + backward on the CPU."""
    analysis = analyze(spec, batch)
    torch.manual_seed(0)
    model = build_model(spec, analysis).train()
    io = model_io(spec, analysis)
    if io.input_dtype == torch.long:
        x = torch.randint(1, io.vocab_size or 2, (batch, *io.input_shape))
    else:
        x = torch.randn((batch, *io.input_shape))
    t0 = time.perf_counter()
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof, \
            recording() as rec:
        y = model(x)
    held = sum(e.self_cpu_memory_usage for e in prof.events()) - y.untyped_storage().nbytes()
    if x.untyped_storage()._cdata in rec.saved:  # the batch was allocated before the profiler
        held += x.untyped_storage().nbytes()
    y.float().sum().backward()
    return saved_bytes(rec, model), held, time.perf_counter() - t0


def mb(n: float) -> str:
    return f"{n / 2**20:10.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("templates", nargs="*")
    args = parser.parse_args()
    names = args.templates or [t.name for t in list_templates()]
    b = args.batch
    print(f"activations kept for backward, MB at batch {b} (fp32, CPU)")
    print(f"{'template':24s} {'old est.':>10s} {'new est.':>10s} {'saved':>10s} {'held':>10s}"
          f"  new/held  step s")
    for name in names:
        spec = load_template(name)
        new = analyze(spec, b).memory.activations
        saved, held, seconds = measured(spec, b)
        ratio = new / held if held > 0 else float("nan")
        print(f"{name:24s} {mb(old_estimate(spec, b))} {mb(new)} {mb(saved)} {mb(held)}"
              f"  {ratio:8.3f}  {seconds:6.1f}")


if __name__ == "__main__":
    main()
