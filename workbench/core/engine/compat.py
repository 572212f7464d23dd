"""Does the data fit the model? Checked before training so that a mismatch is one readable
sentence instead of a shape error from deep inside the first forward pass."""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from workbench.core.engine.errors import TrainingError
from workbench.core.graph import ModelIO
from workbench.core.layers.base import fmt_shape

if TYPE_CHECKING:
    from workbench.core.data import DataSet

# Built-in sources that differ only in image size: suggest the sibling that fits the model.
_SIBLINGS = {"digits": {(1, 28, 28): "digits28"}, "digits28": {(1, 8, 8): "digits"}}


def _what(kind: str, shape: tuple[int, ...]) -> str:
    """The data a model takes or a data set holds, in words."""
    if kind == "image":
        return f"{fmt_shape(shape)} images"
    if kind == "tokens":
        return f"sequences of {shape[0] if shape else '?'} tokens"
    if len(shape) == 2:
        return f"sequences of {shape[0]} steps x {shape[1]} features"
    return f"{shape[0] if shape else '?'} features per sample"


def _input_fix(kind: str, shape: tuple[int, ...]) -> str:
    if kind == "image":
        return f"set the input layer to {fmt_shape(shape)}"
    if kind == "tokens":
        return f"use a Token sequence input of length {shape[0]}"
    if len(shape) == 2:
        return f"use a Vector sequence input of {shape[0]} steps x {shape[1]} features"
    return f"use a Feature input of {shape[0]} features"


def check_input(io: ModelIO, data: DataSet) -> None:
    model_kind = "features" if io.input_kind == "sequence" else io.input_kind
    shape, want = tuple(data.sample_shape), tuple(io.input_shape)
    if model_kind != data.kind:
        raise TrainingError(
            f"The model takes {_what(model_kind, want)} but the data set '{data.name}' holds "
            f"{_what(data.kind, shape)}: {_input_fix(data.kind, shape)}.")
    if shape != want:
        fix = _input_fix(data.kind, shape)
        sibling = _SIBLINGS.get(data.name, {}).get(want)
        if sibling:
            fix += f" or pick {sibling}"
        raise TrainingError(f"The model expects {_what(model_kind, want)} but the data set "
                            f"'{data.name}' has {_what(data.kind, shape)}: {fix}.")
    if data.kind == "tokens" and data.vocab is not None and io.vocab_size is not None:
        if io.vocab_size < len(data.vocab):
            raise TrainingError(
                f"The model's token input has a vocabulary of {io.vocab_size} but the data set "
                f"'{data.name}' uses {len(data.vocab)} tokens: set vocab_size to at least "
                f"{len(data.vocab)}.")
    if data.kind == "tokens" and io.vocab_size is not None:
        top = _max_id(data.train.x)  # an id past the embedding is an IndexError mid-run
        if top is not None and top >= io.vocab_size:
            raise TrainingError(
                f"The data set '{data.name}' has token ids up to {top} but the model's token "
                f"input has a vocabulary of {io.vocab_size}: set vocab_size to at least "
                f"{top + 1}.")


def _max_id(x: torch.Tensor | None) -> int | None:
    """The largest id of a split held as an integer tensor (streamed splits are not read)."""
    if x is None or x.numel() == 0 or x.is_floating_point():
        return None
    return int(x.max())


def check_output(io: ModelIO, data: DataSet, loss: str) -> list[str]:
    """Raise TrainingError when the head cannot learn the data set's targets; return warnings."""
    name, n = data.name, data.num_classes
    out = tuple(io.output_shape)
    if io.task == "image":  # an autoencoder: it gives back the images it is given
        if data.kind != "image" or out != tuple(data.sample_shape):
            raise TrainingError(
                f"The model makes {fmt_shape(out)} images, so it learns to reproduce images "
                f"of that size, but the data set '{name}' holds "
                f"{_what(data.kind, tuple(data.sample_shape))}: set the Image output to "
                f"{fmt_shape(tuple(data.sample_shape))}.")
        return []
    if data.task == "regression":
        if io.task != "regression":
            raise TrainingError(
                f"The data set '{name}' asks for {n} number(s) per sample (regression) but the "
                f"model ends in a classification head: use a Regression head with {n} outputs.")
        if len(out) != 1 or io.outputs != n:
            raise TrainingError(
                f"The model gives {fmt_shape(out)} outputs per sample but the data set '{name}' "
                f"has {n} target value(s): set the Regression head's outputs to {n}.")
        return []
    if io.task != "classification":
        raise TrainingError(
            f"The data set '{name}' has class labels but the model ends in a regression head: "
            f"use a Classification head with {n} classes.")
    if data.task == "next_token":
        steps = data.sample_shape[0]
        if len(out) != 2:
            raise TrainingError(
                f"The data set '{name}' asks for the next token at each of its {steps} positions "
                f"but the model gives one prediction per sample: remove the pooling before the "
                f"head (see the char_gpt template).")
        if out[0] != steps:
            raise TrainingError(
                f"The model predicts {out[0]} positions but the data set '{name}' has "
                f"{steps}: make the sequence lengths match.")
    elif len(out) != 1:
        raise TrainingError(
            f"The model gives a prediction at each of {out[0]} positions but the data set "
            f"'{name}' has one label per sample: pool or flatten the sequence before the head.")
    if data.task == "next_token":
        top = _max_id(data.train.y)
        if top is not None and top >= io.outputs:
            raise TrainingError(
                f"The data set '{data.name}' has target token ids up to {top} but the model's "
                f"head gives {io.outputs} tokens: set the head's classes to at least {top + 1}.")
    for split_name, split in (("training", data.train), ("validation", data.val),
                              ("test", data.test)):
        y = split.y
        if data.task == "classification" and y is not None and y.numel() \
                and not y.is_floating_point():
            low, high = int(y.min()), int(y.max())
            if low < 0 or high >= max(n, io.outputs):
                bad = low if low < 0 else high
                raise TrainingError(
                    f"The data set '{name}' has the class label {bad} in its {split_name} split "
                    f"but labels must be 0 to {max(n, io.outputs) - 1}: number the classes "
                    "from 0 (negative labels are not classes).")
    binary_logit = io.outputs == 1 and n == 2 and loss == "bce_with_logits"
    what = "tokens" if data.task == "next_token" else "classes"
    if io.outputs < n and not binary_logit:
        raise TrainingError(
            f"The model's head gives {io.outputs} {what} but the data set '{name}' has {n}: "
            f"set the head's classes to {n}.")
    if io.outputs > n:
        return [f"The model's head gives {io.outputs} {what} but the data set '{name}' has "
                f"only {n}: the extra outputs are never the right answer."]
    return []


def check_loss(loss: str, data: DataSet) -> None:
    if loss == "reconstruction":  # the Image output's own loss: any labels are ignored
        return
    if loss == "cross_entropy" and data.task == "regression":
        raise TrainingError(f"Cross-entropy needs class labels but '{data.name}' is a regression "
                            "data set: choose MSE (or auto).")
    if loss in ("mse", "bce_with_logits") and data.task == "next_token":
        raise TrainingError(f"Next-token prediction on '{data.name}' needs the cross-entropy loss "
                            "(or auto).")


def check_compatibility(io: ModelIO, data: DataSet, loss: str = "auto") -> list[str]:
    """Raise TrainingError for data the model cannot take or learn; return warnings."""
    check_input(io, data)
    check_loss(loss, data)
    return check_output(io, data, loss)
