"""The settings that suit a kind of data (text), shared by the app and ``workbench train``:
what a config lacks of them, applying them, and the CLI saying which it used; and the small
initial embedding the char_gpt template asks for (both measured in
benchmarks/text_generation.py)."""

from __future__ import annotations

import dataclasses

import pytest
import torch

from workbench.cli import build_parser
from workbench.cli.train import make_config
from workbench.core.engine.config import TrainingConfig
from workbench.core.engine.presets import (
    TEXT,
    apply_preset,
    describe,
    preset_changes,
    preset_for_source,
    preset_kind,
)
from workbench.core.layers import get_kind
from workbench.core.layers.modules import TokenEmbedding
from workbench.core.templates import load_template


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


def test_text_sources_get_the_text_preset_and_others_none():
    assert preset_for_source(" Text: book.txt") == TEXT
    preset_for_source("text:book.txt")["epochs"] = 99  # a copy: the preset stays as it is
    assert TEXT["epochs"] != 99
    assert preset_for_source("digits") == {} and preset_for_source("csv:a.csv") == {}
    assert TrainingConfig.from_dict(TEXT).validate() == []


def test_the_cli_trains_text_with_the_preset_unless_a_flag_says_otherwise():
    def config(*argv: str) -> TrainingConfig:
        return make_config(build_parser().parse_args(["train", "char_gpt", *argv]))

    text = config("--data", "text:book.txt")
    assert {k: getattr(text, k) for k in TEXT} == TEXT
    assert config("--data", "text:book.txt", "--batch-size", "7").batch_size == 7
    assert config("--data", "digits").batch_size == TrainingConfig().batch_size


def test_token_embedding_starts_at_the_spread_asked_for():
    torch.manual_seed(0)
    small = TokenEmbedding(500, 64, padding_idx=0, init_std=0.02)
    assert abs(float(small.weight.detach()[1:].std()) - 0.02) < 0.002
    assert float(small.weight.detach()[0].abs().max()) == 0.0  # the padding vector stays zero
    plain = TokenEmbedding(500, 64)  # 0: torch's N(0, 1), as nn.Embedding
    assert abs(float(plain.weight.detach().std()) - 1.0) < 0.05
    # the template's embedding, built as the catalogue builds it, starts small
    node = next(n for n in load_template("char_gpt").nodes if n.kind == "Embedding")
    kind = get_kind("Embedding")
    embed = kind.build(kind.resolve({**node.params, "num_embeddings": 67}), [(64,)])
    assert isinstance(embed, TokenEmbedding) and float(embed.weight.detach().std()) < 0.05
