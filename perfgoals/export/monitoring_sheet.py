"""The 监控表: 项目支出绩效目标执行监控表 in the Ministry of Finance's layout, one sheet per project, and a
目录 with each project's 执行率 against the time elapsed and its open monitoring findings.

Every figure is read from :func:`perfgoals.monitoring.read_monitoring` (the checks and the CLI read the
same); the findings are the PG6xx checks'.  Sheets are laid out as :class:`~perfgoals.export.layout.
SheetLayout` objects and written by :mod:`perfgoals.export.render` in the workbooks' styles
(:mod:`perfgoals.export.styles`); the project sheets print as one set (:mod:`perfgoals.export.printing`).

The layout (17 columns)::

    项目支出绩效目标执行监控表
    （2022年度）
    截至日期：2022年7月31日                                       单位：万元
    项目名称 | …
    主管部门 | … | 实施单位 | …
    项目资金 | 资金 | 年初预算数 | 全年预算数 | 1-7月执行数 | 执行率 | 全年预计执行数 | 序时进度
    年度总体目标 | 年初设定目标 | 1-7月实际完成情况
    绩效指标 | 一级 | 二级 | 三级 | 年度指标值 | 1-7月执行情况 | 全年预计完成情况 |
             偏差原因分析（经费保障 制度保障 人员保障 硬件条件保障 其他 原因说明） |
             完成目标可能性（确定能 有可能 完全不可能） | 备注
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from xlsxwriter.worksheet import Worksheet

from perfgoals.checks.findings import Finding
from perfgoals.export import printing
from perfgoals.export.layout import (
    TITLE_HEIGHT,
    Cell,
    CellValue,
    Link,
    Merge,
    PageSetup,
    Row,
    SheetLayout,
    Styled,
    Table,
    TableColumn,
    TableItem,
    row_height,
)
from perfgoals.export.render import SheetWriter, atomic_workbook
from perfgoals.export.sheetnames import SheetNamer
from perfgoals.export.styles import StyleRegistry
from perfgoals.export.xlsx import ExportSummary
from perfgoals.models import Department, DeviationCause, Likelihood, Project
from perfgoals.monitoring.figures import MonitoringReading, months_label, percent, read_monitoring
from perfgoals.reading.amounts import project_amount
from perfgoals.reading.rows import value_text

TITLE = "项目支出绩效目标执行监控表"
TOC_SHEET = "目录"
#: The ✓ of a chosen cause or likelihood.
CHECK = "✓"
#: Said in the 目录 of a project that has no monitoring yet.
NOT_MONITORED = "未填报"
EDITION = "监控表"

CAUSES: tuple[DeviationCause, ...] = tuple(DeviationCause)
LIKELIHOODS: tuple[Likelihood, ...] = tuple(Likelihood)

# Columns of a project sheet.
LABEL, L1, L2, L3, TARGET, PROGRESS, EXPECTED = range(7)
FIRST_CAUSE = 7
REASON = FIRST_CAUSE + len(CAUSES)  # 12
FIRST_LIKELIHOOD = REASON + 1  # 13
REMARK = FIRST_LIKELIHOOD + len(LIKELIHOODS)  # 16
LAST = REMARK
WIDTHS: tuple[float, ...] = (12, 10, 12, 18, 12, 13, 13, 5.5, 5.5, 5.5, 5.5, 5.5, 22, 5.5, 5.5, 5.5, 12)
#: The header row that starts the indicator block, for readers of the sheet (tests).
INDICATOR_HEADERS = ("一级指标", "二级指标", "三级指标", "年度指标值")

FindingsProvider = Callable[[Department], Sequence[Finding]]


def _default_findings(department: Department) -> Sequence[Finding]:
    from perfgoals.checks import check_department

    return check_department(department, select=["PG6"])


class _Grid:
    """Cells by row, merges and the texts that size each row, built in any order and laid out in order."""

    def __init__(self, widths: Sequence[float]) -> None:
        self.widths = list(widths)
        self.cells: dict[int, dict[int, Cell]] = {}
        self.merges: list[Merge] = []
        self.measured: dict[int, list[tuple[str, float]]] = {}
        self.heights: dict[int, float] = {}

    def put(
        self, row: int, col: int, value: CellValue, style: str, *, last_col: int | None = None,
        last_row: int | None = None,
    ) -> None:
        last_col = col if last_col is None else last_col
        last_row = row if last_row is None else last_row
        for r in range(row, last_row + 1):
            for c in range(col, last_col + 1):
                first = r == row and c == col
                self.cells.setdefault(r, {})[c] = Cell(c, value if first else None, style)
        if (last_col, last_row) != (col, row):
            self.merges.append(Merge(row, col, last_row, last_col))
        if isinstance(value, str) and value and last_row == row:
            self.measured.setdefault(row, []).append((value, sum(self.widths[col : last_col + 1])))

    def rows(self) -> list[Row]:
        result = []
        for index in sorted(self.cells):
            cells = [self.cells[index][col] for col in sorted(self.cells[index])]
            height = self.heights.get(index) or row_height(self.measured.get(index, []))
            result.append(Row(index, cells, height))
        return result


def _money(value: Decimal | None) -> Styled:
    return Styled(value, "money_exact")


def _date_text(reading: MonitoringReading) -> str:
    day = reading.as_of
    return f"{day.year}年{day.month}月{day.day}日"


def project_sheet(name: str, department: Department, project: Project, reading: MonitoringReading) -> SheetLayout:
    """The 监控表 of one project."""
    grid = _Grid(WIDTHS)
    months = reading.months
    grid.put(0, 0, TITLE, "title", last_col=LAST)
    grid.heights[0] = TITLE_HEIGHT
    grid.put(1, 0, f"（{department.year}年度）", "line_center", last_col=LAST)
    grid.put(2, 0, f"截至日期：{_date_text(reading)}", "line_left", last_col=REASON - 1)
    grid.put(2, REASON, "单位：万元", "line_right", last_col=LAST)
    grid.put(3, LABEL, "项目名称", "label")
    grid.put(3, L1, project.name, "text", last_col=LAST)
    grid.put(4, LABEL, "主管部门", "label")
    grid.put(4, L1, f"{department.code} {department.name}", "text", last_col=EXPECTED)
    grid.put(4, FIRST_CAUSE, "实施单位", "label", last_col=FIRST_CAUSE + 2)
    grid.put(4, FIRST_CAUSE + 3, project.implementing_unit or department.name, "text", last_col=LAST)

    # 项目资金
    grid.put(5, LABEL, "项目资金\n（万元）", "label", last_row=6)
    grid.put(5, L1, "", "header", last_col=L3)
    headers = ((TARGET, TARGET, "年初预算数"), (PROGRESS, PROGRESS, "全年预算数"),
               (EXPECTED, EXPECTED, f"{months}执行数"), (FIRST_CAUSE, REASON - 1, "执行率"),
               (REASON, REASON, "全年预计执行数"), (FIRST_LIKELIHOOD, LAST, "序时进度"))
    for first, last, text in headers:
        grid.put(5, first, text, "header", last_col=last)
    budget = reading.budget_wan
    marker = reading.budget.marker
    grid.put(6, L1, "年度资金总额" + (f"（{marker}）" if marker else ""), "text", last_col=L3)
    grid.put(6, TARGET, budget, "money_exact")
    grid.put(6, PROGRESS, budget, "money_exact")
    grid.put(6, EXPECTED, reading.executed_wan, "money_exact")
    grid.put(6, FIRST_CAUSE, percent(reading.rate) if reading.rate is not None else "", "text_center",
             last_col=REASON - 1)
    grid.put(6, REASON, reading.expected_executed_wan, "money_exact")
    grid.put(6, FIRST_LIKELIHOOD, percent(reading.elapsed), "text_center", last_col=LAST)

    # 年度总体目标
    grid.put(7, LABEL, "年度总体目标", "label", last_row=8)
    grid.put(7, L1, "年初设定目标", "header", last_col=EXPECTED)
    grid.put(7, FIRST_CAUSE, f"{months}实际完成情况", "header", last_col=LAST)
    grid.put(8, L1, project.goal.goal_text, "text", last_col=EXPECTED)
    grid.put(8, FIRST_CAUSE, reading.monitoring.achieved, "text", last_col=LAST)

    # 绩效指标
    header, sub = 9, 10
    for col, text in ((L1, "一级指标"), (L2, "二级指标"), (L3, "三级指标"), (TARGET, "年度指标值"),
                      (PROGRESS, f"{months}执行情况"), (EXPECTED, "全年预计完成情况"), (REMARK, "备注")):
        grid.put(header, col, text, "header", last_row=sub)
    grid.put(header, FIRST_CAUSE, "偏差原因分析", "header", last_col=REASON)
    grid.put(header, FIRST_LIKELIHOOD, "完成目标可能性", "header", last_col=REMARK - 1)
    for offset, cause in enumerate(CAUSES):
        grid.put(sub, FIRST_CAUSE + offset, cause.value, "header")
    grid.put(sub, REASON, "原因说明", "header")
    for offset, likelihood in enumerate(LIKELIHOODS):
        grid.put(sub, FIRST_LIKELIHOOD + offset, likelihood.value, "header")
    first = sub + 1
    indicators = project.goal.indicators
    count = max(len(indicators), 1)
    grid.put(header, LABEL, "绩效指标", "label", last_row=first + count - 1)
    level1_spans = _spans([indicator.level1 for indicator in indicators])
    level2_spans = _spans([(indicator.level1, indicator.level2) for indicator in indicators])
    for position, indicator in enumerate(indicators):
        index = first + position
        row = reading.row_for(position)
        entry = row.entry if row is not None else None
        for col, span in ((L1, level1_spans.get(position)), (L2, level2_spans.get(position))):
            if span is not None:  # the first row of a group: its label, merged down the group
                label = indicator.level1 if col == L1 else indicator.level2
                grid.put(index, col, label, "text_center", last_row=first + span)
        grid.put(index, L3, indicator.level3, "text")
        grid.put(index, TARGET, value_text(indicator.value, indicator.unit, indicator.nature), "text_center")
        grid.put(index, PROGRESS, entry.progress if entry else "", "text_center")
        grid.put(index, EXPECTED, entry.expected if entry else "", "text_center")
        for offset, cause in enumerate(CAUSES):
            grid.put(index, FIRST_CAUSE + offset, CHECK if entry and cause in entry.causes else "", "text_center")
        grid.put(index, REASON, entry.reason if entry else "", "text")
        for offset, likelihood in enumerate(LIKELIHOODS):
            chosen = entry is not None and entry.likelihood == likelihood
            grid.put(index, FIRST_LIKELIHOOD + offset, CHECK if chosen else "", "text_center")
        grid.put(index, REMARK, entry.remark if entry else "", "text")
    if not indicators:
        for col in range(L1, LAST + 1):
            grid.put(first, col, "", "text")
    note_row = first + count
    grid.put(
        note_row, 0,
        f"注：执行率 = {months}执行数 ÷ 全年预算数；序时进度按月计算（截至{_date_text(reading)}为 "
        f"{percent(reading.elapsed)}）。",
        "line_left", last_col=LAST,
    )
    widths = list(WIDTHS)
    return SheetLayout(
        name=name,
        widths=widths,
        rows=grid.rows(),
        merges=grid.merges,
        page=PageSetup(
            landscape=True,
            repeat_rows=(header, sub),
            header=f"&L{_header_text(department.name)}&C{_header_text(project.name[:30])}&R{department.year}年",
        ),
    )


def _spans(keys: Sequence[object]) -> dict[int, int]:
    """Runs of equal consecutive keys: each run's first position → its last."""
    spans: dict[int, int] = {}
    start = 0
    for position in range(1, len(keys) + 1):
        if position == len(keys) or keys[position] != keys[start]:
            spans[start] = position - 1
            start = position
    return spans


