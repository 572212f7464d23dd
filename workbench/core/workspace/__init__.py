"""The app's state, Qt-free: the model, its training settings, the data choice and one
analysis, with the rules and undoable edits that change them (see ``state``)."""

from workbench.core.workspace.data import DataChoice
from workbench.core.workspace.edits import Edit
from workbench.core.workspace.fit import Mismatch, check_data, default_source_for
from workbench.core.workspace.rules import name_base, new_node, unique_name
from workbench.core.workspace.state import (
    BLANK_NAME,
    ROW,
    EditError,
    InitialWeights,
    Workspace,
    WorkspaceListener,
)

__all__ = ["BLANK_NAME", "ROW", "DataChoice", "Edit", "EditError", "InitialWeights",
           "Mismatch", "Workspace", "WorkspaceListener", "check_data", "default_source_for",
           "name_base", "new_node", "unique_name"]
