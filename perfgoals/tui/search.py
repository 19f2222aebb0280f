"""Finding a department, a project or a picker's entry by what a person types: part of its name, its
code, or the pinyin initials of its name (``zjk`` finds 张家口市科学技术协会).

Initials are computed once per text and cached (pypinyin is imported on first use: loading its
dictionary takes a moment, and the first screen does not wait for it).  Nothing here imports Textual.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=65536)
def initials(text: str) -> str:
    """The pinyin initials of ``text``'s Chinese characters, other letters and digits kept, lowercased:
    ``张家口市科协2022`` → ``zjksxx2022``.  Multi-reading characters take the reading of the phrase
    (重庆 → cq)."""
    from pypinyin import Style, lazy_pinyin

    # Characters without a reading (letters, digits, punctuation) are kept as they are.
    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors=lambda chars: chars)
    return "".join(letters).replace(" ", "").casefold()


def matches(needle: str, *texts: str | None) -> bool:
    """Whether ``needle`` is in any of ``texts`` (case-insensitively), or in the pinyin initials of
    one; an empty needle matches everything."""
    wanted = needle.strip().casefold()
    if not wanted:
        return True
    present = [text for text in texts if text]
    if any(wanted in text.casefold() for text in present):
        return True
    if not wanted.isascii() or not wanted.replace(" ", "").isalnum():
        return False
    wanted = wanted.replace(" ", "")
    return any(wanted in initials(text) for text in present)


def score(needle: str, *texts: str | None) -> float:
    """How well ``needle`` matches (for ordering hits): a code or name that starts with it first, then
    one that contains it, then initials; 0 for no match."""
    wanted = needle.strip().casefold()
    if not wanted:
        return 0.5
    best = 0.0
    for text in texts:
        if not text:
            continue
        folded = text.casefold()
        if folded == wanted:
            return 1.0
        if folded.startswith(wanted):
            best = max(best, 0.9)
        elif wanted in folded:
            best = max(best, 0.7)
        elif wanted.isascii() and wanted.isalnum():
            letters = initials(text)
            if letters.startswith(wanted):
                best = max(best, 0.6)
            elif wanted in letters:
                best = max(best, 0.4)
    return best
