"""Validation loss against characters seen for one text recipe: the app's Trainer (text preset,
char_gpt template, the CLI's vocabulary fix) driven step by step, with a 512-window validation
sample every ``--every`` steps and the full validation and test splits at the end. The loss
after a number of steps does not depend on the machine's load, so recipes can be compared on
a busy machine (one thread each); benchmarks/README.md's recipe table came from it. ``--set``
overrides preset settings (JSON); ``--emb-std`` re-draws the embedding at that spread (the
template's is 0.02; 1 is torch's default).

    uv run python benchmarks/text_recipes.py --name bs32 --set '{"batch_size": 32}'
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import torch

SHAKESPEARE = Path(__file__).resolve().parents[1] / ".." / "shared" / "datasets" / \
    "tinyshakespeare" / "input.txt"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--name", default="recipe")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--set", default="{}", help="JSON settings over the text preset")
    ap.add_argument("--every", type=int, default=400)
    ap.add_argument("--emb-std", type=float, default=None)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    os.environ.setdefault("WORKBENCH_HOME", "/tmp/wb-bench-text")
    from workbench.core.data import load_source
    from workbench.core.engine import TrainingConfig
    from workbench.core.engine.presets import TEXT
    from workbench.core.engine.trainer import Trainer
    from workbench.core.evaluate import evaluate
    from workbench.core.templates import load_template
    from workbench.core.workspace import DataChoice, Workspace
    from workbench.core.workspace.fit import fit_until_trainable

    settings = {**TEXT, "device": "cpu", **json.loads(args.set)}
    config = TrainingConfig.from_dict(settings)
    source = f"text:{SHAKESPEARE.resolve()}"
    workspace = Workspace(load_template("char_gpt"), config, DataChoice(source))
    data = load_source(source, seed=config.seed)
    fit_until_trainable(workspace, data)
    trainer = Trainer(workspace.spec, data, config)
    model = trainer.model
    if args.emb_std:
        with torch.no_grad():
            for m in model.modules():
                if isinstance(m, torch.nn.Embedding):
                    torch.nn.init.normal_(m.weight, std=args.emb_std)
    stream = data.val.stream
    starts = torch.randint(0, len(stream) - 65, (512,), generator=torch.Generator().manual_seed(123))
    idx = starts[:, None] + torch.arange(64)
    vx, vy = stream[idx], stream[idx + 1]

    def val_sample() -> float:
        model.eval()
        with torch.no_grad():
            out = torch.cat([model(vx[i:i + 256]) for i in range(0, 512, 256)])
            loss = torch.nn.functional.cross_entropy(out.reshape(-1, out.shape[-1]), vy.reshape(-1))
        model.train()
        return float(loss)

    print(f"{args.name}: {settings}, {trainer.steps_per_epoch} steps per epoch, "
          f"{trainer.total_steps} in all", flush=True)
    step, t0, c0 = 0, time.perf_counter(), time.process_time()
    model.train()
    for epoch in range(config.epochs):
        trainer.train_loader.set_epoch(epoch)
        for batch in trainer.train_loader:
            loss = trainer._step(*batch)[0]
            step += 1
            if step % args.every == 0 or step == trainer.total_steps:
                print(f"  step {step} ({step * config.batch_size * 64 / 1e6:.2f} M chars): "
                      f"train {float(loss.detach()):.3f}, val sample {val_sample():.3f}, lr "
                      f"{trainer.optimizer.param_groups[0]['lr']:.2e}; "
                      f"{time.perf_counter() - t0:.0f} s wall, {time.process_time() - c0:.0f} s "
                      f"CPU, load {os.getloadavg()[0]:.1f}", flush=True)
    val = evaluate(model, data, "val", device="cpu", batch_size=256).loss
    test = evaluate(model, data, "test", device="cpu", batch_size=256).loss
    print(f"RESULT {args.name}: {step} steps, val {val:.4f}, test {test:.4f} nats; "
          f"{time.process_time() - c0:.0f} s CPU, {time.perf_counter() - t0:.0f} s wall")


if __name__ == "__main__":
    main()
