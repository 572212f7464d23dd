"""``workbench compress``: prune, quantize (int8) or distil a trained run, each result a run
of its own, and print the table against the original."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from workbench.cli import CliError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "compress", help="make a trained run smaller and faster: prune, int8 or distill",
        description="Compress a trained run: magnitude pruning (unstructured, or --structured "
                    "to remove whole channels and neurons) with a short fine-tune; int8 "
                    "quantization (PyTorch dynamic, and onnxruntime static or dynamic on the "
                    "exported ONNX, checked against the float model); or knowledge "
                    "distillation into a smaller student. Each compressed model is a new run "
                    "(lineage to RUN). Prints parameters, size, test accuracy and CPU "
                    "latency per sample against the original; with --json the last line is "
                    "the table as JSON.")
    p.add_argument("run", metavar="RUN", help="run folder or run id")
    p.add_argument("--method", choices=["prune", "int8", "distill"], required=True)
    p.add_argument("--amount", type=float, default=0.5, metavar="X",
                   help="prune: share of weights (or channels) to remove (default 0.5)")
    p.add_argument("--structured", action="store_true",
                   help="prune: remove whole channels and neurons (a narrower spec)")
    p.add_argument("--finetune-epochs", type=int, default=1, metavar="N",
                   help="prune: fine-tune N epochs afterwards (0: none; default 1)")
    p.add_argument("--finetune-lr", type=float, metavar="LR",
                   help="prune: fine-tune learning rate (default: the run's / 10, or / 2 "
                        "with --structured)")
    p.add_argument("--rounds", type=int, default=1, metavar="N",
                   help="prune: reach --amount in N prune + fine-tune steps (default 1)")
    p.add_argument("--half", choices=["fp16", "bf16"],
                   help="int8: also a run with fp16/bf16 weights (for GPUs; size only here)")
    p.add_argument("--student", metavar="SPEC",
                   help="distill: the student, a spec file or template name, or 'half' / "
                        "'width:X' for the teacher at half / X of its width (default half)")
    p.add_argument("--width", type=float, default=0.5, metavar="X",
                   help="distill: width of the generated student (default 0.5)")
    p.add_argument("--epochs", type=int, metavar="N",
                   help="distill: epochs for the student (default: the teacher's)")
    p.add_argument("--temperature", type=float, default=4.0, metavar="T",
                   help="distill: softening temperature of the KD loss (default 4)")
    p.add_argument("--alpha", type=float, default=0.7, metavar="A",
                   help="distill: weight of the teacher's term, 0-1 (default 0.7)")
    p.add_argument("--baseline", action="store_true",
                   help="distill: also train the same student without the teacher")
    p.add_argument("--runs-dir", type=Path, metavar="DIR",
                   help="where the new runs go (default: beside RUN)")
    p.add_argument("--json", action="store_true",
                   help="end with the table as one JSON object (other output on stderr)")
    p.set_defaults(func=compress_command)


def compress_command(args: argparse.Namespace) -> int:
    if args.method == "distill" and args.epochs is not None and args.epochs < 1:
        raise CliError("--epochs must be at least 1")
    if args.method == "prune" and not 0.0 < args.amount < 1.0:
        raise CliError(f"--amount must be between 0 and 1 (the share pruned), not {args.amount}")
    from workbench.cli.report import ProgressPrinter
    from workbench.core.compress import CompressError, CompressOptions, compress_run, format_table
    from workbench.core.runs import RunStore

    report_to = sys.stderr if args.json else sys.stdout
    options = CompressOptions(
        args.method, amount=args.amount, structured=args.structured,
        finetune_epochs=args.finetune_epochs, rounds=args.rounds, half=args.half,
        finetune_lr=args.finetune_lr,
        student=args.student, width=args.width, epochs=args.epochs,
        temperature=args.temperature, alpha=args.alpha, baseline=args.baseline)

    def say(message: str) -> None:
        print(f"compress: {message}", file=report_to, flush=True)

    printer = ProgressPrinter(report=report_to, bar=sys.stderr)
    with RunStore() as store:
        try:
            report = compress_run(args.run, options, store=store, runs_dir=args.runs_dir,
                                  callbacks=[printer], say=say)
        except CompressError as e:
            raise CliError(str(e)) from None
    table = report.to_dict()
    print(format_table(table), file=report_to)
    for run_dir in dict.fromkeys(r["run_dir"] for r in table["rows"][1:] if r["run_dir"]):
        print(f"run: {run_dir}", file=report_to)
    for row in table["rows"]:
        if "top1_agreement" in row["details"]:
            d = row["details"]
            print(f"{row['label']}: top-1 agreement with the float model "
                  f"{100 * d['top1_agreement']:.1f} % on {d['verified_samples']} test samples, "
                  f"largest output difference {d['max_abs_diff']:.4f}", file=report_to)
    if args.json:
        print(json.dumps(table))
    return 0