def _header_text(text: str) -> str:
    return text.replace("&", "&&")


TOC = Table(
    TOC_SHEET,
    (
        TableColumn("序号", "integer", 6),
        TableColumn("部门", "text", 27),
        TableColumn("项目名称", "text", 36),
        TableColumn("截至日期", "text_center", 19),
        TableColumn("全年预算数（万元）", "money_exact", 14),
        TableColumn("1-N月执行数（万元）", "money_exact", 14),
        TableColumn("执行率", "text_center", 10),
        TableColumn("序时进度", "text_center", 10),
        TableColumn("偏离目标的指标", "integer", 9),
        TableColumn("未处理的监控问题", "integer", 9),
        TableColumn("问题", "text", 60),
    ),
    title="绩效监控目录",
)


def toc_table(years: Sequence[int]) -> Table:
    """The 目录 with its title naming the budget year(s)."""
    shown = "、".join(str(year) for year in sorted(set(years)))
    return Table(TOC.name, TOC.columns, title=f"绩效监控目录（{shown}年度）" if shown else TOC.title)


#: The 目录's column labels, for readers of the sheet.
TOC_HEADERS = tuple(column.label for column in TOC.columns)


@dataclass
class _Entry:
    department: Department
    project: Project
    reading: MonitoringReading | None
    findings: list[Finding] = field(default_factory=list)
    sheet: str | None = None


