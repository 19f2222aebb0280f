"""The indicator data of a department as flat records: the 汇总 sheet, CSV and JSON share them.

Every figure is read through :mod:`perfgoals.reading`: a project's amount as written, in 万元 and
where it came from (:func:`~perfgoals.reading.amounts.project_amount`), and each 指标值 together with
its 度量单位 column (:func:`~perfgoals.reading.rows.read_value`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from perfgoals.models import Department, GoalTable
from perfgoals.reading.amounts import ProjectAmount, project_amount
from perfgoals.reading.rows import read_value
from perfgoals.values import KIND_LABELS


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    label: str


#: One row per indicator, with the project it belongs to: the columns of 汇总 and of the CSV.
INDICATOR_FIELDS: tuple[Field, ...] = (
    Field("department_code", "部门编码"),
    Field("department_name", "部门名称"),
    Field("year", "年度"),
    Field("project", "项目名称"),
    Field("project_code", "项目编码"),
    Field("budget_line", "功能科目编码"),
    Field("budget_amount", "预算金额"),
    Field("amount_unit", "金额单位"),
    Field("budget_amount_wan", "预算金额（万元）"),
    Field("amount_source", "金额来源"),
    Field("status", "状态"),
    Field("row", "序号"),
    Field("level1", "一级指标"),
    Field("level2", "二级指标"),
    Field("level3", "三级指标"),
    Field("description", "绩效指标描述"),
    Field("value", "指标值"),
    Field("basis", "指标值确定依据"),
    Field("mid_term_value", "实施期指标值"),
    Field("weight", "权重"),
    Field("direction", "指标方向"),
    Field("unit", "度量单位"),
    Field("reference_value", "上年指标值"),
    Field("reference_actual", "上年实际完成值"),
    Field("value_kind", "指标值类型"),
    Field("value_reading", "指标值解读"),
)



#: What an amount a person entered (or a disclosure stated) is called in the 金额来源 column.
ENTERED_LABEL = "填报"


def source_text(amount: ProjectAmount) -> str:
    """The 金额来源 of an amount: ``填报``, or the inferred source with ``待确认``
    (``按成本指标推断，待确认``) until a person confirms it; empty when there is no amount."""
    return amount.marker or amount.source_label


@lru_cache(maxsize=16384)
def _reading(value: str, unit: str | None) -> tuple[str, str]:
    """The kind label and the reading of an indicator value with its 度量单位 column (the same few
    hundred forms recur)."""
    parsed = read_value(value, unit)
    return KIND_LABELS[parsed.kind], parsed.describe()


#: Turns a project's amount (as written, its unit) into what the record holds for it.
AmountCell = Callable[[Decimal | None, str], Any]


def _as_written(amount: Decimal | None, _unit: str) -> Decimal | None:
    return amount


def indicator_rows(
    department: Department, *, amount_cell: AmountCell = _as_written
) -> Iterator[tuple[Any, ...]]:
    """Every indicator row of ``department`` as a tuple in :data:`INDICATOR_FIELDS` order.

    ``amount_cell`` makes the 预算金额 item of the amount as written and its unit (the 汇总 sheet
    gives it a number format in that unit).  The project's context is computed once per project, not
    once per row: the 汇总 sheet of a province has 150,000 rows.
    """
    code, name, year = department.code, department.name, department.year
    for project in department.projects:
        amount = project_amount(project)
        context = (
            code,
            name,
            year,
            project.name,
            project.code or "",
            project.budget_line_code or "",
            amount_cell(amount.amount, amount.unit),
            amount.unit if amount.amount is not None else "",
            amount.wan,
            source_text(amount),
            project.status.value,
        )
        for row, indicator in enumerate(project.goal.indicators, start=1):
            kind, reading = _reading(indicator.value, indicator.unit)
            direction = indicator.direction
            yield (
                *context,
                row,
                indicator.level1,
                indicator.level2,
                indicator.level3,
                indicator.description,
                indicator.value,
                indicator.basis,
                indicator.mid_term_value,
                indicator.weight,
                direction.value if direction else None,
                indicator.unit,
                indicator.reference_value,
                indicator.reference_actual,
                kind,
                reading,
            )


_KEYS = tuple(item.key for item in INDICATOR_FIELDS)


def indicator_records(department: Department) -> Iterator[dict[str, Any]]:
    """The rows of :func:`indicator_rows` keyed by field (for JSON)."""
    for record in indicator_rows(department):
        yield dict(zip(_KEYS, record, strict=True))


def _normal_weight(weight: Decimal | None) -> str | None:
    if weight is None:
        return None
    normal = weight.normalize()
    return format(normal, "f")


#: Indicator fields added after workbooks were first exported (left out of the fingerprint while empty).
_LATER_INDICATOR_FIELDS = frozenset({"method"})


def goal_fingerprint(goal: GoalTable) -> str:
    """A digest of a goal table's content that survives a trip through Excel (weights compared as numbers)."""
    # One serialisation of the whole table: far cheaper than one per indicator.
    dumped = goal.model_dump(
        mode="json", include={"indicators"}, exclude={"indicators": {"__all__": {"weight"}}}
    )["indicators"]
    content: dict[str, Any] = {
        "goal_text": goal.goal_text.replace("\r\n", "\n"),
        "indicators": [
            {
                **{
                    key: (value.replace("\r\n", "\n") if isinstance(value, str) else value)
                    for key, value in fields.items()
                    # Fields added later count only when used, so older workbooks' fingerprints still match.
                    if not (key in _LATER_INDICATOR_FIELDS and value is None)
                },
                "weight": _normal_weight(indicator.weight),
            }
            for fields, indicator in zip(dumped, goal.indicators, strict=True)
        ],
    }
    if goal.mid_term_goal_text:
        content["mid_term_goal_text"] = goal.mid_term_goal_text.replace("\r\n", "\n")
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
