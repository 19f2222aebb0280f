"""部门与年度: choose a department-year, create one by hand, or start next year from one."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Select, Static
from textual.worker import get_current_worker

from perfgoals.framework import DEFAULT_FRAMEWORK, frameworks
from perfgoals.models import DEFAULT_UNIT, Department
from perfgoals.storage import repository as repo
from perfgoals.storage.db import read_session, write_session
from perfgoals.tui.context import TuiContext
from perfgoals.tui.screens._common import (
    FormDialog,
    StatusLine,
    TextPrompt,
    WorkFailed,
    cell,
    failure_text,
    flexible_width,
)
from perfgoals.tui.screens.dialogs import ConfirmDialog
from perfgoals.tui.search import matches

UNITS = ("万元", "元")


class DepartmentDialog(FormDialog[Department | None]):
    """新建部门年度: code, name, year, money unit and indicator framework."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="department_dialog.cancel")
    ]

    def __init__(self, *, taken: set[tuple[str, int]], year: int) -> None:
        super().__init__()
        self.taken = taken
        self.year = year

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label("新建部门年度", classes="dialog-title")
            with Container(classes="pg-form"):
                yield Label("部门编码")
                yield Input(placeholder="如 731", id="code", compact=True)
                yield Label("部门名称")
                yield Input(placeholder="如 张家口市科学技术协会", id="name", compact=True)
                yield Label("预算年度")
                yield Input(str(self.year), type="integer", id="year", compact=True)
                yield Label("金额单位")
                yield Select(
                    [(unit, unit) for unit in UNITS],
                    value=DEFAULT_UNIT,
                    allow_blank=False,
                    id="unit",
                    compact=True,
                )
                yield Label("指标体系")
                yield Select(
                    [(fw.name, fw.id) for fw in frameworks().values()],
                    value=DEFAULT_FRAMEWORK,
                    allow_blank=False,
                    id="framework",
                    compact=True,
                )
            yield Static("", id="dialog-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("保存", variant="primary", id="save")
                yield Button("取消", id="cancel")

    def _problem(self, code: str, name: str, year_text: str) -> str | None:
        if not code or any(char.isspace() for char in code):
            return "部门编码不能为空，也不能含空格"
        if not name:
            return "部门名称不能为空"
        if not year_text.isdigit() or not 1990 <= int(year_text) <= 2200:
            return "预算年度应为 1990–2200 之间的年份"
        if (code, int(year_text)) in self.taken:
            return f"部门 {code} 已有 {year_text} 年的数据"
        return None

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def _save(self) -> None:
        code = self.query_one("#code", Input).value.strip()
        name = self.query_one("#name", Input).value.strip()
        year_text = self.query_one("#year", Input).value.strip()
        problem = self._problem(code, name, year_text)
        if problem:
            self.query_one("#dialog-error", Static).update(problem)
            return
        self.dismiss(
            Department(
                code=code,
                name=name,
                year=int(year_text),
                money_unit=str(self.query_one("#unit", Select).value),
                framework=str(self.query_one("#framework", Select).value),
            )
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class DepartmentsScreen(Screen[int | None]):
    """Every department-year in the database; Enter opens the selected one."""

    TITLE = "部门与年度"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "打开", id="departments.open"),
        Binding("n", "new", "新建部门年度", id="departments.new"),
        Binding("r", "rollover", "结转下一年度", id="departments.rollover"),
        Binding("g", "goals", "部门整体绩效目标", id="departments.goals", show=False),
        Binding("delete", "delete", "删除部门年度", id="departments.delete"),
        Binding("f5", "reload", "刷新", id="departments.reload"),
        Binding("slash,ctrl+f", "filter", "筛选", id="departments.filter", show=False),
        Binding("escape", "close", "返回", id="departments.close"),
    ]

    class Loaded(Message):
        def __init__(self, keys: list[repo.DepartmentKey], select_id: int | None) -> None:
            super().__init__()
            self.keys = keys
            self.select_id = select_id

    class Saved(Message):
        def __init__(self, department_id: int | None, text: str) -> None:
            super().__init__()
            self.department_id = department_id
            self.text = text

    def __init__(self, context: TuiContext) -> None:
        super().__init__()
        self.context = context
        #: Every department-year in the database; ``keys`` are those the filter shows.
        self.all_keys: list[repo.DepartmentKey] = []
        self.keys: list[repo.DepartmentKey] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "回车打开；n 新建；r 结转下一年度；g 部门目标；Delete 删除；/ 或打字筛选", classes="screen-hint"
        )
        yield Input(placeholder="筛选：部门名称、编码、年度或拼音首字母（如 zjk）", id="department-filter", compact=True)
        table: DataTable[Text] = DataTable(id="departments", cursor_type="row", zebra_stripes=True)
        table.add_column("编码", key="code", width=10)
        table.add_column("部门名称", key="name", width=flexible_width(self.app.size.width, 36, minimum=16))
        table.add_column("年度", key="year", width=4)
        table.add_column(cell("项目数", right=True), key="projects", width=6)
        yield table
        yield StatusLine("正在读取……", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.load(self.context.department_id)

    # --- workers -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="departments-load")
    def load(self, select_id: int | None = None) -> None:
        try:
            with read_session(self.context.engine) as session:
                keys = repo.list_departments(session)
        except Exception as exc:  # every failure is shown, none kills the app
            self.post_message(WorkFailed(failure_text(exc)))
            return
        if not get_current_worker().is_cancelled:  # a newer load has replaced this one
            self.post_message(self.Loaded(keys, select_id))

    @work(thread=True, group="departments-write")
    def create(self, department: Department) -> None:
        try:
            with write_session(self.context.engine) as session:
                new_id = repo.save_department(
                    session, department=department, user=self.context.user, action="create"
                )
        except Exception as exc:
            self.post_message(WorkFailed(failure_text(exc)))
            return
        self.post_message(
            self.Saved(new_id, f"已新建 {department.code} {department.name}（{department.year} 年）")
        )

    @work(thread=True, group="departments-write")
    def roll(self, key: repo.DepartmentKey, to_year: int) -> None:
        from perfgoals.rollover import rollover

        try:
            with write_session(self.context.engine) as session:
                new_id = rollover(session, department_id=key.id, to_year=to_year, user=self.context.user)
        except Exception as exc:
            self.post_message(WorkFailed(failure_text(exc)))
            return
        self.post_message(
            self.Saved(
                new_id,
                f"已从 {key.year} 年结转 {key.code} {key.name} 的 {to_year} 年（{key.projects} 个项目，均为草稿）",
            )
        )

    @work(thread=True, group="departments-write")
    def delete_year(self, key: repo.DepartmentKey) -> None:
        try:
            with write_session(self.context.engine) as session:
                # Recorded first: the history keeps the entry (its department link becomes NULL).
                repo.record_change(
                    session,
                    user=self.context.user,
                    entity="department",
                    action="delete",
                    department_id=key.id,
                    department_key=f"{key.code}/{key.year}",
                    entity_key=key.name,
                    before={"projects": key.projects},
                )
                repo.delete_department(session, department_id=key.id)
        except Exception as exc:
            self.post_message(WorkFailed(failure_text(exc)))
            return
        self.post_message(self.Saved(None, f"已删除 {key.label}"))

    # --- messages ------------------------------------------------------------------------------

    def on_departments_screen_loaded(self, message: Loaded) -> None:
        self.all_keys = message.keys
        self._show(message.select_id)
        self.query_one(DataTable).focus()

    def _show(self, select_id: int | None) -> None:
        needle = self.query_one("#department-filter", Input).value.strip()
        self.keys = [
            key for key in self.all_keys if matches(needle, key.code, key.name, str(key.year))
        ]
        table = self.query_one(DataTable)
        table.clear()
        for key in self.keys:
            table.add_row(
                cell(key.code),
                cell(key.name + ("（当前）" if key.id == self.context.department_id else "")),
                cell(str(key.year)),
                cell(str(key.projects), right=True),
                key=str(key.id),
            )
        status = self.query_one(StatusLine)
        if not self.all_keys:
            status.say("数据库中还没有部门：按 n 新建，或在命令行运行 perfgoals demo 装入示例")
        elif needle:
            status.say(f"筛选出 {len(self.keys)} 个（共 {len(self.all_keys)} 个部门年度）")
        elif not status.has_class("-ok"):
            status.say(f"共 {len(self.all_keys)} 个部门年度")
        for index, key in enumerate(self.keys):
            if key.id == select_id:
                table.move_cursor(row=index)

    # --- the filter ----------------------------------------------------------------------------

    @on(Input.Changed, "#department-filter")
    def _filter_changed(self) -> None:
        selected = self.selected()
        self._show(selected.id if selected else self.context.department_id)

    @on(Input.Submitted, "#department-filter")
    def _filter_submitted(self) -> None:
        if len(self.keys) == 1:
            self.dismiss(self.keys[0].id)
        else:
            self.query_one(DataTable).focus()

    def action_filter(self) -> None:
        self.set_focus(self.query_one("#department-filter", Input))

    def route_key(self, event: events.Key) -> bool:
        """Typing on the list (a Chinese character, a digit, a letter no key is bound to) filters it:
        the filter takes the focus before the next key is handed on, so the whole burst lands there."""
        table = self.query_one(DataTable)
        if self.app.screen is not self or self.focused is not table or not event.is_printable:
            return False
        if event.character is None or event.key in self.active_bindings:
            return False  # n, r, / … keep their meaning
        self.set_focus(self.query_one("#department-filter", Input))
        return False

    def on_departments_screen_saved(self, message: Saved) -> None:
        self.query_one(StatusLine).say(message.text, ok=True)
        self.notify(message.text)
        self.load(message.department_id)

    def on_work_failed(self, message: WorkFailed) -> None:
        self.query_one(StatusLine).say(message.text, error=True)
        self.notify(message.text, severity="error")

    # --- actions -------------------------------------------------------------------------------

    def selected(self) -> repo.DepartmentKey | None:
        table = self.query_one(DataTable)
        if not self.keys or table.cursor_row < 0 or table.cursor_row >= len(self.keys):
            return None
        return self.keys[table.cursor_row]

    @on(DataTable.RowSelected)
    def action_choose(self) -> None:
        key = self.selected()
        if key is not None:
            self.dismiss(key.id)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        key = self.selected()
        self.load(key.id if key else None)

    def action_new(self) -> None:
        taken = {(key.code, key.year) for key in self.keys}
        current = self.selected()
        year = current.year if current else max((key.year for key in self.keys), default=date.today().year)

        def created(department: Department | None) -> None:
            if department is not None:
                self.query_one(StatusLine).say("正在保存……")
                self.create(department)

        self.app.push_screen(DepartmentDialog(taken=taken, year=year), created)

    def action_delete(self) -> None:
        key = self.selected()
        if key is None:
            return
        if key.id == self.context.department_id:
            self.query_one(StatusLine).say(
                f"{key.label} 正在主界面中打开，不能删除；请先打开其他部门年度", error=True
            )
            return

        def confirmed(answer: bool | None) -> None:
            if answer:
                self.query_one(StatusLine).say("正在删除……")
                self.delete_year(key)

        self.app.push_screen(
            ConfirmDialog(
                f"删除 {key.label} 的全部数据（{key.projects} 个项目及其绩效目标表）？此操作不能撤销。",
                yes="删除",
                danger=True,
            ),
            confirmed,
        )

    def action_goals(self) -> None:
        """部门整体绩效目标 of the selected department-year (perfgoals.tui.screens.review_goals)."""
        key = self.selected()
        if key is None:
            self.query_one(StatusLine).say("请先选中部门年度", error=True)
            return
        from perfgoals.tui.screens.review_goals import edit_department_goals
        from perfgoals.tui.screens.review_store import ReviewStore

        store = ReviewStore(self.context.engine, self.context.user)
        edit_department_goals(
            self, store, key.id, key.label, lambda _goals: self.query_one(StatusLine).say(f"已保存 {key.label} 的部门整体绩效目标", ok=True)
        )

    def action_rollover(self) -> None:
        key = self.selected()
        if key is None:
            self.query_one(StatusLine).say("请先选中要结转的部门年度", error=True)
            return
        years = {k.year for k in self.keys if k.code == key.code}

        def check(text: str) -> str | None:
            if not text.isdigit():
                return "请输入年份，如 2023"
            if int(text) <= key.year:
                return f"新年度必须晚于 {key.year}"
            if int(text) in years:
                return f"{key.code} 已有 {text} 年的数据"
            return None

        def chosen(text: str | None) -> None:
            if text:
                self.query_one(StatusLine).say("正在结转……")
                self.roll(key, int(text))

        self.app.push_screen(
            TextPrompt(
                f"从 {key.label} 结转出新年度：复制功能科目结构、项目与绩效目标表（草稿，保留上年指标值作参考）。"
                "\n新年度：",
                value=str(key.year + 1),
                ok_label="结转",
                check=check,
            ),
            chosen,
        )
