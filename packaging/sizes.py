"""Folder sizes for the build and smoke scripts: the total and the biggest parts."""

from __future__ import annotations

from pathlib import Path


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def fmt_size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit in ("B", "KB") else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def biggest_parts(app_dir: Path, depth: int = 2, top: int = 12) -> list[tuple[str, int]]:
    """The largest folders ``depth`` levels under the app's _internal folder (or the app
    folder), e.g. nvidia/cu13, torch/lib, PySide6/Qt."""
    base = app_dir / "_internal" if (app_dir / "_internal").is_dir() else app_dir
    totals: dict[str, int] = {}
    for p in base.rglob("*"):
        if p.is_file() and not p.is_symlink():
            parts = p.relative_to(base).parts
            key = "/".join(parts[:depth]) if len(parts) > depth else "/".join(parts[:-1]) or "."
            totals[key] = totals.get(key, 0) + p.stat().st_size
    return sorted(totals.items(), key=lambda kv: -kv[1])[:top]
