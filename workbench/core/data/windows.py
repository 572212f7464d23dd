"""Training windows at random offsets: a text split is one long token stream, and each epoch
draws its windows at fresh positions (seeded by seed and epoch, so a resumed run sees the
same batches). Fixed windows show the model the same cut points every epoch; random ones
show every position as a window start, which is what nanoGPT's ``get_batch`` does."""

from __future__ import annotations

from collections.abc import Iterator

import torch

from workbench.core.data.loader import Batch, _num_batches, _seeded


class WindowLoader:
    """``n`` windows of ``length`` tokens per epoch from ``stream`` (T,), as (x, y) with y
    shifted by one; the same interface as DeviceLoader (set_epoch, len, iter_from)."""

    def __init__(self, stream: torch.Tensor, length: int, n: int, *, batch_size: int,
                 device: torch.device | str, generator_seed: int = 0,
                 drop_last: bool = False) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if stream.dim() != 1 or len(stream) < length + 1:
            raise ValueError(f"the stream needs at least {length + 1} tokens")
        self.device = torch.device(device)
        self.stream = stream.to(self.device)
        self.length, self.n = int(length), int(n)
        self.batch_size, self.drop_last = batch_size, drop_last
        self.seed, self.epoch = generator_seed, 0
        self._offsets = torch.arange(self.length, device=self.device)
        self._starts: tuple[int, torch.Tensor] | None = None

    @property
    def num_samples(self) -> int:
        return self.n

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __len__(self) -> int:
        return _num_batches(self.n, self.batch_size, self.drop_last)

    def starts(self) -> torch.Tensor:
        """This epoch's window starts (n,), on the device."""
        if self._starts is None or self._starts[0] != self.epoch:
            top = len(self.stream) - self.length  # the last start whose target fits
            starts = torch.randint(0, top, (self.n,), generator=_seeded(self.seed, self.epoch, 7))
            self._starts = (self.epoch, starts.to(self.device))
        return self._starts[1]

    def __iter__(self) -> Iterator[Batch]:
        return self.iter_from(0)

    def iter_from(self, batch_index: int) -> Iterator[Batch]:
        starts, bs = self.starts(), self.batch_size
        for b in range(max(0, batch_index), len(self)):
            idx = starts[b * bs: min(self.n, (b + 1) * bs), None] + self._offsets
            yield self.stream[idx], self.stream[idx + 1]
