"""TrainingConfig's settings are declared once (label, help, range or choices, group, flag)
and validate() walks the declarations: types, finiteness, ranges, choices, each problem a
sentence that names the setting."""

from __future__ import annotations

import dataclasses
import math
import typing

import pytest

from workbench.core.engine.config import GROUPS, LABELS, TrainingConfig
from workbench.core.engine.settings import lower_first, setting, settings_of


def test_every_field_is_declared_completely():
    names = [f.name for f in dataclasses.fields(TrainingConfig)]
    declared = TrainingConfig.settings()
    assert [s.name for s in declared] == names  # no field without its declaration
    groups = {g.title for g in GROUPS}
    for s in declared:
        assert s.label and s.help and s.group in groups, s.name
        assert s.default == getattr(TrainingConfig(), s.name)
        if s.relevant_when is not None:
            assert TrainingConfig.setting(s.relevant_when[0]) is not None, s.name
        if s.kind in ("int", "float"):
            assert s.check(s.default) is None, s.name
    flags = [s.flag for s in declared] + [f"--{a}" for s in declared for a in s.cli_aliases]
    assert len(flags) == len(set(flags))  # no two settings share a flag


def test_choices_are_the_literal_values_with_titles():
    hints = typing.get_type_hints(TrainingConfig)
    for s in TrainingConfig.settings():
        if s.kind == "choice":
            assert set(s.choices) == set(typing.get_args(hints[s.name])), s.name
            assert len(s.titles) == len(s.choices), s.name
    assert TrainingConfig.title("schedule", "onecycle") == "One-cycle"
    assert TrainingConfig.title("augment", True) == "on"
    assert TrainingConfig.title("lr", 0.003) == "0.003"


def test_labels_come_from_the_declarations():
    assert TrainingConfig.label("lr") == "Learning rate" == LABELS["lr"]
    assert TrainingConfig.label("warmup_epochs") == "Warm-up (epochs)"
    assert TrainingConfig.label("model") == "Model"  # not a setting: as given, capitalized
    assert set(LABELS) == {f.name for f in dataclasses.fields(TrainingConfig)}


def test_the_defaults_are_valid():
    assert TrainingConfig().validate() == []


@pytest.mark.parametrize(("field", "value", "message"), [
    ("warmup_epochs", -5.0, "Warm-up (epochs) must be at least 0, not -5"),
    ("grad_clip", -1.0, "Gradient clipping (norm) must be at least 0, not -1"),
    ("patience", -1, "Patience (epochs) must be at least 1, not -1"),
    ("seed", -1, "Seed must be between 0 and 2^64 - 1, not -1"),
    ("seed", 2**64, "Seed must be between 0 and 2^64 - 1, not 18446744073709551616"),
    ("weight_decay", math.nan, "Weight decay must be a finite number, not nan"),
    ("lr", 0.0, "Learning rate must be greater than 0, not 0"),
    ("lr", math.inf, "Learning rate must be a finite number, not inf"),
    ("label_smoothing", 1.0, "Label smoothing must be at least 0 and less than 1, not 1"),
    ("momentum", 1.0, "Momentum must be at least 0 and less than 1, not 1"),
    ("gamma", 0.0, "Step schedule: decay factor must be greater than 0 and at most 1, not 0"),
    ("rotation", 270.0, "Augment: rotation (degrees) must be between 0 and 180, not 270"),
    ("epochs", 2.5, "Epochs must be a whole number, not 2.5"),
    ("batch_size", True, "Batch size must be a whole number, not True"),
    ("lr", "fast", "Learning rate must be a number, not 'fast'"),
    ("augment", "yes", "Augment images must be on or off (true or false), not 'yes'"),
    ("optimizer", "adagrad", "Optimizer must be one of adam, adamw, sgd, rmsprop, not 'adagrad'"),
    ("device", "", "Device must be given, not blank"),
])
def test_a_refused_value_is_one_sentence_naming_the_setting(field, value, message):
    config = TrainingConfig(**{field: value})
    assert config.validate() == [message]
    (problem,) = config.problems()
    assert problem.name == field


def test_every_problem_is_reported_at_once():
    config = TrainingConfig(warmup_epochs=-5, grad_clip=-1, patience=-1)
    assert [p.name for p in config.problems()] == ["grad_clip", "warmup_epochs", "patience"]


def test_relevance():
    momentum = TrainingConfig.setting("momentum")
    assert momentum.is_relevant({"optimizer": "sgd"}) and not momentum.is_relevant(
        {"optimizer": "adam"})
    assert TrainingConfig.setting("gamma").is_relevant({"schedule": "step"})
    assert not TrainingConfig.setting("rotation").is_relevant({"augment": False})


def test_a_new_declared_field_is_all_it_takes():
    """The machinery is generic: another dataclass (or a new field) gets its checks from
    its declaration alone."""

    @dataclasses.dataclass(frozen=True)
    class More(TrainingConfig):
        nproc: int = setting(1, "Processes", group="Hardware", min=1,
                             help="Processes to train with")

    (nproc,) = [s for s in settings_of(More) if s.name == "nproc"]
    assert (nproc.kind, nproc.flag, nproc.default) == ("int", "--nproc", 1)
    assert More(nproc=0).validate() == ["Processes must be at least 1, not 0"]


def test_lower_first_keeps_names():
    assert lower_first("Learning rate must") == "learning rate must"
    assert lower_first("CUDA is") == "CUDA is"
    assert lower_first("torch.compile") == "torch.compile"
