"""Hostile bundles and specs: a zip bomb refused before it is inflated, a FIFO member that
would hang, a meta.json that does not fit the model, random byte flips and fuzzed specs
(property-based, with Hypothesis): always a BundleError or SpecFormatError, never a hang or
another exception."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import zipfile
from pathlib import Path

import pytest
import torch
from helpers import tiny_mlp_spec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.export import BundleError, is_bundle, load_bundle, save_bundle
from workbench.core.graph import ModelSpec, SpecFormatError, analyze, build_model

META = {"source": "digits", "kind": "image", "sample_shape": [1, 8, 8],
        "task": "classification", "num_classes": 10, "class_names": list("0123456789"),
        "mean": [0.3], "std": [0.4]}
FUZZ = settings(max_examples=50, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def _save(path: Path, meta=META) -> Path:
    spec = tiny_mlp_spec()
    torch.manual_seed(0)
    return save_bundle(path, spec, build_model(spec), meta)


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> bytes:
    return _save(tmp_path_factory.mktemp("b") / "m.wbbundle").read_bytes()


def _members(raw: bytes, path: Path) -> dict[str, bytes]:
    path.write_bytes(raw)
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _write(path: Path, files: dict[str, bytes], *, compress: int = zipfile.ZIP_DEFLATED) -> Path:
    manifest = json.loads(files["manifest.json"])
    for name, data in files.items():
        if name != "manifest.json":
            manifest["files"][name] = {"size": len(data),
                                       "sha256": hashlib.sha256(data).hexdigest()}
    files["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w", compress) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def _in_time(fn, seconds: float = 20.0):
    """Run ``fn`` on a thread; fail (instead of hanging the suite) when it blocks."""
    out: dict = {}

    def go():
        try:
            out["value"] = fn()
        except BaseException as e:  # noqa: BLE001
            out["error"] = e

    t = threading.Thread(target=go, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"{fn} hung"
    if "error" in out:
        raise out["error"]
    return out.get("value")


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path, good, monkeypatch):
    files = _members(good, tmp_path / "g.wbbundle")
    files["weights.safetensors"] = bytes(24 << 20)  # 24 MB of zeros: ~24 KB deflated
    bomb = _write(tmp_path / "bomb.wbbundle", files)
    assert bomb.stat().st_size < 1 << 20
    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open",
                        lambda self, name, *a, **k: opened.append(str(name)) or
                        real_open(self, name, *a, **k))
    with pytest.raises(BundleError, match="weights"):
        load_bundle(bomb)
    assert "weights.safetensors" not in opened  # refused by its declared size


def test_a_bomb_in_a_json_member_is_refused_by_its_ratio(tmp_path, good):
    files = _members(good, tmp_path / "g.wbbundle")
    files["metrics.json"] = b"{" + b" " * (8 << 20) + b"}"
    with pytest.raises(BundleError, match="inflate"):
        load_bundle(_write(tmp_path / "bomb.wbbundle", files))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_never_hangs(tmp_path, good):
    folder = tmp_path / "unzipped"
    folder.mkdir()
    for name, data in _members(good, tmp_path / "g.wbbundle").items():
        (folder / name).write_bytes(data)
    (folder / "spec.json").unlink()
    os.mkfifo(folder / "spec.json")
    with pytest.raises(BundleError, match="not a regular file"):
        _in_time(lambda: load_bundle(folder))
    os.mkfifo(tmp_path / "pipe.wbbundle")
    assert _in_time(lambda: is_bundle(tmp_path / "pipe.wbbundle")) is False
    with pytest.raises(BundleError, match="not a regular file"):
        _in_time(lambda: load_bundle(tmp_path / "pipe.wbbundle"))
    with pytest.raises(SpecFormatError, match="not a regular file"):
        _in_time(lambda: ModelSpec.load(folder / "spec.json"))


@pytest.mark.parametrize(("change", "words"), [
    ({"sample_shape": [3, 8, 8]}, "samples are 3 x 8 x 8"),
    ({"sample_shape": [1, 8, 9]}, "model's input is 1 x 8 x 8"),
    ({"kind": "features", "sample_shape": [64]}, "features data but the model takes image"),
    ({"std": [0.0]}, "std has a value of 0"),
    ({"mean": [0.1, 0.2, 0.3]}, "mean has 3 values"),
    ({"num_classes": 3, "class_names": ["a", "b", "c"]}, "3 classes"),
    ({"sample_shape": "abc"}, "not a data description"),
])
def test_meta_that_does_not_fit_the_model_is_refused(tmp_path, change, words):
    path = _save(tmp_path / "m.wbbundle", {**META, **change})
    with pytest.raises(BundleError, match=words):
        load_bundle(path)


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(0, 10**9), st.integers(1, 255)), min_size=1,
                      max_size=40))
def test_random_byte_flips_give_a_bundle_error(tmp_path, good, flips):
    raw = bytearray(good)
    for at, xor in flips:
        raw[at % len(raw)] ^= xor
    path = tmp_path / "flip.wbbundle"
    path.write_bytes(bytes(raw))
    try:
        load_bundle(path)  # a flip in slack bytes (zip comment, padding) may be harmless
    except BundleError as e:
        assert "\n" not in str(e) and str(e)


@FUZZ
@given(cut=st.integers(0, 10**9))
def test_a_truncated_bundle_gives_a_bundle_error(tmp_path, good, cut):
    path = tmp_path / "cut.wbbundle"
    path.write_bytes(good[: cut % len(good)])
    with pytest.raises(BundleError):
        load_bundle(path)


_JSON = st.recursive(st.none() | st.booleans() | st.integers(-2**70, 2**70)
                     | st.floats(allow_nan=True) | st.text(max_size=12),
                     lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=20)
_KEYS = ("kind", "name", "params", "nodes", "edges", "src", "dst", "format_version",
         "out_features", "channels", "height", "width", "classes", "features")


def _spec_dict() -> dict:
    return json.loads(tiny_mlp_spec().to_json())


@FUZZ
@given(path=st.lists(st.sampled_from([0, 1, 2, 3, 4, *_KEYS]), min_size=1, max_size=4),
       value=_JSON)
def test_fuzzed_specs_give_a_spec_error_or_a_problem(path, value):
    """A valid spec with one value anywhere replaced by arbitrary JSON."""
    data = _spec_dict()
    node: object = data
    for key in path[:-1]:
        nxt = node[key] if isinstance(node, dict) and key in node else \
            node[key] if isinstance(node, list) and isinstance(key, int) and key < len(node) \
            else None
        if nxt is None or not isinstance(nxt, dict | list):
            break
        node = nxt
    last = path[-1]
    if isinstance(node, dict):
        node[str(last)] = value
    elif isinstance(node, list) and isinstance(last, int) and last < len(node):
        node[last] = value
    try:
        spec = ModelSpec.from_json(json.dumps(data))
    except SpecFormatError:
        return
    analysis = analyze(spec)  # problems are reported, never raised
    assert isinstance(analysis.problems, list)


@FUZZ
@given(text=st.text(max_size=200) | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_arbitrary_text_is_a_spec_error(text):
    try:
        ModelSpec.from_json(text)
    except SpecFormatError:
        pass
