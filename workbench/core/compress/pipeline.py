"""``compress_run``: apply one method to a trained run and measure the result against it.

Each compressed model becomes a run of its own (see ``derived``); the report holds the
table, one row per model, the original first.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from workbench.core.compress import derived
from workbench.core.compress.measure import (
    OnnxModule,
    count_params,
    evaluate_test,
    file_bytes,
    onnx_latency_ms,
    sample_batch,
    test_metric,
    torch_latency_ms,
)
from workbench.core.compress.table import CompressReport, Row
from workbench.core.engine.events import Callback, StepMetrics
from workbench.core.runs import LoadedRun, RunStore, load_run_data, open_run

if TYPE_CHECKING:
    from workbench.core.data import DataSet

METHODS = ("prune", "int8", "distill")
VERIFY_SAMPLES = 256


class CompressError(ValueError):
    """Compression cannot be done as asked; one line a person can act on."""


@dataclass
class CompressOptions:
    method: str = "prune"  # prune | int8 | distill
    amount: float = 0.5  # pruning: share of weights (or channels) removed
    structured: bool = False  # pruning: remove whole channels and neurons
    finetune_epochs: int = 1  # pruning: fine-tune this long afterwards (0: none)
    rounds: int = 1  # pruning: iterative prune + fine-tune in this many steps
    finetune_lr: float | None = None  # pruning: fine-tune learning rate (default: see prune_rows)
    half: str | None = None  # int8: also fp16/bf16 weights ("fp16" or "bf16")
    student: str | None = None  # distill: template, spec file, "half" or "width:X"
    width: float = 0.5  # distill: the generated student's width (of the teacher's)
    epochs: int | None = None  # distill: epochs (default: the teacher's)
    temperature: float = 4.0
    alpha: float = 0.7
    baseline: bool = False  # distill: also train the same student without the teacher

    def check(self) -> None:
        if self.method not in METHODS:
            raise CompressError(f"unknown method '{self.method}': choose {', '.join(METHODS)}")
        if self.method == "prune" and not 0.0 < self.amount < 1.0:
            raise CompressError(f"--amount must be between 0 and 1 (the share pruned), not "
                                f"{self.amount}")
        if self.finetune_lr is not None and not self.finetune_lr > 0:
            raise CompressError(f"the fine-tune learning rate must be above 0, not "
                                f"{self.finetune_lr}")
        if self.rounds < 1 or self.finetune_epochs < 0:
            raise CompressError("rounds must be at least 1 and fine-tune epochs at least 0")
        if self.half not in (None, "fp16", "bf16"):
            raise CompressError(f"half precision is fp16 or bf16, not {self.half}")


class _Measure:
    """The original's figures, against which every row is given."""

    def __init__(self, model: nn.Module, data: DataSet, weights: Path) -> None:
        self.data = data
        self.x1 = sample_batch(data, 1)
        self.params = count_params(model)
        self.bytes = file_bytes(weights)
        self.accuracy = test_metric(evaluate_test(model, data))
        self.latency = torch_latency_ms(model, self.x1)
        self.onnx_latency: float | None = None

    def row(self, method: str, label: str, model: nn.Module | None, *, params: int,
            path: Path, run_dir: Path | None, evaluation: dict[str, Any] | None = None,
            onnx: Path | None = None, details: dict[str, Any] | None = None) -> Row:
        evaluation = evaluation if evaluation is not None else evaluate_test(model, self.data)  # type: ignore[arg-type]
        torch_ms = torch_latency_ms(model, self.x1) if model is not None else None
        onnx_ms = onnx_latency_ms(onnx, self.x1) if onnx is not None else None
        return Row(method, label, params, file_bytes(path), self.bytes, test_metric(evaluation),
                   self.accuracy, torch_ms if torch_ms is not None else onnx_ms, torch_ms,
                   onnx_ms, self.params, self.latency,
                   str(run_dir) if run_dir is not None else None, str(path), details or {})


class _LastParts(Callback):
    def __init__(self) -> None:
        self.parts: dict[str, float] | None = None

    def on_step(self, event: StepMetrics) -> None:
        if event.parts:
            self.parts = dict(event.parts)


