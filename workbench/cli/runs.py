"""``workbench runs``: the run history as a table (or JSON), and ``workbench runs compare A
B`` for the settings and results that differ, as the Runs tab compares them."""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from workbench.cli import CliError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("runs", help="list the run history; compare runs",
                       description="List the runs in the history, newest first; "
                                   "'workbench runs compare A B' shows how runs differ.")
    p.add_argument("--json", action="store_true", help="the runs as one JSON list")
    p.add_argument("--limit", type=int, metavar="N", help="only the newest N runs")
    p.set_defaults(func=list_command)
    actions = p.add_subparsers(dest="runs_action", metavar="ACTION")
    c = actions.add_parser("compare", help="the settings and results that differ between runs")
    c.add_argument("runs", nargs="+", metavar="RUN", help="run ids (or their first part) or "
                   "run folders, two or more")
    c.add_argument("--all", action="store_true", help="every setting, not only those that "
                   "differ")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=compare_command)


def _finite(v: Any) -> Any:
    return None if isinstance(v, float) and not math.isfinite(v) else v


def list_command(args: argparse.Namespace) -> int:
    from workbench.core.data.locations import display_source
    from workbench.core.runs import RunStore
    from workbench.core.runs.compare import cell_text

    with RunStore() as store:
        records = store.list_runs()
    if args.limit is not None:
        records = records[:max(0, args.limit)]
    if args.json:
        print(json.dumps([{k: _finite(v) for k, v in r.to_dict().items()} for r in records]))
        return 0
    if not records:
        print("no runs yet: workbench train SPEC --data SOURCE makes one")
        return 0
    head = ("run", "status", "started", "model", "data", "best val acc", "test acc",
            "duration", "device")
    rows = [(r.id, r.status, r.created[:16].replace("T", " "), r.spec_name,
             display_source(r.data_source), cell_text("best_val_accuracy", r.best_val_accuracy),
             cell_text("test_accuracy", r.test_accuracy), cell_text("seconds", r.seconds),
             r.device) for r in records]
    _table(head, rows)
    return 0


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=True)]
    for row in (head, *rows):
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)).rstrip())


def compare_command(args: argparse.Namespace) -> int:
    from workbench.core.runs import RunError, RunStore, find_run_dir
    from workbench.core.runs.compare import (
        cell_text,
        compare_configs,
        compare_results,
        row_label,
    )

    if len(args.runs) < 2:
        raise CliError("give two or more runs to compare")
    with RunStore() as store:
        records = []
        for arg in args.runs:
            try:
                run_dir, record = find_run_dir(arg, store)
                if record is None:
                    info = json.loads((run_dir / "run.json").read_text())
                    record = store.find(str(info.get("id", "")))
            except RunError as e:
                raise CliError(str(e)) from None
            if record is None:
                raise CliError(f"the run {arg} is not in the run history")
            records.append(record)
    settings, results = compare_configs(records), compare_results(records)
    if args.json:
        print(json.dumps({
            "runs": [r.id for r in records],
            "settings": [{"key": k, "label": row_label(k), "values": [_finite(v) for v in vs],
                          "differs": d} for k, vs, d in settings if d or args.all],
            "results": [{"key": k, "label": row_label(k), "values": [_finite(v) for v in vs],
                         "differs": d} for k, vs, d in results]}))
        return 0
    differ = sum(1 for *_, d in settings if d)
    print(f"{differ} setting(s) differ between the {len(records)} runs")
    head = ("", *(r.id for r in records))
    shown = [row for row in settings if row[2] or args.all]
    _table(head, [(("* " if d else "  ") + row_label(k), *(cell_text(k, v) for v in vs))
                  for k, vs, d in shown])
    print("\nresults")
    _table(head, [(("* " if d else "  ") + row_label(k), *(cell_text(k, v) for v in vs))
                  for k, vs, d in results])
    return 0
