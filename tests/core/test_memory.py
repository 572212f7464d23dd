"""The training-memory estimate: activations are what autograd really saves for backward,
measured per node on the meta device and joined over the graph."""

from __future__ import annotations

import pytest
from helpers import batchnorm_mlp_spec, saved_activation_bytes, tiny_mlp_spec

from workbench.core.graph import analyze
from workbench.core.templates import list_templates, load_template


@pytest.mark.parametrize("template", [t.name for t in list_templates()])
def test_activations_equal_a_whole_model_forward_and_backward(template):
    spec = load_template(template)
    assert analyze(spec, 8).memory.activations == saved_activation_bytes(spec, 8)


def test_a_transformer_block_counts_what_attention_keeps():
    """12 encoder layers, width 512, 128 tokens: attention maps, feed-forward values, norms
    and dropout masks, about 90 MB per sample; one output per node said ~0.75 MB."""
    spec = load_template("transformer_classifier")
    per_sample = analyze(spec, 64).memory.activations / 64
    assert per_sample > 60 * 2**20
    assert analyze(spec, 64).memory.activations == saved_activation_bytes(spec, 64)


def test_the_measure_matches_real_tensors_on_the_cpu():
    spec = load_template("cnn_mnist")
    assert analyze(spec, 4).memory.activations == saved_activation_bytes(spec, 4, "cpu")


def test_activations_grow_with_the_batch_and_views_are_not_counted_twice():
    spec = tiny_mlp_spec(8, 16)
    small, big = analyze(spec, 2).memory.activations, analyze(spec, 20).memory.activations
    assert 0 < small < big == pytest.approx(10 * small, rel=0.05)


def test_batchnorm_after_linear_is_valid_at_the_default_batch():
    spec = batchnorm_mlp_spec()
    assert analyze(spec).ok and analyze(spec).batch == 64
    one = analyze(spec, 1)
    assert not one.ok
    message = one.errors[0].message
    assert message.startswith("Batch normalization (1D) 'bn'") or "'bn'" in message
    assert "batch size of at least 2" in message and "Expected" not in message


def test_per_device_memory_with_and_without_sharding():
    """N devices: each holds 1/N of the activations; DDP keeps the whole model, its
    gradients and optimizer state on each, FSDP 1/N of them plus the largest layer."""
    m = analyze(load_template("transformer_classifier"), 64, "adam").memory
    assert m.per_device(1) == m and m.per_device(1, sharded=True).total == m.total
    ddp, fsdp = m.per_device(4), m.per_device(4, sharded=True)
    assert ddp.weights == m.weights and ddp.optimizer == m.optimizer
    assert ddp.activations == -(-m.activations // 4)
    assert fsdp.optimizer == -(-m.optimizer // 4)
    assert fsdp.weights == -(-m.weights // 4) + m.largest_layer
    assert m.largest_layer <= m.weights and fsdp.total < ddp.total < m.total
