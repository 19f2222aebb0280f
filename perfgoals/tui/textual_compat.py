"""Every private Textual name perfgoals uses, in one place.

The TUI reaches into Textual where its public API has no way to do what a fast, spreadsheet-like
grid needs (redraw one cell of a DataTable, one entry of an OptionList), or to change a look Textual
hard-codes (the footer's order, the command palette's "No matches found").  Each use is a small
function or class here, named for what it does; nothing else in ``perfgoals`` touches a ``_name`` of
a Textual object.  ``pyproject.toml`` pins Textual to the range these were written against
(:data:`TESTED_RANGE`), and ``tests/test_textual_compat.py`` checks every name in :data:`PRIVATE_NAMES`
on the installed Textual, failing with the name when an upgrade removes or changes one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rich.align import Align
from rich.console import RenderableType
from rich.text import Text
from textual import events
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.coordinate import Coordinate
from textual.dom import DOMNode
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Header, OptionList
from textual.widgets._footer import FooterKey
from textual.widgets.data_table import ColumnKey, CursorType, RowKey
from textual.widgets.option_list import Option

#: The Textual versions these names were checked against (also in pyproject.toml).
TESTED_RANGE = (">=8.2", "<8.3")

#: (class, attribute) pairs this module relies on: checked by tests/test_textual_compat.py.
PRIVATE_NAMES: tuple[tuple[type[Any], str], ...] = (
    (DataTable, "_data"),
    (DataTable, "_row_renderable_cache"),
    (DataTable, "_cell_render_cache"),
    (DataTable, "_row_render_cache"),
    (DataTable, "_line_cache"),
    (DataTable, "_offset_cache"),
    (DataTable, "_new_rows"),
    (DataTable, "_require_update_dimensions"),
    (DataTable, "_clear_caches"),
    (DataTable, "_should_highlight"),
    (DataTable, "_get_cell_region"),
    (Option, "_set_prompt"),
    (OptionList, "_option_render_cache"),
    (OptionList, "_index_to_line"),
    (OptionList, "_heights"),
    (Header, "_on_click"),
    (Footer, "_bindings_ready"),
    (DOMNode, "_inherit_bindings"),
    (Widget, "_forward_event"),
    (App, "_display"),
    (CommandPalette, "_start_no_matches_countdown"),
    (CommandPalette, "_stop_no_matches_countdown"),
    (CommandPalette, "_NO_MATCHES"),
    (CommandPalette, "_NO_MATCHES_COUNTDOWN"),
    (CommandPalette, "_list_visible"),
    (CommandPalette, "_no_matches_timer"),
)

#: Attributes set in ``__init__`` (not on the class): checked on an instance.
INSTANCE_NAMES = frozenset(
    {
        "_data",
        "_row_renderable_cache",
        "_cell_render_cache",
        "_row_render_cache",
        "_line_cache",
        "_offset_cache",
        "_new_rows",
        "_labelled_row_exists",
        "_require_update_dimensions",
        "_option_render_cache",
        "_no_matches_timer",
    }
)


# --- DataTable: replacing a few cells without re-rendering the whole table ---------------------------


def set_cell_quietly(table: DataTable[Any], row_key: RowKey, column_key: ColumnKey, cell: Any) -> None:
    """Put ``cell`` in the table's data without ``update_cell``'s invalidation of every cache
    (call :func:`forget_rows` for the rows changed)."""
    table._data[row_key][column_key] = cell


def forget_rows(table: DataTable[Any], indexes: set[int], keys: set[RowKey]) -> None:
    """Drop the cached renderings of these rows only (their cells were replaced in place)."""
    for cache_key in list(table._row_renderable_cache.keys()):
        if cache_key[1] in indexes:
            table._row_renderable_cache.discard(cache_key)
    for cell_key in list(table._cell_render_cache.keys()):
        if cell_key[0] in keys:
            table._cell_render_cache.discard(cell_key)
    for row_cache_key in list(table._row_render_cache.keys()):
        if row_cache_key[0] in keys:
            table._row_render_cache.discard(row_cache_key)
    # Lines are cached by screen position, and a row that grows moves the rows below it.
    table._line_cache.clear()
    table.refresh()


def keep_row_labels(table: DataTable[Any]) -> None:
    """Show the row labels of a table just rebuilt.  DataTable notes that labels exist only when it
    measures new rows on idle, and ``clear()`` forgets it; a rebuild racing that idle pass (a resize
    while a project opens) left the row numbers blank."""
    table._labelled_row_exists = table.row_count > 0
    table.refresh()


def remeasure_rows(table: DataTable[Any], keys: Iterable[RowKey]) -> None:
    """Have auto-height rows measured again on the next idle (DataTable measures a row only when
    it is added, and only while its height is 0)."""
    for row_key in keys:
        table.rows[row_key].height = 0
        table._new_rows.add(row_key)
    table._offset_cache.clear()
    table._require_update_dimensions = True
    table.check_idle()


def clear_render_caches(table: DataTable[Any]) -> None:
    """Forget every cached rendering (a selection changed what is highlighted)."""
    table._clear_caches()


def cell_region(table: DataTable[Any], coordinate: Coordinate) -> Region:
    """Where a cell is within the table's virtual (scrollable) area."""
    return table._get_cell_region(coordinate)


