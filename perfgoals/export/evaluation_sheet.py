"""The 自评表: 项目支出绩效自评表 in the standard (Anhui / Ministry of Finance) layout, one sheet per project,
and a 目录 with each project's 执行率, 总分 and grade.

Every figure comes from :func:`perfgoals.evaluation.evaluate` (the checks and the CLI read the same).
Scores are shown as computed by the standard rules; where a written score differs, it is shown beside
(``9.47（原填 10）``).  A project without a 自评 gets its sheet with the targets and empty actuals, so that
its owner can fill it in, and is listed as 未自评 in the 目录.  Styles are the workbooks' own
(:mod:`perfgoals.export.styles`); the project sheets print as one set (:mod:`perfgoals.export.printing`).

The layout (9 columns)::

    项目支出绩效自评表
    （2022年度）                                                     单位：万元
    项目名称 | …
    主管部门 | … | 实施单位 | …
    项目资金 | | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分
      年度资金总额 / 其中：本年财政拨款 / 上年结转资金 / 其他资金
    年度总体目标 | 预期目标 | 实际完成情况
    绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施
    总分 | 分值合计 | 总分
    评价等级 | 优/良/中/差
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from perfgoals.checks.findings import Finding
from perfgoals.evaluation import EvaluationSummary, RowScore, evaluate
from perfgoals.evaluation.scoring import percent_text
from perfgoals.export import printing
from perfgoals.export.layout import TITLE_HEIGHT, row_height
from perfgoals.export.render import atomic_workbook
from perfgoals.export.sheetnames import SheetNamer
from perfgoals.export.styles import StyleRegistry
from perfgoals.export.xlsx import ExportSummary
from perfgoals.models import DEFAULT_UNIT, Department, EvaluationFunds, Project
from perfgoals.reading.amounts import project_amount
from perfgoals.reading.rows import value_text

TITLE = "项目支出绩效自评表"
TOC_SHEET = "目录"
EDITION = "自评表"
#: Said in the 目录 of a project that has no 自评 yet.
NOT_EVALUATED = "未自评"
#: The rows of the 项目资金 block when a project has no 自评 yet.
FUNDS_LABELS = ("年度资金总额", "其中：本年财政拨款", "上年结转资金", "其他资金")
#: The header of the indicator block, for readers of the sheet (tests).
INDICATOR_HEADERS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
FUNDS_HEADERS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
WIDTHS: tuple[float, ...] = (9, 11, 13, 22, 13, 13, 7, 11, 22)
LAST = len(WIDTHS) - 1
TOC_HEADERS = ("序号", "部门", "项目名称", "全年预算数", "全年执行数", "执行率", "总分", "评价等级", "自评情况", "未处理问题")
TOC_WIDTHS: tuple[float, ...] = (6, 24, 30, 12, 12, 10, 10, 10, 12, 10)

FindingsProvider = Callable[[Department], Sequence[Finding]]


def _default_findings(department: Department) -> Sequence[Finding]:
    from perfgoals.checks import check_department

    return check_department(department, select=["PG7"])


def figure(value: Decimal | None) -> str:
    """A figure as a reviewer writes it: no trailing zeros."""
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def shown_score(computed: Decimal | None, written: Decimal | None) -> Decimal | str | None:
    """The score shown: computed, with the written one beside where they differ (``9.47（原填 10）``)."""
    if computed is None:
        return written
    if written is not None and written != computed:
        return f"{computed:.2f}（原填 {figure(written)}）"
    return computed


@dataclass(slots=True)
class _Entry:
    department: Department
    project: Project
    summary: EvaluationSummary
    findings: list[Finding] = field(default_factory=list)
    sheet: str | None = None


class _Sheet:
    """Writes one sheet row by row, measuring wrapped text to size each row."""

    def __init__(self, sheet: Worksheet, styles: StyleRegistry, widths: Sequence[float]) -> None:
        self.sheet, self.styles, self.widths = sheet, styles, list(widths)
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
        self.row = 0
        self._measured: dict[int, list[tuple[str, float]]] = {}

    def put(self, row: int, col: int, value: object, style: str, *, last_col: int | None = None,
            last_row: int | None = None) -> None:
        last_col = col if last_col is None else last_col
        last_row = row if last_row is None else last_row
        fmt = self.styles[style]
        if (last_row, last_col) != (row, col):
            self.sheet.merge_range(row, col, last_row, last_col, None, fmt)
        if value is None or value == "":
            self.sheet.write_blank(row, col, None, fmt)
        elif isinstance(value, Decimal):
            self.sheet.write_number(row, col, float(value), fmt)
        elif isinstance(value, (int, float)):
            self.sheet.write_number(row, col, value, fmt)
        else:
            self.sheet.write_string(row, col, str(value), fmt)
        if isinstance(value, str) and value and last_row == row:
            self._measured.setdefault(row, []).append((value, sum(self.widths[col : last_col + 1])))

    def measure(self, row: int, col: int, text: str) -> None:
        """Count ``text`` (written some other way, e.g. as a link) in its row's height."""
        self._measured.setdefault(row, []).append((text, self.widths[col]))

    def heights(self, fixed: dict[int, float]) -> None:
        for row, texts in self._measured.items():
            if row not in fixed:
                self.sheet.set_row(row, row_height(texts))
        for row, height in fixed.items():
            self.sheet.set_row(row, height)


