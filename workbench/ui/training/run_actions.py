"""What the TrainingUI does with runs from the history (the Runs tab's actions): continue or
resume one, fine-tune from one, overlay their curves, open a run's model, show or make its
evaluation."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMainWindow, QTabWidget, QWidget

from workbench.ui.document import ModelDocument
from workbench.ui.i18n import translator
from workbench.ui.plots.live import columns
from workbench.ui.runs.panel import RunsPanel, short_id
from workbench.ui.worker import TrainingController

tr = translator("training.session")  # the session's context: its translations stay as they were

if TYPE_CHECKING:
    from workbench.core.data import DataSet
    from workbench.core.graph import ModelSpec
    from workbench.core.runs import RunRecord
    from workbench.ui.evaluation.panel import EvaluationPanel
    from workbench.ui.training.panel import TrainingPanel


class RunActions:
    """Part of the TrainingUI (its panels and controller are set in its ``__init__``)."""

    window: QMainWindow
    document: ModelDocument
    controller: TrainingController
    training_panel: TrainingPanel
    evaluation_panel: EvaluationPanel
    runs_panel: RunsPanel
    run_data: DataSet | None
    run_dir: str | None

    def continue_run(self, run_dir: str, epochs: int | None = None) -> bool:
        """Train a stopped, interrupted or finished run on to ``epochs`` in all (its own
        total when None), exactly from its last checkpoint (``--resume``); its curves go on
        where they ended."""
        from workbench.core.runs import open_run

        if self.controller.is_running:
            self.show_message("A run is training: continue this one when it ends.")
            return False
        store = self.runs_panel.store
        try:
            run = open_run(run_dir, store)
        except Exception as exc:  # noqa: BLE001
            self.show_message(f"Cannot continue the run: {exc}")
            return False
        if epochs is not None and run.record and run.record.status == "finished" \
                and epochs <= run.record.epochs_done:
            self.show_message(f"The run has trained {run.record.epochs_done} epoch(s) already: "
                              "give more epochs to continue it.")
            return False
        tp = self.training_panel
        tp.run_starting()
        self._replay(run)
        self.run_data = None
        self.run_dir = str(run.run_dir)
        self.evaluation_panel.clear()
        self.controller.start(run.spec, run.data_source, run.config, run.data_options,
                              resume_dir=str(run.run_dir), epochs=epochs)
        target = f"to epoch {epochs}" if epochs is not None else "to its planned end"
        self.show_message(f"Continuing run {short_id(run.record.id if run.record else '')} "
                          f"{target}")
        return True

    def _replay(self, run) -> None:
        """The run's recorded curves on the plots, so that the continued run extends them."""
        from workbench.core.engine.events import EpochEnd, StepMetrics

        plots = self.plots
        plots.reset()
        if run.record is None:
            return
        store = self.runs_panel.store
        steps = [StepMetrics(int(r["step"]), int(r["epoch"]), 0.0, r["loss"], r["accuracy"],
                             r["lr"] or 0.0, r["samples_per_sec"] or 0.0, 0.0)
                 for r in store.step_metrics(run.record.id)]
        epochs = [EpochEnd(int(r["epoch"]), int(r["step"]), r["train_loss"],
                           r["train_accuracy"], r["val_loss"], r["val_accuracy"],
                           r["seconds"] or 0.0, False)
                  for r in store.epoch_metrics(run.record.id)]
        plots.add_events([*steps, *epochs])

    def fine_tune_from(self, source: str) -> bool:
        """A run's (or bundle's) model on the canvas with its trained weights attached."""
        from workbench.core.finetune import FineTuneError, read_weights
        from workbench.core.finetune.sources import source_spec

        try:
            weights = read_weights(source, self.runs_panel.store)
            spec = source_spec(source, self.runs_panel.store)
        except FineTuneError as exc:
            self.show_message(f"Cannot fine-tune from it: {exc}")
            return False
        if not self.open_model(spec):
            return False
        assert self.document.workspace is not None
        self.document.workspace.attach_weights(weights)
        self.show_message(f"{spec.name} is on the canvas with the weights of "
                          f"{Path(weights.origin).name}: change the head or the data, freeze "
                          "layers, and train")
        return True

    def resume_training(self, run_dir: str) -> bool:
        """Continue a stopped, failed or interrupted run to its planned epochs."""
        if not self.continue_run(run_dir, None):
            return False
        show_tab(self.training_panel)
        return True

    def overlay_runs(self, records: list[RunRecord]) -> None:
        runs = []
        for r in records:
            if self.run_dir is not None and str(r.run_dir) == str(self.run_dir):
                continue  # the latest run is already drawn as "train" / "validation"
            try:
                steps = self.runs_panel.store.step_metrics(r.id)
                epochs = self.runs_panel.store.epoch_metrics(r.id)
            except Exception as exc:  # noqa: BLE001
                self.show_message(tr("Cannot read the metrics of {}: {}").format(r.id, exc))
                continue
            runs.append((r.id, tr("run {}").format(short_id(r.id)), columns(steps), columns(epochs)))
        self.plots.set_overlays(runs)

    def open_model(self, spec: ModelSpec) -> bool:
        """Put a run's model on the canvas, after the window's unsaved-changes question."""
        maybe_save = getattr(self.window, "maybe_save", None)
        if callable(maybe_save) and not maybe_save():
            return False
        try:
            if callable(getattr(self.window, "open_spec", None)):
                self.window.open_spec(spec)
            else:
                self.document.load_spec(spec, None)
        except Exception as exc:  # noqa: BLE001
            self.show_message(tr("Cannot open the model: {}").format(exc))
            return False
        self.show_message(tr("Opened {} from the run").format(getattr(spec, "name", "")))
        return True

    def show_run_evaluation(self, run_dir: str) -> None:
        """A run's evaluation on the Evaluation tab: the stored one (its samples loaded again
        when this session no longer holds the data), else its best checkpoint tested now."""
        from workbench.core.evaluate import EvaluationResult
        from workbench.core.runs import open_run

        try:
            run = open_run(run_dir, self.runs_panel.store)
        except Exception as exc:  # noqa: BLE001
            self.show_message(tr("Cannot open the run: {}").format(exc))
            return
        if run_dir in self.runs_panel.busy_run_dirs:
            self.show_message(tr("This run is still training: it is tested when it ends."))
            return
        panel = self.evaluation_panel
        if run.evaluation:
            data = self.run_data if run_dir == self.run_dir else None
            panel.show_results(EvaluationResult.from_dict(run.evaluation), data, run_dir)
        elif not any((run.run_dir / "checkpoints").glob("*/model.safetensors")):
            self.show_message(tr("This run has no evaluation and no saved weights to test."))
            return
        else:
            panel.evaluate_run(run_dir)
            self.show_message(tr("Testing the run's best checkpoint…"))
        show_tab(panel)

    def _on_evaluated(self, run_dir: str, result: object) -> None:
        """An on-demand evaluation is in: into the run history, and the Runs table."""
        from workbench.core.evaluate import EvaluationResult
        from workbench.core.runs import open_run, record_evaluation

        assert isinstance(result, EvaluationResult)
        try:
            record_evaluation(self.runs_panel.store, open_run(run_dir, self.runs_panel.store),
                              result)
        except Exception as exc:  # noqa: BLE001 - the result is shown all the same
            self.show_message(tr("The evaluation could not be recorded: {}").format(exc))
        self.runs_panel.refresh(defer=True)
        self.show_message(tr("Evaluation ready on the Evaluation tab"))


def show_tab(panel: QWidget) -> None:
    """Bring the tab holding ``panel`` to the front, whatever tab widget holds it."""
    w: QWidget | None = panel
    while w is not None:
        parent = w.parentWidget()
        if isinstance(parent, QTabWidget):
            parent.setCurrentWidget(w)
            return
        if parent is not None and isinstance(parent.parentWidget(), QTabWidget):
            parent.parentWidget().setCurrentWidget(w)
            return
        w = parent
