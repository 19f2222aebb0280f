"""The indicator data as CSV (UTF-8 with BOM, so Excel reads the Chinese) and JSON, for other systems.

Both stream: departments are written one at a time, so memory stays flat at province scale.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from perfgoals.export.files import ExportError, atomic_text
from perfgoals.export.records import INDICATOR_FIELDS, indicator_records, source_text
from perfgoals.export.xlsx import ExportSummary, ProgressCallback
from perfgoals.models import Department, Project
from perfgoals.reading.amounts import project_amount
from perfgoals.reading.rows import indicator_value
from perfgoals.text import visible

JSON_FORMAT = "perfgoals/indicators"
JSON_VERSION = 1
#: Characters that make a spreadsheet read a CSV cell as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(value: Any, *, excel_safe: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    text = str(value)
    if excel_safe and text.startswith(_FORMULA_START):
        try:
            Decimal(text)
        except ArithmeticError:
            # An apostrophe makes Excel show the text as text instead of evaluating it.
            return "'" + visible(text)
    # Control characters shown as signs, for people (--raw-csv, for programs, keeps them as typed).
    return visible(text) if excel_safe else text


def write_csv(
    path: Path,
    departments: Iterable[Department],
    *,
    excel_safe: bool = True,
    total_projects: int | None = None,
    progress: ProgressCallback | None = None,
) -> ExportSummary:
    """One row per indicator row, with its department and project; UTF-8 with BOM.

    ``excel_safe`` prefixes text that Excel would take for a formula (``=…``, ``+…``, ``-…``, ``@…``)
    with an apostrophe; numbers such as ``-5`` are left alone.
    """
    summary = ExportSummary(path=path)
    with atomic_text(path, encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow([item.label for item in INDICATOR_FIELDS])
        for department in departments:
            summary.departments += 1
            for record in indicator_records(department):
                writer.writerow(
                    [_csv_text(record[item.key], excel_safe=excel_safe) for item in INDICATOR_FIELDS]
                )
                summary.indicator_rows += 1
            _advance(summary, department, total_projects, progress)
        if summary.departments == 0:
            raise ExportError("没有可导出的部门数据")
    return summary


def _advance(
    summary: ExportSummary, department: Department, total: int | None, progress: ProgressCallback | None
) -> None:
    for _ in department.projects:
        summary.projects += 1
        if progress is not None:
            progress(summary.projects, total)


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def project_json(project: Project) -> dict[str, Any]:
    """A project's goal table with its context; text as typed, amounts as decimal strings.

    The amount as written (``budget_amount`` in ``amount_unit``), in 万元, and where it came from: an
    inferred amount says so (``amount_inferred``, and ``amount_source_label`` ``按成本指标推断，待确认``).
    Each 指标值 is read together with its 度量单位 column.
    """
    amount = project_amount(project)
    indicators = []
    for row, indicator in enumerate(project.goal.indicators, start=1):
        parsed = indicator_value(indicator)
        indicators.append(
            {
                "row": row,
                **indicator.model_dump(mode="json"),
                "parsed": {
                    "kind": parsed.kind.value,
                    "comparator": parsed.comparator.value if parsed.comparator else None,
                    "number": _decimal(parsed.number),
                    "upper": _decimal(parsed.upper),
                    "unit": parsed.unit,
                    "amount_wan": _decimal(parsed.amount_wan),
                    "reading": parsed.describe(),
                },
            }
        )
    return {
        "id": project.id,
        "name": project.name,
        "code": project.code,
        "budget_line_code": project.budget_line_code,
        "line_link": project.line_link.value if project.line_link else None,
        "fund_source": project.fund_source.value if project.fund_source else None,
        "budget_amount": _decimal(amount.amount),
        "amount_unit": amount.unit,
        "budget_amount_wan": _decimal(amount.wan),
        "budget_amount_text": amount.describe() if amount.amount is not None else None,
        "amount_source": amount.source.value,
        "amount_source_label": source_text(amount),
        "amount_inferred": amount.inferred,
        "status": project.status.value,
        "owner": project.owner,
        "goal_text": project.goal.goal_text,
        "revision": project.goal.revision,
        "indicators": indicators,
    }


def write_json(
    path: Path,
    departments: Iterable[Department],
    *,
    total_projects: int | None = None,
    progress: ProgressCallback | None = None,
) -> ExportSummary:
    """``{"format": "perfgoals/indicators", "departments": [{…, "projects": [{…, "indicators": […]}]}]}``."""
    summary = ExportSummary(path=path)
    with atomic_text(path, encoding="utf-8", newline="\n") as stream:
        head = {
            "format": JSON_FORMAT,
            "version": JSON_VERSION,
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        stream.write(json.dumps(head, ensure_ascii=False, indent=2)[:-2] + ',\n  "departments": [')
        for department in departments:
            data = {
                "code": department.code,
                "name": department.name,
                "year": department.year,
                "money_unit": "万元",
                "framework": department.framework,
                "projects": [project_json(project) for project in department.projects],
            }
            text = json.dumps(data, ensure_ascii=False, indent=2)
            stream.write(("," if summary.departments else "") + "\n" + _indent(text, 4))
            summary.departments += 1
            summary.indicator_rows += sum(len(p.goal.indicators) for p in department.projects)
            _advance(summary, department, total_projects, progress)
        if summary.departments == 0:
            raise ExportError("没有可导出的部门数据")
        stream.write("\n  ]\n}\n")
    return summary


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line for line in text.splitlines())
