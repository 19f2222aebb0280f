"""Header words of the budget tables (收支总表, 收入总表, 支出总表, 财政拨款支出表, 基本支出表), and what
each column of them holds.

A column is known by its header path, top to bottom (``('基本支出', '人员经费')``), never by its position:
provinces put the same columns in other orders, split 基本支出 into 人员经费 and 公用经费 (with or without a
小计), group the 单位资金 sources under one heading, or put the whole 支出 part under one more header row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from perfgoals.importers.goal_layout import clean

TOTAL_WORDS = ("合计", "总计")
SUBTOTAL_WORDS = ("小计", "合计", "总计")

#: How a figure left blank on purpose is written: each means "nothing here", never zero.
BLANK_FIGURES = frozenset({"-", "--", "—", "——", "–", "−", "─", "－", "/", "／", "\\"})

#: Header words of the columns that say where a row is, not how much: never read as amounts.
LABEL_WORDS = ("序号", "编码", "名称", "栏次", "代码")


class Part(Enum):
    """What a figure of a function table's row is."""

    TOTAL = "total"  # 合计
    BASIC = "basic"  # 基本支出 (its 小计 where it is split)
    PROJECT = "project"  # 项目支出
    BASIC_PART = "basic_part"  # 人员经费, 公用经费 … under 基本支出
    PROJECT_PART = "project_part"  # a part under 项目支出
    OTHER_EXPENSE = "other_expense"  # 事业单位经营支出, 上缴上级支出, 对附属单位补助支出 …
    INCOME_TOTAL = "income_total"  # 收入总表 合计
    INCOME_CURRENT = "income_current"  # 本年收入 (小计)
    SOURCE = "source"  # 一般公共预算拨款, 事业收入 … (a source of this year's income)
    CARRYOVER = "carryover"  # 上年结转 (its 小计 where it is split)
    CARRYOVER_PART = "carryover_part"  # 一般公共预算拨款 … under 上年结转
    SKIP = "skip"  # a 小计 of a group of sources (单位资金): its parts are read instead
    FIGURE = "figure"  # a column of a table whose columns are told apart by name alone (基本支出表)


@dataclass(frozen=True, slots=True)
class Column:
    """A figure column of a table: its grid index, its header path and what its figures are."""

    index: int
    path: tuple[str, ...]
    part: Part

    @property
    def name(self) -> str:
        return self.path[-1] if self.path else f"第{self.index + 1}列"


def budget_title_key(title: str) -> str:
    """A cleaned title with the ``预算`` of ``收支预算总表`` / ``收入预算表`` / ``支出预算表`` dropped, so the many
    ways provinces title the same table read alike (the ``预算`` of ``一般公共预算`` stays)."""
    return re.sub(r"(收支|收入|支出)预算", r"\1", title)


def _is_total(label: str) -> bool:
    """合计, 总计, 小计, or a total named for what it adds up (支出合计, 收入总计)."""
    return label in SUBTOTAL_WORDS or label.endswith(TOTAL_WORDS)


#: Parts of 基本支出 printed as columns of their own, without a 基本支出 heading above them.
BASIC_PART_WORDS = ("人员经费", "公用经费", "日常公用经费", "人员支出", "公用支出")


def _group(path: tuple[str, ...], words: tuple[str, ...]) -> int | None:
    """The level of ``path`` naming one of ``words``, if any."""
    return next((level for level, label in enumerate(path) if any(word in label for word in words)), None)


def _is_own_figure(path: tuple[str, ...], level: int) -> bool:
    """Whether the column is the figure of the group at ``level`` itself: the group's own column or its 小计."""
    return level == len(path) - 1 or (level == len(path) - 2 and path[-1] in SUBTOTAL_WORDS)


