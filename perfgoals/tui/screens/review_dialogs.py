"""Dialogs of the review workflow (审核), each typed by what it returns.

- :class:`OpenErrorsDialog` — a submit refused for open errors: every one listed, each code accepted
  with a reason; returns ``{code: reason}`` (then the table is submitted) or ``None``;
- :class:`CommentDialog` — a comment on the table, a row or a cell (评论, 退回), or a reply (回复);
  returns a :class:`CommentRequest` or ``None``;
- :class:`FinanceReviewDialog` — 财政审核: 优/良/中/差 and an opinion per 审核 point; returns a
  :class:`ReviewResult` or ``None``;
- :class:`DepartmentGoalsDialog` — 部门整体绩效目标, 分项绩效目标, 工作保障措施; returns the
  :class:`~perfgoals.models.DepartmentGoals` as typed, or ``None``.

Nothing here changes data: the caller hands what a dialog returns to the workflow's core functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, RadioButton, RadioSet, Static, TextArea
from textual.widgets.option_list import Option

from perfgoals.models import REVIEW_POINTS, DepartmentGoals, Grade

#: Grades that send the table back to its owner (said on the dialog, decided by the workflow).
RETURNING_GRADES = (Grade.FAIR, Grade.POOR)


@dataclass(frozen=True, slots=True)
class OpenError:
    """One open error of the table, as the submit dialog lists it."""

    code: str
    where: str
    message: str


@dataclass(frozen=True, slots=True)
class CommentRequest:
    """A comment (or reply) as typed; ``scope`` is where it goes: ``cell``, ``row`` or ``table``."""

    text: str
    scope: str = "table"


@dataclass(frozen=True, slots=True)
class ReviewResult:
    """The finance office's review: the grade, an opinion per 审核 point, and a note."""

    grade: Grade
    opinions: dict[str, str] = field(default_factory=dict)
    note: str = ""

    @property
    def returns(self) -> bool:
        """Whether this grade sends the table back to its owner (中 and 差)."""
        return self.grade in RETURNING_GRADES


