"""The indicator data of a department as flat records: the 汇总 sheet, CSV and JSON share them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from perfgoals.export.layout import amount_in_wan
from perfgoals.models import Department, GoalTable, Indicator, Project
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


def indicator_record(
    department: Department, project: Project, row: int, indicator: Indicator
) -> dict[str, Any]:
    """One indicator row with its project's context; text as typed, amounts as Decimal."""
    parsed = parse_value(indicator.value)
    return {
        "department_code": department.code,
        "department_name": department.name,
        "year": department.year,
        "project": project.name,
        "project_code": project.code or "",
        "budget_line": project.budget_line_code or "",
        "budget_amount_wan": amount_in_wan(project.budget_amount, project.amount_unit),
        "status": project.status.value,
        "row": row,
        "level1": indicator.level1,
        "level2": indicator.level2,
        "level3": indicator.level3,
        "description": indicator.description,
        "value": indicator.value,
        "basis": indicator.basis,
        "mid_term_value": indicator.mid_term_value,
        "weight": indicator.weight,
        "direction": indicator.direction.value if indicator.direction else None,
        "unit": indicator.unit,
        "reference_value": indicator.reference_value,
        "value_kind": KIND_LABELS.get(parsed.kind.value, parsed.kind.value),
        "value_reading": parsed.describe(),
    }


def indicator_records(department: Department) -> Iterator[dict[str, Any]]:
    for project in department.projects:
        for row, indicator in enumerate(project.goal.indicators, start=1):
            yield indicator_record(department, project, row, indicator)


def _normal_weight(weight: Decimal | None) -> str | None:
    if weight is None:
        return None
    normal = weight.normalize()
    return format(normal, "f")


def goal_fingerprint(goal: GoalTable) -> str:
    """A digest of a goal table's content that survives a trip through Excel (weights compared as numbers)."""
    content = {
        "goal_text": goal.goal_text.replace("\r\n", "\n"),
        "indicators": [
            {
                **{
                    key: (value.replace("\r\n", "\n") if isinstance(value, str) else value)
                    for key, value in indicator.model_dump(mode="json", exclude={"weight"}).items()
                },
                "weight": _normal_weight(indicator.weight),
            }
            for indicator in goal.indicators
        ],
    }
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