def compress_run(run: str | Path | LoadedRun, options: CompressOptions, *,
                 store: RunStore | None = None, runs_dir: Path | None = None,
                 callbacks: Iterable[Callback] = (), data: DataSet | None = None,
                 say: Callable[[str], None] | None = None) -> CompressReport:
    """Compress ``run`` (a folder, an id or a LoadedRun) by ``options.method``; every model
    made is a new run beside it (or in ``runs_dir``) with lineage to its parent.
    ``callbacks`` see the training of fine-tunes and students. Raises CompressError."""
    options.check()
    say = say or (lambda _msg: None)
    store = store or RunStore()
    from workbench.core.data import DataSourceError
    from workbench.core.engine.errors import TrainingError
    from workbench.core.graph import ModelInvalidError
    from workbench.core.runs import RunError

    try:
        parent = run if isinstance(run, LoadedRun) else open_run(run, store)
        say("loading the data and the original model")
        data = data if data is not None else load_run_data(parent)
        model = parent.load_model("best")
        measure = _Measure(model, data, parent.checkpoint("best"))
        original = Row("original", parent.spec.name, measure.params, measure.bytes,
                       measure.bytes, measure.accuracy, measure.accuracy, measure.latency,
                       measure.latency, None, measure.params, measure.latency, None,
                       str(parent.checkpoint("best")))
        report = CompressReport(str(parent.run_dir), options.method, [original])
        kw = {"store": store, "runs_dir": runs_dir, "callbacks": list(callbacks)}
        if options.method == "prune":
            from workbench.core.compress.pruning_runs import prune_rows

            report.rows += prune_rows(parent, model, data, options, measure, say, **kw)
        elif options.method == "int8":
            report.rows += _int8_rows(parent, model, data, options, measure, say, original, **kw)
        else:
            report.rows += _distill_rows(parent, model, data, options, measure, say, **kw)
    except (RunError, DataSourceError, TrainingError) as e:
        raise CompressError(str(e)) from None
    except ModelInvalidError as e:
        raise CompressError("the model has problems: "
                            + "; ".join(str(p) for p in e.problems)) from None
    return report


def _int8_rows(parent: LoadedRun, model: nn.Module, data: DataSet, options: CompressOptions,
               measure: _Measure, say: Callable[[str], None], original: Row, *,
               store: RunStore, runs_dir: Path | None, callbacks: list[Callback]) -> list[Row]:
    from workbench.core.compress import quantize as q

    rows: list[Row] = []
    if options.half:
        t0 = time.monotonic()
        say(f"{options.half} weights")
        half, rounded = q.half_weights(model, options.half)
        trainer, run_dir = derived.start_run(parent, parent.spec, parent.config, data,
                                             relation=options.half, store=store,
                                             name=f"{parent.spec.name} {options.half}",
                                             runs_dir=runs_dir)
        evaluation = evaluate_test(rounded, data)
        derived.finish_untrained(trainer, run_dir, rounded, evaluation,
                                 params=measure.params, seconds=time.monotonic() - t0)
        weights = run_dir / "checkpoints" / "best" / "model.safetensors"
        for w in ("best", "last"):  # the run's weights are the half ones (they load as float)
            q.save_safetensors(run_dir / "checkpoints" / w / "model.safetensors", half)
        row = measure.row(options.half, f"{options.half} weights (for GPUs; size only here)",
                          rounded, params=measure.params, path=weights, run_dir=run_dir,
                          evaluation=evaluation)
        derived.write_compress_json(run_dir, row.to_dict())
        rows.append(row)

    t0 = time.monotonic()
    trainer, run_dir = derived.start_run(parent, parent.spec, parent.config, data,
                                         relation="int8", store=store,
                                         name=f"{parent.spec.name} int8", runs_dir=runs_dir)
    say("exporting to ONNX")
    float_onnx = q.export_float_onnx(run_dir / "model.float.onnx", model, parent.spec,
                                     parent.meta.to_dict())
    original.latency_onnx_ms = onnx_latency_ms(float_onnx, measure.x1)
    static = q.has_convolutions(model)
    say(f"quantizing the ONNX model ({'static, calibrated' if static else 'dynamic'} int8)")
    quant = q.onnx_int8(float_onnx, run_dir / "model.int8.onnx", data, static=static)
    inputs = sample_batch(data, min(VERIFY_SAMPLES, max(1, len(data.test) or len(data.train))))
    agreement = q.verify_onnx(float_onnx, quant.int8_path, inputs.numpy())
    onnx_eval = evaluate_test(OnnxModule(quant.int8_path), data)
    if any(isinstance(m, q.DYNAMIC_TYPES) for m in model.modules()):
        say("PyTorch dynamic int8")
        qmodel = q.dynamic_int8(model)
        row = measure.row("int8-torch", "int8 dynamic (PyTorch)", qmodel,
                          params=measure.params, path=quant.int8_path, run_dir=run_dir,
                          details={"bytes_note": "torch.save of the quantized state dict"})
        row.bytes = q.serialized_bytes(qmodel)
        row.file = None
        rows.append(row)
    row = measure.row("int8-onnx", f"int8 {quant.mode} (onnxruntime)", None,
                      params=measure.params, path=quant.int8_path, run_dir=run_dir,
                      evaluation=onnx_eval, onnx=quant.int8_path,
                      details={"mode": quant.mode, "top1_agreement": agreement.top1_agreement,
                               "max_abs_diff": agreement.max_abs_diff,
                               "output_scale": agreement.output_scale,
                               "verified_samples": agreement.samples,
                               "float_onnx_bytes": file_bytes(float_onnx), "notes": quant.notes})
    derived.finish_untrained(trainer, run_dir, model, onnx_eval, params=measure.params,
                             seconds=time.monotonic() - t0)
    derived.write_compress_json(run_dir, row.to_dict(), artifact=quant.int8_path.name)
    rows.append(row)
    return rows