def _toc_record(number: int, entry: _Entry) -> list[TableItem]:
    reading = entry.reading
    department = f"{entry.department.code} {entry.department.name}"
    if reading is None:
        return [number, department, entry.project.name, NOT_MONITORED, _money(read_budget(entry.project)),
                None, "", "", None, None, ""]
    name: TableItem = Link(entry.project.name, entry.sheet) if entry.sheet else entry.project.name
    problems = "\n".join(f"{finding.code} {finding.message}" for finding in entry.findings)
    return [
        number,
        department,
        name,
        f"{reading.as_of:%Y-%m-%d}（{months_label(reading.as_of, reading.year)}）",
        _money(reading.budget_wan),
        _money(reading.executed_wan),
        percent(reading.rate),
        percent(reading.elapsed),
        len(reading.off_course),
        len(entry.findings),
        problems,
    ]


def read_budget(project: Project) -> Decimal | None:
    return project_amount(project).wan


def _belongs(finding: Finding, project: Project) -> bool:
    if project.id is not None and finding.location.project_id is not None:
        return finding.location.project_id == project.id
    return finding.location.project == project.name


def write_monitoring_workbook(
    path: Path,
    departments: Iterable[Department],
    *,
    findings: FindingsProvider | None = None,
    digit_pixels: float = printing.DIGIT_PIXELS,
) -> ExportSummary:
    """Write the 监控表 of ``departments``' projects to ``path`` atomically: a 目录, then one sheet per
    monitored project (named after it; after its department's code too when there are several
    departments).  ``findings`` defaults to the PG6xx checks of each department.

    Departments stream through one at a time, each written to the 目录 and its sheets before the next."""
    provider = findings or _default_findings
    stream = iter(departments)
    first, second = next(stream, None), next(stream, None)
    multi = second is not None
    path = Path(path)
    summary = ExportSummary(path=path, edition=EDITION)
    with atomic_workbook(path, {"constant_memory": True}) as workbook:
        styles = StyleRegistry(workbook)
        table = toc_table([first.year] if first is not None else [])
        toc = SheetWriter(workbook, styles, table.layout())
        summary.sheets.append(TOC_SHEET)
        namer = SheetNamer((TOC_SHEET,))
        printed: list[tuple[Worksheet, Sequence[float]]] = []
        number = 0
        for department in itertools.chain([first] if first else [], [second] if second else [], stream):
            summary.departments += 1
            found = [finding for finding in provider(department) if not finding.accepted]
            for project in department.projects:
                reading = read_monitoring(project, department.year, department.framework)
                entry = _Entry(department, project, reading, [f for f in found if _belongs(f, project)])
                if reading is not None:
                    entry.sheet = namer.claim(f"{department.code} {project.name}" if multi else project.name)
                toc.write(table.row(number, _toc_record(number + 1, entry)))
                number += 1
                if reading is None or entry.sheet is None:
                    continue
                layout = project_sheet(entry.sheet, department, project, reading)
                writer = SheetWriter(workbook, styles, layout)
                writer.close()
                printed.append((writer.sheet, layout.widths))
                summary.sheets.append(entry.sheet)
                summary.projects += 1
                summary.indicator_rows += len(project.goal.indicators)
                summary.findings += len(entry.findings)
        toc.close()
        summary.printing = printing.apply(printed, digit_pixels)
    return summary
