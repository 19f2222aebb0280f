"""回收站: the projects deleted from the current department-year, restorable one by one.

``TrashScreen(context)`` lists the bin of ``context.department_id`` (newest deletion first) and
dismisses with the ids of the projects it restored (an empty list when none), so the main screen can
reload its list and select them.  Enter (or r) restores the highlighted project; a name taken
meanwhile by a live project is restored as ``原名（恢复）`` and the status line says so.  Escape closes.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static

from perfgoals.storage import repository as repo
from perfgoals.storage import trash as bin_
from perfgoals.storage.db import read_session, write_session
from perfgoals.tui.context import TuiContext
from perfgoals.tui.screens._common import StatusLine, WorkFailed, cell, failure_text

#: The width of the shared ``.dialog-box.wide`` (app.tcss).
DIALOG_WIDTH = 100


class TrashScreen(ModalScreen[list[int]]):
    """The department-year's recycle bin (see the module docstring)."""

    # Own rules (app.tcss holds the shared .dialog look); theme variables only.
    DEFAULT_CSS = """
    TrashScreen #trash-table {
        height: auto;
        max-height: 60vh;
    }
    TrashScreen #trash-empty {
        color: $text-muted;
        padding: 1 0;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "restore", "恢复所选项目", id="trash.restore"),
        Binding("f5", "reload", "刷新", id="trash.reload"),
        Binding("escape", "close", "返回", id="trash.close"),
    ]

    class Listed(Message):
        def __init__(self, entries: list[repo.TrashEntry]) -> None:
            super().__init__()
            self.entries = entries

    class Restored(Message):
        def __init__(self, restored: bin_.Restored) -> None:
            super().__init__()
            self.restored = restored

    def __init__(self, context: TuiContext) -> None:
        super().__init__(classes="dialog")
        self.context = context
        self.entries: list[repo.TrashEntry] = []
        self.restored: list[int] = []
        self._busy = False

    def compose(self) -> ComposeResult:
        table: DataTable[Text] = DataTable(id="trash-table", cursor_type="row", zebra_stripes=True)
        # The wide dialog box (100 columns or the screen) less its border, padding, cell padding, the
        # scrollbar and the three fixed columns is the name's.
        table.add_column("项目名称", key="name", width=max(16, min(DIALOG_WIDTH, self.app.size.width) - 6 - 8 - 32))
        table.add_column("删除人", key="by", width=10)
        table.add_column("删除时间", key="at", width=16)
        table.add_column("指标行", key="rows", width=6)
        with Vertical(classes="dialog-box wide"):
            yield Static(Text("回收站", style="bold"), classes="dialog-title")
            yield table
            yield Static("", id="trash-empty")
            yield StatusLine("正在读取回收站……", id="trash-status")
            with Horizontal(classes="dialog-buttons"):
                yield Button("恢复", id="trash-restore", variant="primary")
                yield Button("返回", id="trash-close")

    def on_mount(self) -> None:
        if self.context.department_id is None:
            self.query_one(StatusLine).say("尚未选择部门年度", error=True)
            return
        self.load()

    # --- workers -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="trash-load")
    def load(self) -> None:
        try:
            with read_session(self.context.engine) as session:
                entries = bin_.list_trash(session, department_id=self.context.department_id)
        except Exception as exc:  # every failure is shown, none kills the app
            self.post_message(WorkFailed(failure_text(exc)))
            return
        self.post_message(self.Listed(entries))

    @work(thread=True, group="trash-write")
    def restore(self, project_id: int) -> None:
        try:
            with write_session(self.context.engine) as session:
                restored = bin_.restore_project(session, project_id=project_id, user=self.context.user)
        except Exception as exc:
            self.post_message(WorkFailed(failure_text(exc)))
            return
        self.post_message(self.Restored(restored))

    # --- messages ------------------------------------------------------------------------------

    def on_trash_screen_listed(self, message: Listed) -> None:
        self.entries = message.entries
        table = self.query_one(DataTable)
        table.clear()
        for entry in self.entries:
            table.add_row(
                cell(entry.name),
                cell(entry.deleted_by or "未知"),
                cell(entry.deleted_at.astimezone().strftime("%Y-%m-%d %H:%M")),
                cell(str(entry.indicators), right=True),
                key=str(entry.project_id),
            )
        self.query_one("#trash-empty", Static).update("" if self.entries else "回收站是空的。")
        if not self._busy:
            count = len(self.entries)
            self.query_one(StatusLine).say(f"回收站中有 {count} 个项目" if count else "")
        self._busy = False
        table.focus()

    def on_trash_screen_restored(self, message: Restored) -> None:
        self.restored.append(message.restored.project.id or 0)
        self._busy = True
        self.query_one(StatusLine).say(message.restored.message, ok=True)
        self.load()

    def on_work_failed(self, message: WorkFailed) -> None:
        self._busy = False
        self.query_one(StatusLine).say(message.text, error=True)

    # --- actions -------------------------------------------------------------------------------

    @on(DataTable.RowSelected)
    @on(Button.Pressed, "#trash-restore")
    def action_restore(self) -> None:
        table = self.query_one(DataTable)
        if not self.entries or table.cursor_row >= len(self.entries):
            self.query_one(StatusLine).say("回收站是空的", error=True)
            return
        entry = self.entries[table.cursor_row]
        self.query_one(StatusLine).say(f"正在恢复“{entry.name}”……")
        self.restore(entry.project_id)

    def action_reload(self) -> None:
        self.load()

    @on(Button.Pressed, "#trash-close")
    def action_close(self) -> None:
        self.dismiss(list(self.restored))
