"""First-run checks: missing Qt libraries, an unusable GPU driver, no Chinese font. This
machine has all of them, so each test pretends something is missing (a fake ldd, driver,
font list or /etc/os-release)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workbench import platform_checks as pc

DEBIAN = {"ID": "debian", "VERSION_ID": "12"}
UBUNTU = {"ID": "ubuntu", "ID_LIKE": "debian"}
FEDORA = {"ID": "fedora"}
ARCH = {"ID": "arch"}
X11 = {"DISPLAY": ":0"}

LDD_MISSING = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /opt/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f76)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f76)
"""
LDD_OK = "\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f76)\n"


def fake_ldd(output: str):
    calls: list[list[str]] = []

    def run(cmd: list[str]) -> str:
        calls.append(cmd)
        assert cmd[0] == "ldd"
        return output

    run.calls = calls  # type: ignore[attr-defined]
    return run


def test_ldd_output_parsed_to_missing_sonames_once_each():
    assert pc.parse_ldd(LDD_MISSING) == ["libxcb-cursor.so.0", "libxcb-icccm.so.4",
                                         "libxcb-keysyms.so.1"]
    assert pc.parse_ldd(LDD_OK) == []


@pytest.mark.parametrize("release, command", [
    (DEBIAN, "sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1"),
    (UBUNTU, "sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1"),
    (FEDORA, "sudo dnf install xcb-util-cursor xcb-util-wm xcb-util-keysyms"),
    (ARCH, "sudo pacman -S --needed xcb-util-cursor xcb-util-wm xcb-util-keysyms"),
])
def test_missing_xcb_libraries_give_the_exact_install_command(release, command, tmp_path):
    run = fake_ldd(LDD_MISSING)
    plugin = tmp_path / "libqxcb.so"
    problems = pc.display_problems(env=X11, platform="linux", plugin=plugin, run=run,
                                   os_release=release)
    assert run.calls == [["ldd", str(plugin)]]
    [p] = problems
    assert p.fatal and p.key == "qt-libraries"
    assert p.command == command
    assert "libxcb-cursor.so.0, libxcb-icccm.so.4, libxcb-keysyms.so.1" in p.detail
    assert command in p.text()


def test_unknown_distribution_gets_debian_command_and_the_others():
    problems = pc.display_problems(env=X11, platform="linux", plugin=Path("x"),
                                   run=fake_ldd(LDD_MISSING), os_release={"ID": "plan9"})
    [p] = problems
    assert p.command.startswith("sudo apt install libxcb-cursor0")
    assert "sudo dnf install xcb-util-cursor" in p.elsewhere
    assert "sudo pacman -S --needed xcb-util-cursor" in p.elsewhere
    text = p.text()
    assert text.index(p.command) < text.index(p.elsewhere)


def test_a_library_outside_the_table_is_still_named():
    ldd = "\tlibxcb-cursor.so.0 => not found\n\tlibfancy.so.3 => not found\n"
    [p] = pc.display_problems(env=X11, platform="linux", plugin=Path("x"), run=fake_ldd(ldd),
                              os_release=DEBIAN)
    assert p.command == "sudo apt install libxcb-cursor0"
    assert "libfancy.so.3" in p.detail


def test_without_ldd_the_known_libraries_are_dlopened():
    def no_ldd(cmd):
        raise FileNotFoundError("ldd")

    seen: list[list[str]] = []

    def dlopen_missing(names):
        seen.append(names)
        return ["libxcb-cursor.so.0"]

    [p] = pc.display_problems(env=X11, platform="linux", plugin=Path("x"), run=no_ldd,
                              os_release=FEDORA, dlopen_missing=dlopen_missing)
    assert "libxcb-cursor.so.0" in seen[0]
    assert p.command == "sudo dnf install xcb-util-cursor"


def connected(_display: str) -> str:
    return ""


def test_all_libraries_present_and_a_display_means_no_problem():
    assert pc.display_problems(env=X11, platform="linux", plugin=Path("x"),
                               run=fake_ldd(LDD_OK), os_release=DEBIAN, connect=connected) == []


def test_a_display_that_refuses_the_connection_is_one_fatal_problem():
    [p] = pc.display_problems(env=X11, platform="linux", plugin=Path("x"), run=fake_ldd(LDD_OK),
                              os_release=DEBIAN, connect=lambda d: "connection refused")
    assert p.fatal and ":0" in p.title and "XAUTHORITY" in p.detail


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="libxcb is Linux's")
def test_libxcb_reports_an_unreachable_display():
    assert pc.xcb_connect_error(":4711") != ""  # no X server there


def test_no_display_is_one_clear_fatal_problem():
    [p] = pc.display_problems(env={}, platform="linux", plugin=Path("x"),
                              run=fake_ldd(LDD_OK), os_release=DEBIAN)
    assert p.fatal and p.key == "no-display"
    assert "DISPLAY" in p.title and "offscreen" in p.detail


@pytest.mark.parametrize("env, platform, expected", [
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux", "offscreen"),
    ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", "wayland"),
    ({"QT_QPA_PLATFORM": "xcb:nograb"}, "linux", "xcb"),
    ({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}, "linux", "wayland"),
    ({"XDG_SESSION_TYPE": "x11", "DISPLAY": ":0"}, "linux", "xcb"),
    ({}, "win32", ""),
    ({}, "darwin", ""),
])
def test_the_platform_qt_will_try_first(env, platform, expected):
    assert pc.qt_platform(env, platform) == expected


