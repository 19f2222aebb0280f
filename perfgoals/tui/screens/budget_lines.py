"""功能分类科目: the department's budget lines, added and edited one at a time."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Select, Static
from textual.worker import get_current_worker

from perfgoals.models import BudgetLine, Department
from perfgoals.money import AmountError, format_amount, parse_user_amount
from perfgoals.storage import repository as repo
from perfgoals.storage.budget_lines import LEVEL_NAMES, code_problem, delete_budget_line, upsert_budget_line
from perfgoals.storage.db import read_session, write_session
from perfgoals.tui.context import TuiContext
from perfgoals.tui.screens._common import (
    FormDialog,
    StatusLine,
    WorkFailed,
    cell,
    failure_text,
    flexible_width,
)
from perfgoals.tui.screens.dialogs import ConfirmDialog

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
    return "" if amount is None else str(amount)


class BudgetLineDialog(FormDialog[BudgetLine | None]):
    """Add or edit one line: code, name, unit and amounts (Chinese number forms accepted)."""

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
                for field, label in AMOUNT_FIELDS.items():
                    yield Label(label)
                    yield Input(
                        _amount_text(getattr(line, field) if line else None),
                        id=field,
                        compact=True,
                    )
            yield Static(
                "金额可写 1,135.10、二十一点八七、21.87万元 等，按所选单位保存", classes="screen-hint"
            )
            yield Static("", id="dialog-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("保存", variant="primary", id="save")
                yield Button("取消", id="cancel")

    def _read(self) -> BudgetLine | str:
        """The line as filled in, or what is wrong with it."""
        code = self.query_one("#code", Input).value.strip()
        problem = code_problem(code, self.other_codes)
        if problem:
            return problem
        name = self.query_one("#name", Input).value.strip()
        if not name:
            return "科目名称不能为空"
        unit = str(self.query_one("#unit", Select).value)
        amounts: dict[str, Decimal | None] = {}
        for field, label in AMOUNT_FIELDS.items():
            text = self.query_one(f"#{field}", Input).value.strip()
            try:
                amounts[field] = parse_user_amount(text, unit) if text else None
            except AmountError as exc:
                return f"{label}：{exc}"
        if self.line is not None:
            return self.line.model_copy(update={"code": code, "name": name, "unit": unit, **amounts})
        return BudgetLine(code=code, name=name, unit=unit, **amounts)

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


class BudgetLinesScreen(Screen[None]):
    """The department's 功能分类 lines: 类, 款 and 项 with their amounts."""

    TITLE = "功能分类科目"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "新增科目", id="budget_lines.add"),
        Binding("e,enter", "edit", "编辑科目", id="budget_lines.edit"),
        Binding("delete", "delete", "删除科目", id="budget_lines.delete"),
        Binding("f5", "reload", "刷新", id="budget_lines.reload"),
        Binding("escape", "close", "返回", id="budget_lines.close"),
    ]

    class Loaded(Message):
        def __init__(self, department: Department, select_code: str | None) -> None:
            super().__init__()
            self.department = department
            self.select_code = select_code

    class Saved(Message):
        def __init__(self, code: str | None, text: str) -> None:
            super().__init__()
            self.code = code
            self.text = text

    def __init__(self, context: TuiContext) -> None:
        super().__init__()
        self.context = context
        self.department: Department | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="heading", classes="screen-hint")
        yield DataTable(id="lines", cursor_type="row", zebra_stripes=True)
        yield StatusLine("正在读取……", id="status")
        yield Footer()

    def on_mount(self) -> None:
        if self.context.department_id is None:
            self.query_one(StatusLine).say("尚未选择部门年度", error=True)
            return
        self.load()

    @property
    def lines(self) -> list[BudgetLine]:
        return self.department.budget_lines if self.department else []

    # --- workers -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="budget-lines-load")
    def load(self, select_code: str | None = None) -> None:
        try:
            with read_session(self.context.engine) as session:
                department = repo.load_department(session, department_id=self.context.department_id or 0)
        except Exception as exc:  # every failure is shown, none kills the app
            self.post_message(WorkFailed(failure_text(exc)))
            return
        if not get_current_worker().is_cancelled:  # a newer load has replaced this one
            self.post_message(self.Loaded(department, select_code))

    @work(thread=True, group="budget-lines-write")
    def save(self, line: BudgetLine, replacing: str | None) -> None:
        try:
            with write_session(self.context.engine) as session:
                upsert_budget_line(
                    session,
                    department_id=self.context.department_id or 0,
                    line=line,
                    user=self.context.user,
                    replacing=replacing,
                )
        except Exception as exc:
            self.post_message(WorkFailed(failure_text(exc)))
            return
        verb = "已保存" if replacing else "已新增"
        self.post_message(self.Saved(line.code, f"{verb}科目 {line.code} {line.name}"))

    @work(thread=True, group="budget-lines-write")
    def delete_line(self, line: BudgetLine) -> None:
        try:
            with write_session(self.context.engine) as session:
                delete_budget_line(
                    session,
                    department_id=self.context.department_id or 0,
                    code=line.code,
                    user=self.context.user,
                )
        except Exception as exc:
            self.post_message(WorkFailed(failure_text(exc)))
            return
        self.post_message(self.Saved(None, f"已删除科目 {line.code} {line.name}"))

    # --- messages ------------------------------------------------------------------------------

    def on_budget_lines_screen_loaded(self, message: Loaded) -> None:
        self.department = department = message.department
        units = {line.unit for line in department.budget_lines} | {department.money_unit}
        mixed = len(units) > 1
        self.sub_title = f"{department.code} {department.name}（{department.year} 年）"
        self.query_one("#heading", Static).update(
            "类 3 位、款 5 位、项 7 位"
            + ("　金额单位见“单位”列" if mixed else f"　金额单位：{department.money_unit}")
        )
        self._fill(department, mixed=mixed)
        table = self.query_one(DataTable)
        status = self.query_one(StatusLine)
        if not department.budget_lines:
            status.say("还没有功能分类科目：按 a 新增（先加 3 位的类，再加 5 位的款、7 位的项）")
        elif not status.has_class("-ok"):
            counts = {
                n: sum(1 for line in department.budget_lines if len(line.code) == n) for n in LEVEL_NAMES
            }
            status.say("，".join(f"{counts[n]} 个{LEVEL_NAMES[n]}" for n in LEVEL_NAMES))
        if message.select_code:
            codes = [line.code for line in department.budget_lines]
            if message.select_code in codes:
                table.move_cursor(row=codes.index(message.select_code))
        table.focus()

    def _fill(self, department: Department, *, mixed: bool) -> None:
        """(Re)build the table: amount columns as wide as the widest figure, the name taking the rest."""
        table: DataTable[Text] = self.query_one(DataTable)
        table.clear(columns=True)
        texts = [
            [format_amount(getattr(line, field)) for field in AMOUNT_FIELDS]
            for line in department.budget_lines
        ]
        amount_width = max([8, *(len(text) for row in texts for text in row)])
        columns = 2 + len(AMOUNT_FIELDS) + (1 if mixed else 0)
        fixed = 7 + amount_width * len(AMOUNT_FIELDS) + (4 if mixed else 0) + 2 * columns + 2
        table.add_column("编码", key="code", width=7)
        table.add_column("科目名称", key="name", width=flexible_width(self.app.size.width, fixed, minimum=10))
        for field, label in AMOUNT_FIELDS.items():
            table.add_column(cell(label, right=True), key=field, width=amount_width)
        if mixed:
            table.add_column("单位", key="unit", width=4)
        for line, row in zip(department.budget_lines, texts, strict=True):
            indent = " " * ((len(line.code) - 3) // 2)
            table.add_row(
                cell(line.code),
                cell(f"{indent}{line.name}"),
                *(cell(text, right=True) for text in row),
                *([cell(line.unit)] if mixed else []),
                key=line.code,
            )

    def on_budget_lines_screen_saved(self, message: Saved) -> None:
        self.query_one(StatusLine).say(message.text, ok=True)
        self.notify(message.text)
        self.load(message.code)

    def on_work_failed(self, message: WorkFailed) -> None:
        self.query_one(StatusLine).say(message.text, error=True)
        self.notify(message.text, severity="error")

    # --- actions -------------------------------------------------------------------------------

    def selected(self) -> BudgetLine | None:
        row = self.query_one(DataTable).cursor_row
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def _open(self, line: BudgetLine | None, *, code_prefix: str = "") -> None:
        if self.department is None:
            return
        others = [existing.code for existing in self.lines if line is None or existing.code != line.code]
        replacing = line.code if line else None

        def done(result: BudgetLine | None) -> None:
            if result is not None:
                self.query_one(StatusLine).say("正在保存……")
                self.save(result, replacing)

        self.app.push_screen(
            BudgetLineDialog(
                line=line,
                other_codes=others,
                default_unit=self.department.money_unit,
                code_prefix=code_prefix,
            ),
            done,
        )

    def action_add(self) -> None:
        # A new line usually goes under the selected 类 or 款: start its code with the parent's.
        selected = self.selected()
        self._open(None, code_prefix=selected.code if selected and len(selected.code) < 7 else "")

    @on(DataTable.RowSelected)
    def action_edit(self) -> None:
        line = self.selected()
        if line is not None:
            self._open(line)

    def action_delete(self) -> None:
        line = self.selected()
        if line is None:
            return

        def confirmed(answer: bool | None) -> None:
            if answer:
                self.delete_line(line)

        self.app.push_screen(
            ConfirmDialog(
                f"删除科目 {line.code} {line.name}？（有下级科目或挂有项目时不能删除）",
                yes="删除",
                danger=True,
            ),
            confirmed,
        )

    def action_reload(self) -> None:
        line = self.selected()
        self.load(line.code if line else None)

    def action_close(self) -> None:
        self.dismiss(None)
