"""The in-place cell editor laid over the grid: free text, or a picker (一级, 二级, 指标方向) with
type-ahead, both typed into one line.

One editor lives on the main screen for the screen's whole life, hidden between edits
(:class:`~perfgoals.tui.widgets.goal_grid.GoalGrid` places, shows and hides it).  Being mounted
already, it takes the focus at once when an edit starts, so every key typed after the one that
started it (an IME commits a whole word as several keys in one read) reaches its line, none the grid.

Enter commits and moves down, Tab / shift+Tab commit and move right / left, Escape cancels; leaving it
(a click elsewhere) keeps what was typed.  A picker keeps what is typed too: its list is filtered as
one types (by the text or its pinyin initials), ↑/↓ pick from it; Enter takes the highlighted entry
when one was picked (or nothing was typed, or what was typed is an entry), else the text as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from perfgoals.reading.rows import read_value
from perfgoals.tui.editing import Choice
from perfgoals.tui.search import matches

__all__ = ["CellEditor", "Choice", "EditSpec", "Move"]

#: Where the cursor goes after a commit.
Move = Literal["down", "right", "left", "stay"]


@dataclass(frozen=True, slots=True)
class EditSpec:
    """What one edit is about: the cell, its text, and what the editor offers."""

    row: int
    field: str
    #: What the line starts with (the cell's text; empty when typing replaces it, and for a picker).
    text: str
    title: str
    kind: str = "text"  # the column's kind (perfgoals.columns.ColumnKind)
    choices: tuple[Choice, ...] | None = None
    suggestions: tuple[str, ...] = ()
    unit: str | None = None
    #: A closed set (指标方向): typed text must resolve to one of the choices.
    closed: bool = False
    #: The cell's text when the edit began (a picker's line starts empty: this is kept when nothing is typed).
    current: str = ""


class CellEditor(Vertical):
    """Edits one cell at a time (see the module docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消编辑", id="editor.cancel"),
        Binding("tab", "commit('right')", "确定并右移", id="editor.next_cell", show=False),
        Binding("shift+tab", "commit('left')", "确定并左移", id="editor.previous_cell", show=False),
        Binding("down", "pick(1)", "下一个选项", id="editor.pick_down", show=False),
        Binding("up", "pick(-1)", "上一个选项", id="editor.pick_up", show=False),
    ]

    class Committed(Message):
        def __init__(self, row: int, changes: dict[str, str], move: Move = "down") -> None:
            super().__init__()
            self.row = row
            self.changes = changes
            self.move = move

    class Cancelled(Message):
        pass

    def __init__(self) -> None:
        super().__init__(id="cell-editor")
        self.spec: EditSpec | None = None
        self._shown_choices: list[Choice] = []
        self._auto_highlight: int | None = None
        self._picked = False
        self._finished = True
        self._error = ""
        self.display = False

    def compose(self) -> ComposeResult:
        editor = Input(id="editor-input", select_on_focus=False)
        choices = OptionList(id="editor-choices")
        # Hidden between edits, and never focused then (by the screen's first focus or by Tab).
        editor.can_focus = choices.can_focus = False
        yield editor
        yield choices
        yield Static("", id="editor-hint")

    def _focusable(self, focusable: bool) -> None:
        self.input.can_focus = focusable
        self.choice_list.can_focus = focusable

    @property
    def input(self) -> Input:
        return self.query_one("#editor-input", Input)

    @property
    def choice_list(self) -> OptionList:
        return self.query_one("#editor-choices", OptionList)

    @property
    def is_open(self) -> bool:
        return self.spec is not None and not self._finished

    @property
    def row(self) -> int:
        assert self.spec is not None
        return self.spec.row

    @property
    def field(self) -> str:
        assert self.spec is not None
        return self.spec.field

    @property
    def unit(self) -> str | None:
        return self.spec.unit if self.spec else None

    # -- starting and ending an edit --------------------------------------------------------------

    def begin(self, spec: EditSpec) -> None:
        """Start editing ``spec``'s cell: synchronously, so that the next key typed reaches the line."""
        self.spec = spec
        self._finished = False
        self._focusable(True)
        self._picked = False
        self._error = ""
        self.border_title = spec.title
        editor = self.input
        editor.suggester = (
            SuggestFromList(list(spec.suggestions), case_sensitive=False) if spec.suggestions else None
        )
        with editor.prevent(Input.Changed):
            editor.value = spec.text
        editor.cursor_position = len(spec.text)
        choices = self.choice_list
        choices.display = spec.choices is not None
        if spec.choices is not None:
            self._filter(spec.text)
        self._show_hint()

    def mark_finished(self) -> None:
        """The editor closes: nothing more is to be reported, and it takes no focus until the next edit."""
        self._finished = True
        self._focusable(False)

    def typed_text(self) -> str:
        """The text in the editor's line, as typed."""
        return self.input.value

    def refuse(self, reason: str) -> None:
        """The screen could not store what was committed: say why and keep editing."""
        self._finished = False
        self._error = reason
        self._show_hint()

    def result(self) -> dict[str, str] | None:
        """The changes a commit makes now, or ``None`` when a closed picker's text matches nothing.

        A picker takes: an entry typed in full; else the entry picked with ↑/↓ (or a click); else,
        with nothing typed, the cell as it was; else (a closed set) the first entry matching what was
        typed; else the text as typed.
        """
        spec = self.spec
        assert spec is not None
        text = self.typed_text()
        if spec.choices is None:
            return {spec.field: text}
        labels = {choice.label: choice for choice in spec.choices}
        if text in labels:
            return dict(labels[text].changes)
        highlighted = self._highlighted_choice()
        picked = self._picked or self.choice_list.highlighted != self._auto_highlight
        if highlighted is not None and picked:
            return dict(highlighted.changes)
        if not text.strip():
            return {spec.field: spec.current}
        if spec.closed:
            return dict(self._shown_choices[0].changes) if self._shown_choices else None
        return {spec.field: text}

    # -- the picker's list ----------------------------------------------------------------------

    def _highlighted_choice(self) -> Choice | None:
        index = self.choice_list.highlighted
        if index is None or not 0 <= index < len(self._shown_choices):
            return None
        return self._shown_choices[index]

    def _filter(self, text: str) -> None:
        spec = self.spec
        assert spec is not None and spec.choices is not None
        needle = text.strip()
        shown = [c for c in spec.choices if matches(needle, c.label)] if needle else list(spec.choices)
        self._shown_choices = shown
        choices = self.choice_list
        choices.set_options([Option(choice.label, id=f"choice-{i}") for i, choice in enumerate(shown)])
        # Highlighted: the cell's entry while nothing is typed, else the best match (not yet picked).
        current = next((i for i, c in enumerate(shown) if dict(c.changes).get(spec.field) == spec.current), None)
        auto = current if not needle else (0 if shown else None)
        choices.highlighted = auto
        self._auto_highlight = auto

    def action_pick(self, step: int) -> None:
        if self.spec is None or self.spec.choices is None or not self._shown_choices:
            return
        choices = self.choice_list
        index = 0 if choices.highlighted is None else choices.highlighted + step
        choices.highlighted = max(0, min(index, len(self._shown_choices) - 1))
        self._picked = True
        self._show_hint()

    # -- what the line says ----------------------------------------------------------------------

    def _show_hint(self) -> None:
        self.query_one("#editor-hint", Static).update(self._hint(self.typed_text()))

    def _hint(self, text: str) -> Text:
        spec = self.spec
        if self._error:
            return Text(self._error, style="bold red")
        if spec is None:
            return Text("")
        if spec.kind == "value":
            reading = Text("读作：", style="dim")
            reading.append(read_value(text, spec.unit).describe(), style="bold")
            if spec.unit and spec.unit.strip() and not text.strip().endswith(spec.unit.strip()):
                reading.append(f"（连同度量单位“{spec.unit.strip()}”）", style="dim")
            # The footer keeps the grid's keys while editing: say here how to leave.
            reading.append("  Esc 取消", style="dim")
            return reading
        if spec.choices is not None:
            if spec.closed:
                return Text("打字筛选 ↑↓ 选 Enter 确定 Esc 取消", style="dim")
            return Text("打字筛选或自填 ↑↓ 选 Enter 确定", style="dim")
        if spec.kind == "number":
            return Text("填数字，如 10 或 12.5；可空  Enter 确定  Esc 取消", style="dim")
        if spec.field == "level3" and spec.suggestions:
            return Text("→ 采用提示  Enter 确定  Esc 取消", style="dim")
        return Text("Enter 确定  Tab 右移  Esc 取消", style="dim")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if not self.is_open:
            return
        self._error = ""
        if self.spec is not None and self.spec.choices is not None:
            self._picked = False
            self._filter(event.value)
        self._show_hint()

    # -- finishing -----------------------------------------------------------------------------

    def _finish(self, message: Message) -> None:
        # Only the first of Enter, Escape or leaving counts.
        if not self._finished:
            self._finished = True
            self.post_message(message)

    def action_commit(self, move: Move = "down") -> None:
        if not self.is_open:
            return
        changes = self.result()
        if changes is None:
            assert self.spec is not None
            self.refuse(f"只能选 {'、'.join(c.label for c in self.spec.choices or ())}")
            return
        self._finish(self.Committed(self.row, changes, move))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_commit("down")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # A click on an entry of the picker's list.
        event.stop()
        if self.is_open and 0 <= event.option_index < len(self._shown_choices):
            choice = self._shown_choices[event.option_index]
            self._finish(self.Committed(self.row, dict(choice.changes), "down"))

    def action_cancel(self) -> None:
        if self.is_open:
            self._finish(self.Cancelled())

    def on_descendant_blur(self) -> None:
        # Clicking elsewhere leaves the cell: what was typed is kept.
        self.call_after_refresh(self._left)

    def _left(self) -> None:
        focused = self.app.focused
        if not self.is_open or (focused is not None and self in focused.ancestors_with_self):
            return
        changes = self.result()
        if changes is None:
            self._finish(self.Cancelled())
            return
        self._finish(self.Committed(self.row, changes, "stay"))
