"""Importing ResNet-18: from torchvision (torch.fx trace, mapping, check against the
original) and from an ONNX file (opset 11, onnxruntime run, mapping, check), then the canvas's
re-check of the imported model (Workspace analysis at the training batch) cold and after one
parameter edit. Median and best of N after the first (cold) round. With ``--vit``, also one
import of torchvision's ViT-B/16 (86.6M parameters, random weights: nothing downloads).

Run: uv run python benchmarks/import_models.py [--rounds 3] [--vit]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import warnings
from pathlib import Path

import torch
import torchvision

from workbench.core.importers import import_model
from workbench.core.workspace import Workspace


def seconds(fn) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def report(what: str, times: list[float], unit: str = "s") -> None:
    scale = 1000 if unit == "ms" else 1
    first, rest = times[0] * scale, [t * scale for t in times[1:]] or [times[0] * scale]
    print(f"{what:44s} first {first:8.2f} {unit}, then median {statistics.median(rest):8.2f} "
          f"best {min(rest):8.2f} {unit}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--vit", action="store_true", help="also time torchvision:vit_b_16")
    args = parser.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    if args.vit:
        dt, vit = seconds(lambda: import_model("torchvision:vit_b_16", random_init=True,
                                               progress=False))
        print(f"{'torchvision:vit_b_16 import (3x224x224)':44s} {dt:8.2f} s: "
              f"{vit.layers} layers, {vit.parameters:,} parameters, "  # type: ignore[attr-defined]
              f"max diff {vit.max_diff:.1e}")  # type: ignore[attr-defined]
    tv = [seconds(lambda: import_model("torchvision:resnet18", random_init=True,
                                       progress=False)) for _ in range(args.rounds)]
    report("torchvision:resnet18 import (3x224x224)", [t for t, _ in tv])
    result = tv[-1][1]
    folder = Path(tempfile.mkdtemp())
    onnx_path = folder / "resnet18.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.manual_seed(0)
        torch.onnx.export(torchvision.models.resnet18().eval(), torch.randn(1, 3, 224, 224),
                          str(onnx_path), opset_version=11, dynamo=False, input_names=["x"],
                          dynamic_axes={"x": {0: "b"}})
    ox = [seconds(lambda: import_model(str(onnx_path))) for _ in range(args.rounds)]
    report("resnet18.onnx import (opset 11)", [t for t, _ in ox])

    spec = result.spec  # type: ignore[attr-defined]
    print(f"imported: {len(spec.nodes)} layers, {result.parameters:,} parameters")  # type: ignore[attr-defined]
    ws = Workspace()
    load, _ = seconds(lambda: ws.load(spec.copy()))
    print(f"{'Workspace.load (first analysis, batch ' + str(ws.config.batch_size) + ')':44s} "
          f"{load * 1000:8.1f} ms")
    edits = []
    for width in (100, 200, 300, 400, 500, 600)[: args.rounds + 3]:
        dt, _ = seconds(lambda w=width: ws.set_param("fc", "classes", w))
        edits.append(dt)
    report("re-check after one edit (head classes)", edits, "ms")
    sizes = []
    for side in (192, 160, 128, 224):  # every layer's shape changes
        dt, _ = seconds(lambda s=side: ws.set_params("input", {"height": s, "width": s}))
        assert ws.analysis.ok, ws.analysis.errors[:1]
        sizes.append(dt)
    report("re-check after an input-size edit", sizes, "ms")


if __name__ == "__main__":
    main()
