"""``workbench inspect`` (per-layer summary of a spec) and ``workbench templates``."""

from __future__ import annotations

import argparse
import json

from workbench.cli import CliError

DEFAULT_BATCH = 64  # workbench.core.graph.analysis.DEFAULT_BATCH (not imported: --help stays fast)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("inspect", help="print a per-layer summary of a model spec, bundle or template",
                       description="Per-layer table (name, kind, output shape, parameters, "
                                   "FLOPs) and totals. Exit status 1 if the model has problems, "
                                   "2 if the file is not a model spec.")
    p.add_argument("spec", metavar="SPEC_OR_TEMPLATE", help="a .json model spec or a template name")
    p.add_argument("--batch", type=int, default=DEFAULT_BATCH,
                   help=f"batch size for validation, FLOPs and memory (default {DEFAULT_BATCH}, "
                        "the training default: some layers cannot train on a batch of 1)")
    p.add_argument("--optimizer", default="adam", choices=["sgd", "adam", "adamw", "rmsprop"],
                   help="optimizer assumed by the training-memory estimate")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=inspect_command)

    t = sub.add_parser("templates", help="list the model templates")
    t.add_argument("--json", action="store_true", help="print the list as JSON")
    t.set_defaults(func=templates_command)


def _load(arg: str):
    from workbench.core.export import BundleError, is_bundle, load_bundle
    from workbench.core.graph import SpecFormatError
    from workbench.core.templates import load_spec_or_template

    if is_bundle(arg):  # a bundle's model: e.g. one that `workbench import` wrote
        try:
            return load_bundle(arg).spec
        except BundleError as e:
            raise CliError(str(e), 2) from None
    try:
        return load_spec_or_template(arg)
    except SpecFormatError as e:
        raise CliError(str(e), 2) from None


def inspect_command(args: argparse.Namespace) -> int:
    from workbench.core.graph import analyze

    if args.batch < 1:
        raise CliError("--batch must be at least 1", 2)
    spec = _load(args.spec)
    if spec.is_gan and not args.json:  # each graph's table, then the joint problems
        from workbench.core.graph.gan import analyze_gan

        gan = analyze_gan(spec, batch=args.batch, optimizer=args.optimizer)
        for name, part in spec.parts.items():
            print(format_summary(part, gan.part(name), title=f"{spec.name}: {name}") + "\n")
        for _, p in gan.joint:
            print(f"  {p.severity}: {p.message}")
        return 0 if gan.ok else 1
    analysis = analyze(spec, batch=args.batch, optimizer=args.optimizer)
    if args.json:
        mem = analysis.memory
        print(json.dumps({
            "name": spec.name, "batch": args.batch, "ok": analysis.ok,
            "layers": analysis.rows(), "total_params": analysis.total_params,
            "trainable_params": analysis.trainable_params, "total_flops": analysis.total_flops,
            "memory_bytes": {"weights": mem.weights, "gradients": mem.gradients,
                             "optimizer": mem.optimizer, "activations": mem.activations,
                             "total": mem.total},
            "problems": [{"severity": p.severity, "node": p.node, "message": p.message}
                         for p in analysis.problems]}, indent=2))
        return 0 if analysis.ok else 1
    print(format_summary(spec, analysis))
    return 0 if analysis.ok else 1


def format_summary(spec, analysis, title: str | None = None) -> str:
    from workbench.core.layers import fmt_shape

    rows = [("Layer", "Kind", "Output shape", "Params", "FLOPs")]
    for r in analysis.rows():
        info = analysis.nodes[r["name"]]
        rows.append((r["name"], r["kind"],
                     f"{analysis.batch} x {fmt_shape(info.out_shape)}" if info.out_shape
                     else "?", f"{r['params']:,}", human(r["flops"])))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    line = "-" * (sum(widths) + 8)

    def fmt(row):
        return "  ".join(c.ljust(w) if i < 3 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(row, widths, strict=True)))

    out = [f"Model: {title or spec.name}", line, fmt(rows[0]), line, *map(fmt, rows[1:]), line]
    mem = analysis.memory
    out += [f"Total parameters:     {analysis.total_params:,}",
            f"Trainable parameters: {analysis.trainable_params:,}",
            f"Forward FLOPs:        {human(analysis.total_flops)} (batch {analysis.batch})",
            f"Training memory:      ~{human_bytes(mem.total)} (weights {human_bytes(mem.weights)}, "
            f"gradients {human_bytes(mem.gradients)}, optimizer {human_bytes(mem.optimizer)}, "
            f"activations {human_bytes(mem.activations)})"]
    if analysis.problems:
        out += ["", f"{len(analysis.errors)} error(s), "
                    f"{len(analysis.problems) - len(analysis.errors)} warning(s):"]
        out += [f"  {p.severity}: {p.message}" for p in analysis.problems]
    return "\n".join(out)


def human(n: float) -> str:
    for unit, scale in (("G", 1e9), ("M", 1e6), ("K", 1e3)):
        if abs(n) >= scale:
            return f"{n / scale:.2f}{unit}"
    return f"{n:.0f}"


def human_bytes(n: float) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n:.0f} B"


def templates_command(args: argparse.Namespace) -> int:
    from workbench.core.templates import list_templates

    items = list_templates(include_gan=True)
    if args.json:
        print(json.dumps([{"name": t.name, "title": t.title, "description": t.description}
                          for t in items], indent=2))
        return 0
    width = max(len(t.name) for t in items)
    for t in items:
        print(f"{t.name.ljust(width)}  {t.title}: {t.description}")
    return 0
