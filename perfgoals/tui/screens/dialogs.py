"""Modal dialogs of the main screen, each typed by what it returns."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from perfgoals.models import AmountSource, Department, FundSource, LinkStatus, Project
from perfgoals.reading.amounts import project_amount
from perfgoals.reading.money import AmountError, Money, format_money, read_money
from perfgoals.tui.screens._common import exact_money


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; Escape answers no."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "answer(False)", "取消", id="dialog.cancel")]

    def __init__(self, question: str, *, yes: str = "确定", no: str = "取消", danger: bool = False) -> None:
        super().__init__(classes="dialog")
        self._question = question
        self._yes = yes
        self._no = no
        self._danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self._question, classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._yes, id="yes", variant="error" if self._danger else "primary")
                yield Button(self._no, id="no")

    def on_mount(self) -> None:
        self.query_one("#no" if self._danger else "#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class UnsavedDialog(ModalScreen[str | None]):
    """Leaving with unsaved edits: "save", "discard", or ``None`` to stay."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "stay", "取消", id="dialog.cancel")]

    def __init__(self, names: list[str], leaving: str = "退出") -> None:
        super().__init__(classes="dialog")
        self._names = names
        self._leaving = leaving

    def compose(self) -> ComposeResult:
        listed = "、".join(self._names[:5]) + (
            f" 等 {len(self._names)} 个项目" if len(self._names) > 5 else ""
        )
        with Vertical(classes="dialog-box"):
            yield Static(
                f"有未保存的修改：{listed}。\n{self._leaving}前要保存吗？", classes="dialog-question"
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("保存", id="save", variant="primary")
                yield Button("不保存", id="discard", variant="error")
                yield Button("取消", id="stay")

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "stay" else event.button.id)

    def action_stay(self) -> None:
        self.dismiss(None)


class GoneChoice(StrEnum):
    SAVE_AS_NEW = "save_as_new"
    RESTORE = "restore"
    LATER = "later"


