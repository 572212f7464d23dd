"""Pruning as runs: each round (one, or several for iterative prune + fine-tune) is a run
derived from the one before it, pruned, fine-tuned through the engine when asked, and
measured.

The fine-tune starts from a tenth of the run's learning rate after unstructured pruning
(the weights that stay barely need to move) and from half of it after structured pruning,
which takes whole channels away and leaves more to re-learn."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import torch
from safetensors.torch import load_file
from torch import nn

from workbench.core.compress import derived
from workbench.core.compress.channels import prune_structured
from workbench.core.compress.measure import count_params, evaluate_test
from workbench.core.compress.prune import (
    fold_masks,
    make_permanent,
    prune_unstructured,
    round_amounts,
    sparsity,
)
from workbench.core.engine import checkpoint as ckpt
from workbench.core.engine.events import Callback
from workbench.core.graph import analyze
from workbench.core.runs import LoadedRun, RunStore, open_run

if TYPE_CHECKING:
    from workbench.core.compress.pipeline import CompressOptions, _Measure
    from workbench.core.compress.table import Row
    from workbench.core.data import DataSet


def prune_rows(parent: LoadedRun, model: nn.Module, data: DataSet, options: CompressOptions,
               measure: _Measure, say: Callable[[str], None], *, store: RunStore,
               runs_dir: Path | None, callbacks: list[Callback]) -> list[Row]:
    from workbench.core.compress.pipeline import CompressError

    rows: list[Row] = []
    rounds = options.rounds
    per_round = round_amounts(options.amount, rounds)
    current, source = model, parent
    kind = "structured" if options.structured else "unstructured"
    for i in range(rounds):
        # unstructured: the share of all weights zeroed so far (zeros from earlier rounds are
        # the smallest, so global magnitude pruning keeps them); structured: of what is left
        target = 1.0 - (1.0 - per_round[0]) ** (i + 1)
        amount = per_round[i] if options.structured else target
        step = f" (round {i + 1} of {rounds})" if rounds > 1 else ""
        say(f"pruning {100 * target:.0f} % {kind}{step}")
        t0 = time.monotonic()
        try:
            if options.structured:
                result = prune_structured(source.spec, current, amount)
                spec, start = result.spec, result.model
                details = {"channels": {c.layer: int(c.keep.numel()) for c in result.chains},
                           "masked_max_diff": _masked_diff(result, measure.x1)}
            else:
                spec, start, details = source.spec, current, {}
        except ValueError as e:
            raise CompressError(str(e)) from None
        lr = options.finetune_lr or parent.config.lr * (0.5 if options.structured else 0.1)
        config = (derived.finetune_config(parent.config, options.finetune_epochs, lr)
                  if options.finetune_epochs else parent.config)
        tune = f" + {options.finetune_epochs} epoch fine-tune" if options.finetune_epochs else ""
        name = f"{parent.spec.name} pruned {100 * target:.0f}% {kind}"
        trainer, run_dir = derived.start_run(
            source, spec, config, data, relation="prune", name=name, store=store,
            runs_dir=runs_dir, callbacks=callbacks)
        _load(trainer.model, start)
        if not options.structured:
            prune_unstructured(trainer.model, amount)  # masks on the trainer's own parameters
        if options.finetune_epochs:
            say(f"fine-tuning {options.finetune_epochs} epoch(s)")
            ended = trainer.fit()
            if ended.status == "failed":
                raise CompressError(f"fine-tuning failed: {ended.reason}")
            final = make_permanent(trainer.model).cpu().eval()
            _unmask_checkpoints(run_dir, final)
            evaluation = evaluate_test(final, data)
        else:
            final = make_permanent(trainer.model).cpu().eval()
            evaluation = evaluate_test(final, data)
            derived.finish_untrained(trainer, run_dir, final, evaluation,
                                     params=count_params(final),
                                     seconds=time.monotonic() - t0)
        if options.structured:
            a0, a1 = analyze(parent.spec), analyze(spec)
            details |= {"flops": a1.total_flops, "original_flops": a0.total_flops}
        else:
            details |= {"sparsity": sparsity(final)}
        row = measure.row("prune-structured" if options.structured else "prune",
                          f"prune {100 * target:.0f} % {kind}{tune}", final,
                          params=count_params(final, nonzero=not options.structured),
                          path=run_dir / "checkpoints" / "best" / ckpt.WEIGHTS,
                          run_dir=run_dir, evaluation=evaluation, details=details)
        derived.write_compress_json(run_dir, row.to_dict())
        rows.append(row)
        current, source = final, open_run(run_dir, store)
    return rows


def _load(target: nn.Module, source: nn.Module) -> None:
    device = next(target.parameters()).device
    target.load_state_dict({k: v.to(device) for k, v in source.state_dict().items()})


def _masked_diff(result, x: torch.Tensor) -> float:
    with torch.no_grad():
        return float((result.masked(x) - result.model(x)).abs().max())


def _unmask_checkpoints(run_dir: Path, final: nn.Module) -> None:
    """A fine-tuned pruned run's checkpoints hold ``weight_orig`` and ``weight_mask``: save
    them as plain weights, so the run loads, evaluates and exports like any other. Each
    keeps the step its state.pt was written at (a checkpoint's two files must agree)."""
    from safetensors import safe_open
    from safetensors.torch import save

    from workbench.core.files import atomic_write_bytes

    for which in ("best", "last"):
        path = run_dir / "checkpoints" / which / ckpt.WEIGHTS
        if not path.is_file():
            continue
        with safe_open(str(path), framework="pt") as f:
            meta = f.metadata() or {}
        if which == "best":  # the weights evaluated: the trainer loaded them into ``final``
            atomic_write_bytes(path, ckpt.weights_bytes(final, int(meta.get("global_step", 0))))
        else:
            plain = fold_masks(load_file(str(path)))
            atomic_write_bytes(path, save({k: v.contiguous() for k, v in plain.items()}, meta))
