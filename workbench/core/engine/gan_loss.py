"""The adversarial losses: what the discriminator and the generator each minimize.

Scores are the discriminator's raw outputs (logits, or critic values for WGAN-GP), one per
image. ``non_saturating`` is the original GAN's logistic loss with the generator maximizing
log D(G(z)) (Goodfellow et al. 2014); ``hinge`` is the SN-GAN / BigGAN hinge loss;
``wgan_gp`` is the Wasserstein critic with a gradient penalty (Gulrajani et al. 2017).
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F


def d_loss(real: torch.Tensor, fake: torch.Tensor, kind: str) -> torch.Tensor:
    if kind == "non_saturating":
        return F.softplus(-real).mean() + F.softplus(fake).mean()
    if kind == "hinge":
        return F.relu(1 - real).mean() + F.relu(1 + fake).mean()
    return fake.mean() - real.mean()  # wgan_gp (the penalty is added by the caller)


def g_loss(fake: torch.Tensor, kind: str) -> torch.Tensor:
    if kind == "non_saturating":
        return F.softplus(-fake).mean()
    return -fake.mean()  # hinge and wgan_gp


def gradient_penalty(critic: Callable[[torch.Tensor], torch.Tensor], real: torch.Tensor,
                     fake: torch.Tensor) -> torch.Tensor:
    """Mean of (||grad critic(x_hat)|| - 1)^2 at random points between real and fake."""
    eps = torch.rand((real.shape[0],) + (1,) * (real.dim() - 1), device=real.device,
                     dtype=real.dtype)
    x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    return (grad.flatten(1).norm(2, dim=1) - 1).pow(2).mean()


def shown_score(scores: torch.Tensor, kind: str) -> torch.Tensor:
    """D(x) as shown: a probability for the logistic loss, the raw score otherwise."""
    return torch.sigmoid(scores).mean() if kind == "non_saturating" else scores.mean()
