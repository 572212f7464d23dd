"""``workbench export RUN --format FORMAT --output PATH``: a trained run, a bundle, or (with
``--untrained``) a spec or template, as a bundle, ONNX, .pt2, TorchScript or a PyTorch
project. Every export is read back and compared with the model; the result is printed."""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.cli import CliError

FORMAT_NAMES = ("bundle", "onnx", "pt2", "torchscript", "pytorch")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help="export a run, bundle or model as a bundle, ONNX, .pt2, TorchScript or "
                       "a PyTorch project",
        description="Write a trained model in another format and check that the written file "
                    "reproduces it. Exit status 1 if the format cannot hold the model, 2 if "
                    "RUN cannot be used.")
    p.add_argument("run", metavar="RUN",
                   help="a run folder or id, a .wbbundle, or with --untrained a spec or template")
    p.add_argument("--format", "-f", required=True, choices=FORMAT_NAMES,
                   help="bundle (.wbbundle), onnx, pt2 (torch.export), torchscript, or pytorch "
                        "(a folder with model.py and train.py)")
    p.add_argument("--output", "-o", metavar="PATH",
                   help="file (or folder for pytorch) to write; default: named after the model")
    p.add_argument("--untrained", action="store_true",
                   help="RUN is a spec file or template name: export it at initialization")
    p.add_argument("--seed", type=int, default=0, help="initialization seed with --untrained")
    p.add_argument("--which", choices=("best", "last"), default="best",
                   help="which checkpoint of a run (default best)")
    p.add_argument("--no-verify", action="store_true",
                   help="skip reading the export back and comparing outputs")
    p.set_defaults(func=export_command)


@dataclass
class Source:
    """What is exported: the model with everything known about it."""

    spec: Any
    model: Any
    meta: dict[str, Any] | None
    config: dict[str, Any] | None
    metrics: dict[str, Any] | None
    name: str


def resolve(arg: str, untrained: bool, which: str = "best", seed: int = 0) -> Source:
    """RUN as a spec/template (``untrained``), a bundle, or a run folder/id."""
    from workbench.core.export import BundleError, is_bundle, load_bundle

    if untrained:
        import torch

        from workbench.core.graph import ModelInvalidError, SpecFormatError, analyze, build_model
        from workbench.core.graph.fits import ModelTooLargeError, check_fits
        from workbench.core.templates import load_spec_or_template

        try:
            spec = load_spec_or_template(arg)
            if spec.is_gan:  # a GAN is exported as its generator
                spec = _generator_spec(spec)
            analysis = analyze(spec, 1)
            if analysis.ok:  # an absurd size is refused with its figure before building
                check_fits(analysis, "cpu", training=False)
            torch.manual_seed(seed)
            model = build_model(spec, analysis)
        except SpecFormatError as e:
            raise CliError(str(e), 2) from None
        except ModelInvalidError as e:
            raise CliError(str(e), 1) from None
        except ModelTooLargeError as e:
            raise CliError(str(e), 2) from None
        except (RuntimeError, MemoryError) as e:  # the allocator refused all the same
            why = str(e).splitlines()[0][:160] if str(e) else "out of memory"
            raise CliError(f"the model cannot be created here ({why}): make it smaller",
                           2) from None
        return Source(spec, model, None, None, None, spec.name)
    if is_bundle(arg):
        try:
            b = load_bundle(arg)
        except BundleError as e:
            raise CliError(str(e), 2) from None
        return Source(b.spec, b.model, b.meta, b.config, b.metrics, b.spec.name)
    from workbench.core.runs import RunError, open_run

    try:
        run = open_run(arg)
        if run.spec.is_gan:  # the generator: noise in, images out
            from workbench.core.generate.images import load_generator

            model, _ = load_generator(run, which)
            return Source(_generator_spec(run.spec), model, None, _dict(run.config),
                          run.evaluation, f"{run.spec.name} generator")
        model = run.load_model(which)
        for note in run.notes:
            print(f"workbench export: {note}", file=sys.stderr)
    except RunError as e:
        hint = "" if Path(arg).exists() else \
            " (to export a spec or template at initialization, add --untrained)"
        raise CliError(f"{e}{hint}", 2) from None
    meta = _dict(run.meta)
    meta.setdefault("source", run.data_source)
    meta.setdefault("data_options", run.data_options)
    from workbench.core.runs.folders import frozen_settings

    config = {**_dict(run.config), **frozen_settings(run.run_dir)}  # freezing reproduced
    return Source(run.spec, model, meta, config, run.evaluation, run.spec.name)


def _generator_spec(spec: Any) -> Any:
    from workbench.core.graph.gan import GENERATOR

    part = spec.part(GENERATOR).copy()
    part.name = f"{spec.name} generator"
    part.description = f"The generator of {spec.name}: a latent vector in, an image out"
    return part


def _dict(obj: Any) -> dict[str, Any]:
    return dict(obj.to_dict() if hasattr(obj, "to_dict") else obj or {})


def default_output(name: str, fmt: str) -> Path:
    from workbench.core.export import FORMATS

    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "model"
    info = FORMATS[fmt]
    return Path(stem + info.suffix if info.suffix else stem + "-pytorch")


def export_command(args: argparse.Namespace) -> int:
    from workbench.core.export import ExportError, export_model

    src = resolve(args.run, args.untrained, args.which, args.seed)
    output = Path(args.output) if args.output else default_output(src.name, args.format)
    chatter = io.StringIO()  # torch prints partial graphs when an exporter fails: say why instead
    try:
        with contextlib.redirect_stdout(chatter), contextlib.redirect_stderr(chatter):
            result = export_model(args.format, output, spec=src.spec, model=src.model,
                                  meta=src.meta, config=src.config, metrics=src.metrics,
                                  verify=not args.no_verify)
    except ExportError as e:
        raise CliError(str(e), 1) from None
    except OSError as e:
        raise CliError(f"cannot write {output}: {e.strerror or e}", 2) from None
    print(result.summary())
    return 0
