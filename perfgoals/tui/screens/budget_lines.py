"""功能分类科目: the department's budget lines, added, edited and deleted one at a time, with undo.

Every amount typed is read by the one money reader (:func:`perfgoals.reading.money.read_money`) and
read back beside its field before it is saved.  合计 = 基本支出 + 项目支出 is checked (or filled in),
an edited figure rolls up into the lines above and the 合计 row
(:func:`perfgoals.storage.budget_lines.upsert_budget_line`), and each line shows its 对账 verdict
(:func:`perfgoals.reading.reconcile.reconcile_department`), redrawn after every save and undo.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import get_current_worker

from perfgoals.models import BudgetLine, Department
from perfgoals.reading.reconcile import DepartmentReconciliation, LineReconciliation, reconcile_department
from perfgoals.storage import repository as repo
from perfgoals.storage.budget_lines import (
    LEVEL_NAMES,
    LineSaved,
    RolledUp,
    delete_budget_line,
    upsert_budget_line,
)
from perfgoals.storage.db import read_session, write_session
from perfgoals.tui.context import TuiContext
from perfgoals.tui.screens._common import (
    StatusLine,
    WorkFailed,
    cell,
    failure_text,
    flexible_width,
    money_text,
    verdict_cell,
    wan_text,
)
from perfgoals.tui.screens.budget_line_dialog import (
    AMOUNT_FIELDS,
    BudgetLineDialog,
    FilledLine,
    Kind,
    LineChange,
    TotalMismatch,
    rolled_up_text,
    settle_total,
)
from perfgoals.tui.screens.dialogs import ConfirmDialog

__all__ = ["BudgetLineDialog", "BudgetLinesScreen", "LineChange", "TotalMismatch", "settle_total"]

#: The verdict column shows its words from this screen width on; below it only its glyph (the
#: highlighted line's verdict is spelt out under the table).
VERDICT_WORDS_WIDTH = 100


class BudgetLinesScreen(Screen[None]):
    """The department's 功能分类 lines: 类, 款 and 项 with their amounts and 对账 verdicts."""

    TITLE = "功能分类科目"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "新增科目", id="budget_lines.add"),
        Binding("e,enter", "edit", "编辑科目", id="budget_lines.edit"),
        Binding("delete", "delete", "删除科目", id="budget_lines.delete"),
        Binding("ctrl+z", "undo", "撤销", id="budget_lines.undo"),
        Binding("ctrl+y", "redo", "重做", id="budget_lines.redo"),
        Binding("f5", "reload", "刷新", id="budget_lines.reload"),
        Binding("escape", "close", "返回", id="budget_lines.close"),
    ]

    class Loaded(Message):
        def __init__(self, department: Department, select_code: str | None) -> None:
            super().__init__()
            self.department = department
            self.select_code = select_code

    class Saved(Message):
        def __init__(self, change: LineChange, kind: Kind, rolled: tuple[RolledUp, ...], note: str) -> None:
            super().__init__()
            self.change = change
            self.kind = kind
            self.rolled = rolled
            self.note = note

    def __init__(self, context: TuiContext) -> None:
        super().__init__()
        self.context = context
        self.department: Department | None = None
        self.reconciliation: DepartmentReconciliation | None = None
        self.verdicts: dict[str, LineReconciliation] = {}
        #: Saved changes, oldest first: ctrl+z takes back the last, ctrl+y puts back what was taken.
        self.undo_stack: list[LineChange] = []
        self.redo_stack: list[LineChange] = []
        self._writing = False
        self._pending: tuple[LineChange, Kind] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="heading", classes="screen-hint")
        yield DataTable(id="lines", cursor_type="row", zebra_stripes=True)
        yield Static("", id="line-detail", classes="screen-hint")
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

    def write(self, change: LineChange, kind: Kind, note: str = "") -> None:
        """Make ``change`` in the database (a save, or an undo or redo of one), then reload."""
        if self._writing:
            self.notify("上一次保存尚未完成", severity="warning", timeout=3)
            return
        self._writing = True
        self._pending = (change, kind)
        self.query_one(StatusLine).say("正在保存……")
        self._write(change, kind, note)

    @work(thread=True, group="budget-lines-write")
    def _write(self, change: LineChange, kind: Kind, note: str) -> None:
        department_id = self.context.department_id or 0
        user = self.context.user
        try:
            with write_session(self.context.engine) as session:
                before, after = change.before, change.after
                if after is None:
                    assert before is not None
                    gone = delete_budget_line(
                        session, department_id=department_id, code=before.code, user=user
                    )
                    done = LineChange(gone, None)
                    rolled: tuple[RolledUp, ...] = ()
                else:
                    saved: LineSaved = upsert_budget_line(
                        session,
                        department_id=department_id,
                        line=after,
                        user=user,
                        # An edit replaces the line it was; an undone deletion adds the line again.
                        replacing=before.code if before is not None else None,
                        roll_up=True,
                    )
                    done = LineChange(saved.before, saved.line)
                    rolled = saved.rolled_up
        except Exception as exc:
            self.post_message(WorkFailed(failure_text(exc)))
            return
        self.post_message(self.Saved(done, kind, rolled, note))

    # --- messages ------------------------------------------------------------------------------

    def on_budget_lines_screen_loaded(self, message: Loaded) -> None:
        self.department = department = message.department
        self.reconciliation = reconcile_department(department)
        self.verdicts = {entry.code: entry for entry in self.reconciliation.lines}
        units = {line.unit for line in department.budget_lines} | {department.money_unit}
        mixed = len(units) > 1
        self.sub_title = f"{department.code} {department.name}（{department.year} 年）"
        self.query_one("#heading", Static).update(
            "类 3 位、款 5 位、项 7 位"
            + ("　金额单位见“单位”列" if mixed else f"　金额单位：{department.money_unit}")
            + ("　对账：科目项目支出与所挂项目金额之和" if self.app.size.width >= VERDICT_WORDS_WIDTH else "")
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
            text = "，".join(f"{counts[n]} 个{LEVEL_NAMES[n]}" for n in LEVEL_NAMES)
            bad = len(self.reconciliation.discrepancies)
            status.say(text + (f"；{bad} 个科目对账不一致" if bad else ""), error=bool(bad))
        if message.select_code:
            codes = [line.code for line in department.budget_lines]
            if message.select_code in codes:
                table.move_cursor(row=codes.index(message.select_code))
        self._show_detail(table.cursor_row)
        table.focus()

    def _fill(self, department: Department, *, mixed: bool) -> None:
        """(Re)build the table: amount columns as wide as the widest figure, the name taking the rest."""
        table: DataTable[Text] = self.query_one(DataTable)
        table.clear(columns=True)
        texts = [
            [money_text(getattr(line, field), line.unit) for field in AMOUNT_FIELDS]
            for line in department.budget_lines
        ]
        words = self.app.size.width >= VERDICT_WORDS_WIDTH
        verdict_width = 18 if words else 4
        amount_width = max([8, *(len(text) for row in texts for text in row)])
        columns = 3 + len(AMOUNT_FIELDS) + (1 if mixed else 0)
        fixed = 7 + amount_width * len(AMOUNT_FIELDS) + (4 if mixed else 0) + verdict_width + 2 * columns + 2
        table.add_column("编码", key="code", width=7)
        table.add_column("科目名称", key="name", width=flexible_width(self.app.size.width, fixed, minimum=10))
        for field, label in AMOUNT_FIELDS.items():
            table.add_column(cell(label, right=True), key=field, width=amount_width)
        if mixed:
            table.add_column("单位", key="unit", width=4)
        table.add_column("对账", key="verdict", width=verdict_width)
        for line, row in zip(department.budget_lines, texts, strict=True):
            indent = " " * ((len(line.code) - 3) // 2)
            entry = self.verdicts.get(line.code)
            table.add_row(
                cell(line.code),
                cell(f"{indent}{line.name}"),
                *(cell(text, right=True) for text in row),
                *([cell(line.unit)] if mixed else []),
                verdict_cell(entry.verdict, words=words) if entry else cell(""),
                key=line.code,
            )

    @on(DataTable.RowHighlighted, "#lines")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, row: int) -> None:
        """The highlighted line's 对账 in words: its verdict and the figures behind it."""
        detail = self.query_one("#line-detail", Static)
        lines = self.lines
        if not 0 <= row < len(lines):
            detail.update("")
            return
        entry = self.verdicts.get(lines[row].code)
        if entry is None:
            detail.update("")
            return
        text = Text(f"{entry.line.code} 对账 ")
        text.append_text(verdict_cell(entry.verdict))
        unit = entry.line.unit
        if entry.total is not None:
            text.append(
                f"：{len(entry.projects)} 个项目合计 {wan_text(entry.total.computed, unit)}，"
                f"项目支出 {wan_text(entry.total.published, unit)}，"
                f"差额 {wan_text(entry.total.difference, unit)}"
            )
        elif entry.unpriced:
            text.append(f"：{len(entry.unpriced)} 个项目未填金额")
        elif entry.projects:
            text.append(f"：挂有 {len(entry.projects)} 个项目")
        detail.update(text)

    def on_budget_lines_screen_saved(self, message: Saved) -> None:
        self._writing = False
        self._pending = None
        change = message.change
        if message.kind == "do":
            self.undo_stack.append(change)
            self.redo_stack.clear()
            line = change.after or change.before
            assert line is not None
            verb = "已删除" if change.after is None else ("已新增" if change.before is None else "已保存")
            text = f"{verb}科目 {line.code} {line.name}"
        elif message.kind == "undo":
            self.redo_stack.append(change.inverse())
            text = f"已撤销：{change.inverse().label}"
        else:
            self.undo_stack.append(change)
            text = f"已重做：{change.label}"
        parts = [text, message.note, rolled_up_text(message.rolled)]
        text = "；".join(part for part in parts if part)
        if message.kind == "do":
            text += "（ctrl+z 撤销）"
        self.query_one(StatusLine).say(text, ok=True)
        self.notify(text)
        self.load(change.after.code if change.after is not None else None)

    def on_work_failed(self, message: WorkFailed) -> None:
        self._writing = False
        pending, self._pending = self._pending, None
        # An undo or redo that could not be made stays where it was, to be tried again.
        if pending is not None and pending[1] == "undo":
            self.undo_stack.append(pending[0].inverse())
        elif pending is not None and pending[1] == "redo":
            self.redo_stack.append(pending[0])
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

        def done(result: FilledLine | None) -> None:
            if result is not None:
                self.write(LineChange(line, result.line), "do", result.note)

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
                self.write(LineChange(line, None), "do")

        self.app.push_screen(
            ConfirmDialog(
                f"删除科目 {line.code} {line.name}？（有下级科目或挂有项目时不能删除；ctrl+z 可撤销）",
                yes="删除",
                danger=True,
            ),
            confirmed,
        )

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("没有可撤销的修改", timeout=2)
            return
        if self._writing:
            self.notify("上一次保存尚未完成", severity="warning", timeout=3)
            return
        change = self.undo_stack.pop()
        self.write(change.inverse(), "undo")

    def action_redo(self) -> None:
        if not self.redo_stack:
            self.notify("没有可重做的修改", timeout=2)
            return
        if self._writing:
            self.notify("上一次保存尚未完成", severity="warning", timeout=3)
            return
        change = self.redo_stack.pop()
        self.write(change, "redo")

    def action_reload(self) -> None:
        line = self.selected()
        self.load(line.code if line else None)

    def action_close(self) -> None:
        self.dismiss(None)
