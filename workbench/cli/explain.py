"""``workbench explain``: why a trained run (or bundle) predicts what it does for one input,
as a heat map (images), coloured tokens (text) or bars (features) in a PNG, and figures."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from workbench.cli import CliError

METHOD_CHOICES = ("saliency", "integrated-gradients", "gradcam", "occlusion", "lime", "shap")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "explain", help="explain one prediction of a trained run: a heat map as a PNG",
        description="Attribute a trained model's prediction for one input to the input: "
                    "saliency, Integrated Gradients, Grad-CAM, occlusion, LIME or KernelSHAP "
                    "(by Captum). The PNG shows the input and the map side by side with a "
                    "colour scale; --json prints the figures. The input is prepared exactly "
                    "as `workbench predict` prepares it.")
    p.add_argument("run", metavar="RUN", help="run folder or run id, or an exported .wbbundle")
    p.add_argument("input", metavar="FILE_OR_TEXT", help="an image file, or text (or a text "
                   "file) for text models, numbers for feature models")
    p.add_argument("--method", choices=METHOD_CHOICES, default="gradcam",
                   help="attribution method (default gradcam; lime and shap take longer)")
    p.add_argument("--layer", metavar="NAME", help="gradcam: the convolution layer (node name) "
                   "to explain at; default: the last one feeding the head")
    p.add_argument("--target", metavar="CLASS", help="the class to explain, by name or "
                   "number (default: the predicted class)")
    p.add_argument("--samples", type=int, default=None, metavar="N",
                   help="lime and shap: perturbed samples (default 512)")
    p.add_argument("--which", choices=["best", "last"], default="best",
                   help="which checkpoint of the run (default best)")
    p.add_argument("-o", "--output", metavar="PNG", help="write the picture here "
                   "(default: explain-METHOD.png in the current folder)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(func=explain_command)


def explain_command(args: argparse.Namespace) -> int:
    from workbench.core.explain import Cancelled, ExplainError, Settings, Subject, explain
    from workbench.core.explain.render import headline, render_png

    if args.samples is not None and args.samples < 8:
        raise CliError("--samples must be at least 8")
    out = Path(args.output or f"explain-{args.method}.png")
    if out.suffix.lower() != ".png":
        raise CliError(f"the output {out} must be a .png file")
    if not out.parent.is_dir():
        raise CliError(f"there is no folder {out.parent} to write {out.name} into")
    settings = Settings() if args.samples is None else Settings(samples=args.samples)
    path = Path(args.input)
    try:
        subject = Subject.open(args.run, args.which)
        value = path if path.is_file() or subject.kind == "image" else args.input
        e = explain(subject, value, args.method, target=args.target, layer=args.layer,
                    settings=settings, progress=_progress(args))
        render_png(e, out)
    except ExplainError as exc:
        raise CliError(str(exc)) from None
    except Cancelled:
        raise KeyboardInterrupt from None
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror or exc}") from None
    if args.json:
        print(json.dumps({**e.summary(), "output": str(out), "run": str(args.run),
                          "input": str(args.input)}))
        return 0
    s = e.summary()
    print(headline(e))
    print(f"map {' x '.join(map(str, s['shape']))}: min {s['min']:.4g}, max {s['max']:.4g}, "
          f"mean {s['mean']:.4g}; top 10 % hold {100 * s['top10_share']:.0f} % of the mass")
    if e.layer_map is not None:
        print(f"layer {e.layer}: {e.layer_map.shape[0]} x {e.layer_map.shape[1]} before "
              "upsampling")
    for note in e.notes:
        print(f"({note})")
    print(f"{s['seconds']:.2f} s; wrote {out}")
    return 0


def _progress(args: argparse.Namespace):
    """A one-line progress for the slow methods on a terminal (never into --json output)."""
    if args.method not in ("lime", "shap", "occlusion") or not sys.stderr.isatty():
        return None

    def show(fraction: float, text: str) -> None:
        end = "\n" if fraction >= 1 else ""
        print(f"\r{text}: {100 * fraction:3.0f} %", end=end, file=sys.stderr, flush=True)

    return show
