"""A GAN document in the window keeps one undo history across the Generator / Discriminator
switch: Undo goes back through the edits of both graphs, switching the canvas (and the
switch's buttons) to the graph each was made in."""

from __future__ import annotations

from workbench.ui.commands import RemoveCommand, SetParamCommand


def test_undo_after_switching_undoes_the_right_edit_in_the_right_graph(make_window):
    w = make_window("dcgan_digits")
    doc, switch = w.document, w.part_switch
    ws = doc.workspace
    assert switch.isVisibleTo(w) and switch.buttons["generator"].isChecked()
    doc.push(SetParamCommand(doc, "noise", "latent", 32))
    switch.buttons["discriminator"].click()
    assert ws.part == "discriminator" and w.scene.item_for("conv1") is not None
    assert doc.undo_stack.count() == 1  # the switch keeps the history
    doc.push(RemoveCommand(doc, ["lrelu1"]))
    switch.buttons["generator"].click()
    assert doc.undo_stack.count() == 2 and doc.is_modified

    doc.undo_stack.undo()  # the delete, made in the discriminator
    assert ws.part == "discriminator" and switch.buttons["discriminator"].isChecked()
    assert w.scene.item_for("lrelu1") is not None
    assert ws.document.parts["discriminator"].has_node("lrelu1")
    assert ws.document.parts["generator"].node("noise").params["latent"] == 32  # not yet
    doc.undo_stack.undo()  # the generator's edit: back to the generator
    assert ws.part == "generator" and switch.buttons["generator"].isChecked()
    assert ws.spec.node("noise").params["latent"] == 64
    assert w.scene.item_for("noise") is not None and w.scene.item_for("conv1") is None
    assert not doc.is_modified  # back where the file was: clean again
    doc.undo_stack.redo()
    doc.undo_stack.redo()
    assert ws.part == "discriminator" and not ws.spec.has_node("lrelu1")
    assert ws.document.parts["generator"].node("noise").params["latent"] == 32
