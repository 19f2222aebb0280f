"""Which columns a project's 绩效目标表 sheet prints, left to right: the table's own, or a named layout's.

A goal table imported from a province's form records its columns as they came in
(:attr:`perfgoals.models.GoalTable.columns`): a Sichuan table goes out as a Sichuan table (单位名称 · 项目名称 ·
预算数 · 年度目标 merged down beside 一级 · 二级 · 三级 · 指标性质 · 指标值 · 度量单位 · 权重 · 指标方向性), an 88号 table
with its 实施期 and 年度 groups side by side, a column of the table's own under its header text.  A table
entered here has no recorded columns and goes out in the national 2021 template (the registry's columns,
:mod:`perfgoals.columns`).  ``perfgoals export --layout NAME`` puts every table into one named layout.

Nothing a row holds is left out: a field in use that the layout has no column for is printed after the
layout's columns, under the registry's label, so that the workbook reads back to the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from perfgoals.columns import EXPORTED_COLUMNS, INDICATOR_COLUMNS, column, used_fields
from perfgoals.models import GoalTable, Indicator, LayoutColumn, LayoutFamily

#: A column's field: an :class:`Indicator` attribute, ``extra:表头`` (a table's own column), ``label`` (a
#: row label merged down the table) or a project column (``department``, ``project.name``,
#: ``project.budget_amount``, ``goal.goal_text`` …, merged down beside the indicators).
LABEL_FIELD = "label"
EXTRA_PREFIX = "extra:"


def is_project_column(field: str) -> bool:
    return field == "department" or field.startswith(("project.", "goal."))


@dataclass(frozen=True, slots=True)
class SheetColumn:
    """One printed column: its field, its header as printed (``upper`` above it in a two-row header)."""

    field: str
    header: str
    upper: str | None = None


def _split(header: str) -> tuple[str | None, str]:
    """A recorded header (a two-row one joined with “/”) as its upper and lower texts."""
    if "/" in header:
        upper, _, lower = header.rpartition("/")
        if upper and lower:
            return upper, lower
    return None, header


def _columns(pairs: Sequence[tuple[str, str]]) -> tuple[LayoutColumn, ...]:
    return tuple(LayoutColumn(header=header, field=field) for header, field in pairs)


_LEVELS = (("一级指标", "level1"), ("二级指标", "level2"), ("三级指标", "level3"))

#: The named layouts of ``perfgoals export --layout``: the columns each prints (``national``: the
#: registry's, as a table entered here has them).
NAMED_LAYOUTS: dict[str, tuple[LayoutColumn, ...] | None] = {
    "national": None,
    "central": _columns([*_LEVELS, ("指标值", "value"), ("指标值确定依据", "basis")]),
    "two_groups": _columns(
        [
            ("一级指标", "level1"),
            ("实施期指标/二级指标", "mid_term_level2"),
            ("实施期指标/三级指标", "mid_term_level3"),
            ("实施期指标/指标值", "mid_term_value"),
            ("年度指标/二级指标", "level2"),
            ("年度指标/三级指标", "level3"),
            ("年度指标/指标值", "value"),
        ]
    ),
    "sichuan": _columns(
        [
            ("单位名称", "department"),
            ("项目名称", "project.name"),
            ("预算数", "project.budget_amount"),
            ("年度目标", "goal.goal_text"),
            *_LEVELS,
            ("指标性质", "nature"),
            ("指标值", "value"),
            ("度量单位", "unit"),
            ("权重", "weight"),
            ("指标方向性", "direction"),
        ]
    ),
    "hubei": _columns([*_LEVELS, ("指标值", "value")]),
    "hunan": _columns([("本年度绩效指标", LABEL_FIELD), *_LEVELS, ("指标值及单位", "value"), ("绩效标准", "standard")]),
}
assert set(NAMED_LAYOUTS) == {family.value for family in LayoutFamily}

#: What each name means, for ``--help`` and the message naming the layouts.
LAYOUT_DESCRIPTIONS: dict[str, str] = {
    "national": "全国 2021 年模板（一级 · 二级 · 三级 · 指标描述 · 指标值 · 确定依据）",
    "central": "中央部门模板（项目信息在上，一级 · 二级 · 三级 · 指标值 · 确定依据）",
    "two_groups": "88号申报表（实施期与年度两组指标并列）",
    "sichuan": "四川申报表（单位名称 · 项目名称 · 预算数 · 年度目标 · 指标性质 · 指标值 · 度量单位 · 权重 · 指标方向性）",
    "hubei": "湖北申报表（含成本构成）",
    "hunan": "湖南申报表（本年度绩效指标 · 指标值及单位 · 绩效标准）",
}


def family_of(goal: GoalTable, override: str | None = None) -> LayoutFamily | None:
    """The layout family a sheet is printed in: the named one, else the table's own (``None``: the
    national template of a table entered here)."""
    if override is not None:
        return LayoutFamily(override)
    return goal.layout if goal.columns else None


def recorded_columns(goal: GoalTable, override: str | None = None) -> tuple[LayoutColumn, ...] | None:
    """The columns to print as recorded (the named layout's, or the table's own); ``None``: the
    registry's default columns."""
    if override is not None:
        return NAMED_LAYOUTS[override]
    if goal.layout is None or not goal.columns:
        return None
    return tuple(goal.columns)


