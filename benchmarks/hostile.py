"""A hostile user's battery: per category, cases tried and cases clean.

Clean means: one clear message (no traceback anywhere in the output), the documented exit
code (2 for unusable input, 1 for a failed run, 0 where a fallback works), no hang and no
data lost. Everything runs in-process through ``workbench.cli.run`` and the core, on tiny
models and the built-in 8x8 digits, in a throw-away WORKBENCH_HOME.

Run: OMP_NUM_THREADS=1 uv run python benchmarks/hostile.py [--category NAME] [--json]
(versions before a fix may lack an API a case uses: that case then counts as not clean)
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import shutil
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(tempfile.mkdtemp(prefix="wb-hostile-"))
os.environ["WORKBENCH_HOME"] = str(ROOT / "home")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "core"))

from workbench.cli import run as cli_run  # noqa: E402

Case = Callable[[], bool]
CASES: dict[str, list[tuple[str, Case]]] = {}


def case(category: str, name: str):
    def add(fn: Case) -> Case:
        CASES.setdefault(category, []).append((name, fn))
        return fn
    return add


def cli(*argv: str, want: tuple[int, ...] = (2,), seconds: float = 120.0,
        forbid: tuple[str, ...] = ()) -> bool:
    """Run a command in-process (on a thread, so a hang is a failure, not a stuck battery)."""
    out, err = io.StringIO(), io.StringIO()
    box: dict = {}

    def go() -> None:
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                box["code"] = cli_run(list(argv))
        except BaseException:  # noqa: BLE001 - a crash is what we count
            box["crash"] = traceback.format_exc()

    t = threading.Thread(target=go, daemon=True)
    t.start()
    t.join(seconds)
    text = out.getvalue() + err.getvalue()
    if t.is_alive() or "crash" in box or "Traceback" in text:
        return False
    if any(f in text for f in forbid):
        return False
    return box.get("code") in want and (box["code"] == 0 or bool(err.getvalue().strip()))


def spec_file(name: str, spec: dict) -> str:
    path = ROOT / f"{name}.json"
    path.write_text(json.dumps(spec))
    return str(path)


def chain_spec(name: str, first: dict, *rest: dict) -> dict:
    nodes = [first, *rest]
    return {"format_version": 2, "name": name, "nodes": nodes,
            "edges": [{"src": a["name"], "dst": b["name"]} for a, b in zip(nodes, nodes[1:], strict=False)]}


TINY = chain_spec("tiny", {"name": "input", "kind": "ImageInput",
                           "params": {"channels": 1, "height": 8, "width": 8}},
                  {"name": "flat", "kind": "Flatten", "params": {}},
                  {"name": "fc", "kind": "Linear", "params": {"out_features": 16}},
                  {"name": "head", "kind": "ClassificationHead", "params": {"classes": 10}})
_trained: dict[str, str] = {}


def trained_run() -> str:
    """A fresh copy of one trained run folder (digits, 2 epochs)."""
    if "run" not in _trained:
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            cli_run(["train", spec_file("tiny", TINY), "--data", "digits", "--epochs", "2",
                     "--device", "cpu", "--json"])
        _trained["run"] = json.loads(out.getvalue().strip().splitlines()[-1])["run_dir"]
    copy = ROOT / f"run-{time.monotonic_ns()}"
    shutil.copytree(_trained["run"], copy)
    info = json.loads((copy / "run.json").read_text())
    info["id"] = f"copy-{time.monotonic_ns()}"  # a run of its own in the history
    (copy / "run.json").write_text(json.dumps(info))
    return str(copy)


def bundle() -> Path:
    if "bundle" not in _trained:
        path = ROOT / "m.wbbundle"
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            cli_run(["export", trained_run(), "-f", "bundle", "-o", str(path)])
        _trained["bundle"] = str(path)
    return Path(_trained["bundle"])


def image() -> str:
    from PIL import Image

    path = ROOT / "x.png"
    if not path.exists():
        Image.fromarray(np.zeros((8, 8), np.uint8)).save(path)
    return str(path)


def truncate(run: str, which: str) -> None:
    with open(Path(run) / "checkpoints" / which / "model.safetensors", "r+b") as f:
        f.truncate(100)


# -- crash safety ------------------------------------------------------------------------
def _toy_trainer(run_dir: Path, epochs: int):
    from test_engine_toys import fast, features_data, mlp

    from workbench.core.engine import Trainer

    return Trainer(mlp(dropout=0), features_data(), fast(epochs=epochs), run_dir=run_dir)


def _resumes(run_dir: Path) -> bool:
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            return _toy_trainer(run_dir, 3).fit(resume=True).status == "finished"
    except Exception:  # noqa: BLE001
        return False


def _crash_then_resume(after: str) -> bool:
    from workbench.core.engine import checkpoint as ckpt

    run_dir = ROOT / f"crash-{after}-{time.monotonic_ns()}"
    with contextlib.redirect_stderr(io.StringIO()):
        _toy_trainer(run_dir, 1).fit()
    real = ckpt.torch.save if after == "weights" else ckpt.st_save
    calls = [0]

    def crash(*a, **k):
        calls[0] += 1
        raise OSError("simulated crash")

    target = "save" if after == "weights" else "st_save"
    owner = ckpt.torch if after == "weights" else ckpt
    setattr(owner, target, crash)
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            _toy_trainer(run_dir, 3).fit(resume=True)
    finally:
        setattr(owner, target, real)
    return _resumes(run_dir)


case("crash safety", "crash after the weights, before the state")(
    lambda: _crash_then_resume("weights"))
case("crash safety", "crash while writing the weights")(lambda: _crash_then_resume("st"))


@case("crash safety", "a torn pair from an older version resumes")
def _torn() -> bool:
    from workbench.core.engine import checkpoint as ckpt

    run_dir = ROOT / f"torn-{time.monotonic_ns()}"
    with contextlib.redirect_stderr(io.StringIO()):
        t = _toy_trainer(run_dir, 2)
        t.fit()
    (run_dir / "checkpoints" / "last" / ckpt.WEIGHTS).write_bytes(ckpt.weights_bytes(t.model, 999))
    return _resumes(run_dir)


@case("crash safety", "stale temp files and folders are removed on resume")
def _stale() -> bool:
    run_dir = ROOT / f"stale-{time.monotonic_ns()}"
    with contextlib.redirect_stderr(io.StringIO()):
        _toy_trainer(run_dir, 1).fit()
    ck = run_dir / "checkpoints"
    (ck / "last" / ".model.safetensors.abc.tmp").write_bytes(b"half")
    (ck / ".last.new-abcd").mkdir()
    return _resumes(run_dir) and sorted(p.name for p in ck.iterdir()) == ["best", "last"] \
        and not list((ck / "last").glob(".*"))


@case("crash safety", "a locked history loses no step rows")
def _locked() -> bool:
    from workbench.core.engine.events import RunEnded, RunStarted, StepMetrics
    from workbench.core.runs import RunRecord, RunRecorder, RunStore

    path = ROOT / f"locked-{time.monotonic_ns()}.sqlite"
    store = RunStore(path)
    record = RunRecord(id="r", run_dir=ROOT / "locked-run")
    store.add(record)
    rec = RunRecorder(ROOT / "locked-run", store, record)
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            rec.on_run_started(RunStarted({}, "cpu", 10, 2, 2, 100, 9, 9, "fp32", 0, 0))
            other = sqlite3.connect(path, isolation_level=None, timeout=0.1)
            other.execute("BEGIN IMMEDIATE")
            for i in range(1, 10):
                rec.on_step(StepMetrics(i, 0, i / 9, 1.0, 0.5, 1e-3, 100.0, 1.0))
            rec.flush()
            other.rollback()
            other.close()
            rec.on_run_ended(RunEnded("finished", "", 1, 9, 1.0))
    except Exception:  # noqa: BLE001
        return False
    finally:
        store.close()
    with RunStore(path) as s:
        return len(s.step_metrics("r")) == 9 and "Traceback" not in err.getvalue()


@case("crash safety", "a killed run shows as interrupted")
def _dead() -> bool:
    from test_engine_toys import fast, features_data, mlp

    from workbench.core.runs import RunStore, create_run

    with RunStore(ROOT / f"dead-{time.monotonic_ns()}.sqlite") as store:
        _, run_dir = create_run(mlp(), "toy", fast(), data=features_data(),
                                runs_dir=ROOT / "dead-runs", store=store)
        info = json.loads((run_dir / "run.json").read_text())
        p = subprocess.Popen([sys.executable, "-c", "pass"])
        p.wait()
        owner = info.get("owner") or {}
        info["owner"] = {**owner, "pid": p.pid, "host": owner.get("host", os.uname().nodename)}
        (run_dir / "run.json").write_text(json.dumps(info))
        return store.list_runs()[0].status == "interrupted"


# -- damaged checkpoints -----------------------------------------------------------------
def _damaged(which: tuple[str, ...], argv: Callable[[str], list[str]], want: tuple[int, ...]):
    def check() -> bool:
        run = trained_run()
        for w in which:
            truncate(run, w)
        return cli(*argv(run), want=want)
    return check


for _w, _want in ((("best",), (0,)), (("best", "last"), (2,))):
    _label = "+".join(_w)
    case("damaged checkpoints", f"evaluate, {_label} truncated")(
        _damaged(_w, lambda r: ["evaluate", r], _want))
    case("damaged checkpoints", f"predict, {_label} truncated")(
        _damaged(_w, lambda r: ["predict", r, image()], _want))
    case("damaged checkpoints", f"export, {_label} truncated")(
        _damaged(_w, lambda r: ["export", r, "-f", "bundle", "-o",
                                str(ROOT / f"e{time.monotonic_ns()}.wbbundle")], _want))
case("damaged checkpoints", "train --resume, last truncated (best sound)")(
    _damaged(("last",), lambda r: ["train", "--resume", r, "--epochs", "3"], (0,)))
case("damaged checkpoints", "train --resume, both truncated")(
    _damaged(("best", "last"), lambda r: ["train", "--resume", r, "--epochs", "3"], (2,)))


# -- hostile bundles ---------------------------------------------------------------------
def _flipped(seed: int, flips: int) -> Case:
    def check() -> bool:
        raw = bytearray(bundle().read_bytes())
        rng = random.Random(seed)
        for _ in range(flips):
            raw[rng.randrange(len(raw))] ^= 0xFF
        path = ROOT / f"flip{seed}.wbbundle"
        path.write_bytes(bytes(raw))
        return cli("predict", str(path), image(), want=(0, 2))
    return check


for _s in range(20):
    case("hostile bundles", f"{1 + _s * 10} random byte flips (seed {_s})")(_flipped(_s, 1 + _s * 10))
for _cut in (10, 100, 1000, 5000):
    def _trunc(cut: int = _cut) -> bool:
        path = ROOT / f"cut{cut}.wbbundle"
        path.write_bytes(bundle().read_bytes()[:cut])
        return cli("predict", str(path), image())
    case("hostile bundles", f"truncated to {_cut} bytes")(_trunc)


def _rewrite(name: str, change: Callable[[dict[str, bytes]], None]) -> Path:
    import hashlib

    with zipfile.ZipFile(bundle()) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    change(files)
    manifest = json.loads(files["manifest.json"])
    for n, data in files.items():
        if n != "manifest.json":
            manifest["files"][n] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    files["manifest.json"] = json.dumps(manifest).encode()
    path = ROOT / f"{name}.wbbundle"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in files.items():
            zf.writestr(n, data)
    return path


@case("hostile bundles", "zip bomb in the weights member")
def _bomb() -> bool:
    path = _rewrite("bomb", lambda f: f.__setitem__("weights.safetensors", bytes(64 << 20)))
    return cli("predict", str(path), image(), seconds=60)


@case("hostile bundles", "FIFO spec.json in an unzipped bundle")
def _fifo() -> bool:
    folder = ROOT / "fifo-bundle"
    folder.mkdir()
    with zipfile.ZipFile(bundle()) as zf:
        zf.extractall(folder)
    (folder / "spec.json").unlink()
    os.mkfifo(folder / "spec.json")
    return cli("predict", str(folder), image(), seconds=30)


for _name, _meta in (("3 channels for a 1-channel model", {"sample_shape": [3, 8, 8]}),
                     ("a wrong length", {"sample_shape": [1, 8, 9]}),
                     ("a features kind for an image model", {"kind": "features", "sample_shape": [64]}),
                     ("std 0", {"std": [0.0]})):
    def _meta_case(meta: dict = _meta, name: str = _name) -> bool:
        def change(files: dict[str, bytes]) -> None:
            files["meta.json"] = json.dumps({**json.loads(files["meta.json"]), **meta}).encode()
        path = _rewrite(f"meta{abs(hash(name))}", change)
        return cli("predict", str(path), image())
    case("hostile bundles", f"meta.json with {_name}")(_meta_case)


# -- absurd sizes ------------------------------------------------------------------------
_HUGE = [("a 4 TB Linear", chain_spec(
    "huge", {"name": "input", "kind": "FeatureInput", "params": {"features": 1000000}},
    {"name": "fc", "kind": "Linear", "params": {"out_features": 1000000}},
    {"name": "head", "kind": "ClassificationHead", "params": {"classes": 10}})),
    ("10^6 channels", chain_spec(
        "wide", {"name": "input", "kind": "ImageInput", "params": {"channels": 1, "height": 8, "width": 8}},
        {"name": "conv", "kind": "Conv2d", "params": {"out_channels": 1000000, "kernel_size": 3}},
        {"name": "conv2", "kind": "Conv2d", "params": {"out_channels": 100000, "kernel_size": 3}},
        {"name": "flat", "kind": "Flatten", "params": {}},
        {"name": "head", "kind": "ClassificationHead", "params": {"classes": 10}})),
    ("a 64x4096x4096 input", chain_spec(
        "big", {"name": "input", "kind": "ImageInput", "params": {"channels": 64, "height": 4096, "width": 4096}},
        {"name": "conv", "kind": "Conv2d", "params": {"out_channels": 64, "kernel_size": 3}},
        {"name": "pool", "kind": "GlobalAvgPool2d", "params": {}},
        {"name": "head", "kind": "ClassificationHead", "params": {"classes": 10}}))]
for _name, _spec in _HUGE:
    case("absurd sizes", f"export --untrained, {_name}")(
        lambda s=_spec: cli("export", spec_file(s["name"], s), "--untrained", "-f", "bundle",
                            "-o", str(ROOT / f"{s['name']}.wbbundle"), want=(1, 2)))
    case("absurd sizes", f"train, {_name}")(
        lambda s=_spec: cli("train", spec_file(s["name"], s), "--data", "digits",
                            "--epochs", "1", want=(1, 2)))


# -- text ----------------------------------------------------------------------------------
_HOSTILE_NAME = {**TINY, "name": "bad\udc80name \x1b[31mRED\x1b[0m\x1b]0;pwned\x07"}


def _strict_cli(*argv: str, want=(0,)) -> bool:
    """A command whose stdout is a strict UTF-8 stream; no escapes may come out."""
    buf = io.BytesIO()
    out = io.TextIOWrapper(buf, encoding="utf-8", errors="strict")
    err = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli_run(list(argv))
        out.flush()
    except Exception:  # noqa: BLE001
        return False
    text = buf.getvalue().decode("utf-8", "replace") + err.getvalue()
    return code in want and "Traceback" not in text and "\x1b" not in text


case("text", "inspect, a surrogate and escapes in the name")(
    lambda: _strict_cli("inspect", spec_file("hostile-name", _HOSTILE_NAME)))
case("text", "train, a surrogate and escapes in the name")(
    lambda: _strict_cli("train", spec_file("hostile-name", _HOSTILE_NAME), "--data", "digits",
                        "--epochs", "1"))
case("text", "export, a surrogate and escapes in the name")(
    lambda: _strict_cli("export", spec_file("hostile-name", _HOSTILE_NAME), "--untrained",
                        "-f", "bundle", "-o", str(ROOT / "hn.wbbundle")))


@case("text", "a loop message names the loop only")
def _loop() -> bool:
    from workbench.core.graph import ModelSpec, analyze

    spec = ModelSpec(name="loop")
    spec.add_node("FeatureInput", "input", {"features": 4})
    spec.add_node("Add", "merge")
    for n in ("b", "c", "d", "e"):
        spec.add_node("ReLU", n)
    spec.add_node("ClassificationHead", "head", {"classes": 2})
    for s, d, port in [("input", "merge", "in1"), ("merge", "b", "in"), ("b", "c", "in"),
                       ("c", "merge", "in2"), ("c", "d", "in"), ("d", "e", "in"),
                       ("e", "head", "in")]:
        spec.connect(s, d, port)
    msgs = [p.message for p in analyze(spec).problems if "loop" in p.message]
    return len(msgs) == 1 and "'d'" not in msgs[0] and "'e'" not in msgs[0]


# -- bad data ------------------------------------------------------------------------------
FEAT2 = chain_spec("f2", {"name": "input", "kind": "FeatureInput", "params": {"features": 2}},
                   {"name": "head", "kind": "ClassificationHead", "params": {"classes": 2}})


def _csv(name: str, text: str) -> str:
    path = ROOT / f"{name}.csv"
    path.write_text(text)
    return f"csv:{path}"


def _train_data(source: str, *extra: str, want=(2,), spec: dict = FEAT2) -> bool:
    return cli("train", spec_file(spec["name"], spec), "--data", source, "--epochs", "1",
               *extra, want=want)


case("bad data", "a CSV of only commas")(lambda: _train_data(_csv("commas", ",,,,\n,,,,\n")))
case("bad data", "a CSV cell over the field limit")(lambda: _train_data(
    _csv("big", "a,b,label\n1," + "x" * 200_000 + ",0\n2,3,1\n")))
case("bad data", "an empty label cell")(lambda: _train_data(_csv(
    "emptylabel", "a,b,label\n" + "".join(f"{i},{i},{'' if i == 3 else i % 2}\n"
                                          for i in range(30)))))


def _idx(name: str, dims: tuple[int, ...], payload: bytes, labels: bytes, code: int = 8) -> str:
    folder = ROOT / name
    folder.mkdir(exist_ok=True)
    (folder / "train-images-idx3-ubyte").write_bytes(
        struct.pack(">BBBB", 0, 0, 8, len(dims)) + struct.pack(f">{len(dims)}I", *dims) + payload)
    (folder / "train-labels-idx1-ubyte").write_bytes(
        struct.pack(">BBBBI", 0, 0, code, 1, len(labels)) + labels)
    return f"idx:{folder}"


IMG8 = {**TINY, "name": "img8"}
case("bad data", "IDX dimensions whose product overflows")(lambda: _train_data(
    _idx("idxovf", (2**32 - 1,) * 3, bytes(100), b"\x00\x01"), spec=IMG8))
case("bad data", "negative labels (IDX, signed)")(lambda: _train_data(
    _idx("idxneg", (30, 8, 8), bytes(30 * 64),
         np.array([(-1 if i % 3 == 0 else i % 3) for i in range(30)], "i1").tobytes(), 0x09),
    spec=IMG8))
for _opt in ("train_size=abc", "train_size=1.5"):
    case("bad data", f"--data-option {_opt}")(lambda o=_opt: _train_data(
        _idx("idxok", (30, 8, 8), bytes(30 * 64), bytes(i % 3 for i in range(30))),
        "--data-option", o, spec=IMG8))


def _folder(name: str) -> Path:
    from PIL import Image

    root = ROOT / name
    for c, v in (("a", 0), ("b", 120)):
        (root / c).mkdir(parents=True, exist_ok=True)
        for i in range(6):
            Image.fromarray(np.full((8, 8), v + 10 * i, np.uint8)).save(root / c / f"{i}.png")
    return root


case("bad data", "--data-option image_size=abc")(lambda: _train_data(
    f"folder:{_folder('imgs')}", "--data-option", "image_size=abc", spec=IMG8))
for _seed in ("-1", str(2**64 + 5)):
    case("bad data", f"--seed {_seed}")(lambda s=_seed: _train_data("digits", "--seed", s, spec=IMG8))


@case("bad data", "a symlink loop in a class folder duplicates nothing")
def _symlink_loop() -> bool:
    from workbench.core.data import load_source

    root = _folder("loop")
    os.symlink(root / "a", root / "a" / "again")
    try:
        data = load_source(f"folder:{root}")
    except Exception:  # noqa: BLE001
        return False
    return sum(len(s) for s in data.splits.values()) == 12


@case("bad data", "skipped unreadable files printed and recorded")
def _skipped() -> bool:
    root = _folder("skip")
    (root / "a" / "broken.png").write_bytes(b"not an image")
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli_run(["train", spec_file("img8", IMG8), "--data", f"folder:{root}",
                            "--epochs", "1", "--json"])
        run_dir = Path(json.loads(out.getvalue().strip().splitlines()[-1])["run_dir"])
        meta = json.loads((run_dir / "data.json").read_text())
    except Exception:  # noqa: BLE001
        return False
    return code == 0 and "broken.png" in err.getvalue() and meta.get("skipped") == 1


# -- settings and divergence -----------------------------------------------------------------
for _flag in (("--warmup", "-5"), ("--grad-clip", "-1"), ("--patience", "-1"),
              ("--weight-decay", "nan"), ("--lr", "inf")):
    case("settings and divergence", " ".join(_flag))(
        lambda f=_flag: _train_data("digits", *f, spec=IMG8))
case("settings and divergence", "--lr 1e6 stops with a divergence warning")(
    lambda: cli("train", spec_file("img8", IMG8), "--data", "digits", "--epochs", "2",
                "--lr", "1e6", want=(1,)) )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--category")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true", help="name the cases that fail")
    args = parser.parse_args()
    import workbench

    print(f"workbench from {Path(workbench.__file__).parent}", file=sys.stderr)
    results = {}
    for category, cases in CASES.items():
        if args.category and args.category != category:
            continue
        clean, failed = 0, []
        for name, fn in cases:
            try:
                ok = bool(fn())
            except Exception:  # noqa: BLE001 - a case that cannot even run is not clean
                ok = False
            clean += ok
            if not ok:
                failed.append(name)
        results[category] = {"tried": len(cases), "clean": clean, "failed": failed}
        print(f"{category:26s} {clean:3d} / {len(cases):3d} clean"
              + (f"   not clean: {'; '.join(failed)}" if failed and args.verbose else ""),
              file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps(results))
    shutil.rmtree(ROOT, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
