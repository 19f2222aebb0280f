"""对账: each budget line's 项目支出 against the sum of its projects; choosing a project opens it."""

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

from perfgoals.models import LinkStatus, Project
from perfgoals.reconcile import LineReconciliation, Reconciliation, project_wan, reconcile
from perfgoals.storage import repository as repo
from perfgoals.storage.db import read_session
from perfgoals.tui.context import JumpTarget, TuiContext
from perfgoals.tui.screens._common import StatusLine, WorkFailed, cell, failure_text, flexible_width

UNLINKED_KEY = "__unlinked__"


def wan_text(amount: Decimal | None) -> str:
    """万元 with two decimals, or more when a rounding-size difference would otherwise show as 0.00."""
    if amount is None:
        return "—"
    if amount != 0 and abs(amount) < Decimal("0.01"):
        return f"{amount.quantize(Decimal('0.0001')).normalize():f}"
    return f"{amount:,.2f}"


def state_text(line: LineReconciliation) -> str:
    """A glyph and a word, so that the state does not rest on colour alone."""
    if line.unpriced:
        return f"⚠ {len(line.unpriced)} 个无金额"
    difference = line.difference
    if difference is None:
        return "· 无项目"
    if not line.balanced:
        return "✗ 不符"
    if not line.carryover_balanced:
        return "⚠ 结转超出"
    return "✓ 相符" if difference == 0 else "✓ 舍入内"


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
        def __init__(self, result: Reconciliation) -> None:
            super().__init__()
            self.result = result

    def __init__(self, context: TuiContext) -> None:
        super().__init__()
        self.context = context
        self.result: Reconciliation | None = None
        self.shown: list[Project] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="heading", classes="screen-hint")
        width = self.app.size.width
        lines: DataTable[Text] = DataTable(id="recon-lines", cursor_type="row", zebra_stripes=True)
        lines.add_column("编码", key="code", width=7)
        lines.add_column("科目名称", key="name", width=flexible_width(width, 64, minimum=12))
        lines.add_column(cell("项目支出", right=True), key="line", width=10)
        lines.add_column(cell("项目合计", right=True), key="sum", width=10)
        lines.add_column(cell("差额", right=True), key="difference", width=8)
        lines.add_column("状态", key="state", width=10)
        yield lines
        yield Static("", id="line-detail", classes="screen-hint")
        projects: DataTable[Text] = DataTable(id="recon-projects", cursor_type="row", zebra_stripes=True)
        projects.add_column("项目名称", key="name", width=flexible_width(width, 46, minimum=20))
        projects.add_column(cell("金额(万元)", right=True), key="amount", width=10)
        projects.add_column("资金来源", key="fund", width=12)
        projects.add_column("科目", key="code", width=13)
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
            result = reconcile(department)
        except Exception as exc:  # every failure is shown, none kills the app
            self.post_message(WorkFailed(failure_text(exc)))
            return
        if not get_current_worker().is_cancelled:  # a newer load has replaced this one
            self.post_message(self.Loaded(result))

    def on_reconciliation_screen_loaded(self, message: Loaded) -> None:
        self.result = result = message.result
        department = result.department
        self.sub_title = f"{department.code} {department.name}（{department.year} 年）"
        self.query_one("#heading", Static).update("金额单位：万元　差额＝科目项目支出 − 所挂项目金额合计")
        table = self.query_one("#recon-lines", DataTable)
        table.clear()
        for line in result.lines:
            indent = " " * line.level
            table.add_row(
                cell(line.line.code),
                cell(f"{indent}{line.line.name}"),
                cell(wan_text(line.line_project_wan), right=True),
                cell(wan_text(line.projects_wan if line.projects else None), right=True),
                cell(wan_text(line.difference), right=True),
                cell(state_text(line)),
                key=line.line.code,
            )
        if result.unlinked:
            table.add_row(
                cell("—"),
                cell("未挂科目的项目"),
                cell("—", right=True),
                cell(wan_text(_sum(result.unlinked)), right=True),
                cell("—", right=True),
                cell(f"⚠ {len(result.unlinked)} 个"),
                key=UNLINKED_KEY,
            )
        bad = len(result.discrepancies)
        parts = [f"{len(result.lines)} 个科目", f"{bad} 个不符" if bad else "全部相符（舍入误差以内）"]
        if result.carryover_discrepancies:
            parts.append(f"{len(result.carryover_discrepancies)} 个科目的结转资金项目超出上年结转")
        if result.unlinked:
            parts.append(f"{len(result.unlinked)} 个项目未挂科目")
        self.query_one(StatusLine).say(
            "，".join(parts), error=bool(bad or result.unlinked or result.carryover_discrepancies), ok=not bad
        )
        table.focus()
        self._show_projects(0 if table.row_count else None)

    def on_work_failed(self, message: WorkFailed) -> None:
        self.query_one(StatusLine).say(message.text, error=True)
        self.notify(message.text, severity="error")

    @on(DataTable.RowHighlighted, "#recon-lines")
    def _line_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_projects(event.cursor_row)

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
            line = result.lines[row]
            self.shown = line.projects
            carry = line.carryover_difference
            text = f"{line.line.code} {line.line.name}：{len(line.projects)} 个项目"
            if line.line_carryover_wan is not None or line.carryover_projects_wan:
                text += (
                    f"；上年结转 {wan_text(line.line_carryover_wan)}，结转资金项目 "
                    f"{wan_text(line.carryover_projects_wan)}，差额 {wan_text(carry)}"
                )
            detail.update(text + ("（回车查看）" if line.projects else ""))
        else:
            self.shown = result.unlinked
            detail.update("这些项目没有挂到本部门的任何功能分类科目，请在项目中选择科目")
        for project in self.shown:
            link = "" if project.line_link != LinkStatus.SUGGESTED else "（建议）"
            projects_table.add_row(
                cell(project.name),
                cell(wan_text(project_wan(project)), right=True),
                cell(project.fund_source.value if project.fund_source else ""),
                cell(f"{project.budget_line_code or '—'}{link}"),
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


def _sum(projects: list[Project]) -> Decimal:
    return sum((amount for p in projects if (amount := project_wan(p)) is not None), Decimal(0))
