"""The Training tab's report of a run: progress bar and line from the run's events, the GAN
or reconstruction view, a language model's text sample, the end summary, and errors shown
inline, in the status bar and in a message box that does not block."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QPlainTextEdit, QProgressBar, QWidget

from workbench.core.engine.events import (
    EpochEnd,
    EvaluationDone,
    RunEnded,
    RunStarted,
    StepMetrics,
    TextSample,
)
from workbench.ui.document import ModelDocument
from workbench.ui.i18n import tr_noop, translator
from workbench.ui.plots import LivePlots
from workbench.ui.plots.gan_view import GanView
from workbench.ui.units import fmt_duration
from workbench.ui.worker import TrainingController

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

tr = translator("training.panel")  # the panel's context: its translations stay as they were

END_TITLES = {"finished": tr_noop("Training finished"), "stopped": tr_noop("Training stopped"),
              "early_stopped": tr_noop("Stopped early"), "failed": tr_noop("Training failed")}


class RunProgress:
    """Part of the TrainingPanel (a QWidget; its widgets are built in its ``__init__``)."""

    controller: TrainingController
    document: ModelDocument | None
    message: SignalInstance
    plots: LivePlots
    gan_view: GanView
    progress: QProgressBar
    progress_label: QLabel
    start_notes: QLabel
    status_label: QLabel
    sample_box: QWidget
    sample_title: QLabel
    sample_view: QPlainTextEdit
    message_box: QMessageBox | None
    show_dialogs: bool
    _total_steps: int
    _epochs: int
    _steps_per_epoch: int
    _last_result: RunEnded | None

    def run_starting(self) -> None:
        """Called just before the controller starts: clear the last run's traces."""
        self.clear_status()
        self.start_notes.hide()
        self.plots.reset()
        workspace = self.document.workspace if self.document is not None else None
        self.gan_view.reset()
        gan = workspace is not None and workspace.document is not None
        # a model ending in an Image output (an autoencoder) shows its reconstructions
        images = workspace is not None and not gan and any(
            n.kind == "ImageOutput" for n in workspace.spec.nodes)
        self.gan_view.set_grid_only(images, "Originals and reconstructions appear here")
        self.gan_view.setVisible(gan or images)
        self.progress.setRange(0, 0)  # busy until RunStarted says how many steps
        self.progress_label.setText(tr("Preparing…"))
        self._last_result = None

    def _on_preparing(self, fraction: float, text: str) -> None:
        self.progress_label.setText(text or tr("Preparing…"))

    def handle_events(self, events: list) -> None:
        self.plots.add_events(events)
        if self.gan_view.isVisible():
            self.gan_view.add_events(events)
        last_step = None
        for e in events:
            if isinstance(e, RunStarted):
                if not e.start_step:  # a new run: the previous run's text goes
                    self.sample_box.hide()
                self._total_steps = max(1, e.total_steps)
                self._steps_per_epoch = max(1, e.steps_per_epoch)
                self._epochs = int(e.config.get("epochs", 0)) or math.ceil(
                    e.total_steps / self._steps_per_epoch)
                self.progress.setRange(0, self._total_steps)
                self.progress.setValue(e.start_step)
                self.progress_label.setText(
                    tr("Training on {} · {} training samples · {} parameters · {}").format(
                        e.device, f"{e.train_size:,}", f"{e.params:,}", e.precision))
                self.message.emit(tr("Training started on {}").format(e.device))
                self.start_notes.setText("\n".join(e.notes))
                self.start_notes.setVisible(bool(e.notes))
            elif isinstance(e, StepMetrics):
                last_step = e
            elif isinstance(e, EpochEnd):
                if e.val_accuracy is not None:
                    self.message.emit(tr("Epoch {}: validation accuracy {} %").format(
                        e.epoch + 1, f"{e.val_accuracy * 100:.2f}"))
                elif e.val_loss is not None:
                    self.message.emit(tr("Epoch {}: validation loss {}").format(
                        e.epoch + 1, f"{e.val_loss:.4g}"))
            elif isinstance(e, TextSample):
                self.show_sample(e)
            elif isinstance(e, EvaluationDone):
                self.progress_label.setText(tr("Evaluated on the test split"))
        if last_step is not None:
            s = last_step
            self.progress.setValue(min(s.step, self.progress.maximum()))
            epochs = f"/{self._epochs}" if self._epochs else ""
            steps = f"/{self._total_steps:,}" if self._total_steps else ""
            text = tr("Epoch {} · step {} · {} samples/s · ETA {}").format(
                f"{s.epoch + 1}{epochs}", f"{s.step:,}{steps}", f"{s.samples_per_sec:,.0f}",
                fmt_duration(s.eta_seconds))
            if self.controller.is_paused:
                text += tr(" · paused")
            self.progress_label.setText(text)

    def show_sample(self, sample: TextSample) -> None:
        """The latest epoch's text (the prompt, if any, is part of it)."""
        self.sample_title.setText(f"<b>Sample after epoch {sample.epoch + 1}</b> "
                                  f"(step {sample.step:,})")
        self.sample_view.setPlainText(sample.prompt + sample.text)
        self.sample_box.show()

    def _on_finished(self, result: RunEnded) -> None:
        self._last_result = result
        self.gan_view.flush()
        if self.progress.maximum() == 0:
            self.progress.setRange(0, 1)
        title = tr(END_TITLES.get(result.status, result.status))
        summary = tr("{} after %n epoch(s), {} steps, {}", n=result.epochs_done).format(
            title, f"{result.steps_done:,}", fmt_duration(result.seconds))
        if result.best_val_accuracy is not None:
            summary += tr(" · best validation accuracy {} %").format(
                f"{result.best_val_accuracy * 100:.2f}")
        if result.status == "finished":
            self.progress.setValue(self.progress.maximum())
            self.progress_label.setText(summary)
            self.message.emit(summary)
        elif result.status == "failed":
            self.progress_label.setText(summary)
            self.show_error(title, result.reason or tr("The run failed."))
        else:
            self.progress_label.setText(summary + (f" · {result.reason}" if result.reason else ""))
            self.message.emit(summary)

    def _on_failed(self, message: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress_label.setText(tr("The run could not start"))
        self.show_error(tr("Training could not start"), message)

    # -- messages -------------------------------------------------------------------------
    def show_error(self, title: str, message: str) -> None:
        """Inline (red, stays until the next run), in the status bar, and in a message box
        that does not block (the training thread and the event loop go on)."""
        self.status_label.setText(f"<b>{title}:</b> {_escape(message)}")
        self.status_label.setStyleSheet(
            "QLabel { color: #8a1c1c; background: #fdecea; border: 1px solid #f5c2c0;"
            " border-radius: 3px; padding: 4px; }")
        self.status_label.show()
        self.message.emit(f"{title}: {message}")
        if self.show_dialogs:
            if self.message_box is not None:
                self.message_box.close()
            box = QMessageBox(QMessageBox.Icon.Warning, title, message,
                              QMessageBox.StandardButton.Ok, self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
            box.open()
            self.message_box = box

    def clear_status(self) -> None:
        self.status_label.hide()
        self.status_label.setText("")

    @property
    def status_text(self) -> str:
        return self.status_label.text()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
