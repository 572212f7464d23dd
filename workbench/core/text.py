"""Text from files made safe to print and store: a lone surrogate (from a JSON ``\\udc80``
or an undecodable file name) cannot be encoded and crashes a print or a database write; an
ANSI escape or control character from a file would reach the user's terminal (recolour it,
retitle it, hide text). ``clean`` removes both; nothing else is changed."""

from __future__ import annotations

import re

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), other two-character escapes
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?"
                      r"|\x9b[0-?]*[ -/]*[@-~]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """Lone surrogates become U+FFFD (the replacement character)."""
    return _SURROGATES.sub("\ufffd", text)


def clean(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` without surrogates, escape sequences and control characters (tab, newline
    and carriage return stay unless ``keep_newlines`` is False)."""
    text = _CONTROLS.sub("", _ESCAPES.sub("", without_surrogates(text)))
    if not keep_newlines:
        text = re.sub(r"[\t\n\r]+", " ", text)
    return text
