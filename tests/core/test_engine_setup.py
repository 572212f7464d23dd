"""Engine set-up: devices, options taking effect (optimizer, schedule, loss, precision) and
the data/model checks done before any training."""

from __future__ import annotations

import math
import os

import pytest
import torch
import torch.nn.functional as F
from test_engine_toys import chain, fast, features_data, image_data, mlp, tiny_cnn

from workbench.core.data import DataSet, Split
from workbench.core.engine import (
    DeviceError,
    Trainer,
    TrainingError,
    detect_devices,
    resolve_device,
)
from workbench.core.engine.objective import make_objective
from workbench.core.engine.optim import lr_factor
from workbench.core.templates import load_template


# -- devices ----------------------------------------------------------------------------------
def test_devices_end_with_the_cpu():
    devices = detect_devices()
    assert devices[-1].id == "cpu" and devices[-1].kind == "cpu"
    assert devices[-1].label == f"CPU ({os.cpu_count()} cores)"
    assert resolve_device("cpu") == torch.device("cpu")
    assert resolve_device("auto") == torch.device(devices[0].id)


def test_unavailable_device_names_what_is_available():
    with pytest.raises(DeviceError) as e:
        resolve_device("cuda:7")
    msg = str(e.value)
    assert msg.startswith("CUDA device 'cuda:7' is not available; available: ")
    assert msg.endswith("cpu")
    if not torch.cuda.is_available():
        assert msg == "CUDA device 'cuda:7' is not available; available: cpu"
    with pytest.raises(DeviceError, match="Unknown device 'tpu'"):
        resolve_device("tpu")
    with pytest.raises(TrainingError, match="cuda:7"):
        Trainer(mlp(), features_data(), fast(device="cuda:7"))


# -- options take effect ----------------------------------------------------------------------
@pytest.mark.parametrize("name,cls", [("sgd", torch.optim.SGD), ("adam", torch.optim.Adam),
                                      ("adamw", torch.optim.AdamW),
                                      ("rmsprop", torch.optim.RMSprop)])
def test_each_optimizer_is_built_with_its_settings(name, cls):
    t = Trainer(mlp(), features_data(), fast(optimizer=name, lr=0.05, weight_decay=0.01,
                                            momentum=0.8, nesterov=True))
    assert type(t.optimizer) is cls
    group = t.optimizer.param_groups[0]
    assert group["lr"] == 0.05 and group["weight_decay"] == 0.01
    if name == "sgd":
        assert group["momentum"] == 0.8 and group["nesterov"] is True
    if name == "rmsprop":
        assert group["momentum"] == 0.8


def _lrs(trainer: Trainer, steps: int) -> list[float]:
    out = [trainer.optimizer.param_groups[0]["lr"]]
    for _ in range(steps):
        trainer.optimizer.step()
        trainer.scheduler.step()
        out.append(trainer.optimizer.param_groups[0]["lr"])
    return out


def test_warmup_then_cosine():
    data = features_data(n=160, sizes=(128, 16, 16))  # 4 steps per epoch at batch 32
    t = Trainer(mlp(), data, fast(schedule="cosine", warmup_epochs=1, epochs=5, lr=0.1))
    assert t.steps_per_epoch == 4 and t.total_steps == 20
    lrs = _lrs(t, 20)
    assert lrs[:4] == pytest.approx([0.025, 0.05, 0.075, 0.1])  # linear warm-up
    assert lrs[4] == pytest.approx(0.1)  # cosine starts at the peak
    assert lrs[12] == pytest.approx(0.05)  # halfway through the 16 cosine steps
    assert lrs[20] == pytest.approx(0.0, abs=1e-12)
    assert all(a >= b for a, b in zip(lrs[4:], lrs[5:], strict=False))


def test_step_schedule_and_no_schedule():
    data = features_data(n=160, sizes=(128, 16, 16))
    t = Trainer(mlp(), data, fast(schedule="step", step_size=2, gamma=0.5, epochs=6, lr=0.1))
    lrs = _lrs(t, 24)
    assert lrs[0] == lrs[7] == pytest.approx(0.1)
    assert lrs[8] == lrs[15] == pytest.approx(0.05)
    assert lrs[16] == pytest.approx(0.025)
    assert Trainer(mlp(), data, fast(schedule="none")).scheduler is None
    f = lr_factor(fast(schedule="none", warmup_epochs=0.5, epochs=2), 4)
    assert [f(s) for s in range(4)] == [0.5, 1.0, 1.0, 1.0]


def test_onecycle_warms_up_to_the_peak_and_anneals():
    data = features_data(n=160, sizes=(128, 16, 16))
    t = Trainer(mlp(), data, fast(schedule="onecycle", warmup_epochs=1, epochs=5, lr=0.1))
    lrs = _lrs(t, 20)
    assert max(lrs) == pytest.approx(0.1) and lrs.index(max(lrs)) == 4
    assert lrs[0] < 0.01 and lrs[-1] < 1e-5


def test_label_smoothing_changes_the_loss():
    out, y = torch.randn(16, 5), torch.randint(0, 5, (16,))
    plain = make_objective("classification", "auto")(out, y)[0]
    smooth = make_objective("classification", "cross_entropy", label_smoothing=0.2)(out, y)[0]
    assert plain == pytest.approx(float(F.cross_entropy(out, y)))
    assert smooth == pytest.approx(float(F.cross_entropy(out, y, label_smoothing=0.2)))
    assert abs(float(plain) - float(smooth)) > 1e-3


