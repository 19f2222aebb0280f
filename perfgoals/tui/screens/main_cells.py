"""Editing a cell of the main screen's grid: what the editor offers, what a commit does, and which
keys start an edit.

Typing on a focused cell starts editing it with what is typed, as in a spreadsheet.  The decision is
taken as the app receives each key (:meth:`CellEditing.route_key`, called from
:meth:`perfgoals.tui.app.PerfgoalsApp.on_event` before Textual hands the key on), and the editor takes
the focus before the next key is handed on: so every key of a burst (an IME commits 培训班次 as four
keys in one read) reaches the editor, in order, and none is lost on the grid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events

from perfgoals.columns import column as column_of
from perfgoals.columns import label
from perfgoals.tui.widgets.cell_editor import CellEditor, EditSpec, Move

if TYPE_CHECKING:
    from perfgoals.tui.screens.main import MainScreen
    from perfgoals.tui.workspace import Workspace

#: Keys that, on a focused grid cell, open the editor on the cell's text (not replacing it).
EDIT_KEYS = frozenset({"enter"})


class CellEditing:
    """Opens, commits and closes the grid's cell editor for the main screen."""

    def __init__(self, screen: MainScreen, workspace: Workspace) -> None:
        self.screen = screen
        self.workspace = workspace

    @property
    def is_open(self) -> bool:
        return self.screen.grid.editing

    # -- starting an edit -----------------------------------------------------------------------

    def route_key(self, event: events.Key) -> bool:
        """A key as the app receives it: start an edit when it is typed on the focused grid.

        Returns True when the key is used up here (Enter: the editor opens on the cell's text); a
        printable key opens the editor empty and is then handed on as usual, to the editor's line,
        which by then has the focus.
        """
        screen = self.screen
        grid = screen.grid
        if screen.app.screen is not screen or screen.focused is not grid or grid.editing:
            return False
        if self.workspace.draft is None:
            return False
        if event.key in EDIT_KEYS:
            self.open()
            return True
        if event.is_printable and event.character:
            self.open(replace=True)
        return False

    def spec(self, row: int, field: str, *, replace: bool = False) -> EditSpec:
        """What the editor shows for (``row``, ``field``) of the current draft."""
        draft = self.workspace.draft
        assert draft is not None
        column = column_of(field)
        choices = self.workspace.choices(row, field)
        current = draft.cell(row, field)
        return EditSpec(
            row=row,
            field=field,
            text="" if replace or choices is not None else current,
            title=f"第 {row + 1} 行 {label(field)}",
            kind=column.kind,
            choices=tuple(choices) if choices is not None else None,
            suggestions=tuple(self.workspace.suggestions()) if field == "level3" else (),
            unit=draft.indicators[row].unit if row < len(draft.indicators) else None,
            closed=column.kind == "choice",
            current=current,
        )

    def open(self, *, replace: bool = False) -> CellEditor | None:
        """Edit the cursor cell (``replace``: starting empty, for what is being typed); a table with no
        rows gets one first."""
        screen = self.screen
        draft = self.workspace.draft
        if draft is None or self.is_open:
            return None
        grid = screen.grid
        if not draft.indicators:
            at = draft.insert_row(0)
            screen.changed((at, "level3"))
        grid.clear_selection()
        screen.view.freeze_footer(True)
        return grid.open_editor(self.spec(grid.current_row, grid.current_field, replace=replace))

    # -- ending it ------------------------------------------------------------------------------

    def commit_open(self) -> bool:
        """Keep what is typed in an open editor (saving, or acting on rows, with it open).

        Returns False when the typed text cannot be stored (a weight that is no number): the editor
        then stays open, saying why, and nothing typed is lost.
        """
        editor = self.screen.grid.editor
        draft = self.workspace.draft
        if editor is None:
            return True
        changes = editor.result()
        problem = (
            "只能从列表中选择" if changes is None else draft.check_cells(changes) if draft is not None else None
        )
        if problem is not None:
            editor.refuse(problem)
            self.screen.notify(problem, title="单元格未写入", severity="warning", timeout=6)
            return False
        self._close(back_to_grid=True)
        if changes is not None:
            self._apply(editor.row, changes)
        return True

    def committed(self, message: CellEditor.Committed) -> None:
        screen = self.screen
        field = next(iter(message.changes))
        draft = self.workspace.draft
        if draft is not None:
            problem = draft.check_cells(message.changes)
            if problem is not None:
                # Nothing typed is dropped: the editor stays, saying why, with the focus in it.
                editor = screen.cell_editor
                editor.refuse(problem)
                screen.set_focus(editor.input)
                return
        back = message.move != "stay" or self._focus_within_editor()
        self._close(back_to_grid=back)
        if draft is None:
            return
        # The edit and its findings first: all reach the screen in one redraw.
        self._apply(message.row, message.changes)
        if self._choose_level2_next(message.row, field):
            return
        self._move(message.row, message.move)

    def cancelled(self) -> None:
        self._close(back_to_grid=self._focus_within_editor())

    def _focus_within_editor(self) -> bool:
        focused = self.screen.focused
        return focused is None or self.screen.cell_editor in focused.ancestors_with_self

    def _close(self, *, back_to_grid: bool) -> None:
        self.screen.grid.close_editor(back_to_grid=back_to_grid)
        self.screen.view.freeze_footer(False)

    def _apply(self, row: int, changes: dict[str, str]) -> None:
        draft = self.workspace.draft
        if draft is None or row >= len(draft.indicators):
            return
        problem = draft.check_cells(changes)
        if problem is not None:
            self.screen.notify(problem, title="未能写入单元格", severity="error", timeout=10)
            return
        field = next(iter(changes))
        if draft.set_cells(row, changes):
            self.screen.changed((row, field))

    def _choose_level2_next(self, row: int, field: str) -> bool:
        """After a new 一级 that the 二级 does not belong under, go straight on to choose the 二级."""
        draft = self.workspace.draft
        framework = self.workspace.framework
        if (
            field == "level1"
            and draft is not None
            and framework is not None
            and row < len(draft.indicators)
            and draft.cell(row, "level2")
            and not framework.is_valid_pair(draft.cell(row, "level1"), draft.cell(row, "level2"))
        ):
            self.screen.grid.go_to(row, "level2")
            self.open()
            return True
        return False

    def _move(self, row: int, move: Move) -> None:
        grid = self.screen.grid
        if move == "down":
            grid.go_to(row + 1, grid.current_field)
        elif move == "right":
            grid.step(1)
        elif move == "left":
            grid.step(-1)
