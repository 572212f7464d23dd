"""The two ways an export can fail: a format cannot hold the model, or a bundle is unusable."""

from __future__ import annotations


class ExportError(ValueError):
    """A format cannot hold this model (or the written file did not verify).

    ``node`` names the layer that could not be exported when it is known, so the UI can
    select it; ``format`` is the format's key in ``FORMATS``.
    """

    def __init__(self, message: str, *, node: str | None = None, format: str = "") -> None:
        super().__init__(message)
        self.node = node
        self.format = format


class BundleError(ValueError):
    """A file is not a usable Workbench bundle: not a bundle at all, truncated, tampered with,
    or its weights do not fit its model. One readable line; loading changed nothing."""
