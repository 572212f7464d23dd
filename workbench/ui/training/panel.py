"""The Training tab: every TrainingConfig choice, Train / Pause / Resume / Stop, progress, and
the live curves beside them. It drives a TrainingController and holds no ML logic; what it
shows of a run (progress, the end, errors) is ``progress.RunProgress``."""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.core.engine.config import GAN, NETWORK, TrainingConfig
from workbench.core.engine.events import (
    RunEnded,
)
from workbench.ui.document import ModelDocument
from workbench.ui.i18n import tr_core, translator
from workbench.ui.plots import LivePlots
from workbench.ui.plots.gan_view import GanView
from workbench.ui.training.devices import device_choices
from workbench.ui.training.form import SettingsForm
from workbench.ui.training.preset import PresetNote
from workbench.ui.training.progress import RunProgress
from workbench.ui.worker import TrainingController

tr = translator("training.panel")


def tensorboard_available() -> bool:
    try:
        return importlib.util.find_spec("workbench.core.export.tensorboard") is not None
    except (ImportError, ValueError):
        return False


class TrainingPanel(RunProgress, QWidget):
    """Config form + run buttons + progress on the left, live plots on the right."""

    run_requested = Signal()
    message = Signal(str)  # a line for the window's status bar

    def __init__(self, controller: TrainingController, document: ModelDocument | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.document = document
        self.plots = LivePlots()
        self.message_box: QMessageBox | None = None
        self.show_dialogs = True
        self._total_steps = 0
        self._epochs = 0
        self._steps_per_epoch = 0
        self._last_result: RunEnded | None = None
        self._model_problems: list[str] = []
        self._data_problem: str | None = None

        self.form = SettingsForm(TrainingConfig, choices={"device": device_choices})
        self.tensorboard = QCheckBox(tr("Write TensorBoard logs"))
        if not tensorboard_available():
            self.tensorboard.setEnabled(False)
            self.tensorboard.setToolTip(tr("TensorBoard export is not available in this build"))
        else:
            self.tensorboard.setToolTip(tr("Event files in the run folder's tensorboard/ folder"))
        self.form.add_extra("Run", self.tensorboard, lockable=tensorboard_available())
        self.form.valid_changed.connect(self._on_setting_changed)
        self.form.changed.connect(self._update_buttons)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(300)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.preset_note = PresetNote(self.form)  # the settings that suit the chosen data
        left_layout.addWidget(self.preset_note)
        left_layout.addWidget(scroll, 1)
        left_layout.addWidget(self._build_controls())

        # a GAN's own view (losses of both networks, D(x), D(G(z)), live samples) above the
        # usual plots, shown for GAN runs only
        self.gan_view = GanView()
        self.gan_view.hide()
        # a language model's text after each epoch, under the curves (hidden until then)
        self.sample_title = QLabel(tr("Sample"))
        self.sample_view = QPlainTextEdit()
        self.sample_view.setReadOnly(True)
        self.sample_view.setObjectName("text_sample")
        self.sample_view.setToolTip(tr("What the model writes after each epoch (temperature 0.8, "
                                       "the same seed every time)"))
        sample_box = QWidget()
        sample_layout = QVBoxLayout(sample_box)
        sample_layout.setContentsMargins(6, 2, 6, 2)
        sample_layout.addWidget(self.sample_title)
        sample_layout.addWidget(self.sample_view)
        self.sample_box = sample_box
        sample_box.hide()
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.gan_view)
        right.addWidget(self.plots)
        right.addWidget(sample_box)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        controller.running_changed.connect(self._update_buttons)
        controller.paused_changed.connect(self._on_paused)
        controller.events.connect(self.handle_events)
        controller.preparing.connect(self._on_preparing)
        controller.finished.connect(self._on_finished)
        controller.failed.connect(self._on_failed)
        if document is not None:
            document.changed.connect(self._on_document_changed)
            document.loaded.connect(self._show_model_settings)
            if document.workspace is not None:
                self.form.set_config(document.workspace.config)  # the workspace holds them
            self._show_model_settings()
        self.refresh_model_state()
        self._update_buttons()

    def __getattr__(self, name: str) -> Any:
        """A setting's editor by its field name (``panel.lr``, ``panel.epochs``)."""
        form = self.__dict__.get("form")
        if form is not None and name in form.widgets:
            return form.widget(name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    # -- building -----------------------------------------------------------------------
    def _build_controls(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        v.setContentsMargins(6, 4, 6, 6)
        row = QHBoxLayout()
        self.train_button = QPushButton(tr("Train"))
        self.train_button.setDefault(True)
        self.train_button.clicked.connect(self.run_requested)
        self.pause_button = QPushButton(tr("Pause"))
        self.pause_button.clicked.connect(self.controller.pause)
        self.resume_button = QPushButton(tr("Resume"))
        self.resume_button.clicked.connect(self.controller.resume)
        self.stop_button = QPushButton(tr("Stop"))
        self.stop_button.clicked.connect(self._stop_clicked)
        for b in (self.train_button, self.pause_button, self.resume_button, self.stop_button):
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            row.addWidget(b)
        v.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.progress.setFormat("%p%")
        v.addWidget(self.progress)
        self.progress_label = QLabel(tr("Ready"))
        self.progress_label.setWordWrap(True)
        # room for two lines from the start: the splitter holding this panel does not grow
        # it when a long line wraps, and the second line ("ETA 0:08") was cut off
        lines = self.progress_label.fontMetrics().lineSpacing()
        self.progress_label.setMinimumHeight(2 * lines + 2)
        self.progress_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        v.addWidget(self.progress_label)
        # fine-tuning: which layers got the start weights, which start fresh, which froze
        self.start_notes = QLabel("")
        self.start_notes.setWordWrap(True)
        self.start_notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.start_notes.hide()
        v.addWidget(self.start_notes)
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.hide()
        v.addWidget(self.status_label)
        return w

    # -- config -------------------------------------------------------------------------
    def config(self) -> TrainingConfig:
        """The settings as the next run gets them (the form's ``problems`` say what is off)."""
        return self.form.config()

    def set_config(self, config: TrainingConfig) -> None:
        """Fill the form from a config (e.g. an earlier run's)."""
        self.form.set_config(config)

    def reload_devices(self) -> None:
        self.form.reload_choices("device")

    def set_data_kind(self, kind: str | None) -> None:
        """Augmentation applies to images only."""
        self.form.set_unavailable("augment", None if kind in (None, "image")
                                  else tr("Augmentation applies to image data only"))

    def _show_model_settings(self) -> None:
        """A GAN's settings (two learning rates, betas, its loss) for a GAN only; for a GAN,
        the one-network settings it does not use (optimizer, schedule, loss...) are hidden."""
        workspace = self.document.workspace if self.document is not None else None
        if workspace is not None:
            gan = workspace.document is not None
            if gan and self.form.model_kind != GAN:  # a GAN comes: its rates in view
                self.form.sections["GAN"].set_expanded(True)
            self.form.set_model_kind(GAN if gan else NETWORK)

    def _on_setting_changed(self, name: str, value: Any) -> None:
        """Each allowed value goes into the workspace as it is set: its analysis (validity at
        this batch size, the memory figure for this optimizer) follows the form."""
        workspace = self.document.workspace if self.document is not None else None
        if workspace is not None and getattr(workspace.config, name, value) != value:
            workspace.set_config(replace(workspace.config, **{name: value}))

    # -- model state --------------------------------------------------------------------
    def _on_document_changed(self, *args: Any) -> None:
        self.refresh_model_state()

    def refresh_model_state(self) -> None:
        analysis = getattr(self.document, "analysis", None) if self.document is not None else None
        problems: list[str] = []
        if analysis is not None and not analysis.ok:
            problems = [str(p) for p in analysis.errors] or ["the model has errors"]
        self._model_problems = problems
        self._update_buttons()

    def set_data_problem(self, problem: str | None) -> None:
        """A data/model mismatch found by the data panel (None when they fit)."""
        self._data_problem = problem
        self._update_buttons()

    # -- buttons --------------------------------------------------------------------------
    def _update_buttons(self, *args: Any) -> None:
        running = self.controller.is_running
        paused = self.controller.is_paused
        blocked = self._model_problems
        unsettled = [str(p) for p in self.form.problems.values()]
        self.train_button.setEnabled(not running and not blocked and not unsettled)
        if blocked or unsettled:
            first = tr("Fix the model first:") if blocked else \
                tr("Fix the training settings first:")
            lines = "\n".join(f"• {tr_core('problems', p)}" for p in (blocked or unsettled)[:5])
            more = "\n" + tr("… and %n more", n=len(blocked) - 5) if len(blocked) > 5 else ""
            self.train_button.setToolTip(f"{first}\n{lines}{more}")
        elif running:
            self.train_button.setToolTip(tr("A run is in progress"))
        elif self._data_problem:
            self.train_button.setToolTip(tr("Warning: {}").format(self._data_problem))
        else:
            self.train_button.setToolTip(tr("Train the model on the chosen data"))
        self.pause_button.setEnabled(running and not paused)
        self.resume_button.setEnabled(running and paused)
        self.stop_button.setEnabled(running)
        self.form.set_locked(running)

    def _on_paused(self, paused: bool) -> None:
        self._update_buttons()
        if paused:
            self.progress_label.setText(self.progress_label.text() + tr(" · paused"))

    def _stop_clicked(self) -> None:
        self.controller.stop()
        self.progress_label.setText(tr("Stopping after this batch…"))
