"""Per-token attributions for token models, by Captum.

Token ids have no gradient, so the gradient methods work at the Embedding layer: Integrated
Gradients from an all-padding text (LayerIntegratedGradients) summed over the embedding, and
saliency as the gradient times the embedding, summed per token (AllenNLP's "simple gradient":
the bare gradient's length ranks filler words as high as the word that decides). The perturbation methods (occlusion, LIME,
KernelSHAP) replace tokens by padding, one feature per token of the text.
"""

from __future__ import annotations

import math

import torch

from workbench.core.data.tokens import PAD_INDEX
from workbench.core.explain.errors import ExplainError
from workbench.core.explain.layers import embedding_layer
from workbench.core.explain.methods import Result, Settings, surrogate
from workbench.core.explain.progress import Watch
from workbench.core.explain.subject import Prepared, Subject


def attribute_tokens(subject: Subject, prepared: Prepared, method: str, target: int,
                     watch: Watch, settings: Settings) -> Result:
    from captum.attr import (
        LayerGradientXActivation,
        LayerIntegratedGradients,
        Occlusion,
    )

    ids = prepared.x.detach().long()
    n = max(1, prepared.length)
    position = prepared.position
    embed = embedding_layer(subject)

    def logits(inp: torch.Tensor) -> torch.Tensor:
        return subject.scores(inp, position)

    def probs(inp: torch.Tensor) -> torch.Tensor:
        # the perturbation methods mix ids with the padding id as floats: round them back
        return subject.scores(inp.round().long(), position, probabilities=True)

    def per_token(a: torch.Tensor):
        a = a.detach().float().cpu()[0]
        if a.dim() == 2:  # (L, embedding): one number per token
            a = a.sum(-1)
        return a[:n].numpy()

    if method == "gradcam":
        raise ExplainError("Grad-CAM explains image models with convolution layers; for a "
                           "text model choose saliency, integrated-gradients, occlusion, lime "
                           "or shap.")
    if method == "saliency":
        watch.start("Saliency: one backward pass", 1)
        a = LayerGradientXActivation(watch.wrap(logits), subject.module(embed)).attribute(
            ids, target=target)
        return Result(per_token(a), tuple(a.shape), True, embed,
                      notes=(f"gradient x embedding at {embed}, summed per token",))
    if method == "integrated-gradients":
        steps, batch = settings.ig_steps, settings.ig_batch
        watch.start(f"Integrated Gradients: {steps} steps", math.ceil(steps / batch))
        a = LayerIntegratedGradients(watch.wrap(logits), subject.module(embed)).attribute(
            ids, baselines=torch.full_like(ids, PAD_INDEX), target=target, n_steps=steps,
            internal_batch_size=batch)
        return Result(per_token(a), tuple(a.shape), True, embed,
                      notes=(f"at {embed}, {steps} steps from an all-padding text",))
    x = ids.float()
    if method == "occlusion":
        length = ids.shape[1]
        watch.start(f"Occlusion: {n} tokens", 1 + math.ceil(length / settings.per_call))
        a = Occlusion(watch.wrap(probs)).attribute(
            x, sliding_window_shapes=(1,), strides=(1,), baselines=float(PAD_INDEX),
            target=target, perturbations_per_eval=settings.per_call)
        return Result(per_token(a), tuple(a.shape), True,
                      notes=("each token replaced by padding; fall of the probability",))
    if method in ("lime", "shap"):
        # one feature per token of the text; the padding after it is one more, always on
        mask = torch.arange(ids.shape[1], device=ids.device).clamp(max=n).unsqueeze(0)
        samples = settings.samples
        watch.start(f"{'LIME' if method == 'lime' else 'KernelSHAP'}: {samples} samples",
                    1 + math.ceil(samples / settings.per_call))
        a = surrogate(method, watch.wrap(probs), settings).attribute(x, baselines=float(PAD_INDEX), target=target, feature_mask=mask,
                                n_samples=samples, perturbations_per_eval=settings.per_call)
        return Result(per_token(a), tuple(a.shape), True,
                      notes=(f"{samples} samples over {n} tokens; hidden ones set to padding",))
    raise ExplainError(f"Unknown method '{method}'.")
