"""What ``workbench train`` and ``evaluate`` print: the live progress line, epoch lines and the
evaluation as a table."""

from __future__ import annotations

import math
import time
from typing import Any, TextIO

from workbench.core.engine.events import (
    Callback,
    EpochEnd,
    EvaluationDone,
    RunEnded,
    RunStarted,
    StepMetrics,
    TextSample,
)


def _duration(seconds: float) -> str:
    s = max(0, int(seconds + 0.5))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{100 * v:.2f}%"


def _num(v: float | None) -> str:
    return "-" if v is None else f"{v:.4f}"


class ProgressPrinter(Callback):
    """A live one-line bar on a terminal (redrawn in place with \\r, 10 times a second at
    most); on a pipe or log file, a plain line every few seconds instead. Epoch lines, the
    evaluation and the outcome go to ``report``."""

    def __init__(self, report: TextIO, bar: TextIO, log_interval: float = 5.0) -> None:
        self.report, self.bar = report, bar
        self.tty = bar.isatty()
        self.interval = 0.1 if self.tty else log_interval
        self._last = 0.0
        self._width = 0
        self.epochs = 1
        self.steps_per_epoch = 1

    def _clear(self) -> None:
        if self._width:
            self.bar.write("\r" + " " * self._width + "\r")
            self.bar.flush()
            self._width = 0

    def _say(self, text: str) -> None:
        self._clear()
        print(text, file=self.report, flush=True)

    def on_run_started(self, e: RunStarted) -> None:
        self.epochs = int(e.config.get("epochs", 1))
        self.steps_per_epoch = max(1, e.steps_per_epoch)
        self._say(f"training on {e.device} ({e.precision}): {e.train_size:,} train / "
                  f"{e.val_size:,} val / {e.test_size:,} test samples, {e.params:,} parameters, "
                  f"{self.epochs} epochs of {e.steps_per_epoch} steps"
                  + (f", resumed at epoch {e.start_epoch + 1}" if e.start_step else ""))

    def on_step(self, e: StepMetrics) -> None:
        now = time.monotonic()
        if now - self._last < self.interval:
            return
        self._last = now
        done = min(self.steps_per_epoch, max(0, round(e.epoch_progress * self.steps_per_epoch)))
        acc = f" acc {100 * e.accuracy:5.1f}%" if e.accuracy is not None else ""
        text = (f"epoch {e.epoch + 1}/{self.epochs} step {done}/{self.steps_per_epoch} "
                f"loss {e.loss:.4f}{acc} {e.samples_per_sec:,.0f} samples/s "
                f"ETA {_duration(e.eta_seconds)}")
        if self.tty:
            filled = int(20 * e.epoch_progress)
            text = f"[{'#' * filled}{'.' * (20 - filled)}] {text}"
            pad = max(0, self._width - len(text))
            self.bar.write("\r" + text + " " * pad)
            self._width = len(text)
            self.bar.flush()
        else:
            print(text, file=self.bar, flush=True)

    def on_epoch_end(self, e: EpochEnd) -> None:
        val = "" if e.val_loss is None else f"  val loss {_num(e.val_loss)} acc {_pct(e.val_accuracy)}"
        self._say(f"epoch {e.epoch + 1}/{self.epochs}  train loss {_num(e.train_loss)} "
                  f"acc {_pct(e.train_accuracy)}{val}  {e.seconds:.1f} s"
                  + ("  *" if e.is_best else ""))

    def on_text_sample(self, e: TextSample) -> None:
        lines = (e.prompt + e.text).splitlines() or [""]
        self._say(f"sample after epoch {e.epoch + 1}:\n" + "\n".join("  | " + ln for ln in lines))

    def on_evaluation(self, e: EvaluationDone) -> None:
        self._say(format_evaluation(e.results))

    def on_gan_metrics(self, e: Any) -> None:
        if e.warning:
            self._say(f"warning: {e.warning}")

    def on_run_ended(self, e: RunEnded) -> None:
        why = f": {e.reason}" if e.reason else ""
        self._say(f"{e.status.replace('_', ' ')} after {e.epochs_done} epoch(s), "
                  f"{e.steps_done} steps, {e.seconds:.1f} s{why}")


def format_evaluation(d: dict[str, Any], confusions: int = 5, max_classes: int = 30) -> str:
    """Accuracy and loss, a per-class table and the most frequent confusions."""
    if d.get("task") == "gan":
        return format_gan_evaluation(d)
    split, size = d.get("split", "test"), d.get("size", 0)
    head = f"{split} ({size:,} samples): loss {_num(d.get('loss'))}"
    if d.get("accuracy") is not None:
        head += f"  accuracy {_pct(d['accuracy'])}"
    for k, v in sorted((d.get("top_k") or {}).items(), key=lambda kv: int(kv[0])):
        if int(k) > 1:
            head += f"  top-{k} {_pct(v)}"
    if d.get("perplexity") is not None:
        head += f"  perplexity {d['perplexity']:.2f} ({d['loss'] / math.log(2):.3f} bits/token)"
    if d.get("regression"):
        head += "  " + "  ".join(f"{k} {_num(v)}" for k, v in d["regression"].items())
    lines = [head]
    rows = d.get("per_class") or []
    if rows and len(rows) <= max_classes:
        w = max(5, *(len(str(r.get("name", ""))) for r in rows))
        lines.append(f"  {'class'.ljust(w)}  precision  recall      f1  support")
        lines += [f"  {str(r.get('name')).ljust(w)}  {_pct(r.get('precision')):>9}  "
                  f"{_pct(r.get('recall')):>7}  {_pct(r.get('f1')):>7}  {r.get('support', 0):>7}"
                  for r in rows]
    cm, names = d.get("confusion") or [], d.get("class_names") or []
    pairs = sorted(((n, t, p) for t, row in enumerate(cm) for p, n in enumerate(row)
                    if t != p and n), reverse=True)[:confusions]
    if pairs:
        def name(i: int) -> str:
            return str(names[i]) if i < len(names) else str(i)
        lines.append("  most confused: " + ", ".join(
            f"{name(t)} as {name(p)} ({n}x)" for n, t, p in pairs))
    return "\n".join(lines)


def format_gan_evaluation(d: dict[str, Any]) -> str:
    """A GAN's last-epoch figures, its quality figure when measured, and its samples."""
    lines = [f"GAN: D loss {_num(d.get('d_loss'))}  G loss {_num(d.get('g_loss'))}  "
             f"D(x) {_num(d.get('d_real'))}  D(G(z)) {_num(d.get('d_fake'))}"]
    q = d.get("quality")
    if isinstance(q, dict) and q.get("skipped"):
        lines.append(f"quality: not measured: {q['skipped']}")
    if isinstance(q, dict) and q.get("confident_share") is not None:
        lines.append(f"quality: {_pct(q['confident_share'])} of samples classified with "
                     f"confidence >= {q.get('threshold', 0.9)}, {q.get('classes_present')} of "
                     f"{q.get('classes')} classes present (real images: "
                     f"{_pct(q.get('real_confident_share'))})")
    if d.get("samples"):
        lines.append(f"samples: {d['samples']} in the run folder")
    return "\n".join(lines)
