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
