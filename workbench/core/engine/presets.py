"""Training settings that suit a kind of data better than the general defaults, offered
where that data is chosen (``workbench train`` uses them when a flag is not given).

Text (next-character prediction): a character GPT learns most per character seen with many
small steps (nanoGPT's CPU recipe uses batches of 12; here 16 beat 32 by 0.05-0.09 nats
after the same 1.8 M characters, for 10-20 % more CPU time per character), AdamW at a
higher peak rate than images want (2e-3; 3e-3 did no better, 5e-3 worse), a one-cycle
schedule that ends near zero, and gradient clipping against the loss spikes of early
attention layers. (The char_gpt template's small initial embedding, ``init_std`` 0.02,
gained another 0.08 nats.) Two epochs of tiny Shakespeare (1.8 M characters) take about 3.5
minutes of one CPU core. Measured with ``benchmarks/text_generation.py`` (benchmarks/README.md).

The app applies the same preset when text data is chosen (the Training tab says so, with an
Undo), the CLI where a flag does not say otherwise (and says which it used): both through
``preset_changes``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.core.engine.config import TrainingConfig

TEXT: dict[str, Any] = {
    "epochs": 2, "batch_size": 16, "optimizer": "adamw", "lr": 2e-3, "weight_decay": 0.01,
    "schedule": "onecycle", "warmup_epochs": 0.1, "grad_clip": 1.0,
}


PRESETS: dict[str, dict[str, Any]] = {"text": TEXT}


def preset_kind(source: str) -> str | None:
    """The kind of data ``source`` is, when a preset suits it ("text"); None otherwise."""
    kind = source.strip().partition(":")[0].strip().lower()
    return kind if kind in PRESETS else None


def preset_for_source(source: str) -> dict[str, Any]:
    """The settings that suit ``source`` (a data source as ``load_source`` takes it), empty
    when the general defaults do."""
    kind = preset_kind(source)
    return dict(PRESETS[kind]) if kind is not None else {}


def preset_changes(config: TrainingConfig, source: str) -> dict[str, Any]:
    """The preset's settings for ``source`` that ``config`` does not have yet (name -> value
    to set); empty when none suits it or it has them all."""
    return {k: v for k, v in preset_for_source(source).items() if getattr(config, k) != v}


def apply_preset(config: TrainingConfig, source: str) -> TrainingConfig:
    return replace(config, **preset_changes(config, source))


def describe(values: dict[str, Any]) -> str:
    """"batch size 32, optimizer AdamW, ..." in the settings' own words (for the CLI; the
    app translates each label and value itself)."""
    from workbench.core.engine.config import TrainingConfig

    out = []
    for name, value in values.items():
        s = TrainingConfig.setting(name)
        if s is not None:
            out.append(f"{s.short_label.lower()} {s.title_of(value)}")
    return ", ".join(out)
