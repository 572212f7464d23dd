"""The Workspace: the app's state as a plain object, and the model rules that change it.

It holds the model (a ModelSpec with its name and description), the TrainingConfig, the data
choice, and one Analysis of the model at the configured batch size and optimizer, kept
current after every change. The desktop app wraps it (``ui/document.py`` turns the listener
hooks below into Qt signals, ``ui/commands.py`` puts each Edit on a QUndoStack); the CLI and
tests drive it directly. Nothing here imports Qt.

State beside the graph (one home each, keyed by layer name and kept in step with renames by
``_follow_rename``; a deleted layer's entries stay, so that undo brings them back, and
training reads only the layers present), saved with the model (``save``, see ``tuning``):
- initial weights for fine-tuning: ``initial_weights`` (tensors by layer, and their origin),
  or ``missing_weights`` when the origin a saved model names cannot be read;
- per-layer freeze flags: ``frozen`` (names of layers whose parameters do not train);
- a second graph (a GAN's generator and discriminator): ``document`` holds both, ``spec``
  is the one on the canvas; edits carry the spec they change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.engine.config import TrainingConfig
from workbench.core.finetune.weights import InitialWeights
from workbench.core.graph import Analysis, ModelSpec, Node, analyze
from workbench.core.workspace import rules
from workbench.core.workspace.data import DataChoice
from workbench.core.workspace.edits import Edit, Pos
from workbench.core.workspace.fit import Mismatch, check_data
from workbench.core.workspace.graph_edits import ROW, EditError, GraphEdits
from workbench.core.workspace.tuning import FineTuningState, MissingWeights

__all__ = ["BLANK_NAME", "ROW", "EditError", "InitialWeights", "MissingWeights", "Workspace",
           "WorkspaceListener"]

if TYPE_CHECKING:
    from workbench.core.data import DataSet
    from workbench.core.engine import Trainer
    from workbench.core.engine.events import Callback

BLANK_NAME = "Untitled model"


class WorkspaceListener:
    """What a view learns from a workspace; every hook is empty by default."""

    def on_loaded(self) -> None:
        """A different model replaced the previous one (new, open, restore)."""

    def on_model_changed(self, analysis: Analysis) -> None:
        """After every edit, undo and redo, and when the analysis settings change."""

    def on_renamed(self, old: str, new: str) -> None:
        """A layer was renamed (views keyed by name keep their selection)."""

    def on_config_changed(self, config: TrainingConfig) -> None:
        """The training settings changed."""

    def on_data_changed(self, data: DataChoice) -> None:
        """A different data source or different options were chosen."""

    def on_weights_changed(self) -> None:
        """Start weights were attached or detached (not on load: on_loaded says that)."""



class Workspace(GraphEdits, FineTuningState):
    """``Workspace(spec)``; edit with the methods below, GraphEdits' and FineTuningState's
    (each returns its applied Edit), read ``analysis``; subscribe a WorkspaceListener to hear
    about changes."""

    def __init__(self, spec: ModelSpec | None = None, config: TrainingConfig | None = None,
                 data: DataChoice | None = None, store: Any = None) -> None:
        # A GAN document: ``document`` holds both graphs, ``spec`` is the one being edited
        # (the same object as in ``document.parts``, so edits land in the document).
        self.document: ModelSpec | None = None
        self.part: str | None = None
        self.spec = self._open(spec if spec is not None else ModelSpec(name=BLANK_NAME))
        self.config = config or TrainingConfig()
        self.data = (data or DataChoice()).absolute()
        self.automatic_name: str | None = self.whole_spec.name if spec is None else None
        self.initial_weights: InitialWeights | None = None
        self.missing_weights: MissingWeights | None = None
        self.frozen: set[str] = set()
        self._take_fine_tuning(self.whole_spec, store)
        self._listeners: list[WorkspaceListener] = []
        self.analysis = self._analyze()

    # -- listeners ----------------------------------------------------------------------------
    def subscribe(self, listener: WorkspaceListener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: WorkspaceListener) -> None:
        self._listeners = [x for x in self._listeners if x is not listener]

    def _tell(self, hook: str, *args: Any) -> None:
        for listener in list(self._listeners):
            getattr(listener, hook)(*args)

    # -- the whole state ----------------------------------------------------------------------
    def load(self, spec: ModelSpec, *, automatic_name: bool = False, store: Any = None
             ) -> None:
        """Replace the model, with the frozen layers and start weights it was saved with.
        ``automatic_name``: its name was given, not chosen (a template's or a blank model's),
        so saving it may name it after its file."""
        self.spec = self._open(spec)
        self.automatic_name = spec.name if automatic_name else None
        self._take_fine_tuning(spec, store)
        self.analysis = self._analyze()
        self._tell("on_loaded")
        self._tell("on_model_changed", self.analysis)

    def _open(self, spec: ModelSpec) -> ModelSpec:
        """The graph to edit: a GAN document's generator first, else the spec itself."""
        if spec.is_gan:
            from workbench.core.graph.gan import GENERATOR

            self.document, self.part = spec, GENERATOR
            return spec.parts[GENERATOR]
        self.document, self.part = None, None
        return spec

    @property
    def whole_spec(self) -> ModelSpec:
        """What is saved and trained: the GAN document, or the one graph."""
        return self.document if self.document is not None else self.spec

    def switch_part(self, part: str) -> None:
        """Edit the other graph of a GAN document ("generator" or "discriminator"). The
        history of edits is kept: each edit undoes in the graph it was made in."""
        if self.document is None or part == self.part:
            return
        self.spec, self.part = self.document.part(part), part
        self.analysis = self._analyze()
        self._tell("on_loaded")
        self._tell("on_model_changed", self.analysis)

    def show_part(self, part: str | None) -> None:
        """Put ``part`` on the canvas when it is another graph of this document (an edit
        about to be undone or redone there)."""
        if part is not None and self.document is not None and part in self.document.parts:
            self.switch_part(part)

    def new_blank(self) -> None:
        self.load(ModelSpec(name=BLANK_NAME), automatic_name=True)

    @property
    def has_automatic_name(self) -> bool:
        return self.automatic_name is not None and self.whole_spec.name == self.automatic_name

    def set_config(self, config: TrainingConfig) -> None:
        """New training settings; the analysis follows the batch size and optimizer."""
        if config == self.config:
            return
        old, self.config = self.config, config
        self._tell("on_config_changed", config)
        if (old.batch_size, old.optimizer) != (config.batch_size, config.optimizer):
            self.reanalyze()

    def set_batch_size(self, batch: int) -> None:
        self.set_config(replace(self.config, batch_size=max(1, int(batch))))

    def set_optimizer(self, name: str) -> None:
        self.set_config(replace(self.config, optimizer=name))  # type: ignore[arg-type]

    def set_data(self, data: DataChoice) -> None:
        data = data.absolute()
        if data != self.data:
            self.data = data
            self._tell("on_data_changed", data)

    def reanalyze(self) -> Analysis:
        self.analysis = self._analyze()
        self._tell("on_model_changed", self.analysis)
        return self.analysis

    def _analyze(self) -> Analysis:
        analysis = analyze(self.spec, self.config.batch_size, self.config.optimizer)
        if self.document is not None:  # the rules joining the two graphs, on this canvas too
            from workbench.core.graph.gan import analyze_gan
            from workbench.core.graph.problems import Problem

            gan = analyze_gan(self.document, self.config.batch_size, self.config.optimizer)
            analysis.problems.extend(p if part == self.part else Problem(p.message, None, None,
                                                                         p.severity)
                                     for part, p in gan.joint)
        return analysis

    def edited(self, edit: Edit) -> None:
        """Called by every edit after it changed the model (done, undone or redone)."""
        renamed = edit.renamed
        if renamed is not None:
            self._follow_rename(*renamed)
            self._tell("on_renamed", *renamed)
        self.reanalyze()

    def _follow_rename(self, old: str, new: str) -> None:
        self._follow_fine_tuning_rename(old, new)

    # -- saving -----------------------------------------------------------------------------
    def to_json(self) -> str:
        """The saved document: the model (both graphs of a GAN) with its frozen layers and
        where its start weights come from."""
        return self.saved_spec(self.whole_spec).to_json()

    def save(self, path: str | Path) -> None:
        """Write the document atomically (what ``to_json`` says)."""
        self.saved_spec(self.whole_spec).save(path)

    # -- queries: the model rules ---------------------------------------------------------------
    def can_connect(self, src: str, dst: str, port: str = "in") -> str | None:
        """Why ``src`` may not feed ``dst``'s input ``port``; None when it may."""
        return rules.connect_problem(self.spec, src, dst, port)

    def name_problem(self, old: str, new: str) -> str | None:
        return rules.name_problem(self.spec, old, new)

    def new_node(self, kind: str, pos: Pos = (0.0, 0.0), name: str | None = None,
                 params: dict[str, Any] | None = None, taken: Iterable[str] = ()) -> Node:
        """A node of ``kind`` with a fresh name (``conv``, ``conv_1``...); not yet added."""
        return rules.new_node(self.spec, kind, pos, name, params, taken)

    def unique_name(self, base: str, taken: Iterable[str] = ()) -> str:
        return rules.unique_name(self.spec, base, taken)

    def check_data(self, data: DataSet) -> list[Mismatch]:
        """How ``data`` does not fit the model, each with a fix where one is obvious."""
        if self.document is not None:  # the real images go into the discriminator
            from workbench.core.graph.gan import DISCRIMINATOR

            here = self.part == DISCRIMINATOR
            found = check_data(self.document.part(DISCRIMINATOR), data,
                               self.analysis if here else None, input_only=True)
            # a fix edits the discriminator: offered while it is on the canvas
            return found if here else [Mismatch(m.message + " (the discriminator's input)")
                                       for m in found]
        return check_data(self.spec, data, self.analysis)

    # -- training --------------------------------------------------------------------------------
    def create_run(self, *, data: DataSet | None = None, runs_dir: str | Path | None = None,
                   store: Any = None, callbacks: Sequence[Callback] = (),
                   data_options: dict[str, Any] | None = None) -> tuple[Trainer, Path]:
        """A run of this model on the chosen data with these settings (``create_run`` with
        the workspace's own analysis). ``data_options`` adds e.g. a progress callback."""
        from workbench.core.runs import create_run

        options = {**self.data.load_options(), **(data_options or {})}
        if self.document is not None:
            return create_run(self.document.copy(), self.data.source, self.config, data=data,
                              runs_dir=runs_dir, store=store, callbacks=callbacks,
                              data_options=options)
        return create_run(self.spec.copy(), self.data.source, self.config, data=data,
                          runs_dir=runs_dir, store=store, callbacks=callbacks,
                          data_options=options, analysis=self.analysis,
                          initial=self.initial_weights, frozen=self.frozen_layers())

