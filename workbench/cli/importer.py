"""``workbench import FILE_OR_REF -o OUT``: an ONNX file, ``torchvision:NAME`` or
``module:FILE.py:Class`` as a Workbench bundle (spec + weights) or, with --no-weights, a
.json spec. Written atomically: a failed import leaves nothing behind."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.cli import CliError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import", help="import an ONNX file or a PyTorch model as a Workbench model",
        description="Turn an .onnx file, a torchvision model (torchvision:resnet18) or a "
                    "PyTorch class (module:path/to/file.py:ClassName) into a Workbench model "
                    "with its weights, checked against the original. Exit status 2 when it "
                    "cannot be imported (the message names the layer).")
    p.add_argument("source", metavar="FILE_OR_REF",
                   help="model.onnx, torchvision:NAME or module:FILE.py:ClassName")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="OUT.wbbundle (spec and weights), or a .json spec with --no-weights")
    p.add_argument("--no-weights", action="store_true",
                   help="write only the spec (.json); nothing is downloaded")
    p.add_argument("--random-init", action="store_true",
                   help="torchvision/module: random initial weights instead of pretrained ones")
    p.add_argument("--weights", default="DEFAULT", metavar="NAME_OR_FILE",
                   help="torchvision: the weights to use (DEFAULT, IMAGENET1K_V1...; downloaded "
                        "once into torch hub's cache); module: a .safetensors or state-dict file")
    p.add_argument("--input-shape", metavar="C,H,W", type=_shape,
                   help="per-sample input shape where the source does not say it, e.g. 1,28,28")
    p.set_defaults(func=import_command)


def _shape(text: str) -> tuple[int, ...]:
    try:
        shape = tuple(int(s) for s in text.replace("x", ",").split(",") if s.strip())
    except ValueError:
        shape = ()
    if not shape or len(shape) > 3 or min(shape) < 1:
        raise argparse.ArgumentTypeError(f"expected 1 to 3 positive numbers such as 3,224,224; "
                                         f"got {text!r}")
    return shape


def import_command(args: argparse.Namespace) -> int:
    from workbench.core.export.bundle import SUFFIX, save_bundle
    from workbench.core.importers import ModelImportError, import_model

    out = Path(args.output)
    spec_only = args.no_weights or out.suffix.lower() == ".json"
    if not spec_only and out.suffix != SUFFIX:
        out = out.with_name(out.name + SUFFIX)
    try:
        result = import_model(args.source, weights=args.weights,
                              random_init=args.random_init or args.no_weights,
                              input_shape=args.input_shape)
    except ModelImportError as e:
        raise CliError(str(e), 2) from None
    try:
        if spec_only:
            result.spec.save(out)
        else:
            save_bundle(out, result.spec, result.model, result.meta)
    except OSError as e:
        raise CliError(f"cannot write {out}: {e.strerror or e}", 2) from None
    check = (f"; outputs match the original within {result.max_diff:.1e}"
             if result.max_diff is not None else "")
    print(f"Imported {args.source}: {result.layers} layers, {result.parameters:,} parameters"
          f", nothing unmapped{check}")
    for note in result.notes:
        print(f"  note: {note}")
    print(f"Wrote {out}" + (" (spec only, no weights)" if spec_only else ""))
    return 0
