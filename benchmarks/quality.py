"""Time-to-accuracy of the templates on real MNIST images, through the same path the CLI and
the GUI take (``create_run`` + ``Trainer.fit``).

    uv run python benchmarks/quality.py [--models lenet5,cnn_mnist] [--epochs 10] [--device cpu]

Data: a seeded 8,000 / 2,000 train / validation split of ``../shared/datasets/mnist-test``
(the official MNIST test set). No images remain for a separate test split, so the 2,000
held-out validation images double as the test set: "accuracy" is measured on them. Each
template trains with the configuration in CONFIGS (at most 10 epochs). Prints accuracy,
target and seconds per template. Not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import torch

ROOT = Path(__file__).resolve().parents[1]
SHARED_MNIST = ROOT.parent / "shared" / "datasets" / "mnist-test"

# template -> (target test accuracy, TrainingConfig values). Chosen for 8,000 images.
CONFIGS: dict[str, tuple[float, dict[str, Any]]] = {
    "lenet5": (0.975, dict(optimizer="adam", lr=3e-3, batch_size=64, epochs=10,
                           schedule="onecycle")),
    "cnn_mnist": (0.975, dict(optimizer="adam", lr=3e-3, batch_size=64, epochs=8,
                              schedule="onecycle")),
    "mlp": (0.95, dict(optimizer="adam", lr=1e-3, batch_size=64, epochs=10,
                       schedule="onecycle")),
    "lstm_rows": (0.95, dict(optimizer="adam", lr=3e-3, batch_size=64, epochs=10,
                             schedule="onecycle", grad_clip=1.0)),
    "vit_tiny": (0.93, dict(optimizer="adamw", lr=2e-3, weight_decay=0.05, batch_size=64,
                            epochs=10, schedule="onecycle", augment=True)),
}


def run_one(name: str, data: Any, source: str, values: dict[str, Any], tmp: Path) -> dict:
    from workbench.core.engine.config import TrainingConfig
    from workbench.core.runs import RunStore, create_run, open_run
    from workbench.core.templates import load_template

    config = TrainingConfig.from_dict(values)
    with RunStore(tmp / "runs.sqlite") as store:
        t0 = time.perf_counter()
        trainer, run_dir = create_run(load_template(name), source, config, data=data,
                                      runs_dir=tmp / "runs", store=store, name=name)
        ended = trainer.fit()
        seconds = time.perf_counter() - t0
        record = open_run(run_dir, store).record
    return {"accuracy": record.test_accuracy, "seconds": seconds, "epochs": ended.epochs_done,
            "status": ended.status, "reason": ended.reason}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--models", default=",".join(CONFIGS), help="comma-separated template names")
    p.add_argument("--epochs", type=int, help="override every template's epochs (max 10 counts)")
    p.add_argument("--device", default="auto")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=torch.get_num_threads())
    args = p.parse_args(argv)
    if not SHARED_MNIST.is_dir():
        print(f"quality.py needs the MNIST test set at {SHARED_MNIST} (see "
              "../shared/datasets/README.md); it is absent, so there is nothing to measure.")
        return 2
    unknown = [m for m in args.models.split(",") if m not in CONFIGS]
    if unknown:
        print(f"no configuration for {', '.join(unknown)}; choose from {', '.join(CONFIGS)}")
        return 2
    torch.set_num_threads(args.threads)

    from workbench.core.data import load_source

    source = f"idx:{SHARED_MNIST}"
    data = load_source(source, seed=args.seed, train_size=8000, val_size=2000)
    print(f"MNIST (t10k) split {len(data.train)} train / {len(data.val)} validation = test, "
          f"seed {args.seed}, {args.threads} threads, device {args.device}")
    print(f"{'model':<10} {'epochs':>6} {'accuracy':>9} {'target':>7} {'seconds':>8}  config")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.models.split(","):
            target, values = CONFIGS[name]
            values = {**values, "seed": args.seed, "device": args.device}
            if args.epochs:
                values["epochs"] = args.epochs
            r = run_one(name, data, source, values, Path(tmp))
            acc = r["accuracy"]
            ok = acc is not None and acc >= target
            failures += not ok
            shown = {k: v for k, v in values.items() if k not in ("seed", "device")}
            print(f"{name:<10} {r['epochs']:>6} {100 * (acc or 0):>8.2f}% {100 * target:>6.1f}% "
                  f"{r['seconds']:>8.1f}  {'' if ok else 'BELOW TARGET  '}{shown}"
                  + (f"  [{r['status']}: {r['reason']}]" if r["status"] != "finished" else ""),
                  flush=True)
    print("all targets met" if not failures else f"{failures} model(s) below target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
