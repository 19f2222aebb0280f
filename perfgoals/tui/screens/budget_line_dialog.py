"""The budget-line dialog of 功能分类科目 and what it hands back, and the undo of saved line changes.

Every amount typed is read by the one money reader (:func:`perfgoals.reading.money.read_money`) and
read back beside its field; 合计 = 基本支出 + 项目支出 is checked (or filled in) by :func:`settle_total`.
A saved change is a :class:`LineChange`, whose inverse undoes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from perfgoals.models import BudgetLine
from perfgoals.reading.amounts import to_wan_or_none
from perfgoals.reading.money import AmountError, format_money, read_money
from perfgoals.reading.rounding import Status, rounding_factor, settle
from perfgoals.storage.budget_lines import RolledUp, code_problem
from perfgoals.tui.screens._common import FormDialog, exact_money

#: The amount fields a person edits here, with their Chinese names, in form order.
AMOUNT_FIELDS: dict[str, str] = {
    "total": "合计",
    "basic": "基本支出",
    "project": "项目支出",
    "income_current": "本年收入",
    "carryover": "上年结转",
}
UNITS = ("万元", "元")


def _amount_text(amount: Decimal | None) -> str:
    return "" if amount is None else format(amount, "f")


# --- 合计 = 基本支出 + 项目支出 ---------------------------------------------------------------------


class TotalMismatch(ValueError):
    """合计, 基本支出 and 项目支出 are all filled in and do not add up beyond rounding."""

    def __init__(self, message: str, *, parts: Decimal, unit: str) -> None:
        super().__init__(message)
        self.parts = parts  # 基本支出 + 项目支出, in ``unit``
        self.unit = unit


def _wan(amount: Decimal | None, unit: str) -> Decimal | None:
    return to_wan_or_none(amount, unit)


def settle_total(
    amounts: dict[str, Decimal | None], unit: str, before: BudgetLine | None
) -> tuple[dict[str, Decimal | None], str]:
    """The amounts to save, with 合计 checked against 基本支出 + 项目支出, and what was done to it.

    * 合计 left blank with a part given: 合计 = 基本支出 + 项目支出 (a blank part counting as none);
    * a part edited and 合计 not, where 合计 was the sum of the parts: 合计 follows the parts;
    * 合计 and both parts filled in and apart by more than rounding: :class:`TotalMismatch`.

    ``amounts`` are in ``unit``; ``before`` is the line as stored (``None`` for a new line).
    """
    total, basic, project = amounts.get("total"), amounts.get("basic"), amounts.get("project")
    if basic is None and project is None:
        return amounts, ""
    parts = (basic or Decimal(0)) + (project or Decimal(0))
    if total is None:
        filled = dict(amounts, total=parts)
        return filled, f"合计未填，已按 基本支出 + 项目支出 填为 {format_money(parts, unit)}"
    if before is not None and before.total is not None and parts != total:
        untouched = _wan(total, unit) == _wan(before.total, before.unit)
        parts_changed = (_wan(basic, unit), _wan(project, unit)) != (
            _wan(before.basic, before.unit),
            _wan(before.project, before.unit),
        )
        if untouched and parts_changed and _agreed(before):
            followed = dict(amounts, total=parts)
            return followed, f"合计随之改为 {format_money(parts, unit)}（基本支出 + 项目支出）"
    if basic is not None and project is not None:
        factor = rounding_factor([(total, unit), (basic, unit), (project, unit)])
        computed, published = _wan(parts, unit), _wan(total, unit)
        if (
            computed is not None
            and published is not None
            and settle(computed, published, items=2, factor=factor) is Status.MISMATCH
        ):
            raise TotalMismatch(
                f"合计 {format_money(total, unit)} 与 基本支出 {format_money(basic, unit)} + "
                f"项目支出 {format_money(project, unit)} = {format_money(parts, unit)} 不符"
                f"（相差 {format_money(abs(total - parts), unit)}），请核对后再保存",
                parts=parts,
                unit=unit,
            )
    return amounts, ""


def _agreed(line: BudgetLine) -> bool:
    """Whether the stored line's 合计 was its 基本支出 + 项目支出 (within rounding)."""
    if line.total is None or (line.basic is None and line.project is None):
        return False
    parts = (line.basic or Decimal(0)) + (line.project or Decimal(0))
    factor = rounding_factor([(line.total, line.unit), (line.basic, line.unit), (line.project, line.unit)])
    computed, published = _wan(parts, line.unit), _wan(line.total, line.unit)
    if computed is None or published is None:
        return parts == line.total
    return settle(computed, published, items=2, factor=factor) is not Status.MISMATCH


def rolled_up_text(rolled: tuple[RolledUp, ...]) -> str:
    """``上级科目 20607、206 及合计行已随之调整``; empty when nothing rolled up."""
    codes = [entry.code for entry in rolled if entry.code is not None]
    total = any(entry.code is None for entry in rolled)
    if codes and total:
        return f"上级科目 {'、'.join(codes)} 及合计行已随之调整"
    if codes:
        return f"上级科目 {'、'.join(codes)} 已随之调整"
    return "合计行已随之调整" if total else ""


@dataclass(frozen=True, slots=True)
class FilledLine:
    """What the dialog hands back: the line as filled in, and what was done to its 合计."""

    line: BudgetLine
    note: str = ""


