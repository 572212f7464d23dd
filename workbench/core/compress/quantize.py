"""Quantization with the libraries' own tools.

- ``dynamic_int8``: ``torch.ao.quantization.quantize_dynamic`` of Linear, LSTM and GRU (int8
  weights, activations quantized on the fly): a PyTorch model for the CPU.
- ``onnx_int8``: the float model exported to ONNX (``core.export.onnx_export``), then
  ``onnxruntime.quantization``: static int8 (QDQ, per-channel weights, activations calibrated
  on training samples) for models with convolutions, dynamic int8 for the others.
  ``verify_onnx`` compares it with the float ONNX in onnxruntime (top-1 agreement, largest
  difference of the outputs).
- ``half_weights``: fp16 or bf16 weights for GPUs (their size, and their accuracy computed
  from the rounded weights).
"""

from __future__ import annotations

import copy
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from torch import nn

from workbench.core.files import atomic_write_bytes

if TYPE_CHECKING:
    from workbench.core.data import DataSet
    from workbench.core.graph import ModelSpec

DYNAMIC_TYPES = (nn.Linear, nn.LSTM, nn.GRU)
CALIBRATION_SAMPLES = 256


def has_convolutions(model: nn.Module) -> bool:
    return any(isinstance(m, nn.Conv1d | nn.Conv2d) for m in model.modules())


def dynamic_int8(model: nn.Module) -> nn.Module:
    """A copy of ``model`` with int8 Linear/LSTM/GRU (PyTorch's dynamic quantization)."""
    import warnings

    from torch.ao.quantization import quantize_dynamic

    found = {type(m) for m in model.modules() if isinstance(m, DYNAMIC_TYPES)}
    if not found:
        raise ValueError("dynamic int8 quantization applies to Linear, LSTM and GRU layers, "
                         "and the model has none")
    with warnings.catch_warnings():  # torch.ao's deprecation notes: it is still the tool
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", UserWarning)
        return quantize_dynamic(copy.deepcopy(model).cpu().eval(), set(found),
                                dtype=torch.qint8)


def serialized_bytes(model: nn.Module) -> int:
    """Bytes of ``torch.save(model.state_dict())``: the size of a quantized PyTorch model's
    weights (packed int8 weights are not plain tensors, so safetensors cannot hold them)."""
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    return buf.tell()


def calibration_batches(data: DataSet, samples: int = CALIBRATION_SAMPLES,
                        batch: int = 32) -> list[np.ndarray]:
    """Normalized training inputs (shuffled with the run's seed) for static calibration."""
    from workbench.core.data import make_loader

    norm = data.normalize if data.kind != "tokens" else None
    loader = make_loader(data.train, batch_size=batch, device=torch.device("cpu"),
                         shuffle=True, seed=0, normalize=norm)
    out, n = [], 0
    for xb, _ in loader:
        out.append(xb.numpy())
        n += xb.shape[0]
        if n >= samples:
            break
    return out


class _Reader:
    """onnxruntime's CalibrationDataReader protocol over a list of batches."""

    def __init__(self, name: str, batches: list[np.ndarray]) -> None:
        self.name, self.batches, self.i = name, batches, 0

    def get_next(self) -> dict[str, np.ndarray] | None:
        if self.i >= len(self.batches):
            return None
        self.i += 1
        return {self.name: self.batches[self.i - 1]}

    def rewind(self) -> None:
        self.i = 0


@dataclass
class OnnxInt8:
    float_path: Path
    int8_path: Path
    mode: str  # "static" or "dynamic"
    notes: list[str]


def export_float_onnx(path: Path, model: nn.Module, spec: ModelSpec,
                      meta: dict[str, Any] | None = None) -> Path:
    from workbench.core.export.onnx_export import export_onnx

    export_onnx(path, model, spec, meta=meta, verify=False)
    return path