def test_losses_for_each_task():
    out, y = torch.randn(8, 3), torch.randint(0, 3, (8,))
    loss, correct, count = make_objective("classification", "mse")(out, y)
    assert float(loss) == pytest.approx(float(F.mse_loss(out, F.one_hot(y, 3).float())))
    assert int(correct) == int((out.argmax(1) == y).sum()) and count == 8
    loss = make_objective("classification", "bce_with_logits")(out, y)[0]
    assert float(loss) == pytest.approx(
        float(F.binary_cross_entropy_with_logits(out, F.one_hot(y, 3).float())))
    reg_out, reg_y = torch.randn(8, 1), torch.randn(8)
    loss, correct, count = make_objective("regression", "auto")(reg_out, reg_y)
    assert float(loss) == pytest.approx(float(F.mse_loss(reg_out[:, 0], reg_y)))
    assert correct is None
    # next token: (B, L, V) against (B, L); padding (0) is neither scored nor counted
    seq_out, seq_y = torch.randn(2, 4, 6), torch.tensor([[1, 2, 3, 0], [4, 5, 0, 0]])
    loss, correct, count = make_objective("next_token", "auto")(seq_out, seq_y)
    keep = seq_y.reshape(-1) != 0
    ref = F.cross_entropy(seq_out.reshape(-1, 6)[keep], seq_y.reshape(-1)[keep])
    assert float(loss) == pytest.approx(float(ref)) and int(count) == 5
    with pytest.raises(TrainingError):
        make_objective("next_token", "mse")


def test_precision_choices_on_the_cpu():
    data = features_data()
    assert Trainer(mlp(), data, fast(precision="auto")).precision == "fp32"
    with pytest.raises(TrainingError, match="fp16 needs a GPU"):
        Trainer(mlp(), data, fast(precision="fp16"))
    # bf16 when asked for explicitly: the layers really compute in bf16
    t = Trainer(mlp(), data, fast(precision="bf16", epochs=1))
    seen = []
    t.model.get_submodule("n1").register_forward_hook(lambda m, i, o: seen.append(o.dtype))
    ended = t.fit()
    assert ended.status == "finished"
    assert seen and seen[0] == torch.bfloat16


# -- data and model must fit, checked before training ----------------------------------------
def test_image_size_mismatch_is_a_readable_error():
    small = image_data(size=8, classes=10, name="digits")
    with pytest.raises(TrainingError) as e:
        Trainer(load_template("cnn_mnist"), small, fast())
    assert str(e.value) == ("The model expects 1 x 28 x 28 images but the data set 'digits' "
                            "has 1 x 8 x 8 images: set the input layer to 1 x 8 x 8 or pick "
                            "digits28.")


def test_kind_classes_and_vocab_mismatches():
    with pytest.raises(TrainingError, match="takes 1 x 8 x 8 images but the data set 'toy' "
                                            "holds 8 features per sample"):
        Trainer(tiny_cnn(), features_data(), fast())
    with pytest.raises(TrainingError, match="expects 5 features per sample"):
        Trainer(mlp(features=5), features_data(), fast())
    with pytest.raises(TrainingError, match="head gives 2 classes but the data set 'toy' has 3"):
        Trainer(mlp(classes=2), features_data(), fast())
    t = Trainer(mlp(classes=5), features_data(), fast())  # more outputs than classes: a warning
    assert t.warnings and "only 3" in t.warnings[0]
    regression = features_data()
    regression.task = "regression"
    with pytest.raises(TrainingError, match="Cross-entropy needs class labels"):
        Trainer(mlp(), regression, fast(loss="cross_entropy"))
    with pytest.raises(TrainingError, match="use a Regression head with 3 outputs"):
        Trainer(mlp(), regression, fast())


def test_token_vocabulary_must_fit():
    vocab = ["<pad>", "<unk>", *"abcdefghij"]
    x = torch.randint(2, 12, (40, 6))
    split = Split(x, torch.randint(0, 2, (40,)))
    data = DataSet("words", "tokens", (6,), "classification", 2, ["no", "yes"], split, split,
                   split, vocab=vocab, tokenizer="char")
    spec = chain(("TokenInput", {"vocab_size": 8, "length": 6}),
                 ("Embedding", {"embedding_dim": 4}), ("Flatten", {}),
                 ("ClassificationHead", {"classes": 2}))
    with pytest.raises(TrainingError, match="vocabulary of 8 but the data set 'words' uses 12"):
        Trainer(spec, data, fast())
    spec.node("n0").params["vocab_size"] = 12
    assert Trainer(spec, data, fast(epochs=1)).fit().status == "finished"


def test_config_problems_are_training_errors():
    with pytest.raises(TrainingError, match="learning rate must be greater than 0"):
        Trainer(mlp(), features_data(), fast(lr=0.0))


def test_math_sanity_of_the_cosine_factor():
    f = lr_factor(fast(schedule="cosine", epochs=1), 10)
    assert f(0) == 1.0 and f(5) == pytest.approx(0.5 * (1 + math.cos(math.pi / 2)))
