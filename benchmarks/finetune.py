"""Pre-train, then fine-tune: does starting from trained weights pay at small data?

    uv run python benchmarks/finetune.py [--model lenet5] [--pretrain-epochs 4] [--epochs 10]
                                         [--images 200] [--seeds 0,1,2] [--device cpu]

1. Pre-train the template on a seeded 8,000 / 2,000 split of ``../shared/datasets/mnist-test``
   (real MNIST digits), through ``create_run`` + ``Trainer.fit`` as the CLI and the app do.
2. Fine-tune on a small different task: ``--images`` training images of the built-in
   ``digits28`` (scikit-learn's 8x8 digits scaled up to 28x28: other writers, blurrier
   strokes), tested on its own test split. Three ways with the same budget (epochs, batch,
   optimizer, schedule): from the pre-trained weights with the convolutional body frozen
   (``--freeze-until flatten``), from them with nothing frozen, and from scratch.
Prints test accuracy (mean and each seed) and seconds per way. Not a test: the figures depend
on the machine (and on its load).
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import torch

ROOT = Path(__file__).resolve().parents[1]
SHARED_MNIST = ROOT.parent / "shared" / "datasets" / "mnist-test"
WAYS = ("frozen body", "unfrozen", "from scratch")


def train(spec: Any, data: Any, source: str, values: dict[str, Any], tmp: Path, *,
          initial: Any = None, frozen: list[str] | None = None) -> tuple[float, float, Path]:
    """(test accuracy, seconds, run folder) of one run."""
    from workbench.core.engine.config import TrainingConfig
    from workbench.core.runs import RunStore, create_run, open_run

    with RunStore(tmp / "runs.sqlite") as store:
        t0 = time.perf_counter()
        trainer, run_dir = create_run(spec.copy(), source, TrainingConfig.from_dict(values),
                                      data=data, runs_dir=tmp / "runs", store=store,
                                      initial=initial, frozen=frozen or [])
        ended = trainer.fit()
        seconds = time.perf_counter() - t0
        record = open_run(run_dir, store).record
    if ended.status != "finished":
        raise SystemExit(f"the run {run_dir.name} {ended.status}: {ended.reason}")
    return float(record.test_accuracy or 0.0), seconds, run_dir


def small(data: Any, images: int, seed: int) -> Any:
    """``data`` with only ``images`` training images (a seeded, class-balanced pick)."""
    from workbench.core.data.dataset import Split

    g = torch.Generator().manual_seed(seed)
    y = data.train.y
    per_class = images // data.num_classes
    chosen = []
    for c in range(data.num_classes):
        idx = (y == c).nonzero().flatten()
        chosen.append(idx[torch.randperm(len(idx), generator=g)[:per_class]])
    pick = torch.cat(chosen)
    return dataclasses.replace(data, train=Split(data.train.x[pick], y[pick]))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", default="lenet5", help="lenet5 or cnn_mnist")
    p.add_argument("--pretrain-epochs", type=int, default=4)
    p.add_argument("--epochs", type=int, default=10, help="fine-tuning budget, every way")
    p.add_argument("--images", type=int, default=200, help="digits28 training images")
    p.add_argument("--seeds", default="0,1,2")
    p.add_argument("--test-fraction", type=float, default=0.4,
                   help="share of digits28 held out for the test (a large one: fewer noisy "
                        "figures; the training images are picked from the rest)")
    p.add_argument("--device", default="auto")
    p.add_argument("--threads", type=int, default=torch.get_num_threads())
    args = p.parse_args(argv)
    if not SHARED_MNIST.is_dir():
        print(f"finetune.py needs the MNIST test set at {SHARED_MNIST} (see "
              "../shared/datasets/README.md); it is absent, so there is nothing to measure.")
        return 2
    torch.set_num_threads(args.threads)
    from workbench.core.data import load_source
    from workbench.core.finetune import read_weights, resolve_frozen
    from workbench.core.graph import analyze
    from workbench.core.templates import load_template

    spec = load_template(args.model)
    body = resolve_frozen(analyze(spec).order, until="flatten")
    seeds = [int(s) for s in args.seeds.split(",")]
    base = dict(optimizer="adam", lr=3e-3, batch_size=64, schedule="onecycle",
                device=args.device)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        mnist_source = f"idx:{SHARED_MNIST}"
        mnist = load_source(mnist_source, seed=0, train_size=8000, val_size=2000)
        acc, seconds, pre_dir = train(spec, mnist, mnist_source,
                                      {**base, "epochs": args.pretrain_epochs}, tmp_path)
        print(f"pre-trained {args.model} on MNIST ({len(mnist.train)} train / "
              f"{len(mnist.val)} held out): {100 * acc:.2f} % in {seconds:.1f} s "
              f"({args.pretrain_epochs} epochs, {args.threads} threads)")
        start = read_weights(pre_dir)
        results: dict[str, list[tuple[float, float]]] = {w: [] for w in WAYS}
        for seed in seeds:
            data = small(load_source("digits28", seed=seed, test_fraction=args.test_fraction),
                         args.images, seed)
            values = {**base, "epochs": args.epochs, "batch_size": 32, "seed": seed}
            for way in WAYS:
                kw: dict[str, Any] = {}
                if way != "from scratch":
                    kw["initial"] = start
                if way == "frozen body":
                    kw["frozen"] = body
                a, s, _ = train(spec, data, "digits28", values, tmp_path, **kw)
                results[way].append((a, s))
        test_size = len(data.test)
    print(f"fine-tuned on {args.images} digits28 training images, tested on {test_size}; "
          f"{args.epochs} epochs, batch 32, Adam 3e-3 one-cycle; seeds {args.seeds}; frozen "
          f"body: {', '.join(body)}")
    print(f"{'way':<14} {'accuracy':>9} {'per seed':<26} {'seconds':>8}")
    for way in WAYS:
        accs = [a for a, _ in results[way]]
        secs = [s for _, s in results[way]]
        per = " ".join(f"{100 * a:.1f}" for a in accs)
        print(f"{way:<14} {100 * statistics.mean(accs):>8.2f}% {per:<26} "
              f"{statistics.mean(secs):>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
