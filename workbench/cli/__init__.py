"""Command line: with no command (or only GUI options) it opens the GUI; each sub-command
lives in its own module, which registers itself through ``register(subparsers)``.

Exit codes: 0 success, 1 the model or run has problems (all printed), 2 the input is not
usable at all (one clear line), 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import sqlite3
import sys

# modules under workbench.cli that each add sub-commands
COMMAND_MODULES = ["inspect", "export", "train", "use", "doctor", "explain", "compress", "sweep",
                   "runs", "generate", "importer"]


class CliError(Exception):
    """A message for the user and an exit code; printed as one line, never a traceback."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


# kept in step with workbench.ui.screenshot.VIEWS (not imported: the CLI works without Qt)
SCREENSHOT_VIEWS = ("model", "data", "training", "evaluation", "runs", "sweep")


def _size(text: str) -> tuple[int, int]:
    w, sep, h = text.lower().partition("x")
    if not (sep and w.isdigit() and h.isdigit()) or int(w) < 200 or int(h) < 150:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT of at least 200x150, "
                                         f"e.g. 1600x1000; got {text!r}")
    return int(w), int(h)


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Build, train, evaluate and export neural networks. Without a command, "
                    "opens the desktop app.")
    parser.add_argument("--screenshot", metavar="FILE",
                        help="open the app, wait until it has settled, save a PNG of the main "
                             "window to FILE and exit")
    parser.add_argument("--screenshot-view", choices=SCREENSHOT_VIEWS, metavar="VIEW",
                        help="with --screenshot, what to show: model (default: the canvas), "
                             "data, training (a run of the open model, grabbed mid-training), "
                             "evaluation or runs (after a short run), sweep (after a short sweep)")
    parser.add_argument("--screenshot-size", metavar="WxH", type=_size,
                        help="with --screenshot, the window's size, e.g. 1600x1000")
    parser.add_argument("--open", metavar="SPEC", help="open this model spec (or template) in the app")
    if not with_commands:
        return parser
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"workbench.cli.{name}").register(sub)
    return parser


def _gui_only(argv: list[str]) -> argparse.Namespace | None:
    """The arguments when they only ask for the GUI. Checked first so that starting the app
    does not import the sub-commands (and torch with them): the window shows sooner."""
    if any(a in ("-h", "--help") for a in argv):
        return None
    args, rest = build_parser(with_commands=False).parse_known_args(argv)
    if rest:
        return None
    args.command = None
    return args


class _CleanStream:
    """stdout/stderr for the commands: text from files (names, class names, messages that
    quote them) loses escape sequences and control characters, and lone surrogates print
    as U+FFFD instead of raising UnicodeEncodeError. The progress bar's \r stays."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        from workbench.core.text import clean

        self._stream.write(clean(text))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def run(argv: list[str]) -> int:
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _CleanStream(out), _CleanStream(err)  # type: ignore[assignment]
    try:
        return _run(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _run(argv: list[str]) -> int:
    args = _gui_only(argv)
    if args is None:
        args = build_parser().parse_args(argv)
    if args.command is None:
        if (args.screenshot_view or args.screenshot_size) and not args.screenshot:
            print("workbench: --screenshot-view and --screenshot-size need --screenshot FILE",
                  file=sys.stderr)
            return 2
        try:
            from workbench.ui.app import run_app
        except ImportError as e:  # the GUI is optional for headless use
            print(f"workbench: the desktop app is not available ({e}); see --help", file=sys.stderr)
            return 2
        return run_app(args)
    try:
        return int(args.func(args) or 0)
    except CliError as e:
        print(f"workbench {args.command}: {e}", file=sys.stderr)
        return e.code
    except sqlite3.Error as e:  # the run history, locked by another process or damaged
        print(f"workbench {args.command}: the run history cannot be used ({e}): another "
              "Workbench may hold it; try again when it is done", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
