"""恢复未保存的修改: offered at start-up when the crash journal holds drafts (:mod:`perfgoals.journal`).

``RecoveryDialog(drafts)`` lists what would be restored (project, department, the version the edits
started from, how many cells and a few of them, when they were written) and dismisses with a
:class:`RecoveryChoice`:

- ``RESTORE`` (恢复, r): open every draft as unsaved edits (``RecoveredDraft.draft`` is the
  :class:`perfgoals.merge.Draft`); saving them merges whatever was saved meanwhile;
- ``DISCARD`` (放弃, d, after a confirmation): ``Journal.clear()``;
- ``LATER`` (稍后, Escape): keep the file for the next start and do not journal over it this session.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static

from perfgoals.journal import RecoveredDraft
from perfgoals.tui.screens._common import cell
from perfgoals.tui.screens.dialogs import ConfirmDialog

#: How many changed cells a row lists before "等".
SHOWN_CHANGES = 3

#: The width of the shared ``.dialog-box.wide`` (app.tcss).
DIALOG_WIDTH = 100


class RecoveryChoice(StrEnum):
    RESTORE = "restore"
    DISCARD = "discard"
    LATER = "later"


def changes_text(draft: RecoveredDraft) -> str:
    """``3 处：项目名称、第 2 行 指标值、第 5 行（新增）`` (or ``等 N 处`` when there are more)."""
    changes = draft.changes()
    if not changes:
        return "无改动"
    shown = "、".join(changes[:SHOWN_CHANGES])
    return f"{len(changes)} 处：{shown}" + ("等" if len(changes) > SHOWN_CHANGES else "")


class RecoveryDialog(ModalScreen[RecoveryChoice]):
    """Restore, discard or postpone the unsaved edits a crash left (see the module docstring)."""

    # Own rules (app.tcss holds the shared .dialog look); theme variables only.
    DEFAULT_CSS = """
    RecoveryDialog #recovery-table {
        height: auto;
        max-height: 50vh;
    }
    RecoveryDialog #recovery-detail {
        height: auto;
        max-height: 4;
        margin-top: 1;
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('restore')", "恢复", id="recovery.restore"),
        Binding("d", "discard", "放弃", id="recovery.discard"),
        Binding("escape", "choose('later')", "稍后", id="recovery.later"),
    ]

    def __init__(self, drafts: list[RecoveredDraft]) -> None:
        super().__init__(classes="dialog")
        self.drafts = drafts

    def compose(self) -> ComposeResult:
        written = max((d.written_at for d in self.drafts), default=None)
        when = written.astimezone().strftime("%Y-%m-%d %H:%M:%S") if written else ""
        question = (
            f"上次退出时有 {len(self.drafts)} 个项目的修改没有保存（记录于 {when}）。"
            "要恢复这些修改吗？恢复后请检查并保存；他人在此期间保存的内容会在保存时合并。"
        )
        table: DataTable[Text] = DataTable(id="recovery-table", cursor_type="row", zebra_stripes=True)
        # The wide dialog box (100 columns or the screen) less its border, padding, the cell padding,
        # the scrollbar and 依据版本: shared 3 : 2 : 5 by 项目, 部门 and 修改.
        room = max(30, min(DIALOG_WIDTH, self.app.size.width) - 6 - 8 - 8)
        table.add_column("项目", key="name", width=room * 3 // 10)
        table.add_column("部门", key="department", width=room * 2 // 10)
        table.add_column("依据版本", key="revision", width=8)
        table.add_column("修改", key="changes", width=room - room * 3 // 10 - room * 2 // 10)
        for draft in self.drafts:
            table.add_row(
                cell(draft.name),
                cell(draft.department_label or "—"),
                cell(f"第 {draft.base_revision} 版"),
                cell(changes_text(draft)),
                key=str(draft.project_id),
            )
        with Vertical(classes="dialog-box wide"):
            yield Static(Text("恢复未保存的修改", style="bold"), classes="dialog-title")
            yield Static(question, classes="dialog-question")
            yield table
            yield Static("", id="recovery-detail")
            with Horizontal(classes="dialog-buttons"):
                yield Button("恢复", id="restore", variant="primary")
                yield Button("放弃", id="discard", variant="error")
                yield Button("稍后", id="later")

    def on_mount(self) -> None:
        self.query_one("#restore", Button).focus()
        self._show_detail(0)

    def _show_detail(self, row: int) -> None:
        if not 0 <= row < len(self.drafts):
            return
        draft = self.drafts[row]
        changes = draft.changes()
        self.query_one("#recovery-detail", Static).update(
            f"{draft.name}：" + ("、".join(changes) if changes else "无改动")
        )

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    @on(Button.Pressed, "#restore")
    def _restore(self) -> None:
        self.dismiss(RecoveryChoice.RESTORE)

    @on(Button.Pressed, "#later")
    def _later(self) -> None:
        self.dismiss(RecoveryChoice.LATER)

    def action_choose(self, choice: str) -> None:
        self.dismiss(RecoveryChoice(choice))

    @on(Button.Pressed, "#discard")
    def action_discard(self) -> None:
        def answered(sure: bool | None) -> None:
            if sure:
                self.dismiss(RecoveryChoice.DISCARD)

        question = f"确定放弃这 {len(self.drafts)} 个项目的未保存修改吗？放弃后无法找回。"
        self.app.push_screen(ConfirmDialog(question, yes="放弃修改", no="返回", danger=True), answered)
