"""Images from a trained GAN's generator: sample grids, latent interpolation, PNG files.

The contract ``workbench generate`` relies on: ``is_image_run(run)`` and
``write_sample_grid(run, n=, path=, seed=, which=) -> Path`` (RunError or ValueError for a
person); ``generate_grid(run_folder, n, out_png, seed)`` is the same from a folder or run id.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from workbench.core.generate.grid import image_grid, save_png, to_unit

if TYPE_CHECKING:
    from workbench.core.runs.folders import LoadedRun

MAX_SAMPLES = 1024


def is_image_run(run: LoadedRun) -> bool:
    """A run whose model makes images from noise (a GAN's generator)."""
    return run.spec.is_gan


def load_generator(run: LoadedRun, which: str = "best") -> tuple[nn.Module, dict[str, Any]]:
    """The run's generator with its checkpoint's weights (safetensors), in eval mode, and its
    parts (latent size, noise, activation, image shape)."""
    from safetensors.torch import load_file

    from workbench.core.engine.gan import gan_parts
    from workbench.core.graph import build_model
    from workbench.core.graph.gan import GENERATOR
    from workbench.core.runs.store import RunError

    if not run.spec.is_gan:
        raise RunError(f"the run {run.run_dir.name} is not a GAN: it has no generator")
    parts = gan_parts(run.spec)
    model = build_model(run.spec.part(GENERATOR))
    path = run.checkpoint(which)
    prefix = GENERATOR + "."
    state = {k.removeprefix("_orig_mod.")[len(prefix):]: v for k, v in load_file(str(path)).items()
             if k.removeprefix("_orig_mod.").startswith(prefix)}
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as e:
        raise RunError(f"the weights in {path} do not fit the run's generator: "
                       f"{str(e).splitlines()[0]}") from None
    return model.eval(), parts


def _device(model: nn.Module) -> torch.device:
    return next(iter(model.parameters()), torch.empty(0)).device


def _check_n(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_SAMPLES:
        raise ValueError(f"the number of samples must be between 1 and {MAX_SAMPLES}, not {n}")


def latents(parts: dict[str, Any], n: int, seed: int) -> torch.Tensor:
    from workbench.core.engine.gan import noise

    return noise(n, parts["latent"], parts["distribution"],
                 generator=torch.Generator().manual_seed(int(seed)))


def sample_images(generator: nn.Module, parts: dict[str, Any], n: int,
                  seed: int = 0) -> torch.Tensor:
    """(n, C, H, W) images in [0, 1]; the same seed gives the same images."""
    _check_n(n)
    with torch.no_grad():
        return to_unit(generator(latents(parts, n, seed).to(_device(generator))),
                       parts["activation"])


def interpolate(generator: nn.Module, parts: dict[str, Any], rows: int = 4, steps: int = 8,
                seed: int = 0) -> torch.Tensor:
    """(rows * steps, C, H, W): each row walks in a straight line through latent space from
    one random point to another, so a smooth row shows a generator that learned a smooth
    map rather than memorized images."""
    _check_n(rows * steps)
    ends = latents(parts, 2 * rows, seed).reshape(rows, 2, -1)
    t = torch.linspace(0, 1, steps).reshape(1, steps, 1)
    z = (ends[:, :1] * (1 - t) + ends[:, 1:] * t).reshape(rows * steps, -1)
    with torch.no_grad():
        return to_unit(generator(z.to(_device(generator))), parts["activation"])


def write_sample_grid(run: LoadedRun, *, n: int = 64, path: str | Path, seed: int = 0,
                      which: str = "best", scale: int = 2) -> Path:
    """``n`` samples as one PNG grid at ``path``; returns the path."""
    _check_n(n)
    generator, parts = load_generator(run, which)
    return save_png(image_grid(sample_images(generator, parts, n, seed)), path, scale=scale)


def generate_grid(run_folder: str | Path, n: int, out_png: str | Path, seed: int = 0) -> Path:
    """``write_sample_grid`` for a run folder or run id."""
    from workbench.core.runs import open_run

    return write_sample_grid(open_run(run_folder), n=n, path=out_png, seed=seed)


class GanEvaluation:
    """A GAN run's evaluation: what ``evaluation.json`` holds (``to_dict``)."""

    def __init__(self, results: dict[str, Any]) -> None:
        self.results = results

    def to_dict(self) -> dict[str, Any]:
        return dict(self.results)


def evaluate_gan_run(run: LoadedRun, *, which: str = "best", data: Any = None,
                     save: bool = True, samples: int = 1000) -> GanEvaluation:
    """Sample grid and latent interpolation (PNG files in the run folder) and the quality
    figure against the real test images (see ``evaluate.gan_quality``)."""
    from workbench.core.evaluate.gan_quality import cached_judge, score_images
    from workbench.core.runs.recorder import write_json
    from workbench.core.runs.retest import load_run_data

    generator, parts = load_generator(run, which)
    results: dict[str, Any] = {**(run.evaluation or {}), "task": "gan", "loss": None,
                               "accuracy": None, "checkpoint": which}
    save_png(image_grid(sample_images(generator, parts, 64)), run.run_dir / "samples.png", 2)
    save_png(image_grid(interpolate(generator, parts), columns=8),
             run.run_dir / "interpolation.png", 2)
    results.update(samples="samples.png", interpolation="interpolation.png")
    data = data if data is not None else load_run_data(run)
    if data.kind == "image" and data.task == "classification":
        judge, meta, accuracy = cached_judge(data, data.name, seed=run.config.seed)
        real = data.test.x[:samples] if data.test.x is not None else None
        results["quality"] = score_images(
            sample_images(generator, parts, samples), judge, meta, judge="a CNN the engine "
            f"trained on {data.name}", judge_accuracy=accuracy, real=real).to_dict()
    if save:
        write_json(run.run_dir / "evaluation.json", results)
        run.evaluation = results
    return GanEvaluation(results)
