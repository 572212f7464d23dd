"""A GAN document in the Workspace: one graph on the canvas at a time, edits land in the
document, the joint rules show on the canvas, the data is checked against the discriminator."""

from __future__ import annotations

from workbench.core.data import load_source
from workbench.core.templates import load_template
from workbench.core.workspace import Workspace


def test_switching_parts_edits_the_document():
    ws = Workspace(load_template("dcgan_digits"))
    assert ws.part == "generator" and ws.spec is ws.document.parts["generator"]
    assert ws.spec.has_node("noise") and ws.analysis.ok
    ws.switch_part("discriminator")
    assert ws.spec.has_node("conv1")
    ws.set_param("input", "height", 32)  # the discriminator no longer takes 28 x 28
    assert ws.whole_spec.parts["discriminator"].node("input").params["height"] == 32
    assert any("generator makes 1 x 28 x 28" in p.message and p.node == "input"
               for p in ws.analysis.errors)
    ws.switch_part("generator")  # the joint problem shows here too, tied to no node
    assert any("generator makes" in p.message and p.node is None for p in ws.analysis.errors)
    assert ws.whole_spec.to_dict()["format_version"] == 3


def test_data_is_checked_against_the_discriminator():
    ws = Workspace(load_template("mlp_gan"))
    assert ws.check_data(load_source("digits28", seed=0)) == []
    small = load_source("digits", seed=0)
    found = ws.check_data(small)
    assert found and "discriminator" in found[0].message and not found[0].fixable
    ws.switch_part("discriminator")
    fix = ws.check_data(small)[0]
    assert fix.fixable
    ws.apply_fix(fix)
    assert ws.spec.node("input").params["height"] == 8


def test_one_history_for_both_graphs_undoes_each_edit_where_it_was_made():
    ws = Workspace(load_template("dcgan_digits"))
    gen, disc = ws.document.parts["generator"], ws.document.parts["discriminator"]
    history = [ws.set_param("noise", "latent", 32)]
    ws.switch_part("discriminator")
    history.append(ws.set_param("conv1", "out_channels", 16))
    history.append(ws.remove(["lrelu1"]))  # a structural edit of the discriminator
    ws.switch_part("generator")
    history.append(ws.rename("fc", "project"))
    assert [e.part for e in history] == ["generator", "discriminator", "discriminator",
                                         "generator"]
    history.pop().undo()
    assert ws.part == "generator" and gen.has_node("fc") and not gen.has_node("project")
    history[-1].undo()  # the delete: the discriminator comes onto the canvas first
    assert ws.part == "discriminator" and ws.spec is disc and disc.has_node("lrelu1")
    assert any(e.src == "lrelu1" for e in disc.edges)
    history[-2].undo()
    assert disc.node("conv1").params["out_channels"] == 64
    assert ws.part == "discriminator" and ws.analysis.ok
    history[0].undo()
    assert ws.part == "generator" and ws.spec is gen
    assert gen.node("noise").params["latent"] == 64
    assert "noise" in ws.analysis.nodes and "conv1" not in ws.analysis.nodes  # this graph
    history[1].redo()  # redo follows too
    assert ws.part == "discriminator" and disc.node("conv1").params["out_channels"] == 16
    assert gen.node("noise").params["latent"] == 64  # the other graph untouched
