"""``workbench explain`` from a user's side: each method with --json on a trained run, the
picture it writes, and bad requests answered in one line with exit status 2."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image
from region_task import keyword_texts, region_images, trained_run

from workbench.cli import run
from workbench.cli.explain import METHOD_CHOICES
from workbench.core.explain import METHODS


@pytest.fixture(scope="module")
def image_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("explain-cli") / "bar.png"
    x = region_images(2, seed=11)[0][1, 0].numpy()  # a vertical bar
    Image.fromarray((x * 255).astype(np.uint8)).save(path)
    return path


def test_the_cli_offers_every_method():
    assert METHOD_CHOICES == METHODS


@pytest.mark.parametrize("method", METHODS)
def test_each_method_writes_a_map_and_its_figures(method, image_file, tmp_path, capsys):
    out = tmp_path / f"{method}.png"
    argv = [str(trained_run("region")), str(image_file), "--method", method, "-o", str(out),
            "--json"] + (["--samples", "128"] if method in ("lime", "shap") else [])
    assert run(["explain", *argv]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["method"] == method and d["shape"] == [16, 16] and d["output"] == str(out)
    assert d["predicted_name"] == "vertical" == d["target_name"] and d["probability"] > 0.5
    assert d["min"] <= d["mean"] <= d["max"] and 0 < d["top10_share"] <= 1 and d["seconds"] > 0
    if method == "gradcam":
        assert d["layer"] == "relu2" and d["layer_shape"] == [8, 8]
    image = Image.open(out)
    assert image.format == "PNG" and len(set(image.convert("L").tobytes())) > 10


def test_plain_output_names_the_layer_and_the_file(image_file, tmp_path, capsys):
    out = tmp_path / "cam.png"
    code = run(["explain", str(trained_run("region")), str(image_file), "--layer", "conv1",
                "--target", "horizontal", "-o", str(out)])
    text = capsys.readouterr().out
    assert code == 0 and out.is_file()
    assert "Grad-CAM for class horizontal" in text and "predicted vertical" in text
    assert "layer conv1: 16 x 16 before upsampling" in text and str(out) in text


def test_a_text_model_from_the_cli(tmp_path, capsys):
    text = next(t for t, label in zip(*keyword_texts(6, seed=3), strict=True) if label)
    out = tmp_path / "tokens.png"
    assert run(["explain", str(trained_run("keyword")), text, "--method",
                "integrated-gradients", "-o", str(out), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert [t["token"] for t in d["tokens"]] == text.split() and d["predicted_name"] == "good"
    assert out.is_file()


@pytest.mark.parametrize("extra, message", [
    (["--layer", "flatten"], "'flatten' is a Flatten layer"),
    (["--layer", "nope"], "no layer 'nope'"),
    (["--target", "cat"], "no class 'cat'"),
    (["-o", "heat.jpg"], "must be a .png file"),
    (["-o", "/no/such/folder/heat.png"], "there is no folder /no/such/folder"),
])
def test_bad_requests_get_one_line(extra, message, image_file, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = run(["explain", str(trained_run("region")), str(image_file), "--method", "gradcam",
                *extra])
    err = capsys.readouterr().err
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err


def test_text_for_an_image_model_and_a_missing_run(capsys, tmp_path):
    assert run(["explain", str(trained_run("region")), "a good film", "-o",
                str(tmp_path / "x.png")]) == 2
    assert "takes images and there is no image file 'a good film'" in capsys.readouterr().err
    assert run(["explain", str(tmp_path / "nothing"), "x.png"]) == 2
    assert "no run" in capsys.readouterr().err
