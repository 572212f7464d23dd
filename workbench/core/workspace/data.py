"""DataChoice: which data the workspace's model trains on (a source and its options)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.data.locations import absolute_source, display_source, source_path

DEFAULT_SOURCE = "digits"


@dataclass(frozen=True)
class DataChoice:
    """A data source as ``load_source`` takes it (``digits``, ``idx:/data/mnist``...) and its
    options (``val_fraction``, ``test_fraction``, ``train_size``...). Path sources are kept
    absolute (``absolute()``), so the choice means the same files from any folder."""

    source: str = DEFAULT_SOURCE
    options: Mapping[str, Any] = field(default_factory=dict)

    def absolute(self, base: str | os.PathLike | None = None) -> DataChoice:
        return DataChoice(absolute_source(self.source, base), dict(self.options))

    @property
    def path(self) -> Path | None:
        return source_path(self.source)

    @property
    def needs_path(self) -> bool:
        """A path source written without its path (``folder:``)."""
        return self.source.strip().endswith(":")

    def display(self, base: str | os.PathLike | None = None) -> str:
        """The source for people: its path relative to ``base`` when inside it."""
        return display_source(self.source, base)

    def load_options(self) -> dict[str, Any]:
        return dict(self.options)
