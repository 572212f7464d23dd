"""GanTrainer: a generator and a discriminator trained against each other on real images.

The same contract as ``Trainer``: ``GanTrainer(spec, data, config, run_dir=...).fit()`` runs
anywhere, reports through events (StepMetrics with the generator's loss, GanMetrics with D
and G losses, D(x) and D(G(z)), SampleGrid from fixed noise a few times a second), stops and
pauses between batches, and checkpoints both networks and both optimizers so that a resumed
run continues exactly. Each batch is one discriminator step; every ``d_steps``-th batch is
followed by one generator step.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from workbench.core.engine import checkpoint as ckpt
from workbench.core.engine.config import TrainingConfig
from workbench.core.engine.devices import DeviceError, describe_device, resolve_device
from workbench.core.engine.errors import TrainingError
from workbench.core.engine.events import (
    Callback,
    EpochEnd,
    GanMetrics,
    RunEnded,
    RunStarted,
    SampleGrid,
    StepMetrics,
)
from workbench.core.engine.gan_loss import d_loss, g_loss, gradient_penalty, shown_score
from workbench.core.engine.lifecycle import RunLifecycle
from workbench.core.engine.loop import Diverged, Progress, next_batch, params_finite
from workbench.core.engine.settings import lower_first
from workbench.core.generate.grid import image_grid, to_unit
from workbench.core.graph import ModelInvalidError, ModelSpec, build_model
from workbench.core.graph.analysis import resolved_params
from workbench.core.graph.gan import DISCRIMINATOR, GENERATOR, analyze_gan
from workbench.core.layers import fmt_shape

if TYPE_CHECKING:
    from workbench.core.data import DataSet

log = logging.getLogger(__name__)

SYNC_SECONDS = 0.25  # metrics read from the device this often
SAMPLE_SECONDS = 0.4  # a sample grid this often: "a few times a second"
FIXED_SAMPLES = 64
_SUMS = ("d_loss", "d_real", "d_fake", "d_steps", "g_loss", "g_steps")


def noise(n: int, latent: int, distribution: str, device: torch.device | str = "cpu",
          generator: torch.Generator | None = None) -> torch.Tensor:
    """(n, latent) latent vectors: standard normal, or uniform on [-1, 1]."""
    if distribution == "uniform":
        return torch.rand(n, latent, device=device, generator=generator) * 2 - 1
    return torch.randn(n, latent, device=device, generator=generator)


def gan_parts(spec: ModelSpec) -> dict[str, Any]:
    """The generator's latent size and noise, and its output's activation and shape."""
    ga = analyze_gan(spec)
    if not ga.ok:
        raise ModelInvalidError(ga.errors)
    g_spec = spec.part(GENERATOR)
    noise_p = resolved_params(g_spec, ga.generator.input_node)  # type: ignore[arg-type]
    out_p = resolved_params(g_spec, ga.generator.output_node)  # type: ignore[arg-type]
    return {"latent": noise_p["latent"], "distribution": noise_p["distribution"],
            "activation": out_p["activation"],
            "shape": (out_p["channels"], out_p["height"], out_p["width"])}


class GanTrainer(RunLifecycle):
    """``GanTrainer(spec, data, config, run_dir=..., callbacks=[...]).fit()`` for a GAN spec.

    ``model`` is a ModuleDict of ``generator`` and ``discriminator`` (the checkpoint's
    weights are its state dict). Raises TrainingError or ModelInvalidError from ``__init__``
    when the run cannot start; ``fit`` returns a RunEnded for every outcome.
    """

    def __init__(self, spec: ModelSpec, data: DataSet, config: TrainingConfig, *,
                 run_dir: Path | None = None, callbacks: Sequence[Callback] = (),
                 analysis: Any = None) -> None:
        problems = config.validate()
        if problems:
            raise TrainingError("The training settings have problems: "
                                + "; ".join(lower_first(p) for p in problems))
        ga = analyze_gan(spec, config.batch_size, "adam")
        if not ga.ok:
            raise ModelInvalidError(ga.errors)
        self.spec, self.data, self.config = spec, data, config
        self.run_dir = Path(run_dir) if run_dir is not None else None
        self.callbacks = list(callbacks)
        try:
            self.device = resolve_device(config.device)
        except DeviceError as e:
            raise TrainingError(str(e)) from e
        parts = gan_parts(spec)
        self.latent, self.distribution = parts["latent"], parts["distribution"]
        self.activation, self.image_shape = parts["activation"], parts["shape"]
        if data.kind != "image" or tuple(data.sample_shape) != self.image_shape:
            raise TrainingError(
                f"The generator makes {fmt_shape(self.image_shape)} images but the data set "
                f"'{data.name}' holds {fmt_shape(data.sample_shape)} "
                f"{'images' if data.kind == 'image' else data.kind}: choose image data of "
                "that size (e.g. digits28 for 1 x 28 x 28) or change the generator's Image "
                "output and the discriminator's input")
        if len(data.train) < 2:
            raise TrainingError(f"The data set '{data.name}' has too few training images "
                                "for a GAN (at least 2).")
        self.warnings: list[str] = []
        torch.manual_seed(config.seed)  # same seed, same initial weights
        self.generator = build_model(spec.part(GENERATOR), ga.generator).to(self.device)
        self.discriminator = build_model(spec.part(DISCRIMINATOR), ga.discriminator).to(self.device)
        self.model = nn.ModuleDict({GENERATOR: self.generator, DISCRIMINATOR: self.discriminator})
        from workbench.core.data import make_loader

        n, bs = len(data.train), config.batch_size
        self.loader = make_loader(data.train, batch_size=min(bs, n), device=self.device,
                                  shuffle=True, seed=config.seed, drop_last=n > bs,
                                  num_workers=config.num_workers)
        self.steps_per_epoch = len(self.loader)
        self.total_steps = self.steps_per_epoch * config.epochs
        betas = (config.beta1, config.beta2)
        self.g_optimizer = torch.optim.Adam(self.generator.parameters(), lr=config.g_lr,
                                            betas=betas)
        self.d_optimizer = torch.optim.Adam(self.discriminator.parameters(), lr=config.d_lr,
                                            betas=betas)
        fixed = torch.Generator().manual_seed(config.seed + 7919)  # not the training RNG
        self.fixed_noise = noise(FIXED_SAMPLES, self.latent, self.distribution,
                                 generator=fixed).to(self.device)
        self.progress = Progress()
        self._sums = torch.zeros(len(_SUMS), device=self.device)
        self._stop, self._pause = threading.Event(), threading.Event()

    # -- the two steps -------------------------------------------------------------------------
    def _real(self, xb: torch.Tensor) -> torch.Tensor:
        """Real images in the generator's range: [-1, 1] for tanh, [0, 1] for sigmoid."""
        return xb * 2 - 1 if self.activation == "tanh" else xb

    def d_step(self, real: torch.Tensor) -> torch.Tensor:
        """One discriminator update on a batch of real images (already in range); returns
        (loss, shown D(x), shown D(G(z))) as one device tensor."""
        kind = self.config.gan_loss
        z = noise(real.shape[0], self.latent, self.distribution, self.device)
        with torch.no_grad():
            fake = self.generator(z)
        r, f = self.discriminator(real), self.discriminator(fake)
        loss = d_loss(r, f, kind)
        if kind == "wgan_gp" and self.config.gp_weight:
            loss = loss + self.config.gp_weight * gradient_penalty(self.discriminator, real, fake)
        self.d_optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self._clip(self.discriminator)
        self.d_optimizer.step()
        return torch.stack([loss.detach(), shown_score(r.detach(), kind),
                            shown_score(f.detach(), kind)])

    def g_step(self, batch: int) -> torch.Tensor:
        """One generator update through a frozen discriminator; returns the loss."""
        self.discriminator.requires_grad_(False)  # no gradients for D's weights: only G moves
        try:
            fake = self.generator(noise(batch, self.latent, self.distribution, self.device))
            loss = g_loss(self.discriminator(fake), self.config.gan_loss)
            self.g_optimizer.zero_grad(set_to_none=True)
            loss.backward()
        finally:
            self.discriminator.requires_grad_(True)
        self._clip(self.generator)
        self.g_optimizer.step()
        return loss.detach()

    def _clip(self, net: nn.Module) -> None:
        if self.config.grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(net.parameters(), self.config.grad_clip)

    def samples(self, n: int = FIXED_SAMPLES) -> torch.Tensor:
        """Images in [0, 1] from the fixed noise (eval mode: no running statistic moves)."""
        was = self.generator.training
        self.generator.eval()
        try:
            with torch.no_grad():
                out = self.generator(self.fixed_noise[:n])
        finally:
            self.generator.train(was)
        return to_unit(out, self.activation)

    def quality(self, n: int = 1000) -> Any:
        """The judge's figure for ``n`` samples (seed 0) against the real test images."""
        from workbench.core.engine.gan_report import quality

        return quality(self, n)

    # -- checkpoints ---------------------------------------------------------------------------
    def _save(self) -> None:
        folder = self._checkpoint_dir("last")
        if folder is None:
            return
        p = self.progress
        state = {"progress": p.to_dict(), "g_optimizer": self.g_optimizer.state_dict(),
                 "d_optimizer": self.d_optimizer.state_dict(), "rng": ckpt.rng_state(),
                 "global_step": p.global_step, "total_steps": self.total_steps,
                 "batch_size": self.config.batch_size, "config": self.config.to_dict(),
                 "gan_sums": self._sums.detach().cpu().clone(), "warnings": list(self.warnings)}
        ckpt.save_checkpoint(folder, self.model, state)

    def _restore(self, resume: bool | Path) -> None:
        if resume is True and self.run_dir is None:
            raise TrainingError("Resuming needs the run folder (run_dir) or a checkpoint path.")
        folder = self._checkpoint_dir("last") if resume is True else Path(resume)  # type: ignore[arg-type]
        state = ckpt.load_state(folder)  # type: ignore[arg-type]
        ckpt.check_pair(folder, state)  # type: ignore[arg-type]
        try:
            self.model.load_state_dict(ckpt.load_weights(folder))  # type: ignore[arg-type]
            self.g_optimizer.load_state_dict(state["g_optimizer"])
            self.d_optimizer.load_state_dict(state["d_optimizer"])
        except (RuntimeError, KeyError, ValueError) as e:
            raise TrainingError(f"The checkpoint {folder} does not fit this GAN: "
                                f"{str(e).splitlines()[0]}") from None
        self.progress = Progress.from_dict(state["progress"])
        if int(state.get("batch_size", self.config.batch_size)) != self.config.batch_size:
            raise TrainingError("A GAN resumes with the batch size it was trained with.")
        self._sums = torch.as_tensor(state["gan_sums"], dtype=torch.float32).to(self.device)
        self.warnings = [str(w) for w in state.get("warnings", [])]
        ckpt.set_rng_state(state["rng"])

    # -- the run -------------------------------------------------------------------------------
    def fit(self, resume: bool | Path = False) -> RunEnded:
        self._begin(resume)
        p = self.progress
        self._t0 = time.monotonic()
        self._paused = 0.0
        self._steps0 = p.global_step
        self._read = self._sums.detach().cpu().clone()  # the sums as last reported
        self._next_sync = self._t0 + SYNC_SECONDS
        self._next_sample = self._t0
        self._window_t0, self._window_samples = self._t0, 0
        self._emit(RunStarted(
            self.config.to_dict(), describe_device(self.device), len(self.data.train),
            len(self.data.val), len(self.data.test),
            sum(t.numel() for t in self.model.parameters()), self.steps_per_epoch,
            self.total_steps, "fp32", p.epoch, p.global_step))
        status, reason = self._outcome()
        return self._end_run(status, reason, {"gan": True})

    def _out_of_memory(self) -> str:
        bs = self.config.batch_size
        return (f"Out of memory on {describe_device(self.device)} at batch size {bs}: "
                f"try {max(1, bs // 2)}")

    def _run(self) -> str:
        p, cfg = self.progress, self.config
        while p.epoch < cfg.epochs:
            t_epoch = time.monotonic()
            paused_before = self._paused
            if self._train_epoch():
                self._sync()
                p.epoch_seconds += time.monotonic() - t_epoch - (self._paused - paused_before)
                self._save()
                return "stopped"
            self._sync()
            if not params_finite(list(self.model.parameters())):
                raise Diverged(f"The weights became NaN or infinite in epoch {p.epoch + 1}: "
                               "lower the learning rates or enable gradient clipping")
            seconds = p.epoch_seconds + time.monotonic() - t_epoch - (self._paused - paused_before)
            self._end_epoch(seconds)
        return "finished"

    def _flags_say_stop(self) -> bool:
        if self._pause.is_set() and not self._stop.is_set():
            t = time.monotonic()
            while self._pause.is_set() and not self._stop.wait(0.02):
                pass
            self._paused += time.monotonic() - t
            self._window_t0 += time.monotonic() - t
        return self._stop.is_set()

    def _train_epoch(self) -> bool:
        p = self.progress
        self.model.train()
        self.loader.set_epoch(p.epoch)
        batches = self.loader.iter_from(p.batch)
        sums, d_every = self._sums, self.config.d_steps
        while True:
            if (self._stop.is_set() or self._pause.is_set()) and self._flags_say_stop():
                return True
            batch = next_batch(batches)
            if batch is None:
                return False
            real = self._real(batch[0])
            d = self.d_step(real)
            sums[0:3] += d
            sums[3] += 1
            if (p.global_step + 1) % d_every == 0:
                sums[4] += self.g_step(real.shape[0])
                sums[5] += 1
            p.batch += 1
            p.global_step += 1
            self._window_samples += real.shape[0]
            now = time.monotonic()
            if now >= self._next_sync:
                self._sync()
            if now >= self._next_sample:
                self._send_samples()

    def _send_samples(self) -> None:
        p = self.progress
        self._next_sample = time.monotonic() + SAMPLE_SECONDS
        self._emit(SampleGrid(p.global_step, p.epoch, image_grid(self.samples()),
                              "Samples from fixed noise"))

    def _sync(self) -> None:
        """Read the sums (the only device sync), check them, report the window's averages."""
        p = self.progress
        now = time.monotonic()
        self._next_sync = now + SYNC_SECONDS
        sums = self._sums.detach().cpu()
        w = (sums - self._read).tolist()
        if w[3] <= 0:
            return
        self._read = sums.clone()
        if not all(math.isfinite(v) for v in w):
            raise Diverged(f"The GAN's losses became NaN or infinite near step {p.global_step} "
                           f"(epoch {p.epoch + 1}): lower the learning rates, or enable "
                           "gradient clipping")
        d_l, d_r, d_f = w[0] / w[3], w[1] / w[3], w[2] / w[3]
        g_l = w[4] / w[5] if w[5] else float("nan")
        window = max(1e-9, now - self._window_t0)
        done = max(1, p.global_step - self._steps0)
        eta = max(0, self.total_steps - p.global_step) * max(1e-9, now - self._t0 - self._paused) / done
        progress = p.batch / max(1, self.steps_per_epoch)
        self._emit(StepMetrics(p.global_step, p.epoch, progress, g_l, None, self.config.g_lr,
                               self._window_samples / window, eta))
        self._emit(GanMetrics(p.global_step, p.epoch, progress, d_l, g_l, d_r, d_f))
        self._window_t0, self._window_samples = now, 0

    def _end_epoch(self, seconds: float) -> None:
        p = self.progress
        s = self._sums.detach().cpu().tolist()
        d_mean = s[0] / s[3] if s[3] else float("nan")
        g_mean = s[4] / s[5] if s[5] else float("nan")
        warning = self._health(s[1] / max(1, s[3]), s[2] / max(1, s[3]))
        if warning and warning not in self.warnings:
            self.warnings.append(warning)
            log.warning(warning)
        row = {"epoch": p.epoch, "step": p.global_step, "train_loss": g_mean,
               "train_accuracy": None, "val_loss": None, "val_accuracy": None,
               "seconds": seconds, "d_loss": d_mean, "d_real": s[1] / max(1, s[3]),
               "d_fake": s[2] / max(1, s[3])}
        p.history.append(row)
        p.epoch, p.batch, p.epoch_seconds = p.epoch + 1, 0, 0.0
        self._sums.zero_()
        self._read = self._sums.detach().cpu().clone()
        self._save()
        self._emit(EpochEnd(row["epoch"], row["step"], g_mean, None, None, None, seconds, False))
        self._emit(GanMetrics(row["step"], row["epoch"], 1.0, d_mean, g_mean, row["d_real"],
                              row["d_fake"], warning))
        self._send_samples()

    def _health(self, d_real: float, d_fake: float) -> str:
        from workbench.core.engine.gan_report import health

        return health(self, d_real, d_fake)

    def _evaluate(self) -> None:
        from workbench.core.engine.gan_report import evaluate

        evaluate(self)
