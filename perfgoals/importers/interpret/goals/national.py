"""The national 2021 template and most local layouts: 一级 · 二级 · 三级 · 指标值 · 依据, with variants
(指标描述, 绩效标准, 计算方法, 当年预期实现值, 指标性质/度量单位/权重/指标方向 columns, a row-label column
本年度绩效指标 merged down the left, 年度/实施期 value columns under one 指标值 header).

This is the layout every other family builds on: one project a segment, its block above, its indicators
below, footers after them.  It is also the layout a table falls back to when nothing marks another.
"""

from __future__ import annotations

import re

from perfgoals.importers.interpret.classify import NUMBERING
from perfgoals.models import LayoutFamily

FAMILY = LayoutFamily.NATIONAL


def project_name(title: str) -> str:
    """The project a goal table's title names (``3、科普活动绩效目标表`` → ``科普活动``); ``""`` for a title
    that names none (``2023年项目支出绩效目标申报表``)."""
    text = NUMBERING.sub("", title.strip())
    text = re.sub(r"\s*(?:项目支出)?绩效目标(?:申报|批复|审核)?表\s*$", "", text)
    text = re.sub(r"^[《“\"]|[》”\"]$", "", text.strip()).strip()
    if re.fullmatch(r"[（(]?\s*(?:19|20)\d\d\s*年度?\s*[)）]?(?:项目支出|项目)?", text):
        return ""
    return text
