"""A quality figure for generated images that needs no download: a classifier trained on the
same real data (a "judge") scores the samples.

Two numbers, in the spirit of the Inception score (Salimans et al. 2016) but with a judge
trained on the user's own data instead of ImageNet's Inception network, so they are not
comparable with published Inception scores or FID: the share of samples the judge
classifies with confidence >= 0.9 (recognisable images), and how many of the classes appear
among those samples (variety; a collapsed generator draws one or two). Both are also given
for real test images, the ceiling to read them against.

The judge is a finished classification run of the user's on images of the same size, or a
small CNN the engine trains once on the data and caches under the app's data folder.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import torch
from torch import nn

if TYPE_CHECKING:
    from workbench.core.data import DataSet
    from workbench.core.data.meta import DataMeta

log = logging.getLogger(__name__)

THRESHOLD = 0.9
JUDGE_EPOCHS = 5  # short: it trains at the end of a first GAN run on this data, then is cached
JUDGE_VERSION = 2  # bump when the judge's recipe changes: old caches are then retrained


@dataclass(frozen=True)
class Quality:
    confident_share: float  # share of samples classified with confidence >= threshold
    classes_present: int  # distinct classes among the confident samples
    classes: int
    real_confident_share: float | None  # the same figures for real test images
    real_classes_present: int | None
    judge: str  # which classifier scored them
    judge_accuracy: float | None  # its accuracy on the real test split
    samples: int
    threshold: float = THRESHOLD

    def to_dict(self) -> dict:
        return asdict(self)


def judge_spec(shape: tuple[int, ...], classes: int):
    """A small CNN for any image size (adaptive pooling to 4 x 4 before the dense layers)."""
    from workbench.core.graph import ModelSpec

    s = ModelSpec(name="quality judge")
    rows = [("input", "ImageInput", {"channels": shape[0], "height": shape[1], "width": shape[2]}),
            ("conv1", "Conv2d", {"out_channels": 32, "padding": 1}), ("relu1", "ReLU", {}),
            ("pool1", "MaxPool2d", {}),
            ("conv2", "Conv2d", {"out_channels": 64, "padding": 1}), ("relu2", "ReLU", {}),
            ("pool2", "AdaptiveAvgPool2d", {"output_size": 4}), ("flatten", "Flatten", {}),
            ("fc", "Linear", {"out_features": 128}), ("relu3", "ReLU", {}),
            ("head", "ClassificationHead", {"classes": classes})]
    for i, (name, kind, params) in enumerate(rows):
        s.add_node(kind, name, params, pos=(0.0, 100.0 * i))
        if i:
            s.connect(rows[i - 1][0], name)
    return s


def _judge_dir() -> Path:
    from workbench.core.runs.store import workbench_home

    return workbench_home() / "quality-judges"


def _key(data: DataSet, source: str, seed: int) -> str:
    text = json.dumps([JUDGE_VERSION, source, data.name, list(data.sample_shape),
                       data.num_classes, len(data.train), seed,
                       judge_spec(tuple(data.sample_shape), data.num_classes).to_dict()])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def judge_is_cached(data: DataSet, source: str, *, seed: int = 0,
                    cache_dir: Path | None = None) -> bool:
    folder = Path(cache_dir) if cache_dir is not None else _judge_dir()
    key = _key(data, source, seed)
    return (folder / f"{key}.safetensors").is_file() and (folder / f"{key}.json").is_file()


def cached_judge(data: DataSet, source: str, *, seed: int = 0, device: str = "cpu",
                 cache_dir: Path | None = None, epochs: int | None = None
                 ) -> tuple[nn.Module, DataMeta, float | None]:
    """The engine's own judge for this data: trained once, then read from the cache
    (safetensors and a JSON note). Returns (model in eval mode, its data meta, accuracy)."""
    from safetensors.torch import load_file, save_file

    from workbench.core.data.meta import DataMeta
    from workbench.core.engine import Trainer, TrainingConfig
    from workbench.core.files import atomic_write_text
    from workbench.core.graph import build_model

    if data.kind != "image" or data.task != "classification":
        raise ValueError(f"the quality figure needs labelled images; '{data.name}' holds "
                         f"{data.kind} for {data.task}")
    epochs = epochs or JUDGE_EPOCHS
    folder = Path(cache_dir) if cache_dir is not None else _judge_dir()
    key = _key(data, source, seed) + ("" if epochs == JUDGE_EPOCHS else f"-{epochs}")
    weights, note = folder / f"{key}.safetensors", folder / f"{key}.json"
    spec = judge_spec(tuple(data.sample_shape), data.num_classes)
    meta = DataMeta.from_dataset(data, source)
    if weights.is_file() and note.is_file():
        try:
            model = build_model(spec)
            model.load_state_dict(load_file(str(weights)))
            return model.eval(), meta, json.loads(note.read_text()).get("accuracy")
        except Exception:  # a damaged cache is retrained, not fatal
            log.warning("the cached quality judge %s cannot be read; training it again", weights)
    config = TrainingConfig(epochs=epochs, batch_size=64, lr=3e-3, schedule="onecycle",
                            seed=seed, device=device)
    trainer = Trainer(spec, data, config)
    trainer.fit()
    model = trainer.model.to("cpu").eval()
    accuracy = _accuracy(model, meta, data.test.x, data.test.y)
    folder.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(weights))
    atomic_write_text(note, json.dumps({"source": source, "data": data.name,
                                        "accuracy": accuracy, "epochs": epochs}) + "\n")
    return model, meta, accuracy


def _probabilities(model: nn.Module, meta: DataMeta, images: torch.Tensor) -> torch.Tensor:
    model = model.eval()
    device = next(model.parameters()).device
    out = []
    with torch.no_grad():
        for chunk in images.split(256):
            out.append(torch.softmax(model(meta.normalize(chunk.float().to(device))), -1).cpu())
    return torch.cat(out)


def _accuracy(model: nn.Module, meta: DataMeta, x: torch.Tensor | None,
              y: torch.Tensor | None) -> float | None:
    if x is None or y is None or not len(x):
        return None
    return float((_probabilities(model, meta, x).argmax(-1) == y).float().mean())


def _figures(probs: torch.Tensor, threshold: float) -> tuple[float, int]:
    conf, cls = probs.max(-1)
    sure = conf >= threshold
    return float(sure.float().mean()), int(cls[sure].unique().numel())


def score_images(images: torch.Tensor, model: nn.Module, meta: DataMeta, *,
                 judge: str, judge_accuracy: float | None = None,
                 real: torch.Tensor | None = None, threshold: float = THRESHOLD) -> Quality:
    """The figure for ``images`` (N, C, H, W) in [0, 1], and for ``real`` ones if given."""
    share, present = _figures(_probabilities(model, meta, images), threshold)
    r_share = r_present = None
    if real is not None and len(real):
        r_share, r_present = _figures(_probabilities(model, meta, real), threshold)
    classes = len(meta.class_names) or int(_probabilities(model, meta, images[:1]).shape[-1])
    return Quality(share, present, classes, r_share, r_present, judge, judge_accuracy,
                   int(images.shape[0]), threshold)


def judge_from_run(run_dir_or_id: str | Path, shape: tuple[int, ...]) -> tuple[nn.Module, DataMeta]:
    """A finished classification run of the user's on images of ``shape``, as a judge."""
    from workbench.core.runs import open_run
    from workbench.core.runs.store import RunError

    run = open_run(run_dir_or_id)
    if run.spec.is_gan or run.meta.task != "classification" or run.meta.kind != "image":
        raise RunError(f"the run {run.run_dir.name} is not an image classifier")
    if tuple(run.meta.sample_shape) != tuple(shape):
        raise RunError(f"the run {run.run_dir.name} classifies {run.meta.sample_shape} images, "
                       f"not {tuple(shape)}")
    return run.load_model(), run.meta
