"""The Workbench bundle: round trip, and every way a file can fail to be one."""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import torch

from workbench.core.engine.config import TrainingConfig
from workbench.core.export import BundleError, is_bundle, load_bundle, save_bundle
from workbench.core.graph import build_model
from workbench.core.templates import load_template

META = {"source": "digits28", "kind": "image", "sample_shape": [1, 28, 28],
        "task": "classification", "class_names": list("0123456789"), "mean": [0.1],
        "std": [0.3]}


@pytest.fixture
def bundle(tmp_path) -> Path:
    spec = load_template("lenet5")
    torch.manual_seed(0)
    path = tmp_path / "lenet.wbbundle"
    save_bundle(path, spec, build_model(spec), META, TrainingConfig(lr=0.01).to_dict(),
                {"test_accuracy": 0.5})
    return path


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def write_zip(path: Path, files: dict[str, bytes], fix_manifest: bool = False) -> None:
    """Rewrite a bundle; with ``fix_manifest`` the checksums are made to match again (a
    well-formed bundle whose content is wrong, rather than a tampered one)."""
    if fix_manifest:
        manifest = json.loads(files["manifest.json"])
        for name, data in files.items():
            if name != "manifest.json":
                manifest["files"][name] = {"size": len(data),
                                           "sha256": hashlib.sha256(data).hexdigest()}
        files["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()
            if p.is_file()}


def assert_refused(path: Path, *words: str) -> BundleError:
    before = snapshot(path.parent)
    with pytest.raises(BundleError) as info:
        load_bundle(path)
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    for word in words:
        assert word in message, message
    assert "\n" not in message and "Traceback" not in message
    assert snapshot(path.parent) == before  # loading changed nothing
    return info.value


def test_round_trip_keeps_everything(bundle: Path) -> None:
    assert is_bundle(bundle)
    b = load_bundle(bundle)
    assert b.spec.name == load_template("lenet5").name
    assert b.meta == META and b.config["lr"] == 0.01 and b.evaluation == {"test_accuracy": 0.5}
    assert b.training_config().lr == 0.01 and b.data_source == "digits28"
    meta = b.data_meta()  # what predictions need, as for a run
    assert meta.class_names == list("0123456789") and meta.mean == (0.1,)
    manifest = json.loads(members(bundle)["manifest.json"])
    assert manifest["format"] == "workbench-bundle" and set(manifest["files"]) == {
        "spec.json", "weights.safetensors", "meta.json", "config.json", "metrics.json"}
    assert not list(bundle.parent.glob(".*tmp"))  # the atomic write left nothing behind


def test_accepts_dataclasses_and_an_unzipped_folder(tmp_path, bundle: Path) -> None:
    @dataclass
    class Meta:
        source: str

        def to_dict(self) -> dict:
            return {"source": self.source}

    spec = load_template("mlp")
    model = build_model(spec)
    path = save_bundle(tmp_path / "m.wbbundle", spec, model, Meta("digits28"))
    assert load_bundle(path).meta == {"source": "digits28"}

    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(folder)
    assert is_bundle(folder) and load_bundle(folder).meta == META
    (folder / "meta.json").write_text('{"source": "evil"}')
    with pytest.raises(BundleError, match="modified or truncated: meta.json"):
        load_bundle(folder)


@pytest.mark.parametrize("member", ["spec.json", "weights.safetensors", "meta.json"])
def test_tampered_member_is_refused(bundle: Path, member: str) -> None:
    files = members(bundle)
    data = bytearray(files[member])
    data[len(data) // 2] ^= 0xFF  # same size, different content
    files[member] = bytes(data)
    write_zip(bundle, files)
    assert_refused(bundle, "modified", member)


def test_extra_or_missing_members_are_refused(bundle: Path) -> None:
    files = members(bundle)
    write_zip(bundle, {**files, "payload.pkl": b"\x80\x04."})
    assert_refused(bundle, "payload.pkl", "not listed")
    files.pop("meta.json")
    write_zip(bundle, files)
    assert_refused(bundle, "meta.json", "missing")


def test_truncated_file_is_refused(bundle: Path) -> None:
    raw = bundle.read_bytes()
    for cut in (len(raw) // 2, len(raw) - 30, 100):
        bundle.write_bytes(raw[:cut])
        assert_refused(bundle, bundle.name)


@pytest.mark.parametrize("content", [b"", b"hello, I am text", b"\x89PNG\r\n\x1a\n" + bytes(200),
                                     b'{"format_version": 2, "nodes": [], "edges": []}'])
def test_other_files_are_not_bundles(tmp_path, content: bytes) -> None:
    path = tmp_path / "x.wbbundle"
    path.write_bytes(content)
    assert not is_bundle(path)
    assert_refused(path, "not a Workbench bundle")


def test_zips_that_are_not_ours(tmp_path) -> None:
    path = tmp_path / "x.wbbundle"
    write_zip(path, {"readme.txt": b"hi"})
    assert_refused(path, "no manifest.json")
    write_zip(path, {"manifest.json": b'{"format": "something-else", "version": 1}'})
    assert_refused(path, "manifest is not ours")
    write_zip(path, {"manifest.json": b"\xff\xfe not json"})
    assert_refused(path, "not valid JSON")
    with pytest.raises(BundleError, match="does not exist"):
        load_bundle(tmp_path / "nothing.wbbundle")
    assert_refused(tmp_path, "no manifest.json")  # a folder that is not a bundle


def test_newer_version_asks_for_an_update(bundle: Path) -> None:
    files = members(bundle)
    manifest = json.loads(files["manifest.json"])
    manifest["version"] = 99
    files["manifest.json"] = json.dumps(manifest).encode()
    write_zip(bundle, files)
    assert_refused(bundle, "newer Workbench")


def test_weights_that_do_not_fit_the_spec(bundle: Path) -> None:
    files = members(bundle)
    spec = json.loads(files["spec.json"])
    fc = next(n for n in spec["nodes"] if n["kind"] == "Linear")
    fc["params"]["out_features"] = 99
    files["spec.json"] = json.dumps(spec).encode()
    write_zip(bundle, files, fix_manifest=True)  # consistent checksums, wrong weights
    err = assert_refused(bundle, f"layer '{fc['name']}'", "99", "120")
    assert "shape" in str(err)


def test_weights_of_another_model(tmp_path, bundle: Path) -> None:
    files = members(bundle)
    files["spec.json"] = load_template("mlp").to_json().encode()
    write_zip(bundle, files, fix_manifest=True)
    assert_refused(bundle, "do not belong to this model")


def test_a_spec_with_errors(bundle: Path) -> None:
    files = members(bundle)
    spec = json.loads(files["spec.json"])
    spec["edges"] = spec["edges"][1:]
    files["spec.json"] = json.dumps(spec).encode()
    write_zip(bundle, files, fix_manifest=True)
    assert_refused(bundle, "its model has problems")
