"""Compression of the 28x28 CNN and the MLP trained on real MNIST digits: the table per
method against the issue's targets, through the same path as ``workbench compress``.

    uv run python benchmarks/compress.py [--models cnn_mnist,mlp] [--epochs 6]
        [--student-epochs 12] [--out F.json]

Data: ``../shared/datasets/mnist-test`` (the official MNIST test set) split 7,000 / 1,000 /
2,000 train / validation / test with a fixed seed; accuracy is on the 2,000 test images.
Latency: milliseconds per sample (batch 1) on the CPU, median, one thread. Targets:
int8 at least 3.5x smaller and at most 0.5 pt less accurate; 50 % structured pruning plus
fine-tune within 1 pt and faster; a student with a tenth of the teacher's parameters
within 1.5 pt and better than the same student trained alone. Not a test: the figures
depend on the machine (and its load).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED_MNIST = ROOT.parent / "shared" / "datasets" / "mnist-test"
CONFIG = dict(optimizer="adam", lr=2e-3, batch_size=64, schedule="onecycle", device="cpu")


def student_width(spec: Any, share: float = 0.1) -> float:
    """The width at which the generated student has ``share`` of the teacher's params."""
    from workbench.core.compress.distill import narrower
    from workbench.core.graph import analyze

    target = share * analyze(spec).total_params
    lo, hi = 0.01, 1.0
    for _ in range(20):
        mid = (lo + hi) / 2
        if analyze(narrower(spec, mid)).total_params > target:
            hi = mid
        else:
            lo = mid
    return lo


def verdicts(method: str, rows: list[dict[str, Any]]) -> list[str]:
    out = []
    for r in rows[1:]:
        lost = 100 * (r["original_accuracy"] - r["accuracy"])
        if r["method"].startswith("int8"):
            ok = r["size_ratio"] >= 3.5 and lost <= 0.5
            static = any(x["details"].get("mode") == "static" for x in rows)
            note = (" (dynamic int8 leaves convolutions in float: the static ONNX row is "
                    "this model's int8)" if static and r["method"] == "int8-torch" else "")
            out.append(f"{r['method']}: {r['size_ratio']:.2f}x smaller, {lost:+.2f} pt lost "
                       f"(target >= 3.5x, <= 0.5 pt): {'MET' if ok else 'NOT MET'}{note}")
        elif r["method"] == "prune-structured":
            ok = lost <= 1.0 and (r["speedup"] or 0) > 1.0
            out.append(f"{r['method']}: {lost:+.2f} pt lost, {r['speedup']:.2f}x faster in "
                       f"PyTorch (target <= 1 pt, faster): {'MET' if ok else 'NOT MET'}")
        elif r["method"] == "distill":
            alone = next((x for x in rows if x["method"] == "student-alone"), None)
            share = r["params"] / r["original_params"]
            ok = lost <= 1.5 and alone is not None and r["accuracy"] > alone["accuracy"]
            vs = f"alone {100 * alone['accuracy']:.2f} %" if alone else "no baseline"
            out.append(f"distill: student at {share:.3f} of the params, {lost:+.2f} pt lost, "
                       f"{100 * r['accuracy']:.2f} % vs {vs} (target <= 1.5 pt, better than "
                       f"alone): {'MET' if ok else 'NOT MET'}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", default="cnn_mnist,mlp")
    ap.add_argument("--methods", default="int8,prune,distill")
    ap.add_argument("--epochs", type=int, default=6, help="teacher and student epochs")
    ap.add_argument("--finetune-epochs", type=int, default=2)
    ap.add_argument("--student-epochs", type=int, default=12,
                    help="epochs for the student, distilled and alone (default 12)")
    ap.add_argument("--out", type=Path, help="also write the tables as JSON here")
    args = ap.parse_args()
    if not SHARED_MNIST.is_dir():
        print(f"skipped: {SHARED_MNIST} is not here (see ../shared/datasets/README.md)")
        return 0
    os.environ.setdefault("WORKBENCH_HOME", tempfile.mkdtemp(prefix="wb-bench-compress-"))
    import torch

    from workbench.core.compress import CompressOptions, compress_run, format_table
    from workbench.core.data import load_source
    from workbench.core.engine import TrainingConfig
    from workbench.core.runs import RunStore, create_run
    from workbench.core.templates import load_spec_or_template

    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), "
          f"{os.cpu_count()} cores (shared: figures under load)", flush=True)
    source = f"idx:{SHARED_MNIST}"
    options = {"val_fraction": 0.1, "test_fraction": 0.2}
    data = load_source(source, seed=0, **options)
    print(f"data: {len(data.train)} train / {len(data.val)} val / {len(data.test)} test")
    results: dict[str, Any] = {}
    store = RunStore()
    for name in args.models.split(","):
        spec = load_spec_or_template(name)
        config = TrainingConfig(epochs=args.epochs, **CONFIG)
        t0 = time.monotonic()
        trainer, run_dir = create_run(spec, source, config, data=data, store=store,
                                      data_options=options)
        trainer.fit()
        print(f"\n== {name}: trained {args.epochs} epochs in {time.monotonic() - t0:.0f} s",
              flush=True)
        width = student_width(spec)
        plans = {"int8": CompressOptions("int8", half="fp16"),
                 "prune": CompressOptions("prune", amount=0.5, structured=True,
                                          finetune_epochs=args.finetune_epochs),
                 "distill": CompressOptions("distill", width=width,
                                            epochs=args.student_epochs, baseline=True)}
        for method in args.methods.split(","):
            t0 = time.monotonic()
            report = compress_run(run_dir, plans[method], store=store, data=data).to_dict()
            print(f"\n-- {name} {method} ({time.monotonic() - t0:.0f} s)")
            print(format_table(report))
            for line in verdicts(method, report["rows"]):
                print("   " + line)
            results[f"{name}/{method}"] = report
            sys.stdout.flush()
    if args.out:
        args.out.write_text(json.dumps(results, indent=1))
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
