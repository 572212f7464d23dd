"""Problems found in a model, each tied to the node or edge it concerns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from workbench.core.graph.spec import Edge


@dataclass(frozen=True)
class Problem:
    message: str
    node: str | None = None
    edge: Edge | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        return self.message


class ModelInvalidError(ValueError):
    """Raised when asked to build a model that has errors; carries every problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("the model has problems:\n" + "\n".join(f"- {p}" for p in problems))
