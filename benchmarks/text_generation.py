"""char_gpt on tiny Shakespeare, as a new user would train it: ``workbench train char_gpt
--data text:../shared/datasets/tinyshakespeare/input.txt`` with the app's text settings
(``core.engine.presets.TEXT``) and the data fix the CLI applies (vocabulary 65 -> 67).

Prints the validation and test loss in nats and bits per character against the unigram
entropy of the text (3.31 nats; nanoGPT's 4-layer 128-wide model reaches 1.88 on the last
10 % of the text, which is this split's test block, in about 3 minutes on a laptop CPU), the
wall and CPU time with the load average (a shared machine: the wall time alone says little),
and a sample. ``--minutes`` stops the run after that much wall time (the schedule still spans
``--epochs``). ``--step-times`` instead times training steps in short bursts (1 and 2
threads) and projects the run's time on idle cores from them.

    uv run python benchmarks/text_generation.py [--epochs 2] [--minutes 3] [--threads 2]
    uv run python benchmarks/text_generation.py --step-times
"""

from __future__ import annotations

import argparse
import math
import os
import threading
import time
from pathlib import Path

SHAKESPEARE = Path(__file__).resolve().parents[1] / ".." / "shared" / "datasets" / \
    "tinyshakespeare" / "input.txt"
UNIGRAM_NATS = 3.31
NANOGPT_NATS = 1.88


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} (1/5/15 min) on {os.cpu_count()} cores"


def nats(loss: float) -> str:
    return f"{loss:.3f} nats/char = {loss / math.log(2):.3f} bits/char"


def prepare(args: argparse.Namespace):
    """The workspace, data and config as ``workbench train`` makes them."""
    from workbench.core.data import load_source
    from workbench.core.engine import TrainingConfig
    from workbench.core.engine.presets import TEXT
    from workbench.core.templates import load_template
    from workbench.core.workspace import DataChoice, Workspace
    from workbench.core.workspace.fit import fit_until_trainable

    settings = {**TEXT, "device": "cpu"}
    for key in ("epochs", "batch_size", "lr"):
        if getattr(args, key) is not None:
            settings[key] = getattr(args, key)
    config = TrainingConfig.from_dict(settings)
    source = f"text:{args.text.resolve()}"
    workspace = Workspace(load_template("char_gpt"), config, DataChoice(source))
    data = load_source(source, seed=config.seed)
    fixes = fit_until_trainable(workspace, data)
    if args.fixed_windows:
        data.train.stream = None  # the same cut points every epoch, as before random offsets
    print(f"data: {len(data.train):,} train / {len(data.val):,} val / {len(data.test):,} test "
          f"windows of {data.sample_shape[0]}; fixes: "
          f"{'; '.join(f.fix_label for f in fixes) or 'none'}")
    print(f"settings: {settings} threads={args.threads} windows="
          f"{'fixed' if args.fixed_windows else 'random offsets'}")
    return workspace, data, settings


def step_times(args: argparse.Namespace) -> None:
    """Seconds per training step (wall and this process's CPU) in short bursts, per thread
    count, and what the whole run would take at that rate."""
    import torch

    from workbench.core.engine.trainer import Trainer

    workspace, data, _ = prepare(args)
    trainer = Trainer(workspace.spec, data, workspace.config)
    batches = iter(trainer.train_loader)
    total = trainer.total_steps
    for threads in (1, 2):
        torch.set_num_threads(threads)
        for _ in range(3):  # warm-up: allocator, kernels
            trainer._step(*next(batches))
        walls, cpus = [], []
        for _ in range(args.bursts):
            t, c = time.perf_counter(), time.process_time()
            for _ in range(args.burst_steps):
                trainer._step(*next(batches))
            walls.append((time.perf_counter() - t) / args.burst_steps)
            cpus.append((time.process_time() - c) / args.burst_steps)
        wall, cpu = min(walls), min(cpus)  # the least disturbed burst
        # one thread's CPU time is what an idle core would take; with more threads it also
        # counts the time they spin waiting for one another, so it projects nothing
        idle = f", {total * cpu:.0f} s on one idle core" if threads == 1 else ""
        print(f"{threads} thread(s): {1000 * wall:.0f} ms wall, {1000 * cpu:.0f} ms CPU per step "
              f"(best of {args.bursts} bursts of {args.burst_steps}; {load()}); "
              f"{total} steps: {total * wall:.0f} s at this wall rate{idle}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--text", type=Path, default=SHAKESPEARE)
    ap.add_argument("--epochs", type=int, default=None, help="default: the text preset's")
    ap.add_argument("--batch-size", type=int, default=None)
    ap.add_argument("--lr", type=float, default=None)
    ap.add_argument("--minutes", type=float, default=None, help="stop after this wall time")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--fixed-windows", action="store_true",
                    help="train on the fixed windows (as before random offsets), to compare")
    ap.add_argument("--step-times", action="store_true",
                    help="time training steps in short bursts instead of training")
    ap.add_argument("--bursts", type=int, default=3)
    ap.add_argument("--burst-steps", type=int, default=10)
    args = ap.parse_args()
    if not args.text.is_file():
        raise SystemExit(f"no text at {args.text} (../shared/datasets/tinyshakespeare)")
    os.environ.setdefault("WORKBENCH_HOME", "/tmp/wb-bench-text")
    import torch

    torch.set_num_threads(args.threads)
    if args.step_times:
        step_times(args)
        return
    from workbench.core.evaluate import evaluate

    workspace, data, _ = prepare(args)
    trainer, run_dir = workspace.create_run(data=data, runs_dir=Path("/tmp/wb-bench-text/runs"))
    if args.minutes:
        timer = threading.Timer(args.minutes * 60, trainer.request_stop)
        timer.daemon = True
        timer.start()
    print(f"start: {load()}")
    t0, c0 = time.monotonic(), time.process_time()
    ended = trainer.fit()
    wall, cpu = time.monotonic() - t0, time.process_time() - c0
    print(f"end: {load()}")
    for row in trainer.progress.history:
        print(f"  epoch {row['epoch'] + 1}: step {row['step']}, train {row['train_loss']:.3f}, "
              f"val {row['val_loss']:.3f} nats, {row['seconds']:.0f} s")
    print(f"\n{ended.status} after {ended.epochs_done} epoch(s), {ended.steps_done} steps "
          f"({ended.steps_done * workspace.config.batch_size * data.sample_shape[0] / 1e6:.2f} M "
          f"characters seen): {wall:.0f} s wall ({ended.seconds:.0f} s training), {cpu:.0f} s "
          f"CPU on {args.threads} thread(s)")
    val = evaluate(trainer.model, data, "val", device="cpu", batch_size=256)
    test = evaluate(trainer.model, data, "test", device="cpu", batch_size=256)
    print(f"validation loss {nats(val.loss)}; perplexity {math.exp(val.loss):.2f}")
    print(f"test loss       {nats(test.loss)} (the last 10 % of the text: nanoGPT's "
          f"validation block)")
    print(f"against: unigram entropy {nats(UNIGRAM_NATS)}; nanoGPT {NANOGPT_NATS} nats")
    from workbench.core.data.meta import DataMeta
    from workbench.core.generate.text import Sampling, generate_text

    meta = DataMeta.from_dataset(data, data.name)
    sample = generate_text(trainer.model, meta, "ROMEO:", Sampling(length=300, temperature=0.8))
    print("\nsample (prompt 'ROMEO:', temperature 0.8, seed 0):\n" + sample)
    print(f"\nrun folder: {run_dir}")


if __name__ == "__main__":
    main()