class BudgetLineDialog(FormDialog[FilledLine | None]):
    """Add or edit one line: code, name, unit and amounts, each amount read back as it is typed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="budget_line_dialog.cancel")
    ]

    def __init__(
        self, *, line: BudgetLine | None, other_codes: list[str], default_unit: str, code_prefix: str = ""
    ) -> None:
        super().__init__()
        self.line = line
        self.other_codes = other_codes
        self.default_unit = line.unit if line else default_unit
        self.code_prefix = code_prefix

    def compose(self) -> ComposeResult:
        line = self.line
        units = list(dict.fromkeys([*UNITS, self.default_unit]))
        with Vertical(classes="dialog-box"):
            yield Label("编辑科目" if line else "新增科目", classes="dialog-title")
            with Container(classes="pg-form -wide"):
                yield Label("科目编码")
                yield Input(
                    line.code if line else self.code_prefix, placeholder="3/5/7 位", id="code", compact=True
                )
                yield Label("金额单位")
                yield Select(
                    [(u, u) for u in units],
                    value=self.default_unit,
                    allow_blank=False,
                    id="unit",
                    compact=True,
                )
                yield Label("科目名称")
                yield Input(line.name if line else "", id="name", classes="span3", compact=True)
            with Container(classes="pg-form -amounts"):
                for field, label in AMOUNT_FIELDS.items():
                    text = _amount_text(getattr(line, field) if line else None)
                    yield Label(label)
                    yield Input(text, id=field, compact=True)
                    yield Static("", id=f"{field}-readback", classes="readback")
            yield Static("可写 21.87万、218700元、二十一点八七 等，按所选单位保存", classes="screen-hint")
            yield Static("", id="dialog-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("保存", variant="primary", id="save")
                yield Button("取消", id="cancel")

    def on_mount(self) -> None:
        self._read_back()

    @property
    def unit(self) -> str:
        value = self.query_one("#unit", Select).value
        return self.default_unit if value is Select.NULL else str(value)

    def _amount(self, field: str, unit: str) -> Decimal | None:
        """The figure typed into ``field``, in ``unit``; ``None`` when blank.  Raises AmountError."""
        text = self.query_one(f"#{field}", Input).value
        if not text.strip():
            return None
        return read_money(text, default_unit=unit).in_unit(unit)

    def _amounts(self, unit: str) -> dict[str, Decimal | None] | str:
        amounts: dict[str, Decimal | None] = {}
        for field, label in AMOUNT_FIELDS.items():
            try:
                amounts[field] = self._amount(field, unit)
            except AmountError as exc:
                return f"{label}：{exc}"
        return amounts

    @on(Input.Changed)
    @on(Select.Changed, "#unit")
    def _read_back(self) -> None:
        """Say under each amount what will be stored, or why it cannot be read; and what 合计 will be."""
        unit = self.unit
        readable: dict[str, Decimal | None] = {}
        for field in AMOUNT_FIELDS:
            shown = self.query_one(f"#{field}-readback", Static)
            text = self.query_one(f"#{field}", Input).value
            if not text.strip():
                readable[field] = None
                shown.update(Text("空", style="dim"))
                continue
            try:
                money = read_money(text, default_unit=unit)
                value = money.in_unit(unit)
            except AmountError as exc:
                shown.update(Text(str(exc), style="red"))
                continue
            readable[field] = value
            said = Text(f"= {exact_money(value, unit)}", style="green")
            if money.unit != unit:
                said.append(f"（{format_money(money.amount, money.unit)}）", style="dim")
            shown.update(said)
        if len(readable) != len(AMOUNT_FIELDS):
            return
        total_shown = self.query_one("#total-readback", Static)
        try:
            settled, note = settle_total(readable, unit, self.line)
        except TotalMismatch as exc:
            total_shown.update(Text(f"≠ 基本 + 项目 = {exact_money(exc.parts, exc.unit)}", style="red"))
            return
        if note:
            total = settled["total"]
            assert total is not None
            follows = Text(f"→ 保存为 {exact_money(total, unit)}", style="yellow")
            follows.append("（基本支出 + 项目支出）", style="dim")
            total_shown.update(follows)

    def _read(self) -> FilledLine | str:
        """The line as filled in, or what is wrong with it."""
        code = self.query_one("#code", Input).value.strip()
        problem = code_problem(code, self.other_codes)
        if problem:
            return problem
        name = self.query_one("#name", Input).value.strip()
        if not name:
            return "科目名称不能为空"
        unit = self.unit
        amounts = self._amounts(unit)
        if isinstance(amounts, str):
            return amounts
        try:
            amounts, note = settle_total(amounts, unit, self.line)
        except TotalMismatch as exc:
            return str(exc)
        if self.line is not None:
            return FilledLine(
                self.line.model_copy(update={"code": code, "name": name, "unit": unit, **amounts}), note
            )
        return FilledLine(BudgetLine(code=code, name=name, unit=unit, **amounts), note)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def _save(self) -> None:
        result = self._read()
        if isinstance(result, str):
            self.query_one("#dialog-error", Static).update(result)
            return
        self.dismiss(result)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


# --- saved changes, and their undo --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LineChange:
    """One saved change of a line: ``before`` → ``after`` (``None`` before: added; after: deleted)."""

    before: BudgetLine | None
    after: BudgetLine | None

    @property
    def label(self) -> str:
        line = self.after or self.before
        assert line is not None
        verb = "新增" if self.before is None else ("删除" if self.after is None else "修改")
        return f"{verb}科目 {line.code} {line.name}"

    def inverse(self) -> LineChange:
        return LineChange(self.after, self.before)


Kind = Literal["do", "undo", "redo"]
