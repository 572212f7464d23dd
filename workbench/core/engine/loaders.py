"""The training and validation loaders for a run, from the data package's ``make_loader``:
resident on the device for small sets, streamed for large ones; normalized per batch on the
device; augmented (training split only) when the config asks for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from workbench.core.engine.config import TrainingConfig

if TYPE_CHECKING:
    from workbench.core.data import DataSet, DeviceLoader, StreamLoader

    Loader = DeviceLoader | StreamLoader


def training_loaders(data: DataSet, config: TrainingConfig, device: torch.device
                     ) -> tuple[Loader, Loader | None]:
    from workbench.core.data import AugmentConfig, make_loader

    c = config
    augment = None
    if c.augment and data.kind == "image":
        augment = AugmentConfig(rotation_deg=c.rotation, scale=c.scale,
                                crop_padding=c.crop_padding, hflip=c.hflip)
    normalize = data.normalize if data.kind != "tokens" else None
    n = len(data.train)
    # A last batch of one sample breaks BatchNorm in training mode; drop that one sample.
    drop_last = n > c.batch_size and n % c.batch_size == 1
    train = make_loader(data.train, batch_size=c.batch_size, device=device, shuffle=True,
                        seed=c.seed, augment=augment, normalize=normalize, drop_last=drop_last,
                        num_workers=c.num_workers)
    val = None
    if len(data.val):  # no gradients kept: twice the batch fits in the same memory
        val = make_loader(data.val, batch_size=2 * c.batch_size, device=device, shuffle=False,
                          normalize=normalize, num_workers=c.num_workers)
    return train, val
