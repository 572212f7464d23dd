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


def training_loaders(data: DataSet, config: TrainingConfig, device: torch.device,
                     shard: tuple[int, int] = (0, 1), pad_val: bool = False
                     ) -> tuple[Loader, Loader | None]:
    """``shard`` (rank, world): with several processes each gets its part of every epoch
    and batches of ``batch_size / world``, so a global step covers the same samples as one
    process's step at ``batch_size`` (see ``workbench.core.data.loader.shard_order``).
    ``pad_val``: every rank validates as many batches (FSDP's forward is a collective); a
    few samples then count twice in the validation figures."""
    from workbench.core.data import AugmentConfig, make_loader

    c = config
    world = max(1, shard[1])
    batch = max(1, c.batch_size // world)
    augment = None
    if c.augment and data.kind == "image":
        augment = AugmentConfig(rotation_deg=c.rotation, scale=c.scale,
                                crop_padding=c.crop_padding, hflip=c.hflip)
    normalize = data.normalize if data.kind != "tokens" else None
    n = -(-len(data.train) // world)  # this process's share (padded)
    # A last batch of one sample breaks BatchNorm in training mode; drop that one sample.
    drop_last = n > batch and n % batch == 1
    train = make_loader(data.train, batch_size=batch, device=device, shuffle=True,
                        seed=c.seed, augment=augment, normalize=normalize, drop_last=drop_last,
                        num_workers=c.num_workers, shard=shard, pad=True)
    val = None
    if len(data.val):  # no gradients kept: twice the batch fits in the same memory
        # not padded: the ranks' validation sums are added up, each sample counted once
        val = make_loader(data.val, batch_size=2 * batch, device=device, shuffle=False,
                          normalize=normalize, num_workers=c.num_workers, shard=shard,
                          pad=pad_val)
    return train, val
