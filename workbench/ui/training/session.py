"""TrainingUI: the Data, Training, Evaluation and Runs tabs wired to one TrainingController
and to the main window's document. ``install_training_ui(window)`` mounts it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QMainWindow, QMessageBox

from workbench.core.engine.events import EvaluationDone, RunEnded, RunStarted
from workbench.core.engine.settings import lower_first
from workbench.ui.data.panel import DataPanel
from workbench.ui.document import ModelDocument
from workbench.ui.evaluation.panel import EvaluationPanel
from workbench.ui.i18n import tr_core, translator
from workbench.ui.runs.panel import RunsPanel
from workbench.ui.training.panel import TrainingPanel, tensorboard_available
from workbench.ui.training.run_actions import RunActions
from workbench.ui.worker import TrainingController

tr = translator("training.session")

if TYPE_CHECKING:
    from workbench.core.data import DataSet
    from workbench.core.engine import Trainer
    from workbench.core.engine.events import Callback
    from workbench.core.runs import RunStore

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


class TrainingUI(RunActions, QObject):
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
