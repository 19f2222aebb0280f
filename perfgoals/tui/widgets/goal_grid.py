"""The goal-table grid: the columns the table uses (一级 … 依据, and 实施期指标值, 度量单位, 指标方向,
权重, 计算方法, 上年指标值 when some row has them), long text wrapped, a cell cursor and a range, and
the cell editor laid over the cursor cell.

The grid knows nothing of drafts: it shows rows, reports where the user is, and places, shows and
hides the one :class:`~perfgoals.tui.widgets.cell_editor.CellEditor` of its screen (:meth:`open_editor`).
In a short terminal (:attr:`compact`) every row takes one line, so that the table keeps its rows in 24.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import OverflowMethod
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.events import Resize
from textual.geometry import Region
from textual.message import Message
from textual.widgets.data_table import ColumnKey, CursorType, RowKey

from perfgoals.columns import cell_text, label
from perfgoals.models import Indicator
from perfgoals.reading.rows import read_value
from perfgoals.tui.editing import GRID_FIELDS, CellRange, visible_fields
from perfgoals.tui.textual_compat import (
    HighlightingDataTable,
    cell_region,
    clear_render_caches,
    forget_rows,
    keep_row_labels,
    remeasure_rows,
    set_cell_quietly,
)

if TYPE_CHECKING:
    from perfgoals.tui.widgets.cell_editor import CellEditor, EditSpec

# Share of the width each column gets, the least it gets, and the most it needs.
_WEIGHTS = {
    "level1": 10,
    "level2": 12,
    "level3": 14,
    "description": 18,
    "mid_term_value": 10,
    "value": 12,
    "unit": 5,
    "direction": 5,
    "weight": 5,
    "basis": 10,
    "method": 14,
    "reference_value": 10,
    "reference_actual": 10,
}
_MINIMUM = {
    "level1": 4,
    "level2": 4,
    "level3": 6,
    "description": 6,
    "mid_term_value": 6,
    "value": 6,
    "unit": 4,
    "direction": 4,
    "weight": 4,
    "basis": 4,
    "method": 6,
    "reference_value": 6,
    "reference_actual": 6,
}
#: A column the tables above do not name (a table's own, 数据来源 …).
_OTHER_WEIGHT, _OTHER_MINIMUM = 10, 6
_MAXIMUM = {
    "level1": 10,
    "level2": 18,
    "mid_term_value": 18,
    "value": 18,
    "unit": 8,
    "direction": 6,
    "weight": 6,
    "basis": 12,
    "reference_value": 18,
    "reference_actual": 18,
}
# Up to this many changed rows are replaced in place; more (another project shown) re-render all.
_IN_PLACE_ROWS = 3
# Columns that hold Chinese labels only: an even width wraps them between characters, not half-way.
_CJK_COLUMNS = ("level1", "level2", "basis", "direction")
#: The least width of the cell editor, and its height for free text and for a picker.
EDITOR_WIDTH = 36
EDITOR_HEIGHT = 4
PICKER_HEIGHT = 16


class GoalGrid(HighlightingDataTable):
    """A DataTable of indicator rows that re-lays itself out to the width it is given.

    Shift+arrows extend a rectangular selection from an anchor; the cells in it are highlighted
    like the cursor.  Tab and shift+Tab move across cells (to the next row at the end of one).
    """

    HELP_NAME = "指标表格"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("shift+up", "extend(-1, 0)", "向上扩选", show=False, id="grid.extend_up"),
        Binding("shift+down", "extend(1, 0)", "向下扩选", show=False, id="grid.extend_down"),
        Binding("shift+left", "extend(0, -1)", "向左扩选", show=False, id="grid.extend_left"),
        Binding("shift+right", "extend(0, 1)", "向右扩选", show=False, id="grid.extend_right"),
        Binding("tab", "step(1)", "下一个单元格", show=False, id="grid.next_cell"),
        Binding("shift+tab", "step(-1)", "上一个单元格", show=False, id="grid.previous_cell"),
    ]

    class SelectionChanged(Message):
        def __init__(self, grid: GoalGrid) -> None:
            super().__init__()
            self.grid = grid

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            id=id, cursor_type="cell", zebra_stripes=True, cursor_foreground_priority="renderable"
        )
        self._indicators: list[Indicator] = []
        self._findings: dict[tuple[int, str], str] = {}
        self._anchor: tuple[int, int] | None = None
        self._laid_out_width = 0
        self._extending = False
        # What each shown cell was built from, per row: lets show_rows touch only the cells that changed.
        self._shown: list[tuple[tuple[str, str, str, str], ...]] = []
        self._widths: dict[str, int] = {}
        # The columns shown: the standard ones and the optional ones this table uses.
        self._fields: tuple[str, ...] = GRID_FIELDS
        self._compact = False
        self._editor: CellEditor | None = None
        #: (row, field) → the review-comment marker of that cell (◆ open, ◇ answered or resolved).
        self._comments: dict[tuple[int, str], str] = {}

    # -- content --------------------------------------------------------------------------------

    def show_rows(
        self,
        indicators: list[Indicator],
        marks: dict[tuple[int, str], str] | None = None,
        *,
        top: bool = False,
        fields: tuple[str, ...] | None = None,
    ) -> None:
        """Show ``indicators`` in ``fields`` (default: the columns they use); ``marks`` maps (row,
        field) to a glyph for cells with findings; ``top`` (another project) puts the view and the
        cursor back on the first cell.

        Only the cells whose text or mark changed are replaced, and only their rows are measured
        again: re-laying out the whole table is what makes switching projects and editing slow.
        """
        self._indicators = indicators
        self._findings = marks or {}
        self._fields = fields if fields is not None else visible_fields(indicators)
        widths = self._column_widths()
        if widths != self._widths or not self.columns or tuple(self.columns) != tuple(map(ColumnKey, self._fields)):
            self._rebuild()
        else:
            self._update_rows()
        if top:
            self._anchor = None
            self.move_cursor(row=0, column=0, animate=False, scroll=False)
            self.scroll_to(0, 0, animate=False, immediate=True)

    def set_marks(self, marks: dict[tuple[int, str], str]) -> None:
        """Change only the finding marks (after a check), keeping the rows as they are."""
        self.show_rows(self._indicators, marks, fields=self._fields)

    def set_comment_marks(self, marks: dict[tuple[int, str], str], *, redraw: bool = True) -> None:
        """Mark the cells that review comments are about (◆ open, ◇ answered), shown before the
        finding mark; ``redraw``: now (only the cells whose marker changed), else with the next
        :meth:`show_rows`."""
        if marks != self._comments:
            self._comments = dict(marks)
            if redraw:
                self.show_rows(self._indicators, self._findings, fields=self._fields)

    @property
    def compact(self) -> bool:
        """One line per row (a short terminal): the table keeps its rows in view."""
        return self._compact

    @compact.setter
    def compact(self, compact: bool) -> None:
        if compact != self._compact:
            self._compact = compact
            if self.columns:
                self._rebuild()

    def _signature(self, row: int, field: str, indicator: Indicator) -> tuple[str, str, str, str]:
        extra = (indicator.unit or "") if field == "value" else ""
        comment = self._comments.get((row, field), "")
        return (cell_text(indicator, field), self._findings.get((row, field), ""), extra, comment)

    def _row_signature(self, row: int, indicator: Indicator) -> tuple[tuple[str, str, str, str], ...]:
        return tuple(self._signature(row, field, indicator) for field in self._fields)

    def _row_height(self) -> int | None:
        return 1 if self._compact else None

    def _update_rows(self) -> None:
        shown = self._shown
        wanted = [self._row_signature(index, indicator) for index, indicator in enumerate(self._indicators)]
        changed = [i for i in range(min(len(shown), len(wanted))) if shown[i] != wanted[i]]
        # An edit touches a row or two: replacing those cells in place keeps every other row's
        # rendering cached.  DataTable.update_cell would invalidate the whole table's caches.
        in_place = len(changed) <= _IN_PLACE_ROWS
        remeasure: list[RowKey] = []
        for index in changed:
            old, new = shown[index], wanted[index]
            indicator = self._indicators[index]
            row_key = RowKey(str(index))
            for column, field in enumerate(self._fields):
                if old[column] != new[column]:
                    cell = self._cell(index, field, indicator)
                    if in_place:
                        set_cell_quietly(self, row_key, ColumnKey(field), cell)
                    else:
                        self.update_cell(row_key, field, cell)
            remeasure.append(row_key)
        if in_place and changed:
            forget_rows(self, set(changed), set(remeasure))
        for index in range(len(shown) - 1, len(wanted) - 1, -1):
            self.remove_row(str(index))
        for index in range(len(shown), len(wanted)):
            indicator = self._indicators[index]
            cells = [self._cell(index, field, indicator) for field in self._fields]
            self.add_row(*cells, height=self._row_height(), key=str(index), label=str(index + 1))
        self._shown = wanted
        if remeasure and not self._compact:
            remeasure_rows(self, remeasure)
        if self._indicators and self.cursor_coordinate.row >= len(self._indicators):
            self.move_cursor(row=len(self._indicators) - 1, animate=False, scroll=False)
        if self._anchor is not None and self._anchor[0] >= len(self._indicators):
            self._anchor = None

    def _column_widths(self) -> dict[str, int]:
        # Leave room for the vertical scrollbar whether or not it shows yet, so rows never overflow.
        width = (self.content_region.width or 100) - self.styles.scrollbar_size_vertical
        # Each column takes 2 cells of padding; the row label takes its digits plus padding.
        label_width = len(str(max(len(self._indicators), 1))) + 2
        fields = self._fields
        minimum = {field: _MINIMUM.get(field, _OTHER_MINIMUM) for field in fields}
        weight = {field: _WEIGHTS.get(field, _OTHER_WEIGHT) for field in fields}
        available = max(width - label_width - 2 * len(fields), sum(minimum.values()))
        total = sum(weight.values())
        widths: dict[str, int] = {}
        for field in fields:
            share = available * weight[field] // total
            if field in _CJK_COLUMNS:
                share -= share % 2
            widths[field] = min(max(share, minimum[field]), _MAXIMUM.get(field, share))
        # What the capped columns leave goes to the free-text columns.
        spare = available - sum(widths.values())
        if spare > 0:
            widths["level3"] += spare * 2 // 5
            widths["description"] += spare - spare * 2 // 5
        return widths

    def _cell(self, row: int, field: str, indicator: Indicator) -> Text:
        text = cell_text(indicator, field)
        overflow: OverflowMethod = ("crop" if field in _CJK_COLUMNS else "ellipsis") if self._compact else "fold"
        cell = Text(text, overflow=overflow, no_wrap=self._compact)
        mark = self._findings.get((row, field))
        if mark:
            cell = Text.assemble((mark + " ", "bold red" if mark == "✗" else "bold yellow"), cell)
        comment = self._comments.get((row, field))
        if comment:
            cell = Text.assemble((comment + " ", "bold magenta" if comment == "◆" else "magenta"), cell)
        if field == "value" and text and not self._compact:
            # Read together with the unit column, as the checks read it (≤21.87 + 万元 is money).
            cell.append("\n" + read_value(text, indicator.unit).describe(), style="dim italic")
        return cell

    def _rebuild(self) -> None:
        cursor = self.cursor_coordinate
        scroll = self.scroll_offset
        self.clear(columns=True)
        widths = self._column_widths()
        self._widths = widths
        self._laid_out_width = self.size.width
        for field in self._fields:
            self.add_column(label(field), width=widths[field], key=field)
        for index, indicator in enumerate(self._indicators):
            cells = [self._cell(index, field, indicator) for field in self._fields]
            self.add_row(*cells, height=self._row_height(), key=str(index), label=str(index + 1))
        self._shown = [self._row_signature(i, indicator) for i, indicator in enumerate(self._indicators)]
        keep_row_labels(self)
        if self._indicators:
            row = min(cursor.row, len(self._indicators) - 1)
            self.move_cursor(row=row, column=min(cursor.column, len(self._fields) - 1), animate=False, scroll=False)
        self.scroll_to(scroll.x, scroll.y, animate=False, immediate=True)
        if self._anchor is not None and self._anchor[0] >= len(self._indicators):
            self._anchor = None

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._laid_out_width and self._column_widths() != self._widths:
            self._rebuild()

    # -- where the user is ----------------------------------------------------------------------

    @property
    def fields(self) -> tuple[str, ...]:
        """The columns shown, in order: a cursor or range column is an index into these."""
        return self._fields

    @property
    def current_field(self) -> str:
        return self._fields[min(self.cursor_coordinate.column, len(self._fields) - 1)]

    @property
    def current_row(self) -> int:
        return self.cursor_coordinate.row

    @property
    def selection(self) -> CellRange:
        """The selected cells: the anchored range, or just the cursor cell."""
        cursor = self.cursor_coordinate
        if self._anchor is None:
            return CellRange.cell(cursor.row, cursor.column)
        return CellRange.spanning(self._anchor, (cursor.row, cursor.column))

    @property
    def has_range(self) -> bool:
        return self._anchor is not None and self.selection.rows * self.selection.columns > 1

    def clear_selection(self) -> bool:
        if self._anchor is None:
            return False
        self._anchor = None
        clear_render_caches(self)
        self.refresh()
        self.post_message(self.SelectionChanged(self))
        return True

    def select_range(self, cells: CellRange) -> None:
        self._anchor = (cells.top, cells.left)
        self._extending = True
        try:
            self.move_cursor(row=cells.bottom, column=cells.right)
        finally:
            self._extending = False
        clear_render_caches(self)
        self.refresh()
        self.post_message(self.SelectionChanged(self))

    def go_to(self, row: int, field: str | None = None) -> None:
        """Put the cursor on a row (and a column, if ``field`` is a grid column)."""
        if not self._indicators:
            return
        column = self._fields.index(field) if field in self._fields else self.cursor_coordinate.column
        self.clear_selection()
        self.move_cursor(row=max(0, min(row, len(self._indicators) - 1)), column=column)

    def step(self, columns: int) -> None:
        """Move ``columns`` cells across, on to the next (or previous) row past the end of one."""
        if not self._indicators:
            return
        width = len(self._fields)
        place = self.cursor_coordinate.row * width + self.cursor_coordinate.column + columns
        place = max(0, min(place, len(self._indicators) * width - 1))
        self.clear_selection()
        self.move_cursor(row=place // width, column=place % width)

    def action_step(self, columns: int) -> None:
        self.step(columns)

    def action_extend(self, rows: int, columns: int) -> None:
        cursor = self.cursor_coordinate
        if self._anchor is None:
            self._anchor = (cursor.row, cursor.column)
        self._extending = True
        try:
            self.move_cursor(row=cursor.row + rows, column=cursor.column + columns)
        finally:
            self._extending = False
        clear_render_caches(self)
        self.refresh()
        self.post_message(self.SelectionChanged(self))

    def watch_cursor_coordinate(self, old_coordinate: Coordinate, new_coordinate: Coordinate) -> None:
        # Moving without shift drops the range, as in a spreadsheet.
        if not self._extending and self._anchor is not None and old_coordinate != new_coordinate:
            self._anchor = None
            clear_render_caches(self)
            self.post_message(self.SelectionChanged(self))
        super().watch_cursor_coordinate(old_coordinate, new_coordinate)

    def highlights(self, cursor: Coordinate, target_cell: Coordinate, type_of_cursor: CursorType) -> bool:
        return (
            self._anchor is not None
            and type_of_cursor == "cell"
            and cursor == self.cursor_coordinate
            and self.selection.contains(target_cell.row, target_cell.column)
        )

    # -- the cell editor over the grid ----------------------------------------------------------

    def attach_editor(self, editor: CellEditor) -> None:
        """The screen's one cell editor (mounted first among the screen's children, hidden)."""
        self._editor = editor

    @property
    def editor(self) -> CellEditor | None:
        """The cell editor while an edit is open, else ``None``."""
        editor = self._editor
        return editor if editor is not None and editor.is_open else None

    @property
    def editing(self) -> bool:
        return self.editor is not None

    def open_editor(self, spec: EditSpec) -> CellEditor:
        """Lay the editor over the cursor cell, start ``spec`` in it and give it the focus, all before
        this returns: the next key typed goes to the editor's line."""
        editor = self._editor
        assert editor is not None, "attach_editor first"
        editor.begin(spec)
        self.place_editor(editor, picker=spec.choices is not None)
        editor.display = True
        # The grid keeps its focused look under the editor, so that neither the focus leaving it
        # now nor coming back on Enter or Escape restyles it and re-renders every visible cell.
        self.keep_focused_look()
        self.screen.set_focus(editor.input, scroll_visible=False)
        return editor

    def place_editor(self, editor: CellEditor, *, picker: bool) -> None:
        """Put ``editor`` over the cursor cell, as wide as the cell (at least :data:`EDITOR_WIDTH`),
        moved up when it would run past the bottom of the screen."""
        screen_size = self.screen.size
        region = self.cell_screen_region()
        width = min(max(region.width + 2, EDITOR_WIDTH), screen_size.width)
        x = max(0, min(region.x - 1, screen_size.width - width))
        height = PICKER_HEIGHT if picker else EDITOR_HEIGHT
        y = region.y - 1
        if y + height > screen_size.height - 1:
            y = max(0, screen_size.height - 1 - height)
        editor.styles.width = width
        editor.styles.offset = (x, max(0, y))

    def close_editor(self, *, back_to_grid: bool) -> None:
        """Hide the editor; the focus comes back to the grid (unless it left for elsewhere)."""
        editor = self._editor
        if editor is None:
            return
        editor.mark_finished()
        if back_to_grid:
            # Focused before the editor hides: hiding the focused editor would first pass the
            # focus on to the next widget in the chain, restyling and redrawing it twice.
            self.screen.set_focus(self, scroll_visible=False)
        else:
            self.drop_focused_look()
        editor.display = False

    # -- while a cell editor is open over the grid ----------------------------------------------

    def keep_focused_look(self) -> None:
        """Keep the focused look while an editor over a cell has the focus, and until it comes back.

        Restyling a DataTable throws away the rendering of every cell, and Textual restyles a
        widget whenever its focus changes (even when no style differs): opening and closing the
        editor would re-render the whole visible grid.  The class (app.tcss, ``#grid.-editing``)
        gives the focused look should anything else restyle the grid meanwhile.
        """
        # No restyle when the grid is focused (it already looks it); else it takes the look now.
        self.add_class("-editing", update=not self.has_focus)

    def drop_focused_look(self) -> None:
        """The editor closed with the focus elsewhere: look as unfocused as the grid now is."""
        self.remove_class("-editing")

    def watch_has_focus(self, _has_focus: bool) -> None:
        if self.has_class("-editing"):
            # To the editor and back: the grid looks the same either way, so there is nothing to restyle.
            if _has_focus:
                self.remove_class("-editing", update=False)
            return
        super().watch_has_focus(_has_focus)

    def cell_screen_region(self) -> Region:
        """Where the cursor cell is on the screen, for placing an editor over it."""
        region = cell_region(self, self.cursor_coordinate)
        x = region.x - int(self.scroll_x) + self.content_region.x
        y = region.y - int(self.scroll_y) + self.content_region.y
        return Region(x, y, region.width, region.height)
