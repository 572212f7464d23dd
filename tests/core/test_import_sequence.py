"""Sequence and attention models written with plain torch.nn import through torch.fx: their
recurrent, embedding, attention and Transformer modules become catalogue layers with the
weights carried over, and the imported model computes what the original computes (batch 1
and 3). What the catalogue cannot hold is refused with the node named."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from workbench.core.importers import ModelImportError
from workbench.core.importers.fx_import import import_module

TOL = 1e-4


def _check(model: nn.Module, shape, *, vocab: int = 0):
    torch.manual_seed(0)
    model.eval()
    result = import_module(model, shape, type(model).__name__, "test")
    assert result.parameters == sum(p.numel() for p in model.parameters())
    for batch in (1, 3):
        g = torch.Generator().manual_seed(batch)
        x = torch.randint(0, vocab, (batch, *shape), generator=g) if vocab else \
            torch.randn(batch, *shape, generator=g)
        with torch.no_grad():
            diff = (result.model(x) - model(x)).abs().max().item()
        assert diff < TOL, (batch, diff)
    return result


class TokenLSTM(nn.Module):
    """Token ids -> embedding -> 2-layer LSTM -> its last step."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(50, 8, padding_idx=0)
        self.lstm = nn.LSTM(8, 6, num_layers=2, batch_first=True)
        self.fc = nn.Linear(6, 3)

    def forward(self, x):
        out, _ = self.lstm(self.embed(x))
        return self.fc(out[:, -1])


class BiGRUState(nn.Module):
    """The final states of both directions, concatenated (the usual text classifier)."""

    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 5, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(10, 2)

    def forward(self, x):
        _, h = self.gru(x)
        return self.fc(torch.cat([h[-2], h[-1]], dim=1))


class RNNSequence(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(4, 6, batch_first=True, nonlinearity="relu")
        self.norm = nn.LayerNorm(6)
        self.fc = nn.Linear(6, 2)

    def forward(self, x):
        return self.fc(self.norm(self.rnn(x)[0])[:, -1])


class LSTMHidden(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 6, batch_first=True)
        self.fc = nn.Linear(6, 2)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.fc(h[-1])


@pytest.mark.parametrize("cls, shape, vocab, kinds, output", [
    (TokenLSTM, (7,), 50, ["TokenInput", "Embedding", "LSTM", "ClassificationHead"], "last"),
    (BiGRUState, (7, 4), 0, ["SequenceInput", "GRU", "ClassificationHead"], "hidden"),
    (LSTMHidden, (7, 4), 0, ["SequenceInput", "LSTM", "ClassificationHead"], "hidden"),
    (RNNSequence, (7, 4), 0, ["SequenceInput", "RNN", "LayerNorm", "SequencePool",
                              "ClassificationHead"], "sequence"),
])
def test_recurrent_modules(cls, shape, vocab, kinds, output):
    result = _check(cls(), shape, vocab=vocab)
    assert [n.kind for n in result.spec.nodes] == kinds
    rnn = result.spec.nodes[kinds.index(kinds[1] if kinds[1] != "Embedding" else "LSTM")]
    assert rnn.params["output"] == output
    if cls is TokenLSTM:
        assert result.spec.node("input").params["vocab_size"] == 50
        assert result.spec.node("embed").params["padding_idx"] == 0
        assert rnn.params["num_layers"] == 2
        assert torch.equal(result.state_dict["lstm.rnn.weight_hh_l1"],
                           result.model.state_dict()["lstm.rnn.weight_hh_l1"])


class Encoder(nn.Module):
    """Embedding, a learned position table added as a parameter, a TransformerEncoder
    with a final norm, the mean over the steps."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(30, 16)
        self.pos = nn.Parameter(torch.randn(1, 6, 16))
        layer = nn.TransformerEncoderLayer(16, 4, 32, dropout=0.1, activation="gelu",
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(16),
                                             enable_nested_tensor=False)
        self.fc = nn.Linear(16, 3)

    def forward(self, x):
        return self.fc(self.encoder(self.embed(x) + self.pos).mean(dim=1))


class Attention(nn.Module):
    """A class token in front, one attention layer with a residual, the class token out."""

    def __init__(self):
        super().__init__()
        self.cls = nn.Parameter(torch.randn(1, 1, 8))
        self.attn = nn.MultiheadAttention(8, 2, batch_first=True)
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1)
        y, _ = self.attn(x, x, x, need_weights=False)
        return self.fc((x + y)[:, 0])


def test_transformer_encoder_with_positions():
    result = _check(Encoder(), (6,), vocab=30)
    kinds = [n.kind for n in result.spec.nodes]
    assert kinds == ["TokenInput", "Embedding", "PositionalEncoding", "TransformerEncoder",
                     "LayerNorm", "SequencePool", "ClassificationHead"]
    enc = result.spec.nodes[3].params
    assert (enc["layers"], enc["norm"], enc["activation"], enc["ff_dim"]) == (2, "pre", "gelu", 32)


def test_attention_with_class_token():
    result = _check(Attention(), (5, 8))
    kinds = [n.kind for n in result.spec.nodes]
    assert kinds == ["SequenceInput", "ClassToken", "MultiHeadAttention", "Add",
                     "SequencePool", "ClassificationHead"]


class CrossAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(8, 2, batch_first=True)
        self.memory = nn.Linear(8, 8)
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        y = self.memory(x)
        return self.fc(self.attn(x, y, y)[0][:, -1])


class TimeMajor(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 6)
        self.fc = nn.Linear(6, 2)

    def forward(self, x):
        return self.fc(self.lstm(x)[0][-1])


class MiddleStep(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 6, batch_first=True)
        self.fc = nn.Linear(6, 2)

    def forward(self, x):
        return self.fc(self.gru(x)[0][:, 2])


@pytest.mark.parametrize("cls, match", [
    (CrossAttention, r"node 'attn' \(attn\) attends from one sequence to another"),
    (TimeMajor, r"node 'lstm' \(lstm\) reads time-major sequences"),
    (MiddleStep, r"node 'getitem_\d' \(getitem\) picks values other than the first or the last"),
])
def test_what_the_catalogue_cannot_hold_is_named(cls, match):
    with pytest.raises(ModelImportError, match=match):
        import_module(cls(), (5, 4) if cls is not CrossAttention else (5, 8), "m", "test")


def test_small_torchvision_vision_transformer():
    """torchvision's ViT (pre-norm blocks of LayerNorm eps 1e-6, attention, GELU MLP; class
    token, learned positions, conv patches), small and with random weights: nothing
    downloads. Its blocks become catalogue layers one by one."""
    from torchvision.models.vision_transformer import VisionTransformer

    torch.manual_seed(0)
    vit = VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=2,
                            hidden_dim=32, mlp_dim=64, num_classes=5)
    result = _check(vit, (3, 32, 32))
    kinds = [n.kind for n in result.spec.nodes]
    assert kinds[:4] == ["ImageInput", "PatchEmbedding", "ClassToken", "PositionalEncoding"]
    assert kinds.count("MultiHeadAttention") == 2 and kinds.count("GELU") == 2
    assert kinds[-2:] == ["SequencePool", "ClassificationHead"]
    assert result.spec.node("class_token").kind == "ClassToken"
    assert result.spec.node("encoder_layers_encoder_layer_0_ln_1").params["eps"] == 1e-6
