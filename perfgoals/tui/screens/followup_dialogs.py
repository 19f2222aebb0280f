"""The small dialogs of the 绩效监控 and 绩效自评 screens, each typed by what it returns.

- :class:`FieldPrompt` — one cell's text, kept exactly as typed (``check`` refuses what cannot be
  stored, with a Chinese reason);
- :class:`CausesPrompt` — the 偏差原因 categories (several may apply);
- :class:`ChoicePrompt` — one of a closed set (完成可能性), or none;
- :class:`MonitoringFigures` — the project's figures of a monitoring: as-of date, 1–N月执行数,
  全年预计执行数 and their unit (read by :mod:`perfgoals.monitoring.entry`, as the CLI reads them).

And the readers of the 自评's figures: :func:`read_amount` (an amount in the table's unit, by the one
money reader), :func:`read_number` (分值, 得分).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, SelectionList, Static
from textual.widgets.option_list import Option

from perfgoals.money import AmountError
from perfgoals.monitoring.entry import MonitoringInputError, parse_date
from perfgoals.monitoring.entry import read_amount as read_monitoring_amount
from perfgoals.reading.money import Money, read_money

#: The units a monitoring's or a 自评's amounts may be kept in.
UNITS = ("万元", "元")
#: The largest 分值 or 得分 a row may have.
MAX_POINTS = Decimal(1000)


class FollowupInputError(ValueError):
    """What was typed cannot be stored; the message says why, in Chinese."""


def read_amount(text: str, unit: str) -> Decimal | None:
    """An amount typed into a cell of a table kept in ``unit``: ``None`` when blank; ``21.87``,
    ``21.87万``, ``218700元`` all read (a figure in another unit is converted to ``unit``)."""
    if not text.strip():
        return None
    try:
        return read_money(text, default_unit=unit).in_unit(unit)
    except (AmountError, ArithmeticError) as exc:
        raise FollowupInputError(str(exc) or f"无法识别的金额：{text}") from None


def read_number(text: str, what: str) -> Decimal | None:
    """A 分值 or 得分 (``9.6``, ``１０``): ``None`` when blank; never negative, at most 1000."""
    plain = unicodedata.normalize("NFKC", text).strip().removesuffix("分").strip()
    if not plain:
        return None
    try:
        number = Decimal(plain)
    except InvalidOperation:
        raise FollowupInputError(f"{what}须为数字（如 9.6），不是“{text}”") from None
    if not number.is_finite() or number < 0:
        raise FollowupInputError(f"{what}不能为负数或非数字：“{text}”")
    if number > MAX_POINTS:
        raise FollowupInputError(f"{what}超过 {MAX_POINTS}：“{text}”")
    if number.as_tuple().exponent < -6:  # type: ignore[operator]
        raise FollowupInputError(f"{what}最多 6 位小数：“{text}”")
    return number


class FieldPrompt(ModalScreen[str | None]):
    """One cell's text.  Returns it exactly as typed (``check``: a Chinese reason to refuse it), or
    ``None`` when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "取消", id="followup.prompt_cancel")]

    def __init__(
        self, title: str, value: str, *, hint: str = "", check: Callable[[str], None] | None = None
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.initial = value
        self.hint = hint
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(self.initial, id="followup-input", compact=True)
            if self.hint:
                yield Static(self.hint, classes="screen-hint")
            yield Static("", classes="field-error", id="followup-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("确定", variant="primary", id="followup-ok")
                yield Button("取消", id="followup-cancel")

    def on_mount(self) -> None:
        self.query_one("#followup-input", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#followup-ok")
    def _submit(self) -> None:
        text = self.query_one("#followup-input", Input).value
        if self.check is not None:
            try:
                self.check(text)
            except FollowupInputError as exc:
                self.query_one("#followup-error", Static).update(str(exc))
                return
        self.dismiss(text)

    @on(Button.Pressed, "#followup-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class CausesPrompt(ModalScreen[list[str] | None]):
    """The 偏差原因 categories of a row: space ticks one, Enter confirms."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="followup.causes_cancel"),
        Binding("enter", "confirm", "确定", id="followup.causes_confirm", priority=True),
    ]

    def __init__(self, title: str, choices: list[str], chosen: list[str]) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.choices = choices
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.title_text, classes="dialog-title")
            yield SelectionList[str](
                *((choice, choice, choice in self.chosen) for choice in self.choices), id="followup-causes"
            )
            yield Static("空格勾选或取消，Enter 确定，Esc 取消", classes="screen-hint")

    def on_mount(self) -> None:
        self.query_one("#followup-causes", SelectionList).focus()

    def action_confirm(self) -> None:
        selected = set(self.query_one("#followup-causes", SelectionList).selected)
        self.dismiss([choice for choice in self.choices if choice in selected])

    def action_cancel(self) -> None:
        self.dismiss(None)


#: The option of :class:`ChoicePrompt` that clears the cell.
NO_CHOICE = "（不填）"


class ChoicePrompt(ModalScreen[str | None]):
    """One of ``choices``; returns ``""`` for :data:`NO_CHOICE`, ``None`` when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "取消", id="followup.choice_cancel")]

    def __init__(self, title: str, choices: list[str], current: str) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.title_text, classes="dialog-title")
            yield OptionList(
                *(Option(choice, id=choice) for choice in [*self.choices, NO_CHOICE]), id="followup-choice"
            )

    def on_mount(self) -> None:
        options = self.query_one("#followup-choice", OptionList)
        options.highlighted = self.choices.index(self.current) if self.current in self.choices else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        chosen = event.option.id or ""
        self.dismiss("" if chosen == NO_CHOICE else chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True, slots=True)
class MonitoringFiguresValue:
    """What :class:`MonitoringFigures` returns: the amounts in the unit chosen (``None``: blank)."""

    as_of: date
    executed: Money | None
    expected_executed: Money | None
    unit: str


class MonitoringFigures(ModalScreen[MonitoringFiguresValue | None]):
    """The project's figures of a monitoring: as-of date, 1–N月执行数, 全年预计执行数, unit.

    Read by :mod:`perfgoals.monitoring.entry`, as ``perfgoals monitor`` reads them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="followup.figures_cancel")
    ]

    def __init__(self, *, as_of: date, executed: str, expected: str, unit: str, budget: str) -> None:
        super().__init__(classes="dialog")
        self.as_of = as_of
        self.executed = executed
        self.expected = expected
        self.unit = unit
        self.budget = budget

    def compose(self) -> ComposeResult:
        units = list(dict.fromkeys([*UNITS, self.unit]))
        with Vertical(classes="dialog-box"):
            yield Label("监控的项目数据", classes="dialog-title")
            with Container(classes="pg-form followup-form"):
                yield Label("截止日期")
                yield Input(self.as_of.isoformat(), id="as-of", compact=True)
                yield Label("已执行数")
                yield Input(self.executed, id="executed", placeholder="1–N月预算执行数", compact=True)
                yield Label("全年预计")
                yield Input(self.expected, id="expected", placeholder="全年预计执行数", compact=True)
                yield Label("金额单位")
                yield Select(
                    [(u, u) for u in units], value=self.unit, allow_blank=False, id="unit", compact=True
                )
            yield Static(f"年度预算：{self.budget}。金额可写 21.87、21.87万、218700元", classes="screen-hint")
            yield Static("", classes="field-error", id="figures-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("确定", variant="primary", id="figures-ok")
                yield Button("取消", id="figures-cancel")

    def on_mount(self) -> None:
        self.query_one("#executed", Input).focus()

    def _amount(self, field: str, what: str, unit: str) -> Money | None:
        text = self.query_one(f"#{field}", Input).value
        if not text.strip():
            return None
        money = read_monitoring_amount(text, default_unit=unit, what=what)
        return Money(money.in_unit(unit), unit)

    @on(Input.Submitted)
    @on(Button.Pressed, "#figures-ok")
    def _submit(self) -> None:
        value = self.query_one("#unit", Select).value
        unit = self.unit if value is Select.NULL else str(value)
        try:
            as_of = parse_date(self.query_one("#as-of", Input).value)
            executed = self._amount("executed", "1-N月执行数", unit)
            expected = self._amount("expected", "全年预计执行数", unit)
        except (MonitoringInputError, ArithmeticError) as exc:
            self.query_one("#figures-error", Static).update(str(exc))
            return
        self.dismiss(MonitoringFiguresValue(as_of, executed, expected, unit))

    @on(Button.Pressed, "#figures-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
