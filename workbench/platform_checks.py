"""What this computer lacks for Workbench, found before it bites, with the command that fixes it.

Qt-free and torch-free at import (the display check runs before QApplication exists, since
Qt's own answer to a missing library is an abort: "could not load the Qt platform plugin
xcb"). Each check returns ``Problem`` objects; the CLI prints them (``workbench doctor``),
the app prints a fatal one and exits 2, and the window shows the others once.

Every probe of the system (ldd, nvidia-smi, fc-list, /etc/os-release) goes through a
parameter so that tests can pretend a library, driver or font is missing.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

Runner = Callable[[list[str]], str]  # runs a command, returns its output; raises OSError


@dataclass(frozen=True)
class Problem:
    key: str  # stable id: "qt-libraries", "no-display", "gpu-driver", "cjk-font"
    title: str  # one line: what is wrong
    detail: str  # why it matters and how to fix it
    command: str = ""  # the exact command that fixes it on this system, when there is one
    fatal: bool = False  # the app cannot start
    elsewhere: str = ""  # the command on other Linux distributions

    def text(self) -> str:
        parts = [self.title, self.detail]
        if self.command:
            parts.append(f"Install with:\n    {self.command}")
        if self.elsewhere:
            parts.append(f"On other systems: {self.elsewhere}.")
        return "\n".join(p for p in parts if p)


# -- which Linux, and its package manager --------------------------------------------------------
FAMILIES = ("debian", "fedora", "arch")
_FAMILY_IDS = {
    "debian": {"debian", "ubuntu", "linuxmint", "pop", "elementary", "raspbian", "kali",
               "neon", "zorin"},
    "fedora": {"fedora", "rhel", "centos", "rocky", "almalinux", "ol", "amzn", "nobara"},
    "arch": {"arch", "manjaro", "endeavouros", "garuda", "artix"},
}
_INSTALL = {"debian": "sudo apt install {}", "fedora": "sudo dnf install {}",
            "arch": "sudo pacman -S --needed {}"}
_FAMILY_NAMES = {"debian": "Debian/Ubuntu", "fedora": "Fedora/RHEL", "arch": "Arch"}


def read_os_release(path: Path = Path("/etc/os-release")) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    out = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip():
            out[key.strip()] = value.strip().strip('"').strip("'")
    return out


def distro_family(os_release: Mapping[str, str]) -> str | None:
    """"debian", "fedora", "arch" from /etc/os-release's ID and ID_LIKE; None if unknown."""
    ids = [os_release.get("ID", "").lower(), *os_release.get("ID_LIKE", "").lower().split()]
    for family in FAMILIES:  # ID first, then ID_LIKE, as os-release(5) says
        if ids and ids[0] in _FAMILY_IDS[family]:
            return family
    for family in FAMILIES:
        if any(i in _FAMILY_IDS[family] for i in ids[1:]):
            return family
    return None


def install_commands(packages: Mapping[str, list[str]], family: str | None) -> tuple[str, str]:
    """(the command for this system, the others as one line). ``packages`` maps a family to
    its package names; with an unknown family the first is Debian's and the rest follow."""
    def command(fam: str) -> str:
        return _INSTALL[fam].format(" ".join(dict.fromkeys(packages[fam])))

    main = family if family in packages else "debian"
    others = "; ".join(f"{_FAMILY_NAMES[f]}: {command(f)}" for f in FAMILIES
                       if f != main and packages.get(f))
    return command(main), others


