"""The GAN trainer: a D step moves only the discriminator, a G step only the generator;
resume is exact; the losses, D(x) and D(G(z)) and a sample grid are reported."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from workbench.core.data import load_source
from workbench.core.engine import TrainingConfig, TrainingError
from workbench.core.engine.events import Callback
from workbench.core.engine.gan import GanTrainer
from workbench.core.graph import ModelSpec
from workbench.core.runs import RunStore, create_run, resume_run


def tiny_gan(side: int = 8) -> ModelSpec:
    """An MLP GAN for 1 x side x side images, with BatchNorm in the generator (buffers)."""
    def chain(rows):
        s = ModelSpec()
        prev = None
        for name, kind, params in rows:
            s.add_node(kind, name, params)
            if prev:
                s.connect(prev, name)
            prev = name
        return s

    doc = ModelSpec(name="tiny gan")
    doc.parts = {
        "generator": chain([("noise", "NoiseInput", {"latent": 8}),
                            ("fc1", "Linear", {"out_features": 32}),
                            ("bn", "BatchNorm1d", {}), ("act", "ReLU", {}),
                            ("fc2", "Linear", {"out_features": side * side}),
                            ("image", "ImageOutput", {"height": side, "width": side,
                                                      "activation": "tanh"})]),
        "discriminator": chain([("input", "ImageInput", {"height": side, "width": side}),
                                ("flat", "Flatten", {}),
                                ("fc", "Linear", {"out_features": 16}),
                                ("act", "LeakyReLU", {"negative_slope": 0.2}),
                                ("head", "RegressionHead", {"outputs": 1})])}
    return doc


@pytest.fixture(scope="module")
def digits():
    return load_source("digits", seed=0)


def _params(net: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in net.named_parameters()}


def _moved(before: dict[str, torch.Tensor], net: torch.nn.Module) -> set[str]:
    return {k for k, v in net.named_parameters() if not torch.equal(before[k], v)}


@pytest.mark.parametrize("loss", ["non_saturating", "hinge", "wgan_gp"])
def test_each_step_moves_only_its_own_network(loss, digits):
    t = GanTrainer(tiny_gan(), digits, TrainingConfig(batch_size=16, gan_loss=loss,
                                                      device="cpu"))
    real = t._real(digits.train.x[:16])
    g0, d0 = _params(t.generator), _params(t.discriminator)
    t.d_step(real)
    assert not _moved(g0, t.generator)
    assert _moved(d0, t.discriminator)
    if loss == "non_saturating":  # (a hinge's bias gradient may cancel to 0 exactly)
        assert _moved(d0, t.discriminator) == set(d0)
    g0, d0 = _params(t.generator), _params(t.discriminator)
    t.g_step(16)
    assert not _moved(d0, t.discriminator)
    assert _moved(g0, t.generator) == set(g0)
    assert all(p.requires_grad for p in t.discriminator.parameters())  # unfrozen again


class _Collect(Callback):
    def __init__(self) -> None:
        self.gan, self.grids = [], []

    def on_gan_metrics(self, e) -> None:
        self.gan.append(e)

    def on_samples(self, e) -> None:
        self.grids.append(e)


def test_reports_losses_scores_and_sample_grids(digits, tmp_path, monkeypatch):
    monkeypatch.setattr("workbench.core.evaluate.gan_quality.JUDGE_EPOCHS", 1)  # a quick judge
    cfg = TrainingConfig(epochs=1, batch_size=32, device="cpu", seed=3)
    spy = _Collect()
    trainer, run_dir = create_run(tiny_gan(), "digits", cfg, data=digits, runs_dir=tmp_path,
                                  store=RunStore(tmp_path / "runs.db"), callbacks=[spy])
    assert isinstance(trainer, GanTrainer)
    ended = trainer.fit()
    assert ended.status == "finished" and ended.epochs_done == 1
    last = spy.gan[-1]
    assert 0 < last.d_real < 1 and 0 < last.d_fake < 1 and last.d_loss > 0 and last.g_loss > 0
    grid = spy.grids[-1].pixels
    assert grid.dtype.name == "uint8" and grid.shape == (8 * 10 + 2, 8 * 10 + 2)
    assert (run_dir / "samples.png").is_file() and (run_dir / "evaluation.json").is_file()
    quality = json.loads((run_dir / "evaluation.json").read_text())["quality"]
    assert 0 <= quality["confident_share"] <= 1 and quality["classes"] == 10
    assert quality["real_confident_share"] > quality["confident_share"]  # 1 epoch: far from real
    assert quality["judge_accuracy"] > 0.3


def test_quality_waits_for_a_run_as_long_as_the_judges_training(digits, tmp_path):
    cfg = TrainingConfig(epochs=1, batch_size=64, device="cpu")  # the judge trains 5 epochs
    trainer, run_dir = create_run(tiny_gan(), "digits", cfg, data=digits, runs_dir=tmp_path,
                                  store=RunStore(tmp_path / "runs.db"))
    trainer.fit()
    quality = json.loads((run_dir / "evaluation.json").read_text())["quality"]
    assert "workbench evaluate" in quality["skipped"]


def test_resume_is_exact(digits, tmp_path):
    cfg = TrainingConfig(epochs=2, batch_size=32, device="cpu", seed=5, d_steps=2,
                         gan_quality=False)
    store = RunStore(tmp_path / "runs.db")
    straight, _ = create_run(tiny_gan(), "digits", cfg, data=digits, runs_dir=tmp_path / "a",
                             store=store)
    assert straight.fit().status == "finished"
    first, run_dir = create_run(tiny_gan(), "digits", cfg, data=digits,
                                runs_dir=tmp_path / "b", store=store)
    d_step = first.d_step

    def stop_at_50(real):  # mid-way through epoch 2 (44 steps an epoch)
        if first.progress.global_step + 1 == 50:
            first.request_stop()
        return d_step(real)

    first.d_step = stop_at_50
    assert first.fit().status == "stopped"
    assert 0 < first.progress.batch < first.steps_per_epoch and first.progress.epoch == 1
    again, _ = resume_run(run_dir, store=store, data=digits)
    assert again.fit(resume=True).status == "finished"
    for (k, a), b in zip(straight.model.state_dict().items(), again.model.state_dict().values(),
                         strict=True):
        assert torch.equal(a, b), k
    for opt in ("g_optimizer", "d_optimizer"):
        sa = getattr(straight, opt).state_dict()["state"]
        sb = getattr(again, opt).state_dict()["state"]
        assert all(torch.equal(sa[i]["exp_avg"], sb[i]["exp_avg"]) for i in sa)


@pytest.mark.parametrize("fault", ["oom", "bug"])
def test_a_failure_ends_the_run_with_a_reason_and_one_run_ended(digits, tmp_path, fault):
    """The end of a run the GAN shares with the Trainer: a failing step is a reason naming
    where it struck (or the smaller batch to try), reported once, the flags cleared."""
    cfg = TrainingConfig(epochs=1, batch_size=32, device="cpu", gan_quality=False)
    t = GanTrainer(tiny_gan(), digits, cfg, run_dir=tmp_path)
    ended_events = []

    class Ends(Callback):
        def on_run_ended(self, e):
            ended_events.append(e)

    t.callbacks.append(Ends())
    d_step = t.d_step

    def failing(real):
        if t.progress.global_step == 3:
            t.request_pause()  # must not outlive the run
            raise (torch.OutOfMemoryError("CUDA out of memory") if fault == "oom"
                   else ValueError("a broken layer"))
        return d_step(real)

    t.d_step = failing
    ended = t.fit()
    assert ended.status == "failed" and ended_events == [ended]
    if fault == "oom":
        assert ended.reason.startswith("Out of memory on ") and ended.reason.endswith("try 16")
    else:
        assert ended.reason == "Training failed at step 4 (epoch 1): ValueError: a broken layer"
    assert ended.extra == {"warnings": [], "gan": True} and ended.steps_done == 3
    assert not t._pause.is_set() and not t._stop.is_set()


def test_data_of_another_size_is_refused_in_words(digits):
    with pytest.raises(TrainingError, match=r"makes 1 x 28 x 28 images but the data set "
                                            r"'digits' holds 1 x 8 x 8 images"):
        GanTrainer(tiny_gan(28), digits, TrainingConfig(device="cpu"))


def test_generate_grid_from_a_run_is_deterministic(digits, tmp_path):
    from PIL import Image

    from workbench.core.generate.images import generate_grid, interpolate, load_generator
    from workbench.core.runs import open_run

    cfg = TrainingConfig(epochs=1, batch_size=64, device="cpu", gan_quality=False)
    trainer, run_dir = create_run(tiny_gan(), "digits", cfg, data=digits, runs_dir=tmp_path,
                                  store=RunStore(tmp_path / "runs.db"))
    trainer.fit()
    a = generate_grid(run_dir, 16, tmp_path / "a.png", seed=1)
    b = generate_grid(run_dir, 16, tmp_path / "b.png", seed=1)
    c = generate_grid(run_dir, 16, tmp_path / "c.png", seed=2)
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()
    im = Image.open(a)
    assert im.size == (2 * (4 * 10 + 2),) * 2 and len(np.unique(np.asarray(im.convert("L")))) > 10
    generator, parts = load_generator(open_run(run_dir))
    # the loaded generator is the trained one
    trainer.generator.eval()
    z = torch.randn(3, 8)
    assert torch.equal(generator(z), trainer.generator(z))
    row = interpolate(generator, parts, rows=2, steps=5)
    assert row.shape == (10, 1, 8, 8) and 0 <= row.min() and row.max() <= 1
    with pytest.raises(ValueError, match="between 1 and 1024"):
        generate_grid(run_dir, 0, tmp_path / "d.png")


@pytest.mark.slow
def test_quality_figure_tells_real_digits_from_noise(digits, tmp_path):
    from workbench.core.evaluate.gan_quality import cached_judge, score_images

    judge, meta, accuracy = cached_judge(digits, "digits", cache_dir=tmp_path, epochs=4)
    assert accuracy is not None and accuracy > 0.8
    real = score_images(digits.test.x, judge, meta, judge="cnn")
    noise = score_images(torch.rand(200, 1, 8, 8, generator=torch.Generator().manual_seed(0)),
                         judge, meta, judge="cnn")
    assert real.confident_share > 0.6 and real.classes_present == 10
    assert noise.confident_share < real.confident_share / 2
    again, _, acc2 = cached_judge(digits, "digits", cache_dir=tmp_path, epochs=4)  # cached
    assert acc2 == accuracy
    x = digits.test.x[:32]
    assert torch.equal(again(meta.normalize(x)), judge(meta.normalize(x)))


def test_autoencoder_trains_to_reconstruct_and_reports_the_worst(tmp_path):
    from workbench.core.engine.events import Callback as _Cb

    class Grids(_Cb):
        def __init__(self):
            self.grids, self.results = [], None

        def on_samples(self, e):
            self.grids.append(e)

        def on_evaluation(self, e):
            self.results = e.results

    doc = ModelSpec(name="tiny ae")
    prev = None
    for name, kind, params in [("input", "ImageInput", {"height": 8, "width": 8}),
                               ("flat", "Flatten", {}), ("enc", "Linear", {"out_features": 16}),
                               ("act", "ReLU", {}), ("dec", "Linear", {"out_features": 64}),
                               ("image", "ImageOutput", {"height": 8, "width": 8,
                                                         "loss": "bce"})]:
        doc.add_node(kind, name, params)
        if prev:
            doc.connect(prev, name)
        prev = name
    spy = Grids()
    digits8 = load_source("digits", seed=0)
    cfg = TrainingConfig(epochs=3, batch_size=32, lr=3e-3, device="cpu")
    trainer, run_dir = create_run(doc, "digits", cfg, data=digits8, runs_dir=tmp_path,
                                  store=RunStore(tmp_path / "runs.db"), callbacks=[spy])
    ended = trainer.fit()
    assert ended.status == "finished"
    r = spy.results
    assert r["task"] == "reconstruction" and r["size"] == len(digits8.test)
    # better than giving every pixel the data's mean (what an untrained net drifts to)
    x = digits8.test.x
    mean_loss = torch.nn.functional.binary_cross_entropy(
        x.mean(0, keepdim=True).expand_as(x).clamp(1e-6, 1 - 1e-6), x).item()
    assert r["loss"] < mean_loss
    worst = [w["loss"] for w in r["worst"]]
    assert worst == sorted(worst, reverse=True) and worst[0] >= r["loss"]
    assert (run_dir / "reconstructions.png").is_file()
    assert (run_dir / "worst_reconstructions.png").is_file()
    assert spy.grids and spy.grids[-1].pixels.shape == (4 * 10 + 2, 8 * 10 + 2)
