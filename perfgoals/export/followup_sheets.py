"""The 工作版's 部门整体绩效目标 and 审核意见 sheets, and the review comments on the project sheets.

* **部门整体绩效目标**: one row per department-year — 部门整体绩效目标, 分项绩效目标, 工作保障措施
  (:class:`~perfgoals.models.DepartmentGoals`), as written.  Edited in Excel, they come back with
  ``perfgoals import`` (:mod:`perfgoals.importers.workbook.followup_edits`).
* **审核意见**: one row per review comment — project, 编号, where (整张表 / 第 N 行 / 第 N 行 指标值), who,
  the comment, its replies, whether resolved, and an empty 回复 column: a reply typed there is added to
  the comment when the workbook is imported back.
* Each comment is also an Excel note on the cell (or row, or title) it is about, on the project sheet.

Both sheets are written only when there is something to list, after the project sheets.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from xlsxwriter.workbook import Workbook

from perfgoals.columns import column as goal_column
from perfgoals.columns import is_column
from perfgoals.export.layout import ProjectSheetGeometry, SheetLayout, Table, TableColumn, TableItem
from perfgoals.export.render import SheetWriter
from perfgoals.export.styles import StyleRegistry
from perfgoals.models import Comment, Department, Project

GOALS_SHEET = "部门整体绩效目标"
COMMENTS_SHEET = "审核意见"
#: The sheets of this module, whose names no project sheet may take.
SHEETS = (GOALS_SHEET, COMMENTS_SHEET)
#: The header of the column a reply is typed into.
REPLY_HEADER = "回复（在此填写）"

GOALS = Table(
    GOALS_SHEET,
    (
        TableColumn("部门编码", "text_center", 10),
        TableColumn("部门名称", "text", 22),
        TableColumn("年度", "integer", 7),
        TableColumn("部门整体绩效目标", "text", 48),
        TableColumn("分项绩效目标", "text", 48),
        TableColumn("工作保障措施", "text", 40),
    ),
    title="部门整体绩效目标",
)
#: The header of each goals column → the DepartmentGoals field it holds.
GOAL_FIELDS = {"部门整体绩效目标": "overall", "分项绩效目标": "itemised", "工作保障措施": "safeguards"}

COMMENTS = Table(
    COMMENTS_SHEET,
    (
        TableColumn("部门编码", "text_center", 10),
        TableColumn("年度", "integer", 7),
        TableColumn("项目名称", "text", 26),
        TableColumn("编号", "integer", 6),
        TableColumn("位置", "text", 18),
        TableColumn("审核人", "text", 10),
        TableColumn("角色", "text_center", 10),
        TableColumn("审核意见", "text", 36),
        TableColumn("已有回复", "text", 30),
        TableColumn("状态", "text_center", 8),
        TableColumn(REPLY_HEADER, "text", 30),
    ),
    title="审核意见（在最后一列填写回复，导入后加入该条意见）",
)
RESOLVED, OPEN = "已解决", "未解决"


def has_goals(department: Department) -> bool:
    goals = department.goals
    return bool(goals.overall.strip() or goals.itemised.strip() or goals.safeguards.strip())


def goals_record(department: Department) -> list[TableItem]:
    goals = department.goals
    return [
        department.code,
        department.name,
        department.year,
        goals.overall,
        goals.itemised,
        goals.safeguards,
    ]


def where(comment: Comment) -> str:
    """``整张表``, ``第 3 行``, ``第 3 行 指标值``."""
    if comment.row is None:
        return "整张表"
    place = f"第 {comment.row + 1} 行"
    if comment.field:
        place += f" {goal_column(comment.field).label if is_column(comment.field) else comment.field}"
    return place


def replies_text(comment: Comment) -> str:
    return "\n".join(f"{reply.author or '（未署名）'}：{reply.text}" for reply in comment.replies)


def comment_records(department: Department) -> Iterator[list[TableItem]]:
    for project in department.projects:
        for comment in project.comments:
            yield [
                department.code,
                department.year,
                project.name,
                comment.number,
                where(comment),
                comment.author,
                comment.role.value if comment.role else "",
                comment.text,
                replies_text(comment),
                RESOLVED if comment.resolved else OPEN,
                "",
            ]


def note_text(comment: Comment) -> str:
    """The Excel note of a comment: who said what, and the replies."""
    text = f"审核意见 {comment.number}（{comment.author or '审核人'}）：{comment.text}"
    if comment.replies:
        text += "\n" + replies_text(comment)
    if comment.resolved:
        text += "\n（已解决）"
    return text


def comment_cells(project: Project, geometry: ProjectSheetGeometry) -> list[tuple[int, int, str]]:
    """Where each comment goes on the project's sheet (0-based row, column) and its note; a cell's
    comments together in one note."""
    notes: dict[tuple[int, int], list[str]] = {}
    columns = list(geometry.columns)
    rows = len(project.goal.indicators)
    for comment in project.comments:
        if comment.row is None or comment.row >= rows:
            place = (geometry.goal_row, 0)
        else:
            field = comment.field if comment.field in columns else "level3"
            col = columns.index(field) if field in columns else 0
            place = (geometry.first_indicator_row + comment.row, col)
        notes.setdefault(place, []).append(note_text(comment))
    return [(row, col, "\n\n".join(texts)) for (row, col), texts in sorted(notes.items())]


def project_writer(
    workbook: Workbook,
    styles: StyleRegistry,
    layout: SheetLayout,
    project: Project,
    geometry: ProjectSheetGeometry,
    *,
    notes: bool,
) -> SheetWriter:
    """A project sheet's writer, its comments (``notes``) put on their cells as Excel notes.

    The workbook is written row by row (XlsxWriter's constant memory), so the notes go in before the
    sheet's rows do."""
    if not notes or not project.comments:
        return SheetWriter(workbook, styles, layout)
    rows = list(layout.rows)
    writer = SheetWriter(workbook, styles, replace(layout, rows=[]))
    for index, col, text in comment_cells(project, geometry):
        writer.sheet.write_comment(index, col, text, {"x_scale": 2.5, "y_scale": 2, "author": "perfgoals"})
    for row in rows:
        writer.write(row)
    return writer
