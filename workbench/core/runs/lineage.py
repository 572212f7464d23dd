"""Where a run came from: ``lineage.json`` in the run folder names its parent run and how it
was derived from it (fine-tuned, pruned, quantized, distilled...). Written atomically."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from workbench.core.files import atomic_write_text

LINEAGE = "lineage.json"


def record_lineage(run_folder: str | Path, parent: str, relation: str) -> None:
    """Note that the run in ``run_folder`` was derived from ``parent`` (a run id or folder)
    by ``relation`` (e.g. "finetune", "prune", "int8", "distill")."""
    data = {"parent": str(parent), "relation": str(relation),
            "recorded": datetime.now().astimezone().isoformat(timespec="seconds")}
    atomic_write_text(Path(run_folder) / LINEAGE, json.dumps(data, indent=2) + "\n")


def read_lineage(run_folder: str | Path) -> dict[str, Any] | None:
    """The lineage a run folder records ({"parent", "relation", ...}), None when it has none
    or the file cannot be read."""
    path = Path(run_folder) / LINEAGE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) and "parent" in data else None
