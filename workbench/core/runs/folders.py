"""Run folders: ``create_run`` makes one and wires a Trainer to record into it; ``open_run``
reads one back (spec, config, data description, evaluation, weights from safetensors)."""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.data.locations import absolute_source
from workbench.core.engine.config import TrainingConfig
from workbench.core.engine.events import Callback
from workbench.core.files import atomic_write_text
from workbench.core.graph import (
    Analysis,
    ModelInvalidError,
    ModelSpec,
    SpecFormatError,
    build_model,
)
from workbench.core.runs.recorder import RunRecorder, write_json
from workbench.core.runs.store import RunError, RunRecord, RunStore, default_runs_dir

if TYPE_CHECKING:
    from torch import nn

    from workbench.core.data import DataSet
    from workbench.core.data.meta import DataMeta
    from workbench.core.engine import Teacher, Trainer
    from workbench.core.finetune import InitialWeights

RUN_FORMAT = 1
FINETUNE = "finetune.json"  # where a run's start weights came from and what was frozen


def new_run_id() -> str:
    """Sortable and unique enough: ``20261123-101502-a3f9``."""
    return time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(2)


def slug(name: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return s[:40].rstrip("-") or "model"


def _load_data(source: str, seed: int, options: dict[str, Any], data: DataSet | None) -> DataSet:
    if data is not None:
        return data
    from workbench.core.data import load_source

    return load_source(source, seed=seed, **options)


def _stored_options(options: dict[str, Any]) -> dict[str, Any]:
    """What it takes to load the same splits again: no callbacks, no download flag."""
    out = {}
    for k, v in options.items():
        if k in ("progress", "download"):
            continue
        out[k] = str(v) if isinstance(v, Path) else v
    return out


def create_run(
    spec: ModelSpec,
    source: str,
    config: TrainingConfig,
    *,
    data: DataSet | None = None,
    runs_dir: Path | str | None = None,
    store: RunStore | None = None,
    callbacks: Iterable[Callback] = (),
    name: str | None = None,
    data_options: dict[str, Any] | None = None,
    analysis: Analysis | None = None,
    initial: InitialWeights | None = None,
    frozen: Iterable[str] = (),
    teacher: Teacher | None = None,
) -> tuple[Trainer, Path]:
    """A new run folder (spec, config, data description, run.json), registered in the run
    history, and a Trainer that records into it. Call ``trainer.fit()`` to train.

    ``analysis`` is the spec's analysis at the run's batch size (the workspace's); without
    it, or at another batch size, the spec is analysed here. ``teacher``: distil from it
    (see ``Trainer``). A path source is stored
    absolute, so the run can be evaluated, resumed and exported from any folder.
    Fine-tuning: ``initial`` weights and ``frozen`` layers (see Trainer); the run records
    them in ``finetune.json`` and its parent in ``lineage.json``.

    Raises ModelInvalidError for a spec with errors, TrainingError when the run cannot start
    (settings, device, data that does not fit the model) and DataSourceError when the data
    cannot be loaded; nothing is created in those cases.
    """
    from workbench.core.data.meta import DataMeta
    from workbench.core.engine import Trainer
    from workbench.core.graph.analysis import analysis_at

    if spec.is_gan:  # two graphs: each analysed, and the joint rules
        from workbench.core.graph.gan import analyze_gan

        gan = analyze_gan(spec, config.batch_size)
        if not gan.ok:
            raise ModelInvalidError(gan.errors)
    else:
        analysis = analysis_at(spec, config.batch_size, config.optimizer, analysis)
        if not analysis.ok:  # every problem listed, before the data is loaded
            raise ModelInvalidError(analysis.errors)
    source = absolute_source(source)
    options = dict(data_options or {})
    data = _load_data(source, config.seed, options, data)
    store = store or RunStore()
    runs_dir = Path(runs_dir) if runs_dir is not None else default_runs_dir()
    runs_dir.mkdir(parents=True, exist_ok=True)
    title = name or spec.name
    run_id = new_run_id()
    while (runs_dir / f"{run_id}-{slug(title)}").exists():  # a clash within one second
        run_id = new_run_id()
    run_dir = (runs_dir / f"{run_id}-{slug(title)}").resolve()
    record = RunRecord(
        id=run_id, run_dir=run_dir, status="running",
        created=datetime.now().astimezone().isoformat(timespec="milliseconds"),
        spec_name=title, data_source=source, config=config.to_dict())
    recorder = RunRecorder(run_dir, store, record)
    # The Trainer first: it checks model against data (TrainingError) before any file exists.
    if spec.is_gan:  # two networks, two optimizers (no fine-tuning or distillation yet)
        trainer = _trainer_class(spec)(spec, data, config, run_dir=run_dir,
                                       callbacks=[recorder, *callbacks], analysis=analysis)
    else:
        trainer = Trainer(spec, data, config, run_dir=run_dir,
                          callbacks=[recorder, *callbacks], analysis=analysis, initial=initial,
                          frozen=list(frozen), teacher=teacher)
    (run_dir / "checkpoints").mkdir(parents=True)
    try:
        if initial is not None or getattr(trainer, "frozen_parameters", 0):
            summary = finetune_summary(trainer)
            if initial is not None and initial.renamed:  # so that other ranks read them right
                summary["renamed"] = dict(initial.renamed)
            write_json(run_dir / FINETUNE, summary)
        if initial is not None:
            from workbench.core.runs.lineage import record_lineage

            record_lineage(run_dir, initial.origin, "fine-tuned")
        atomic_write_text(run_dir / "spec.json", spec.to_json())
        write_json(run_dir / "config.json", config.to_dict())
        write_json(run_dir / "data.json", DataMeta.from_dataset(data, source).to_dict())
        write_json(run_dir / "run.json", {"format": RUN_FORMAT,
                                          "data_options": _stored_options(options)})
        recorder.write_run_json()
        store.add(record)
    except BaseException:  # a full disk, a locked history: no orphan folder left behind
        import shutil

        shutil.rmtree(run_dir, ignore_errors=True)
        raise
    return trainer, run_dir


def resume_run(
    run_dir_or_id: str | Path,
    *,
    store: RunStore | None = None,
    callbacks: Iterable[Callback] = (),
    data: DataSet | None = None,
    epochs: int | None = None,
    nproc: int | None = None,
) -> tuple[Trainer, Path]:
    """A Trainer for an existing run, to continue with ``trainer.fit(resume=True)`` from its
    last checkpoint; ``epochs`` raises the total number of epochs, ``nproc`` continues it on
    another number of processes (the global batch stays the same, so the data order and
    the updates continue exactly; see ``workbench.core.distributed``)."""
    from workbench.core.engine import Trainer
    from workbench.core.engine.checkpoint import recover_checkpoints

    store = store or RunStore()
    run = open_run(run_dir_or_id, store)
    recover_checkpoints(run.run_dir / "checkpoints")
    if not any((run.run_dir / "checkpoints" / w).is_dir() for w in ("last", "best")):
        raise RunError(f"the run {run.run_dir.name} has no checkpoint to resume from")
    config = run.config
    changes = {k: v for k, v in (("epochs", epochs), ("nproc", nproc)) if v is not None}
    if changes:
        config = TrainingConfig.from_dict({**config.to_dict(), **changes})
        problems = config.validate()
        if problems:
            raise RunError("the run cannot continue so: " + "; ".join(problems))
        write_json(run.run_dir / "config.json", config.to_dict())
    data = _load_data(run.data_source, config.seed, run.data_options, data)
    record = run.record or RunRecord.from_dict(  # a run.json without an id gets one
        {**run.info, "id": str(run.info.get("id") or new_run_id()), "run_dir": run.run_dir})
    record.run_dir = run.run_dir
    if store.find(record.id) is None:  # a folder from elsewhere joins this history
        store.add(record)
    recorder = RunRecorder(run.run_dir, store, record)
    if run.spec.is_gan:
        trainer = _trainer_class(run.spec)(run.spec, data, config, run_dir=run.run_dir,
                                           callbacks=[recorder, *callbacks])
        return trainer, run.run_dir
    frozen = (read_finetune(run.run_dir) or {}).get("frozen_layers") or []
    trainer = Trainer(run.spec, data, config, run_dir=run.run_dir,
                      callbacks=[recorder, *callbacks], frozen=frozen)
    return trainer, run.run_dir


def finetune_summary(trainer: Trainer) -> dict[str, Any]:
    """What a fine-tuning run started from and froze (``finetune.json``, the CLI's JSON)."""
    report = trainer.load_report
    return {"init_from": report.origin if report else None,
            "loaded_layers": list(report.loaded) if report else [],
            "fresh_layers": dict(report.fresh) if report else {},
            "frozen_layers": trainer.frozen_layers,
            "frozen_parameters": trainer.frozen_parameters,
            "unfreeze_after": trainer.config.unfreeze_after,
            "notes": trainer.start_notes()}


def frozen_settings(run_dir: Path) -> dict[str, Any]:
    """What an export adds to the run's config to reproduce its freezing (empty if none)."""
    d = read_finetune(run_dir) or {}
    if not d.get("frozen_layers"):
        return {}
    return {"frozen": list(d["frozen_layers"]), "unfreeze_after": d.get("unfreeze_after", 0)}


def read_finetune(run_dir: Path) -> dict[str, Any] | None:
    """A run's ``finetune.json``, None for a run trained from scratch."""
    try:
        data = json.loads((Path(run_dir) / FINETUNE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _trainer_class(spec: ModelSpec) -> Any:
    """The Trainer, or the GanTrainer for a generator and a discriminator."""
    if spec.is_gan:
        from workbench.core.engine.gan import GanTrainer

        return GanTrainer
    from workbench.core.engine import Trainer

    return Trainer


@dataclass
class LoadedRun:
    run_dir: Path
    spec: ModelSpec
    config: TrainingConfig
    meta: DataMeta
    record: RunRecord | None  # None when the folder is not in the run history
    evaluation: dict[str, Any] | None  # evaluation.json, when the run got that far
    info: dict[str, Any]  # run.json as written
    notes: list[str] = field(default_factory=list)  # e.g. a damaged checkpoint passed over

    @property
    def data_source(self) -> str:
        return str(self.info.get("data_source") or (self.record.data_source if self.record else ""))

    @property
    def data_options(self) -> dict[str, Any]:
        return dict(self.info.get("data_options") or {})

    def checkpoint(self, which: str = "best") -> Path:
        """The weights file of the ``best`` checkpoint (falling back to ``last``) or ``last``."""
        if which not in ("best", "last"):
            raise ValueError(f"which must be 'best' or 'last', not {which!r}")
        for w in (which, "last") if which == "best" else (which,):
            path = self.run_dir / "checkpoints" / w / "model.safetensors"
            if path.is_file():
                return path
        raise RunError(f"the run {self.run_dir.name} has no saved weights (it has no checkpoint)")

    def load_model(self, which: str = "best") -> nn.Module:
        """The model built from the run's spec with the checkpoint's weights (safetensors only).
        A damaged checkpoint falls back to the other one (best or last) with a line in
        ``notes``; RunError when neither is sound."""
        from workbench.core.engine.checkpoint import recover_checkpoints

        if self.spec.is_gan:
            raise RunError(f"the run {self.run_dir.name} is a GAN: it has a generator and a "
                           "discriminator rather than one model (workbench generate makes "
                           "images with it; export takes its generator)")
        if which not in ("best", "last"):
            raise ValueError(f"which must be 'best' or 'last', not {which!r}")
        recover_checkpoints(self.run_dir / "checkpoints")
        model = build_model(self.spec)
        damaged: list[str] = []
        for w in (which, "last" if which == "best" else "best"):
            path = self.run_dir / "checkpoints" / w / "model.safetensors"
            if not path.is_file():
                continue
            try:
                state = _read_weights(path)
                model.load_state_dict(state, strict=True)
            except RunError as e:
                damaged.append(str(e))
                continue
            except RuntimeError as e:
                raise RunError(f"the weights in {path} do not fit the run's model: "
                               f"{str(e).splitlines()[0]}") from None
            if damaged:
                self.notes.append(f"{damaged[0]}; using the {w} checkpoint instead")
            return model.eval()
        if damaged:
            raise RunError("; ".join(damaged) + ": no sound checkpoint is left (train the "
                           "model again, or resume it if its state is intact)")
        raise RunError(f"the run {self.run_dir.name} has no saved weights (it has no checkpoint)")


def _read_weights(path: Path) -> dict[str, Any]:
    """safetensors only; a truncated or foreign file is a RunError naming it."""
    from safetensors.torch import load

    from workbench.core.engine.checkpoint import one_line

    try:
        state = load(path.read_bytes())
    except OSError as e:
        raise RunError(f"cannot read {path}: {e.strerror or e}") from None
    except Exception as e:  # SafetensorError, a header that is not JSON, ...
        raise RunError(f"the weights in {path} are damaged ({one_line(e)})") from None
    # torch.compile wraps the model; its state dict keys carry that prefix
    return {k.removeprefix("_orig_mod."): v for k, v in state.items()}


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RunError(f"{path.parent} is not a complete run folder: {path.name} is missing") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise RunError(f"cannot read {path}: {e}") from None


def find_run_dir(run_dir_or_id: str | Path, store: RunStore | None = None) -> tuple[Path, RunRecord | None]:
    """A run folder path, a run id, or the unique start of an id (history, then runs folder)."""
    arg = str(run_dir_or_id)
    path = Path(arg).expanduser()
    if (path / "run.json").is_file():
        return path.resolve(), None
    store = store or RunStore()
    ids = [arg] if store.find(arg) else store.match(arg) if arg else []
    if len(ids) == 1:
        record = store.get(ids[0])
        if (record.run_dir / "run.json").is_file():
            return record.run_dir, record
        raise RunError(f"the run {ids[0]} is in the run history but its folder "
                       f"{record.run_dir} is gone")
    if len(ids) > 1:
        raise RunError(f"'{arg}' matches {len(ids)} runs ({', '.join(ids[:4])}...): give more of the id")
    runs = default_runs_dir()
    found = sorted(runs.glob(f"{glob_escape(arg)}*/run.json")) if arg and "/" not in arg else []
    if len(found) == 1:
        return found[0].parent.resolve(), None
    raise RunError(f"no run '{arg}' in the run history and no run folder at {arg}")


def glob_escape(s: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", s)


def open_run(run_dir_or_id: str | Path, store: RunStore | None = None) -> LoadedRun:
    """Read a run folder back. Raises RunError when there is no such run or it is damaged."""
    from workbench.core.data.meta import DataMeta

    store = store or RunStore()
    run_dir, record = find_run_dir(run_dir_or_id, store)
    info = _read_json(run_dir / "run.json")
    if record is None and info.get("id"):
        record = store.find(str(info["id"]))
    if not (run_dir / "spec.json").is_file():
        raise RunError(f"{run_dir} is not a complete run folder: spec.json is missing")
    try:
        spec = ModelSpec.load(run_dir / "spec.json")
    except SpecFormatError as e:
        raise RunError(f"the run's spec.json cannot be read: {e}") from None
    config = TrainingConfig.from_dict(_read_json(run_dir / "config.json"))
    meta = DataMeta.from_dict(_read_json(run_dir / "data.json"))
    evaluation = None
    if (run_dir / "evaluation.json").is_file():
        evaluation = _read_json(run_dir / "evaluation.json")
    return LoadedRun(run_dir, spec, config, meta, record, evaluation, info)
