"""A bundle's ``meta.json`` checked against its model on open: a data description that does
not fit the model (3 channels for a 1-channel input, a wrong length, a features kind for an
image model, a std of 0 that turns every prediction into NaN) is refused with a message."""

from __future__ import annotations

import math
from typing import Any

from workbench.core.export.errors import BundleError
from workbench.core.graph import Analysis, ModelSpec, model_io


def _shape(s: Any) -> str:
    return " x ".join(map(str, s)) or "scalar"


def check_meta(spec: ModelSpec, analysis: Analysis, meta: dict[str, Any], where: str) -> None:
    """Raises BundleError naming the first field of ``meta`` that does not fit the model.
    A meta that is no data description at all (a bundle exported before training holds
    only where its data came from) is left to ``Bundle.data_meta``."""
    if not all(k in meta for k in ("kind", "sample_shape", "task")):
        return
    from workbench.core.data.meta import DataMeta

    try:
        dm = DataMeta.from_dict(meta)
    except (ValueError, OverflowError) as e:
        raise BundleError(f"{where}: meta.json is not a data description ({e})") from None
    io = model_io(spec, analysis)
    bad = f"{where}: meta.json does not fit its model:"
    kind = "tokens" if io.input_kind == "tokens" else io.input_kind
    if dm.kind != kind and not {dm.kind, kind} <= {"features", "sequence"}:
        raise BundleError(f"{bad} it describes {dm.kind} data but the model takes {kind}")
    if tuple(dm.sample_shape) != tuple(io.input_shape):
        raise BundleError(f"{bad} its samples are {_shape(dm.sample_shape)} but the model's "
                          f"input is {_shape(io.input_shape)}")
    if io.task == "classification" and dm.task == "classification" \
            and dm.num_classes != io.outputs:
        raise BundleError(f"{bad} it has {dm.num_classes} classes but the model outputs "
                          f"{io.outputs}")
    if dm.class_names and io.task == "classification" and len(dm.class_names) != io.outputs \
            and dm.task == "classification":
        raise BundleError(f"{bad} it names {len(dm.class_names)} classes but the model "
                          f"outputs {io.outputs}")
    if dm.kind != "tokens":
        width = dm.sample_shape[0] if dm.kind == "image" else (dm.sample_shape[-1] if
                                                                 dm.sample_shape else 1)
        for name, values in (("mean", dm.mean), ("std", dm.std)):
            if values is None:
                continue
            if len(values) not in (1, width):
                raise BundleError(f"{bad} its {name} has {len(values)} values for "
                                  f"{width} channels or features")
            if not all(math.isfinite(v) for v in values):
                raise BundleError(f"{bad} its {name} is not finite")
        if dm.std is not None and any(v <= 0 for v in dm.std):
            raise BundleError(f"{bad} its std has a value of 0 or less (every prediction "
                              "would be NaN)")
    elif dm.vocab is not None and io.vocab_size is not None and len(dm.vocab) > io.vocab_size:
        raise BundleError(f"{bad} its vocabulary has {len(dm.vocab)} tokens but the model "
                          f"takes {io.vocab_size}")
