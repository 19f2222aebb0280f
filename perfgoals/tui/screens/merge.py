"""保存冲突: the cells both users changed, each answered 我的 / 他人的 / 合并前.

``MergeDialog(result)`` takes a :class:`perfgoals.merge.MergeResult` that has conflicts (from
:class:`perfgoals.storage.merging.NeedsChoice`) and dismisses with the resolved project (the merge with
every answer applied, carrying the other version's id and revision), or ``None`` to decide later.
Cells only one side changed are already merged and not shown.

Keys: ↑/↓ move between conflicts; 1/m 我的, 2/t 他人的, 3/b 合并前 (←/→ step through them); Enter
applies every answer; Escape postpones.  Every conflict starts on 我的.

After it, the main screen makes ``Draft(base=result.theirs, mine=resolved)`` its draft (an undo step)
and saves it with :func:`perfgoals.storage.merging.merge_and_save`.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static

from perfgoals.merge import Conflict, MergeResult, Side
from perfgoals.models import Project

#: The width of the shared ``.dialog-box.wide`` (app.tcss).
DIALOG_WIDTH = 100

#: The order of the choices (←/→ and 1/2/3).
SIDES: tuple[Side, ...] = (Side.MINE, Side.THEIRS, Side.BASE)


class ConflictTable(DataTable[Text]):
    """The conflicts, one per row; ←/→ change the answer of the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "screen.step(-1)", "上一个选项", id="merge.step_left", show=False),
        Binding("right", "screen.step(1)", "下一个选项", id="merge.step_right", show=False),
    ]


class MergeDialog(ModalScreen[Project | None]):
    """Pick 我的 / 他人的 / 合并前 for each cell both sides changed (see the module docstring)."""

    # Own rules (app.tcss holds the shared .dialog look); theme variables only.
    DEFAULT_CSS = """
    MergeDialog #merge-table {
        height: auto;
        max-height: 50vh;
    }
    MergeDialog #merge-detail {
        height: auto;
        max-height: 8;
        margin-top: 1;
        padding: 0 1;
        background: $boost;
        color: $text;
    }
    MergeDialog #merge-help {
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1,m", "choose('mine')", "选我的", id="merge.mine"),
        Binding("2,t", "choose('theirs')", "选他人的", id="merge.theirs"),
        Binding("3,b", "choose('base')", "选合并前", id="merge.base"),
        Binding("enter", "apply", "采用所选", id="merge.apply"),
        Binding("escape", "postpone", "稍后决定", id="merge.postpone"),
    ]

    def __init__(self, result: MergeResult) -> None:
        super().__init__(classes="dialog")
        self.result = result
        self.choices: dict[int, Side] = {conflict.index: Side.MINE for conflict in result.conflicts}

    def compose(self) -> ComposeResult:
        theirs = self.result.theirs
        taken = len(self.result.taken_from_theirs)
        intro = (
            f"项目“{theirs.name}”已被他人保存为第 {theirs.goal.revision} 版。"
            f"以下 {len(self.result.conflicts)} 处两边改得不同，请逐格选择；"
            + (f"他人的另外 {taken} 处修改已自动合并。" if taken else "其余修改已自动合并。")
        )
        table = ConflictTable(id="merge-table", cursor_type="row", zebra_stripes=True)
        # The wide dialog box is 100 columns or the screen; borders, padding, cell padding and the
        # scrollbar take 16 of them, 位置 and 内容 24; the three versions share the rest.
        inner = min(DIALOG_WIDTH, self.app.size.width)
        side_width = max(8, (inner - 16 - 24) // len(SIDES))
        table.add_column("位置", key="where", width=14)
        table.add_column("内容", key="column", width=10)
        for side in SIDES:
            table.add_column(side.label, key=side.value, width=side_width)
        with Vertical(classes="dialog-box wide"):
            yield Static(Text("保存冲突", style="bold"), classes="dialog-title")
            yield Static(intro, classes="dialog-question", id="merge-intro")
            yield table
            yield Static("", id="merge-detail")
            yield Static("↑↓ 选格  1/m 我的  2/t 他人的  3/b 合并前  Enter 采用  Esc 稍后", id="merge-help")
            with Horizontal(classes="dialog-buttons"):
                yield Button("采用所选", id="merge-apply", variant="primary")
                yield Button("稍后决定", id="merge-postpone")

    def on_mount(self) -> None:
        table = self.query_one(ConflictTable)
        for conflict in self.result.conflicts:
            table.add_row(*self._cells(conflict), key=str(conflict.index))
        table.focus()
        self._show_detail()

    # --- showing ---------------------------------------------------------------------------------

    def _cells(self, conflict: Conflict) -> list[Text]:
        chosen = self.choices[conflict.index]
        cells = [
            Text(conflict.row_label, no_wrap=True, overflow="ellipsis"),
            Text(conflict.column_label, no_wrap=True, overflow="ellipsis"),
        ]
        for side in SIDES:
            text = conflict.text(side).replace("\n", " ")
            if side is chosen:
                cells.append(Text("● " + text, style="bold reverse", no_wrap=True, overflow="ellipsis"))
            else:
                cells.append(Text("○ " + text, no_wrap=True, overflow="ellipsis"))
        return cells

    def _refresh_row(self, conflict: Conflict) -> None:
        table = self.query_one(ConflictTable)
        for side, text in zip(SIDES, self._cells(conflict)[2:], strict=True):
            table.update_cell(str(conflict.index), side.value, text)

    @property
    def current(self) -> Conflict | None:
        table = self.query_one(ConflictTable)
        if not self.result.conflicts:
            return None
        return self.result.conflicts[min(table.cursor_row, len(self.result.conflicts) - 1)]

    def _show_detail(self) -> None:
        conflict = self.current
        detail = self.query_one("#merge-detail", Static)
        if conflict is None:
            detail.update("")
            return
        chosen = self.choices[conflict.index]
        text = Text(f"{conflict.label}\n", style="bold")
        for side in SIDES:
            marker = "●" if side is chosen else "○"
            text.append(f"{marker} {side.label}：", style="bold" if side is chosen else "")
            text.append(conflict.text(side) + "\n")
        detail.update(text)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    # --- actions ---------------------------------------------------------------------------------

    def action_choose(self, side: str) -> None:
        conflict = self.current
        if conflict is None:
            return
        self.choices[conflict.index] = Side(side)
        self._refresh_row(conflict)
        self._show_detail()

    def action_step(self, delta: int) -> None:
        conflict = self.current
        if conflict is None:
            return
        position = SIDES.index(self.choices[conflict.index])
        self.action_choose(SIDES[(position + delta) % len(SIDES)].value)

    @on(DataTable.RowSelected)
    @on(Button.Pressed, "#merge-apply")
    def action_apply(self) -> None:
        self.dismiss(self.result.resolve(self.choices))

    @on(Button.Pressed, "#merge-postpone")
    def action_postpone(self) -> None:
        self.dismiss(None)
