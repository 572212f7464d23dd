"""The thing being explained: a trained model with its spec and data description, and one
input prepared exactly as ``workbench predict`` prepares it (the same function does it)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import torch
from torch import nn

from workbench.core.data.meta import DataMeta
from workbench.core.data.tokens import PAD_INDEX
from workbench.core.evaluate.evaluation import two_logits
from workbench.core.evaluate.predict import PredictionError, prepare_input
from workbench.core.explain.errors import ExplainError
from workbench.core.graph import Analysis, ModelSpec, analyze


@dataclass
class Prepared:
    """One input as the model takes it, and as a person sees it."""

    x: torch.Tensor  # (1, *sample_shape): normalized images or features, token ids
    position: int  # next-token models: the step whose prediction is explained
    image: np.ndarray | None = None  # (H, W, C) in [0, 1], images only
    tokens: list[str] | None = None  # the text's tokens (padding left out), token models only
    label: str = ""  # what the input was: a file name or the text
    notes: list[str] = field(default_factory=list)  # what preparing it did, as predict says

    @property
    def length(self) -> int:
        """Real tokens for token models, else every element of the sample."""
        return len(self.tokens) if self.tokens is not None else int(self.x[0].numel())


@contextlib.contextmanager
def evaluating(model: nn.Module) -> Iterator[nn.Module]:
    """The model in eval mode (dropout off, batch-norm statistics fixed), put back after."""
    was_training = model.training
    model.eval()
    try:
        yield model
    finally:
        model.train(was_training)


class Subject:
    """A trained model (an fx GraphModule whose submodules are named after the spec's nodes),
    its spec and its DataMeta. ``Subject.open`` reads a run folder, run id or bundle."""

    def __init__(self, model: nn.Module, meta: DataMeta, spec: ModelSpec, title: str = "",
                 device: torch.device | str = "cpu") -> None:
        self.device = torch.device(device)
        self.model = model.to(self.device)
        self.meta = meta
        self.spec = spec
        self.title = title or spec.name
        # one explanation or look inside at a time: each hooks the model for its forward
        # passes, and a second thread's forward would run through the first one's hooks
        self.lock = threading.RLock()

    @classmethod
    def open(cls, run_or_bundle: str | Path, which: str = "best",
             device: torch.device | str = "cpu") -> Subject:
        """A run folder, a run id (or its unique start) or an exported ``.wbbundle``."""
        from workbench.core.export.bundle import SUFFIX, BundleError, is_bundle, load_bundle
        from workbench.core.runs import RunError, open_run

        try:
            if is_bundle(run_or_bundle) or str(run_or_bundle).endswith(SUFFIX):
                bundle = load_bundle(run_or_bundle)
                return cls(bundle.load_model(), bundle.data_meta(), bundle.spec,
                           Path(bundle.path).name, device)
            run = open_run(run_or_bundle)
            return cls(run.load_model(which), run.meta, run.spec, run.run_dir.name, device)
        except (RunError, BundleError) as e:
            raise ExplainError(str(e)) from None

    @cached_property
    def analysis(self) -> Analysis:
        return analyze(self.spec)

    @property
    def kind(self) -> str:
        return self.meta.kind

    @property
    def task(self) -> str:
        return self.meta.task

    def module(self, node: str) -> nn.Module:
        """The built module of a spec node (raises ExplainError naming the choices)."""
        if not self.spec.has_node(node):
            names = ", ".join(n.name for n in self.spec.nodes)
            raise ExplainError(f"The model has no layer '{node}'; its layers are {names}.")
        return self.model.get_submodule(node)

    # -- inputs ---------------------------------------------------------------------------
    def prepare(self, inputs: torch.Tensor | str | Path) -> Prepared:
        """An image file (image models), a text or text file (token models), numbers
        (feature models) or a raw sample tensor, as ``predict`` takes them."""
        if self.kind == "image" and isinstance(inputs, str | Path) and not Path(inputs).is_file():
            raise ExplainError(f"The model takes images and there is no image file '{inputs}'; "
                               "give the path of an image.")
        notes: list[str] = []  # what was done to the input (e.g. an image inverted)
        try:
            x, position = prepare_input(self.meta, inputs, notes)
        except PredictionError as e:
            raise ExplainError(str(e)) from None
        x = x.to(self.device)
        label = Path(inputs).name if isinstance(inputs, Path) or (
            isinstance(inputs, str) and self.kind == "image") else (
            inputs if isinstance(inputs, str) else "the sample")
        prepared = Prepared(x, position, label=str(label), notes=notes)
        if self.kind == "image":
            prepared.image = self.display_image(x[0])
        elif self.kind == "tokens":
            prepared.tokens = self.token_texts(x[0])
        return prepared

    def display_image(self, x: torch.Tensor) -> np.ndarray:
        """(C, H, W) normalized -> (H, W, C) in [0, 1], the way the file looked."""
        x = x.detach().float().cpu()
        if self.meta.mean is not None and self.meta.std is not None:
            mean = torch.tensor(self.meta.mean).view(-1, 1, 1)
            std = torch.tensor(self.meta.std).view(-1, 1, 1)
            x = x * std + mean
        return x.clamp(0, 1).permute(1, 2, 0).numpy()

    def token_texts(self, ids: torch.Tensor) -> list[str]:
        """The tokens of one sequence up to its last real (non-padding) token."""
        ids = ids.detach().cpu().long()
        real = (ids != PAD_INDEX).nonzero()
        n = int(real.max()) + 1 if len(real) else 0
        vocab = self.meta.vocab or []
        return [vocab[i] if 0 <= i < len(vocab) else str(i) for i in ids[:n].tolist()]

    # -- outputs --------------------------------------------------------------------------
    def scores(self, x: torch.Tensor, position: int = 0, probabilities: bool = False) -> torch.Tensor:
        """(B, K) outputs to attribute: logits (gradient methods) or probabilities
        (perturbation methods: "the probability drops by ... without this patch"); the
        step ``position`` of next-token models; outputs as they are for regression."""
        out = self.model(x)
        if self.task == "next_token":
            out = out[:, position]
        out = out.reshape(out.shape[0], -1)
        if self.task == "regression":
            return out
        out = two_logits(out)
        return out.softmax(-1) if probabilities else out

    def probabilities(self, prepared: Prepared) -> np.ndarray:
        """The model's output for the input: class probabilities, or regression values."""
        with self.lock, evaluating(self.model), torch.no_grad():
            out = self.scores(prepared.x, prepared.position, probabilities=True)
        return out[0].float().cpu().numpy()

    @property
    def class_names(self) -> list[str]:
        return list(self.meta.class_names or self.meta.vocab or [])

    def class_name(self, index: int) -> str:
        names = self.class_names
        if self.task == "regression":
            return names[index] if index < len(names) else f"output {index + 1}"
        return names[index] if 0 <= index < len(names) else str(index)

    def resolve_target(self, target: int | str | None, outputs: np.ndarray) -> int:
        """The output index to explain: the predicted class when ``target`` is None; a class
        name, or an index."""
        count = int(outputs.shape[-1])
        if target is None or target == "":
            return 0 if self.task == "regression" else int(np.argmax(outputs))
        names = self.class_names
        if isinstance(target, str) and target in names[:count]:
            return names.index(target)
        try:
            index = int(target)
        except (TypeError, ValueError):
            index = -1
        if 0 <= index < count:
            return index
        what = "output" if self.task == "regression" else "class"
        shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
        raise ExplainError(f"There is no {what} '{target}': give a number from 0 to {count - 1}"
                           + (f" or one of {shown}" if names else "") + ".")