def onnx_int8(float_path: Path, int8_path: Path, data: DataSet, *, static: bool) -> OnnxInt8:
    """Quantize the float ONNX at ``float_path`` into ``int8_path`` (written atomically)."""
    import onnxruntime.quantization as oq

    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="wb-int8-") as tmp:
        src = Path(tmp) / "pre.onnx"
        try:  # shape inference and graph optimizations first, as onnxruntime advises
            oq.quant_pre_process(str(float_path), str(src), skip_symbolic_shape=True)
        except Exception as e:  # noqa: BLE001 - quantizing without it still works
            notes.append(f"pre-processing skipped ({type(e).__name__})")
            src = Path(float_path)
        out = Path(tmp) / "int8.onnx"
        if static:
            name = _input_name(src)
            oq.quantize_static(
                str(src), str(out), _Reader(name, calibration_batches(data)),
                quant_format=oq.QuantFormat.QDQ, per_channel=True,
                activation_type=oq.QuantType.QUInt8, weight_type=oq.QuantType.QInt8,
                calibrate_method=oq.CalibrationMethod.MinMax)
        else:
            oq.quantize_dynamic(str(src), str(out), weight_type=oq.QuantType.QInt8)
        atomic_write_bytes(int8_path, _stripped(out))
    return OnnxInt8(Path(float_path), Path(int8_path), "static" if static else "dynamic", notes)


def _stripped(path: Path) -> bytes:
    """The quantized file without what only debugging reads (intermediate shape
    annotations, doc strings): a deployable file, as ``strip`` leaves a binary."""
    import onnx

    if path.stat().st_size > 1 << 30:  # near protobuf's 2 GB limit: keep the file as it is
        return path.read_bytes()
    model = onnx.load(str(path))
    del model.graph.value_info[:]
    for node in model.graph.node:
        node.doc_string = ""
    return model.SerializeToString()


def _input_name(path: Path) -> str:
    import onnx

    model = onnx.load(str(path), load_external_data=False)
    return model.graph.input[0].name


@dataclass(frozen=True)
class Agreement:
    samples: int
    top1_agreement: float  # share of samples where both give the same class
    max_abs_diff: float  # largest difference between the two models' outputs
    output_scale: float  # largest float output (magnitude), to read the difference against


def verify_onnx(float_path: Path, int8_path: Path, inputs: np.ndarray) -> Agreement:
    """Run both ONNX files in onnxruntime on ``inputs`` and compare their outputs."""
    from workbench.core.compress.measure import OnnxModule

    a = OnnxModule(float_path).run(inputs)
    b = OnnxModule(int8_path).run(inputs)
    agree = float((a.argmax(-1) == b.argmax(-1)).mean()) if a.shape[-1] > 1 else float(
        ((a > 0) == (b > 0)).mean())
    return Agreement(int(inputs.shape[0]), agree, float(np.abs(a - b).max()),
                     float(np.abs(a).max()))


def half_weights(model: nn.Module, dtype: str) -> tuple[dict[str, torch.Tensor], nn.Module]:
    """(the weights in ``dtype`` "fp16" or "bf16", a float32 copy of the model with those
    rounded weights): the size a GPU would load, and the accuracy the rounding leaves."""
    target = {"fp16": torch.float16, "bf16": torch.bfloat16}.get(dtype)
    if target is None:
        raise ValueError(f"half precision is fp16 or bf16, not {dtype!r}")
    half = {k: (v.to(target) if v.is_floating_point() else v).contiguous()
            for k, v in model.state_dict().items()}
    rounded = copy.deepcopy(model).cpu().eval()
    rounded.load_state_dict({k: v.to(torch.float32) if v.is_floating_point() else v
                             for k, v in half.items()})
    return half, rounded


def save_safetensors(path: Path, tensors: dict[str, torch.Tensor]) -> int:
    from safetensors.torch import save

    atomic_write_bytes(path, save({k: v.detach().cpu().contiguous() for k, v in tensors.items()}))
    return os.path.getsize(path)
