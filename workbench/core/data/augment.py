"""Image augmentation on the device, for a whole batch at once with per-sample parameters."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import torch
import torch.nn.functional as F


@dataclass(frozen=True)
class AugmentConfig:
    """Random per-sample transforms for training images (never for validation or test).

    rotation_deg: rotate by up to +/- this many degrees.
    scale: zoom by a factor in [1 - scale, 1 + scale].
    crop_padding: random crop after zero-padding this many pixels per side, i.e. shift by up
        to this many whole pixels.
    hflip: mirror left-right with probability 1/2 (not for digits or text).
    """

    rotation_deg: float = 0.0
    scale: float = 0.0
    crop_padding: int = 0
    hflip: bool = False

    @property
    def active(self) -> bool:
        return bool(self.rotation_deg or self.scale or self.crop_padding or self.hflip)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AugmentConfig:
        return cls(
            **{k: data[k] for k in ("rotation_deg", "scale", "crop_padding", "hflip") if k in data}
        )


def augment_batch(
    x: torch.Tensor, config: AugmentConfig, generator: torch.Generator
) -> torch.Tensor:
    """Augment an (N, C, H, W) float batch on its own device; shape and dtype are kept.

    Parameters are drawn from ``generator`` (a CPU generator, so the same seed gives the same
    augmentation on every device) and moved over as one small tensor. Rotation, scale and the
    crop shift are one affine warp (``affine_grid`` + ``grid_sample``, zeros outside); the flip
    is folded into the same matrix. Whole-pixel shifts alone stay exact.
    """
    if not config.active or x.dim() != 4 or x.shape[0] == 0:
        return x
    n, _, h, w = x.shape
    if not (config.rotation_deg or config.scale or config.crop_padding):
        flip = torch.rand(n, generator=generator) < 0.5
        return torch.where(flip.to(x.device).view(n, 1, 1, 1), x.flip(-1), x)

    angle = (torch.rand(n, generator=generator) * 2 - 1) * math.radians(config.rotation_deg)
    zoom = 1 + (torch.rand(n, generator=generator) * 2 - 1) * config.scale
    p = int(config.crop_padding)
    shift = torch.randint(-p, p + 1, (n, 2), generator=generator).to(torch.float32)
    flip = torch.ones(n)
    if config.hflip:
        flip = torch.where(torch.rand(n, generator=generator) < 0.5, -1.0, 1.0)

    # theta maps output to input coordinates in [-1, 1] units. Rotation is done in pixel space
    # (conjugated by the aspect ratio) so non-square images rotate without shearing.
    cos, sin = torch.cos(angle) / zoom, torch.sin(angle) / zoom
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0] = cos * flip
    theta[:, 0, 1] = -sin * (h / w)
    theta[:, 1, 0] = sin * (w / h) * flip
    theta[:, 1, 1] = cos
    theta[:, 0, 2] = shift[:, 0] * 2 / w  # one pixel is 2/W wide (align_corners=False)
    theta[:, 1, 2] = shift[:, 1] * 2 / h
    theta = theta.to(device=x.device, dtype=x.dtype, non_blocking=True)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
