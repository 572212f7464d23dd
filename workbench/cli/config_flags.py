"""``workbench train``'s training-setting flags, generated from TrainingConfig's declarations:
one flag per field (its declared name, type, choices, help, range and default), grouped as
the Training form groups them, and the config they make, checked by the same declarations.

Plain argparse and the core's declarations only; torch is not imported here.
"""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli import CliError
from workbench.core.engine.config import GROUPS, TrainingConfig
from workbench.core.engine.settings import Setting, SettingProblem, format_value, lower_first

_METAVARS = {"int": "N", "float": "X"}


def add_config_flags(parser: argparse.ArgumentParser, defaults: dict[str, Any]) -> None:
    """One flag per TrainingConfig field; an unset flag is None (the config's default, or
    ``defaults``' where the command line has its own)."""
    groups = {g.title: parser.add_argument_group(f"{g.title.lower()} settings")
              for g in GROUPS}
    for s in TrainingConfig.settings():
        where = groups.get(s.group, parser)
        names = [s.flag, *("--" + a for a in s.cli_aliases)]
        text = _help(s, defaults.get(s.name, s.default))
        if s.kind == "bool":
            where.add_argument(*names, dest=s.name, action=argparse.BooleanOptionalAction,
                               default=None, help=text)
        elif s.kind == "choice":
            where.add_argument(*names, dest=s.name, choices=s.choices, help=text)
        else:
            kind = {"int": int, "float": float}.get(s.kind, str)
            where.add_argument(*names, dest=s.name, type=kind, help=text,
                               metavar=_METAVARS.get(s.kind, s.name.upper()))


def given_settings(args: argparse.Namespace) -> list[Setting]:
    """The settings whose flags were given."""
    return [s for s in TrainingConfig.settings() if getattr(args, s.name, None) is not None]


def config_from_args(args: argparse.Namespace, defaults: dict[str, Any]
                     ) -> tuple[TrainingConfig, list[str]]:
    """The config the flags ask for, and notes about flags that have no effect with the other
    settings. Refused values raise CliError (exit status 2), one clause per problem."""
    values = dict(defaults)
    given = given_settings(args)
    values.update({s.name: getattr(args, s.name) for s in given})
    config = TrainingConfig.from_dict(values)
    problems = config.problems()
    if problems:
        raise CliError("; ".join(flag_problem(p) for p in problems), 2)
    chosen = config.to_dict()
    notes = [f"{s.flag} has no effect {_condition(s, met=False)}"
             for s in given if not s.is_relevant(chosen)]
    return config, notes


def check_flags(args: argparse.Namespace, settings: list[Setting]) -> None:
    """Refuse given values of ``settings`` that their declarations do not allow."""
    problems = []
    for s in settings:
        value = getattr(args, s.name, None)
        rule = s.check(value) if value is not None else None
        if rule is not None:
            problems.append(SettingProblem(s.name, s.label, rule, value))
    if problems:
        raise CliError("; ".join(flag_problem(p) for p in problems), 2)


def flag_problem(p: SettingProblem) -> str:
    """"--warmup -5: warm-up (epochs) must be at least 0"."""
    s = TrainingConfig.setting(p.name)
    flag = s.flag if s is not None else p.name
    return f"{flag} {format_value(p.value)}: {lower_first(p.label)} {p.rule}"


def _help(s: Setting, default: Any) -> str:
    parts = [lower_first(s.help)]
    if s.kind in ("int", "float") and (s.min is not None or s.max is not None):
        parts.append(s.range_text().removeprefix("must be "))
    shown = s.title_of(default) if s.kind == "bool" else (
        default if isinstance(default, str) else format_value(default))
    parts.append(f"default {shown}")
    text = "; ".join(p for p in parts if p)
    if s.relevant_when is not None:
        text += f" ({_condition(s, met=True)})"
    return text.replace("%", "%%")


def _condition(s: Setting, *, met: bool) -> str:
    """When ``s`` matters: "only when --optimizer is sgd or rmsprop" / "with --augment"
    (``met``), or "unless --optimizer is ..." / "without --augment"."""
    other, wanted = s.relevant_when or ("", ())
    o = TrainingConfig.setting(other)
    flag = o.flag if o is not None else other
    if wanted == (True,):
        return f"{'with' if met else 'without'} {flag}"
    return f"{'only when' if met else 'unless'} {flag} is " + " or ".join(map(str, wanted))
