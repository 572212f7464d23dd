"""Which layers of a model the explanations and the look inside can use, found from the spec
(the built model's submodules carry the spec's node names)."""

from __future__ import annotations

from workbench.core.explain.errors import ExplainError
from workbench.core.explain.subject import Subject
from workbench.core.layers import CATALOGUE, fmt_shape

CONV_KINDS = frozenset({"Conv2d"})
ATTENTION_KINDS = frozenset({"MultiHeadAttention", "TransformerEncoder", "CausalDecoder"})


def _downstream_of_conv(subject: Subject) -> set[str]:
    """Nodes fed (directly or not) by a 2-D convolution, the convolutions included."""
    spec = subject.spec
    reached = {n.name for n in spec.nodes if n.kind in CONV_KINDS}
    frontier = list(reached)
    while frontier:
        for edge in spec.outputs_of(frontier.pop()):
            if edge.dst not in reached:
                reached.add(edge.dst)
                frontier.append(edge.dst)
    return reached


def gradcam_layers(subject: Subject) -> list[str]:
    """Layers Grad-CAM can use, in graph order: convolutions, and the layers after one that
    still hold its feature maps (channels x height x width: activations, pooling, norms)."""
    analysis = subject.analysis
    conv = _downstream_of_conv(subject)
    return [name for name in analysis.order if name in conv
            and len(analysis.nodes[name].out_shape or ()) == 3]


def default_gradcam_layer(subject: Subject) -> str:
    """The last convolution feeding the head, taken after its activation (and batch norm)
    when those follow it alone: the most abstract maps that still have a spatial layout,
    rectified, as Grad-CAM's authors and Keras' example use them."""
    usable = gradcam_layers(subject)
    convs = [n for n in usable if subject.spec.node(n).kind in CONV_KINDS]
    if not convs:
        raise ExplainError("Grad-CAM needs a model with a 2-D convolution layer, and this one "
                           "has none; choose saliency, integrated-gradients, occlusion, lime "
                           "or shap.")
    name = convs[-1]
    spec = subject.spec
    while True:
        after = spec.outputs_of(name)
        if len(after) != 1 or after[0].dst not in usable:
            return name
        kind = CATALOGUE[spec.node(after[0].dst).kind]
        if kind.group != "Activation" and kind.kind not in ("BatchNorm2d", "Dropout"):
            return name
        name = after[0].dst


def check_gradcam_layer(subject: Subject, name: str | None) -> str:
    """``name`` when Grad-CAM can use it (the default layer when None), else ExplainError
    naming the layers that would do."""
    if not name:
        return default_gradcam_layer(subject)
    subject.module(name)  # unknown names: the error lists the layers
    usable = gradcam_layers(subject)
    if name in usable:
        return name
    node = subject.spec.node(name)
    info = subject.analysis.nodes.get(name)
    shape = fmt_shape(info.out_shape) if info is not None and info.out_shape else "no known shape"
    choices = ", ".join(usable) if usable else "none in this model"
    raise ExplainError(f"Grad-CAM needs a convolution layer (feature maps of channels x height "
                       f"x width); '{name}' is a {node.kind} layer with output {shape}. "
                       f"Choose one of: {choices}.")


def embedding_layer(subject: Subject) -> str:
    """The Embedding node that turns the token ids into vectors (token attributions are
    computed there: ids have no gradient)."""
    analysis = subject.analysis
    for name in analysis.order:
        if subject.spec.node(name).kind == "Embedding":
            return name
    raise ExplainError("The model takes tokens but has no Embedding layer to attribute to.")


def attention_layers(subject: Subject) -> list[str]:
    return [n for n in subject.analysis.order if subject.spec.node(n).kind in ATTENTION_KINDS]


def feature_layers(subject: Subject) -> list[str]:
    """Every layer whose output can be looked at, in graph order."""
    return [n for n in subject.analysis.order if subject.analysis.nodes[n].out_shape]
