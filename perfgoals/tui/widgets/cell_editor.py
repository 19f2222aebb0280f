"""The in-place cell editor laid over the grid: free text, or a choice from the framework."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from perfgoals.reading.rows import read_value


@dataclass(frozen=True, slots=True)
class Choice:
    """One offered value: the fields it sets (e.g. 一级 and 二级 together) and how it is shown."""

    label: str
    changes: tuple[tuple[str, str], ...]


class CellEditor(Vertical):
    """Edits one cell.  Enter commits, Escape cancels; the value column shows its reading live."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "取消编辑", id="editor.cancel")]

    class Committed(Message):
        def __init__(self, row: int, changes: dict[str, str]) -> None:
            super().__init__()
            self.row = row
            self.changes = changes

    class Cancelled(Message):
        pass

    def __init__(
        self,
        *,
        row: int,
        field: str,
        text: str,
        title: str,
        choices: list[Choice] | None = None,
        suggestions: list[str] | None = None,
        unit: str | None = None,
    ) -> None:
        super().__init__(id="cell-editor")
        self.row = row
        self.field = field
        #: The row's 度量单位 column (central layouts): a value is read together with it.
        self.unit = unit
        self._text = text
        self._choices = choices
        self._suggestions = suggestions or []
        self._finished = False
        self.border_title = title

    def compose(self) -> ComposeResult:
        if self._choices is not None:
            options = [Option(choice.label, id=f"choice-{i}") for i, choice in enumerate(self._choices)]
            yield OptionList(*options, id="editor-choices")
            yield Static(Text("↑↓ 选择  Enter 确定  Esc 取消", style="dim"), id="editor-hint")
        else:
            suggester = (
                SuggestFromList(self._suggestions, case_sensitive=False) if self._suggestions else None
            )
            yield Input(self._text, id="editor-input", suggester=suggester, select_on_focus=False)
            yield Static(self._hint(self._text), id="editor-hint")

    def on_mount(self) -> None:
        if self._choices is not None:
            choices = self.query_one("#editor-choices", OptionList)
            current = next(
                (i for i, c in enumerate(self._choices) if dict(c.changes).get(self.field) == self._text), 0
            )
            choices.highlighted = current
            choices.focus()
        else:
            editor = self.query_one("#editor-input", Input)
            editor.focus()
            editor.cursor_position = len(self._text)

    def mark_finished(self) -> None:
        """The screen closed the editor itself (e.g. on save): nothing more is to be reported."""
        self._finished = True

    def typed_text(self) -> str | None:
        """The text in a free-text editor (``None`` for a choice list)."""
        if self._choices is not None:
            return None
        return self.query_one("#editor-input", Input).value

    def _hint(self, text: str) -> Text:
        if self.field == "value":
            reading = Text("读作：", style="dim")
            reading.append(read_value(text, self.unit).describe(), style="bold")
            if self.unit and self.unit.strip() and not text.strip().endswith(self.unit.strip()):
                reading.append(f"（连同度量单位“{self.unit.strip()}”）", style="dim")
            # The footer keeps the grid's keys while editing: say here how to leave.
            reading.append("  Esc 取消", style="dim")
            return reading
        if self.field == "level3" and self._suggestions:
            return Text("→ 采用提示  Enter 确定  Esc 取消", style="dim")
        return Text("Enter 确定  Esc 取消", style="dim")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one("#editor-hint", Static).update(self._hint(event.value))

    def _finish(self, message: Message) -> None:
        # Only the first of Enter, Escape or leaving counts.
        if not self._finished:
            self._finished = True
            self.post_message(message)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._finish(self.Committed(self.row, {self.field: event.value}))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        assert self._choices is not None
        self._finish(self.Committed(self.row, dict(self._choices[event.option_index].changes)))

    def action_cancel(self) -> None:
        self._finish(self.Cancelled())

    def on_descendant_blur(self) -> None:
        # Clicking elsewhere leaves the cell: typed text is kept, an open choice list is closed.
        self.call_after_refresh(self._left)

    def _left(self) -> None:
        focused = self.app.focused
        if (
            self._finished
            or not self.is_attached
            or (focused is not None and self in focused.ancestors_with_self)
        ):
            return
        text = self.typed_text()
        self._finish(self.Cancelled() if text is None else self.Committed(self.row, {self.field: text}))
