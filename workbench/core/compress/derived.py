"""Compressed models as runs of their own: a run folder (spec, config, data, weights,
evaluation) in the run history, with ``lineage.json`` naming the run it came from. A model
that is fine-tuned or distilled is trained by the engine like any run; one that is not
(pruned without fine-tuning, quantized) gets its weights and evaluation written directly."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from torch import nn

from workbench.core.engine import checkpoint as ckpt
from workbench.core.engine.config import TrainingConfig
from workbench.core.engine.events import (
    Callback,
    EvaluationDone,
    RunEnded,
    RunStarted,
)
from workbench.core.files import atomic_write_bytes
from workbench.core.runs import LoadedRun, RunRecorder, RunStore, create_run
from workbench.core.runs.lineage import record_lineage
from workbench.core.runs.recorder import write_json

if TYPE_CHECKING:
    from workbench.core.data import DataSet
    from workbench.core.engine import Teacher, Trainer
    from workbench.core.graph import ModelSpec

COMPRESS_JSON = "compress.json"


def parent_id(run: LoadedRun) -> str:
    return str(run.info.get("id") or (run.record.id if run.record else run.run_dir.name))


def start_run(parent: LoadedRun, spec: ModelSpec, config: TrainingConfig, data: DataSet, *,
              relation: str, name: str, store: RunStore, runs_dir: Path | None = None,
              callbacks: Iterable[Callback] = (), teacher: Teacher | None = None
              ) -> tuple[Trainer, Path]:
    """A new run derived from ``parent`` (beside it unless ``runs_dir`` says otherwise),
    its lineage recorded; the Trainer is ready to ``fit`` or to be finished untrained."""
    trainer, run_dir = create_run(
        spec, parent.data_source, config, data=data, store=store,
        runs_dir=runs_dir if runs_dir is not None else parent.run_dir.parent,
        callbacks=callbacks, name=name, data_options=parent.data_options, teacher=teacher)
    record_lineage(run_dir, parent_id(parent), relation)
    return trainer, run_dir


def finetune_config(parent: TrainingConfig, epochs: int, lr: float) -> TrainingConfig:
    """The parent's settings for a short fine-tune: ``epochs`` epochs from ``lr``, decaying
    (cosine), no warm-up and no early stop."""
    return dataclasses.replace(parent, epochs=max(1, int(epochs)), lr=float(lr),
                               schedule="cosine", warmup_epochs=0.0, early_stopping=False)


def write_weights(run_dir: Path, model: nn.Module, *, which: Iterable[str] = ("best", "last"),
                  step: int = 0) -> Path:
    """The model's weights as the run's checkpoint(s) (safetensors)."""
    data = ckpt.weights_bytes(model, step)
    path = run_dir / "checkpoints"
    for w in which:
        atomic_write_bytes(path / w / ckpt.WEIGHTS, data)
    return path / "best" / ckpt.WEIGHTS


def finish_untrained(trainer: Trainer, run_dir: Path, weights_from: nn.Module,
                     evaluation: dict[str, Any] | None, *, params: int, seconds: float) -> None:
    """Close a derived run that had no training: weights, evaluation, history row."""
    write_weights(run_dir, weights_from)
    recorder = next(cb for cb in trainer.callbacks if isinstance(cb, RunRecorder))
    data = trainer.data
    recorder.on_run_started(RunStarted(trainer.config.to_dict(), "cpu", len(data.train),
                                       len(data.val), len(data.test), params, 0, 0, "fp32"))
    if evaluation is not None:
        recorder.on_evaluation(EvaluationDone(evaluation))
    recorder.on_run_ended(RunEnded("finished", "", 0, 0, seconds))


def write_compress_json(run_dir: Path, row: dict[str, Any], **extra: Any) -> None:
    """What the compression made of this run (its table row, its deployable file)."""
    write_json(run_dir / COMPRESS_JSON, {"row": row, **extra,
                                         "written": time.strftime("%Y-%m-%dT%H:%M:%S")})
