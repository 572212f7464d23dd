"""What can go wrong when explaining a prediction."""

from __future__ import annotations


class ExplainError(ValueError):
    """The explanation cannot be made as asked (an unknown layer, a method the model does not
    allow, an input the model does not take); the message says which and what to do."""


class Cancelled(Exception):  # noqa: N818 - a request, not a failure
    """The user cancelled a running explanation (raised from inside the model's forward)."""
