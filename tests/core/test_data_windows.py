"""Text training windows at random offsets, the same for a (seed, epoch), resumable."""

from __future__ import annotations

import torch

from workbench.core.data import load_source, make_loader
from workbench.core.data.windows import WindowLoader


def _text(tmp_path) -> str:
    path = tmp_path / "t.txt"
    path.write_text("".join(chr(97 + (i * 7) % 26) for i in range(3000)))
    return f"text:{path}"


def test_a_text_split_keeps_its_stream_and_fixed_windows_come_from_it(tmp_path):
    data = load_source(_text(tmp_path), seq_len=32)
    s = data.train.stream
    assert s is not None and s.dim() == 1
    assert torch.equal(data.train.x[0], s[:32]) and torch.equal(data.train.x[-1][-1:],
                                                                data.train.y[-1][-2:-1])
    assert torch.equal(data.val.x[0], data.val.stream[:32])


def test_training_draws_new_windows_each_epoch_the_same_for_a_seed(tmp_path):
    data = load_source(_text(tmp_path), seq_len=32)
    loader = make_loader(data.train, batch_size=16, device="cpu", shuffle=True, seed=3)
    assert isinstance(loader, WindowLoader) and len(loader) == -(-len(data.train) // 16)
    first = [x for x, _ in loader]
    loader.set_epoch(1)
    second = [x for x, _ in loader]
    assert not torch.equal(first[0], second[0])
    again = make_loader(data.train, batch_size=16, device="cpu", shuffle=True, seed=3)
    assert all(torch.equal(a, b) for (a, _), b in zip(again, first, strict=True))
    again.set_epoch(1)
    resumed = list(again.iter_from(2))
    assert torch.equal(resumed[0][0], second[2])  # a resumed epoch continues the same order
    starts = loader.starts()
    assert len(set(starts.tolist())) > len(starts) // 2  # not a handful of fixed cut points
    stream = data.train.stream
    for x, y in again.iter_from(0):
        assert torch.equal(x[:, 1:], y[:, :-1])
    x = first[0][0]
    i = int(make_loader(data.train, batch_size=16, device="cpu", shuffle=True,
                        seed=3).starts()[0])
    assert torch.equal(x, stream[i:i + 32])


def test_validation_keeps_its_fixed_windows(tmp_path):
    data = load_source(_text(tmp_path), seq_len=32)
    loader = make_loader(data.val, batch_size=8, device="cpu", shuffle=False)
    assert not isinstance(loader, WindowLoader)
