"""Where a path data source points: stored absolute, shown relative.

A source such as ``idx:../datasets/mnist`` means something only from the folder it was typed
in; a run folder, a bundle or an exported project read later from elsewhere must find the
same files. So runs store ``absolute_source(...)`` and views show ``display_source(...)``.
"""

from __future__ import annotations

import os
from pathlib import Path

# the sources written NAME:PATH (see sources.SOURCES, needs_path)
PATH_SOURCES = ("idx", "folder", "csv", "textcsv", "text")


def _split(source: str) -> tuple[str, str] | None:
    prefix, sep, rest = source.strip().partition(":")
    if sep and prefix.strip().lower() in PATH_SOURCES and rest.strip():
        return prefix.strip().lower(), rest.strip()
    return None


def source_path(source: str) -> Path | None:
    """The path of a path source as written (``idx:data/x`` -> ``data/x``), else None."""
    parts = _split(source)
    return Path(parts[1]).expanduser() if parts else None


def absolute_source(source: str, base: str | os.PathLike | None = None) -> str:
    """The source with its path made absolute against ``base`` (default: the current folder);
    other sources unchanged."""
    parts = _split(source)
    if parts is None:
        return source
    path = Path(parts[1]).expanduser()
    if not path.is_absolute():
        path = Path(base or Path.cwd()) / path
    return f"{parts[0]}:{Path(os.path.normpath(path))}"


def display_source(source: str, base: str | os.PathLike | None = None) -> str:
    """For people: the path relative to ``base`` (default: the current folder) when it lies
    inside it, with ``~`` for the home folder otherwise."""
    parts = _split(source)
    if parts is None:
        return source
    path = Path(parts[1]).expanduser()
    if not path.is_absolute():
        return source
    base_path = Path(base or Path.cwd())
    try:
        shown = str(path.relative_to(base_path))
    except ValueError:
        try:
            shown = "~/" + str(path.relative_to(Path.home()))
        except (ValueError, RuntimeError):
            shown = str(path)
    return f"{parts[0]}:{shown}"
