"""Pieces the secondary screens share: a status line, worker error reporting, and small dialogs."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from perfgoals.errors import PerfgoalsError
from perfgoals.reading.money import format_money, format_wan
from perfgoals.reading.reconcile import Verdict

ResultT = TypeVar("ResultT")


class WorkFailed(Message):
    """A worker could not finish; ``text`` says why, in Chinese."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


def failure_text(exc: BaseException) -> str:
    """What to tell the user about ``exc``: our own errors say it themselves."""
    if isinstance(exc, PerfgoalsError):
        return str(exc)
    return f"操作失败：{type(exc).__name__}: {exc}"


class StatusLine(Static):
    """One line under a screen's table: what happened last, or what went wrong."""

    def say(self, text: str, *, error: bool = False, ok: bool = False) -> None:
        self.update(text)
        self.set_class(error, "-error")
        self.set_class(ok and not error, "-ok")


class FormDialog(ModalScreen[ResultT]):
    """Base of the small form dialogs: the main screen's dialog look, labels beside their fields."""

    def __init__(self) -> None:
        super().__init__(classes="dialog")


class TextPrompt(FormDialog[str | None]):
    """Ask for one line of text (a reason, a year); empty answers are refused when ``required``."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "取消", id="prompt.cancel")]

    def __init__(
        self,
        question: str,
        *,
        value: str = "",
        placeholder: str = "",
        required: bool = True,
        ok_label: str = "确定",
        input_type: str = "text",
        check: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.question = question
        self.initial = value
        self.placeholder = placeholder
        self.required = required
        self.ok_label = ok_label
        self.input_type = input_type
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.question, classes="dialog-question")
            yield Input(self.initial, placeholder=self.placeholder, id="prompt-input", type=self.input_type)  # type: ignore[arg-type]
            yield Static("", classes="field-error", id="prompt-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.ok_label, variant="primary", id="prompt-ok")
                yield Button("取消", id="prompt-cancel")

    @on(Input.Submitted)
    @on(Button.Pressed, "#prompt-ok")
    def _submit(self) -> None:
        text = self.query_one("#prompt-input", Input).value.strip()
        if self.required and not text:
            self.query_one("#prompt-error", Static).update("请填写后再确定")
            return
        problem = self.check(text) if self.check else None
        if problem:
            self.query_one("#prompt-error", Static).update(problem)
            return
        self.dismiss(text)

    @on(Button.Pressed, "#prompt-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def cell(text: str, *, right: bool = False) -> Text:
    """A table cell that ends in … rather than wrapping when its column is narrower than the text."""
    return Text(text, no_wrap=True, overflow="ellipsis", justify="right" if right else "left")


def flexible_width(screen_width: int, fixed: int, *, minimum: int) -> int:
    """The width left for a table's one flexible column once the fixed columns and padding are placed."""
    return max(minimum, screen_width - fixed)


# --- money and verdicts, as every screen prints them ----------------------------------------------------

_CENT = Decimal("0.01")

#: A glyph for each verdict, so that a verdict never rests on colour alone.
VERDICT_GLYPHS: dict[Verdict, tuple[str, str]] = {
    Verdict.AGREES: ("✓", "green"),
    Verdict.ROUNDING: ("✓", "green"),
    Verdict.MISMATCH: ("✗", "bold red"),
    Verdict.UNPRICED: ("⚠", "yellow"),
    Verdict.NO_FIGURE: ("⚠", "yellow"),
    Verdict.EMPTY: ("·", "dim"),
}


def money_text(amount: Decimal | None, unit: str, *, blank: str = "") -> str:
    """A figure in a column headed with its unit: ``1,135.10`` (to 0.01 of ``unit``); ``blank`` for none."""
    if amount is None:
        return blank
    return format_money(amount, unit).removesuffix(f" {unit}")


def wan_text(amount_wan: Decimal | None, unit: str = "万元", *, blank: str = "—") -> str:
    """An amount held in 万元, printed in ``unit`` for a column headed with that unit: ``444.13``, or
    ``45.00 元`` when it is too small to show in ``unit`` (:func:`format_wan`)."""
    if amount_wan is None:
        return blank
    return format_wan(amount_wan, unit).removesuffix(f" {unit}")


def exact_money(amount: Decimal, unit: str) -> str:
    """An amount as it will be stored: ``21.87 万元``; every decimal when 0.01 would hide some (``0.0755 万元``)."""
    try:
        if amount == amount.quantize(_CENT):
            return format_money(amount, unit)
    except InvalidOperation:  # more digits than the context holds: print them as they are
        pass
    return f"{amount.normalize():,f} {unit}"


def verdict_cell(verdict: Verdict, *, words: bool = True) -> Text:
    """``✓ 一致``: a verdict's glyph and (``words``) its word, in its colour, cut with … when too narrow."""
    glyph, style = VERDICT_GLYPHS[verdict]
    text = Text(glyph, style=style, no_wrap=True, overflow="ellipsis")
    if words:
        text.append(f" {verdict.value}")
    return text
