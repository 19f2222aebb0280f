"""What kind of table a :class:`~perfgoals.importers.interpret.units.Unit` is, by its title and header words."""

from __future__ import annotations

import re
from enum import Enum

from perfgoals.importers.budget_layout import budget_title_key
from perfgoals.importers.goal_layout import clean
from perfgoals.importers.interpret.units import Unit

NUMBERING = re.compile(
    r"^\s*(?:第?[0-9０-９]+[、.．)）]|[（(][0-9０-９一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)\s*"
)


class Kind(Enum):
    BUDGET_SUMMARY = "收支总表"
    FISCAL_SUMMARY = "财政拨款收支总表"
    INCOME = "收入总表"
    EXPENDITURE = "支出总表"
    FISCAL_FUNCTION = "财政拨款支出表"
    ECONOMIC = "基本支出表"
    THREE_PUBLIC = "三公经费表"
    PROCUREMENT = "政府采购表"
    ORG_UNITS = "机构设置表"
    GOAL = "绩效目标表"
    DEPARTMENT_GOAL = "部门整体绩效目标表"
    SELF_EVALUATION = "绩效自评表"
    COST_BREAKDOWN = "成本测算表"


#: Header words only a year-end self-evaluation (自评表) has.
_SELF_EVALUATION_WORDS = ("实际完成值", "全年实际值", "全年执行数", "执行率", "偏差原因分析及改进措施", "实际完成情况")
_COST_WORDS = ("成本构成", "成本项目", "成本明细")


def is_self_evaluation(title: str, header: set[str]) -> bool:
    """A 自评表: its title says so, or its header has the year-end columns (实际完成值, 全年执行数 …)."""
    if "自评" in title:
        return True
    found = [word for word in _SELF_EVALUATION_WORDS if any(word in cell for cell in header)]
    return len(found) >= 2 or ("得分" in header and bool(found))


def classify(unit: Unit) -> Kind | None:
    title = NUMBERING.sub("", clean(unit.title))
    header = {clean(cell) for row in unit.rows[:40] for cell in row.cells}
    if "一级指标" in header and ("三级指标" in header or "二级指标" in header):
        if is_self_evaluation(title, header):
            return Kind.SELF_EVALUATION
        if "整体绩效" in title or "部门整体" in title:
            return Kind.DEPARTMENT_GOAL
        return Kind.GOAL
    if re.search(r"绩效自评表$", title):
        return Kind.SELF_EVALUATION
    if re.search(r"绩效目标(?:申报)?表$", title):
        return Kind.DEPARTMENT_GOAL if "整体" in title else Kind.GOAL
    if any(word in cell for cell in header for word in _COST_WORDS) and any("测算依据" in cell for cell in header):
        return Kind.COST_BREAKDOWN
    title = budget_title_key(title)
    if "三公" in title:
        return Kind.THREE_PUBLIC
    if "政府采购" in title:
        return Kind.PROCUREMENT
    if "机构设置" in title or {"单位名称", "单位性质"} <= header:
        return Kind.ORG_UNITS
    if "收支总表" in title:
        return Kind.FISCAL_SUMMARY if "财政拨款" in title else Kind.BUDGET_SUMMARY
    if "收入总表" in title or title.endswith("收入表"):
        return Kind.INCOME
    if "支出总表" in title:
        return Kind.EXPENDITURE
    if "基本支出" in title:
        return Kind.ECONOMIC
    if ("拨款" in title and "支出" in title) or (
        re.search("一般公共预算|政府性基金|国有资本经营", title) and title.endswith("支出表")
    ):
        return Kind.FISCAL_FUNCTION
    if title.endswith("支出表") and not re.search("项目支出|采购|明细", title):
        return Kind.EXPENDITURE  # 部门支出预算表
    return None
