"""Who runs a run: the owner process (pid, host, start time) written into ``run.json`` when
training starts, so that a run whose process died (killed, crashed, power cut) shows as
``interrupted`` instead of ``running`` forever. The start time tells a reused pid apart."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from typing import Any


def _start_ticks(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (Linux), else None."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return int(f.read().rsplit(")", 1)[1].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def this_owner() -> dict[str, Any]:
    return {"pid": os.getpid(), "host": socket.gethostname(), "started": _start_ticks(os.getpid())}


def _pid_exists(pid: int) -> bool | None:
    if sys.platform == "win32":  # os.kill would terminate it: ask the kernel instead
        import ctypes

        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        try:
            ok = kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        finally:
            kernel.CloseHandle(handle)
        return None if not ok else code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process with that pid
        return True
    except OSError:
        return None
    return True


def owner_alive(owner: Any) -> bool | None:
    """True / False when it can be told from this machine; None when not (another host, no
    owner recorded by an older version)."""
    if not isinstance(owner, dict):
        return None
    try:
        pid = int(owner["pid"])
    except (KeyError, TypeError, ValueError):
        return None
    if owner.get("host") != socket.gethostname() or pid <= 0:
        return None
    exists = _pid_exists(pid)
    if exists is not True:
        return exists
    started, now = owner.get("started"), _start_ticks(pid)
    if started is not None and now is not None and int(started) != now:
        return False  # the pid was reused by a later process
    return True


def read_owner(run_dir: Path) -> Any:
    import json

    try:
        return json.loads((Path(run_dir) / "run.json").read_text(encoding="utf-8")).get("owner")
    except (OSError, ValueError, AttributeError):
        return None
