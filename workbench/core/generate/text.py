"""Text from a causal language model: sample one token after another from a prompt, with
temperature, top-k and top-p (nucleus) filtering and a seed.

Any model that predicts the next token at every position and looks only backwards is a
causal language model: ``char_gpt``, or any stack ending in a causal decoder and a
per-position head. ``causal_problem`` checks that by running the model (changing a later
token must not change an earlier prediction), which holds for every architecture alike.
``sample_tokens`` is a generator, so a window can show each token as it is drawn.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import torch
from torch import nn

from workbench.core.data.meta import DataMeta
from workbench.core.data.tokens import PAD_INDEX, UNK_INDEX, tokenize

MAX_LENGTH = 100_000


class GenerationError(ValueError):
    """The model cannot generate text or the settings are unusable; one line for a person."""


@dataclass(frozen=True)
class Sampling:
    """How to draw each token. ``temperature`` 0 always takes the most likely token;
    ``top_k`` 0 and ``top_p`` 1 turn those filters off."""

    length: int = 200
    temperature: float = 1.0
    top_k: int = 0
    top_p: float = 1.0
    seed: int = 0

    def problems(self) -> list[str]:
        out = []
        if not 1 <= self.length <= MAX_LENGTH:
            out.append(f"the length must be between 1 and {MAX_LENGTH:,} tokens, not {self.length}")
        if not (math.isfinite(self.temperature) and self.temperature >= 0):
            out.append(f"the temperature must be 0 or more, not {self.temperature}")
        if self.top_k < 0:
            out.append(f"top-k must be 0 (off) or more, not {self.top_k}")
        if not (0 < self.top_p <= 1):
            out.append(f"top-p must be above 0 and at most 1, not {self.top_p}")
        if not 0 <= self.seed < 2**63:
            out.append(f"the seed must be between 0 and 2^63 - 1, not {self.seed}")
        return out


@dataclass(frozen=True)
class Token:
    """One sampled token: its id, its text and the probability it was drawn with."""

    id: int
    text: str
    probability: float


def _device_of(model: nn.Module) -> torch.device:
    return next((p.device for p in model.parameters()), torch.device("cpu"))


def text_problem(meta: DataMeta) -> str | None:
    """Why the run's data is not text a model can continue, or None."""
    if meta.task != "next_token" or meta.kind != "tokens" or not meta.vocab or not meta.tokenizer:
        return (f"this run is not a text model: it was trained on {meta.name} "
                f"({meta.task.replace('_', ' ')}), not to predict the next token of a text")
    return None


def causal_problem(model: nn.Module, meta: DataMeta) -> str | None:
    """Why ``model`` is not a causal language model for ``meta``'s text, or None.

    Runs it twice on random tokens that differ only from the middle on: every earlier
    position must predict the same, and the output must be one score per vocabulary token at
    every position.
    """
    problem = text_problem(meta)
    if problem:
        return problem
    length, vocab = int(meta.sample_shape[0]), len(meta.vocab or ())
    g = torch.Generator().manual_seed(0)
    a = torch.randint(2, max(3, vocab), (1, length), generator=g)
    b = a.clone()
    cut = length // 2
    b[:, cut:] = torch.randint(2, max(3, vocab), (1, length - cut), generator=g)
    dev = _device_of(model)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            out_a = model(a.to(dev)).float().cpu()
            out_b = model(b.to(dev)).float().cpu()
    except Exception as e:  # noqa: BLE001 - any failure means it cannot generate
        return f"the model cannot take a text of {length} tokens: {type(e).__name__}: {e}"
    finally:
        model.train(was_training)
    if out_a.dim() != 3 or out_a.shape[1] != length:
        return ("the model does not predict the next token at every position (its output is "
                f"{tuple(out_a.shape[1:])}, not {length} x {vocab})")
    if not torch.allclose(out_a[:, :cut], out_b[:, :cut], atol=1e-4, rtol=1e-4):
        return ("the model is not causal: its predictions look at later tokens (use a causal "
                "decoder or causal attention mask)")
    return None