class ReviewMenu(ModalScreen[str | None]):
    """F10 审核: the review's actions, those the user may take on the table shown enabled; returns the
    chosen action's name.  ``entries``: (name, label, key, enabled)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "取消", id="review.menu.cancel")]

    def __init__(self, title: str, who: str, entries: list[tuple[str, str, str, bool]]) -> None:
        super().__init__(classes="dialog")
        self._title = title
        self._who = who
        self._entries = entries

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="review-menu-box"):
            yield Label(self._title, classes="dialog-title")
            yield Static(self._who, classes="screen-hint")
            options = []
            for name, label, key, enabled in self._entries:
                prompt = Text(label)
                if key:
                    prompt.append(f"  {key}", style="dim")
                if not enabled:
                    prompt.append("  （现在不可用）", style="dim italic")
                options.append(Option(prompt, id=name, disabled=not enabled))
            yield OptionList(*options, id="review-actions")
            with Horizontal(classes="dialog-buttons"):
                yield Button("取消 (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class OpenErrorsDialog(ModalScreen[dict[str, str] | None]):
    """提交被拒: the open errors, each code with a reason field; 接受并提交 when every code has one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="review.errors.cancel"),
        Binding("ctrl+s", "apply", "接受并提交", id="review.errors.apply", priority=True),
    ]

    def __init__(self, project_name: str, errors: list[OpenError], message: str = "") -> None:
        super().__init__(classes="dialog")
        self._project_name = project_name
        self._errors = errors
        self._message = message
        self._codes = list(dict.fromkeys(error.code for error in errors))

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box wide", id="open-errors-box"):
            yield Label(f"不能提交：“{self._project_name}”有 {len(self._errors)} 个未处理的错误", classes="dialog-title")
            yield Static(
                self._message
                or "修改后再提交；或对每类错误写明接受的理由（记入审核记录），然后提交。",
                classes="dialog-question",
            )
            with VerticalScroll(id="open-errors"):
                for code in self._codes:
                    for error in (e for e in self._errors if e.code == code):
                        line = Text("✗ ", style="bold red")
                        line.append(code, style="bold")
                        if error.where:
                            line.append(f" {error.where}", style="bold")
                        line.append(f"：{error.message}")
                        yield Static(line, classes="open-error")
                    yield Input(placeholder=f"接受 {code} 的理由", id=f"reason-{code}", compact=True, classes="reason")
            yield Static("", id="errors-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("接受并提交 (ctrl+s)", id="apply", variant="warning", compact=True)
                yield Button("取消 (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        if self._codes:
            self.query_one(f"#reason-{self._codes[0]}", Input).focus()

    def reasons(self) -> dict[str, str]:
        return {code: self.query_one(f"#reason-{code}", Input).value.strip() for code in self._codes}

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        missing = [code for code, reason in self.reasons().items() if not reason]
        if missing:
            self.query_one(f"#reason-{missing[0]}", Input).focus()
        else:
            self.action_apply()

    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        reasons = self.reasons()
        missing = [code for code, reason in reasons.items() if not reason]
        if missing:
            self.query_one("#errors-error", Static).update(f"请写明接受 {'、'.join(missing)} 的理由")
            self.query_one(f"#reason-{missing[0]}", Input).focus()
            return
        self.dismiss(reasons)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class CommentDialog(ModalScreen[CommentRequest | None]):
    """A comment, a reply or a 退回's reason, typed in a text area (kept exactly as typed).

    ``places`` offers where a comment goes (``[("cell", "第 3 行 指标值"), ("row", "第 3 行"),
    ("table", "整张表")]``; the first is chosen); empty for a reply.  ``quote`` shows what is
    commented on or replied to.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="review.comment.cancel"),
        Binding("ctrl+s", "apply", "确定", id="review.comment.apply", priority=True),
    ]

    def __init__(
        self,
        title: str,
        *,
        places: list[tuple[str, str]] | None = None,
        quote: str = "",
        ok_label: str = "确定",
        required: bool = True,
        hint: str = "",
    ) -> None:
        super().__init__(classes="dialog")
        self._title = title
        self._places = places or []
        self._quote = quote
        self._ok_label = ok_label
        self._required = required
        self._hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box wide", id="comment-box"):
            yield Label(self._title, classes="dialog-title")
            if self._quote:
                yield Static(Text(self._quote, style="italic"), id="comment-quote")
            if self._places:
                with RadioSet(id="comment-place"):
                    for index, (_scope, label) in enumerate(self._places):
                        yield RadioButton(label, value=index == 0)
            if self._hint:
                yield Static(self._hint, classes="screen-hint")
            yield TextArea("", id="comment-text", soft_wrap=True, show_line_numbers=False)
            yield Static("", id="comment-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self._ok_label} (ctrl+s)", id="apply", variant="primary", compact=True)
                yield Button("取消 (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#comment-text", TextArea).focus()

    def _scope(self) -> str:
        if not self._places:
            return "table"
        index = self.query_one("#comment-place", RadioSet).pressed_index
        return self._places[max(index, 0)][0]

    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        text = self.query_one("#comment-text", TextArea).text
        if self._required and not text.strip():
            self.query_one("#comment-error", Static).update("请填写内容")
            return
        self.dismiss(CommentRequest(text, self._scope()))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class FinanceReviewDialog(ModalScreen[ReviewResult | None]):
    """财政审核: choose 优/良/中/差 and write an opinion per 审核 point (完整性 相关性 适当性 可行性)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="review.finance.cancel"),
        Binding("ctrl+s", "apply", "确定", id="review.finance.apply", priority=True),
    ]

    def __init__(self, project_name: str, hints: dict[str, str] | None = None) -> None:
        super().__init__(classes="dialog")
        self._project_name = project_name
        self._hints = hints or {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box wide", id="finance-box"):
            yield Label(f"财政审核：{self._project_name}", classes="dialog-title")
            with RadioSet(id="grade"):
                for grade in Grade:
                    yield RadioButton(grade.value, id=f"grade-{grade.name.lower()}")
            yield Static("中、差：目标表退回项目负责人修改；优、良：财政已审。", id="grade-hint", classes="screen-hint")
            with Vertical(classes="pg-form", id="opinions"):
                for index, point in enumerate(REVIEW_POINTS):
                    yield Label(point)
                    yield Input(
                        placeholder=self._hints.get(point, f"{point}方面的审核意见"),
                        id=f"opinion-{index}",
                        compact=True,
                    )
                yield Label("总体意见")
                yield Input(placeholder="可空", id="note", compact=True)
            yield Static("", id="finance-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("确定 (ctrl+s)", id="apply", variant="primary", compact=True)
                yield Button("取消 (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#grade", RadioSet).focus()

    def grade(self) -> Grade | None:
        index = self.query_one("#grade", RadioSet).pressed_index
        return list(Grade)[index] if index >= 0 else None

    @on(RadioSet.Changed, "#grade")
    def _grade_changed(self) -> None:
        grade = self.grade()
        hint = self.query_one("#grade-hint", Static)
        if grade in RETURNING_GRADES:
            hint.update(Text(f"{grade.value}：确定后目标表退回项目负责人修改", style="bold"))
        elif grade is not None:
            hint.update(f"{grade.value}：确定后目标表为财政已审")
        self.query_one("#finance-error", Static).update("")

    @on(Input.Submitted)
    def _next(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        grade = self.grade()
        if grade is None:
            self.query_one("#finance-error", Static).update("请选择审核结果：优、良、中或差")
            self.query_one("#grade", RadioSet).focus()
            return
        opinions = {
            point: self.query_one(f"#opinion-{index}", Input).value
            for index, point in enumerate(REVIEW_POINTS)
            if self.query_one(f"#opinion-{index}", Input).value.strip()
        }
        missing = [index for index, point in enumerate(REVIEW_POINTS) if point not in opinions]
        if grade in RETURNING_GRADES and missing:
            # As the workflow requires (it refuses otherwise): said here, before the typing is lost.
            names = "、".join(REVIEW_POINTS[index] for index in missing)
            self.query_one("#finance-error", Static).update(f"{grade.value}（退回）：每个审核要点都要写明意见，缺少：{names}")
            self.query_one(f"#opinion-{missing[0]}", Input).focus()
            return
        self.dismiss(ReviewResult(grade, opinions, self.query_one("#note", Input).value))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class DepartmentGoalsDialog(ModalScreen[DepartmentGoals | None]):
    """部门整体绩效目标 of a department-year: three texts, kept exactly as typed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="department_goals.cancel"),
        Binding("ctrl+s", "apply", "保存", id="department_goals.apply", priority=True),
    ]

    #: (DepartmentGoals field, label), in the order of the form.
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("overall", "部门整体绩效目标"),
        ("itemised", "分项绩效目标"),
        ("safeguards", "工作保障措施"),
    )

    def __init__(self, department_label: str, goals: DepartmentGoals, *, read_only: bool = False) -> None:
        super().__init__(classes="dialog")
        self._label = department_label
        self._goals = goals
        self._read_only = read_only

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box wide", id="department-goals-box"):
            yield Label(f"部门整体绩效目标：{self._label}", classes="dialog-title")
            for name, label in self.FIELDS:
                yield Label(label, classes="field-label")
                yield TextArea(
                    getattr(self._goals, name),
                    id=f"goals-{name}",
                    soft_wrap=True,
                    show_line_numbers=False,
                    read_only=self._read_only,
                    classes="goals-text",
                )
            with Horizontal(classes="dialog-buttons"):
                if not self._read_only:
                    yield Button("保存 (ctrl+s)", id="apply", variant="primary", compact=True)
                yield Button("取消 (Esc)" if not self._read_only else "关闭 (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#goals-overall", TextArea).focus()

    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        if self._read_only:
            return
        self.dismiss(
            DepartmentGoals(**{name: self.query_one(f"#goals-{name}", TextArea).text for name, _ in self.FIELDS})
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
