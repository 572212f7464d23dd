"""Training throughput: the Workbench engine against a hand-written PyTorch loop and
PyTorch Lightning, on the same model, data, device, batch size, epochs and threads.

    uv run python benchmarks/throughput.py [--models cnn_mnist,mlp] [--epochs 2]
        [--batch-size 128] [--device cpu] [--train-size 8000] [--threads N]

Each way first trains one warm-up epoch (untimed), then ``--epochs`` timed epochs, each with a
validation pass, and a test pass at the end: the same work the engine does in ``fit``.
samples/s = training samples x epochs / wall seconds of the timed part. The three ways run
in interleaved rounds (``--repeats``) and the best round of each counts, so that other load
on the machine skews them alike. Not a test.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

ROOT = Path(__file__).resolve().parents[1]
SHARED_MNIST = ROOT.parent / "shared" / "datasets" / "mnist-test"
MODELS = ["cnn_mnist", "mlp", "lstm_rows", "vit_tiny"]
LR = 1e-3


def load_data(train_size: int, val_size: int, seed: int = 0):
    """8,000 MNIST images from ../shared when present, else the built-in digits28."""
    from workbench.core.data import load_source

    if SHARED_MNIST.is_dir():
        return load_source(f"idx:{SHARED_MNIST}", seed=seed, train_size=train_size,
                           val_size=val_size)
    print(f"note: {SHARED_MNIST} is absent; using the built-in digits28 (1,437 train images)")
    return load_source("digits28", seed=seed)


def small_test(data, n: int = 1000):
    """Keep the test pass short so it does not dominate a two-epoch timing."""
    from workbench.core.data.dataset import Split

    t = data.test
    return dataclasses.replace(data, test=Split(x=t.x[:n], y=t.y[:n]))


def build(name: str, seed: int = 0) -> nn.Module:
    from workbench.core.graph import build_model
    from workbench.core.templates import load_template

    torch.manual_seed(seed)
    return build_model(load_template(name))


def tensors(data, split: str, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    s = getattr(data, split)
    return data.normalize(s.x), s.y  # tutorials normalize once up front


@torch.no_grad()
def accuracy(model: nn.Module, loader: DataLoader, device: torch.device) -> float:
    model.eval()
    right = total = 0
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)
        right += (model(xb).argmax(1) == yb).sum().item()
        total += len(yb)
    model.train()
    return right / max(total, 1)


# -- (b) the loop a tutorial writes ----------------------------------------------------
def plain(name: str, data, epochs: int, batch_size: int, device: torch.device,
          warm_up: bool) -> float:
    model = build(name).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    train = DataLoader(TensorDataset(*tensors(data, "train", device)), batch_size=batch_size,
                       shuffle=True)
    val = DataLoader(TensorDataset(*tensors(data, "val", device)), batch_size=512)
    test = DataLoader(TensorDataset(*tensors(data, "test", device)), batch_size=512)

    def epoch() -> None:
        model.train()
        total = 0.0
        for xb, yb in train:
            xb, yb = xb.to(device), yb.to(device)
            opt.zero_grad()
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item()
        accuracy(model, val, device)

    if warm_up:
        epoch()
    sync(device)
    t0 = time.perf_counter()
    for _ in range(epochs):
        epoch()
    accuracy(model, test, device)
    sync(device)
    return len(data.train) * epochs / (time.perf_counter() - t0)


# -- (c) PyTorch Lightning ---------------------------------------------------------------
def lightning(name: str, data, epochs: int, batch_size: int, device: torch.device,
              warm_up: bool) -> float:
    import logging
    import warnings

    import lightning as L

    logging.getLogger("lightning").setLevel(logging.ERROR)
    logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="lightning")

    class Module(L.LightningModule):
        def __init__(self, model: nn.Module) -> None:
            super().__init__()
            self.model = model

        def training_step(self, batch, _):
            x, y = batch
            return F.cross_entropy(self.model(x), y)

        def validation_step(self, batch, _):
            x, y = batch
            self.log("val_acc", (self.model(x).argmax(1) == y).float().mean())

        test_step = validation_step

        def configure_optimizers(self):
            return torch.optim.Adam(self.parameters(), lr=LR)

    module = Module(build(name))
    train = DataLoader(TensorDataset(*tensors(data, "train", device)), batch_size=batch_size,
                       shuffle=True)
    val = DataLoader(TensorDataset(*tensors(data, "val", device)), batch_size=512)
    test = DataLoader(TensorDataset(*tensors(data, "test", device)), batch_size=512)
    accel = "gpu" if device.type == "cuda" else device.type

    def trainer(n: int):
        return L.Trainer(max_epochs=n, accelerator=accel, devices=1, logger=False,
                         enable_checkpointing=False, enable_progress_bar=False,
                         enable_model_summary=False, num_sanity_val_steps=0)

    if warm_up:
        trainer(1).fit(module, train, val)
    sync(device)
    t0 = time.perf_counter()
    t = trainer(epochs)
    t.fit(module, train, val)
    t.test(module, test, verbose=False)
    sync(device)
    return len(data.train) * epochs / (time.perf_counter() - t0)


# -- (a) the Workbench engine ------------------------------------------------------------
def engine(name: str, data, epochs: int, batch_size: int, device: torch.device,
           warm_up: bool) -> float:
    from workbench.core.engine import Trainer
    from workbench.core.engine.config import TrainingConfig
    from workbench.core.templates import load_template

    spec = load_template(name)
    config = TrainingConfig(optimizer="adam", lr=LR, batch_size=batch_size, epochs=epochs,
                            schedule="none", device=str(device), seed=0)
    with tempfile.TemporaryDirectory() as tmp:
        if warm_up:
            Trainer(spec, data, dataclasses.replace(config, epochs=1),
                    run_dir=Path(tmp) / "warm").fit()
        trainer = Trainer(spec, data, config, run_dir=Path(tmp) / "timed")
        sync(device)  # timed from fit(), as the others from their first epoch (model built)
        t0 = time.perf_counter()
        ended = trainer.fit()
        sync(device)
        seconds = time.perf_counter() - t0
    if ended.status != "finished":
        raise RuntimeError(f"the engine run {ended.status}: {ended.reason}")
    return len(data.train) * epochs / seconds


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--models", default=",".join(MODELS), help="comma-separated template names")
    p.add_argument("--epochs", type=int, default=2, help="timed epochs (after one warm-up)")
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--device", default="cpu")
    p.add_argument("--train-size", type=int, default=8000)
    p.add_argument("--threads", type=int, default=torch.get_num_threads())
    p.add_argument("--ways", default="engine,plain,lightning", help="which of the three to run")
    p.add_argument("--repeats", type=int, default=3, help="timed rounds per way; the best counts")
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    data = small_test(load_data(args.train_size, 1000))
    ways = {"engine": engine, "plain": plain, "lightning": lightning}
    chosen = [w for w in args.ways.split(",") if w in ways]
    print(f"device {device}, {args.threads} threads, batch {args.batch_size}, "
          f"{len(data.train)} train / {len(data.val)} val / {len(data.test)} test images, "
          f"{args.epochs} timed epochs after 1 warm-up, best of {args.repeats} interleaved "
          "rounds; training samples/s")
    head = ["model", *(f"{w} samples/s" for w in chosen)]
    if {"engine", "plain"} <= set(chosen):
        head.append("engine/plain")
    if {"engine", "lightning"} <= set(chosen):
        head.append("engine/lightning")
    print("  ".join(f"{h:>18}" for h in head))
    for name in args.models.split(","):
        best: dict[str, float] = {}
        for r in range(args.repeats):  # interleaved rounds, best of each: robust to a busy CPU
            for w in chosen:
                rate = ways[w](name, data, args.epochs, args.batch_size, device, r == 0)
                best[w] = max(best.get(w, 0.0), rate)
        row = [name, *(f"{best[w]:,.0f}" for w in chosen)]
        if "engine/plain" in head:
            row.append(f"{best['engine'] / best['plain']:.2f}x")
        if "engine/lightning" in head:
            row.append(f"{best['engine'] / best['lightning']:.2f}x")
        print("  ".join(f"{c:>18}" for c in row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
