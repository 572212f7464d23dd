"""Seconds per explanation method for LeNet-5 on one 28 x 28 image, through
``workbench.core.explain.explain`` (what ``workbench explain`` and the Explain window run).

    uv run python benchmarks/explain.py [--run RUN] [--repeats 5] [--threads 2]

With ``--run`` the run's trained LeNet-5 (or any image run) is explained; without it a
LeNet-5 built from the template with its initial weights (the time hardly depends on the
weights). The image is the first test digit of the built-in digits28 set. Each method runs
once to warm up, then ``--repeats`` times; the median and the fastest are printed, with the
number of model calls each method makes. Not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.core.data import load_source  # noqa: E402
from workbench.core.data.meta import DataMeta  # noqa: E402
from workbench.core.explain import METHODS, Subject, explain  # noqa: E402
from workbench.core.graph import build_model  # noqa: E402
from workbench.core.templates import load_template  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", help="a trained run (default: LeNet-5 with initial weights)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    data = load_source("digits28", seed=0)
    if args.run:
        subject = Subject.open(args.run)
    else:
        spec = load_template("lenet5")
        torch.manual_seed(0)
        subject = Subject(build_model(spec), DataMeta.from_dataset(data, "digits28"), spec)
    prepared = subject.prepare(data.test.x[0])
    print(f"{subject.title}: one {' x '.join(map(str, prepared.x.shape[1:]))} image, "
          f"{args.threads} threads, {args.repeats} repeats after a warm-up")
    print(f"{'method':<22}{'median s':>10}{'best s':>10}{'model calls':>13}")
    for method in METHODS:
        calls = [0]

        def count(_f: float, _t: str, calls=calls) -> None:
            calls[0] += 1

        explain(subject, prepared, method)  # warm-up (lazy imports, first kernels)
        times = []
        for _ in range(args.repeats):
            calls[0] = 0
            t0 = time.perf_counter()
            explain(subject, prepared, method, progress=count)
            times.append(time.perf_counter() - t0)
        # progress is reported at the start, once per model call and at the end
        print(f"{method:<22}{statistics.median(times):>10.3f}{min(times):>10.3f}"
              f"{max(1, calls[0] - 2):>13}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