class GoneDialog(ModalScreen[GoneChoice]):
    """A project with unsaved edits was deleted meanwhile (it is in the recycle bin): save the edits as
    a new project, restore the project and save them into it, or decide later (the edits stay)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "choose('later')", "稍后", id="gone.later"),
    ]

    def __init__(self, name: str, deleted_by: str = "", deleted_at: str = "") -> None:
        super().__init__(classes="dialog")
        self._name = name
        self._by = deleted_by
        self._at = deleted_at

    def compose(self) -> ComposeResult:
        who = f"已被{self._by or '他人'}" + (f"于 {self._at} " if self._at else "") + "删除（在回收站中）"
        with Vertical(classes="dialog-box"):
            yield Static(Text("项目已被删除", style="bold"), classes="dialog-title")
            yield Static(
                f"项目“{self._name}”{who}，你的修改尚未保存。\n"
                "可以把修改另存为新项目，或恢复该项目后把修改保存进去；选择稍后则修改保留在界面中。",
                classes="dialog-question",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("另存为新项目", id="save_as_new", variant="primary")
                yield Button("恢复后保存", id="restore", variant="warning")
                yield Button("稍后", id="later")

    def on_mount(self) -> None:
        self.query_one("#save_as_new", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(GoneChoice(event.button.id or "later"))

    def action_choose(self, choice: str) -> None:
        self.dismiss(GoneChoice(choice))


class ColumnDialog(ModalScreen[str | None]):
    """添加列: choose one of the optional columns the table does not show yet; returns its field."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "取消", id="dialog.cancel")]

    def __init__(self, offered: list[tuple[str, str]]) -> None:
        super().__init__(classes="dialog")
        self._offered = offered

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label("添加列（有数据后，表格和导出都显示该列）", classes="dialog-title")
            yield OptionList(*(Option(label, id=field) for field, label in self._offered), id="columns")
            with Horizontal(classes="dialog-buttons"):
                yield Button("取消 (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class GoalDialog(ModalScreen[dict[str, str] | None]):
    """Edit a project's 绩效目标 and its 实施期目标 (often empty) in two text areas, applied together
    by ctrl+s or 确定; returns both texts as typed, keyed by their GoalTable fields."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="dialog.cancel"),
        Binding("ctrl+s", "apply", "确定", id="dialog.apply", priority=True),
    ]

    def __init__(
        self, project_name: str, goal_text: str, mid_term_goal_text: str, *, focus: str = "goal_text"
    ) -> None:
        super().__init__(classes="dialog")
        self._project_name = project_name
        self._goal_text = goal_text
        self._mid_term_goal_text = mid_term_goal_text
        self._focus = focus

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box wide"):
            yield Label(f"绩效目标：{self._project_name}", classes="dialog-title")
            yield TextArea(self._goal_text, id="text", soft_wrap=True, show_line_numbers=False)
            yield Label("实施期目标（总体目标分实施期填报时填写，可空）", classes="field-label")
            yield TextArea(
                self._mid_term_goal_text, id="mid-term-text", soft_wrap=True, show_line_numbers=False
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("确定 (ctrl+s)", id="apply", variant="primary")
                yield Button("取消 (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#mid-term-text" if self._focus == "mid_term_goal_text" else "#text", TextArea).focus()

    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        self.dismiss(
            {
                "goal_text": self.query_one("#text", TextArea).text,
                "mid_term_goal_text": self.query_one("#mid-term-text", TextArea).text,
            }
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class NameDialog(ModalScreen[str | None]):
    """Ask for a name (a new project's); refuses an empty one or one already taken."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "取消", id="dialog.cancel")]

    def __init__(self, title: str, taken: set[str]) -> None:
        super().__init__(classes="dialog")
        self._title = title
        self._taken = taken

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self._title, classes="dialog-title")
            yield Input(id="name", placeholder="项目名称")
            yield Static("", id="name-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("确定", id="ok", variant="primary")
                yield Button("取消", id="cancel")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        problem = "名称不能为空" if not name else ("本部门已有同名项目" if name in self._taken else "")
        if problem:
            self.query_one("#name-error", Static).update(problem)
            return
        self.dismiss(name)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


_NO_LINE = "__none__"
#: The units offered for a project's amount, besides its own and any unit typed into the field.
AMOUNT_UNITS = ("万元", "元")
#: A line's level by the length of its code.
LEVELS = {3: "类", 5: "款", 7: "项"}


def line_options(department: Department, current: str | None) -> list[tuple[str, str]]:
    """The lines a project may be charged to: the 项 (7-digit) lines, then its current line when that
    is not one (a 类 or 款, or a code the department does not have: kept, marked, never changed
    silently), then "no line"."""
    options = [
        (f"{line.code} {line.name}", line.code) for line in department.budget_lines if len(line.code) == 7
    ]
    if current and current not in {code for _, code in options}:
        line = department.line(current)
        if line is None:
            options.append((f"⚠ {current}（本部门无此科目）", current))
        else:
            level = LEVELS.get(len(current), "")
            options.append((f"⚠ {current} {line.name}（{level}级科目，请改挂项级）", current))
    options.append(("（不关联科目）", _NO_LINE))
    return options


class ProjectFieldsDialog(ModalScreen[dict[str, Any] | None]):
    """Edit a project's fields (F3); returns only the fields that changed, or ``None`` when cancelled.

    The amount is read by the one money reader and kept as typed (``755元`` is 755 元, ``21.87万`` is
    21.87 万元), with its unit beside it; what it reads as is shown as it is typed, and the dialog does
    not close while it cannot be read.  An inferred amount is marked, and stays inferred until the
    person changes it or ticks 金额已确认.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="dialog.cancel"),
        Binding("ctrl+s", "apply", "确定", id="dialog.apply", priority=True),
    ]

    def __init__(self, department: Department, project: Project) -> None:
        super().__init__(classes="dialog")
        self._department = department
        self._project = project
        self._amount = project_amount(project)
        self._units = list(dict.fromkeys([*AMOUNT_UNITS, project.amount_unit]))
        self._unit = project.amount_unit

    def compose(self) -> ComposeResult:
        project = self._project
        amount = "" if project.budget_amount is None else format(project.budget_amount, "f")
        with Vertical(classes="dialog-box wide"):
            yield Label(f"项目信息：{project.name}", classes="dialog-title")
            with Grid(classes="form"):
                yield Label("项目名称")
                yield Input(project.name, id="name", compact=True)
                yield Label("功能分类科目")
                yield Select(
                    line_options(self._department, project.budget_line_code),
                    value=project.budget_line_code or _NO_LINE,
                    allow_blank=False,
                    id="line",
                    compact=True,
                )
                yield Label("")
                yield Checkbox(
                    "已确认科目关联（建议的关联须确认；只能挂项级科目）",
                    value=project.line_link != LinkStatus.SUGGESTED,
                    id="confirmed",
                    compact=True,
                )
                yield Label("资金来源")
                yield Select(
                    [(source.value, source.value) for source in FundSource],
                    value=project.fund_source.value if project.fund_source else Select.NULL,
                    prompt="（未填）",
                    id="fund",
                    compact=True,
                )
                yield Label("年度资金")
                with Horizontal(classes="amount-row"):
                    yield Input(
                        amount,
                        id="amount",
                        compact=True,
                        placeholder="如 21.87万、755元、二十一点八七万、1.2亿",
                    )
                    yield Select(
                        [(unit, unit) for unit in self._units],
                        value=project.amount_unit,
                        allow_blank=False,
                        id="amount-unit",
                        compact=True,
                    )
                yield Label("")
                yield Static(self._amount_hint(amount), id="amount-hint")
                if self._amount.inferred:
                    yield Label("")
                    yield Checkbox(
                        f"金额已确认（现为{self._amount.marker}）",
                        value=False,
                        id="amount-confirmed",
                        compact=True,
                    )
                yield Label("负责人")
                yield Input(project.owner, id="owner", compact=True)
                yield Label("实施单位")
                yield Input(project.implementing_unit, id="implementing-unit", compact=True)
                yield Label("状态")
                # Read-only: the status changes only through the review (提交, 退回, 审核 …: F10).
                yield Static(
                    Text.assemble(project.status.value, ("　（由审核流程改变：F10 审核）", "dim")), id="project-status"
                )
            yield Static("", id="form-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("确定 (ctrl+s)", id="apply", variant="primary", compact=True)
                yield Button("取消 (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    # -- the amount -------------------------------------------------------------------------------

    def _read_amount(self, text: str) -> Money | None:
        """The amount typed, in the unit typed (else the unit chosen); ``None`` when blank and the
        project had no amount.  Raises AmountError, with the reason, for anything else."""
        if not text.strip():
            if self._project.budget_amount is None:
                return None
            raise AmountError(f"金额不能为空（原为 {self._amount.text}）")
        return read_money(text, default_unit=self._unit)

    def _amount_hint(self, text: str) -> Text:
        try:
            money = self._read_amount(text)
        except AmountError as exc:
            return Text(str(exc), style="red")
        if money is None:
            return Text("未填金额", style="dim")
        said = Text(f"= {format_money(money.amount, money.unit)}", style="green")
        if money.unit != "万元":
            said.append(f"（{exact_money(money.wan, '万元')}）", style="dim")
        if (money.amount, money.unit) == (self._project.budget_amount, self._project.amount_unit):
            if self._amount.inferred:
                said.append(f"　{self._amount.marker}", style="yellow")
        elif self._amount.inferred:
            said.append("　改动后即为填报金额", style="dim")
        return said

    def _typed_unit(self, text: str) -> str | None:
        """The unit written in the field itself (``755元`` → 元), ``None`` when there is none."""
        try:
            as_wan = read_money(text, default_unit="万元").unit
            as_yuan = read_money(text, default_unit="元").unit
        except AmountError:
            return None
        return as_wan if as_wan == as_yuan else None

    def _show_unit(self, unit: str) -> None:
        """Put ``unit`` in the unit list (adding it when it is not offered yet)."""
        select = self.query_one("#amount-unit", Select)
        if unit not in self._units:
            self._units.append(unit)
            select.set_options([(u, u) for u in self._units])
        self._unit = unit
        if select.value != unit:
            select.value = unit

    @on(Input.Changed, "#amount")
    def _amount_changed(self, event: Input.Changed) -> None:
        # The unit list follows a unit typed in the field.
        typed = self._typed_unit(event.value)
        if typed is not None and typed != self._unit:
            self._show_unit(typed)
        self.query_one("#amount-hint", Static).update(self._amount_hint(event.value))

    @on(Select.Changed, "#amount-unit")
    def _unit_changed(self, event: Select.Changed) -> None:
        if event.value is Select.NULL:
            return
        text = self.query_one("#amount", Input).value
        typed = self._typed_unit(text)
        if typed is not None and typed != event.value:
            # The field says its unit itself: that is the unit stored, so the list shows it.
            self._show_unit(typed)
            self.notify(f"输入的金额已写明单位“{typed}”，以输入为准", timeout=3)
            return
        self._unit = str(event.value)
        self.query_one("#amount-hint", Static).update(self._amount_hint(text))

    @on(Select.Changed, "#line")
    def _line_changed(self, event: Select.Changed) -> None:
        # Picking a line is confirming it.
        if event.value != (self._project.budget_line_code or _NO_LINE):
            self.query_one("#confirmed", Checkbox).value = True

    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        changes = self._changes()
        if changes is not None:
            self.dismiss(changes)

    def _changes(self) -> dict[str, Any] | None:
        project = self._project
        error = self.query_one("#form-error", Static)
        name = self.query_one("#name", Input).value.strip()
        if not name:
            error.update("项目名称不能为空")
            return None
        taken = {p.name for p in self._department.projects if p.id != project.id}
        if name in taken:
            error.update(f"本部门已有名为“{name}”的项目")
            return None
        try:
            money = self._read_amount(self.query_one("#amount", Input).value)
        except AmountError as exc:
            error.update(f"金额：{exc}")
            return None
        line_value = self.query_one("#line", Select).value
        line = None if line_value == _NO_LINE else str(line_value)
        fund_value = self.query_one("#fund", Select).value
        fund = None if fund_value is Select.NULL else FundSource(str(fund_value))
        confirmed = self.query_one("#confirmed", Checkbox).value
        link: LinkStatus | None = None
        if line is not None:
            if line != project.budget_line_code:
                link = LinkStatus.CONFIRMED  # a line the person picked is never the program's guess
            else:
                link = LinkStatus.CONFIRMED if confirmed else (project.line_link or LinkStatus.SUGGESTED)
        wanted: dict[str, Any] = {
            "name": name,
            "budget_line_code": line,
            "line_link": link,
            "fund_source": fund,
            "budget_amount": money.amount if money is not None else None,
            "amount_unit": money.unit if money is not None else project.amount_unit,
            "owner": self.query_one("#owner", Input).value.strip(),
            "implementing_unit": self.query_one("#implementing-unit", Input).value.strip(),
        }
        changes = {key: value for key, value in wanted.items() if getattr(project, key) != value}
        amount_confirmed = any(box.value for box in self.query("#amount-confirmed").results(Checkbox))
        entered = money is not None and (
            "budget_amount" in changes or "amount_unit" in changes or amount_confirmed
        )
        if entered and project.amount_source != AmountSource.ENTERED:
            changes["amount_source"] = AmountSource.ENTERED
        return changes

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
