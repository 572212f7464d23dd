"""What File > Export can export, each said in one line for the dialog: the run selected on
the Runs tab, else the last run this session trained, else the model on the canvas at
initialization (untrained). Qt-free: it reads the window's panels through plain attributes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.ui.i18n import tr_core, translator

tr = translator("export.sources")

if TYPE_CHECKING:
    from torch import nn

    from workbench.core.graph import ModelSpec

EXPORTABLE_STATUSES = {"finished", "early_stopped", "stopped"}  # not running, not failed


@dataclass
class Loaded:
    """A model ready to export and what the bundle and project formats keep with it."""

    model: nn.Module
    meta: dict[str, Any] | None = None
    config: dict[str, Any] | None = None
    metrics: dict[str, Any] | None = None


@dataclass
class ExportSource:
    """One thing to export. ``load()`` does the slow part (weights from disk, building the
    model) and runs on the export's worker thread; everything else is cheap."""

    kind: str  # "run" or "canvas"
    title: str  # e.g. "Run 'Tiny MLP' a3f9 (best weights, test acc 97.1 %)"
    spec: ModelSpec  # a copy: editing the canvas during an export changes nothing
    run: Any = None  # LoadedRun when kind == "run"
    which: str = "best"
    problem: str = ""  # why it cannot be exported (a canvas model with errors)
    # the canvas's fine-tuning set-up: its training settings with the frozen layers (what
    # the project's train.py reproduces), and the start weights the model is exported with
    config: dict[str, Any] | None = None
    initial: Any = None  # InitialWeights

    @property
    def name(self) -> str:
        return self.spec.name or "model"

    @property
    def run_dir(self) -> str | None:
        return str(self.run.run_dir) if self.run is not None else None

    def load(self) -> Loaded:
        if self.run is None:
            from workbench.core.graph import build_model

            model = build_model(self.spec)
            if self.initial is not None:  # the layers they fit load; the rest stay fresh
                from workbench.core.finetune import FineTuneError, load_into

                try:
                    load_into(model, self.initial)
                except FineTuneError:
                    pass  # none fit: the Summary says so; the model exports as built
            return Loaded(model, None, self.config)
        run = self.run
        meta = run.meta.to_dict()
        # like `workbench export`: the bundle remembers where the data came from
        meta.setdefault("source", run.data_source)
        meta.setdefault("data_options", run.data_options)
        from workbench.core.runs.folders import frozen_settings

        config = {**run.config.to_dict(), **frozen_settings(run.run_dir)}  # freezing reproduced
        return Loaded(run.load_model(self.which), meta, config, run.evaluation)


def run_source(run: Any) -> ExportSource | None:
    """A LoadedRun as a source, or None when it has no weights to export."""
    checkpoints = Path(run.run_dir) / "checkpoints"
    if (checkpoints / "best" / "model.safetensors").is_file():
        which, weights = "best", tr("best weights")
    elif (checkpoints / "last" / "model.safetensors").is_file():
        which, weights = "last", tr("last weights")
    else:
        return None
    record = run.record
    name = (record.spec_name if record is not None and record.spec_name else run.spec.name)
    run_id = record.id if record is not None else str(run.info.get("id") or run.run_dir.name)
    short = run_id.rsplit("-", 1)[-1]
    return ExportSource("run", tr("Run '{}' {} ({}, {})").format(name, short, weights,
                                                                 _test_score(run)),
                        run.spec, run, which)


def _test_score(run: Any) -> str:
    ev = run.evaluation or {}
    acc = ev.get("accuracy")
    if acc is None and run.record is not None:
        acc = run.record.test_accuracy
    if isinstance(acc, int | float) and math.isfinite(acc):
        return tr("test acc {} %").format(f"{100 * acc:.1f}")
    for key, value in (ev.get("regression") or {}).items():
        if isinstance(value, int | float):
            return tr("test {} {}").format(key.upper(), f"{value:.4g}")
    return tr("not tested")


def canvas_source(document: Any) -> ExportSource | None:
    spec = getattr(document, "spec", None)
    if spec is None:
        return None
    analysis = getattr(document, "analysis", None)
    problem = ""
    if analysis is not None and not analysis.ok:
        n = len(analysis.errors)
        problem = tr("The model on the canvas has %n problem(s) (first: {}); fix them on the "
                     "Problems panel first.", n=n).format(tr_core("problems", str(analysis.errors[0])))
    ws = getattr(document, "workspace", None)
    config, initial = None, None
    if ws is not None and ws.document is None:  # one network (a GAN exports its generator)
        frozen = ws.frozen_layers()
        config = {**ws.config.to_dict(), **({"frozen": frozen} if frozen else {})}
        initial = ws.initial_weights
    name = spec.name or "model"
    title = tr("The canvas model '{}', untrained").format(name) if initial is None else \
        tr("The canvas model '{}' with its start weights from {}").format(
            name, Path(initial.origin).name)
    return ExportSource("canvas", title, spec.copy(), problem=problem, config=config,
                        initial=initial)


def find_sources(window: Any) -> tuple[list[ExportSource], list[str]]:
    """The sources in order of preference, and notes on runs that could not be offered."""
    sources: list[ExportSource] = []
    notes: list[str] = []
    ui = getattr(window, "training_ui", None)
    if ui is not None:
        from workbench.core.runs import open_run

        panel = ui.runs_panel
        candidates: list[tuple[str, str]] = []  # (run folder, what it is)
        selected = panel.selected_records() if panel.model.records else []
        if len(selected) == 1:
            if str(selected[0].run_dir) in panel.busy_run_dirs:
                notes.append(tr("The selected run is still training: export it when it ends."))
            else:
                candidates.append((str(selected[0].run_dir), "selected"))
        if ui.run_dir is not None and not ui.controller.is_running:
            candidates.append((str(ui.run_dir), "last"))
        seen: set[str] = set()
        for run_dir, what in candidates:
            if run_dir in seen:
                continue
            seen.add(run_dir)
            try:
                run = open_run(run_dir, panel.store)
            except Exception as exc:  # noqa: BLE001 - a damaged run folder: say so, go on
                notes.append((tr("The selected run cannot be read: {}") if what == "selected"
                              else tr("The last run cannot be read: {}")).format(exc))
                continue
            status = run.record.status if run.record is not None else "finished"
            if what == "last" and status not in EXPORTABLE_STATUSES:
                continue  # a failed last run is not what "export" should pick up
            src = run_source(run)
            if src is None:
                notes.append(tr("The selected run has no saved weights.") if what == "selected"
                             else tr("The last run has no saved weights."))
            else:
                sources.append(src)
    canvas = canvas_source(getattr(window, "document", None))
    if canvas is not None:
        sources.append(canvas)
    return sources, notes
