"""Text a user typed, made inert where it is shown: control and escape characters made visible.

A name or a 指标值 is stored exactly as typed, control characters and all (Word's manual line break
``\\x0b`` comes in with imports).  Shown raw, an escape sequence (``\\x1b]0;…\\x07`` sets a terminal's
title, ``\\x1b[2J`` clears its screen, ``\\r`` overwrites a line) or a bidirectional override can hide what
a reviewer sees; written raw into a workbook, a control character makes it unreadable.  Everything that
shows user text (the command line's reports, the TUI, every export) shows :func:`visible` text instead:
each such character as its Unicode control picture (``␛``, ``␋``) or as ``<U+202E>``.  A workbook
read back turns the pictures into the characters again (:func:`restore_controls`), so what was exported
unchanged comes back unchanged.
"""

from __future__ import annotations

import re

#: Bidirectional embeddings, overrides and isolates: they reorder what is shown around them.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
#: What :func:`visible` replaces: C0 controls but tab and newline, DEL, C1 controls, bidi controls.
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f{_BIDI}]")
_UNSAFE_ONE_LINE = re.compile(f"[\x00-\x1f\x7f\x80-\x9f{_BIDI}]")
_PICTURES = {chr(code): chr(0x2400 + code) for code in range(0x20)} | {"\x7f": "\u2421"}
_CONTROLS = {picture: char for char, picture in _PICTURES.items()}
_PICTURE = re.compile("[\u2400-\u241f\u2421]|<U\\+([0-9A-F]{4})>")


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    return _PICTURES.get(char) or f"<U+{ord(char):04X}>"


def visible(text: str, *, one_line: bool = False) -> str:
    """``text`` with every control, escape and bidi character shown as a visible sign; with ``one_line``
    tabs and newlines too (for a name in a heading or a table cell)."""
    pattern = _UNSAFE_ONE_LINE if one_line else _UNSAFE
    return pattern.sub(_shown, text) if pattern.search(text) else text


def is_inert(text: str) -> bool:
    """Whether ``text`` shows as it is (nothing :func:`visible` would change)."""
    return _UNSAFE.search(text) is None


def _restored(match: re.Match[str]) -> str:
    code = match.group(1)
    if code is None:
        return _CONTROLS[match.group()]
    char = chr(int(code, 16))
    return char if _UNSAFE.match(char) else match.group()


def restore_controls(text: str) -> str:
    """The text :func:`visible` was made from: pictures and ``<U+…>`` signs back to their characters."""
    return _PICTURE.sub(_restored, text) if ("<U+" in text or _PICTURE.search(text)) else text
