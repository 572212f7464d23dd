"""The export's job on the worker thread (``run_export``): load the model, write it, check it
against PyTorch, and every failure one readable line in an ExportOutcome; the names the
dialog suggests for what it writes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.ui.export.sources import ExportSource
from workbench.ui.i18n import translator

tr = translator("export.dialog")  # the dialog's context: its translations stay as they were


@dataclass
class ExportOutcome:
    """What one export did: ``result`` (the core's ExportResult) or ``error`` (one line)."""

    format: str
    path: Path
    result: Any = None
    error: str = ""
    node: str | None = None  # the layer to blame, when the core knows it
    lines: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.result is not None and not self.error


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "model"


def default_name(model_name: str, fmt: Any) -> str:
    """``mnist-cnn.onnx``; a project is a folder, ``mnist-cnn-pytorch``."""
    return slug(model_name) + (fmt.suffix if fmt.suffix else "-pytorch")


def _size(paths: list[Path]) -> str:
    total = 0
    for p in paths:
        try:
            total += p.stat().st_size if p.is_file() else 0
        except OSError:
            pass
    return f"{total / 1e6:.1f} MB" if total >= 100_000 else f"{total / 1e3:.0f} kB"


def describe_result(result: Any) -> list[str]:
    """The lines the dialog shows for a finished export."""
    from workbench.core.export import ATOL

    files = result.files or [result.path]
    what = (tr("a folder of %n file(s)", n=len(files)) if result.path.is_dir() else _size(files))
    lines = [tr("Wrote {} ({})").format(result.path, what)]
    if result.max_abs_diff is not None:
        lines.append(f"Checked against PyTorch with {result.checked_with}: max abs difference "
                     f"{result.max_abs_diff:.1e} (tolerance {ATOL:g}).")
    else:
        lines.append(tr("Not checked against PyTorch."))
    return lines + list(result.notes)


def run_export(source: ExportSource, fmt: str, path: Path, verify: bool,
               progress: Any) -> ExportOutcome:
    """The worker thread's job. Every failure becomes an ExportOutcome with one line."""
    from workbench.core.export import FORMATS, ExportError, export_model
    from workbench.core.export.verify import reason

    title = FORMATS[fmt].title
    try:
        progress(0.0, tr("Loading the model…"))
        loaded = source.load()
        progress(0.2, (tr("Writing the {} and checking it…") if verify else tr("Writing the {}…"))
                 .format(title))
        result = export_model(fmt, path, spec=source.spec, model=loaded.model, meta=loaded.meta,
                              config=loaded.config, metrics=loaded.metrics, verify=verify)
    except ExportError as e:
        return ExportOutcome(fmt, path, error=str(e), node=e.node)
    except OSError as e:
        return ExportOutcome(fmt, path, error=tr("Cannot write {}: {}").format(path, e.strerror or e))
    except Exception as e:  # noqa: BLE001 - a run that cannot be read, a model that cannot be
        # built, an exporter's internal error: one line for the user, not a traceback
        return ExportOutcome(fmt, path, error=tr("The {} export failed: {}").format(title, reason(e)))
    return ExportOutcome(fmt, path, result=result, lines=describe_result(result))
