"""Row, column, clipboard and undo actions of the main screen's grid, on the current draft."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Input

from perfgoals.columns import COLUMNS_BY_FIELD, column
from perfgoals.tui.editing import CellRange

if TYPE_CHECKING:
    from perfgoals.tui.screens.main import MainScreen
    from perfgoals.tui.workspace import Workspace


class RowActions:
    """What ctrl+n, ctrl+d, ctrl+k, alt+↑/↓, Delete, ctrl+c/x/v, ctrl+z/y and 添加列 do."""

    def __init__(self, screen: MainScreen, workspace: Workspace) -> None:
        self.screen = screen
        self.workspace = workspace
        #: What ctrl+c copied last (also put on the terminal's clipboard).
        self.clipboard = ""

    def _rows(self) -> tuple[int, int]:
        selection = self.screen.grid.selection
        return selection.top, selection.bottom

    # -- rows -----------------------------------------------------------------------------------

    def insert(self) -> None:
        """A new row below the cursor; the cursor (and the focus) go to its 三级."""
        draft = self.workspace.draft
        if draft is None:
            return
        grid = self.screen.grid
        at = grid.current_row + 1 if draft.indicators else 0
        at = draft.insert_row(at)
        self.screen.changed((at, "level3"))
        self.screen.set_focus(grid, scroll_visible=False)

    def duplicate(self) -> None:
        draft = self.workspace.draft
        if draft is None or not draft.indicators:
            return
        first, last = self._rows()
        at = draft.duplicate_rows(first, last)
        self.screen.changed((at, self.screen.grid.current_field))

    def delete(self) -> None:
        draft = self.workspace.draft
        if draft is None or not draft.indicators:
            return
        grid = self.screen.grid
        first, last = self._rows()
        field = grid.current_field
        if draft.delete_rows(first, last):
            grid.clear_selection()
            self.screen.changed((min(first, max(len(draft.indicators) - 1, 0)), field))
            self.screen.notify(f"已删除 {last - first + 1} 行（ctrl+z 撤销）", timeout=3)

    def move(self, delta: int) -> None:
        draft = self.workspace.draft
        if draft is None or not draft.indicators:
            return
        grid = self.screen.grid
        first, last = self._rows()
        had_range = grid.has_range
        selection = grid.selection
        at = draft.move_rows(first, last, delta)
        if at == first:
            return
        self.screen.changed((at + (last - first), grid.current_field))
        if had_range:
            shift = at - first
            grid.select_range(CellRange(selection.top + shift, selection.left, selection.bottom + shift, selection.right))

    def clear(self) -> None:
        draft = self.workspace.draft
        if draft is None or not draft.indicators:
            return
        if draft.clear_range(self.screen.grid.selection):
            self.screen.changed(None)

    # -- columns --------------------------------------------------------------------------------

    def addable_columns(self) -> list[tuple[str, str]]:
        """(field, Chinese label) of the optional columns the current table does not show yet."""
        draft = self.workspace.draft
        if draft is None:
            return []
        return [(field, COLUMNS_BY_FIELD[field].label) for field in draft.addable_columns()]

    def choose_column(self) -> None:
        """添加列: offer the optional columns the table does not show yet."""
        offered = self.addable_columns()
        if not offered:
            self.screen.notify("本表的可选列都已显示", timeout=3)
            return

        def chosen(field: str | None) -> None:
            if field:
                self.add_column(field)

        dialogs = importlib.import_module("perfgoals.tui.screens.dialogs")
        self.screen.app.push_screen(dialogs.ColumnDialog(offered), chosen)

    def add_column(self, field: str) -> None:
        """Show an optional column (添加列) and put the cursor in it."""
        draft = self.workspace.draft
        if draft is None or not draft.add_column(field):
            return
        row = self.screen.grid.current_row if draft.indicators else 0
        if not draft.indicators:
            draft.insert_row(0)
        self.screen.changed((row, field))
        self.screen.set_focus(self.screen.grid, scroll_visible=False)
        self.screen.notify(f"已添加“{column(field).label}”列", timeout=3)

    # -- clipboard -----------------------------------------------------------------------------

    def copy(self) -> None:
        draft = self.workspace.draft
        if draft is None or not draft.indicators:
            return
        selection = self.screen.grid.selection
        self.clipboard = draft.copy(selection)
        self.screen.app.copy_to_clipboard(self.clipboard)
        cells = selection.rows * selection.columns
        self.screen.notify(f"已复制 {cells} 个单元格（可直接粘贴到 Excel）", timeout=3)

    def cut(self) -> None:
        self.copy()
        self.clear()

    def route_paste(self, event: events.Paste) -> bool:
        """A terminal paste on the main screen lands in the grid, whatever has the focus, unless it is a
        single line pasted into a text field (the filter, the cell editor).  Returns True when used."""
        screen = self.screen
        if screen.app.screen is not screen or self.workspace.draft is None:
            return False
        tabular = "\t" in event.text or "\n" in event.text.strip("\n")
        if isinstance(screen.focused, Input) and not tabular:
            return False
        screen.cells.commit_open()
        self.paste(event.text)
        return True

    def paste(self, text: str | None = None) -> None:
        """Paste TSV (ctrl+v: what ctrl+c copied; a terminal paste: its text) at the cursor or over the
        selection; the cursor and the focus go to the first cell pasted (a new row, past the end)."""
        draft = self.workspace.draft
        if draft is None:
            return
        screen = self.screen
        grid = screen.grid
        text = self.clipboard if text is None else text
        if not text:
            screen.notify("剪贴板为空（从 Excel 粘贴请用终端的粘贴键，如 ctrl+shift+v）", severity="warning")
            return
        selection = grid.selection if grid.has_range else None
        row = grid.current_row if draft.indicators else 0
        column = grid.cursor_coordinate.column if draft.indicators else 0
        if selection is not None:
            row, column = selection.top, selection.left
        try:
            area = draft.paste(row, column, text, selection=selection)
        except ValueError as exc:
            screen.notify(f"未粘贴：{exc}", title="粘贴", severity="error", timeout=10)
            return
        screen.set_focus(grid, scroll_visible=False)
        if area is None:
            return
        fields = draft.fields
        screen.changed((area.top, fields[area.left]))
        if area.rows * area.columns > 1:
            grid.select_range(area)

    # -- undo -----------------------------------------------------------------------------------

    def undo(self) -> None:
        draft = self.workspace.draft
        step = draft.undo() if draft else None
        if step is None:
            self.screen.notify("没有可撤销的修改", timeout=2)
            return
        self.screen.grid.clear_selection()
        self.screen.changed((step.place.row, step.place.field), regroup=step.place.row is None)
        self.screen.notify(f"已撤销：{step.label}", timeout=2)

    def redo(self) -> None:
        draft = self.workspace.draft
        step = draft.redo() if draft else None
        if step is None:
            self.screen.notify("没有可重做的修改", timeout=2)
            return
        self.screen.changed((step.place.row, step.place.field), regroup=step.place.row is None)
        self.screen.notify(f"已重做：{step.label}", timeout=2)
