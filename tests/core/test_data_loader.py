"""DeviceLoader, StreamLoader, make_loader and on-device augmentation."""

from __future__ import annotations

import pytest
import torch
from torch.utils.data import TensorDataset

from workbench.core.data import (
    AugmentConfig,
    DeviceLoader,
    Split,
    StreamLoader,
    augment_batch,
    load_source,
    make_loader,
)


def _data(n: int = 103) -> tuple[torch.Tensor, torch.Tensor]:
    x = torch.arange(n, dtype=torch.float32).view(n, 1).repeat(1, 3)
    return x, torch.arange(n)


def _seen(loader, start: int = 0) -> list[int]:
    return [int(v) for _, yb in loader.iter_from(start) for v in yb]


@pytest.mark.parametrize("drop_last", [False, True])
def test_device_loader_covers_every_sample_once(drop_last: bool) -> None:
    x, y = _data()
    loader = DeviceLoader(x, y, batch_size=10, device="cpu", shuffle=True, drop_last=drop_last)
    assert len(loader) == (10 if drop_last else 11)
    for epoch in range(3):
        loader.set_epoch(epoch)
        batches = list(loader)
        assert len(batches) == len(loader)
        seen = [int(v) for _, yb in batches for v in yb]
        if drop_last:
            assert len(seen) == 100 and len(set(seen)) == 100
        else:
            assert sorted(seen) == list(range(103))
        for xb, yb in batches:  # x and y stay paired
            assert torch.equal(xb[:, 0].long(), yb)


def test_device_loader_order_is_seeded() -> None:
    x, y = _data()
    a = DeviceLoader(x, y, batch_size=16, device="cpu", shuffle=True, generator_seed=5)
    b = DeviceLoader(x, y, batch_size=16, device="cpu", shuffle=True, generator_seed=5)
    c = DeviceLoader(x, y, batch_size=16, device="cpu", shuffle=True, generator_seed=6)
    assert _seen(a) == _seen(b) != _seen(c)
    first = _seen(a)
    a.set_epoch(1)
    assert _seen(a) != first  # a new order every epoch
    a.set_epoch(0)
    assert _seen(a) == first
    plain = DeviceLoader(x, y, batch_size=16, device="cpu", shuffle=False)
    assert _seen(plain) == list(range(103))


def test_iter_from_resumes_the_same_permutation() -> None:
    x, y = _data()
    loader = DeviceLoader(x, y, batch_size=10, device="cpu", shuffle=True, generator_seed=1)
    loader.set_epoch(4)
    full = _seen(loader)
    fresh = DeviceLoader(x, y, batch_size=10, device="cpu", shuffle=True, generator_seed=1)
    fresh.set_epoch(4)  # e.g. a new process resuming from a checkpoint
    assert _seen(fresh, 3) == full[30:]
    assert _seen(fresh, len(fresh)) == []


def test_stream_loader_matches_device_loader() -> None:
    x, y = _data()
    device = DeviceLoader(x, y, batch_size=8, device="cpu", shuffle=True, generator_seed=2)
    stream = StreamLoader(
        TensorDataset(x, y),
        batch_size=8,
        device="cpu",
        shuffle=True,
        generator_seed=2,
        num_workers=0,
    )
    for epoch in (0, 1):
        device.set_epoch(epoch)
        stream.set_epoch(epoch)
        assert len(stream) == len(device) == 13
        assert _seen(stream) == _seen(device)
        assert _seen(stream, 5) == _seen(device, 5)


def test_make_loader_picks_resident_or_stream() -> None:
    x, y = _data()
    resident = make_loader(Split(x=x, y=y), batch_size=4, device="cpu", shuffle=False)
    assert isinstance(resident, DeviceLoader)
    too_big = make_loader(
        Split(x=x, y=y),
        batch_size=4,
        device="cpu",
        shuffle=False,
        max_resident_bytes=100,
        num_workers=0,
    )
    assert isinstance(too_big, StreamLoader) and _seen(too_big) == list(range(103))
    streamed = make_loader(
        Split(x=None, y=None, dataset=TensorDataset(x, y)),
        batch_size=4,
        device="cpu",
        shuffle=True,
        num_workers=0,
    )
    assert isinstance(streamed, StreamLoader) and sorted(_seen(streamed)) == list(range(103))
    with pytest.raises(ValueError):
        make_loader(Split(x=None, y=None), batch_size=4, device="cpu", shuffle=False)


def test_make_loader_normalizes_batches() -> None:
    ds = load_source("seq:trend", n=200)
    loader = make_loader(
        ds.train, batch_size=1000, device="cpu", shuffle=False, normalize=ds.normalize
    )
    ((xb, yb),) = list(loader)
    assert torch.allclose(xb.mean((0, 1)), torch.zeros(2), atol=1e-5)
    assert torch.equal(yb, ds.train.y) and torch.equal(ds.train.x, ds.train.x)


def test_augmentation_changes_pixels_not_labels() -> None:
    ds = load_source("digits28", val_fraction=0.05, test_fraction=0.05)
    config = AugmentConfig(rotation_deg=15, scale=0.1, crop_padding=2, hflip=True)
    loader = make_loader(
        ds.train, batch_size=64, device="cpu", shuffle=True, seed=3, augment=config
    )
    plain = make_loader(ds.train, batch_size=64, device="cpu", shuffle=True, seed=3)
    (xa, ya), (xp, yp) = next(iter(loader)), next(iter(plain))
    assert xa.shape == xp.shape and xa.dtype == xp.dtype == torch.float32
    assert torch.equal(ya, yp) and not torch.allclose(xa, xp)
    assert float(xa.min()) >= 0.0 and float(xa.max()) <= 1.0 + 1e-5
    again = make_loader(ds.train, batch_size=64, device="cpu", shuffle=True, seed=3, augment=config)
    assert torch.equal(next(iter(again))[0], xa)  # reproducible
    assert torch.equal(next(again.iter_from(1))[0], list(loader)[1][0])  # also when resuming
    assert not config.__class__().active and config.active
    assert AugmentConfig.from_dict(config.to_dict()) == config


def test_augment_pieces() -> None:
    g = torch.Generator().manual_seed(0)
    x = torch.rand(16, 3, 12, 20)
    flipped = augment_batch(x, AugmentConfig(hflip=True), g)
    for a, b in zip(flipped, x, strict=True):
        assert torch.equal(a, b) or torch.equal(a, b.flip(-1))
    shifted = augment_batch(x, AugmentConfig(crop_padding=3), g)
    assert shifted.shape == x.shape
    # A random crop of the zero-padded image: some whole-pixel shift of the input.
    padded = torch.nn.functional.pad(x, (3, 3, 3, 3))
    for out, src in zip(shifted, padded, strict=True):
        crops = [src[:, i : i + 12, j : j + 20] for i in range(7) for j in range(7)]
        assert any(torch.allclose(out, c, atol=1e-5) for c in crops)
    assert augment_batch(x, AugmentConfig(), g) is x
    tokens = torch.zeros(4, 8, dtype=torch.int64)
    loader = make_loader(
        Split(x=tokens, y=torch.zeros(4, dtype=torch.int64)),
        batch_size=4,
        device="cpu",
        shuffle=False,
        augment=AugmentConfig(rotation_deg=10),
    )
    assert torch.equal(next(iter(loader))[0], tokens)  # not images: left alone
