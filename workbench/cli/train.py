"""``workbench train``: training a model without the GUI (a new run, a resumed one, a
fine-tune, on one process or several)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from workbench.cli import CliError
from workbench.cli.config_flags import (
    add_config_flags,
    check_flags,
    config_from_args,
    given_settings,
)
from workbench.cli.report import ProgressPrinter

# Command-line defaults where they differ from TrainingConfig's: enough epochs and a
# schedule that a plain `workbench train cnn_mnist --data digits28` passes 90 % in seconds.
CLI_DEFAULTS: dict[str, Any] = {"epochs": 10, "schedule": "onecycle"}
# what a resumed run may change: a new total of epochs, another number of processes
RESUME_FLAGS = ("epochs", "nproc")


def _sources_help() -> str:
    try:
        from workbench.core.data import SOURCES
    except ImportError:  # the data package is optional for --help
        return ""
    return "; ".join(f"{k}:PATH" if v.needs_path else k for k, v in SOURCES.items())


TRAIN_DESCRIPTION = (
    "Train SPEC (a .json spec or a template name) on --data, into a new run folder, then "
    "evaluate it on the test split.\n\nData sources: {sources}\n\nExit status 0 when the "
    "run finishes (or is stopped), 1 when it fails or the model has problems, 2 for unusable "
    "input, 130 when interrupted. Ctrl+C stops after the current batch and keeps the "
    "checkpoint; --resume RUN continues it.")


def _describe_sources_on_help(parser: argparse.ArgumentParser) -> None:
    """List the data sources only when help is shown: finding them imports torch, and a
    mistyped flag should be refused at once, not after that."""
    format_help = parser.format_help

    def with_sources() -> str:
        parser.description = TRAIN_DESCRIPTION.format(sources=_sources_help())
        return format_help()

    parser.format_help = with_sources  # type: ignore[method-assign]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "train", help="train a model spec or template on a data source",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=TRAIN_DESCRIPTION.format(sources="(see workbench train --help)"))
    _describe_sources_on_help(p)
    p.add_argument("spec", metavar="SPEC", nargs="?", help="model spec file or template name")
    p.add_argument("--data", metavar="SOURCE", help="data source (see above), e.g. digits28, "
                   "mnist, idx:DIR, folder:DIR, csv:FILE")
    add_config_flags(p, CLI_DEFAULTS)
    p.add_argument("--val-fraction", type=float, metavar="X",
                   help="validation share of the data (default 0.1)")
    p.add_argument("--test-fraction", type=float, metavar="X",
                   help="test share of the data (default 0.1)")
    p.add_argument("--data-option", action="append", default=[], metavar="KEY=VALUE",
                   help="an option for the data source, e.g. train_size=8000 (repeatable)")
    p.add_argument("--download", action="store_true", help="download the data set if missing")
    p.add_argument("--tensorboard", action="store_true",
                   help="also write TensorBoard event files (scalars, hyper-parameters, graph) "
                        "to the run folder's tensorboard/ (view: tensorboard --logdir RUN)")
    p.add_argument("--runs-dir", type=Path, metavar="DIR", help="where run folders go")
    p.add_argument("--resume", metavar="RUN", help="continue this run (folder or id) from its "
                   "last checkpoint; --epochs raises its total")
    ft = p.add_argument_group("fine-tuning")
    ft.add_argument("--init-from", metavar="RUN_OR_BUNDLE",
                    help="start from the weights of a run (folder or id), a .wbbundle or a "
                         ".safetensors file: layers whose name and shape match load, the "
                         "others start fresh")
    freezing = ft.add_mutually_exclusive_group()
    freezing.add_argument("--freeze", metavar="NAME,NAME",
                          help="layers that do not train (comma-separated layer names)")
    freezing.add_argument("--freeze-until", metavar="NAME",
                          help="freeze every layer up to and including NAME (model order)")
    p.add_argument("--json", action="store_true",
                   help="end with one JSON object on stdout (other output goes to stderr)")
    p.set_defaults(func=train_command)


def make_config(args: argparse.Namespace):
    """The TrainingConfig the flags ask for (CLI_DEFAULTS where a flag is not given); a
    value the declarations refuse is one line and exit status 2. Flags that have no effect
    with the other settings are said on stderr."""
    from workbench.core.engine.presets import describe, preset_for_source, preset_kind

    # settings that suit the data (text: smaller batches, AdamW, clipping) where not given
    preset = preset_for_source(args.data) if args.data else {}
    config, notes = config_from_args(args, {**CLI_DEFAULTS, **preset})
    given = {s.name for s in given_settings(args)}
    used = {k: v for k, v in preset.items() if k not in given}
    if used:
        notes.insert(0, f"the settings that suit {preset_kind(args.data)}: {describe(used)} "
                        "(a flag sets any of them otherwise)")
    for note in notes:
        print(f"workbench train: note: {note}", file=sys.stderr)
    return config


def _check_resume_flags(args: argparse.Namespace) -> None:
    """A resumed run keeps its own settings: only --epochs (a new total) may be given."""
    others = [s.flag for s in given_settings(args) if s.name not in RESUME_FLAGS]
    others += [f for f, v in (("--init-from", args.init_from), ("--freeze", args.freeze),
                              ("--freeze-until", args.freeze_until)) if v]
    if others:
        raise CliError(f"--resume continues the run with its own settings: only --epochs and "
                       f"--nproc may be given, not {', '.join(others)}")
    check_flags(args, [s for s in given_settings(args) if s.name in RESUME_FLAGS])


def data_options(args: argparse.Namespace) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for item in args.data_option:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise CliError(f"--data-option takes KEY=VALUE, not {item!r}", 2)
        try:
            options[key.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            options[key.strip()] = raw
    if args.val_fraction is not None:
        options["val_fraction"] = args.val_fraction
    if args.test_fraction is not None:
        options["test_fraction"] = args.test_fraction
    return options


def _load_spec(arg: str):
    from workbench.core.graph import SpecFormatError
    from workbench.core.templates import load_spec_or_template

    try:
        return load_spec_or_template(arg)
    except SpecFormatError as e:
        raise CliError(str(e), 2) from None


def _load_and_fit(workspace: Any, extra: dict[str, Any] | None):
    """The workspace's data, loaded once; where the model does not fit it, the app's own
    one-click fixes are applied (as the Data tab's Fix button would) and said in one line."""
    from workbench.core.data import load_source
    from workbench.core.graph import ModelInvalidError
    from workbench.core.workspace.fit import fit_until_trainable

    if not workspace.analysis.ok:  # every problem listed, before the data is loaded
        raise ModelInvalidError(workspace.analysis.errors)
    choice = workspace.data
    data = load_source(choice.source, seed=workspace.config.seed,
                       **{**choice.load_options(), **(extra or {})})
    fixes = fit_until_trainable(workspace, data)
    if fixes:
        print(f"workbench train: fitted the model to {choice.display()}: "
              + "; ".join(f.fix_label.lower() for f in fixes)
              + f" (on {', '.join(dict.fromkeys(f.node or '' for f in fixes))})",
              file=sys.stderr)
    return data


class _StopOnInterrupt:
    """First Ctrl+C asks the trainer to stop after the batch (checkpoint kept); second aborts."""

    def __init__(self, trainer: Any) -> None:
        self.trainer, self.hits, self._old = trainer, 0, None

    def __enter__(self) -> _StopOnInterrupt:
        if threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        self.hits += 1
        if self.hits > 1:
            raise KeyboardInterrupt
        print("\nstopping after this batch (Ctrl+C again to abort)", file=sys.stderr, flush=True)
        self.trainer.request_stop()

    def __exit__(self, *exc: object) -> None:
        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)