def sheet_columns(goal: GoalTable, override: str | None = None) -> list[SheetColumn] | None:
    """The columns of ``goal``'s sheet, left to right, or ``None`` for the registry's default ones.

    The recorded columns first (a field recorded twice, as 计算方法 beside 评分标准, printed once), then
    every field in use that they leave out, in the registry's order, then the rows' own columns that no
    recorded column names.
    """
    recorded = recorded_columns(goal, override)
    indicators = goal.indicators
    if recorded is None:
        if override is None and not _beyond_default(indicators):
            return None  # the national template's columns, as a table entered here has always had them
        recorded = _national(indicators)
    columns: list[SheetColumn] = []
    seen: set[str] = set()
    for recorded_column in recorded:
        field = recorded_column.field
        header = recorded_column.header
        if field == "extra":
            field = EXTRA_PREFIX + header
        if field in seen:
            continue
        seen.add(field)
        upper, lower = _split(header)
        if field.startswith(EXTRA_PREFIX):
            upper, lower = None, header  # printed whole: its text is the key of Indicator.extra
        columns.append(SheetColumn(field, lower, upper))
    if any(is_project_column(c.field) for c in columns):
        # No block above project columns: the goal texts are columns too, beside the project's others.
        at = max(index for index, c in enumerate(columns) if is_project_column(c.field)) + 1
        for field, header, text in (
            ("goal.goal_text", "年度目标", goal.goal_text),
            ("goal.mid_term_goal_text", "实施期目标", goal.mid_term_goal_text),
        ):
            if text and field not in seen:
                columns.insert(at, SheetColumn(field, header))
                seen.add(field)
                at += 1
    for registered in INDICATOR_COLUMNS:
        if registered.field in seen:
            continue
        if any(_holds(indicator, registered.field) for indicator in indicators):
            label = registered.label
            if registered.field == "mid_term_value" and "value" in seen:
                label = "实施期指标值"
            columns.append(SheetColumn(registered.field, label))
            seen.add(registered.field)
    for indicator in indicators:
        for header in indicator.extra:
            if EXTRA_PREFIX + header not in seen:
                columns.append(SheetColumn(EXTRA_PREFIX + header, header))
                seen.add(EXTRA_PREFIX + header)
    return columns


def _national(indicators: Sequence[Indicator]) -> tuple[LayoutColumn, ...]:
    """The national template's columns for ``indicators``: the standard ones and every one in use, in the
    registry's order, then the rows' own columns."""
    fields = used_fields(indicators)
    grouped = "mid_term_value" in fields
    recorded = []
    for field in fields:
        if field.startswith(EXTRA_PREFIX):
            recorded.append(LayoutColumn(header=field.removeprefix(EXTRA_PREFIX), field="extra"))
        else:
            label = ANNUAL_VALUE_LABEL if field == "value" and grouped else column(field).label
            recorded.append(LayoutColumn(header=label, field=field))
    return tuple(recorded)


def _beyond_default(indicators: Sequence[Indicator]) -> bool:
    """Whether some row holds what the national template's default columns do not print."""
    return any(
        indicator.extra or any(_holds(indicator, field) for field in _NOT_EXPORTED) for indicator in indicators
    )


_NOT_EXPORTED = tuple(c.field for c in INDICATOR_COLUMNS if c.field not in {e.field for e in EXPORTED_COLUMNS})
#: The 指标值 header beside a 实施期 one.
ANNUAL_VALUE_LABEL = "年度指标值"


def _holds(indicator: Indicator, field: str) -> bool:
    return getattr(indicator, field, None) not in (None, "")


