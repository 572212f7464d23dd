"""Padding does not leak into predictions: a layer given the token ids on its 'tokens' port
ignores <pad> steps, so the same text padded more gives the same output."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from workbench.core.graph import analyze, build_model
from workbench.core.layers.modules import Recurrent
from workbench.core.templates import load_template

TEXTS = [[5, 9, 2, 7, 3], [4, 4, 8, 2, 6, 6, 3, 9, 2]]  # token ids; 0 is <pad>


def _batch(length: int) -> torch.Tensor:
    return torch.tensor([ids + [0] * (length - len(ids)) for ids in TEXTS])


def _template(name: str, length: int, masked: tuple[str, ...], shrink: bool = False):
    spec = load_template(name)
    spec.node("input").params["length"] = length
    if shrink:  # the same layers, smaller: the test is about padding, not size
        spec.node("embed").params["embedding_dim"] = 32
        spec.node("encoder").params.update(heads=4, ff_dim=64, layers=2)
    # the templates come wired (tokens port in use): start unmasked, then wire ``masked``
    spec.edges = [e for e in spec.edges if e.dst_port != "tokens"]
    for node in masked:
        spec.connect("input", node, "tokens")
    analysis = analyze(spec, batch=2)
    assert analysis.problems == [], analysis.problems
    return build_model(spec, analysis).eval()


CASES = {  # template: the layers whose 'tokens' port takes the token input
    "gru_text": ("gru",),  # bidirectional GRU read to its final hidden state
    "lstm_classifier": ("lstm",),  # 2-layer LSTM, last step
    "transformer_encoder": ("encoder", "pool"),  # attention key padding mask + masked mean
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_more_padding_gives_the_same_output(name):
    torch.manual_seed(0)
    shrink = name == "transformer_encoder"
    short = _template(name, 12, CASES[name], shrink)
    long = _template(name, 30, CASES[name], shrink)
    long.load_state_dict(short.state_dict())  # no weight depends on the length
    with torch.no_grad():
        a, b = short(_batch(12)), long(_batch(30))
        alone = short(_batch(12)[:1])  # and the batch's other text changes nothing
    torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-4)
    torch.testing.assert_close(a[:1], alone, atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize("name", sorted(CASES))
def test_without_the_tokens_port_padding_leaks(name):
    """The check above would catch a leak: unmasked, the padded length changes the answer."""
    torch.manual_seed(0)
    shrink = name == "transformer_encoder"
    short, long = _template(name, 12, (), shrink), _template(name, 30, (), shrink)
    long.load_state_dict(short.state_dict())
    with torch.no_grad():
        assert not torch.allclose(short(_batch(12)), long(_batch(30)), atol=1e-4)


@pytest.mark.parametrize("cell,layers,output", [("GRU", 1, "sequence"), ("GRU", 1, "hidden"),
                                                ("LSTM", 1, "last"), ("LSTM", 2, "hidden"),
                                                ("RNN", 2, "sequence")])
def test_bidirectional_recurrent_matches_packed_sequences(cell, layers, output):
    torch.manual_seed(0)
    layer = Recurrent(cell, 6, 5, num_layers=layers, bidirectional=True, output=output).eval()
    tokens = _batch(11)
    x = torch.randn(2, 11, 6)
    lengths = (tokens != 0).sum(1)
    packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True,
                                               enforce_sorted=False)
    out, state = layer.rnn(packed)
    seq = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=11)[0]
    h = state[0] if isinstance(state, tuple) else state
    expected = {"sequence": seq, "last": seq[torch.arange(2), lengths - 1],
                "hidden": torch.cat([h[-2], h[-1]], -1)}[output]
    with torch.no_grad():
        torch.testing.assert_close(layer(x, tokens), expected, atol=1e-5, rtol=1e-4)


def test_the_tokens_port_takes_token_ids_of_the_sequence_length():
    spec = load_template("lstm_classifier")
    spec.edges = [e for e in spec.edges if e.dst_port != "tokens"]
    spec.connect("embed", "lstm", "tokens")  # vectors, not ids
    assert any("'tokens' input" in p.message for p in analyze(spec, batch=2).problems)