def train_command(args: argparse.Namespace) -> int:
    # the settings first: a refused value is said before torch is even imported
    if args.resume:
        _check_resume_flags(args)
    config = None if args.resume else make_config(args)
    from workbench.core.data import DataSourceError
    from workbench.core.engine import TrainingError
    from workbench.core.graph import ModelInvalidError
    from workbench.core.runs import RunError, RunRecord, RunStore, resume_run

    report = sys.stderr if args.json else sys.stdout
    printer = ProgressPrinter(report=report, bar=sys.stderr)
    with RunStore() as store:
        try:
            if args.resume:
                if args.spec or args.data:
                    raise CliError("--resume takes the spec and data from the run: give neither")
                trainer, run_dir = resume_run(args.resume, store=store, callbacks=[printer],
                                              epochs=args.epochs, nproc=args.nproc)
            else:
                if not args.spec or not args.data:
                    raise CliError("give a SPEC and --data SOURCE (or --resume RUN)")
                from workbench.core.workspace import DataChoice, Workspace

                options = data_options(args)
                workspace = Workspace(_load_spec(args.spec), config,
                                      DataChoice(args.data, options))
                _say_unused_flags(args, workspace.whole_spec.is_gan)
                _fine_tuning(workspace, args, store)
                extra = {"download": True} if args.download else None
                data = _load_and_fit(workspace, extra)
                trainer, run_dir = workspace.create_run(
                    data=data, runs_dir=args.runs_dir, store=store, callbacks=[printer],
                    data_options=extra)
        except ModelInvalidError as e:  # every problem, one per line; exit status 1
            raise CliError("the model has problems:\n  "
                           + "\n  ".join(str(p) for p in e.problems), 1) from None
        except (DataSourceError, RunError, TrainingError) as e:
            raise CliError(str(e)) from None
        for note in getattr(trainer, "start_notes", list)():  # a GanTrainer has none
            print(note, file=report)
        for note in getattr(trainer.data, "notes", []):  # e.g. unreadable files skipped
            print(f"data: {note}", file=sys.stderr)
        if args.tensorboard:
            from workbench.core.export.tensorboard import attach_tensorboard

            attach_tensorboard(trainer, Path(run_dir) / "tensorboard")
        if trainer.config.nproc > 1:  # the same run on N processes; rank 0 reports here
            trainer = _distributed(trainer, run_dir, store, printer, args)
        with _StopOnInterrupt(trainer) as interrupt:
            try:
                ended = trainer.fit(resume=bool(args.resume))
            except TrainingError as e:  # no sound checkpoint to resume from
                raise CliError(str(e)) from None
        # run.json holds the same figures as the history, which another process may lock
        record = RunRecord.from_dict({**json.loads((run_dir / "run.json").read_text()),
                                      "run_dir": run_dir})
    if ended.status == "failed":
        print(f"workbench train: the run failed: {ended.reason}", file=sys.stderr)
    if args.json:
        print(json.dumps({"run_dir": str(run_dir), "status": ended.status,
                          "test_accuracy": record.test_accuracy, "test_loss": record.test_loss,
                          "epochs": record.epochs_done, "seconds": round(record.seconds, 3),
                          "device": record.device, "reason": ended.reason,
                          **_finetune_json(run_dir)}))
    else:
        print(f"run folder: {run_dir}", file=report)
    if ended.status == "failed":
        return 1
    return 130 if ended.status == "stopped" and interrupt.hits else 0


