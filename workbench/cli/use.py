"""``workbench evaluate``, ``predict`` and ``devices``: using trained runs (and exported
bundles) without the GUI, and the devices training can use."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from workbench.cli import CliError
from workbench.cli.report import format_evaluation


def register(sub: argparse._SubParsersAction) -> None:
    e = sub.add_parser("evaluate", help="evaluate a run's best checkpoint on its test split")
    e.add_argument("run", metavar="RUN", help="run folder or run id")
    e.add_argument("--which", choices=["best", "last"], default="best")
    e.add_argument("--json", action="store_true")
    e.set_defaults(func=evaluate_command)

    pr = sub.add_parser("predict", help="top-k predictions of a trained run for an input")
    pr.add_argument("run", metavar="RUN", help="run folder or run id, or an exported .wbbundle")
    pr.add_argument("input", metavar="FILE_OR_TEXT", help="an image file, or text")
    pr.add_argument("--top-k", type=int, default=5)
    pr.add_argument("--which", choices=["best", "last"], default="best")
    pr.add_argument("--json", action="store_true")
    pr.set_defaults(func=predict_command)

    d = sub.add_parser("devices", help="list the devices training can use")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=devices_command)


def _open(run_arg: str):
    from workbench.core.runs import RunError, open_run

    try:
        return open_run(run_arg)
    except RunError as e:
        raise CliError(str(e), 2) from None


def evaluate_command(args: argparse.Namespace) -> int:
    from workbench.core.data import DataSourceError
    from workbench.core.runs import RunError, evaluate_run

    run = _open(args.run)
    try:
        d = evaluate_run(run, which=args.which, save=False).to_dict()
    except (RunError, DataSourceError) as e:
        raise CliError(str(e), 2) from None
    for note in run.notes:
        print(f"workbench evaluate: {note}", file=sys.stderr)
    if args.json:
        print(json.dumps(d))
    else:
        print(f"run {run.run_dir.name} ({args.which} checkpoint) on {run.data_source}")
        print(format_evaluation(d))
    return 0


def predict_command(args: argparse.Namespace) -> int:
    from workbench.core.evaluate import PredictionError, predict
    from workbench.core.runs import RunError

    if args.top_k < 1:
        raise CliError("--top-k must be at least 1")
    from workbench.core.export.bundle import SUFFIX, BundleError, is_bundle, load_bundle

    path = Path(args.input)
    try:
        if is_bundle(args.run) or str(args.run).endswith(SUFFIX):  # an exported bundle predicts like the run it came from
            bundle = load_bundle(args.run)
            model, meta = bundle.load_model(), bundle.data_meta()
        else:
            run = _open(args.run)
            model, meta = run.load_model(args.which), run.meta
            for note in run.notes:
                print(f"workbench predict: {note}", file=sys.stderr)
        preds = predict(model, meta, path if path.is_file() else args.input, top_k=args.top_k)
    except (RunError, PredictionError, BundleError) as e:
        raise CliError(str(e)) from None
    for note in preds.notes:  # on stderr: --json output stays one JSON document
        print(note, file=sys.stderr)
    key = "value" if meta.task == "regression" else "probability"
    if args.json:
        print(json.dumps([{"label": label, key: v} for label, v in preds]))
        return 0
    width = max([len(label) for label, _ in preds] + [5])
    for label, v in preds:
        print(f"{label.ljust(width)}  " + (f"{v:.6g}" if key == "value" else f"{100 * v:6.2f} %"))
    return 0


def devices_command(args: argparse.Namespace) -> int:
    from workbench.core.engine import detect_devices

    devices = detect_devices()
    if args.json:
        print(json.dumps([{"id": d.id, "name": d.name, "kind": d.kind, "label": d.label,
                           "memory_bytes": d.memory_bytes} for d in devices]))
        return 0
    width = max(len(d.id) for d in devices)
    for d in devices:
        print(f"{d.id.ljust(width)}  {d.label}" + (f"  [{d.name}]" if d.kind == "cpu" else ""))
    return 0