def expense_part(path: tuple[str, ...]) -> Part:
    """The part of a 支出总表 / 财政拨款支出表 column, by its header path."""
    basic = _group(path, ("基本支出",))
    project = _group(path, ("项目支出",))
    if basic is not None and (project is None or basic < project):
        return Part.BASIC if _is_own_figure(path, basic) else Part.BASIC_PART
    if project is not None:
        return Part.PROJECT if _is_own_figure(path, project) else Part.PROJECT_PART
    if path[-1] in BASIC_PART_WORDS:
        return Part.BASIC_PART
    if _is_total(path[-1]):
        return Part.TOTAL
    return Part.OTHER_EXPENSE


def income_part(path: tuple[str, ...]) -> Part:
    """The part of a 收入总表 column, by its header path."""
    carry = _group(path, ("结转", "结余"))
    if carry is not None:
        return Part.CARRYOVER if _is_own_figure(path, carry) else Part.CARRYOVER_PART
    current = _group(path, ("本年收入",))
    if current is not None:
        if _is_own_figure(path, current):
            return Part.INCOME_CURRENT
        if path[-1] in SUBTOTAL_WORDS:
            return Part.SKIP  # 单位资金 | 小计: its parts are the sources
        return Part.SOURCE
    if len(path) == 1 and path[-1] != "小计" and _is_total(path[-1]):
        return Part.INCOME_TOTAL  # 合计, 总计, 收入合计
    if path[-1] in SUBTOTAL_WORDS:
        return Part.SKIP if len(path) > 1 else Part.INCOME_CURRENT
    return Part.SOURCE


def amount_columns(labels: list[tuple[str, ...]]) -> list[tuple[int, tuple[str, ...]]]:
    """The columns of a function or economic table that hold figures: all but code, name, 序号 and 类/款/项."""
    return [
        (index, path)
        for index, path in enumerate(labels)
        if path and not any(word in path[-1] for word in LABEL_WORDS) and path[-1] not in ("类", "款", "项")
    ]


# --------------------------------------------------------------------- 收支总表
#: The item column of a 收支总表 side (``项目``), or a side's heading used as its item column.
SUMMARY_ITEM_WORDS = ("项目", "收入项目", "支出项目", "收入", "支出", "科目", "项目名称")
_SIDE = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）])?(收入|支出)(?:部分|预算|项目|类)?[:：]?$")


def side_word(text: str) -> str | None:
    """``收入`` or ``支出`` when a cell names a side of a stacked 收支总表 (``收入``, ``一、收入``, ``支出部分``)."""
    match = _SIDE.match(clean(text))
    return match.group(1) if match else None


# --------------------------------------------------------------------- notes inside tables
_EMPTY_NOTE = re.compile(
    r"空表|此表为空|本表为空|此表无|本表无|无此项|无数据|无相关(?:数据|支出|收入|预算)"
    r"|^(?:本部门|本单位|我部门|我单位|该部门|本年度?|\d{4}年度?)[^，,。；;]{0,20}(?:无|没有|未安排|不涉及|未发生)"
)


def is_table_note(text: str) -> bool:
    """A row that only says something about the table: ``本部门无“三公”经费预算，此表无数据``, ``注：…``.

    A line's name (``无线电频率管理支出``) is not one: a note names the department, the table or 注.
    """
    key = clean(text)
    return bool(key) and (key.startswith(("注", "说明", "备注")) or bool(_EMPTY_NOTE.search(key)))


# --------------------------------------------------------------------- units written in a title
_UNIT_IN_TEXT = re.compile(r"[(（\[【]?\s*(?:金额)?单位\s*[:：]\s*(?:人民币)?\s*(百万元|千元|万元|亿元|元)\s*[)）\]】]?")


def title_and_unit(text: str) -> tuple[str, str] | None:
    """A title that carries its unit, ``部门收支总表（单位：元）``: the title and ``单位：元``."""
    match = _UNIT_IN_TEXT.search(text)
    if match is None:
        return None
    rest = (text[: match.start()] + text[match.end() :]).strip()
    if "表" not in rest or len(clean(rest)) <= 4:
        return None
    return rest, f"单位：{match.group(1)}"
