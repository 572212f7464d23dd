"""``explain``: one call from an input to an Explanation, whatever the model and method."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from workbench.core.explain.errors import ExplainError
from workbench.core.explain.explanation import METHODS, Explanation
from workbench.core.explain.methods import Settings, attribute_dense
from workbench.core.explain.progress import Progress, Watch
from workbench.core.explain.subject import Prepared, Subject, evaluating
from workbench.core.explain.tokens import attribute_tokens


def explain(subject: Subject, inputs: Prepared | torch.Tensor | str | Path, method: str, *,
            target: int | str | None = None, layer: str | None = None,
            progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
            settings: Settings | None = None) -> Explanation:
    """Attribute the model's output for ``target`` (default: the predicted class) to the
    input. ``progress(fraction, text)`` is called as the work goes; ``cancelled()`` returning
    True stops it at the next model call with ``Cancelled``. Raises ExplainError (one line)
    for what cannot be done. The model is used in eval mode and left as it was."""
    if method not in METHODS:
        raise ExplainError(f"Unknown method '{method}': choose one of {', '.join(METHODS)}.")
    prepared = inputs if isinstance(inputs, Prepared) else subject.prepare(inputs)
    outputs = subject.probabilities(prepared)
    tgt = subject.resolve_target(target, outputs)
    predicted = 0 if subject.task == "regression" else int(np.argmax(outputs))
    import captum.attr  # noqa: F401 - imported here, before the clock starts

    watch = Watch(progress, cancelled)
    settings = settings or Settings()
    t0 = time.perf_counter()
    with subject.lock, evaluating(subject.model), torch.enable_grad():
        if subject.kind == "tokens":
            result = attribute_tokens(subject, prepared, method, tgt, watch, settings)
        else:
            result = attribute_dense(subject, prepared, method, tgt, layer, watch, settings)
    seconds = time.perf_counter() - t0
    watch.done()
    attribution = np.nan_to_num(np.asarray(result.attribution, dtype=np.float32))
    return Explanation(
        method=method, kind=subject.kind, attribution=attribution,
        raw_shape=tuple(int(s) for s in result.raw_shape), signed=result.signed,
        target=tgt, target_name=subject.class_name(tgt), predicted=predicted,
        predicted_name=subject.class_name(predicted), probability=float(outputs[predicted]),
        target_probability=float(outputs[tgt]), seconds=seconds, layer=result.layer,
        layer_map=result.layer_map, image=prepared.image,
        tokens=prepared.tokens[: attribution.shape[0]] if prepared.tokens is not None else None,
        input_label=prepared.label, notes=[*prepared.notes, *result.notes], task=subject.task)
