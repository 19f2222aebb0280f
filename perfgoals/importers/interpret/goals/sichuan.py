"""The Sichuan 申报表: one table for several projects.  单位名称 · 项目名称 · 预算数 · 年度目标 stand left of
the indicators, merged down the rows of each project; then 一级 · 二级 · 三级 · 指标性质 · 指标值 · 度量单位 ·
权重 · 指标方向性.  Amounts are in 元 (the 预算数 header or the table's unit line says so).

A row whose 项目名称 cell is written starts a project; a blank one (the merged cell going on) continues it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from perfgoals.importers.goal_layout import clean

if TYPE_CHECKING:
    from perfgoals.importers.interpret.goals.columns import Group

#: Project columns by their header words (cleaned), with the field each fills.
_PROJECT_COLUMNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:单位名称|预算单位|部门名称|预算部门|主管部门|单位)(?:及代码|及编码)?$"), "department"),
    (re.compile(r"^项目(?:支出)?名称$"), "project.name"),
    (re.compile(r"^项目(?:编码|代码|编号)$"), "project.code"),
    (re.compile(r"^(?:项目)?实施单位$"), "project.implementing_unit"),
    (
        re.compile(r"^(?:项目)?(?:年度)?(?:预算数|预算金额|项目金额|资金总额|预算资金|金额)(?:\([^)]*\))?$"),
        "project.budget_amount",
    ),
    (re.compile(r"^(?:项目)?(?:年度|本年度)(?:绩效)?目标$|^(?:项目)?(?:总体)?绩效目标$"), "goal.goal_text"),
    (re.compile(r"^(?:项目)?(?:实施期|中期|长期)(?:绩效)?目标$"), "goal.mid_term_goal_text"),
)


def is_project_field(name: str) -> bool:
    return name == "department" or name.startswith(("project.", "goal."))


def mark_project_columns(groups: list[Group]) -> None:
    """Columns left of the 一级指标 column whose headers name a project's fields are project columns."""
    first = next((index for index, group in enumerate(groups) if group.field == "level1"), None)
    if first is None:
        return
    for group in groups[:first]:
        key = clean(group.header.split("/")[-1])
        for pattern, name in _PROJECT_COLUMNS:
            if pattern.match(key):
                group.field = name
                break


@dataclass(slots=True)
class ProjectRun:
    """The rows of one project of a multi-project table, with its project cells as written."""

    cells: dict[str, str] = field(default_factory=dict)  # project field → text
    places: dict[str, str] = field(default_factory=dict)  # project field → the place of its cell
    rows: list[int] = field(default_factory=list)  # indices into the data rows


def starts_project(values: dict[str, str], current: ProjectRun | None) -> bool:
    """Whether a row's project cells open a new project (its 项目名称 written and different)."""
    name = values.get("project.name", "").strip()
    if current is None:
        return True
    return bool(name) and name != current.cells.get("project.name", "")


from perfgoals.models import LayoutFamily  # noqa: E402

FAMILY = LayoutFamily.SICHUAN
