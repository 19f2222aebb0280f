"""The Hunan 申报表: 项目支出名称 · 预算部门 · 年度本级预算金额 · 该项目支出上级资金 · 项目支出实施期 ·
实施期绩效目标 · 本年度绩效目标 above the indicators; a row-label column 本年度绩效指标 merged down the left;
the value as 指标值及单位 and a 绩效标准 column; 财政部门审核意见 and 填表人 closing it.

The vocabulary is in :mod:`perfgoals.importers.goal_layout`; the rows read as the national ones do.
"""

from __future__ import annotations

import re

from perfgoals.importers.goal_layout import clean
from perfgoals.importers.interpret.goals.block import BlockRead
from perfgoals.models import LayoutColumn, LayoutFamily

FAMILY = LayoutFamily.HUNAN
_BLOCK_WORDS = re.compile(r"项目支出名称|本级预算金额|上级资金|项目支出实施期")
_COLUMN_WORDS = re.compile(r"指标值及单位")


def recognise(block: BlockRead, columns: list[LayoutColumn]) -> bool:
    return any(_BLOCK_WORDS.search(clean(label.header)) for label in block.labels) or any(
        _COLUMN_WORDS.search(clean(column.header)) for column in columns
    )
