"""TrainingUI: the Data, Training, Evaluation and Runs tabs wired to one TrainingController
and to the main window's document. ``install_training_ui(window)`` mounts it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QMainWindow, QMessageBox, QTabWidget, QWidget

from workbench.core.engine.events import EvaluationDone, RunEnded, RunStarted
from workbench.core.engine.settings import lower_first
from workbench.ui.data.panel import DataPanel
from workbench.ui.document import ModelDocument
from workbench.ui.evaluation.panel import EvaluationPanel
from workbench.ui.i18n import tr_core, translator
from workbench.ui.plots.live import columns
from workbench.ui.runs.panel import RunsPanel, short_id
from workbench.ui.training.panel import TrainingPanel, tensorboard_available
from workbench.ui.worker import TrainingController

tr = translator("training.session")

if TYPE_CHECKING:
    from workbench.core.data import DataSet
    from workbench.core.engine import Trainer
    from workbench.core.engine.events import Callback
    from workbench.core.graph import ModelSpec
    from workbench.core.runs import RunRecord, RunStore

SHUTDOWN_TIMEOUT = 30.0


def _tensorboard_factory(run_dir: str | Path, trainer: Trainer) -> Callback:
    from workbench.core.export.tensorboard import logger_for

    return logger_for(trainer, Path(run_dir) / "tensorboard")


def _gan_summary(results: dict) -> str:
    if results.get("task") == "reconstruction":
        loss = results.get("loss")
        return ("Autoencoder tested: reconstruction loss "
                + (f"{loss:.4g}" if isinstance(loss, float) else "-")
                + "; reconstructions.png and worst_reconstructions.png are in the run folder")
    q = results.get("quality") or {}
    text = "GAN trained: samples.png is in the run folder"
    if q.get("confident_share") is not None:
        text += (f"; {100 * q['confident_share']:.1f} % of samples recognised with confidence "
                 f">= 0.9, {q.get('classes_present')} of {q.get('classes')} classes")
    return text


class TrainingUI(QObject):
    """Owns the panels and the controller; ``confirm_close()`` is the window's close hook."""

    def __init__(self, window: QMainWindow, document: ModelDocument | None = None, *,
                 runs_dir: str | Path | None = None, store: RunStore | None = None) -> None:
        super().__init__(window)
        self.window = window
        document = document if document is not None else getattr(window, "document", None)
        assert isinstance(document, ModelDocument), "the training tabs edit a ModelDocument"
        self.document: ModelDocument = document
        self.controller = TrainingController(self, runs_dir=runs_dir)
        self.data_panel = DataPanel(self.document)
        self.training_panel = TrainingPanel(self.controller, self.document)
        self.evaluation_panel = EvaluationPanel()
        self.runs_panel = RunsPanel(store)
        from workbench.ui.sweep import SweepView

        self.sweep_view = SweepView(self.document, runs_dir=runs_dir)
        self.sweep_view.open_model.connect(self.open_model)
        self.sweep_view.prepare = self._prepare_sweep
        self.sweep_view.message.connect(self.show_message)
        self.sweep_view.sweep_finished.connect(lambda _e: self.runs_panel.refresh(defer=True))
        self.plots = self.training_panel.plots
        self.run_data: DataSet | None = None
        self.run_dir: str | None = None
        self.ask_before_close = True

        tp, dp = self.training_panel, self.data_panel
        tp.run_requested.connect(self.start_training)
        tp.form.valid_changed.connect(lambda name, value: name == "seed" and dp.set_seed(value))
        dp.set_seed(tp.config().seed)
        dp.loaded.connect(lambda data: tp.set_data_kind(getattr(data, "kind", None)))
        dp.source_changed.connect(tp.preset_note.source_chosen)  # e.g. text: the text preset
        tp.preset_note.source_chosen(dp.source_string())
        dp.mismatches_changed.connect(lambda _: tp.set_data_problem(dp.problem_text()))
        dp.mismatches_changed.connect(self.publish_data_problems)
        self.controller.started.connect(self._on_started)
        self.controller.events.connect(self._on_events)
        self.controller.finished.connect(self._on_finished)
        self.controller.failed.connect(lambda _: self._on_ended())
        self.runs_panel.overlay_requested.connect(self.overlay_runs)
        self.runs_panel.open_model.connect(self.open_model)
        self.runs_panel.fine_tune.connect(self.fine_tune_from)
        self.runs_panel.continue_run.connect(self.continue_run)
        self.runs_panel.show_evaluation.connect(self.show_run_evaluation)
        self.runs_panel.resume_requested.connect(self.resume_training)
        self.evaluation_panel.evaluated.connect(self._on_evaluated)
        for panel in (tp, dp, self.evaluation_panel, self.runs_panel):
            panel.message.connect(self.show_message)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # -- training -----------------------------------------------------------------------
    def _prepare_sweep(self) -> None:
        """A sweep trains on the Data tab's choice with the Training tab's settings."""
        from workbench.core.workspace import DataChoice

        workspace = self.document.workspace
        if workspace is None:
            return
        config = self.training_panel.config()
        problems = config.validate()
        if problems:
            raise ValueError("; ".join(problems))
        dp = self.data_panel
        workspace.set_config(config)
        workspace.set_data(DataChoice(dp.source_string(), dp.options()))

    def start_training(self) -> bool:
        """Train the workspace's model on the data panel's choice with the panel's settings:
        both go into the workspace, whose analysis (at this batch size) goes with the run."""
        from workbench.core.workspace import DataChoice

        tp, dp = self.training_panel, self.data_panel
        if self.controller.is_running:
            return False
        workspace = self.document.workspace
        if workspace is None:
            tp.show_error(tr("Training could not start"), tr("There is no model to train."))
            return False
        config = tp.config()
        problems = config.validate()
        if problems:
            tp.show_error(tr("Training could not start"),
                          "; ".join([problems[0], *map(lower_first, problems[1:])]) + ".")
            return False
        choice = DataChoice(dp.source_string(), dp.options())
        if dp.source_name and choice.needs_path:
            tp.show_error(tr("Training could not start"),
                          tr("Choose the data's path on the Data tab first."))
            return False
        workspace.set_config(config)
        workspace.set_data(choice)
        if not workspace.analysis.ok:
            tp.show_error(tr("Training could not start"), "; ".join(
                tr_core("problems", str(p)) for p in workspace.analysis.errors[:3]))
            return False
        dp.set_seed(config.seed)
        data = dp.current_dataset()
        if data is not None and dp.mismatches:
            tp.show_error(tr("The data do not fit the model"), dp.problem_text() or "")
            return False
        factories = [_tensorboard_factory] if (tp.tensorboard.isChecked()
                                               and tensorboard_available()) else []
        tp.run_starting()
        self.run_data = data
        self.run_dir = None
        self.evaluation_panel.clear()
        self.controller.start(workspace.whole_spec.copy(), workspace.data.source, workspace.config,
                              workspace.data.load_options(), data=data,
                              callback_factories=factories, analysis=workspace.analysis,
                              initial=workspace.initial_weights,
                              frozen=workspace.frozen_layers())
        return True

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

    def _on_started(self, run_dir: str) -> None:
        self.run_dir = run_dir
        worker = self.controller.worker
        if worker is not None:
            self.run_data = worker.data if worker.data is not None else self.run_data
            if self.data_panel.dataset is None and self.run_data is not None:
                self.data_panel.set_dataset(self.run_data, defer=True)
            for w in worker.warnings:
                self.show_message(w)
        self.runs_panel.busy_run_dirs = {run_dir}
        self.runs_panel.refresh(defer=True)

    def _on_events(self, events: list) -> None:
        from workbench.core.evaluate import EvaluationResult

        for e in events:
            if isinstance(e, EvaluationDone) and e.results.get("task") in ("gan",
                                                                           "reconstruction"):
                # no classes to score: the figures and the pictures from the run folder
                self.evaluation_panel.show_pictures(e.results, self.run_dir)
                self.show_message(_gan_summary(e.results))
            elif isinstance(e, EvaluationDone):
                self.evaluation_panel.show_results(EvaluationResult.from_dict(e.results),
                                                   self.run_data, self.run_dir)
                self.show_message(tr("Evaluation ready on the Evaluation tab"))
            elif isinstance(e, RunStarted):
                self.evaluation_panel.clear()
                if e.notes:  # what the start weights gave and what is frozen
                    self.show_message(" · ".join(e.notes))

    def _on_finished(self, result: RunEnded) -> None:
        if self.run_dir is not None:
            self.evaluation_panel.set_run(self.run_dir)
            if result.status == "stopped" and self.evaluation_panel.results is None \
                    and result.checkpoint:
                self.evaluation_panel.offer_evaluation(
                    self.run_dir, tr("The run stopped before its test: its best checkpoint can "
                                    "be tested now."))
        self._on_ended()

    def _on_ended(self) -> None:
        self.runs_panel.busy_run_dirs = set()
        self.runs_panel.refresh(defer=True)

    def publish_data_problems(self, mismatches: list) -> None:
        """The data's misfits on the canvas (on their layer) and in the Problems panel, with
        the one-click fix as a button there: the window's panels, when it has them."""
        from workbench.core.graph import Problem

        problems, fixes = [], {}
        for m in mismatches:
            p = Problem(m.message, m.node, severity="warning")
            problems.append(p)
            if m.fixable:
                fixes[p] = (m.fix_label, lambda m=m: self.data_panel.apply_fix(m))
        scene = getattr(self.window, "scene", None)
        if callable(getattr(scene, "set_extra_problems", None)):
            scene.set_extra_problems(problems)
        panel = getattr(self.window, "problems", None)
        if callable(getattr(panel, "set_extra_problems", None)):
            panel.set_extra_problems(problems, fixes)

    # -- runs -------------------------------------------------------------------------------
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

    # -- window -----------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        bar = self.window.statusBar() if hasattr(self.window, "statusBar") else None
        if bar is not None:
            bar.showMessage(text, 10000)

    def confirm_close(self) -> bool:
        """Ask before closing during training; if the user agrees, stop the run and wait for
        its thread. Returns True when the window may close."""
        if self.controller.is_running:
            if self.ask_before_close:
                answer = QMessageBox.question(
                    self.window, tr("Training in progress"),
                    tr("A model is training. Stop the run and close?\n\n"
                    "The run keeps its last checkpoint."),
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                    QMessageBox.StandardButton.Cancel)
                if answer != QMessageBox.StandardButton.Yes:
                    return False
            self.window.statusBar().showMessage(tr("Stopping the run…"))
            if not self.controller.shutdown(SHUTDOWN_TIMEOUT):
                QMessageBox.warning(self.window, tr("Training did not stop"),
                                    tr("The run did not stop in time; try again."))
                return False
        self.shutdown()
        return True

    def shutdown(self) -> None:
        """Stop everything that runs in a thread (idempotent)."""
        self.controller.shutdown(SHUTDOWN_TIMEOUT)
        self.sweep_view.shutdown(SHUTDOWN_TIMEOUT)
        self.data_panel.shutdown()
        self.evaluation_panel.shutdown()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.window and event.type() == QEvent.Type.Close:
            if not self.confirm_close():
                event.ignore()
                return True
        return False


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
