"""The goal-table grid: 一级/二级/三级/描述/指标值/依据 (and 计算方法 when some row has one), long
text wrapped, a cell cursor and a range."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.events import Resize
from textual.geometry import Region
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, CursorType, RowKey

from perfgoals.models import Indicator
from perfgoals.reading.rows import read_value
from perfgoals.tui.editing import GRID_FIELDS, GRID_LABELS, CellRange, visible_fields

# Share of the width each column gets, the least it gets, and the most it needs.
_WEIGHTS = {
    "level1": 10,
    "level2": 12,
    "level3": 14,
    "description": 18,
    "value": 12,
    "basis": 10,
    "method": 14,
}
_MINIMUM = {"level1": 4, "level2": 4, "level3": 6, "description": 6, "value": 6, "basis": 4, "method": 6}
_MAXIMUM = {"level1": 10, "level2": 18, "value": 18, "basis": 12}
# Up to this many changed rows are replaced in place; more (another project shown) re-render all.
_IN_PLACE_ROWS = 3
# Columns that hold Chinese labels only: an even width wraps them between characters, not half-way.
_CJK_COLUMNS = ("level1", "level2", "basis")


class GoalGrid(DataTable[Text]):
    """A DataTable of indicator rows that re-lays itself out to the width it is given.

    Shift+arrows extend a rectangular selection from an anchor; the cells in it are highlighted
    like the cursor.  The grid knows nothing of editing: it shows rows and reports where the user is.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("shift+up", "extend(-1, 0)", "向上扩选", show=False, id="grid.extend_up"),
        Binding("shift+down", "extend(1, 0)", "向下扩选", show=False, id="grid.extend_down"),
        Binding("shift+left", "extend(0, -1)", "向左扩选", show=False, id="grid.extend_left"),
        Binding("shift+right", "extend(0, 1)", "向右扩选", show=False, id="grid.extend_right"),
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
        # The columns shown: the fixed ones and the optional ones some row of this table fills in.
        self._fields: tuple[str, ...] = GRID_FIELDS

    # -- content --------------------------------------------------------------------------------

    def show_rows(
        self,
        indicators: list[Indicator],
        marks: dict[tuple[int, str], str] | None = None,
        *,
        top: bool = False,
    ) -> None:
        """Show ``indicators``; ``marks`` maps (row, field) to a glyph for cells with findings;
        ``top`` (another project) puts the view and the cursor back on the first cell.

        Only the cells whose text or mark changed are replaced, and only their rows are measured
        again: re-laying out the whole table is what makes switching projects and editing slow.
        """
        self._indicators = indicators
        self._findings = marks or {}
        self._fields = visible_fields(indicators)
        widths = self._column_widths()
        if widths != self._widths or not self.columns:
            self._rebuild()
        else:
            self._update_rows()
        if top:
            self._anchor = None
            self.move_cursor(row=0, column=0, animate=False, scroll=False)
            self.scroll_to(0, 0, animate=False, immediate=True)

    def set_marks(self, marks: dict[tuple[int, str], str]) -> None:
        """Change only the finding marks (after a check), keeping the rows as they are."""
        self.show_rows(self._indicators, marks)

    def _signature(self, row: int, field: str, indicator: Indicator) -> tuple[str, str, str, str]:
        extra = (indicator.unit or "") + "\0" + (indicator.reference_value or "") if field == "value" else ""
        return (str(getattr(indicator, field) or ""), self._findings.get((row, field), ""), extra, "")

    def _row_signature(self, row: int, indicator: Indicator) -> tuple[tuple[str, str, str, str], ...]:
        return tuple(self._signature(row, field, indicator) for field in self._fields)

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
                        self._data[row_key][ColumnKey(field)] = cell
                    else:
                        self.update_cell(row_key, field, cell)
            remeasure.append(row_key)
        if in_place and changed:
            self._forget_rows(set(changed), set(remeasure))
        for index in range(len(shown) - 1, len(wanted) - 1, -1):
            self.remove_row(str(index))
        for index in range(len(shown), len(wanted)):
            indicator = self._indicators[index]
            cells = [self._cell(index, field, indicator) for field in self._fields]
            self.add_row(*cells, height=None, key=str(index), label=str(index + 1))
        self._shown = wanted
        if remeasure:
            # DataTable measures auto-height rows only when they are added (and only while their
            # height is 0); ask it to measure the rows whose cells changed too, on its next idle.
            for row_key in remeasure:
                self.rows[row_key].height = 0
            self._offset_cache.clear()
            self._new_rows.update(remeasure)
            self._require_update_dimensions = True
            self.check_idle()
        if self._indicators and self.cursor_coordinate.row >= len(self._indicators):
            self.move_cursor(row=len(self._indicators) - 1, animate=False, scroll=False)
        if self._anchor is not None and self._anchor[0] >= len(self._indicators):
            self._anchor = None

    def _forget_rows(self, indexes: set[int], keys: set[RowKey]) -> None:
        """Drop the cached renderings of these rows only (their cells were replaced in place)."""
        for cache_key in list(self._row_renderable_cache.keys()):
            if cache_key[1] in indexes:
                self._row_renderable_cache.discard(cache_key)
        for cell_key in list(self._cell_render_cache.keys()):
            if cell_key[0] in keys:
                self._cell_render_cache.discard(cell_key)
        for row_cache_key in list(self._row_render_cache.keys()):
            if row_cache_key[0] in keys:
                self._row_render_cache.discard(row_cache_key)
        # Lines are cached by screen position, and a row that grows moves the rows below it.
        self._line_cache.clear()
        self.refresh()

    def _column_widths(self) -> dict[str, int]:
        # Leave room for the vertical scrollbar whether or not it shows yet, so rows never overflow.
        width = (self.content_region.width or 100) - self.styles.scrollbar_size_vertical
        # Each column takes 2 cells of padding; the row label takes its digits plus padding.
        label_width = len(str(max(len(self._indicators), 1))) + 2
        fields = self._fields
        available = max(width - label_width - 2 * len(fields), sum(_MINIMUM[field] for field in fields))
        total = sum(_WEIGHTS[field] for field in fields)
        widths: dict[str, int] = {}
        for field in fields:
            share = available * _WEIGHTS[field] // total
            if field in _CJK_COLUMNS:
                share -= share % 2
            widths[field] = min(max(share, _MINIMUM[field]), _MAXIMUM.get(field, share))
        # What the capped columns leave goes to the free-text columns.
        spare = available - sum(widths.values())
        if spare > 0:
            widths["level3"] += spare * 2 // 5
            widths["description"] += spare - spare * 2 // 5
        return widths

    def _cell(self, row: int, field: str, indicator: Indicator) -> Text:
        text = str(getattr(indicator, field) or "")
        cell = Text(text, overflow="fold")
        mark = self._findings.get((row, field))
        if mark:
            cell = Text.assemble((mark + " ", "bold red" if mark == "✗" else "bold yellow"), cell)
        if field == "value":
            # A separate unit column (central layouts) is shown with the value it belongs to.
            if indicator.unit and text and not text.endswith(indicator.unit):
                cell.append(f" {indicator.unit}", style="dim")
            if text:
                # Read together with the unit column, as the checks read it (≤21.87 + 万元 is money).
                cell.append("\n" + read_value(text, indicator.unit).describe(), style="dim italic")
            # Last year's value, kept when the year was rolled over, for reference.
            if indicator.reference_value:
                cell.append(f"\n上年 {indicator.reference_value}", style="dim cyan")
        return cell

    def _rebuild(self) -> None:
        cursor = self.cursor_coordinate
        scroll = self.scroll_offset
        self.clear(columns=True)
        widths = self._column_widths()
        self._widths = widths
        self._laid_out_width = self.size.width
        for field in self._fields:
            self.add_column(GRID_LABELS[field], width=widths[field], key=field)
        for index, indicator in enumerate(self._indicators):
            cells = [self._cell(index, field, indicator) for field in self._fields]
            self.add_row(*cells, height=None, key=str(index), label=str(index + 1))
        self._shown = [self._row_signature(i, indicator) for i, indicator in enumerate(self._indicators)]
        if self._indicators:
            row = min(cursor.row, len(self._indicators) - 1)
            self.move_cursor(row=row, column=cursor.column, animate=False, scroll=False)
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
        self._clear_caches()
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
        self._clear_caches()
        self.refresh()
        self.post_message(self.SelectionChanged(self))

    def go_to(self, row: int, field: str | None = None) -> None:
        """Put the cursor on a row (and a column, if ``field`` is a grid column)."""
        if not self._indicators:
            return
        column = self._fields.index(field) if field in self._fields else self.cursor_coordinate.column
        self.clear_selection()
        self.move_cursor(row=max(0, min(row, len(self._indicators) - 1)), column=column)

    def action_extend(self, rows: int, columns: int) -> None:
        cursor = self.cursor_coordinate
        if self._anchor is None:
            self._anchor = (cursor.row, cursor.column)
        self._extending = True
        try:
            self.move_cursor(row=cursor.row + rows, column=cursor.column + columns)
        finally:
            self._extending = False
        self._clear_caches()
        self.refresh()
        self.post_message(self.SelectionChanged(self))

    def watch_cursor_coordinate(self, old_coordinate: Coordinate, new_coordinate: Coordinate) -> None:
        # Moving without shift drops the range, as in a spreadsheet.
        if not self._extending and self._anchor is not None and old_coordinate != new_coordinate:
            self._anchor = None
            self._clear_caches()
            self.post_message(self.SelectionChanged(self))
        super().watch_cursor_coordinate(old_coordinate, new_coordinate)

    def _should_highlight(
        self, cursor: Coordinate, target_cell: Coordinate, type_of_cursor: CursorType
    ) -> bool:
        if (
            self._anchor is not None
            and type_of_cursor == "cell"
            and cursor == self.cursor_coordinate
            and self.selection.contains(target_cell.row, target_cell.column)
        ):
            return True
        return super()._should_highlight(cursor, target_cell, type_of_cursor)

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
        region = self._get_cell_region(self.cursor_coordinate)
        x = region.x - int(self.scroll_x) + self.content_region.x
        y = region.y - int(self.scroll_y) + self.content_region.y
        return Region(x, y, region.width, region.height)
