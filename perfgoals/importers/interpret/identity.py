"""Finding the department and the budget year a document is about.

A full disclosure says them in its meta lines (``编制部门：731张家口市科学技术协会``, ``预算年度：2022``) or in
a cell holding code and name.  A stand-alone goal table names its department in a labelled cell (预算部门,
预算单位, 单位名称, 主管部门及编码, 填报单位), often without a code, and its year only in its title
(``（2023年度）``, ``2023年项目支出…``, ``鄂州市2022年…``).  A department without a code gets one derived
from its name (:func:`derived_code`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from perfgoals.importers.goal_layout import clean, department_of

DEPT_CELL = re.compile(r"^\s*(\d{2,})\s*([^\d\s:：、.．,，)）\]年月日号%％个项].*?)\s*$")
DEPT_FIELD = re.compile(r"(?:编制部门|编制单位|部门名称|预算部门|单位名称|部门)\s*[:：]\s*(?:(\d{2,})\s*)?(\S+)")
YEAR_FIELD = re.compile(r"(?:预算年度|年度)\s*[:：]\s*(\d{4})")
YEAR_LINE = re.compile(r"^(?:[（(]\s*(\d{4})\s*年度?\s*[)）]|(\d{4})\s*年度)$")  # "（2024年度）" under a title
UNIT_FIELD = re.compile(r"(?:金额单位|单位)\s*[:：]\s*(?:人民币)?\s*(百万元|千元|万元|亿元|元)")
_DATE_FIELD = re.compile(r"截[止至]\s*(?:时间|日期)?\s*[:：]")
#: A labelled department line above a goal table: ``预算单位：某某局``, ``填报单位：（盖章）``.
NAMED_FIELD = re.compile(
    r"^(?:填报单位|申报单位|编报单位|预算单位|预算部门|单位名称|主管部门)(?:及编码|及代码)?\s*[:：]\s*(.+?)"
    r"(?:\s+(?:金额)?单位\s*[:：].*)?$"
)
_DISCLOSURE_YEAR = re.compile(r"(\d{4})\s*年(?:度)?部门预算")
#: A year in a goal table's title: ``（2023年度）``, ``2023年项目支出…``, ``鄂州市2022年…``.
_TITLE_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
#: A cell naming the department of a stand-alone goal table, with its value after a colon or in the next cell.
DEPARTMENT_LABELS = re.compile(
    r"^(?:预算部门|预算单位|单位名称|主管部门|主管单位|部门名称|填报单位|申报单位|编报单位)(?:及编码|及代码|及编号|\(代码\)|名称)?$"
)
#: Words written where a seal or signature goes: not a name.
_STAMP = re.compile(r"[（(]\s*(?:盖章|公章|签章|签字|章)\s*[)）]")


def is_meta_cell(text: str) -> bool:
    """A unit, year, department or date line above (or inside) a table: not a title, not a row."""
    text = text.strip()
    if not text:
        return True
    return bool(
        UNIT_FIELD.search(text)
        or YEAR_FIELD.search(text)
        or YEAR_LINE.match(text)
        or DEPT_FIELD.search(text)
        or DEPT_CELL.match(text)
        or _DATE_FIELD.search(text)
        or NAMED_FIELD.match(text)
    )


def normalise_code(code: str) -> str:
    """A code typed in full-width digits (３０１) is the same code: it identifies the department."""
    return unicodedata.normalize("NFKC", code)


def meta_year(text: str) -> int | None:
    """The year a meta line states (``预算年度：2022``, ``（2024年度）``)."""
    match = YEAR_FIELD.search(text.strip()) or YEAR_LINE.match(text.strip())
    return int(next(group for group in match.groups() if group)) if match else None


def meta_department(text: str) -> tuple[str, str] | None:
    """The code and name a meta line states (``编制部门：731张家口市科学技术协会``, ``731张家口市科学技术协会``)."""
    text = text.strip()
    match = DEPT_FIELD.search(text)
    if match and match.group(1):
        return normalise_code(match.group(1)), match.group(2)
    if match:
        return None
    match = DEPT_CELL.match(text)
    if match and not UNIT_FIELD.search(text) and not YEAR_FIELD.search(text):
        return normalise_code(match.group(1)), match.group(2)
    return None


def disclosure_year(text: str) -> int | None:
    """``2022年部门预算`` in a paragraph."""
    match = _DISCLOSURE_YEAR.search(text)
    return int(match.group(1)) if match else None


def title_year(text: str) -> int | None:
    """The year in a goal table's title or a line above it (``2023年项目支出绩效目标申报表``)."""
    match = _TITLE_YEAR.search(unicodedata.normalize("NFKC", text))
    return int(match.group(1)) if match else None


def named_department(text: str) -> tuple[str | None, str] | None:
    """The department a labelled cell's value names: ``219-池州市贵池区棠溪镇人民政府`` (code and name) or
    ``湘潭市环境卫生管理处`` (a name alone); ``None`` for a blank or a seal placeholder (``（盖章）``)."""
    value = _STAMP.sub("", text).strip()
    if not clean(value):
        return None
    coded = department_of(value)
    if coded is not None:
        return normalise_code(coded[0]), coded[1]
    return None, value


def department_label(text: str) -> bool:
    """Whether a cell is a label naming the department (``预算部门``, ``单位名称：``, ``填报单位:(盖章)``)."""
    return bool(DEPARTMENT_LABELS.match(clean(_STAMP.sub("", text)).rstrip(":")))


def derived_code(name: str) -> str:
    """The code of a department known only by name: ``名`` and ten digits of the SHA-256 of its name (NFKC,
    whitespace removed), so the same name gives the same code on every machine and in every year."""
    digest = hashlib.sha256(clean(name).encode("utf-8")).hexdigest()
    return f"名{int(digest, 16) % 10**10:010d}"


@dataclass(slots=True)
class Identity:
    """Who and when a document is about, and how each was found."""

    code: str | None = None
    name: str | None = None
    year: int | None = None
    code_derived: bool = False  # the code was made from the name (no code in the document)

    def take_department(self, code: str | None, name: str) -> None:
        if self.name is None or (self.code is None and code is not None):
            self.code, self.name = code, name

    def take_year(self, year: int | None) -> None:
        if self.year is None and year is not None:
            self.year = year


def from_meta(texts: Iterable[str], identity: Identity) -> None:
    """The department and year stated by meta lines, the first of each winning."""
    for text in texts:
        identity.take_year(meta_year(text))
        if identity.code is None:
            found = meta_department(text)
            if found is not None:
                identity.code, identity.name = found
