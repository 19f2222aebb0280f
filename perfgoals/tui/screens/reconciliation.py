"""对账: each budget line's 项目支出 against the sum of its projects; choosing a project opens it.

Everything shown is read from :mod:`perfgoals.reading.reconcile`, the reconciliation the checks and the
workbook's 对账 sheet read too: the same verdict words, the same sums, the same total.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import get_current_worker

from perfgoals.models import Project
from perfgoals.reading.amounts import project_amount
from perfgoals.reading.links import line_code_text
from perfgoals.reading.money import format_wan
from perfgoals.reading.reconcile import (
    DepartmentReconciliation,
    LineReconciliation,
    reconcile_department,
)
from perfgoals.reading.rounding import ZERO
from perfgoals.storage import repository as repo
from perfgoals.storage.db import read_session
from perfgoals.tui.context import JumpTarget, TuiContext
from perfgoals.tui.screens._common import (
    StatusLine,
    WorkFailed,
    cell,
    failure_text,
    flexible_width,
    verdict_cell,
    wan_text,
)
from perfgoals.tui.widgets.project_list import amount_label

UNLINKED_KEY = "__unlinked__"
TOTAL_KEY = "__total__"
#: The unit the figures are shown in when the department's lines do not share one.
DEFAULT_UNIT = "万元"


class ReconciliationScreen(Screen[JumpTarget | None]):
    """Lines above, the selected line's projects below; Enter on a project opens it."""

    TITLE = "对账"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "查看/打开项目", id="reconciliation.choose"),
        Binding("tab", "switch", "切换科目/项目", id="reconciliation.switch"),
        Binding("f5", "reload", "刷新", id="reconciliation.reload"),
        Binding("escape", "close", "返回", id="reconciliation.close"),
    ]

    class Loaded(Message):
        def __init__(self, result: DepartmentReconciliation) -> None:
            super().__init__()
            self.result = result

    def __init__(self, context: TuiContext) -> None:
        super().__init__()
        self.context = context
        self.result: DepartmentReconciliation | None = None
        self.shown: list[Project] = []
        self.unit = DEFAULT_UNIT

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="heading", classes="screen-hint")
        width = self.app.size.width
        lines: DataTable[Text] = DataTable(id="recon-lines", cursor_type="row", zebra_stripes=True)
        lines.add_column("编码", key="code", width=7)
        lines.add_column("科目名称", key="name", width=flexible_width(width, 66, minimum=10))
        lines.add_column(cell("项目支出", right=True), key="line", width=9)
        lines.add_column(cell("项目合计", right=True), key="sum", width=9)
        lines.add_column(cell("差额", right=True), key="difference", width=9)
        lines.add_column("对账", key="verdict", width=18)
        yield lines
        yield Static("", id="line-detail", classes="screen-hint")
        projects: DataTable[Text] = DataTable(id="recon-projects", cursor_type="row", zebra_stripes=True)
        projects.add_column("项目名称", key="name", width=flexible_width(width, 57, minimum=16))
        projects.add_column(cell("年度资金", right=True), key="amount", width=18)
        projects.add_column("资金来源", key="fund", width=12)
        projects.add_column("科目", key="code", width=17)
        yield projects
        yield StatusLine("正在对账……", id="status")
        yield Footer()

    def on_mount(self) -> None:
        if self.context.department_id is None:
            self.query_one(StatusLine).say("尚未选择部门年度", error=True)
            return
        self.load()

    @work(thread=True, exclusive=True, group="reconciliation-load")
    def load(self) -> None:
        try:
            with read_session(self.context.engine) as session:
                department = repo.load_department(session, department_id=self.context.department_id or 0)
            result = reconcile_department(department)
        except Exception as exc:  # every failure is shown, none kills the app
            self.post_message(WorkFailed(failure_text(exc)))
            return
        if not get_current_worker().is_cancelled:  # a newer load has replaced this one
            self.post_message(self.Loaded(result))

    def figure(self, amount_wan: Decimal | None) -> Text:
        """A figure held in 万元, in the screen's unit: ``444.13``, or ``45.00 元`` when smaller than 0.01."""
        return cell(wan_text(amount_wan, self.unit), right=True)

    def on_reconciliation_screen_loaded(self, message: Loaded) -> None:
        self.result = result = message.result
        department = result.department
        units = {entry.line.unit for entry in result.lines}
        self.unit = units.pop() if len(units) == 1 else DEFAULT_UNIT
        self.sub_title = f"{department.code} {department.name}（{department.year} 年）"
        self.query_one("#heading", Static).update(
            f"金额单位：{self.unit}　差额＝所挂项目金额合计 − 科目项目支出（正数：项目多于科目）"
        )
        table = self.query_one("#recon-lines", DataTable)
        table.clear()
        for entry in result.lines:
            total = entry.total
            table.add_row(
                cell(entry.line.code),
                cell(f"{' ' * entry.level}{entry.line.name}"),
                self.figure(entry.line_project_wan),
                self.figure(entry.projects_wan if entry.projects else None),
                self.figure(total.difference if total is not None else None),
                verdict_cell(entry.verdict),
                key=entry.line.code,
            )
        if result.unlinked:
            unlinked = sum((a for a in result.unlinked_amounts if a is not None), ZERO)
            table.add_row(
                cell("—"),
                cell("未挂科目的项目"),
                self.figure(None),
                self.figure(unlinked),
                self.figure(None),
                Text(f"⚠ {len(result.unlinked)} 个项目", style="yellow"),
                key=UNLINKED_KEY,
            )
        department_total = result.total
        table.add_row(
            cell("合计"),
            cell("全部项目"),
            self.figure(department_total.published if department_total is not None else None),
            self.figure(result.projects_wan),
            self.figure(department_total.difference if department_total is not None else None),
            verdict_cell(result.verdict) if department_total is not None else cell(""),
            key=TOTAL_KEY,
        )
        bad = len(result.discrepancies)
        parts = [
            f"{len(result.lines)} 个科目",
            f"{bad} 个科目对账不一致" if bad else "各科目均一致（或在舍入误差以内）",
        ]
        if result.unlinked:
            parts.append(f"{len(result.unlinked)} 个项目未挂科目")
        parts.append(f"项目合计 {format_wan(result.projects_wan, self.unit)}")
        self.query_one(StatusLine).say("，".join(parts), error=bool(bad or result.unlinked), ok=not bad)
        table.focus()
        self._show_projects(0 if table.row_count else None)

    def on_work_failed(self, message: WorkFailed) -> None:
        self.query_one(StatusLine).say(message.text, error=True)
        self.notify(message.text, severity="error")

    @on(DataTable.RowHighlighted, "#recon-lines")
    def _line_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_projects(event.cursor_row)

    def _detail(self, entry: LineReconciliation) -> Text:
        text = Text(f"{entry.line.code} {entry.line.name}：")
        text.append_text(verdict_cell(entry.verdict))
        text.append(f"，{len(entry.projects)} 个项目")
        carryover = entry.carryover
        if carryover is not None:
            text.append(
                f"；上年结转 {format_wan(carryover.published, self.unit)}，结转项目 "
                f"{format_wan(carryover.computed, self.unit)}，差额 {format_wan(carryover.difference, self.unit)}"
            )
        if entry.unpriced:
            text.append(f"；{len(entry.unpriced)} 个项目未填金额")
        if entry.projects:
            text.append("（回车查看）", style="dim")
        return text

    def _show_projects(self, row: int | None) -> None:
        projects_table = self.query_one("#recon-projects", DataTable)
        projects_table.clear()
        detail = self.query_one("#line-detail", Static)
        result = self.result
        if result is None or row is None:
            self.shown = []
            detail.update("")
            return
        if row < len(result.lines):
            entry = result.lines[row]
            self.shown = list(entry.projects)
            detail.update(self._detail(entry))
        elif row == len(result.lines) and result.unlinked:
            self.shown = list(result.unlinked)
            detail.update("这些项目没有挂到本部门的任何功能分类科目，请在项目信息（F3）中选择科目")
        else:
            self.shown = list(result.department.projects)
            total = result.total
            text = f"全部 {len(self.shown)} 个项目合计 {format_wan(result.projects_wan, self.unit)}"
            if total is not None:
                text += f"，合计行项目支出 {format_wan(total.published, self.unit)}"
            detail.update(text)
        for project in self.shown:
            projects_table.add_row(
                cell(project.name),
                amount_label(project_amount(project), right=True),
                cell(project.fund_source.value if project.fund_source else ""),
                cell(line_code_text(project) or "—"),
                key=str(project.id),
            )

    def action_choose(self) -> None:
        focused = self.focused
        if isinstance(focused, DataTable) and focused.id == "recon-lines":
            if self.shown:
                self.query_one("#recon-projects", DataTable).focus()
            return
        self._open_project()

    @on(DataTable.RowSelected, "#recon-lines")
    def _line_selected(self) -> None:
        if self.shown:
            self.query_one("#recon-projects", DataTable).focus()

    @on(DataTable.RowSelected, "#recon-projects")
    def _open_project(self) -> None:
        row = self.query_one("#recon-projects", DataTable).cursor_row
        if 0 <= row < len(self.shown) and self.shown[row].id is not None:
            self.dismiss(JumpTarget(project_id=self.shown[row].id))  # type: ignore[arg-type]

    def action_switch(self) -> None:
        lines = self.query_one("#recon-lines", DataTable)
        (self.query_one("#recon-projects", DataTable) if lines.has_focus else lines).focus()

    def action_reload(self) -> None:
        self.load()

    def action_close(self) -> None:
        self.dismiss(None)
