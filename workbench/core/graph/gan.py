"""A GAN document: a generator graph and a discriminator graph validated together.

The generator turns a NoiseInput latent vector into an ImageOutput image; the discriminator
takes an ImageInput of exactly that shape and gives one score (logit) per sample. Each graph
is analysed on its own (its problems are prefixed with the part, so they stay tied to a node
of that canvas), then the joint rules are checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.core.graph.analysis import DEFAULT_BATCH, Analysis, analyze
from workbench.core.graph.problems import Problem
from workbench.core.graph.spec import PART_NAMES, ModelSpec
from workbench.core.layers import CATALOGUE, fmt_shape

GENERATOR, DISCRIMINATOR = PART_NAMES


@dataclass
class GanAnalysis:
    generator: Analysis
    discriminator: Analysis
    problems: list[Problem]  # every problem of both graphs and the joint ones, prefixed
    joint: list[tuple[str, Problem]] = field(default_factory=list)  # (part, problem) of the joint rules

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def part(self, name: str) -> Analysis:
        return self.generator if name == GENERATOR else self.discriminator


def _kind_of(spec: ModelSpec, node: str | None) -> str | None:
    return spec.node(node).kind if node is not None and spec.has_node(node) else None


def analyze_gan(spec: ModelSpec, batch: int = DEFAULT_BATCH,
                optimizer: str = "adam") -> GanAnalysis:
    """Both graphs and the rules that join them. Never raises for a bad model."""
    g_spec, d_spec = spec.part(GENERATOR), spec.part(DISCRIMINATOR)
    g, d = analyze(g_spec, batch, optimizer), analyze(d_spec, batch, optimizer)
    problems = [Problem(f"Generator: {p.message}", p.node, p.edge, p.severity)
                for p in g.problems]
    problems += [Problem(f"Discriminator: {p.message}", p.node, p.edge, p.severity)
                 for p in d.problems]
    first_joint = len(problems)
    if g.ok and _kind_of(g_spec, g.input_node) != "NoiseInput":
        problems.append(Problem("Generator: its input must be a Noise input (the latent "
                                "vector the trainer draws)", g.input_node))
    if g.ok and _kind_of(g_spec, g.output_node) != "ImageOutput":
        problems.append(Problem("Generator: its output must be an Image output (sigmoid or "
                                "tanh), so that it makes images", g.output_node))
    if d.ok and d.input_node is not None:
        d_in = CATALOGUE[d_spec.node(d.input_node).kind]
        if d_in.data_kind != "image":
            problems.append(Problem("Discriminator: its input must be an Image input, to "
                                    "receive real and generated images", d.input_node))
    if d.ok and d.output_node is not None:
        out = d.nodes[d.output_node].out_shape
        if out != (1,):
            problems.append(Problem(
                f"Discriminator: it must give one score per image, but gives "
                f"{fmt_shape(out)}; set its head to 1 output (a Regression head with 1 "
                "output, or a Classification head with 1 class)", d.output_node))
    if g.ok and d.ok and g.output_node and d.input_node:
        made = g.nodes[g.output_node].out_shape
        d_in = CATALOGUE[d_spec.node(d.input_node).kind]
        takes = d_in.data_shape(d_in.resolve(d_spec.node(d.input_node).params))  # type: ignore[misc]
        if made != takes:
            problems.append(Problem(
                f"Discriminator: its input takes {fmt_shape(takes)} images but the generator "
                f"makes {fmt_shape(made)}; make the two sizes agree (the generator's Image "
                f"output '{g.output_node}' or the discriminator's input '{d.input_node}')",
                d.input_node))
    joint = [(GENERATOR if p.message.startswith("Generator") else DISCRIMINATOR, p)
             for p in problems[first_joint:]]
    return GanAnalysis(g, d, problems, joint)
