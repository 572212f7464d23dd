"""``predict``: a trained model's answer for one new input (an image file, a text, a tensor),
prepared exactly as the training data was, using only the run's DataMeta."""

from __future__ import annotations

import re
from pathlib import Path

import torch
from torch import nn

from workbench.core.data.errors import DataSourceError
from workbench.core.data.meta import DataMeta
from workbench.core.evaluate.evaluation import two_logits


class PredictionError(ValueError):
    """The input cannot be given to the model; the message names the file or the problem."""


class Predictions(list):
    """``predict``'s answer: (name, probability or value) rows, best first, and ``notes``:
    what was done to the input to make it like the training data, in words."""

    def __init__(self, rows=(), notes: list[str] | None = None) -> None:
        super().__init__(rows)
        self.notes: list[str] = list(notes or [])


# a grey data set whose mean is below DARK has a dark ground (MNIST 0.13), above LIGHT a
# light one; an image's ground is the median of its outermost pixels
DARK, LIGHT = 0.4, 0.6


def match_background(meta: DataMeta, x: torch.Tensor) -> tuple[torch.Tensor, str | None]:
    """``x`` (C, H, W in [0, 1]) inverted when its ground is the opposite of the training
    images' (ink on paper for a model of MNIST's white strokes on black, which otherwise
    answers nonsense with confidence), and a line saying so; grey images only."""
    if meta.mean is None or x.shape[0] != 1 or min(x.shape[1:]) < 3:
        return x, None
    trained = float(meta.mean[0])
    ground = float(torch.cat([x[0, 0], x[0, -1], x[0, :, 0], x[0, :, -1]]).median())
    if trained < DARK and ground > LIGHT:
        what = "dark on a light background, the model was trained on light on dark"
    elif trained > LIGHT and ground < DARK:
        what = "light on a dark background, the model was trained on dark on light"
    else:
        return x, None
    return 1.0 - x, f"Inverted the image: it is {what} ({meta.name})."


def prepare_input(meta: DataMeta, inputs: torch.Tensor | str | Path,
                  notes: list[str] | None = None) -> tuple[torch.Tensor, int]:
    """(1, *sample_shape) input, normalized, and the position to read for next-token models:
    what ``predict`` gives the model (and what the explanations attribute to); what was done
    to the input goes to ``notes``."""
    notes = notes if notes is not None else []
    shape = tuple(meta.sample_shape)
    if isinstance(inputs, torch.Tensor):
        x = inputs.unsqueeze(0) if inputs.dim() == len(shape) else inputs
        if tuple(x.shape[1:]) != shape or x.shape[0] != 1:
            raise PredictionError(f"The input has shape {tuple(inputs.shape)}; the model takes "
                                  f"one sample of shape {shape}.")
        if meta.kind == "tokens":
            x = x.long()
            nonpad = (x[0] != 0).nonzero()
            return x, int(nonpad.max()) if len(nonpad) else 0
        return meta.normalize(x.float()), 0
    if meta.kind == "image":
        path = Path(inputs)
        if not path.is_file():
            raise PredictionError(f"There is no image file {path}.")
        try:
            x = meta.load_image(path)
        except DataSourceError as e:
            raise PredictionError(f"The file {path} is not a readable image: {e}") from None
        x, note = match_background(meta, x)
        if note:
            notes.append(note)
        return meta.normalize(x.unsqueeze(0)), 0
    if meta.kind == "tokens":
        if isinstance(inputs, Path):
            try:
                text = inputs.read_text(encoding="utf-8", errors="replace")
            except OSError as e:
                raise PredictionError(f"Cannot read the text file {inputs}: {e.strerror}") from None
        else:
            text = inputs
        if not text:
            raise PredictionError("The text is empty: type something to predict from.")
        try:
            ids = meta.encode_text(text)
        except DataSourceError as e:
            raise PredictionError(str(e)) from None
        return ids.unsqueeze(0), max(0, meta.text_length(text) - 1)
    # features: numbers separated by commas or spaces
    text = inputs.read_text() if isinstance(inputs, Path) else str(inputs)
    try:
        values = [float(t) for t in re.split(r"[,;\s]+", text.strip()) if t]
    except ValueError:
        raise PredictionError("Give the features as numbers separated by commas.") from None
    size = 1
    for s in shape:
        size *= s
    if len(values) != size:
        raise PredictionError(f"The model takes {size} numbers per sample; got {len(values)}.")
    return meta.normalize(torch.tensor(values).view(1, *shape)), 0


def predict(model: nn.Module, meta: DataMeta, inputs: torch.Tensor | str | Path,
            top_k: int = 5, device: torch.device | str = "cpu") -> Predictions:
    """Top-k (class name, probability), most likely first; for regression models every
    output as (name, value). Next-token models give the token after the text. An image
    whose background is the opposite of the training images' is inverted first, and the
    answer's ``notes`` say so.

    ``inputs``: an image file path (image models), a text or text file (token models), a
    tensor of one raw sample (not normalized, as in the data set's splits) or, for feature
    models, numbers separated by commas. Raises PredictionError with a readable message.
    """
    notes: list[str] = []
    x, position = prepare_input(meta, inputs, notes)
    dev = torch.device(device)
    was_training = model.training
    model.to(dev).eval()
    try:
        with torch.no_grad():
            out = model(x.to(dev)).float().cpu()[0]
    finally:
        model.train(was_training)
    if meta.task == "regression":
        names = meta.class_names
        return Predictions([(names[i] if i < len(names) else f"output {i + 1}", float(v))
                            for i, v in enumerate(out.reshape(-1))], notes)
    if meta.task == "next_token":
        out = out[position]
    probs = two_logits(out).softmax(-1)
    k = max(1, min(int(top_k), probs.shape[-1]))
    values, indices = probs.topk(k)
    names = meta.class_names
    return Predictions([(names[i] if i < len(names) else str(i), float(p))
                        for p, i in zip(values.tolist(), indices.tolist(), strict=True)], notes)
