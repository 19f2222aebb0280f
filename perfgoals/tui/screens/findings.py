"""部门问题清单: every finding of the department, filtered, jumped to, accepted with a reason or withdrawn."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Select, Static
from textual.worker import get_current_worker

from perfgoals.checks.findings import Finding, Severity
from perfgoals.models import Department
from perfgoals.storage import repository as repo
from perfgoals.storage.db import read_session, write_session
from perfgoals.tui.context import JumpTarget, TuiContext
from perfgoals.tui.screens._common import (
    StatusLine,
    TextPrompt,
    WorkFailed,
    cell,
    failure_text,
    flexible_width,
)
from perfgoals.tui.screens.dialogs import ConfirmDialog

SHOW_OPEN, SHOW_ACCEPTED, SHOW_ALL = "open", "accepted", "all"


def run_checks(department: Department) -> list[Finding]:
    """The department's findings, most severe first, otherwise in the checks' order (by project, row)."""
    from perfgoals.checks import check_department

    return sorted(check_department(department), key=lambda finding: finding.severity.rank)


def where_text(finding: Finding) -> str:
    location = finding.location
    parts = [
        location.project
        or location.table
        or (f"科目 {location.budget_line}" if location.budget_line else "部门")
    ]
    if location.row is not None:
        parts.append(f"第 {location.row} 行")
    return " ".join(parts)


class FindingsScreen(Screen[JumpTarget | None]):
    """All findings of the department-year; Enter jumps to the project and cell."""

    TITLE = "部门问题清单"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "jump", "转到", id="findings.jump"),
        Binding("a", "accept", "接受（写理由）", id="findings.accept"),
        Binding("w", "withdraw", "撤销接受", id="findings.withdraw"),
        Binding("slash", "filter", "按代码筛选", id="findings.filter"),
        Binding("f5", "reload", "重新检查", id="findings.reload"),
        Binding("escape", "close", "返回", id="findings.close"),
    ]

    class Checked(Message):
        def __init__(self, department: Department, findings: list[Finding]) -> None:
            super().__init__()
            self.department = department
            self.findings = findings

    class Changed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, context: TuiContext) -> None:
        super().__init__()
        self.context = context
        self.findings: list[Finding] = []
        self.shown: list[Finding] = []
        self.department_name = ""
        self.last_action = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="findings-filters"):
            yield Select(
                [("全部级别", "")] + [(f"{s.glyph} {s.label}", s.value) for s in Severity],
                value="",
                allow_blank=False,
                id="severity",
                compact=True,
            )
            yield Select(
                [("未处理", SHOW_OPEN), ("已接受", SHOW_ACCEPTED), ("全部", SHOW_ALL)],
                value=SHOW_OPEN,
                allow_blank=False,
                id="accepted",
                compact=True,
            )
            yield Input(placeholder="代码，如 PG101 或 PG1", id="code-filter", compact=True)
        table: DataTable[Text] = DataTable(id="findings-table", cursor_type="row", zebra_stripes=True)
        table.add_column("级别", key="severity", width=8)
        table.add_column("代码", key="code", width=5)
        # 位置 and 问题 share what the fixed columns, cell padding and scrollbar leave, about 1 : 2.
        room = flexible_width(self.app.size.width, 26, minimum=40)
        where = max(20, room * 7 // 20)
        table.add_column("位置", key="where", width=where)
        table.add_column("问题", key="message", width=room - where)
        yield table
        yield Static("", id="finding-detail")
        yield StatusLine("正在检查……", id="status")
        yield Footer()

    def on_mount(self) -> None:
        if self.context.department_id is None:
            self.query_one(StatusLine).say("尚未选择部门年度", error=True)
            return
        self.check()

    # --- workers -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="findings-check")
    def check(self) -> None:
        try:
            with read_session(self.context.engine) as session:
                department = repo.load_department(session, department_id=self.context.department_id or 0)
            findings = run_checks(department)
        except Exception as exc:  # every failure is shown, none kills the app
            self.post_message(WorkFailed(failure_text(exc)))
            return
        if not get_current_worker().is_cancelled:  # a newer load has replaced this one
            self.post_message(self.Checked(department, findings))

    @work(thread=True, group="findings-write")
    def accept(self, finding: Finding, reason: str) -> None:
        try:
            with write_session(self.context.engine) as session:
                repo.accept_finding(
                    session,
                    department_id=self.context.department_id or 0,
                    project_id=finding.location.project_id,
                    code=finding.code,
                    reason=reason,
                    user=self.context.user,
                )
        except Exception as exc:
            self.post_message(WorkFailed(failure_text(exc)))
            return
        self.post_message(self.Changed(f"已接受 {finding.code}（{where_text(finding)}）：{reason}"))

    @work(thread=True, group="findings-write")
    def withdraw(self, finding: Finding) -> None:
        try:
            with write_session(self.context.engine) as session:
                repo.withdraw_acceptance(
                    session,
                    department_id=self.context.department_id or 0,
                    project_id=finding.location.project_id,
                    code=finding.code,
                    user=self.context.user,
                )
        except Exception as exc:
            self.post_message(WorkFailed(failure_text(exc)))
            return
        self.post_message(self.Changed(f"已撤销对 {finding.code}（{where_text(finding)}）的接受"))

    # --- messages ------------------------------------------------------------------------------

    def on_findings_screen_checked(self, message: Checked) -> None:
        department = message.department
        self.department_name = f"{department.code} {department.name}（{department.year} 年）"
        self.sub_title = self.department_name
        self.findings = message.findings
        self.refilter()
        self.query_one("#findings-table", DataTable).focus()

    def on_findings_screen_changed(self, message: Changed) -> None:
        self.last_action = message.text
        self.query_one(StatusLine).say(message.text, ok=True)
        self.notify(message.text)
        self.check()

    def on_work_failed(self, message: WorkFailed) -> None:
        self.query_one(StatusLine).say(message.text, error=True)
        self.notify(message.text, severity="error")

    # --- filtering -----------------------------------------------------------------------------

    @on(Select.Changed)
    @on(Input.Changed, "#code-filter")
    def refilter(self) -> None:
        if not self.department_name:  # the filters fire once on mount, before the first check
            return
        severity = str(self.query_one("#severity", Select).value or "")
        accepted = str(self.query_one("#accepted", Select).value)
        code = self.query_one("#code-filter", Input).value.strip().upper()
        self.shown = [
            f
            for f in self.findings
            if (not severity or f.severity.value == severity)
            and (not code or f.code.upper().startswith(code))
            and (accepted == SHOW_ALL or (accepted == SHOW_ACCEPTED) == f.accepted)
        ]
        table = self.query_one("#findings-table", DataTable)
        table.clear()
        for finding in self.shown:
            table.add_row(
                cell(f"{finding.severity.glyph} {'已接受' if finding.accepted else finding.severity.label}"),
                cell(finding.code),
                cell(where_text(finding)),
                cell(finding.message),
            )
        counts = {s: sum(1 for f in self.findings if f.severity is s and not f.accepted) for s in Severity}
        accepted_count = sum(1 for f in self.findings if f.accepted)
        summary = "  ".join(f"{s.glyph} {counts[s]} 个{s.label}" for s in Severity)
        text = f"{summary}　已接受 {accepted_count} 个　显示 {len(self.shown)} 个"
        if self.last_action:
            text = f"{self.last_action}\n{text}"
        self.query_one(StatusLine).say(text, ok=bool(self.last_action))
        self._describe(table.cursor_row)

    @on(DataTable.RowHighlighted, "#findings-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe(event.cursor_row)

    def _describe(self, row: int) -> None:
        detail = self.query_one("#finding-detail", Static)
        if not 0 <= row < len(self.shown):
            detail.update("没有符合条件的问题" if self.findings else "")
            return
        finding = self.shown[row]
        text = f"{finding.code} {finding.message}"
        if finding.hint:
            text += f"\n建议：{finding.hint}"
        if finding.accepted:
            text += f"\n已接受，理由：{finding.acceptance_reason or ''}"
        detail.update(text)

    # --- actions -------------------------------------------------------------------------------

    def selected(self) -> Finding | None:
        row = self.query_one("#findings-table", DataTable).cursor_row
        return self.shown[row] if 0 <= row < len(self.shown) else None

    @on(DataTable.RowSelected, "#findings-table")
    def action_jump(self) -> None:
        finding = self.selected()
        if finding is None:
            return
        if finding.location.project_id is None:
            self.query_one(StatusLine).say(f"{finding.code} 是部门层面的问题，不在某个项目中", error=True)
            return
        self.dismiss(
            JumpTarget(
                project_id=finding.location.project_id, row=finding.location.row, field=finding.location.field
            )
        )

    def action_accept(self) -> None:
        finding = self.selected()
        if finding is None:
            return

        def given(reason: str | None) -> None:
            if reason:
                self.accept(finding, reason)

        self.app.push_screen(
            TextPrompt(
                f"接受 {finding.code}（{where_text(finding)}）：{finding.message}\n请写明理由（将记入数据与修改历史）：",
                value=finding.acceptance_reason or "",
                placeholder="如：公开数据四舍五入所致",
                ok_label="接受",
            ),
            given,
        )

    def action_withdraw(self) -> None:
        finding = self.selected()
        if finding is None:
            return
        if not finding.accepted:
            self.query_one(StatusLine).say(f"{finding.code} 尚未被接受，无需撤销", error=True)
            return

        def confirmed(answer: bool | None) -> None:
            if answer:
                self.withdraw(finding)

        self.app.push_screen(
            ConfirmDialog(f"撤销对 {finding.code}（{where_text(finding)}）的接受？", yes="撤销"), confirmed
        )

    def action_filter(self) -> None:
        self.query_one("#code-filter", Input).focus()

    def action_reload(self) -> None:
        self.query_one(StatusLine).say("正在检查……")
        self.check()

    def action_close(self) -> None:
        self.dismiss(None)
