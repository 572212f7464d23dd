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
"""

from __future__ import annotations

from typing import Any

TEXT: dict[str, Any] = {
    "epochs": 2, "batch_size": 16, "optimizer": "adamw", "lr": 2e-3, "weight_decay": 0.01,
    "schedule": "onecycle", "warmup_epochs": 0.1, "grad_clip": 1.0,
}


def preset_for_source(source: str) -> dict[str, Any]:
    """The settings that suit ``source`` (a data source as ``load_source`` takes it), empty
    when the general defaults do."""
    kind = source.strip().partition(":")[0].strip().lower()
    return dict(TEXT) if kind == "text" else {}