def _funds_rows(project: Project, summary: EvaluationSummary) -> list[EvaluationFunds]:
    evaluation = summary.evaluation
    if evaluation is not None and evaluation.funds:
        return list(evaluation.funds)
    money = project_amount(project)
    return [EvaluationFunds(label=FUNDS_LABELS[0], initial=money.wan)] + [
        EvaluationFunds(label=label) for label in FUNDS_LABELS[1:]
    ]


def write_project_sheet(sheet: Worksheet, styles: StyleRegistry, department: Department, project: Project,
                        summary: EvaluationSummary) -> None:
    """One project's 自评表."""
    out = _Sheet(sheet, styles, WIDTHS)
    unit = summary.evaluation.unit if summary.evaluation is not None else DEFAULT_UNIT
    fixed: dict[int, float] = {0: TITLE_HEIGHT}
    out.put(0, 0, TITLE, "title", last_col=LAST)
    out.put(1, 0, f"（{department.year}年度）", "line_center", last_col=LAST - 1)
    out.put(1, LAST, f"单位：{unit}", "line_right")
    out.put(2, 0, "项目名称", "label")
    out.put(2, 1, project.name, "text", last_col=LAST)
    out.put(3, 0, "主管部门", "label")
    out.put(3, 1, f"{department.code}-{department.name}", "text", last_col=3)
    out.put(3, 4, "实施单位", "label")
    out.put(3, 5, project.implementing_unit, "text", last_col=LAST)
    row = 4
    funds = _funds_rows(project, summary)
    out.put(row, 0, f"项目资金（{unit}）", "label", last_row=row + len(funds))
    out.put(row, 1, "", "header", last_col=2)
    for offset, header in enumerate(FUNDS_HEADERS):
        out.put(row, 3 + offset, header, "header")
    rate = summary.rate
    for index, entry in enumerate(funds):
        r = row + 1 + index
        out.put(r, 1, entry.label, "text", last_col=2)
        out.put(r, 3, entry.initial, "money_exact")
        out.put(r, 4, entry.full_year, "money_exact")
        out.put(r, 5, entry.executed, "money_exact")
        if index == 0:
            out.put(r, 6, rate.points, "number")
            rate_text = percent_text(rate.rate)
            if rate.rate_text.strip() and rate.written_rate is not None and rate.written_rate != rate.rate and rate_text:
                rate_text = f"{rate_text}（原填 {rate.rate_text.strip()}）"
            out.put(r, 7, rate_text or rate.rate_text, "text_center")
            out.put(r, 8, shown_score(rate.computed, rate.written), "number")
        else:
            for col in (6, 7, 8):
                out.put(r, col, "", "text_center")
    row += 1 + len(funds)
    goal_text = project.goal.goal_text
    achieved = summary.evaluation.achieved if summary.evaluation is not None else ""
    out.put(row, 0, "年度总体目标", "label", last_row=row + 1)
    out.put(row, 1, "预期目标", "header", last_col=4)
    out.put(row, 5, "实际完成情况", "header", last_col=LAST)
    out.put(row + 1, 1, goal_text, "text", last_col=4)
    out.put(row + 1, 5, achieved, "text", last_col=LAST)
    row += 2
    rows = summary.rows
    out.put(row, 0, "绩效指标", "label", last_row=row + max(len(rows), 1))
    for offset, header in enumerate(INDICATOR_HEADERS):
        out.put(row, 1 + offset, header, "header")
    row += 1
    _indicator_rows(out, row, summary)
    row += max(len(rows), 1)
    out.put(row, 0, "总分", "total_label", last_col=5)
    out.put(row, 6, summary.points_total, "number")
    evaluated = summary.evaluation is not None
    total = shown_score(summary.computed_total, summary.written_total) if evaluated else None
    out.put(row, 7, total, "number", last_col=LAST - 1)
    out.put(row, LAST, "", "text")
    row += 1
    out.put(row, 0, "评价等级", "total_label", last_col=5)
    grade = summary.computed_grade.value if evaluated else NOT_EVALUATED
    written_grade = summary.written_grade.strip()
    if written_grade and written_grade != grade:
        grade = f"{grade}（原填 {written_grade}）"
    out.put(row, 6, grade, "text_center", last_col=LAST)
    out.heights(fixed)


def _indicator_rows(out: _Sheet, first: int, summary: EvaluationSummary) -> None:
    rows = summary.rows
    if not rows:
        for col in range(1, LAST + 1):
            out.put(first, col, "", "text")
        return
    for run_start, run_end in _runs([row.indicator.level1.strip() for row in rows]):
        row = rows[run_start]
        label = row.indicator.level1.strip()
        points = summary.level1_points.get(row.level1)
        if label and points is not None and row.pool == row.level1:
            label = f"{label}（{figure(points)}分）"
        out.put(first + run_start, 1, label, "text_center", last_row=first + run_end)
    for run_start, run_end in _runs([(r.indicator.level1.strip(), r.indicator.level2.strip()) for r in rows]):
        out.put(first + run_start, 2, rows[run_start].indicator.level2, "text_center", last_row=first + run_end)
    for offset, row in enumerate(rows):
        _indicator_row(out, first + offset, row)


