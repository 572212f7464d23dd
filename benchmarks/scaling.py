"""Data-parallel scaling: training samples/s of the engine on 1 and N processes (gloo on the
CPU, or one GPU each with nccl), through what ``workbench train --nproc N`` runs
(``create_run`` + ``DistributedRun``), and the efficiency.

    uv run python benchmarks/scaling.py [--model lenet5] [--data digits28] [--epochs 3]
                                        [--nproc 1,2] [--device cpu|cuda] [--batch 128]
                                        [--rounds 2]

Each setting runs ``--rounds`` times, interleaved, and the best round counts. Samples/s is
the median of the engine's own training figure (StepMetrics: samples of the
global batch per second of training, validation and start-up left out) over the last
epoch; the wall time includes starting the processes. On the CPU, 1 process is measured
twice: with all cores' threads (what a plain run uses) and with cores/N threads (one
process's share under N), so the efficiency says what splitting the batch costs beyond
sharing the cores: efficiency = samples/s(N) / (N x samples/s(1 process, cores/N threads)).
Not a test: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.core.distributed import DistributedRun  # noqa: E402
from workbench.core.engine import Callback, StepMetrics, TrainingConfig  # noqa: E402
from workbench.core.runs import RunStore, create_run  # noqa: E402
from workbench.core.templates import load_spec_or_template  # noqa: E402


class _Rates(Callback):
    def __init__(self) -> None:
        self.rates: list[tuple[int, float]] = []

    def on_step(self, event: StepMetrics) -> None:
        self.rates.append((event.epoch, event.samples_per_sec))


def measure(args: argparse.Namespace, nproc: int, threads: int, home: Path) -> dict:
    config = TrainingConfig(epochs=args.epochs, batch_size=args.batch, device=args.device,
                            nproc=nproc, schedule="none")
    rates = _Rates()
    with RunStore(home / "runs.sqlite") as store:
        t0 = time.perf_counter()
        trainer, run_dir = create_run(load_spec_or_template(args.model), args.data, config,
                                      store=store, runs_dir=home / "runs",
                                      callbacks=[rates] if nproc == 1 else [])
        if nproc == 1:
            torch.set_num_threads(threads)
            ended = trainer.fit()
        else:
            del trainer
            ended = DistributedRun(run_dir, nproc, callbacks=[rates], store_path=store.path,
                                   threads=threads).fit()
        wall = time.perf_counter() - t0
    if ended.status != "finished":
        raise SystemExit(f"{nproc} process(es): the run {ended.status}: {ended.reason}")
    last = max(e for e, _ in rates.rates)
    sps = statistics.median(r for e, r in rates.rates if e == last)
    return {"nproc": nproc, "threads": threads, "sps": sps, "wall": wall}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="lenet5")
    ap.add_argument("--data", default="digits28")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--nproc", default="1,2", help="comma-separated process counts")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--rounds", type=int, default=2, help="interleaved rounds (best of)")
    args = ap.parse_args()
    counts = [int(n) for n in args.nproc.split(",")]
    cores = os.cpu_count() or 1
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{args.model} on {args.data}, global batch {args.batch}, {args.epochs} epochs, "
          f"device {args.device}, {cores} cores, load average {load:.1f}")
    home = Path(tempfile.mkdtemp(prefix="wb-scaling-"))
    plan = []  # (processes, threads each)
    if args.device == "cpu":
        plan = [(n, max(1, cores // n)) for n in sorted({1, *counts})]
        plan += [(1, max(1, cores // n)) for n in counts if n > 1 and cores // n != cores]
    else:
        plan = [(n, 1) for n in counts]
    best: dict[tuple[int, int], dict] = {}
    for _ in range(args.rounds):  # interleaved rounds, the best of each: load comes and goes
        for n, threads in plan:
            r = measure(args, n, threads, home)
            if (n, threads) not in best or r["sps"] > best[(n, threads)]["sps"]:
                best[(n, threads)] = r
    results = [best[k] for k in plan]
    print(f"{'processes':>9}  {'threads each':>12}  {'samples/s':>10}  {'wall s':>7}")
    for r in results:
        print(f"{r['nproc']:>9}  {r['threads']:>12}  {r['sps']:>10.0f}  {r['wall']:>7.1f}")
    for n in counts:
        if n == 1:
            continue
        many = next(r for r in results if r["nproc"] == n)
        share = max(1, cores // n) if args.device == "cpu" else 1
        one = next(r for r in results if r["nproc"] == 1 and r["threads"] == share)
        full = next(r for r in results if r["nproc"] == 1 and r["threads"] ==
                    (cores if args.device == "cpu" else 1))
        print(f"{n} processes: {many['sps'] / full['sps']:.2f}x one process with all cores; "
              f"efficiency {many['sps'] / (n * one['sps']):.0%} (vs {n} x one process with "
              f"{share} thread(s))")
    return 0


if __name__ == "__main__":
    sys.exit(main())
