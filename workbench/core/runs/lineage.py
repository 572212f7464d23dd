"""Where a run's weights came from: ``lineage.json`` in the run folder names the parent (a
run folder, a bundle, a file) and the relation ("fine-tuned", "pruned", "quantized",
"distilled"...). Fine-tuning, compression and distillation all record it the same way, so the
Runs tab can say "this run was fine-tuned from that one"."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from workbench.core.files import atomic_write_text

LINEAGE = "lineage.json"


def record_lineage(run_folder: str | Path, parent: str, relation: str) -> None:
    """Write (or replace) the run's lineage: ``parent`` is where its weights came from."""
    data = {"parent": str(parent), "relation": str(relation),
            "recorded": datetime.now().astimezone().isoformat(timespec="seconds")}
    atomic_write_text(Path(run_folder) / LINEAGE, json.dumps(data, indent=2) + "\n")


def read_lineage(run_folder: str | Path) -> dict[str, Any] | None:
    """The run's lineage (``parent``, ``relation``, ``recorded``), or None when it has none
    or the file is unreadable (a lineage is information, never a reason to fail)."""
    try:
        data = json.loads((Path(run_folder) / LINEAGE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("parent"), str):
        return None
    return data
