"""A GAN run's reports beside the training: the health check each epoch (a discriminator that
wins outright, samples that collapse to one look), the quality figure and the end-of-run
evaluation (samples.png and the figures in evaluation.json)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from workbench.core.engine.events import EvaluationDone
from workbench.core.generate.grid import image_grid, save_png

if TYPE_CHECKING:
    from workbench.core.engine.gan import GanTrainer

log = logging.getLogger(__name__)
FIXED_SAMPLES = 64


def quality(t: GanTrainer, n: int = 1000) -> Any:
    """The judge's figure for ``n`` samples (seed 0) against the real test images."""
    from workbench.core.evaluate.gan_quality import cached_judge, score_images
    from workbench.core.generate.images import sample_images

    judge, meta, accuracy = cached_judge(t.data, t.data.name, seed=t.config.seed)
    was = t.generator.training
    t.generator.eval()
    try:
        parts = {"latent": t.latent, "distribution": t.distribution, "activation": t.activation}
        images = sample_images(t.generator, parts, n)
    finally:
        t.generator.train(was)
    real = t.data.test.x[:n] if t.data.test.x is not None else None
    return score_images(images.cpu(), judge, meta, judge="a CNN the engine trained on "
                        f"{t.data.name}", judge_accuracy=accuracy, real=real)


def health(t: GanTrainer, d_real: float, d_fake: float) -> str:
    """A collapse or a discriminator that wins outright, in words; "" when neither."""
    if t.config.gan_loss == "non_saturating" and d_real > 0.98 and d_fake < 0.02:
        return (f"The discriminator tells generated images from real ones every time "
                f"(D(x) {d_real:.2f}, D(G(z)) {d_fake:.2f}): the generator learns little. "
                "Lower the discriminator's learning rate, or try the hinge loss.")
    made = t.samples(FIXED_SAMPLES).flatten(1).std(0).mean().item()
    x = t.data.train.x
    if x is not None and len(x) > 1:
        real = x[:FIXED_SAMPLES].float().flatten(1).std(0).mean().item()
        if real > 0 and made < 0.15 * real:
            return (f"The generated images all look alike (mode collapse: their spread is "
                    f"{100 * made / real:.0f} % of the real images'). Lower the learning "
                    "rates, or try the WGAN-GP loss.")
    return ""


def evaluate(t: GanTrainer) -> None:
    """Samples and the GAN's figures, written to the run folder as evaluation.json."""
    try:
        results: dict[str, Any] = {"task": "gan", "loss": None, "accuracy": None}
        if t.progress.history:
            last = t.progress.history[-1]
            results.update(d_loss=last["d_loss"], g_loss=last["train_loss"],
                           d_real=last["d_real"], d_fake=last["d_fake"])
        if t.run_dir is not None:
            save_png(image_grid(t.samples()), t.run_dir / "samples.png", scale=2)
            results["samples"] = "samples.png"
        if t.config.gan_quality and t.data.task == "classification":
            from workbench.core.evaluate.gan_quality import JUDGE_EPOCHS, judge_is_cached

            # the judge trains once per data set: at the end of a run at least as long
            # as its own training, or when cached; else `workbench evaluate` does it
            if (len(t.progress.history) >= JUDGE_EPOCHS
                    or judge_is_cached(t.data, t.data.name, seed=t.config.seed)):
                results["quality"] = t.quality().to_dict()
            else:
                results["quality"] = {"skipped": (
                    f"a {len(t.progress.history)}-epoch run is shorter than training "
                    "the judge; workbench evaluate RUN (or Evaluate in the app) measures "
                    "it")}
        t._emit(EvaluationDone(results))
    except Exception:
        log.exception("the GAN's evaluation failed")
