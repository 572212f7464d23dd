"""The GAN quality figure after N epochs on the CPU, against the untrained generator's.

    uv run python benchmarks/gan.py [--template dcgan_digits] [--data digits28] [--epochs 20]
                                    [--batch-size 32] [--device cpu]
    uv run python benchmarks/gan.py --data mnist   # ../shared/datasets/mnist-test, 8,000 images

Trains through the same path as ``workbench train`` (``create_run`` + ``GanTrainer.fit``),
then scores 1,000 samples with the engine's judge (a small CNN trained once on the same real
data and cached): the share classified with confidence >= 0.9 and the classes present among
them, for the untrained generator (same seed, same initial weights), the trained one and real
test images. An Inception-score-like figure, not comparable with published IS or FID.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
SHARED_MNIST = ROOT.parent / "shared" / "datasets" / "mnist-test"


def _line(name: str, q) -> str:
    return (f"{name:<22} {100 * q.confident_share:6.1f} %   {q.classes_present:2d} / "
            f"{q.classes} classes")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--template", default="dcgan_digits")
    ap.add_argument("--data", default="digits28", help="digits28, or mnist (the shared IDX)")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--gan-loss", default="non_saturating")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(max(1, torch.get_num_threads()))

    from workbench.core.data import load_source
    from workbench.core.engine import TrainingConfig
    from workbench.core.engine.gan import GanTrainer
    from workbench.core.evaluate.gan_quality import cached_judge, score_images
    from workbench.core.generate.images import sample_images
    from workbench.core.runs import RunStore, create_run
    from workbench.core.templates import load_template

    if args.data == "mnist":
        if not SHARED_MNIST.is_dir():
            print(f"gan.py --data mnist needs {SHARED_MNIST}", file=sys.stderr)
            return 2
        source = f"idx:{SHARED_MNIST}"
        data = load_source(source, seed=args.seed, train_size=8000, val_size=1000)
    else:
        source = args.data
        data = load_source(source, seed=args.seed)
    spec = load_template(args.template)
    config = TrainingConfig(epochs=args.epochs, batch_size=args.batch_size, seed=args.seed,
                            device=args.device, gan_loss=args.gan_loss, gan_quality=False,
                            d_steps=5 if args.gan_loss == "wgan_gp" else 1,
                            beta1=0.0 if args.gan_loss == "wgan_gp" else 0.5)
    t = time.monotonic()
    judge, meta, accuracy = cached_judge(data, data.name, seed=args.seed)
    print(f"judge: a small CNN on {data.name}, test accuracy {100 * (accuracy or 0):.1f} % "
          f"({time.monotonic() - t:.0f} s, or read from the cache)")
    real = data.test.x[:1000]
    parts = None
    with tempfile.TemporaryDirectory() as tmp:
        trainer, _ = create_run(spec, source, config, data=data, runs_dir=tmp,
                                store=RunStore(Path(tmp) / "runs.db"))
        assert isinstance(trainer, GanTrainer)
        parts = {"latent": trainer.latent, "distribution": trainer.distribution,
                 "activation": trainer.activation}
        trainer.generator.eval()
        before = score_images(sample_images(trainer.generator, parts, 1000), judge, meta,
                              judge="cnn", real=real)
        trainer.generator.train()
        t = time.monotonic()
        ended = trainer.fit()
        seconds = time.monotonic() - t
        trainer.generator.eval()
        after = score_images(sample_images(trainer.generator, parts, 1000), judge, meta,
                             judge="cnn", real=real)
    print(f"{args.template} on {data.name} ({len(data.train):,} images), {args.gan_loss}, "
          f"{args.epochs} epochs of batch {args.batch_size} on {args.device}: {ended.status} "
          f"in {seconds:.0f} s ({ended.steps_done} steps)")
    print(f"{'':<22} confident (>= 0.9)   classes present")
    print(_line("untrained generator", before))
    print(_line(f"after {args.epochs} epochs", after))
    print(f"{'real test images':<22} {100 * (after.real_confident_share or 0):6.1f} %   "
          f"{after.real_classes_present:2d} / {after.classes} classes")
    for w in trainer.warnings:
        print(f"warning: {w}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