def _indicator_row(out: _Sheet, r: int, row: RowScore) -> None:
    indicator = row.indicator
    out.put(r, 3, indicator.level3, "text")
    out.put(r, 4, value_text(indicator.value, indicator.unit, indicator.nature), "text_center")
    out.put(r, 5, row.actual, "text_center")
    out.put(r, 6, row.points, "number")
    out.put(r, 7, shown_score(row.computed.score, row.written), "number")
    out.put(r, 8, row.reason, "text")


def _runs(keys: Sequence[object]) -> list[tuple[int, int]]:
    """Runs of equal consecutive keys, as (first, last) indices."""
    runs: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            runs.append((start, index - 1))
            start = index
    return runs


def _belongs(finding: Finding, project: Project) -> bool:
    location = finding.location
    if location.project_id is not None and project.id is not None:
        return location.project_id == project.id
    return location.project == project.name


def _write_toc(workbook: Workbook, styles: StyleRegistry, entries: list[_Entry]) -> None:
    sheet = workbook.add_worksheet(TOC_SHEET)
    out = _Sheet(sheet, styles, TOC_WIDTHS)
    years = sorted({entry.department.year for entry in entries})
    out.put(0, 0, f"{TITLE}目录" + (f"（{'、'.join(map(str, years))}年度）" if years else ""), "title",
            last_col=len(TOC_WIDTHS) - 1)
    for col, header in enumerate(TOC_HEADERS):
        out.put(1, col, header, "header")
    sheet.freeze_panes(2, 0)
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(1)
    for number, entry in enumerate(entries, start=1):
        r = 1 + number
        summary = entry.summary
        evaluated = summary.evaluation is not None
        out.put(r, 0, number, "integer")
        out.put(r, 1, f"{entry.department.code} {entry.department.name}", "text")
        if entry.sheet is not None:
            sheet.write_url(r, 2, f"internal:'{entry.sheet}'!A1", styles["link"], string=entry.project.name)
            out.measure(r, 2, entry.project.name)
        else:
            out.put(r, 2, entry.project.name, "text")
        out.put(r, 3, summary.rate.full_year if evaluated else None, "money_exact")
        out.put(r, 4, summary.rate.executed if evaluated else None, "money_exact")
        out.put(r, 5, percent_text(summary.rate.rate) if evaluated else "", "text_center")
        out.put(r, 6, summary.computed_total if evaluated else NOT_EVALUATED, "number" if evaluated else "text_center")
        out.put(r, 7, summary.computed_grade.value if evaluated else "", "text_center")
        out.put(r, 8, "已自评" if evaluated else NOT_EVALUATED, "text_center")
        out.put(r, 9, len(entry.findings), "integer")
    out.heights({0: TITLE_HEIGHT})


def write_evaluation_workbook(
    path: Path,
    departments: Iterable[Department],
    *,
    findings: FindingsProvider | None = None,
    digit_pixels: float = printing.DIGIT_PIXELS,
) -> ExportSummary:
    """Write the 自评表 of ``departments``' projects to ``path`` atomically: a 目录, then one sheet per
    project.  ``findings`` defaults to the PG7xx checks of each department."""
    provider = findings or _default_findings
    entries: list[_Entry] = []
    seen = 0
    for department in departments:
        seen += 1
        found = [finding for finding in provider(department) if not finding.accepted]
        for project in department.projects:
            entries.append(_Entry(department, project, evaluate(project, department.framework),
                                  [finding for finding in found if _belongs(finding, project)]))
    namer = SheetNamer((TOC_SHEET,))
    for entry in entries:
        prefix = f"{entry.department.code} " if seen > 1 else ""
        entry.sheet = namer.claim(prefix + entry.project.name)
    path = Path(path)
    summary = ExportSummary(path=path, departments=seen, edition=EDITION)
    with atomic_workbook(path, {}) as workbook:
        styles = StyleRegistry(workbook)
        _write_toc(workbook, styles, entries)
        summary.sheets.append(TOC_SHEET)
        printed: list[tuple[Worksheet, Sequence[float]]] = []
        for entry in entries:
            assert entry.sheet is not None
            sheet = workbook.add_worksheet(entry.sheet)
            sheet.set_paper(9)
            sheet.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
            sheet.center_horizontally()
            write_project_sheet(sheet, styles, entry.department, entry.project, entry.summary)
            printed.append((sheet, WIDTHS))
            summary.sheets.append(entry.sheet)
            summary.projects += 1
            summary.indicator_rows += len(entry.project.goal.indicators)
            summary.findings += len(entry.findings)
        summary.printing = printing.apply(printed, digit_pixels)
    return summary