class HighlightingDataTable(DataTable[Any]):
    """A DataTable whose subclasses can highlight more cells than the cursor's: a range.

    Override :meth:`highlights` (public) rather than Textual's private ``_should_highlight``.
    """

    def highlights(self, cursor: Coordinate, target_cell: Coordinate, type_of_cursor: CursorType) -> bool:
        return False

    def _should_highlight(self, cursor: Coordinate, target_cell: Coordinate, type_of_cursor: CursorType) -> bool:
        if self.highlights(cursor, target_cell, type_of_cursor):
            return True
        return super()._should_highlight(cursor, target_cell, type_of_cursor)


# --- OptionList: redrawing one entry -----------------------------------------------------------------


def redraw_option(option_list: OptionList, index: int, prompt: Text) -> bool:
    """Give the option at ``index`` a new prompt of the same height and redraw only its lines.

    Returns False, changing nothing, when that cannot be done in place: the list has not laid out its
    lines (it is hidden, or not shown yet), or the entry is not where it was; the caller then uses
    ``replace_option_prompt``, which re-renders the whole list.
    """
    first_line = option_list._index_to_line.get(index)
    height = option_list._heights.get(index)
    if first_line is None or height is None:
        return False
    option = option_list.get_option_at_index(index)
    option._set_prompt(prompt)
    # (Textual's LRUCache has keys() but cannot be iterated itself.)
    for cache_key in list(option_list._option_render_cache.keys()):
        if cache_key[0] is option:
            option_list._option_render_cache.discard(cache_key)
    option_list.refresh_lines(first_line, height)
    return True


# --- Header, Footer, bindings, events ----------------------------------------------------------------


class ClickableHeader(Header):
    """A Header whose click runs :meth:`clicked` instead of toggling its tall form."""

    async def clicked(self) -> None:
        """Override: what a click on the header does."""

    async def _on_click(self, event: events.Click) -> None:  # type: ignore[override]  # Header narrows Widget's signature
        event.stop()
        await self.clicked()


def footer_ready(footer: Footer) -> bool:
    """Whether the footer has received its bindings once (it shows nothing before)."""
    return bool(footer._bindings_ready)


def footer_key(
    binding_key: str, key_display: str, description: str, action: str, *, disabled: bool, tooltip: str, classes: str = ""
) -> Widget:
    """One key of a footer, as Textual's own footer draws it (``-command-palette``: docked right)."""
    return FooterKey(
        binding_key, key_display, description, action, disabled=disabled, tooltip=tooltip, classes=classes
    )


def inherits_bindings(node_type: type[DOMNode]) -> bool:
    """Whether a DOM class merges the bindings of the classes it derives from (``inherit_bindings``)."""
    return bool(node_type.__dict__.get("_inherit_bindings", True))


def forward_key(widget: Widget, event: events.Key) -> None:
    """Deliver a key to ``widget`` as the app delivers a typed key to the focused widget (it then
    bubbles up and runs bindings as a typed key does)."""
    widget._forward_event(event)


def display_hook(app: App[Any]) -> Callable[[Screen[Any], RenderableType | None], None]:
    """The app's method that hands each frame to the terminal driver (for benchmarks)."""
    return app._display


def set_display_hook(app: App[Any], hook: Callable[[Screen[Any], RenderableType | None], None]) -> None:
    app._display = hook  # type: ignore[method-assign,assignment]


# --- the command palette ---------------------------------------------------------------------------


class ChineseCommandPalette(CommandPalette):
    """The command palette, saying “没有匹配的结果” rather than “No matches found”."""

    NO_MATCHES_TEXT = "没有匹配的结果"

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if not self.is_attached:
                return  # closed meanwhile
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(self.NO_MATCHES_TEXT, style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