@pytest.mark.parametrize("env, platform", [
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux"),
    ({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}, "linux"),
    ({}, "win32"),
])
def test_platforms_other_than_xcb_are_not_checked(env, platform):
    def must_not_run(cmd):
        raise AssertionError(f"ran {cmd}")

    assert pc.display_problems(env=env, platform=platform, plugin=Path("x"),
                               run=must_not_run) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's xcb plugin")
def test_the_real_plugin_is_found_and_ldd_runs_on_it():
    plugin = pc.xcb_plugin()
    assert plugin is not None and plugin.name == "libqxcb.so"
    assert isinstance(pc.missing_qt_libraries(plugin), list)  # this machine has them all


@pytest.mark.parametrize("release, family", [
    (DEBIAN, "debian"), (UBUNTU, "debian"), ({"ID": "pop", "ID_LIKE": "ubuntu debian"}, "debian"),
    (FEDORA, "fedora"), ({"ID": "rocky", "ID_LIKE": "rhel centos fedora"}, "fedora"),
    (ARCH, "arch"), ({"ID": "manjaro", "ID_LIKE": "arch"}, "arch"), ({}, None),
])
def test_distribution_family_from_os_release(release, family):
    assert pc.distro_family(release) == family


def test_os_release_file_is_parsed(tmp_path):
    f = tmp_path / "os-release"
    f.write_text('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n# comment\n')
    assert pc.distro_family(pc.read_os_release(f)) == "debian"
    assert pc.read_os_release(tmp_path / "missing") == {}


# -- GPU ---------------------------------------------------------------------------------------
def test_driver_but_cuda_unavailable_says_why_and_what_to_do():
    said = "CUDA initialization: The NVIDIA driver on your system is too old (found version 11040)."
    [p] = pc.gpu_problems(driver_present=True, status=lambda: (False, "12.8", said),
                          smi=lambda: "NVIDIA GeForce RTX 3060, driver 470.256.02",
                          torch_version="2.9.0+cu128")
    assert p.key == "gpu-driver" and not p.fatal
    assert "too old" in p.detail and "CUDA 12.8" in p.detail
    assert "RTX 3060, driver 470.256.02" in p.detail


def test_cpu_only_torch_with_a_driver_says_to_install_a_cuda_build():
    [p] = pc.gpu_problems(driver_present=True, status=lambda: (False, None, ""),
                          smi=lambda: "NVIDIA A10", torch_version="2.9.0+cpu")
    assert "built without CUDA" in p.detail and "2.9.0+cpu" in p.detail


def test_no_driver_or_a_working_gpu_is_no_problem():
    def must_not_ask():
        raise AssertionError("asked torch")

    assert pc.gpu_problems(driver_present=False, status=must_not_ask) == []
    assert pc.gpu_problems(driver_present=True, status=lambda: (True, "12.8", "")) == []


def test_driver_presence_from_nvidia_smi_or_proc():
    assert pc.nvidia_driver_present(which=lambda _n: "/usr/bin/nvidia-smi", exists=lambda _p: False)
    assert pc.nvidia_driver_present(which=lambda _n: None,
                                    exists=lambda p: p == "/proc/driver/nvidia/version")
    assert not pc.nvidia_driver_present(which=lambda _n: None, exists=lambda _p: False)


def test_nvidia_smi_summary_and_its_failure():
    ok = pc.nvidia_smi_summary(run=lambda cmd: "NVIDIA GeForce RTX 3060, 535.183.01\n")
    assert ok == "NVIDIA GeForce RTX 3060, driver 535.183.01"
    failed = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."
    assert pc.nvidia_smi_summary(run=lambda cmd: failed) == failed

    def missing(cmd):
        raise FileNotFoundError("nvidia-smi")

    assert "could not run" in pc.nvidia_smi_summary(run=missing)


def test_real_cuda_status_answers():
    available, built_for, _said = pc.cuda_status()
    assert isinstance(available, bool)
    assert built_for is None or isinstance(built_for, str)


# -- fonts -------------------------------------------------------------------------------------
@pytest.mark.parametrize("release, command", [
    (DEBIAN, "sudo apt install fonts-noto-cjk"),
    (FEDORA, "sudo dnf install google-noto-sans-cjk-fonts"),
    (ARCH, "sudo pacman -S --needed noto-fonts-cjk"),
])
def test_no_cjk_font_names_the_package(release, command):
    [p] = pc.cjk_font_problems([], platform="linux", os_release=release)
    assert p.key == "cjk-font" and p.command == command


def test_a_cjk_font_or_an_unknown_answer_is_no_problem():
    assert pc.cjk_font_problems(["Noto Sans CJK SC"], platform="linux", os_release=DEBIAN) == []
    assert pc.cjk_font_problems(None, platform="linux", os_release=DEBIAN) == []


def test_fontconfig_families_parsed_and_fc_list_absent():
    out = "Noto Sans CJK SC,Noto Sans CJK SC Regular\nWenQuanYi Micro Hei\n"
    assert pc.fontconfig_cjk_families(run=lambda cmd: out) == [
        "Noto Sans CJK SC", "Noto Sans CJK SC Regular", "WenQuanYi Micro Hei"]

    def missing(cmd):
        raise subprocess.TimeoutExpired(cmd, 20)

    assert pc.fontconfig_cjk_families(run=missing) is None
