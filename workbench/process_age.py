"""How long this process has existed: for honest startup timings (the app's startup trace and
the responsiveness benchmark count from the interpreter's start, not from some import)."""

from __future__ import annotations

import os


def process_age() -> float | None:
    """Seconds since this process started (Linux /proc), else None."""
    try:
        with open("/proc/self/stat") as f:
            start_ticks = float(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None
