"""Check a desktop build the way a user's machine would run it.

    uv run python packaging/smoke.py [APP_DIR] [--copy] [--keep]

APP_DIR (default dist/workbench) is first copied out of the source tree (hard links when it
is on the same disk; ``--copy`` for a real copy), then run there with a bare environment (no
uv, no virtual environment, no PYTHONPATH, a fresh HOME, the working folder elsewhere):

1. ``workbench --screenshot`` offscreen: the window opens the default template (the Model
   tab, then the Data tab on the built-in digits); each PNG must have the asked size and be
   more than a blank window. Under strace (when it is installed), the first run may open no
   file of the source tree or uv's cache.
2. ``workbench inspect`` and a one-epoch ``workbench train`` on the built-in digits, then
   ``workbench export --format pytorch`` of that run (code export reads sources at run time).
3. On Linux, ``install-desktop-entry.sh`` into the fresh HOME: the .desktop entry's Exec is
   the moved executable and the icons are in the hicolor theme.

Prints each step's time, the folder's size and its biggest parts; exit 1 on any failure.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from sizes import biggest_parts, fmt_size, folder_size  # noqa: E402

SIZE = (1280, 800)
TIMEOUT = 300  # seconds for one step: torch's first import from a cold disk is slow


def copy_app(src: Path, dest: Path, real_copy: bool) -> Path:
    def link_or_copy(a: str, b: str) -> object:
        if not real_copy:
            try:
                os.link(a, b)
                return b
            except OSError:
                pass
        return shutil.copy2(a, b)

    target = dest / src.name
    shutil.copytree(src, target, symlinks=True, copy_function=link_or_copy)
    return target


def bare_env(home: Path) -> dict[str, str]:
    """What a desktop session would give the app, minus anything pointing at the tree."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
           "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_CACHE_HOME": str(home / ".cache"), "XDG_DATA_HOME": str(home / ".local/share"),
           "WORKBENCH_HOME": str(home / "workbench"), "TMPDIR": str(home / "tmp")}
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    return env


def run(step: str, cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[bool, str, float]:
    started = time.monotonic()
    try:
        done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True,
                              timeout=TIMEOUT)
        out, ok = done.stdout + done.stderr, done.returncode == 0
        if not ok:
            out += f"\n(exit {done.returncode})"
    except subprocess.TimeoutExpired as e:
        out, ok = f"{e.stdout or ''}{e.stderr or ''}\n(timed out after {TIMEOUT} s)", False
    seconds = time.monotonic() - started
    print(f"smoke: {step}: {'ok' if ok else 'FAILED'} ({seconds:.1f} s)", flush=True)
    if not ok:
        print(_tail(out), file=sys.stderr)
    return ok, out, seconds


def _tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def check_png(path: Path) -> str:
    """'' when ``path`` is a PNG of SIZE with a real picture in it, else what is wrong."""
    from PIL import Image

    if not path.is_file():
        return f"no screenshot was written to {path}"
    with Image.open(path) as image:
        if image.size != SIZE:
            return f"the screenshot is {image.size}, not {SIZE}"
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    if colours is not None and len(colours) < 50:
        return f"the screenshot has only {len(colours)} colours: an empty window?"
    return ""


