"""审核队列: the goal tables awaiting the user, from :func:`perfgoals.storage.workflow.queue`.

A 财政审核人 sees every department's 部门已审 tables, a 部门审核人 his departments' 已提交 ones, a
项目负责人 his departments' 已退回 and 草稿 ones; ``a`` (a 财政审核人) every department's tables awaiting
anyone: 已退回, 已提交, 部门已审.  Enter
opens the project on the main screen: the screen returns (department id, project id).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import get_current_worker

from perfgoals.models import ProjectStatus
from perfgoals.tui.screens._common import StatusLine, WorkFailed, cell, failure_text, flexible_width
from perfgoals.tui.screens.review_store import QueueRow, ReviewStore, Who

#: How each status is coloured in the list (a glyph too, so it never rests on colour alone).
STATUS_STYLES: dict[ProjectStatus, tuple[str, str]] = {
    ProjectStatus.DRAFT: ("·", "dim"),
    ProjectStatus.SUBMITTED: ("→", "cyan"),
    ProjectStatus.DEPARTMENT_APPROVED: ("→", "blue"),
    ProjectStatus.FINANCE_APPROVED: ("✓", "green"),
    ProjectStatus.RETURNED: ("↩", "bold yellow"),
}


def status_cell(status: ProjectStatus) -> Text:
    glyph, style = STATUS_STYLES.get(status, ("", ""))
    return Text(f"{glyph} {status.value}", style=style, no_wrap=True)


class ReviewQueueScreen(Screen[tuple[int, int] | None]):
    """The user's review queue; Enter opens the selected project."""

    TITLE = "审核队列"
    HELP_NAME = "审核队列"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "打开项目", id="queue.open"),
        Binding("a", "everything", "全部部门/我的待办", id="queue.everything"),
        Binding("f5", "reload", "刷新", id="queue.reload"),
        Binding("escape", "close", "返回", id="queue.close"),
    ]

    class Loaded(Message):
        def __init__(self, rows: list[QueueRow]) -> None:
            super().__init__()
            self.rows = rows

    def __init__(self, store: ReviewStore, who: Who) -> None:
        super().__init__()
        self.store = store
        self.who = who
        self.everything = False
        self.rows: list[QueueRow] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.who.label, classes="screen-hint", id="queue-who")
        table: DataTable[Text] = DataTable(id="queue", cursor_type="row", zebra_stripes=True)
        department = max(10, self.app.size.width // 5 - 3)
        table.add_column("部门", key="department", width=department)
        # The other columns take 35 cells, 12 of padding, 2 of scrollbar.
        table.add_column("项目", key="project", width=flexible_width(self.app.size.width, department + 50, minimum=14))
        table.add_column("状态", key="status", width=10)
        table.add_column("提交人", key="by", width=8)
        table.add_column("提交时间", key="at", width=11)
        table.add_column(cell("待回复", right=True), key="comments", width=6)
        yield table
        yield StatusLine("正在读取……", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="queue-load")
    def load(self) -> None:
        try:
            rows = self.store.queue(all_departments=self.everything)
        except Exception as exc:  # shown, never fatal
            self.post_message(WorkFailed(failure_text(exc)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(rows))

    def on_review_queue_screen_loaded(self, message: Loaded) -> None:
        self.rows = message.rows
        table = self.query_one(DataTable)
        table.clear()
        for row in self.rows:
            at = row.submitted_at.astimezone().strftime("%m-%d %H:%M") if row.submitted_at else ""
            table.add_row(
                cell(row.department),
                cell(row.project),
                status_cell(row.status),
                cell(row.submitted_by),
                cell(at),
                cell(str(row.open_comments) if row.open_comments else "", right=True),
                key=str(row.project_id),
            )
        what = "全部部门待审核" if self.everything else "我的待办"
        if self.rows:
            self.query_one(StatusLine).say(f"{what}：{len(self.rows)} 张目标表；回车打开")
        else:
            self.query_one(StatusLine).say(f"{what}：没有目标表")
        table.focus()

    def on_work_failed(self, message: WorkFailed) -> None:
        self.query_one(StatusLine).say(message.text, error=True)
        if self.everything:
            self.everything = False  # back to what the user may see

    def selected(self) -> QueueRow | None:
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        row = self.selected()
        if row is not None:
            self.dismiss((row.department_id, row.project_id))

    def action_everything(self) -> None:
        self.everything = not self.everything
        self.query_one(StatusLine).say("正在读取……")
        self.load()

    def action_reload(self) -> None:
        self.load()

    def action_close(self) -> None:
        self.dismiss(None)
