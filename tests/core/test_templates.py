"""Every template builds, validates clean, and has the parameter count of the same network
written by hand in plain PyTorch."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from workbench.core.graph import analyze, build_model
from workbench.core.templates import list_templates, load_template


def count(m: nn.Module) -> int:
    return sum(p.numel() for p in m.parameters())


def encoder(d, heads, ff, layers, norm_first=False, act="relu", dropout=0.1):
    layer = nn.TransformerEncoderLayer(d, heads, ff, dropout, act, batch_first=True,
                                       norm_first=norm_first)
    return nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)


def resnet() -> nn.Module:
    def bn(c):
        return nn.BatchNorm2d(c)
    return nn.ModuleList([
        nn.Conv2d(1, 32, 3, padding=1, bias=False), bn(32),
        nn.Conv2d(32, 32, 3, padding=1, bias=False), bn(32),
        nn.Conv2d(32, 32, 3, padding=1, bias=False), bn(32),
        nn.Conv2d(32, 64, 3, stride=2, padding=1, bias=False), bn(64),
        nn.Conv2d(64, 64, 3, padding=1, bias=False), bn(64),
        nn.Conv2d(32, 64, 1, stride=2, bias=False), bn(64), nn.Linear(64, 10)])


HAND_WRITTEN = {
    "cnn_cifar24": lambda: nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(64 * 6 * 6, 128), nn.ReLU(), nn.Linear(128, 10)),
    "cnn_mnist": lambda: nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
        nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64 * 5 * 5, 64), nn.ReLU(), nn.Linear(64, 10)),
    "autoencoder_digits": lambda: nn.Sequential(
        nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 32), nn.ReLU(),
        nn.Linear(32, 256), nn.ReLU(), nn.Linear(256, 784)),
    "mlp": lambda: nn.Sequential(nn.Flatten(), nn.Linear(784, 1024), nn.ReLU(),
                                 nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 10)),
    "lstm_classifier": lambda: nn.ModuleList([
        nn.Embedding(5000, 128), nn.LSTM(128, 128, num_layers=2, batch_first=True),
        nn.Linear(128, 2)]),
    "lstm_rows": lambda: nn.ModuleList([nn.LSTM(28, 128, num_layers=2, batch_first=True),
                                        nn.Linear(128, 10)]),
    "transformer_classifier": lambda: nn.ModuleList([
        nn.Embedding(10000, 512), encoder(512, 8, 2048, 12), nn.Linear(512, 10)]),
    "transformer_encoder": lambda: nn.ModuleList([
        nn.Embedding(10000, 512), encoder(512, 8, 2048, 6), nn.Linear(512, 2)]),
    "lenet5": lambda: nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5),
        nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10)),
    "resnet_small": resnet,
    # patch projection, class token (64), learned positions (17 x 64), encoder, norm, head
    "vit_tiny": lambda: nn.ModuleList([
        nn.Conv2d(1, 64, 4, stride=4), encoder(64, 4, 128, 4, True, "gelu"), nn.LayerNorm(64),
        nn.Linear(64, 10), nn.ParameterList([nn.Parameter(torch.zeros(1, 1, 64)),
                                             nn.Parameter(torch.zeros(1, 50, 64))])]),
    "gru_text": lambda: nn.ModuleList([
        nn.Embedding(5000, 64), nn.GRU(64, 128, batch_first=True, bidirectional=True),
        nn.Linear(256, 4)]),
    "char_gpt": lambda: nn.ModuleList([
        nn.Embedding(65, 128), nn.ParameterList([nn.Parameter(torch.zeros(1, 64, 128))]),
        encoder(128, 4, 512, 4, True, "gelu"), nn.LayerNorm(128), nn.Linear(128, 65)]),
}


def test_every_template_has_a_hand_written_twin():
    assert {t.name for t in list_templates()} == set(HAND_WRITTEN)


@pytest.mark.parametrize("name", sorted(HAND_WRITTEN))
def test_template_validates_and_matches_hand_written_count(name):
    spec = load_template(name)
    analysis = analyze(spec, batch=2)
    assert analysis.problems == []
    assert analysis.total_params == count(HAND_WRITTEN[name]())
    with torch.device("meta"):  # the 43M-parameter encoder need not be materialised here
        model = build_model(spec, analysis)
    assert count(model) == analysis.total_params


def test_mlp_has_the_textbook_count():
    assert analyze(load_template("mlp")).total_params == 1_863_690


@pytest.mark.parametrize("name", ["cnn_mnist", "lenet5", "resnet_small", "vit_tiny",
                                  "lstm_rows", "gru_text", "char_gpt", "cnn_cifar24"])
def test_small_templates_run_forward_and_backward(name):
    spec = load_template(name)
    analysis = analyze(spec, batch=2)
    model = build_model(spec, analysis)
    from workbench.core.graph import model_io
    io = model_io(spec, analysis)
    x = (torch.randint(0, io.vocab_size, (2, *io.input_shape)) if io.input_kind == "tokens"
         else torch.randn(2, *io.input_shape))
    out = model(x)
    assert tuple(out.shape) == (2, *io.output_shape)
    out.sum().backward()