def tree_files_opened(trace: Path) -> list[str]:
    """Files under the source tree, its .venv or uv's cache that the traced run opened."""
    roots = [str(ROOT), str(Path.home() / ".cache" / "uv")]
    opened = re.compile(r'open(?:at)?\((?:[^,]*, )?"([^"]+)".*\) = \d+')
    hits = []
    for line in trace.read_text(errors="replace").splitlines():
        m = opened.search(line)
        if m and any(m.group(1).startswith(r) for r in roots):
            hits.append(m.group(1))
    return sorted(set(hits))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("app", nargs="?", type=Path, default=ROOT / "dist" / "workbench")
    parser.add_argument("--copy", action="store_true", help="copy the files instead of "
                        "hard-linking them (slower, needs the space)")
    parser.add_argument("--keep", action="store_true", help="keep the copy and its outputs")
    parser.add_argument("--no-strace", action="store_true", help="skip the file-access trace")
    args = parser.parse_args(argv)
    app = args.app.resolve()
    exe = app / ("workbench.exe" if sys.platform == "win32" else "workbench")
    if not exe.is_file():
        print(f"smoke: {exe} is not there: build first (uv run python packaging/build.py)",
              file=sys.stderr)
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="workbench-smoke-"))
    failures: list[str] = []
    try:
        started = time.monotonic()
        moved = copy_app(app, scratch / "elsewhere", args.copy)
        print(f"smoke: copied to {moved} ({time.monotonic() - started:.1f} s)")
        exe = moved / exe.name
        home = scratch / "home"
        env = bare_env(home)
        work = scratch / "cwd"
        work.mkdir()

        png = work / "window.png"
        cmd = [str(exe), "--screenshot", str(png), "--screenshot-size", f"{SIZE[0]}x{SIZE[1]}"]
        trace = scratch / "strace.log"
        strace = shutil.which("strace") if not args.no_strace and sys.platform == "linux" else None
        if strace:
            cmd = [strace, "-f", "-qq", "-e", "trace=open,openat", "-o", str(trace), *cmd]
        ok, _out, _s = run("window screenshot (default template, built-in digits)", cmd, env, work)
        problem = check_png(png) if ok else "the app did not start"
        if problem:
            failures.append(f"screenshot: {problem}")
        else:
            shutil.copy2(png, scratch / "window.png")
            print(f"smoke: screenshot {SIZE[0]}x{SIZE[1]} ok")
        if strace and ok:
            hits = tree_files_opened(trace)
            if hits:
                failures.append("the build opened files of the source tree: " + ", ".join(hits[:5]))
            else:
                print("smoke: the app opened no file of the source tree or uv's cache")

        png = work / "data.png"
        ok, _out, _s = run("Data tab screenshot", [str(exe), "--screenshot", str(png),
                           "--screenshot-view", "data", "--screenshot-size",
                           f"{SIZE[0]}x{SIZE[1]}"], env, work)
        problem = check_png(png) if ok else "the app did not start"
        if problem:
            failures.append(f"data screenshot: {problem}")
        else:
            shutil.copy2(png, scratch / "data.png")

        ok, out, _s = run("workbench inspect cnn_mnist", [str(exe), "inspect", "cnn_mnist"],
                          env, work)
        if not ok:
            failures.append("inspect failed")
        runs = work / "runs"
        ok, out, _s = run("workbench train mlp --data digits28 --epochs 1",
                          [str(exe), "train", "mlp", "--data", "digits28", "--epochs", "1",
                           "--runs-dir", str(runs)], env, work)
        if not ok:
            failures.append("train failed")
        run_dirs = sorted(p for p in runs.glob("*") if p.is_dir()) if runs.is_dir() else []
        if ok and run_dirs:
            project = work / "project"
            ok, out, _s = run("workbench export --format pytorch",
                              [str(exe), "export", str(run_dirs[-1]), "--format", "pytorch",
                               "-o", str(project)], env, work)
            if not ok or not (project / "model.py").is_file():
                failures.append("export failed")
        elif ok:
            failures.append(f"train wrote no run folder under {runs}")
        script = moved / "install-desktop-entry.sh"
        if script.is_file():
            ok, _out, _s = run("install-desktop-entry.sh", ["/bin/sh", str(script)], env, work)
            entry = home / ".local/share/applications/workbench.desktop"
            icon = home / ".local/share/icons/hicolor/256x256/apps/workbench.png"
            if not (ok and entry.is_file() and f'Exec="{exe}"' in entry.read_text()
                    and icon.is_file()):
                failures.append("install-desktop-entry.sh did not install the entry and icons")
    finally:
        size = folder_size(app)
        print(f"smoke: {app} is {fmt_size(size)}; biggest parts:")
        for part, n in biggest_parts(app):
            print(f"    {fmt_size(n):>9}  {part}")
        if args.keep:
            print(f"smoke: kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    if failures:
        print("smoke: FAILED: " + "; ".join(failures), file=sys.stderr)
        return 1
    print("smoke: the desktop build works outside the source tree")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
