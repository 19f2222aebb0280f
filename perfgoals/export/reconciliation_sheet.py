"""The workbook's 对账 sheet: each budget line's 项目支出 against the projects charged to it, for an
accountant to sign.

Everything is read from :func:`perfgoals.reading.reconcile.reconcile_department` (the checks and the
TUI's 对账 screen read the same result, in the same verdict words, :class:`~perfgoals.reading.reconcile.Verdict`).
The sheet prints it in 万元 rounded to 0.01, so that each row adds up as printed: 差额 is the printed
projects' total minus the printed line figure, and a difference that rounding hides is said in words.

Lines are in code order, 类 → 款 → 项, the name indented by level; a 类 or 款 line is the subtotal of
the lines under it (its label says so, in bold).  Under each line, one row per project charged to it
with its amount; then the projects charged to no line; then the department's 合计.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from perfgoals.export.layout import Styled, Table, TableColumn, TableItem
from perfgoals.export.styles import indent_style
from perfgoals.models import Department, Project
from perfgoals.reading.amounts import project_amount, to_wan_or_none
from perfgoals.reading.links import LINK_UNCONFIRMED, link_unconfirmed
from perfgoals.reading.money import format_wan
from perfgoals.reading.reconcile import DepartmentReconciliation, LineReconciliation, Sum
from perfgoals.reading.rounding import CENT, ZERO, Status

RECON_SHEET = "对账"
#: The label of a department's total row in 目录 and 对账.
TOTAL_LABEL = "合计"
#: Said after the name of a 类 or 款 line that adds up the lines under it.
SUBTOTAL_MARK = "（小计）"
#: The level names of 功能分类 codes of 3, 5 and 7 digits.
LEVEL_NAMES = ("类", "款", "项")

RECON = Table(
    RECON_SHEET,
    (
        TableColumn("部门", "text", 24),
        TableColumn("科目编码", "text_center", 11),
        TableColumn("级次", "text_center", 6),
        TableColumn("科目名称 / 项目名称", "text", 40),
        TableColumn("项目支出（万元）", "money", 14),
        TableColumn("项目金额合计（万元）", "money", 16),
        TableColumn("项目数", "integer", 7),
        TableColumn("差额（万元）", "money", 12),
        TableColumn("结论", "text_center", 14),
        TableColumn("说明", "text", 44),
    ),
    title="项目支出与项目预算对账（单位：万元，取整至 0.01；差额 = 项目金额合计 − 项目支出）",
)
#: The columns by header, for readers of the sheet (tests, the importer's refusal of edits).
RECON_HEADERS = tuple(column.label for column in RECON.columns)


def cents(amount_wan: Decimal) -> Decimal:
    """A figure in 万元 as the sheet prints it: rounded half-up to 0.01 (never ``-0.00``)."""
    rounded = amount_wan.quantize(CENT, rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded


def printed(amount_wan: Decimal | None) -> Decimal | None:
    return None if amount_wan is None else cents(amount_wan)


def difference_notes(total: Sum | None, shown: Decimal | None) -> list[str]:
    """Why the printed 差额 is what it is when the exact difference is not: the difference before
    rounding, and (within rounding) that it comes from rounding each figure to 0.01."""
    if total is None or shown is None or total.difference == shown:
        return []
    exact = format_wan(total.difference, "元")
    if total.status is Status.MISMATCH:
        return [f"未取整的差额为 {exact}"]
    return [
        f"未取整的差额为 {exact}，系各金额分别取整至 0.01 万元所致"
        f"（舍入误差允许 ±{format_wan(total.tolerance, '元')}），取整后差额 {shown:.2f}"
    ]


def inferred_note(projects: Sequence[Project]) -> list[str]:
    inferred = sum(1 for project in projects if project_amount(project).inferred)
    return [f"{inferred} 个项目的金额为推断，待确认"] if inferred else []


def line_notes(entry: LineReconciliation, difference: Decimal | None) -> str:
    notes = difference_notes(entry.total, difference)
    if entry.unpriced:
        notes.append(f"{len(entry.unpriced)} 个项目没有预算金额：{few(entry.unpriced)}")
    slip = entry.slip_project
    if slip is not None:
        project, multiplier = slip
        wrong = "把万元写成了元" if multiplier > 1 else "把元写成了万元"
        notes.append(f"“{project.name}”的金额疑似{wrong}")
    carryover = entry.carryover
    if carryover is not None and carryover.status is Status.MISMATCH:
        notes.append(
            f"上年结转：所含项目 {format_wan(carryover.computed)}，科目 {format_wan(carryover.published)}，"
            f"差额 {format_wan(carryover.difference)}"
        )
    notes += inferred_note(entry.projects)
    suggested = sum(1 for p in entry.projects if link_unconfirmed(p))
    if suggested:
        notes.append(f"{suggested} 个项目的{LINK_UNCONFIRMED}")
    return "；".join(notes)


def few(projects: Sequence[Project], limit: int = 5) -> str:
    """A few names for a note: ``甲、乙、丙等 8 个``."""
    names = "、".join(project.name for project in projects[:limit])
    return names + (f"等 {len(projects)} 个" if len(projects) > limit else "")


def _level(code: str) -> int:
    """0 for a 类 (3 digits), 1 for a 款 (5), 2 for a 项 (7)."""
    return max(0, min((len(code) - 3) // 2, len(LEVEL_NAMES) - 1))


def _project_row(label: str, project: Project, level: int) -> list[TableItem]:
    """A project under its line: its amount in 万元 to 0.01, and what a reader must know of it."""
    amount = project_amount(project)
    notes = []
    if amount.wan is None:
        notes.append("未填金额，未计入")
    else:
        if amount.unit != "万元":
            notes.append(f"金额 {amount.text}")
        if amount.marker:
            notes.append(f"金额{amount.marker}")
    if link_unconfirmed(project):
        notes.append(LINK_UNCONFIRMED)
    return [
        label,
        "",
        "项目",
        Styled(project.name, indent_style(level)),
        None,
        printed(amount.wan),
        None,
        None,
        "",
        "；".join(notes),
    ]


def reconciliation_records(department: Department, result: DepartmentReconciliation) -> list[list[TableItem]]:
    """The department's rows of 对账: each line (类/款 as subtotals) with its projects under it, the
    projects charged to no line, then the 合计 — as :func:`reconcile_department` decided, printed to
    0.01 万元 so that each row's figures add up as printed."""
    label = f"{department.code} {department.name}"
    records: list[list[TableItem]] = []
    entries = sorted(
        (entry for entry in result.lines if entry.line_project_wan is not None or entry.projects),
        key=lambda entry: entry.line.code,
    )
    codes = [entry.line.code for entry in entries]
    for entry in entries:
        line = entry.line
        level = _level(line.code)
        subtotal = any(other != line.code and other.startswith(line.code) for other in codes)
        line_figure = printed(entry.line_project_wan)
        projects_figure = cents(entry.projects_wan)
        difference = None if entry.total is None or line_figure is None else projects_figure - line_figure
        money = "money_total" if subtotal else "money"
        records.append(
            [
                label,
                line.code,
                LEVEL_NAMES[level],
                Styled(line.name + (SUBTOTAL_MARK if subtotal else ""), indent_style(level, bold=subtotal)),
                Styled(line_figure, money),
                Styled(projects_figure, money),
                len(entry.projects),
                Styled(difference, money),
                entry.verdict,
                line_notes(entry, difference),
            ]
        )
        for project in entry.projects:
            if project.budget_line_code == line.code:
                records.append(_project_row(label, project, level + 1))
    if result.unlinked:
        known = [amount for amount in result.unlinked_amounts if amount is not None]
        records.append(
            [
                label,
                "（未指定）",
                "",
                Styled("未挂接到本部门科目的项目", indent_style(0, bold=True)),
                None,
                Styled(cents(sum(known, ZERO)), "money_total"),
                len(result.unlinked),
                None,
                "",
                "；".join(["未挂接科目，不参与科目对账", *inferred_note(result.unlinked)]),
            ]
        )
        for project in result.unlinked:
            records.append(_project_row(label, project, 1))
    records.append(reconciliation_total(department, result))
    return records


def reconciliation_total(department: Department, result: DepartmentReconciliation) -> list[TableItem]:
    """The department's 合计 row: every project against the 项目支出 of the expense table's 合计 row."""
    projects = department.projects
    function_total = department.function_total
    published = result.total.published if result.total is not None else None
    if published is None and function_total is not None:
        published = to_wan_or_none(function_total.project, function_total.unit)
    line_figure = printed(published)
    projects_figure = cents(result.projects_wan)
    difference = None if result.total is None or line_figure is None else projects_figure - line_figure
    notes = difference_notes(result.total, difference)
    unpriced = sum(1 for project in projects if project_amount(project).wan is None)
    if unpriced:
        notes.append(f"{unpriced} 个项目没有预算金额，未计入")
    notes += inferred_note(projects)
    return [
        f"{department.code} {department.name}",
        Styled(TOTAL_LABEL, "total_label"),
        "",
        Styled("全部项目", "text_bold"),
        Styled(line_figure, "money_total"),
        Styled(projects_figure, "money_total"),
        Styled(len(projects), "integer_total"),
        Styled(difference, "money_total"),
        result.verdict,
        "；".join(notes),
    ]
