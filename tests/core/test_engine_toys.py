"""Tiny data sets and models for the engine tests (imported by the other test_engine files),
and checks that they are what those tests assume."""

from __future__ import annotations

import torch

from workbench.core.data import DataSet, Split
from workbench.core.engine import Callback, TrainingConfig
from workbench.core.graph import ModelSpec, build_model


def chain(*layers: tuple[str, dict], name: str = "toy") -> ModelSpec:
    """A straight chain of (kind, params) nodes."""
    s = ModelSpec(name=name)
    for i, (kind, params) in enumerate(layers):
        s.add_node(kind, f"n{i}", params)
    for a, b in zip(s.nodes, s.nodes[1:], strict=False):
        s.connect(a.name, b.name)
    return s


def mlp(features: int = 8, classes: int = 3, hidden: int = 16, dropout: float = 0.2,
        depth: int = 1) -> ModelSpec:
    layers: list[tuple[str, dict]] = [("FeatureInput", {"features": features})]
    for _ in range(depth):
        layers += [("Linear", {"out_features": hidden}), ("ReLU", {})]
    if dropout:
        layers.append(("Dropout", {"p": dropout}))
    return chain(*layers, ("ClassificationHead", {"classes": classes}))


def tiny_cnn(size: int = 8, classes: int = 3) -> ModelSpec:
    return chain(("ImageInput", {"channels": 1, "height": size, "width": size}),
                 ("Conv2d", {"out_channels": 4, "padding": 1}), ("ReLU", {}),
                 ("MaxPool2d", {}), ("Flatten", {}), ("Dropout", {"p": 0.25}),
                 ("ClassificationHead", {"classes": classes}))


def _split(x: torch.Tensor, y: torch.Tensor, sizes: tuple[int, int, int]) -> list[Split]:
    a, b, _ = sizes
    return [Split(x[:a], y[:a]), Split(x[a:a + b], y[a:a + b]), Split(x[a + b:], y[a + b:])]


def features_data(n: int = 240, features: int = 8, classes: int = 3, seed: int = 0,
                  sizes: tuple[int, int, int] | None = None, name: str = "toy") -> DataSet:
    """Linearly separable-ish classes: learnable in a few epochs."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, features, generator=g) * 2 + 1
    y = ((x - 1) @ torch.randn(features, classes, generator=g)).argmax(1)
    sizes = sizes or (n * 3 // 4, n // 8, n - n * 3 // 4 - n // 8)
    tr, va, te = _split(x, y, sizes)
    std, mean = torch.std_mean(tr.x, dim=0)
    return DataSet(name, "features", (features,), "classification", classes,
                   [f"c{i}" for i in range(classes)], tr, va, te,
                   mean=tuple(mean.tolist()), std=tuple(std.tolist()))


def image_data(n: int = 160, size: int = 8, classes: int = 3, seed: int = 0,
               name: str = "blobs") -> DataSet:
    """Images whose class is where a bright square sits."""
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, classes, (n,), generator=g)
    x = torch.rand(n, 1, size, size, generator=g) * 0.3
    for i in range(n):
        c = int(y[i]) * size // classes
        x[i, 0, c:c + 2, 2:5] = 1.0
    tr, va, te = _split(x, y, (n * 3 // 4, n // 8, n - n * 3 // 4 - n // 8))
    return DataSet(name, "image", (1, size, size), "classification", classes,
                   [f"c{i}" for i in range(classes)], tr, va, te, mean=(0.2,), std=(0.3,))


def fast(**kw) -> TrainingConfig:
    """CPU, fp32, small batches; override what a test is about."""
    base = dict(device="cpu", epochs=2, batch_size=32, lr=1e-2, num_workers=0)
    return TrainingConfig(**{**base, **kw})


class Recorder(Callback):
    """Keeps every event, in order."""

    def __init__(self) -> None:
        self.events: list = []

    def on_run_started(self, e) -> None:
        self.events.append(e)

    def on_step(self, e) -> None:
        self.events.append(e)

    def on_epoch_end(self, e) -> None:
        self.events.append(e)

    def on_evaluation(self, e) -> None:
        self.events.append(e)

    def on_run_ended(self, e) -> None:
        self.events.append(e)

    def of(self, cls) -> list:
        return [e for e in self.events if isinstance(e, cls)]


def weights(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}


def test_toys_build_and_match():
    for spec, data in ((mlp(), features_data()), (tiny_cnn(), image_data())):
        model = build_model(spec)
        out = model(data.train.x[:4])
        assert out.shape == (4, data.num_classes)
