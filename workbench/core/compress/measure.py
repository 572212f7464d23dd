"""The figures of the compression table: parameters, file size, the task metric on the
test split and CPU latency per sample, for a PyTorch module or an ONNX file (run with
onnxruntime). Timings use torch.utils.benchmark's Timer (warm-up, adaptive repeats)."""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from torch import nn

if TYPE_CHECKING:
    from workbench.core.data import DataSet

LATENCY_SECONDS = 0.3  # measuring time per model; enough for a stable median on a busy CPU


def count_params(model: nn.Module, *, nonzero: bool = False) -> int:
    """Parameters of a float ``model``; with ``nonzero`` only the entries that are not zero
    (what unstructured pruning leaves). (Quantization keeps the count: int8 models are
    reported with their float parent's.)"""
    return sum(int(torch.count_nonzero(p)) if nonzero else p.numel()
               for p in model.parameters())


def file_bytes(*paths: Path) -> int:
    return sum(Path(p).stat().st_size for p in paths if Path(p).is_file())


class OnnxModule(nn.Module):
    """An ONNX file behind an nn.Module's call, so ``evaluate`` scores it like any model."""

    def __init__(self, path: str | Path, threads: int = 1) -> None:
        super().__init__()
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.input_name = self.session.get_inputs()[0].name

    def run(self, x: np.ndarray) -> np.ndarray:
        return self.session.run(None, {self.input_name: x})[0]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.from_numpy(self.run(x.detach().cpu().numpy()))


def test_metric(result: dict[str, Any]) -> float | None:
    """The task's headline figure from an evaluation: accuracy, else (regression) the loss."""
    for key in ("accuracy", "loss"):
        v = result.get(key)
        if isinstance(v, int | float) and math.isfinite(v):
            return float(v)
    return None


def evaluate_test(model: nn.Module, data: DataSet, batch_size: int = 256) -> dict[str, Any]:
    """``evaluate`` on the test split, on the CPU, as a dict (EvaluationResult.to_dict)."""
    from workbench.core.evaluate import evaluate

    return evaluate(model, data, "test", device="cpu", batch_size=batch_size).to_dict()


def sample_batch(data: DataSet, n: int = 1) -> torch.Tensor:
    """``n`` test (else training) inputs, normalized as the model sees them."""
    from workbench.core.data import make_loader

    part = data.test if len(data.test) else data.train
    norm = data.normalize if data.kind != "tokens" else None
    loader = make_loader(part, batch_size=n, device=torch.device("cpu"), shuffle=False,
                         normalize=norm)
    xb, _ = next(iter(loader))
    return xb[:n]


def _median_ms(fn: Any, seconds: float) -> float:
    for _ in range(3):  # warm-up: first calls allocate and pick kernels
        fn()
    times: list[float] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < 10:
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times)) * 1000.0


def torch_latency_ms(model: nn.Module, x: torch.Tensor, seconds: float = LATENCY_SECONDS
                     ) -> float:
    """Median milliseconds of one forward pass on the CPU for the batch ``x`` (one sample
    for latency per sample), in eval mode under inference_mode."""
    model = model.to("cpu").eval()

    def call() -> None:
        with torch.inference_mode():
            model(x)

    return _median_ms(call, seconds)


def onnx_latency_ms(path: str | Path, x: torch.Tensor, seconds: float = LATENCY_SECONDS
                    ) -> float:
    module = OnnxModule(path)
    arr = x.cpu().numpy()
    return _median_ms(lambda: module.run(arr), seconds)
