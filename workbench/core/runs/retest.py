"""Evaluating a run's checkpoint on demand: a stopped run (which ended before its test) or a
run tested again. The result is written where a finished run's goes (``evaluation.json``)
and its figures into the run history, so the Runs tab and the CLI see it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.core.runs.recorder import evaluation_figures, write_json

if TYPE_CHECKING:
    import torch

    from workbench.core.data import DataSet
    from workbench.core.evaluate import EvaluationResult
    from workbench.core.runs.folders import LoadedRun
    from workbench.core.runs.store import RunStore


def load_run_data(run: LoadedRun) -> DataSet:
    """The run's data set again: the same source, options and seed give the same splits."""
    from workbench.core.data import load_source

    return load_source(run.data_source, seed=run.config.seed, **run.data_options)


def evaluate_run(run: LoadedRun, *, which: str = "best", data: DataSet | None = None,
             device: torch.device | str | None = None, save: bool = True) -> EvaluationResult:
    """Evaluate the run's ``best`` (else ``last``) or ``last`` checkpoint on its test split.
    With ``save``, the result becomes the run's ``evaluation.json`` (noting the checkpoint).
    Raises RunError (no weights) or DataSourceError (the data cannot be loaded)."""
    from workbench.core.evaluate import evaluate

    if run.spec.is_gan:  # samples, latent interpolation and the quality figure
        from workbench.core.generate.images import evaluate_gan_run

        return evaluate_gan_run(run, which=which, data=data, save=save)  # type: ignore[return-value]
    model = run.load_model(which)
    data = data if data is not None else load_run_data(run)
    result = evaluate(model, data, "test", device=device,
                      batch_size=max(256, 2 * run.config.batch_size))
    if save:
        write_json(run.run_dir / "evaluation.json", {**result.to_dict(), "checkpoint": which})
        run.evaluation = result.to_dict()
    return result


def record_evaluation(store: RunStore, run: LoadedRun, result: EvaluationResult) -> None:
    """The test figures into the run history (the Runs table's Test acc column)."""
    accuracy, loss = evaluation_figures(result.to_dict())
    record = run.record or store.find(str(run.info.get("id") or ""))
    if record is not None:
        store.update(record.id, test_accuracy=accuracy, test_loss=loss)
