"""Work-arounds for bugs in the Qt bindings, applied once when ``workbench.ui`` is imported
(before any Qt call)."""

from __future__ import annotations

import sys

_SINGLETONS_GUARDED = False


def keep_singletons_alive() -> None:
    """Work around a PySide6 6.12 reference-count bug on Python 3.11 (idempotent).

    PySide6 6.12 returns ``None`` from void methods and ``True`` from ``Signal.emit`` without
    taking a reference. From Python 3.12 on these objects are immortal and nothing happens;
    on 3.11 their counts drift down by one per call until the interpreter aborts with
    "none_dealloc: deallocating None" (or bool_dealloc) after some thousands of calls. Give
    them a reference count no session can exhaust (what 3.12 does by design).
    """
    global _SINGLETONS_GUARDED
    if _SINGLETONS_GUARDED or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes

    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40  # ob_refcnt: the first field
    _SINGLETONS_GUARDED = True


keep_singletons_alive()
