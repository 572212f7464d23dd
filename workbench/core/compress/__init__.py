"""Making a trained model smaller and faster: pruning (``torch.nn.utils.prune``, structured
channel removal), int8 quantization (PyTorch dynamic, onnxruntime static/dynamic on the
exported ONNX), fp16/bf16 weights and knowledge distillation, each measured in one table
against the original (``compress_run``)."""

from workbench.core.compress.pipeline import (
    METHODS,
    CompressError,
    CompressOptions,
    compress_run,
)
from workbench.core.compress.table import CompressReport, Row, format_table

__all__ = ["METHODS", "CompressError", "CompressOptions", "CompressReport", "Row",
           "compress_run", "format_table"]
