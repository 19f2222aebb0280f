"""The indicator data of a department as flat records: the 汇总 sheet, CSV and JSON share them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from perfgoals.export.layout import amount_in_wan
from perfgoals.models import Department, GoalTable
from perfgoals.values import parse_value


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
    Field("budget_amount_wan", "预算金额（万元）"),
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
    Field("value_kind", "指标值类型"),
    Field("value_reading", "指标值解读"),
)

KIND_LABELS = {
    "empty": "空",
    "quantity": "数量",
    "percent": "百分比",
    "money": "金额",
    "period": "时间",
    "range": "区间",
    "qualitative": "定性",
    "unrecognised": "未识别",
}


@lru_cache(maxsize=16384)
def _reading(value: str) -> tuple[str, str]:
    """The kind label and the reading of an indicator value (the same few hundred forms recur)."""
    parsed = parse_value(value)
    kind = parsed.kind.value
    return KIND_LABELS.get(kind, kind), parsed.describe()


def indicator_rows(department: Department) -> Iterator[tuple[Any, ...]]:
    """Every indicator row of ``department`` as a tuple in :data:`INDICATOR_FIELDS` order.

    The project's context is computed once per project, not once per row: the 汇总 sheet of a province
    has 150,000 rows.
    """
    code, name, year = department.code, department.name, department.year
    for project in department.projects:
        context = (
            code,
            name,
            year,
            project.name,
            project.code or "",
            project.budget_line_code or "",
            amount_in_wan(project.budget_amount, project.amount_unit),
            project.status.value,
        )
        for row, indicator in enumerate(project.goal.indicators, start=1):
            kind, reading = _reading(indicator.value)
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
