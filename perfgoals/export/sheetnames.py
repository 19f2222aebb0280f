"""Worksheet names Excel accepts: at most 31 characters, unique (ignoring case), none of ``[]:*?/\\``."""

from __future__ import annotations

import re

MAX_LENGTH = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
#: Excel reserves this name for its change-tracking sheet.
_RESERVED = {"history"}
ELLIPSIS = "…"


def _utf16_length(text: str) -> int:
    # Excel counts UTF-16 code units, so a character outside the BMP takes two.
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


def _take(text: str, units: int, *, from_end: bool = False) -> str:
    """The longest start (or end) of ``text`` that fits in ``units`` UTF-16 code units."""
    chars = reversed(text) if from_end else iter(text)
    taken: list[str] = []
    used = 0
    for char in chars:
        size = _utf16_length(char)
        if used + size > units:
            break
        taken.append(char)
        used += size
    return "".join(reversed(taken)) if from_end else "".join(taken)


def clean_sheet_name(text: str) -> str:
    """``text`` with forbidden characters replaced and the apostrophes Excel rejects at either end removed."""
    cleaned = _FORBIDDEN.sub("_", " ".join(text.split()))
    cleaned = cleaned.strip("'").strip()
    return cleaned or "表"


def shorten(text: str, limit: int = MAX_LENGTH) -> str:
    """Shorten recognisably: keep the start and the distinguishing end, joined by an ellipsis."""
    if _utf16_length(text) <= limit:
        return text
    room = limit - 1
    tail_units = max(room // 3, 1)
    head = _take(text, room - tail_units)
    tail = _take(text, room - _utf16_length(head), from_end=True)
    return f"{head}{ELLIPSIS}{tail}"


class SheetNamer:
    """Hands out unique, valid sheet names; duplicates are numbered ``名称(2)``, ``名称(3)``…"""

    def __init__(self, reserved: tuple[str, ...] = ()) -> None:
        self._used: set[str] = {name.casefold() for name in reserved} | _RESERVED

    def claim(self, wanted: str) -> str:
        base = clean_sheet_name(wanted)
        name = shorten(base)
        number = 1
        while name.casefold() in self._used:
            number += 1
            suffix = f"({number})"
            name = shorten(base, MAX_LENGTH - len(suffix)) + suffix
        self._used.add(name.casefold())
        return name


def quote_sheet_name(name: str) -> str:
    """The name as it appears in a formula or an internal link: ``'科普活动'!A1``."""
    return "'" + name.replace("'", "''") + "'"
