"""Small models shared by core and UI tests (importable as ``helpers``: pytest puts this
folder on sys.path for its conftest)."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from workbench.core.graph import ModelSpec


def tiny_mlp_spec(size: int = 8, hidden: int = 16, *, broken: bool = False) -> ModelSpec:
    """ImageInput(1 x size x size) -> Flatten -> Linear(hidden) -> ReLU -> 10 classes; with
    ``broken`` the head is left unconnected."""
    spec = ModelSpec(name="Tiny MLP")
    spec.add_node("ImageInput", "input", {"channels": 1, "height": size, "width": size})
    spec.add_node("Flatten", "flatten")
    spec.add_node("Linear", "fc", {"out_features": hidden})
    spec.add_node("ReLU", "relu")
    spec.add_node("ClassificationHead", "head", {"classes": 10})
    edges = [("input", "flatten"), ("flatten", "fc"), ("fc", "relu"), ("relu", "head")]
    for a, b in edges[:-1] if broken else edges:
        spec.connect(a, b)
    return spec


def tiny_mlp_file(folder: Path, *, size: int = 8, broken: bool = False) -> Path:
    path = folder / ("broken.json" if broken else "tiny.json")
    tiny_mlp_spec(size, 32, broken=broken).save(path)
    return path


@torch.library.custom_op("wbtest::opaque_relu", mutates_args=())
def opaque_relu(x: torch.Tensor) -> torch.Tensor:
    """A ReLU that ONNX has no translation for (as any custom kernel would be)."""
    return torch.relu(x)


@opaque_relu.register_fake
def _(x: torch.Tensor) -> torch.Tensor:
    return torch.empty_like(x)


class OpaqueReLU(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return opaque_relu(x)


def batchnorm_mlp_spec() -> ModelSpec:
    """Image(1 x 8 x 8) -> Flatten -> Linear(32) -> BatchNorm1d -> ReLU -> 10 classes: valid
    at any batch of two or more, not at one (BatchNorm needs two values per channel)."""
    spec = ModelSpec(name="bn")
    spec.add_node("ImageInput", "input", {"channels": 1, "height": 8, "width": 8})
    spec.add_node("Flatten", "flat")
    spec.add_node("Linear", "fc", {"out_features": 32})
    spec.add_node("BatchNorm1d", "bn")
    spec.add_node("ReLU", "act")
    spec.add_node("ClassificationHead", "head", {"classes": 10})
    for a, b in [("input", "flat"), ("flat", "fc"), ("fc", "bn"), ("bn", "act"), ("act", "head")]:
        spec.connect(a, b)
    return spec


def saved_activation_bytes(spec: ModelSpec, batch: int, device: str = "meta") -> int:
    """What autograd saves for backward when the whole built model runs one training forward
    on ``device`` (unique storages, parameters and buffers excluded), then a backward: the
    per-node figure of ``analyze`` must add up to this."""
    from workbench.core.graph import analyze, build_model, model_io
    from workbench.core.graph.memory import recording, saved_bytes

    analysis = analyze(spec, batch)
    with torch.device(device):
        model = build_model(spec, analysis)
    io = model_io(spec, analysis)
    if io.input_dtype == torch.long:
        x = torch.randint(0, io.vocab_size or 2, (batch, *io.input_shape), device=device)
    else:
        x = torch.randn((batch, *io.input_shape), device=device)
    with recording() as rec:
        y = model(x)
    y.float().sum().backward()
    return saved_bytes(rec, model)


def tiny_gpt_spec(vocab: int = 14, length: int = 16, causal: bool = True) -> ModelSpec:
    """A one-block character GPT: tokens -> embedding -> learned positions -> causal decoder
    (or a plain encoder) -> LayerNorm -> a next-token head of ``vocab`` classes."""
    spec = ModelSpec(name="tiny gpt")
    spec.add_node("TokenInput", "input", {"vocab_size": vocab, "length": length})
    spec.add_node("Embedding", "embed", {"embedding_dim": 16})
    spec.add_node("PositionalEncoding", "pos", {"kind": "learned"})
    spec.add_node("CausalDecoder" if causal else "TransformerEncoder", "block",
                  {"heads": 2, "ff_dim": 32, "dropout": 0.0, "layers": 1})
    spec.add_node("LayerNorm", "norm")
    spec.add_node("ClassificationHead", "head", {"classes": vocab})
    for a, b in [("input", "embed"), ("embed", "pos"), ("pos", "block"), ("block", "norm"),
                 ("norm", "head")]:
        spec.connect(a, b)
    return spec


# Templates whose layer kinds and settings another template already has (the 12-layer encoder
# is the 6-layer one twice over; the small CNNs and the MLP are cnn_mnist's kinds): the slow
# per-template cases (ONNX, torch.export, import round trips) run them only with
# `pytest -m exhaustive`. tests/core/test_export_formats.py checks the cover holds.
SAME_KINDS_AS = {"transformer_classifier": "transformer_encoder", "cnn_cifar24": "cnn_mnist",
                 "lenet5": "cnn_mnist", "mlp": "cnn_mnist"}


def covering_templates(names: list[str]) -> list:
    """``names`` as pytest params, those another template covers marked ``exhaustive``."""
    import pytest

    return [pytest.param(n, marks=pytest.mark.exhaustive) if n in SAME_KINDS_AS else n
            for n in names]
