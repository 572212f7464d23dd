"""``workbench doctor``: what this computer lacks for Workbench, and the commands that fix it
(the same checks the app runs at its first start; see workbench.platform_checks)."""

from __future__ import annotations

import argparse

from workbench import platform_checks as pc


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("doctor", help="check the display libraries, the GPU and fonts",
                       description="Check what the desktop app needs from this computer: the "
                                   "libraries Qt needs to open a window, a GPU PyTorch can use, "
                                   "a font for the Chinese interface. Prints how to fix what is "
                                   "missing; exit status 1 if something is.")
    p.set_defaults(func=doctor_command)


def doctor_command(args: argparse.Namespace) -> int:
    platform = pc.qt_platform()
    window = pc.display_problems()
    gpu = pc.gpu_problems()
    fonts = pc.fontconfig_cjk_families()
    chinese = pc.cjk_font_problems(fonts)
    lines = [
        ("Window", f"Qt platform '{platform or 'native'}': "
                   + ("cannot open a window" if window else "ok"
                      if platform in ("xcb", "", "wayland") else "not checked")),
        ("GPU", _gpu_line() if not gpu else "an NVIDIA driver PyTorch cannot use"),
        ("Chinese fonts", "fc-list not found: not checked" if fonts is None else
         ", ".join(fonts[:3]) + (" …" if len(fonts) > 3 else "") if fonts else "none"),
    ]
    for key, text in lines:
        print(f"{key + ':':<15}{text}")
    problems = window + gpu
    if problems or chinese:
        print()
        print(pc.report(problems + chinese))
    return 1 if problems else 0  # fonts matter only to the Chinese interface


def _gpu_line() -> str:
    from workbench.core.engine import detect_devices

    best = detect_devices()[0]
    return f"{best.id} ({best.label})" + ("" if best.kind != "cpu" else ": no GPU found, "
                                          "training runs on the CPU")
