"""Settings declared once: a dataclass field made with ``setting(...)`` carries its label,
help, range or choices, form group and CLI flag in its metadata. The Training form, the
``workbench train`` flags, validation and the run comparison all read these declarations
(magicgui's forms-from-types is the idea), so adding a field is the only step needed to get
a form entry, a flag and its checks.

Plain data and the standard library only: the GUI imports this without torch.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

Kind = Literal["bool", "int", "float", "choice", "str"]


@dataclass(frozen=True)
class Group:
    """A form section. ``advanced`` ones start collapsed."""

    title: str
    advanced: bool = False


@dataclass(frozen=True)
class Setting:
    """One field's declaration; ``name``, ``kind``, ``default`` and ``choices`` (values) are
    filled in from the dataclass field by ``settings_of``."""

    label: str  # what people call it; the run comparison and error messages use it
    help: str = ""  # one sentence: tooltip and CLI help
    group: str = ""  # a Group title
    min: float | None = None
    max: float | None = None
    min_open: bool = False  # min itself is not allowed ("greater than 0")
    max_open: bool = False  # max itself is not allowed ("less than 1")
    titles: tuple[tuple[Any, str], ...] = ()  # (value, title) for choices, in form order
    log: float | None = None  # log-scale editor whose smallest non-zero rung is this
    step: float | None = None  # editor step
    decimals: int | None = None  # editor decimals
    zero_text: str | None = None  # what 0 means, shown in the editor ("off")
    form_label: str | None = None  # a shorter label inside its form group
    cli: str | None = None  # flag name (without "--") when it is not the field name
    cli_aliases: tuple[str, ...] = ()
    # (other field, values): the setting matters only while that field has one of them
    relevant_when: tuple[str, tuple[Any, ...]] | None = None
    live: bool = False  # may change while a run is active (else the form locks it)
    # the kinds of model it applies to (MODEL_KINDS); empty: every kind
    models: tuple[str, ...] = ()
    # filled in from the dataclass field
    name: str = ""
    kind: Kind = "str"
    default: Any = None
    choices: tuple[Any, ...] = ()

    @property
    def short_label(self) -> str:
        return self.form_label or self.label

    @property
    def flag(self) -> str:
        return "--" + (self.cli or self.name).replace("_", "-")

    def title_of(self, value: Any) -> str:
        """A value as people read it: a choice's title, on/off, 0.001."""
        for v, title in self.titles:
            if v == value:
                return title
        if isinstance(value, bool):
            return "on" if value else "off"
        return format_value(value)

    def is_relevant(self, values: dict[str, Any]) -> bool:
        if self.relevant_when is None:
            return True
        other, wanted = self.relevant_when
        return values.get(other) in wanted

    def applies_to(self, model: str | None) -> bool:
        """Whether the setting means anything for a model of kind ``model`` (None: any)."""
        return model is None or not self.models or model in self.models

    def check(self, value: Any) -> str | None:
        """What is wrong with ``value`` for this setting ("must be at least 0"), or None."""
        if self.kind == "bool":
            return None if isinstance(value, bool) else "must be on or off (true or false)"
        if self.kind == "choice":
            if value in self.choices:
                return None
            return "must be one of " + ", ".join(str(c) for c in self.choices)
        if self.kind == "str":
            return None if isinstance(value, str) and value.strip() else "must be given"
        if self.kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
            return "must be a whole number"
        if self.kind == "float":
            if isinstance(value, bool) or not isinstance(value, int | float):
                return "must be a number"
            if not math.isfinite(value):
                return "must be a finite number"
        too_low = self.min is not None and (value <= self.min if self.min_open
                                            else value < self.min)
        too_high = self.max is not None and (value >= self.max if self.max_open
                                             else value > self.max)
        return self.range_text() if too_low or too_high else None

    def range_text(self) -> str:
        """The allowed range in words: "must be at least 0 and less than 1"."""
        low = high = ""
        if self.min is not None:
            low = ("greater than " if self.min_open else "at least ") + _bound(self.min)
        if self.max is not None:
            high = ("less than " if self.max_open else "at most ") + _bound(self.max)
        if low and high and not (self.min_open or self.max_open):
            return f"must be between {_bound(self.min)} and {_bound(self.max)}"
        return "must be " + " and ".join(p for p in (low, high) if p)


@dataclass(frozen=True)
class SettingProblem:
    """A value a setting does not allow; ``str()`` is the sentence people read."""

    name: str
    label: str
    rule: str  # "must be at least 0"
    value: Any

    def __str__(self) -> str:
        return f"{self.label} {self.rule}, not {format_value(self.value)}"


def setting(default: Any, label: str, **declaration: Any) -> Any:
    """A dataclass field with its declaration: ``lr: float = setting(1e-3, "Learning rate",
    min=0, min_open=True, group="Optimizer")``."""
    return field(default=default, metadata={"setting": Setting(label, **declaration)})


@cache
def settings_of(cls: type) -> tuple[Setting, ...]:
    """Every declared field of the dataclass ``cls``, in declaration order, complete."""
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        decl = f.metadata.get("setting")
        if decl is None:
            continue
        kind, choices = _kind(hints[f.name])
        if decl.titles:
            choices = tuple(v for v, _ in decl.titles)
        out.append(dataclasses.replace(decl, name=f.name, kind=kind, default=f.default,
                                       choices=choices))
    return tuple(out)


def problems_of(obj: Any) -> list[SettingProblem]:
    """Each declared field of the dataclass instance ``obj`` that its declaration refuses."""
    out = []
    for s in settings_of(type(obj)):
        value = getattr(obj, s.name)
        rule = s.check(value)
        if rule is not None:
            out.append(SettingProblem(s.name, s.label, rule, value))
    return out


def format_value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if value is None or value == "":
        return "blank"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def _bound(value: float) -> str:
    """A range's end: 2^64 - 1 rather than its twenty digits."""
    if isinstance(value, int) and value >= 2**32 and (value + 1).bit_count() == 1:
        return f"2^{(value + 1).bit_length() - 1} - 1"
    return format_value(value)


def lower_first(sentence: str) -> str:
    """"Learning rate must ..." -> "learning rate must ..." inside a longer sentence; names
    such as "CUDA" or "torch.compile" are left alone."""
    if len(sentence) > 1 and sentence[0].isupper() and not sentence[1].isupper():
        return sentence[0].lower() + sentence[1:]
    return sentence


def _kind(hint: Any) -> tuple[Kind, tuple[Any, ...]]:
    if typing.get_origin(hint) is Literal:
        return "choice", typing.get_args(hint)
    for t, kind in ((bool, "bool"), (int, "int"), (float, "float"), (str, "str")):
        if hint is t:
            return kind, ()  # type: ignore[return-value]
    raise TypeError(f"a setting must be bool, int, float, str or a Literal, not {hint!r}")
