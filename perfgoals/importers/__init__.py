"""Importing published budget disclosures (.docx and their text extraction) and perfgoals' workbooks.

Readers (:mod:`.text`, :mod:`.wordfile`) turn a file into a neutral sequence of paragraphs and tables
(:mod:`.source`); one interpreter (:mod:`.interpret`) turns that into a :class:`Department`, and
:mod:`.linking` proposes each project's budget line.
"""

from __future__ import annotations

from importlib import resources

from perfgoals.models import Department

SAMPLE_RESOURCE = "data/zhangjiakou-kexie-2022-budget.txt"


def demo_department() -> Department:
    """The packaged sample (张家口市科学技术协会 2022), as the text importer reads it."""
    from perfgoals.importers.reading import import_text

    raw = resources.files("perfgoals").joinpath(SAMPLE_RESOURCE).read_bytes()
    return import_text(raw, source="zhangjiakou-kexie-2022-budget.txt").department