def _distill_rows(parent: LoadedRun, model: nn.Module, data: DataSet, options: CompressOptions,
                  measure: _Measure, say: Callable[[str], None], *, store: RunStore,
                  runs_dir: Path | None, callbacks: list[Callback]) -> list[Row]:
    from workbench.core.compress.distill import student_spec
    from workbench.core.engine.distill import Teacher

    try:
        spec = student_spec(parent.spec, options.student, options.width)
    except ValueError as e:
        raise CompressError(str(e)) from None
    config = dataclasses.replace(parent.config, epochs=options.epochs or parent.config.epochs)
    teacher = Teacher(model, options.temperature, options.alpha)
    rows = []
    runs = [("distill", teacher)] + ([("student-alone", None)] if options.baseline else [])
    for method, t in runs:
        parts = _LastParts()
        trainer, run_dir = derived.start_run(
            parent, spec, config, data, relation=method, store=store, runs_dir=runs_dir,
            name=f"{spec.name} {'distilled' if t else 'alone'}", callbacks=[parts, *callbacks],
            teacher=t)
        say(f"training the student {'with the teacher' if t else 'alone'} "
            f"({config.epochs} epochs)")
        ended = trainer.fit()
        if ended.status == "failed":
            raise CompressError(f"training the student failed: {ended.reason}")
        student = trainer.model.cpu().eval()
        label = (f"student ({count_params(student):,} params), distilled T={options.temperature:g}"
                 f" alpha={options.alpha:g}" if t else "the same student trained alone")
        row = measure.row(method, label, student, params=count_params(student),
                          path=run_dir / "checkpoints" / "best" / "model.safetensors",
                          run_dir=run_dir, details={"losses": parts.parts} if t else {})
        derived.write_compress_json(run_dir, row.to_dict())
        rows.append(row)
    model.cpu()
    return rows


def weights_file(run_dir: Path) -> Path:
    best = run_dir / "checkpoints" / "best" / "model.safetensors"
    return best if best.is_file() else run_dir / "checkpoints" / "last" / "model.safetensors"


def load_state(model: nn.Module, state: dict[str, torch.Tensor]) -> None:
    model.load_state_dict({k: v.to(next(iter(model.state_dict().values())).device)
                           for k, v in state.items()})
