"""A GAN document: two graphs in one spec, saved readably, validated together."""

from __future__ import annotations

import json

import pytest

from workbench.core.graph import ModelSpec, SpecFormatError, analyze
from workbench.core.graph.gan import analyze_gan
from workbench.core.templates import list_templates, load_template


@pytest.mark.parametrize("name", ["dcgan_digits", "mlp_gan"])
def test_gan_templates_are_valid_and_round_trip(name, tmp_path):
    spec = load_template(name)
    assert spec.is_gan and set(spec.parts) == {"generator", "discriminator"}
    ga = analyze_gan(spec)
    assert ga.ok, [str(p) for p in ga.problems]
    assert ga.generator.nodes[ga.generator.output_node].out_shape == (1, 28, 28)
    assert analyze(spec).ok
    spec.save(tmp_path / "gan.json")
    raw = json.loads((tmp_path / "gan.json").read_text())
    assert raw["format_version"] == 3 and raw["nodes"] == []
    assert ModelSpec.load(tmp_path / "gan.json").to_dict() == spec.to_dict()


def test_single_graph_listing_leaves_gans_out():
    assert not any(t.is_gan for t in list_templates())
    gans = {t.name for t in list_templates(include_gan=True) if t.is_gan}
    assert {"dcgan_digits", "mlp_gan"} <= gans


def test_generator_output_must_fit_discriminator_input():
    spec = load_template("dcgan_digits")
    spec.part("discriminator").node("input").params.update(height=32, width=32)
    problems = [p for p in analyze_gan(spec).errors]
    assert len(problems) == 1
    assert ("Discriminator: its input takes 1 x 32 x 32 images but the generator makes "
            "1 x 28 x 28") in problems[0].message
    assert problems[0].node == "input"


def test_joint_rules_name_the_part():
    spec = load_template("mlp_gan")
    spec.part("discriminator").node("head").params["outputs"] = 3
    spec.part("generator").node("fc2").params["out_features"] = 0
    text = " | ".join(p.message for p in analyze_gan(spec).errors)
    assert "Discriminator: it must give one score per image, but gives 3" in text
    assert text.startswith("Generator:")  # the generator's own problem, prefixed


@pytest.mark.parametrize("parts,needle", [
    ({"generator": {"nodes": [], "edges": []}}, "the discriminator is missing"),
    ({"encoder": {}}, "unknown part 'encoder'"),
    ([], "'parts' must be an object"),
    ({"generator": {"nodes": 3}, "discriminator": {}}, "the generator: 'nodes' must be a list"),
])
def test_bad_parts_say_why(parts, needle):
    with pytest.raises(SpecFormatError) as err:
        ModelSpec.from_dict({"format_version": 3, "nodes": [], "edges": [], "parts": parts})
    assert needle in str(err.value)
