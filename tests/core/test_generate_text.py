"""Text generation from causal language models: seeded, streamed, filtered by top-k/top-p."""

from __future__ import annotations

import pytest
import torch
from helpers import tiny_gpt_spec

from workbench.core.data.meta import DataMeta
from workbench.core.data.tokens import PAD, UNK
from workbench.core.generate.text import (
    GenerationError,
    Sampling,
    causal_problem,
    filter_logits,
    generate_text,
    sample_tokens,
)
from workbench.core.graph import build_model

VOCAB = [PAD, UNK, "\n", " ", *"abcdefghij"]


def text_meta(length: int = 16) -> DataMeta:
    return DataMeta("text:x.txt", "text:x.txt", "tokens", (length,), "next_token", len(VOCAB),
                    list(VOCAB), vocab=list(VOCAB), tokenizer="char")


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    return build_model(tiny_gpt_spec()).eval()


def test_the_same_seed_gives_the_same_text_and_another_seed_another(model):
    meta = text_meta()
    a = generate_text(model, meta, "abc", Sampling(length=40, seed=3))
    b = generate_text(model, meta, "abc", Sampling(length=40, seed=3))
    c = generate_text(model, meta, "abc", Sampling(length=40, seed=4))
    assert a == b and a != c
    assert a.startswith("abc") and len(a) == 43
    assert set(a) <= set(VOCAB[2:])  # never <pad> or <unk>


def test_tokens_stream_one_at_a_time_and_longer_than_the_context(model):
    stream = sample_tokens(model, text_meta(), "ab", Sampling(length=50, seed=1))
    first = next(stream)
    assert first.text in VOCAB and 0 < first.probability <= 1
    rest = list(stream)
    assert len(rest) == 49  # past the 16-token context: the window slides


def test_top_k_never_draws_outside_the_k_most_likely(model):
    meta = text_meta()
    k = 2
    captured: list[torch.Tensor] = []
    handle = model.register_forward_hook(lambda m, i, out: captured.append(out.detach().clone()))
    try:
        tokens = list(sample_tokens(model, meta, "abc", Sampling(length=60, seed=5, top_k=k),
                                    check=False))
    finally:
        handle.remove()
    context = [VOCAB.index(c) for c in "abc"]
    for out, tok in zip(captured, tokens, strict=True):
        logits = out[0, min(len(context), 16) - 1].clone()
        logits[0] = logits[1] = float("-inf")
        assert tok.id in torch.topk(logits, k).indices.tolist()
        context.append(tok.id)


def test_greedy_is_the_argmax_and_ignores_the_seed(model):
    meta = text_meta()
    a = generate_text(model, meta, "ab", Sampling(length=20, temperature=0, seed=1))
    b = generate_text(model, meta, "ab", Sampling(length=20, temperature=0, seed=2))
    assert a == b


def test_filter_logits_top_p_keeps_the_smallest_set_reaching_p():
    logits = torch.log(torch.tensor([0.5, 0.3, 0.15, 0.05]))
    kept = filter_logits(logits, top_p=0.75).isfinite().tolist()
    assert kept == [True, True, False, False]
    assert filter_logits(logits, top_p=0.01).isfinite().tolist() == [True, False, False, False]
    assert filter_logits(logits, top_k=3).isfinite().tolist() == [True, True, True, False]


def test_a_non_causal_model_is_refused_in_words():
    torch.manual_seed(0)
    model = build_model(tiny_gpt_spec(causal=False))
    assert "not causal" in causal_problem(model, text_meta())
    with pytest.raises(GenerationError, match="not causal"):
        list(sample_tokens(model, text_meta(), "ab", Sampling(length=5)))


def test_a_classifier_run_is_not_a_text_model(model):
    meta = DataMeta("digits", "digits", "image", (1, 8, 8), "classification", 10)
    assert "not a text model" in causal_problem(model, meta)


def test_bad_settings_are_said_before_sampling(model):
    with pytest.raises(GenerationError, match="temperature"):
        sample_tokens(model, text_meta(), "a", Sampling(temperature=-1))
    with pytest.raises(GenerationError, match="top-p"):
        sample_tokens(model, text_meta(), "a", Sampling(top_p=0))
