"""The fine-tuning part of a Workspace: start weights and frozen layers, and how both are
saved with the model (the spec's ``fine_tuning``, format 4) and restored when it is opened.

The start weights themselves are not copied into the model file: it records where they came
from (a run folder, a bundle, a safetensors file), and opening it reads them from there
again. When that source is gone or unreadable, ``missing_weights`` says so (the model opens,
and trains from fresh weights until weights are attached again or the reference is
detached); saving keeps the reference, so a drive that comes back brings them back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.finetune.weights import InitialWeights
from workbench.core.graph import ModelSpec
from workbench.core.graph.spec import FineTuning
from workbench.core.workspace.edits import Edit, FreezeEdit

if TYPE_CHECKING:
    from workbench.core.graph import Analysis


@dataclass
class MissingWeights:
    """Start weights the saved model names but that cannot be read now."""

    origin: str
    reason: str  # the core's one line (FineTuneError)
    renamed: dict[str, str] = field(default_factory=dict)

    def message(self) -> str:
        return (f"The start weights of this model came from {self.origin}, which cannot be "
                f"read now ({self.reason}): training starts from fresh weights. Attach "
                "weights again, or detach them.")


class FineTuningState:
    """Mixed into Workspace: ``initial_weights``, ``frozen`` and their edits."""

    spec: ModelSpec
    analysis: Analysis
    config: Any
    initial_weights: InitialWeights | None
    missing_weights: MissingWeights | None
    frozen: set[str]

    if TYPE_CHECKING:  # the Workspace's own
        def _tell(self, hook: str, *args: Any) -> None: ...

        def _done(self, edit: Edit) -> Edit: ...

        def load(self, spec: ModelSpec, *, automatic_name: bool = False) -> None: ...

    # -- saved with the model ---------------------------------------------------------------
    def _take_fine_tuning(self, spec: ModelSpec, store: Any = None) -> None:
        """Adopt what a saved model says about fine-tuning (the workspace holds it from
        now on; the spec's copy is cleared so that there is one truth)."""
        saved, spec.fine_tuning = spec.fine_tuning, None
        self.frozen = set(saved.frozen) if saved is not None else set()
        self.initial_weights, self.missing_weights = None, None
        if saved is None or not saved.init_from:
            return
        from workbench.core.finetune import FineTuneError, read_weights

        try:
            weights = read_weights(saved.init_from, store)
        except FineTuneError as e:
            self.missing_weights = MissingWeights(saved.init_from, str(e), dict(saved.renamed))
            return
        weights.apply_renames(saved.renamed)
        self.initial_weights = weights

    def fine_tuning_state(self, whole: ModelSpec | None = None) -> FineTuning | None:
        """What the saved file of ``whole`` (default: the graph on the canvas) records: the
        frozen layers present in it (in file order), and where the start weights come from."""
        whole = whole if whole is not None else self.spec
        graphs = [whole, *whole.parts.values()]
        present = [n.name for g in graphs for n in g.nodes if n.name in self.frozen]
        if self.initial_weights is not None:
            source, renamed = self.initial_weights.origin, dict(self.initial_weights.renamed)
        elif self.missing_weights is not None:
            source, renamed = self.missing_weights.origin, dict(self.missing_weights.renamed)
        else:
            source, renamed = "", {}
        state = FineTuning(present, source, renamed)
        return None if state.empty else state

    def saved_spec(self, whole: ModelSpec) -> ModelSpec:
        """``whole`` (the spec saved: the GAN document or the one graph) with the fine-tuning
        state; the same nodes, not a copy, so it is cheap to make for every autosave."""
        return replace(whole, fine_tuning=self.fine_tuning_state(whole))

    def _follow_fine_tuning_rename(self, old: str, new: str) -> None:
        if old in self.frozen:
            self.frozen = (self.frozen - {old}) | {new}
        if self.initial_weights is not None:
            self.initial_weights.follow_rename(old, new)
        elif self.missing_weights is not None and old != new:
            source = self.missing_weights.renamed.pop(old, old)
            if source != new:
                self.missing_weights.renamed[new] = source

    # -- start weights -------------------------------------------------------------------------
    def start_from(self, source: str | Path, store: Any = None) -> None:
        """Fine-tune from a run (folder or id) or a bundle: its model replaces this one, with
        its weights attached (``initial_weights``). FineTuneError when it cannot be read."""
        from workbench.core.finetune import read_weights
        from workbench.core.finetune.sources import source_spec

        weights = read_weights(source, store)
        spec = source_spec(source, store)
        self.load(spec)
        self.initial_weights = weights
        self._tell("on_weights_changed")
        self._tell("on_model_changed", self.analysis)

    def attach_weights(self, source: str | Path | InitialWeights, store: Any = None) -> None:
        """Keep this model and start its training from ``source``'s weights where they fit
        (a run folder or id, a bundle, a safetensors file, or weights already read)."""
        from workbench.core.finetune import read_weights

        self.initial_weights = (source if isinstance(source, InitialWeights)
                                else read_weights(source, store))
        self.missing_weights = None
        self._tell("on_weights_changed")
        self._tell("on_model_changed", self.analysis)

    def detach_weights(self) -> None:
        """Train from fresh weights (and forget a start that could not be read)."""
        self.initial_weights = self.missing_weights = None
        self._tell("on_weights_changed")
        self._tell("on_model_changed", self.analysis)

    def weights_report(self) -> Any:
        """Which layers would load and which start fresh (a LoadReport), None without start
        weights; raises FineTuneError when none fit."""
        if self.initial_weights is None or not self.analysis.ok:
            return None
        from workbench.core.finetune import load_into
        from workbench.core.graph import build_model

        return load_into(build_model(self.spec, self.analysis), self.initial_weights)

    # -- frozen layers ---------------------------------------------------------------------------
    def frozen_layers(self) -> list[str]:
        """The frozen layers that are in the model, in model order (what training freezes)."""
        return [n for n in self.analysis.order if n in self.frozen]

    def set_frozen(self, names: Iterable[str], frozen: bool = True) -> Edit:
        """Freeze (or unfreeze) layers; one undoable step."""
        names = [n for n in names if self.spec.has_node(n)]
        after = (self.frozen | set(names)) if frozen else (self.frozen - set(names))
        what = names[0] if len(names) == 1 else f"{len(names)} layers"
        return self._done(FreezeEdit(self, after,  # type: ignore[arg-type]
                                     f"{'Freeze' if frozen else 'Unfreeze'} {what}"))

    def freeze_all_but_head(self) -> Edit:
        """Freeze every layer with weights except the head (the last one with weights)."""
        from workbench.core.finetune import head_layers

        weighted = [n for n in self.analysis.order if self.analysis.nodes[n].params]
        head = set(head_layers(self.analysis.order, weighted))
        return self._done(FreezeEdit(self, {n for n in weighted  # type: ignore[arg-type]
                                            if n not in head}, "Freeze all but the head"))

    def freeze_counts(self) -> tuple[int, int, int]:
        """(trainable, frozen parameters, bytes saved): frozen parameters get no gradients and
        no optimizer state."""
        from workbench.core.graph.analysis import OPTIMIZER_STATE

        a = self.analysis
        frozen = sum(a.nodes[n].trainable for n in self.frozen_layers() if n in a.nodes)
        trainable = a.trainable_params - frozen
        per = 4 * (1 + OPTIMIZER_STATE.get(self.config.optimizer.lower(), 2.0))
        return trainable, frozen, int(frozen * per)
