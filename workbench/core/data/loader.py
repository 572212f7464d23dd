"""Batches on the training device: whole splits resident on the device, or streamed.

Both loaders share one interface: ``set_epoch(e)``, ``len(loader)`` (batches per epoch),
``iter(loader)`` and ``iter_from(batch_index)`` to resume an epoch exactly where it stopped.
The order of epoch ``e`` depends only on (seed, e), so a resumed run sees the same batches.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import numpy as np
import torch
from torch.utils.data import DataLoader, Sampler, TensorDataset

from workbench.core.data.augment import AugmentConfig, augment_batch
from workbench.core.data.dataset import Split

Batch = tuple[torch.Tensor, torch.Tensor]
# Called on each batch (already on the device) with a generator seeded for that batch.
BatchTransform = Callable[[torch.Tensor, torch.Generator], torch.Tensor]


def _seeded(*keys: int) -> torch.Generator:
    """A CPU generator for (seed, epoch[, batch]): SeedSequence mixes the keys, so seed 1
    epoch 0 and seed 0 epoch 1 do not share an order as they would with seed + epoch."""
    state = np.random.SeedSequence([int(k) & 0xFFFFFFFF for k in keys]).generate_state(2)
    g = torch.Generator()
    g.manual_seed(int(state[0]) << 32 | int(state[1]))
    return g


def _permutation(n: int, seed: int, epoch: int) -> torch.Tensor:
    return torch.randperm(n, generator=_seeded(seed, epoch))


def _num_batches(n: int, batch_size: int, drop_last: bool) -> int:
    return n // batch_size if drop_last else -(-n // batch_size)


Shard = tuple[int, int]  # (rank, world size): this process's part of every epoch's order


def shard_order(order: torch.Tensor, shard: Shard, pad: bool) -> torch.Tensor:
    """``DistributedSampler``'s split: ``order[rank::world]``, after repeating its start so
    that every rank gets as many samples (``pad``; training, where every rank must take the
    same number of steps). With per-rank batches of B / world, global step k then covers
    ``order[k*B:(k+1)*B]`` exactly as one process with batch B does."""
    rank, world = shard
    if world <= 1:
        return order
    if pad and len(order) % world:
        extra = world - len(order) % world
        order = torch.cat([order, order[:extra].repeat(-(-extra // max(1, len(order))))[:extra]])
    return order[rank::world]


class DeviceLoader:
    """The whole split lives on ``device`` (moved once); batches are index slices of it."""

    def __init__(
        self,
        x: torch.Tensor,
        y: torch.Tensor,
        *,
        batch_size: int,
        device: torch.device | str,
        shuffle: bool,
        generator_seed: int = 0,
        drop_last: bool = False,
        transform: BatchTransform | None = None,
        shard: Shard = (0, 1),
        pad: bool = True,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if len(x) != len(y):
            raise ValueError(f"x has {len(x)} samples but y has {len(y)}")
        self.device = torch.device(device)
        self.x = x.to(self.device)
        self.y = y.to(self.device)
        self.batch_size, self.shuffle, self.drop_last = batch_size, shuffle, drop_last
        self.seed, self.transform, self.epoch = generator_seed, transform, 0
        self.shard, self.pad = shard, pad
        self._perm: tuple[int, torch.Tensor] | None = None  # (epoch, order on device)
        self._fixed: torch.Tensor | None = None  # a shard's unshuffled order

    @property
    def num_samples(self) -> int:
        """Samples this process sees per epoch (its shard's, with several processes)."""
        if self.shard[1] <= 1:
            return len(self.x)
        return len(shard_order(torch.arange(len(self.x)), self.shard, self.pad))

    def set_epoch(self, epoch: int) -> None:
        """Choose the epoch whose order the next iteration uses (not advanced automatically)."""
        self.epoch = epoch

    def __len__(self) -> int:
        return _num_batches(self.num_samples, self.batch_size, self.drop_last)

    def order(self) -> torch.Tensor | None:
        """This epoch's sample order on the device, or None when not shuffling (and not
        sharded)."""
        if not self.shuffle:
            if self.shard[1] <= 1:
                return None
            if self._fixed is None:
                self._fixed = shard_order(torch.arange(len(self.x)), self.shard,
                                          self.pad).to(self.device)
            return self._fixed
        if self._perm is None or self._perm[0] != self.epoch:
            perm = shard_order(_permutation(len(self.x), self.seed, self.epoch), self.shard,
                               self.pad)
            self._perm = (self.epoch, perm.to(self.device))
        return self._perm[1]

    def __iter__(self) -> Iterator[Batch]:
        return self.iter_from(0)

    def iter_from(self, batch_index: int) -> Iterator[Batch]:
        """Batches ``batch_index``, ``batch_index + 1``, ... of the current epoch's order."""
        order = self.order()
        n, bs = self.num_samples, self.batch_size
        for b in range(max(0, batch_index), len(self)):
            lo, hi = b * bs, min(n, (b + 1) * bs)
            if order is None:
                xb, yb = self.x[lo:hi], self.y[lo:hi]
            else:
                idx = order[lo:hi]
                xb, yb = self.x.index_select(0, idx), self.y.index_select(0, idx)
            if self.transform is not None:
                xb = self.transform(xb, _seeded(self.seed, self.epoch, b))
            yield xb, yb


class _EpochSampler(Sampler[int]):
    """Sample indices of one epoch's seeded order, from ``start`` on (for resuming)."""

    def __init__(self, n: int, shuffle: bool, seed: int, shard: Shard = (0, 1),
                 pad: bool = True) -> None:
        self.total, self.shuffle, self.seed = n, shuffle, seed
        self.shard, self.pad = shard, pad
        self.n = len(shard_order(torch.arange(n), shard, pad)) if shard[1] > 1 else n
        self.epoch = 0
        self.start = 0

    def __iter__(self) -> Iterator[int]:
        # DataLoader asks for this iterator lazily (at the first batch), so the offset is read
        # and cleared here rather than around iter(loader).
        start, self.start = self.start, 0
        order = (_permutation(self.total, self.seed, self.epoch) if self.shuffle
                 else torch.arange(self.total))
        return iter(shard_order(order, self.shard, self.pad)[start:].tolist())

    def __len__(self) -> int:
        return self.n


def default_num_workers() -> int:
    """Leave one core to the training loop (and the GUI); more than 4 rarely helps here."""
    return min(4, max(0, (os.cpu_count() or 1) - 1))


class StreamLoader:
    """A DataLoader over ``dataset`` (workers, pinned memory on CUDA) behind the same
    interface as DeviceLoader; batches are moved to ``device`` and then transformed there."""

    def __init__(
        self,
        dataset: torch.utils.data.Dataset,
        *,
        batch_size: int,
        device: torch.device | str,
        shuffle: bool,
        generator_seed: int = 0,
        drop_last: bool = False,
        transform: BatchTransform | None = None,
        num_workers: int | None = None,
        shard: Shard = (0, 1),
        pad: bool = True,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.device = torch.device(device)
        self.batch_size, self.drop_last = batch_size, drop_last
        self.seed, self.transform, self.epoch = generator_seed, transform, 0
        workers = default_num_workers() if num_workers is None else num_workers
        self._sampler = _EpochSampler(len(dataset), shuffle, generator_seed, shard, pad)  # type: ignore[arg-type]
        self._pin = self.device.type == "cuda"
        self._loader = DataLoader(
            dataset,
            batch_size=batch_size,
            sampler=self._sampler,
            drop_last=drop_last,
            num_workers=workers,
            pin_memory=self._pin,
            persistent_workers=workers > 0,
        )

    @property
    def num_samples(self) -> int:
        return self._sampler.n

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch
        self._sampler.epoch = epoch

    def __len__(self) -> int:
        return _num_batches(self.num_samples, self.batch_size, self.drop_last)

    def __iter__(self) -> Iterator[Batch]:
        return self.iter_from(0)

    def iter_from(self, batch_index: int) -> Iterator[Batch]:
        """Resume at ``batch_index``: the sampler skips the samples already seen, so nothing
        before that point is read from disk again."""
        batch_index = max(0, batch_index)
        if batch_index >= len(self):
            return iter(())
        self._sampler.start = batch_index * self.batch_size
        return self._batches(batch_index)

    def _batches(self, first: int) -> Iterator[Batch]:
        for b, (xb, yb) in enumerate(self._loader, start=first):
            xb = xb.to(self.device, non_blocking=self._pin)
            yb = yb.to(self.device, non_blocking=self._pin)
            if self.transform is not None:
                xb = self.transform(xb, _seeded(self.seed, self.epoch, b))
            yield xb, yb


def batch_transform(
    augment: AugmentConfig | None, normalize: Callable[[torch.Tensor], torch.Tensor] | None
) -> BatchTransform | None:
    """Augment (image batches only, in [0, 1] space so padding is black) then normalize."""
    use_augment = augment is not None and augment.active
    if not use_augment and normalize is None:
        return None

    def transform(xb: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        if use_augment and xb.dim() == 4 and xb.is_floating_point():
            xb = augment_batch(xb, augment, generator)  # type: ignore[arg-type]
        return normalize(xb) if normalize is not None else xb

    return transform


def make_loader(
    split: Split,
    *,
    batch_size: int,
    device: torch.device | str,
    shuffle: bool,
    seed: int = 0,
    augment: AugmentConfig | None = None,
    normalize: Callable[[torch.Tensor], torch.Tensor] | None = None,
    max_resident_bytes: int = 2 << 30,
    drop_last: bool = False,
    num_workers: int | None = None,
    shard: Shard = (0, 1),
    pad: bool = True,
) -> DeviceLoader | StreamLoader:
    """A DeviceLoader when the split is held as tensors that fit in ``max_resident_bytes``,
    else a StreamLoader. Pass ``augment`` for the training split only; it is ignored for
    batches that are not images. ``normalize`` is usually ``DataSet.normalize``. ``shard``
    (rank, world) gives this process its part of each epoch (see ``shard_order``); ``pad``
    evens the parts out by repeating a few samples (training), else they may differ by one. A shuffled
    text split with its token stream gets a WindowLoader (windows at random offsets) when
    one process trains."""
    if shuffle and split.stream is not None and split.x is not None and split.x.dim() == 2 \
            and shard[1] == 1:
        from workbench.core.data.windows import WindowLoader  # text: fresh windows each epoch

        return WindowLoader(split.stream, int(split.x.shape[1]), len(split.x),  # type: ignore[return-value]
                            batch_size=batch_size, device=device, generator_seed=seed,
                            drop_last=drop_last)
    transform = batch_transform(augment, normalize)
    common = dict(
        batch_size=batch_size,
        device=device,
        shuffle=shuffle,
        generator_seed=seed,
        drop_last=drop_last,
        transform=transform,
        shard=shard,
        pad=pad,
    )
    if split.x is not None and split.y is not None:
        size = split.x.numel() * split.x.element_size() + split.y.numel() * split.y.element_size()
        if size <= max_resident_bytes:
            return DeviceLoader(split.x, split.y, **common)  # type: ignore[arg-type]
        return StreamLoader(TensorDataset(split.x, split.y), num_workers=num_workers, **common)  # type: ignore[arg-type]
    if split.dataset is not None:
        return StreamLoader(split.dataset, num_workers=num_workers, **common)  # type: ignore[arg-type]
    raise ValueError("The split holds neither tensors nor a dataset.")