def encode_prompt(meta: DataMeta, prompt: str) -> list[int]:
    """The prompt's token ids (unknown tokens as <unk>); an empty prompt starts at a line
    break when the vocabulary has one."""
    vocab = list(meta.vocab or ())
    index = {t: i for i, t in enumerate(vocab)}
    ids = [index.get(t, UNK_INDEX) for t in tokenize(prompt, meta.tokenizer)]  # type: ignore[arg-type]
    if not ids:
        if "\n" in index:
            return [index["\n"]]
        raise GenerationError("give a prompt: the text to continue")
    return ids


def filter_logits(logits: torch.Tensor, top_k: int = 0, top_p: float = 1.0) -> torch.Tensor:
    """(V,) logits with every token outside the top ``top_k`` and outside the smallest set
    whose probability reaches ``top_p`` set to -inf (the most likely token always stays)."""
    logits = logits.clone()
    if 0 < top_k < logits.shape[-1]:
        kth = torch.topk(logits, top_k).values[-1]
        logits[logits < kth] = float("-inf")
    if top_p < 1.0:
        sorted_logits, order = torch.sort(logits, descending=True)
        cumulative = sorted_logits.softmax(-1).cumsum(-1)
        drop = cumulative - sorted_logits.softmax(-1) >= top_p  # mass before it already enough
        drop[0] = False
        logits[order[drop]] = float("-inf")
    return logits


def _join(meta: DataMeta) -> str:
    return " " if meta.tokenizer == "word" else ""


def sample_tokens(model: nn.Module, meta: DataMeta, prompt: str, sampling: Sampling,
                  *, check: bool = True) -> Iterator[Token]:
    """Yield ``sampling.length`` tokens after ``prompt``, one at a time (the same ones for
    the same seed). The context is the last ``sample_shape[0]`` tokens; <pad> and <unk>
    are never drawn. Raises GenerationError before the first token when it cannot start."""
    problems = sampling.problems()
    if problems:
        raise GenerationError("; ".join(problems))
    if check:
        problem = causal_problem(model, meta)
        if problem:
            raise GenerationError(problem)
    return _sample(model, meta, encode_prompt(meta, prompt), sampling)


def _sample(model: nn.Module, meta: DataMeta, ids: list[int], s: Sampling) -> Iterator[Token]:
    vocab = list(meta.vocab or ())
    length = int(meta.sample_shape[0])
    dev = _device_of(model)
    g = torch.Generator().manual_seed(int(s.seed))
    window = torch.full((1, length), PAD_INDEX, dtype=torch.int64)
    context = list(ids)
    was_training = model.training
    model.eval()
    try:
        for _ in range(s.length):
            context = context[-length:]
            n = len(context)
            # right-padded: a causal model's prediction at n - 1 never sees the padding
            window.fill_(PAD_INDEX)
            window[0, :n] = torch.tensor(context)
            with torch.no_grad():
                logits = model(window.to(dev))[0, n - 1].float().cpu()
            logits[PAD_INDEX] = logits[UNK_INDEX] = float("-inf")
            logits[len(vocab):] = float("-inf")  # a head wider than the vocabulary
            if s.temperature == 0:
                choice = int(logits.argmax())
                p = float(logits.softmax(-1)[choice])
            else:
                probs = filter_logits(logits / s.temperature, s.top_k, s.top_p).softmax(-1)
                choice = int(torch.multinomial(probs, 1, generator=g))
                p = float(probs[choice])
            context.append(choice)
            yield Token(choice, vocab[choice] if choice < len(vocab) else "?", p)
    finally:
        model.train(was_training)


def generate_text(model: nn.Module, meta: DataMeta, prompt: str, sampling: Sampling,
                  *, check: bool = True) -> str:
    """The prompt followed by the sampled text."""
    sep = _join(meta)
    tokens = [t.text for t in sample_tokens(model, meta, prompt, sampling, check=check)]
    head = prompt if prompt else ""
    body = sep.join(tokens)
    return head + (sep if head and body and sep else "") + body


def token_separator(meta: DataMeta) -> str:
    """What goes between two tokens when they are written out ("" for characters)."""
    return _join(meta)
