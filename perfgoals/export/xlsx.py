"""The workbook the finance office hands on: 目录, 汇总, 对账, 问题 and one 绩效目标表 per project.

Departments stream through one at a time and every sheet is written row by row in XlsxWriter's
constant_memory mode, so memory stays flat however many departments a province exports.  A hidden
``_perfgoals`` sheet and one defined name per project sheet let :mod:`perfgoals.importers.workbook`
read an edited copy back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from xlsxwriter.workbook import Workbook

from perfgoals.checks.findings import Finding
from perfgoals.export import followup_sheets, printing
from perfgoals.export.editions import (
    NOT_CHECKED,
    SUBMIT_TOC,
    Edition,
    submit_toc_record,
    submit_toc_total,
    total_notes,
)
from perfgoals.export.files import ExportError
from perfgoals.export.goal_layouts import NAMED_LAYOUTS
from perfgoals.export.layout import (
    CELL_PADDING,
    WIDTH_PER_DISPLAY_UNIT,
    Cell,
    Link,
    ProjectSheetGeometry,
    Row,
    SheetLayout,
    Styled,
    Table,
    TableColumn,
    TableItem,
    lines_needed,
    money_cell,
    project_sheet,
    row_height_for_lines,
)
from perfgoals.export.printing import SetPrinting
from perfgoals.export.reconciliation_sheet import (
    RECON,
    RECON_SHEET,
    TOTAL_LABEL,
    cents,
    reconciliation_records,
)
from perfgoals.export.records import INDICATOR_FIELDS, goal_fingerprint, indicator_rows, source_text
from perfgoals.export.render import MAX_LINKS, FlatWorksheet, SheetWriter, atomic_workbook
from perfgoals.export.sheetnames import SheetNamer, quote_sheet_name
from perfgoals.export.styles import StyleRegistry
from perfgoals.models import Department, Project
from perfgoals.reading.amounts import project_amount
from perfgoals.reading.reconcile import (
    DepartmentReconciliation,
    reconcile_department,
)
from perfgoals.text import visible

#: Called after each project with (projects done, projects in all or ``None`` when unknown).
ProgressCallback = Callable[[int, int | None], None]
FindingsProvider = Callable[[Department], Sequence[Finding]]

FORMAT_NAME = "perfgoals/workbook"
FORMAT_VERSION = 1
META_SHEET = "_perfgoals"
META_HEADER = (
    "defined_name",
    "sheet",
    "department_code",
    "department_name",
    "year",
    "project_id",
    "project_name",
    "revision",
    "fingerprint",
    "goal_row",
    "header_row",
    "first_row",
    "rows",
    "columns",
    "amount_wan",
    "implementing_unit",
)
#: Workbooks exported before ``implementing_unit`` was added have only the columns up to ``amount_wan``.
META_HEADER_MINIMUM = 15
META_FIRST_ROW = 5
SHEET_DEFINED_NAME = "perfgoals_sheet_{}"

TOC_SHEET, SUMMARY_SHEET, FINDINGS_SHEET = "目录", "汇总", "问题"


#: Above this many projects a multi-department workbook leaves out the per-project sheets by default:
#: Excel becomes unusable with tens of thousands of tabs, and each sheet costs memory until the end.
MAX_PROJECT_SHEETS = 2000


def wants_project_sheets(
    requested: bool | None, *, consolidated: bool, multi_department: bool, total: int | None
) -> bool:
    """Whether a workbook gets one sheet per project (always, when it has nothing else)."""
    if not consolidated:
        return True
    if requested is not None:
        return requested
    return not (multi_department and total is not None and total > MAX_PROJECT_SHEETS)


@dataclass
class ExportSummary:
    path: Path
    departments: int = 0
    projects: int = 0
    indicator_rows: int = 0
    findings: int = 0
    sheets: list[str] = field(default_factory=list)
    #: False when the export ran no checks: then no count of problems is claimed.
    checked: bool = True
    #: The 报送版 says so; the 工作版 (and JSON/CSV) leave it empty.
    edition: str = ""
    #: The project sheets' orientation and scale, when there are project sheets.
    printing: SetPrinting | None = None

    def describe(self) -> str:
        found = self.edition or (f"{self.findings} 条问题" if self.checked else "未运行校验")
        return (
            f"已导出 {self.departments} 个部门、{self.projects} 个项目、{self.indicator_rows} 行绩效指标"
            f"（{found}）：{self.path}"
        )


def _default_findings(department: Department) -> Sequence[Finding]:
    from perfgoals.checks import check_department

    return check_department(department)


def _department_label(department: Department) -> str:
    return f"{department.code} {department.name}"


def _belongs(finding: Finding, project: Project) -> bool:
    location = finding.location
    if location.project_id is not None and project.id is not None:
        return location.project_id == project.id
    return location.project == project.name


TOC = Table(
    TOC_SHEET,
    (
        TableColumn("序号", "integer", 6),
        TableColumn("部门", "text", 28),
        TableColumn("功能科目", "text_center", 11),
        TableColumn("项目名称", "text", 44),
        # Each amount in the unit it was written in (the cell's number format says which); the
        # department's total row in 万元, the total 对账 prints.
        TableColumn("预算金额", "money", 17),
        TableColumn("金额来源", "text", 28),
        TableColumn("状态", "text_center", 8),
        TableColumn("未处理问题", "integer", 10),
        TableColumn("指标行数", "integer", 9),
    ),
    title="绩效目标表目录",
)
FINDINGS = Table(
    FINDINGS_SHEET,
    (
        TableColumn("代码", "text_center", 8),
        TableColumn("严重程度", "text_center", 9),
        TableColumn("部门", "text", 26),
        TableColumn("项目", "text", 30),
        TableColumn("行", "integer", 5),
        TableColumn("问题", "text", 44),
        TableColumn("建议", "text", 30),
        TableColumn("状态", "text", 16),
    ),
    title="校验问题",
)
_SUMMARY_STYLES = {
    "budget_amount": "money", "budget_amount_wan": "money_exact", "weight": "number", "row": "integer",
    "year": "integer", "amount_unit": "text_center",
}  # fmt: skip
_SUMMARY_WIDTHS = {
    "department_code": 9, "department_name": 18, "year": 7, "project": 24, "project_code": 10,
    "budget_line": 10, "budget_amount": 16, "amount_unit": 7, "budget_amount_wan": 12, "amount_source": 16,
    "status": 8, "row": 6, "level1": 11, "level2": 13,
    "level3": 20, "description": 28, "value": 14, "basis": 16, "mid_term_value": 12, "weight": 7,
    "direction": 8, "unit": 8, "reference_value": 12, "reference_actual": 12, "value_kind": 9, "value_reading": 16,
}  # fmt: skip
SUMMARY = Table(
    SUMMARY_SHEET,
    tuple(
        TableColumn(item.label, _SUMMARY_STYLES.get(item.key, "text"), _SUMMARY_WIDTHS[item.key])
        for item in INDICATOR_FIELDS
    ),
)


class _TableWriter:
    """Appends records to a table sheet as they come, straight to XlsxWriter's typed writes.

    The tables are the bulk of a province's workbook (汇总 has a row per indicator), so a record goes to
    the sheet without intermediate cell objects: each column's format and wrap width are looked up once,
    and a row's height comes from the line count of its widest text.  The cells and formats are those
    :meth:`Table.row` describes.
    """

    def __init__(self, workbook: Workbook, styles: StyleRegistry, table: Table, *, hide_empty: bool = False) -> None:
        self.table = table
        #: Columns nothing was written to yet; with ``hide_empty`` they are hidden (and not printed) at the end.
        self._unfilled: set[int] = set(range(len(table.columns))) if hide_empty else set()
        self._styles = styles
        self.writer = SheetWriter(workbook, styles, table.layout())
        self.count = 0
        self._first_row = table.header_row + 1
        self._formats = [styles[column.style] for column in table.columns]
        self._link_format = styles["link"]
        self._widths = [column.width for column in table.columns]
        self._wraps = [column.wrap for column in table.columns]
        # A text of at most this many characters fits on one line of its column, whatever its script.
        self._short = [
            int(max(column.width - CELL_PADDING, 1.0) / WIDTH_PER_DISPLAY_UNIT) // 2
            for column in table.columns
        ]
        sheet = self.writer.sheet
        self._set_row = sheet.set_row
        self._write_string = sheet.write_string
        self._write_number = sheet.write_number
        self._write_blank = sheet.write_blank

    def add(self, record: Sequence[TableItem]) -> None:
        if len(record) != len(self._formats):
            raise ValueError(f"a {self.table.name} record has {len(self._formats)} items, not {len(record)}")
        row = self._first_row + self.count
        lines = 1
        for col, item in enumerate(record):
            if isinstance(item, str):
                if item.__class__ is not str:  # an enum's value, say: written as str() shows it
                    lines = max(lines, self._other(row, col, item))
                elif item:
                    self._write_string(row, col, visible(item), self._formats[col])
                    # Short single-line texts (most cells) need no measuring.
                    if self._wraps[col] and (len(item) > self._short[col] or _BREAKS.search(item)):
                        lines = max(lines, lines_needed(item, self._widths[col]))
                else:
                    self._write_blank(row, col, None, self._formats[col])
            elif item is None:
                self._write_blank(row, col, None, self._formats[col])
            elif isinstance(item, Link):
                self._link(row, col, item)
                lines = max(lines, lines_needed(item.text, self._widths[col]))
            elif isinstance(item, Styled):
                lines = max(lines, self._other(row, col, item.value, self._styles[item.style]))
            else:
                lines = max(lines, self._other(row, col, item))
        self._set_row(row, _height(lines))
        self.count += 1
        if self._unfilled:
            for col in tuple(self._unfilled):
                item = record[col]
                if isinstance(item, Styled):
                    item = item.value
                if item is not None and item != "":
                    self._unfilled.discard(col)

    def _link(self, row: int, col: int, link: Link) -> None:
        writer = self.writer
        writer.links += 1
        if writer.links > MAX_LINKS:
            # Past Excel's limit of links per sheet the name is still written, as text.
            self._write_string(row, col, visible(link.text), self._link_format)
        else:
            target = f"internal:{quote_sheet_name(link.sheet)}!{link.cell}"
            writer.sheet.write_url(row, col, target, self._link_format, string=visible(link.text))

    def _other(self, row: int, col: int, item: object, cell_format: Any = None) -> int:
        """Write a number, a flag or a str subclass (an enum's value) in ``cell_format`` (the column's
        by default); returns the lines it needs."""
        if cell_format is None:
            cell_format = self._formats[col]
        if item is None:
            self._write_blank(row, col, None, cell_format)
        elif isinstance(item, bool):
            self._write_string(row, col, "是" if item else "否", cell_format)
        elif isinstance(item, (Decimal, int, float)):
            self._write_number(row, col, item, cell_format)
        elif isinstance(item, str):
            if not item:
                self._write_blank(row, col, None, cell_format)
                return 1
            self._write_string(row, col, visible(str(item)), cell_format)
            return lines_needed(item, self._widths[col]) if self._wraps[col] else 1
        else:
            self._write_string(row, col, visible(str(item)), cell_format)
        return 1

    def close(self) -> None:
        self.writer.last_row = max(self.writer.last_row, self._first_row + self.count - 1)
        if self.count:
            # Columns that hold no data are hidden: the sheet prints only what it has.
            for col in self._unfilled:
                self.writer.sheet.set_column(col, col, self._widths[col], None, {"hidden": True})
        self.writer.close()


#: Characters that start a new line for :func:`str.splitlines` (and so in :func:`lines_needed`).
_BREAKS = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


@lru_cache(maxsize=256)
def _height(lines: int) -> float:
    return row_height_for_lines(lines)


def _toc_total(
    department: Department, result: DepartmentReconciliation, open_findings: int | str
) -> list[TableItem]:
    """The department's total row of 目录: Σ its projects in 万元, to 0.01, as 对账's 合计 prints it."""
    projects = department.projects
    notes = total_notes(projects)
    return [
        None,
        _department_label(department),
        "",
        Styled(f"{TOTAL_LABEL}（{len(projects)} 个项目）", "total_label"),
        money_cell(cents(result.projects_wan), "万元", bold=True),
        "；".join(notes),
        "",
        Styled(open_findings, "integer_total"),
        Styled(sum(len(project.goal.indicators) for project in projects), "integer_total"),
    ]


def _finding_record(
    department: Department, finding: Finding, sheets: dict[str, tuple[str, int]]
) -> list[TableItem]:
    location = finding.location
    project: TableItem = location.project or ""
    target = sheets.get(location.project or "")
    if target is not None:
        sheet, first_row = target
        # Excel rows are 1-based: the indicator row itself, or the top of the sheet.
        cell = f"A{first_row + location.row}" if location.row else "A1"
        project = Link(location.project or "", sheet, cell)
    status = "已接受：" + (finding.acceptance_reason or "") if finding.accepted else "未处理"
    return [
        finding.code,
        finding.severity.label,
        _department_label(department),
        project,
        location.row,
        finding.message,
        finding.hint,
        status,
    ]


def write_workbook(
    path: Path,
    departments: Iterable[Department],
    *,
    consolidated: bool = True,
    project_sheets: bool | None = None,
    multi_department: bool = False,
    total_projects: int | None = None,
    findings: FindingsProvider | None = None,
    progress: ProgressCallback | None = None,
    layout: str | None = None,
    edition: Edition = Edition.WORK,
    checked: bool = True,
    digit_pixels: float = printing.DIGIT_PIXELS,
) -> ExportSummary:
    """Write ``departments`` to ``path`` atomically (a temporary file in the same folder, then renamed).

    ``consolidated`` adds 目录, 汇总, 对账 and 问题 to the project sheets; ``project_sheets=False``
    leaves the per-project sheets out (a province-wide overview) — by default (``None``) they are left
    out only from a multi-department workbook of more than :data:`MAX_PROJECT_SHEETS` projects;
    ``multi_department`` prefixes
    project sheet names with the department code.  ``findings`` defaults to
    :func:`perfgoals.checks.check_department`.  Each project sheet is in its table's own layout (the
    columns it came in with), or in ``layout`` (a name of
    :data:`perfgoals.export.goal_layouts.NAMED_LAYOUTS`) for every table; a table entered here is in the
    national template.

    ``edition`` :attr:`~perfgoals.export.editions.Edition.SUBMIT` writes the 报送版: the 目录 and the
    project sheets only (:mod:`perfgoals.export.editions`).  ``checked=False`` says the checks were
    skipped: the 目录 then says 未检查 where it counts problems.  The project sheets print in one
    orientation at one scale (:mod:`perfgoals.export.printing`; ``digit_pixels`` is the
    column unit of the program that will print it).
    """
    if layout is not None and layout not in NAMED_LAYOUTS:
        raise ExportError(f"没有名为“{layout}”的表样，可用：{'、'.join(NAMED_LAYOUTS)}")
    path = Path(path)
    with atomic_workbook(path, {"constant_memory": True, "use_zip64": True}) as workbook:
        return _write(
            workbook,
            path,
            departments,
            consolidated=consolidated,
            project_sheets=wants_project_sheets(
                project_sheets,
                consolidated=consolidated,
                multi_department=multi_department,
                total=total_projects,
            ),
            multi_department=multi_department,
            total_projects=total_projects,
            findings=findings or _default_findings,
            progress=progress,
            layout=layout,
            edition=edition,
            checked=checked,
            digit_pixels=digit_pixels,
        )


def _write(
    workbook: Workbook,
    path: Path,
    departments: Iterable[Department],
    *,
    consolidated: bool,
    project_sheets: bool,
    multi_department: bool,
    total_projects: int | None,
    findings: FindingsProvider,
    progress: ProgressCallback | None,
    layout: str | None = None,
    edition: Edition = Edition.WORK,
    checked: bool = True,
    digit_pixels: float = printing.DIGIT_PIXELS,
) -> ExportSummary:
    summary = ExportSummary(path=path, checked=checked and edition is not Edition.SUBMIT)
    if edition is Edition.SUBMIT:
        summary.edition = Edition.SUBMIT.label
    submit = edition is Edition.SUBMIT
    styles = StyleRegistry(workbook)
    workbook.set_properties(
        {"title": "预算绩效目标表", "author": "perfgoals", "comments": f"{FORMAT_NAME} v{FORMAT_VERSION}"}
    )
    workbook.set_custom_property("perfgoals_format", f"{FORMAT_NAME} v{FORMAT_VERSION}")
    namer = SheetNamer(
        (TOC_SHEET, SUMMARY_SHEET, RECON_SHEET, FINDINGS_SHEET, META_SHEET, *followup_sheets.SHEETS)
    )
    # The 工作版's 部门整体绩效目标 and 审核意见 records, written after the project sheets.
    goal_records: list[list[TableItem]] = []
    comment_records: list[list[TableItem]] = []
    toc = summary_sheet = recon = problems = None
    if consolidated:
        toc = _TableWriter(workbook, styles, SUBMIT_TOC if submit else TOC)
        if not submit:
            summary_sheet = _TableWriter(workbook, styles, SUMMARY, hide_empty=True)
            recon = _TableWriter(workbook, styles, RECON)
            problems = _TableWriter(workbook, styles, FINDINGS)
    # The 报送版 carries nothing for the round trip: no hidden sheet, no defined names.
    meta = None if submit else _MetaWriter(workbook, styles)
    printed_set: list[tuple[FlatWorksheet, list[float]]] = []
    first_visible: FlatWorksheet | None = None
    done = numbered = 0
    for department in departments:
        summary.departments += 1
        department_findings = list(findings(department)) if consolidated and not submit else []
        # 对账 is decided once per department: the 目录's total and the 对账 sheet print the same figure.
        reconciliation = reconcile_department(department) if consolidated else None
        sheets: dict[str, tuple[str, int]] = {}
        open_total = 0
        for project in department.projects:
            link: TableItem = project.name
            if project_sheets:
                wanted = f"{department.code} {project.name}" if multi_department else project.name
                name = namer.claim(wanted)
                defined_name = None if meta is None else SHEET_DEFINED_NAME.format(len(summary.sheets) + 1)
                sheet_layout, geometry = project_sheet(
                    department, project, name=name, defined_name=defined_name, layout=layout
                )
                writer = followup_sheets.project_writer(
                    workbook, styles, sheet_layout, project, geometry, notes=meta is not None
                )
                writer.close()
                printed_set.append((writer.sheet, sheet_layout.widths))
                if first_visible is None:
                    first_visible = writer.sheet
                summary.sheets.append(name)
                sheets[project.name] = (name, geometry.first_indicator_row)
                if meta is not None and defined_name is not None:
                    meta.add(defined_name, name, department, project, geometry)
                link = Link(project.name, name)
            summary.projects += 1
            summary.indicator_rows += len(project.goal.indicators)
            if toc is not None and submit:
                toc.add(submit_toc_record(numbered + 1, department, project, link))
                numbered += 1
            elif toc is not None:
                open_count = sum(1 for f in department_findings if not f.accepted and _belongs(f, project))
                open_total += open_count
                amount = project_amount(project)
                toc.add(
                    [
                        numbered + 1,
                        _department_label(department),
                        project.budget_line_code or "",
                        link,
                        money_cell(amount.amount, amount.unit),
                        source_text(amount),
                        project.status.value,
                        open_count if checked else NOT_CHECKED,
                        len(project.goal.indicators),
                    ]
                )
                numbered += 1
            done += 1
            if progress is not None:
                progress(done, total_projects)
        if toc is not None and reconciliation is not None:
            if submit:
                toc.add(submit_toc_total(department, reconciliation))
            else:
                toc.add(_toc_total(department, reconciliation, open_total if checked else NOT_CHECKED))
        if consolidated and not submit:
            if followup_sheets.has_goals(department):
                goal_records.append(followup_sheets.goals_record(department))
            comment_records.extend(followup_sheets.comment_records(department))
        if summary_sheet is not None:
            for record in indicator_rows(department, amount_cell=money_cell):
                summary_sheet.add(record)
        if recon is not None and reconciliation is not None:
            for recon_record in reconciliation_records(department, reconciliation):
                recon.add(recon_record)
        if problems is not None:
            ordered = sorted(department_findings, key=lambda f: (f.accepted, f.severity.rank))
            for finding in ordered:
                problems.add(_finding_record(department, finding, sheets))
            summary.findings += len(ordered)
    if summary.departments == 0:
        raise ExportError("没有可导出的部门数据")
    if not consolidated and first_visible is not None:
        # The hidden _perfgoals sheet comes first; Excel must open on a visible one.
        first_visible.activate()
        first_visible.set_first_sheet()
    summary.printing = printing.apply(printed_set, digit_pixels)
    followup_tables: list[_TableWriter] = []
    for followup_table, followup_records in (
        (followup_sheets.GOALS, goal_records),
        (followup_sheets.COMMENTS, comment_records),
    ):
        if followup_records:
            followup_tables.append(_TableWriter(workbook, styles, followup_table))
            for followup_record in followup_records:
                followup_tables[-1].add(followup_record)
    for table_writer in (toc, summary_sheet, recon, problems, *followup_tables):
        if table_writer is not None:
            table_writer.close()
    if meta is not None:
        meta.close()
    return summary


def _plain_decimal(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


class _MetaWriter:
    """The hidden sheet that says what this workbook holds, for reading it back."""

    def __init__(self, workbook: Workbook, styles: StyleRegistry) -> None:
        header = [
            ("format", FORMAT_NAME),
            ("version", str(FORMAT_VERSION)),
            ("exported_at", datetime.now(UTC).isoformat(timespec="seconds")),
        ]
        rows = [
            Row(index, [Cell(0, key, "plain"), Cell(1, value, "plain")])
            for index, (key, value) in enumerate(header)
        ]
        from perfgoals.export.embedded import EMBED_COLUMN, EMBED_HEADER

        header_cells = [Cell(col, label, "plain") for col, label in enumerate(META_HEADER)]
        header_cells += [Cell(EMBED_COLUMN + col, label, "plain") for col, label in enumerate(EMBED_HEADER)]
        rows.append(Row(META_FIRST_ROW - 1, header_cells))
        self.embedded: set[tuple[str, int]] = set()  # department-years whose dump is written
        self.workbook = workbook
        self.writer = SheetWriter(
            workbook, styles, SheetLayout(name=META_SHEET, widths=[], rows=rows, hidden=True)
        )
        self.count = 0
        self.next_row = META_FIRST_ROW

    def add(
        self,
        defined_name: str,
        sheet: str,
        department: Department,
        project: Project,
        geometry: ProjectSheetGeometry,
    ) -> None:
        values = [
            defined_name,
            sheet,
            department.code,
            department.name,
            str(department.year),
            "" if project.id is None else str(project.id),
            project.name,
            str(project.goal.revision),
            goal_fingerprint(project.goal),
            str(geometry.goal_row),
            str(geometry.header_row),
            str(geometry.first_indicator_row),
            str(len(project.goal.indicators)),
            # (a column of the table's own whose header holds a comma is not listed: the list is comma-separated)
            ",".join(name for name in geometry.columns if "," not in name),
            _plain_decimal(project_amount(project).wan),
            project.implementing_unit,
        ]
        from perfgoals.export.embedded import EMBED_COLUMN, dump_rows, embedded_cells

        # The project's row with its exported version, then (after a department-year's first project)
        # the rows carrying the department's dump.
        cells = [Cell(col, value, "plain") for col, value in enumerate(values)]
        cells += [Cell(EMBED_COLUMN + col, value, "plain") for col, value in enumerate(embedded_cells(project))]
        self.writer.write(Row(self.next_row, cells))
        self.next_row += 1
        self.count += 1
        key = (department.code, department.year)
        if key not in self.embedded:
            self.embedded.add(key)
            for dump_row in dump_rows(department):
                cells = [Cell(EMBED_COLUMN + col, value, "plain") for col, value in enumerate(dump_row)]
                self.writer.write(Row(self.next_row, cells))
                self.next_row += 1

    def close(self) -> None:
        self.writer.close()
        # 汇总 is read-only (protected without a password): it is made from the project sheets, and an
        # import reports edits to it rather than taking them.
        summary = self.workbook.get_worksheet_by_name(SUMMARY_SHEET)
        if summary is not None:
            summary.protect("", {"autofilter": True, "sort": True, "format_columns": True, "format_rows": True})
