"""``workbench sweep``: a hyper-parameter search with Optuna, each trial a run of its own."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

from workbench.cli import CliError
from workbench.cli.config_flags import add_config_flags

# a sweep's trials are short by default: a few epochs each, many trials
SWEEP_DEFAULTS: dict[str, Any] = {"epochs": 3, "schedule": "onecycle"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sweep", help="search hyper-parameters with Optuna (each trial a run)",
        description="Train SPEC on --data once per trial with the values Optuna suggests for "
                    "each --param, recording every trial as a run. The study is kept in the "
                    "runs folder (sweeps.sqlite): the same command again continues it, and a "
                    "trial cut short is run again. Epoch ends feed Optuna's median pruner, "
                    "which stops trials doing worse than the earlier ones. The figure "
                    "compared is --monitor's (validation loss unless set).")
    p.add_argument("spec", metavar="SPEC", help="model spec file or template name")
    p.add_argument("--data", metavar="SOURCE", required=True, help="data source, e.g. digits28")
    p.add_argument("--trials", type=int, default=10, metavar="N",
                   help="trials the study should hold when done (default 10)")
    p.add_argument("--param", action="append", default=[], metavar="NAME=RANGE",
                   help="what to vary: lr=1e-4..1e-2:log (range, log scale), "
                        "batch_size=32,64,128 (choices), fc.out_features=16..128 (a layer's "
                        "parameter, NODE.PARAM); repeatable")
    p.add_argument("--study", metavar="NAME", help="the study's name (default: from the "
                   "model, data, parameters and settings, so a repeated command resumes)")
    p.add_argument("--prune-after", type=int, default=2, metavar="N",
                   help="trials that finish before the pruner may stop one (default 2)")
    add_config_flags(p, SWEEP_DEFAULTS)
    p.add_argument("--val-fraction", type=float, metavar="X")
    p.add_argument("--test-fraction", type=float, metavar="X")
    p.add_argument("--data-option", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--runs-dir", type=Path, metavar="DIR", help="where run folders and the "
                   "study go")
    p.add_argument("--json", action="store_true", help="end with one JSON object on stdout")
    p.set_defaults(func=sweep_command)


def _fmt(v: Any) -> str:
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def sweep_command(args: argparse.Namespace) -> int:
    from workbench.cli.config_flags import config_from_args
    from workbench.cli.train import _load_spec, data_options

    config, notes = config_from_args(args, SWEEP_DEFAULTS)
    for note in notes:
        print(f"workbench sweep: note: {note}", file=sys.stderr)
    if args.trials < 1:
        raise CliError("--trials must be at least 1")
    if not args.param:
        raise CliError("give at least one --param, e.g. --param lr=1e-4..1e-2:log")
    spec = _load_spec(args.spec)
    from workbench.core.sweeps import Sweep, SweepParamError, parse_param

    try:
        params = [parse_param(p, spec) for p in args.param]
    except SweepParamError as e:
        raise CliError(str(e)) from None
    from workbench.core.data import DataSourceError, load_source
    from workbench.core.data.locations import absolute_source
    from workbench.core.engine import TrainingError
    from workbench.core.graph import ModelInvalidError
    from workbench.core.runs import RunStore

    options = data_options(args)
    report = sys.stderr if args.json else sys.stdout
    try:
        data = load_source(absolute_source(args.data), seed=config.seed, **options)
    except DataSourceError as e:
        raise CliError(str(e)) from None

    def said(row: Any) -> None:
        value = "-" if row.value is None else _fmt(row.value)
        values = ", ".join(f"{k}={_fmt(v)}" for k, v in row.params.items())
        print(f"trial {row.number}: {row.state.lower():8s} {config.monitor} {value}  "
              f"({values}; {row.epochs} epoch(s), run {row.run_id})", file=report, flush=True)

    with RunStore() as store:
        sweep = Sweep(spec, args.data, config, params, trials=args.trials,
                      runs_dir=args.runs_dir, store=store, study_name=args.study,
                      data_options=options, data=data, prune_after=args.prune_after,
                      on_trial=said)
        done = sweep.done()
        print(f"study '{sweep.name}': {done} of {args.trials} trials done"
              + (", continuing" if done else ""), file=report, flush=True)
        try:
            study = sweep.run()
        except ModelInvalidError as e:
            raise CliError("the model has problems:\n  "
                           + "\n  ".join(str(p) for p in e.problems), 1) from None
        except TrainingError as e:
            raise CliError(str(e)) from None
    from workbench.core.sweeps import trial_rows

    rows = trial_rows(study)
    good = [r for r in rows if r.state == "COMPLETE" and r.value is not None]
    best = None
    if good:
        best = (max if sweep.direction == "maximize" else min)(good, key=lambda r: r.value)
        print(f"best: trial {best.number}, {config.monitor} {_fmt(best.value)} ("
              + ", ".join(f"{k}={_fmt(v)}" for k, v in best.params.items())
              + f"), run {best.run_id}", file=report)
    if args.json:
        print(json.dumps({
            "study": sweep.name, "direction": sweep.direction,
            "trials": [{"number": r.number, "state": r.state, "value": r.value,
                        "params": r.params, "run_id": r.run_id, "epochs": r.epochs}
                       for r in rows],
            "best": None if best is None else {"number": best.number, "value": best.value,
                                               "params": best.params, "run_id": best.run_id}},
            default=lambda v: None if isinstance(v, float) and not math.isfinite(v) else str(v)))
    return 0