# -- Qt's platform plugin and the libraries it loads -------------------------------------------
# soname -> (Debian/Ubuntu, Fedora, Arch) package: what Qt 6's xcb plugin links against
XCB_LIBRARIES: dict[str, tuple[str, str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil",
                                "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util", "xcb-util"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon", "libxkbcommon"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb", "libx11"),
    "libX11.so.6": ("libx11-6", "libX11", "libx11"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl", "libglvnd"),
    "libGL.so.1": ("libgl1", "libglvnd-glx", "libglvnd"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl", "libglvnd"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype", "freetype2"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs", "dbus"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2", "glib2"),
}
# the three a fresh desktop most often lacks (Qt >= 6.5 needs xcb-cursor)
COMMON_XCB = ("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1")


def qt_platform(env: Mapping[str, str] | None = None, platform: str | None = None) -> str:
    """The platform plugin Qt will try first: QT_QPA_PLATFORM's first entry, else what Qt 6
    picks on Linux (wayland in a Wayland session, xcb otherwise); "" off Linux."""
    env = os.environ if env is None else env
    platform = platform or sys.platform
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return chosen.split(";")[0].split(":")[0].strip().lower()
    if not platform.startswith("linux"):
        return ""
    if env.get("XDG_SESSION_TYPE", "").lower() == "wayland" and env.get("WAYLAND_DISPLAY"):
        return "wayland"
    return "xcb"


def xcb_plugin() -> Path | None:
    """PySide6's libqxcb.so, found without importing PySide6 (or None if not there)."""
    spec = importlib.util.find_spec("PySide6")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        plugin = Path(folder) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def run_command(cmd: list[str]) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
    return done.stdout + done.stderr


_NOT_FOUND = re.compile(r"^\s*(\S+)\s*=>\s*not found", re.MULTILINE)


def parse_ldd(text: str) -> list[str]:
    """The libraries ldd reports as "not found" (each once, in order)."""
    return list(dict.fromkeys(_NOT_FOUND.findall(text)))


def _dlopen_missing(names: list[str]) -> list[str]:
    missing = []
    for name in names:
        try:
            ctypes.CDLL(name)
        except OSError:
            missing.append(name)
    return missing


def missing_qt_libraries(plugin: Path, run: Runner = run_command,
                         dlopen_missing: Callable[[list[str]], list[str]] = _dlopen_missing,
                         ) -> list[str]:
    """The shared libraries ``plugin`` needs that this system lacks: ldd's "not found"
    lines (what the dynamic loader will fail on), or, without ldd, the known xcb
    dependencies that cannot be loaded."""
    try:
        return parse_ldd(run(["ldd", str(plugin)]))
    except (OSError, subprocess.SubprocessError):
        return dlopen_missing(list(XCB_LIBRARIES))


def qt_libraries_problem(missing: list[str], family: str | None) -> Problem:
    known = [m for m in missing if m in XCB_LIBRARIES]
    unknown = [m for m in missing if m not in XCB_LIBRARIES]
    packages = {f: [XCB_LIBRARIES[m][i] for m in known] for i, f in enumerate(FAMILIES)}
    command, others = install_commands(packages, family) if known else ("", "")
    detail = ("Qt's X11 (xcb) platform plugin needs these system libraries to open a window: "
              f"{', '.join(missing)}.")
    if unknown:
        detail += f" Install the package that provides {', '.join(unknown)} as well."
    detail += (" Under Wayland, QT_QPA_PLATFORM=wayland may work without them; the command "
               "line (workbench --help) needs none of them.")
    return Problem("qt-libraries", "Workbench cannot open a window: system libraries are "
                   "missing.", detail, command, fatal=True, elsewhere=others)


def display_problems(env: Mapping[str, str] | None = None, platform: str | None = None,
                     plugin: Path | None = None, run: Runner = run_command,
                     os_release: Mapping[str, str] | None = None,
                     dlopen_missing: Callable[[list[str]], list[str]] = _dlopen_missing,
                     connect: Callable[[str], str] | None = None,
                     ) -> list[Problem]:
    """Why Qt would fail to open a window here; empty when it can (or when the platform is
    not xcb: offscreen, wayland, Windows and macOS need no check). ``connect(display)``
    says why the X server cannot be reached ('' when it can)."""
    connect = connect or xcb_connect_error
    env = os.environ if env is None else env
    if qt_platform(env, platform) != "xcb":
        return []
    plugin = plugin or xcb_plugin()
    if plugin is not None:
        missing = missing_qt_libraries(plugin, run, dlopen_missing)
        if missing:
            family = distro_family(read_os_release() if os_release is None else os_release)
            return [qt_libraries_problem(missing, family)]
    without = ("Without a display, use the command line (workbench --help), or "
               "QT_QPA_PLATFORM=offscreen with --screenshot.")
    if not env.get("DISPLAY"):
        return [Problem("no-display", "Workbench cannot open a window: there is no X display "
                        "(DISPLAY is not set).",
                        f"Start it from a desktop session (or over ssh -X). {without}",
                        fatal=True)]
    error = connect(env["DISPLAY"])
    if error:
        return [Problem("no-display", f"Workbench cannot open a window: it cannot connect to "
                        f"the X display {env['DISPLAY']} ({error}).",
                        "Check that the X server is running and that this user may use it "
                        "(XAUTHORITY, xhost; over ssh, ssh -X). " + without, fatal=True)]
    return []


_XCB_ERRORS = {1: "connection refused or not authorised", 2: "an X extension is missing",
               3: "out of memory", 4: "request too long", 5: "DISPLAY cannot be parsed",
               6: "no such screen", 7: "file descriptor passing failed"}


def xcb_connect_error(display: str) -> str:
    """'' when libxcb can connect to ``display`` (what Qt's xcb plugin does first), else
    why not. Also '' when libxcb itself cannot be loaded: the library check reports that."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return ""
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    conn = xcb.xcb_connect(display.encode(), None)
    try:
        code = xcb.xcb_connection_has_error(conn)
    finally:
        xcb.xcb_disconnect(conn)
    return _XCB_ERRORS.get(code, f"error {code}") if code else ""


# -- the GPU ----------------------------------------------------------------------------------
def nvidia_driver_present(which: Callable[[str], str | None] = shutil.which,
                          exists: Callable[[str], bool] = os.path.exists) -> bool:
    return bool(which("nvidia-smi")) or exists("/proc/driver/nvidia/version")


def nvidia_smi_summary(run: Runner = run_command) -> str:
    """"NVIDIA GeForce RTX 3060, driver 535.183.01", or what nvidia-smi said when it failed."""
    try:
        out = run(["nvidia-smi", "--query-gpu=name,driver_version", "--format=csv,noheader"])
    except (OSError, subprocess.SubprocessError) as e:
        return f"nvidia-smi could not run ({e})"
    line = out.strip().splitlines()[0] if out.strip() else ""
    name, sep, driver = line.rpartition(",")
    if sep and re.fullmatch(r"\s*[\d.]+\s*", driver):
        return f"{name.strip()}, driver {driver.strip()}"
    return line or "nvidia-smi printed nothing"


def cuda_status() -> tuple[bool, str | None, str]:
    """(torch can use CUDA, the CUDA version torch was built for, torch's warning text)."""
    import torch

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        available = bool(torch.cuda.is_available())
    said = " ".join(str(w.message) for w in caught).strip()
    return available, torch.version.cuda, said


def gpu_problems(driver_present: bool | None = None,
                 status: Callable[[], tuple[bool, str | None, str]] = cuda_status,
                 smi: Callable[[], str] = nvidia_smi_summary,
                 torch_version: str | None = None) -> list[Problem]:
    """An NVIDIA driver is installed but PyTorch cannot use the GPU: say why and what to do.
    Imports torch (call it off the GUI thread)."""
    if not (nvidia_driver_present() if driver_present is None else driver_present):
        return []
    available, built_for, said = status()
    if available:
        return []
    if torch_version is None:
        import torch

        torch_version = torch.__version__
    gpu = smi()
    if built_for is None:
        detail = (f"This PyTorch ({torch_version}) was built without CUDA, so training runs on "
                  f"the CPU. Found: {gpu}. Install a CUDA build of PyTorch (pytorch.org, "
                  "Get Started), or use a Workbench build made with one.")
    else:
        detail = (f"PyTorch {torch_version} is built for CUDA {built_for} but cannot use the "
                  f"GPU ({gpu}). {said + ' ' if said else ''}Install an NVIDIA driver that "
                  f"supports CUDA {built_for} (nvidia-smi's header shows the highest CUDA "
                  "version the driver supports), or reboot if one was just installed. "
                  "Training runs on the CPU until then.")
    return [Problem("gpu-driver", "There is an NVIDIA GPU, but PyTorch cannot use it.", detail)]


# -- fonts for Chinese ------------------------------------------------------------------------
CJK_FONT_PACKAGES = {"debian": ["fonts-noto-cjk"], "fedora": ["google-noto-sans-cjk-fonts"],
                     "arch": ["noto-fonts-cjk"]}


def fontconfig_cjk_families(run: Runner = run_command) -> list[str] | None:
    """Font families fontconfig has for Chinese; None when fc-list is not there."""
    try:
        out = run(["fc-list", ":lang=zh", "family"])
    except (OSError, subprocess.SubprocessError):
        return None
    return sorted({f.strip() for line in out.splitlines() for f in line.split(",") if f.strip()})


def cjk_font_problems(families: list[str] | None, platform: str | None = None,
                      os_release: Mapping[str, str] | None = None) -> list[Problem]:
    """No font can draw Chinese (``families``: those that can, from QFontDatabase or
    fontconfig; None = unknown, no problem claimed)."""
    if families is None or families:
        return []
    platform = platform or sys.platform
    if platform.startswith("linux"):
        family = distro_family(read_os_release() if os_release is None else os_release)
        command, others = install_commands(CJK_FONT_PACKAGES, family)
        detail = ("No installed font has Chinese characters, so the Chinese interface shows "
                  "empty boxes. Install Noto Sans CJK, then restart Workbench.")
    else:
        command = others = ""
        detail = ("No installed font has Chinese characters, so the Chinese interface shows "
                  "empty boxes. Add the system's Chinese language support, then restart "
                  "Workbench.")
    return [Problem("cjk-font", "No font for Chinese is installed.", detail, command,
                    elsewhere=others)]


def report(problems: list[Problem]) -> str:
    return "\n\n".join(p.text() for p in problems)
