"""Build the one-folder desktop app with PyInstaller.

    uv run python packaging/build.py [--dist DIR] [--keep-work]

makes DIR/workbench/ (default dist/workbench/): the ``workbench`` executable (the same
command as the installed one: the GUI, or ``workbench train ...``), its Python, PyTorch, Qt,
the templates, icons and compiled translations. Copy the folder anywhere and run it; no
source tree, Python or uv needed. On Linux the folder also holds share/applications and
share/icons and ``install-desktop-entry.sh``, which adds Workbench to the desktop's menu.

PyInstaller does not cross-compile: run this on each of Linux, Windows and macOS (on macOS
it also makes dist/Workbench.app). It takes several minutes; packaging/smoke.py checks the
result.
"""

from __future__ import annotations

import argparse
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from sizes import fmt_size, folder_size  # noqa: E402


def compile_translations(out: Path) -> list[Path]:
    """resources/translations/*.ts -> out/*.qm with Qt's lrelease (shipped by PySide6)."""
    from workbench.ui.i18n import compile_ts, translations_source_dir

    out.mkdir(parents=True, exist_ok=True)
    made = []
    for ts in sorted(translations_source_dir().glob("*.ts")):
        made.append(compile_ts(ts, out / f"{ts.stem}.qm"))
    return made


def check_icons() -> None:
    import icons

    icons.main(["--check"]) == 0 or icons.main([])  # re-render PNGs that drifted from the SVG


def add_desktop_files(app_dir: Path) -> None:
    """share/applications/workbench.desktop and the hicolor icons, plus a script that
    installs them for the user with Exec pointing at this folder."""
    import icons

    apps = app_dir / "share" / "applications"
    apps.mkdir(parents=True, exist_ok=True)
    shutil.copy2(HERE / "linux" / "workbench.desktop", apps / "workbench.desktop")
    for size in icons.SIZES:
        dest = app_dir / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copy2(icons.png_path(size), dest / "workbench.png")
    scalable = app_dir / "share" / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copy2(icons.SOURCE, scalable / "workbench.svg")
    script = app_dir / "install-desktop-entry.sh"
    shutil.copy2(HERE / "linux" / "install-desktop-entry.sh", script)
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist",
                        help="where the app folder goes (default: dist/)")
    parser.add_argument("--keep-work", action="store_true",
                        help="keep build/pyinstaller (PyInstaller's cache) for a faster rebuild")
    args = parser.parse_args(argv)
    started = time.monotonic()
    work = ROOT / "build" / "pyinstaller"
    qm_dir = ROOT / "build" / "translations"

    check_icons()
    qms = compile_translations(qm_dir)
    print(f"build: {len(qms)} translation(s) compiled", flush=True)

    env = dict(os.environ, WORKBENCH_QM_DIR=str(qm_dir))
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(args.dist), "--workpath", str(work),
           str(HERE / "workbench.spec")]
    if not args.keep_work:
        cmd.insert(3, "--clean")
    print("build: " + " ".join(cmd), flush=True)
    result = subprocess.run(cmd, env=env, cwd=ROOT)
    if result.returncode != 0:
        print(f"build: PyInstaller failed (exit {result.returncode})", file=sys.stderr)
        return result.returncode
    app_dir = args.dist / "workbench"
    if sys.platform.startswith("linux"):
        add_desktop_files(app_dir)
    minutes = (time.monotonic() - started) / 60
    print(f"build: {app_dir} ({fmt_size(folder_size(app_dir))}) in {minutes:.1f} min")
    print(f"build: check it with: uv run python packaging/smoke.py {app_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
