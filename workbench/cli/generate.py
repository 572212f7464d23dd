"""``workbench generate RUN``: text from a trained causal language model (printed as it is
sampled), or, for an image generator, a grid of samples written to a file.

Image runs are handed to ``workbench.core.generate.images`` where that module exists; its
contract is ``is_image_run(run) -> bool`` and ``write_sample_grid(run, n=, path=, seed=,
which=) -> Path``.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from workbench.cli import CliError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "generate", help="generate text (or images) with a trained run",
        description="Continue --prompt with a trained text model (char_gpt or any causal "
                    "language model) and print the text; for an image generator, write "
                    "-n samples as a grid to -o FILE.")
    p.add_argument("run", metavar="RUN", help="run folder or run id")
    p.add_argument("--prompt", default="", help="the text to continue (default: a new line)")
    p.add_argument("--length", type=int, default=200, metavar="N",
                   help="tokens to generate (default 200)")
    p.add_argument("--temperature", type=float, default=0.8, metavar="T",
                   help="below 1 safer, above 1 wilder; 0 always takes the likeliest (default 0.8)")
    p.add_argument("--top-k", type=int, default=0, metavar="K",
                   help="draw only among the K likeliest tokens (default 0: off)")
    p.add_argument("--top-p", type=float, default=1.0, metavar="P",
                   help="draw only among the likeliest tokens that make up P of the "
                        "probability (default 1: off)")
    p.add_argument("--seed", type=int, default=0, metavar="S",
                   help="the same seed gives the same text (default 0)")
    p.add_argument("-n", "--samples", type=int, default=64, metavar="N",
                   help="image generators: how many samples in the grid (default 64)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="image generators: the PNG to write")
    p.add_argument("--which", choices=["best", "last"], default="best",
                   help="which checkpoint (default best)")
    p.set_defaults(func=generate_command)


def _images_module():
    """``workbench.core.generate.images`` when it exists (the image half), else None."""
    if importlib.util.find_spec("workbench.core.generate.images") is None:
        return None
    return importlib.import_module("workbench.core.generate.images")


def generate_command(args: argparse.Namespace) -> int:
    from workbench.core.generate.text import GenerationError, Sampling, sample_tokens, text_problem
    from workbench.core.runs import RunError, open_run

    try:
        run = open_run(args.run)
    except RunError as e:
        raise CliError(str(e)) from None
    images = _images_module()
    if images is not None and images.is_image_run(run):
        if args.output is None:
            raise CliError("give -o FILE: the PNG to write the samples to")
        try:
            path = images.write_sample_grid(run, n=args.samples, path=args.output,
                                            seed=args.seed, which=args.which)
        except (RunError, ValueError) as e:
            raise CliError(str(e)) from None
        print(path)
        return 0
    problem = text_problem(run.meta)
    if problem:
        raise CliError(problem)
    sampling = Sampling(length=args.length, temperature=args.temperature, top_k=args.top_k,
                        top_p=args.top_p, seed=args.seed)
    try:
        model = run.load_model(args.which)
        tokens = sample_tokens(model, run.meta, args.prompt, sampling)
    except (RunError, GenerationError) as e:
        raise CliError(str(e)) from None
    sep = " " if run.meta.tokenizer == "word" else ""
    out = sys.stdout
    out.write(args.prompt)
    first = True
    for token in tokens:  # printed as drawn: a long text shows from its first character
        out.write((sep if sep and (args.prompt or not first) else "") + token.text)
        out.flush()
        first = False
    out.write("\n")
    return 0
