"""The one error importers raise: a readable line naming what could not be imported."""

from __future__ import annotations


class ModelImportError(ValueError):
    """Why a model could not be imported (``node``: the source node or layer to blame)."""

    def __init__(self, message: str, node: str | None = None) -> None:
        super().__init__(message)
        self.node = node
