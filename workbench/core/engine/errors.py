"""The exception users see from setting up a training run."""

from __future__ import annotations


class TrainingError(Exception):
    """A run cannot start as configured (data and model do not fit, an unusable precision,
    no checkpoint to resume from...). The message says what is wrong and what to do."""
