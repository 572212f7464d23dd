"""Students for knowledge distillation: a template, a spec file, or the teacher itself made
narrower ("half the width of the teacher"), and the KD run through the engine."""

from __future__ import annotations

import copy
from pathlib import Path

from workbench.core.compress.channels import CANDIDATES, CONSUMERS
from workbench.core.graph import ModelSpec, analyze

WIDTH_KEYS = {**CANDIDATES, "Conv1d": "out_channels"}
INFERRED = {"in_features", "in_channels", "num_features", "num_channels", "normalized_size"}


def narrower(spec: ModelSpec, width: float = 0.5) -> ModelSpec:
    """The teacher's architecture with every hidden Linear and convolution at ``width``
    times its size (at least 1; the head keeps its classes), input sizes inferred again."""
    if not 0.0 < width <= 1.0:
        raise ValueError(f"the student's width must be between 0 and 1 of the teacher's, "
                         f"not {width}")
    analysis = analyze(spec)
    student = copy.deepcopy(spec)
    student.name = f"{spec.name} (student x{width:g})"
    for node in student.nodes:
        key = WIDTH_KEYS.get(node.kind)
        if key and node.name != analysis.output_node and node.params.get(key):
            node.params[key] = max(1, int(round(node.params[key] * width)))
        for k in INFERRED & set(node.params):
            if node.kind in CONSUMERS or node.kind.startswith(("BatchNorm", "GroupNorm",
                                                              "LayerNorm")):
                node.params[k] = 0  # inferred from the narrower input
    return student


def student_spec(teacher: ModelSpec, student: str | ModelSpec | None, width: float = 0.5
                 ) -> ModelSpec:
    """``student`` as a spec: None or "half" gives the teacher at ``width``, "width:X" at X,
    else a spec file or a template name."""
    if isinstance(student, ModelSpec):
        return student
    if student is None or student == "half":
        return narrower(teacher, width)
    if student.startswith("width:"):
        try:
            return narrower(teacher, float(student.split(":", 1)[1]))
        except ValueError as e:
            raise ValueError(f"--student width:X takes a number between 0 and 1: {e}") from None
    from workbench.core.templates import load_spec_or_template

    if not Path(student).exists() and student.endswith(".json"):
        raise ValueError(f"the student spec {student} does not exist")
    return load_spec_or_template(student)
