"""Bring your own model: ONNX files and PyTorch models (torchvision or a class in a .py
file) as Workbench models, their weights keyed by the catalogue's module names.

``import_model(ref)`` is the one entry point (the CLI and File > Import use it); every import
is checked by running the result against the original on a random batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from workbench.core.importers.builder import ImportedModel
from workbench.core.importers.errors import ModelImportError

TORCHVISION, MODULE = "torchvision:", "module:"


def import_model(ref: str, *, weights: str | None = "DEFAULT", random_init: bool = False,
                 input_shape: Sequence[int] | None = None, progress: bool = True
                 ) -> ImportedModel:
    """``ref``: a path to an .onnx file, ``torchvision:NAME`` or ``module:FILE.py:Class``.

    ``weights``: torchvision's weights name (DEFAULT, IMAGENET1K_V1...) or, for a module, a
    .safetensors / state-dict file; ``random_init`` skips them (nothing is downloaded).
    ``input_shape``: the per-sample input (C, H, W) where the source does not say it.
    Raises ModelImportError with one readable line.
    """
    shape = tuple(int(s) for s in input_shape) if input_shape else None
    if ref.startswith(TORCHVISION):
        from workbench.core.importers.fx_import import import_module
        from workbench.core.importers.torch_refs import torchvision_model

        name = ref[len(TORCHVISION):]
        model, default_shape, meta, note = torchvision_model(
            name, None if random_init else weights, progress)
        result = import_module(model, shape or default_shape, name, ref)
        result.notes.insert(0, note)
        result.meta = {**result.meta, **meta}
        return result
    if ref.startswith(MODULE):
        from workbench.core.importers.fx_import import import_module
        from workbench.core.importers.torch_refs import module_model

        model, cls_name = module_model(ref[len(MODULE):], None if random_init else
                                       (weights if weights != "DEFAULT" else None))
        if shape is None:
            raise ModelImportError(f"say the input shape of {cls_name} per sample, e.g. "
                                   "--input-shape 1,28,28 (channels, height, width)")
        return import_module(model, shape, cls_name, ref)
    path = Path(ref)
    if path.suffix.lower() == ".onnx" or path.is_file():
        from workbench.core.importers.onnx_import import import_onnx

        return import_onnx(path, input_shape=shape)
    raise ModelImportError(f"'{ref}' is not an .onnx file, torchvision:NAME or "
                           "module:path/file.py:ClassName")


__all__ = ["ImportedModel", "ModelImportError", "import_model"]
