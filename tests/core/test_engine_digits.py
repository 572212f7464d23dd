"""The shipped 28x28 CNN template learns the built-in digits: the whole engine end to end."""

from __future__ import annotations

import time

from test_engine_toys import Recorder

from workbench.core.data import load_source
from workbench.core.engine import EvaluationDone, Trainer, TrainingConfig
from workbench.core.templates import load_template


def test_cnn_template_reaches_90_percent_on_digits28(tmp_path):
    data = load_source("digits28")
    rec = Recorder()
    config = TrainingConfig(epochs=3, batch_size=64, lr=3e-3, schedule="onecycle", device="cpu")
    trainer = Trainer(load_template("cnn_mnist"), data, config, run_dir=tmp_path,
                      callbacks=[rec])
    t = time.perf_counter()
    ended = trainer.fit()
    seconds = time.perf_counter() - t
    results = rec.of(EvaluationDone)[0].results
    print(f"\ncnn_mnist on digits28: {ended.epochs_done} epochs in {seconds:.1f} s, "
          f"test accuracy {results['accuracy']:.3f}")
    assert ended.status == "finished"
    assert results["accuracy"] >= 0.90
    assert len(results["confusion"]) == 10 and len(results["per_class"]) == 10
