"""The settings that suit a kind of data (text), shared by the app and ``workbench train``:
what a config lacks of them, applying them, and the CLI saying which it used."""

from __future__ import annotations

import dataclasses

import pytest

from workbench.cli import build_parser
from workbench.cli.train import make_config
from workbench.core.engine.config import TrainingConfig
from workbench.core.engine.presets import (
    TEXT,
    apply_preset,
    describe,
    preset_changes,
    preset_kind,
)


def test_text_sources_have_a_preset_and_others_none():
    assert preset_kind("text") == preset_kind(" Text:/data/input.txt") == "text"
    for source in ("digits", "textcsv:/a.csv", "folder:/x", ""):
        assert preset_kind(source) is None and preset_changes(TrainingConfig(), source) == {}


def test_changes_are_what_the_config_lacks_and_applying_gives_them_all():
    config = TrainingConfig(batch_size=TEXT["batch_size"])
    changes = preset_changes(config, "text:/t.txt")
    assert "batch_size" not in changes and changes["optimizer"] == "adamw"
    applied = apply_preset(config, "text:/t.txt")
    assert all(getattr(applied, k) == v for k, v in TEXT.items())
    assert preset_changes(applied, "text") == {}
    # everything else is left as it was
    others = {f.name for f in dataclasses.fields(TrainingConfig)} - set(TEXT)
    assert all(getattr(applied, k) == getattr(config, k) for k in others)


def test_describe_uses_the_settings_words():
    text = describe({"optimizer": "adamw", "batch_size": 32})
    assert text == "optimizer AdamW, batch size 32"


@pytest.mark.parametrize("flags", [(), ("--lr", "0.01")])
def test_the_cli_says_which_text_settings_it_used(capsys, flags):
    args = build_parser().parse_args(["train", "char_gpt", "--data", "text:/t.txt", *flags])
    config = make_config(args)
    err = capsys.readouterr().err
    assert "the settings that suit text" in err and "optimizer AdamW" in err
    if flags:
        assert config.lr == 0.01 and "learning rate" not in err  # the flag wins, unsaid
    else:
        assert config.lr == TEXT["lr"] and "learning rate 0.002" in err


def test_no_preset_note_for_other_data(capsys):
    make_config(build_parser().parse_args(["train", "mlp", "--data", "digits"]))
    assert "suit" not in capsys.readouterr().err
