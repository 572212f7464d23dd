"""The model a start point holds (a run's or a bundle's spec), to put on the canvas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.core.finetune.weights import FineTuneError
from workbench.core.graph import ModelSpec


def source_spec(source: str | Path, store: Any = None) -> ModelSpec:
    """The spec of a run (folder or id) or a bundle; FineTuneError when there is none."""
    from workbench.core.export.bundle import SUFFIX, BundleError, is_bundle, load_bundle

    path = Path(str(source)).expanduser()
    if path.suffix == ".safetensors":
        raise FineTuneError(f"{path.name} holds weights only, no model: open a model and "
                            "attach the weights to it")
    if path.suffix == SUFFIX or (path.exists() and is_bundle(path)):
        try:
            return load_bundle(path).spec
        except BundleError as e:
            raise FineTuneError(str(e)) from None
    from workbench.core.runs import RunError, open_run

    try:
        return open_run(source, store).spec
    except RunError as e:
        raise FineTuneError(f"cannot start from '{source}': {e}") from None
