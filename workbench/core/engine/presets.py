"""Training settings that suit a kind of data better than the general defaults, offered
where that data is chosen (``workbench train`` uses them when a flag is not given).

Text (next-character prediction): a character GPT learns most per second with many small
steps (nanoGPT's CPU recipe uses batches of 12), AdamW at a higher peak rate than images
want, a one-cycle schedule that ends near zero, and gradient clipping against the loss
spikes of early attention layers. Measured in ``benchmarks/text_generation.py``.
"""

from __future__ import annotations

from typing import Any

TEXT: dict[str, Any] = {
    "epochs": 2, "batch_size": 32, "optimizer": "adamw", "lr": 2e-3, "weight_decay": 0.01,
    "schedule": "onecycle", "warmup_epochs": 0.1, "grad_clip": 1.0,
}


def preset_for_source(source: str) -> dict[str, Any]:
    """The settings that suit ``source`` (a data source as ``load_source`` takes it), empty
    when the general defaults do."""
    kind = source.strip().partition(":")[0].strip().lower()
    return dict(TEXT) if kind == "text" else {}
