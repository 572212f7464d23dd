"""A sample of text after every epoch of a language model's training: what the Training tab
and ``workbench train`` show, so a person sees the model learn to write."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from torch import nn

from workbench.core.data.meta import DataMeta
from workbench.core.engine.events import TextSample
from workbench.core.generate.text import Sampling, causal_problem, encode_prompt, sample_tokens

if TYPE_CHECKING:
    from workbench.core.data import DataSet

log = logging.getLogger(__name__)

SAMPLE_LENGTH = 200
SAMPLE_TEMPERATURE = 0.8


class EpochSampler:
    """``sample(model, epoch, step)`` -> a TextSample, or None when the data is not text or
    the model is not a causal language model (checked once, at the first epoch)."""

    def __init__(self, data: DataSet, seed: int = 0, length: int = SAMPLE_LENGTH) -> None:
        self.meta = DataMeta.from_dataset(data, data.name)
        self.seed, self.length = seed, length
        self._usable: bool | None = None if data.task == "next_token" else False
        self.prompt = self._prompt(data)

    def _prompt(self, data: DataSet) -> str:
        """A line break where the vocabulary has one, else the first training token."""
        vocab = self.meta.vocab or []
        if "\n" in vocab or data.task != "next_token" or data.train.x is None:
            return ""
        first = int(data.train.x[0, 0]) if data.train.x.numel() else 0
        return vocab[first] if 1 < first < len(vocab) else ""

    def sample(self, model: nn.Module, epoch: int, step: int) -> TextSample | None:
        if self._usable is None:
            self._usable = causal_problem(model, self.meta) is None
        if not self._usable:
            return None
        try:
            encode_prompt(self.meta, self.prompt)
            sep = " " if self.meta.tokenizer == "word" else ""
            sampling = Sampling(length=self.length, temperature=SAMPLE_TEMPERATURE,
                                seed=self.seed)
            text = sep.join(t.text for t in sample_tokens(model, self.meta, self.prompt,
                                                          sampling, check=False))
        except Exception:  # noqa: BLE001 - a sample must never end the training
            log.exception("could not sample text after epoch %d", epoch + 1)
            return None
        return TextSample(epoch, step, self.prompt, text)