def _say_unused_flags(args: argparse.Namespace, gan: bool) -> None:
    """Flags of settings this kind of model does not use (a GAN's learning rates for a
    classifier, the optimizer for a GAN): said on stderr, as the form hides them."""
    from workbench.core.engine.config import GAN, NETWORK

    kind = GAN if gan else NETWORK
    unused = [s.flag for s in given_settings(args) if not s.applies_to(kind)]
    if unused:
        what = "a GAN (it trains with the GAN settings)" if gan else \
            "a model that is not a GAN"
        print(f"workbench train: note: {', '.join(unused)} "
              f"{'has' if len(unused) == 1 else 'have'} no effect on {what}", file=sys.stderr)


def _fine_tuning(workspace: Any, args: argparse.Namespace, store: Any) -> None:
    """--init-from, --freeze and --freeze-until on the workspace; bad names are CliError."""
    from workbench.core.finetune import FineTuneError, resolve_frozen

    try:
        if args.init_from:
            workspace.attach_weights(args.init_from, store)
        elif workspace.missing_weights is not None:  # the spec file names a start that is gone
            print(f"workbench train: {workspace.missing_weights.message()}", file=sys.stderr)
        if args.freeze or args.freeze_until:
            if not workspace.analysis.ok:
                return  # the model's own problems are reported next
            names = (args.freeze or "").split(",")
            workspace.set_frozen(resolve_frozen(workspace.analysis.order, names,
                                                args.freeze_until))
    except FineTuneError as e:
        raise CliError(str(e)) from None


def _finetune_json(run_dir: Path) -> dict[str, Any]:
    from workbench.core.runs.folders import read_finetune

    d = read_finetune(run_dir) or {}
    return {"init_from": d.get("init_from"), "loaded_layers": d.get("loaded_layers", []),
            "fresh_layers": d.get("fresh_layers", {}),
            "frozen_layers": d.get("frozen_layers", []),
            "frozen_parameters": d.get("frozen_parameters", 0)}


def _distributed(trainer: Any, run_dir: Path, store: Any, printer: Any,
                 args: argparse.Namespace) -> Any:
    """A DistributedRun in place of the checked Trainer (whose model and data are let go:
    every process loads its own)."""
    import gc

    from workbench.core.distributed import DistributedRun

    if args.tensorboard:
        raise CliError("--tensorboard is not available with --nproc above 1 yet")
    nproc = trainer.config.nproc
    del trainer
    gc.collect()
    return DistributedRun(run_dir, nproc, callbacks=[printer], store_path=store.path)
