"""char_gpt on tiny Shakespeare, as a new user would train it: ``workbench train char_gpt
--data text:../shared/datasets/tinyshakespeare/input.txt`` with the app's text settings
(``core.engine.presets.TEXT``) and the data fix the CLI applies (vocabulary 65 -> 67).

Prints the validation loss in nats and bits per character against the unigram entropy of
the text (3.31 nats; nanoGPT's 4-layer 128-wide model reaches 1.88 in about 3 minutes on a
laptop CPU), the wall time, and a sample. ``--minutes`` stops the run after that much wall
time (the schedule still spans ``--epochs``), to state a figure at a fixed budget.

    uv run python benchmarks/text_generation.py [--epochs 2] [--minutes 3] [--threads 2]
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
    args = ap.parse_args()
    if not args.text.is_file():
        raise SystemExit(f"no text at {args.text} (../shared/datasets/tinyshakespeare)")
    os.environ.setdefault("WORKBENCH_HOME", "/tmp/wb-bench-text")
    import torch

    torch.set_num_threads(args.threads)
    from workbench.core.data import load_source
    from workbench.core.engine import TrainingConfig
    from workbench.core.engine.presets import TEXT
    from workbench.core.generate.text import Sampling, generate_text
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
        data.train.stream = None
    print(f"data: {len(data.train):,} train / {len(data.val):,} val windows of "
          f"{data.sample_shape[0]}; fixes: {'; '.join(f.fix_label for f in fixes) or 'none'}")
    print(f"settings: {settings} threads={args.threads} windows="
          f"{'fixed' if args.fixed_windows else 'random offsets'}")
    trainer, run_dir = workspace.create_run(data=data, runs_dir=Path("/tmp/wb-bench-text/runs"))
    if args.minutes:
        timer = threading.Timer(args.minutes * 60, trainer.request_stop)
        timer.daemon = True
        timer.start()
    t0 = time.monotonic()
    ended = trainer.fit()
    wall = time.monotonic() - t0
    from workbench.core.evaluate import evaluate

    val = evaluate(trainer.model, data, "val", device="cpu", batch_size=256)
    print(f"\n{ended.status} after {ended.epochs_done} epoch(s), {ended.steps_done} steps, "
          f"{wall:.0f} s wall ({ended.seconds:.0f} s training) on {args.threads} threads")
    print(f"validation loss {val.loss:.3f} nats/char = {val.loss / math.log(2):.3f} bits/char "
          f"(unigram entropy {UNIGRAM_NATS} nats = {UNIGRAM_NATS / math.log(2):.2f} bits; "
          f"nanoGPT 1.88 nats); perplexity {math.exp(val.loss):.2f}")
    from workbench.core.data.meta import DataMeta

    meta = DataMeta.from_dataset(data, source)
    sample = generate_text(trainer.model, meta, "ROMEO:", Sampling(length=300, temperature=0.8))
    print("\nsample (prompt 'ROMEO:', temperature 0.8, seed 0):\n" + sample)
    print(f"\nrun folder: {run_dir}")


if __name__ == "__main__":
    main()
