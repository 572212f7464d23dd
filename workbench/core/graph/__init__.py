"""The model graph: the spec as data, validation, shape inference and the builder."""

from workbench.core.graph.analysis import Analysis, MemoryEstimate, NodeInfo, analyze
from workbench.core.graph.build import ModelIO, build_model, model_io
from workbench.core.graph.problems import ModelInvalidError, Problem
from workbench.core.graph.spec import FORMAT_VERSION, Edge, ModelSpec, Node, SpecFormatError

__all__ = ["FORMAT_VERSION", "Analysis", "Edge", "MemoryEstimate", "ModelIO",
           "ModelInvalidError", "ModelSpec", "Node", "NodeInfo", "Problem", "SpecFormatError",
           "analyze", "build_model", "model_io"]
