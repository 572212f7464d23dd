"""Nothing a person needs to read is cut off: every node of every template and of every
layer kind shows its name, kind, key parameters, shape and count whole (nodes grow to fit),
a name too long for any node is elided with the whole of it in the tooltip, and every
palette entry shows its title whole, also at the palette's narrowest."""

from __future__ import annotations

import pytest

from workbench.core.graph import Node, Problem, analyze
from workbench.core.layers import CATALOGUE
from workbench.core.templates import list_templates, load_template
from workbench.ui.canvas.items import MAX_NODE_W, NODE_W, NodeItem


def cut(item: NodeItem) -> dict[str, str]:
    return {part: full for part, (full, shown, _r, _f) in item.face().items() if shown != full}


@pytest.mark.parametrize("template", [t.name for t in list_templates()])
def test_every_node_of_every_template_shows_its_texts_whole(qapp, template):
    spec = load_template(template)
    analysis = analyze(spec, batch=64)
    for node in spec.nodes:
        item = NodeItem(node)
        item.update_from(analysis.nodes.get(node.name), [])
        assert cut(item) == {}, (template, node.name)
        assert NODE_W <= item.width <= MAX_NODE_W


def test_every_layer_kind_shows_its_texts_whole_even_with_a_problem(qapp):
    for kind in CATALOGUE.values():
        item = NodeItem(Node("layer_12", kind.kind, kind.defaults()))  # a typical new name
        item.update_from(None, [])
        assert cut(item) == {}, kind.kind
        item.update_from(None, [Problem("broken", "layer_12")])
        assert item.state == "error" and cut(item) == {}, kind.kind  # room for the badge too


def test_a_name_longer_than_any_node_is_elided_and_whole_in_the_tooltip(make_window):
    w = make_window("transformer_encoder")
    long = "the_encoder_stack_that_reads_every_token_of_the_review"
    w.scene.select_names(["encoder"])
    w.inspector.name_edit.setText(long)
    w.inspector.name_edit.editingFinished.emit()
    item = w.scene.item_for(long)
    assert item.width == MAX_NODE_W
    assert set(cut(item)) == {"name"} and long in item.toolTip()
    assert "heads 8" in item.toolTip()  # the key parameters are in the tooltip too
    w.document.undo_stack.undo()  # back to a short name: the node narrows again
    assert w.scene.item_for("encoder").width < MAX_NODE_W


def test_auto_layout_keeps_wide_nodes_apart(make_window):
    w = make_window(empty=True)
    for kind in ("TokenInput", "Embedding"):
        w.palette.activated.emit(kind)
    w.scene.select_names(["input"] if w.document.spec.has_node("input") else
                         [w.document.spec.nodes[0].name])
    w.palette.activated.emit("TransformerEncoder")
    w.scene.select_names([w.document.spec.nodes[1].name])
    w.palette.activated.emit("TransformerEncoder")
    w.scene.auto_layout()
    boxes = [it.sceneBoundingRect() for it in w.scene.nodes.values()]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.intersects(b)
