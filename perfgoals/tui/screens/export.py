"""导出: choose what (a project, the department, every department of the year), the kind (目标, 监控,
自评 — :mod:`perfgoals.export.kinds`, as ``perfgoals export --kind``), for the goal tables the edition
(工作版/报送版) and the format, and the file; the export runs in a worker with a progress bar and says where
the file went."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Header,
    Input,
    Label,
    ProgressBar,
    RadioButton,
    RadioSet,
    Select,
)

from perfgoals.export.editions import Edition
from perfgoals.export.kinds import FOLLOWUP_WRITERS, GOALS, KIND_LABELS, kind_file_name
from perfgoals.models import Department
from perfgoals.storage import repository as repo
from perfgoals.storage.db import read_session
from perfgoals.tui.context import TuiContext
from perfgoals.tui.screens._common import StatusLine, WorkFailed, failure_text
from perfgoals.tui.screens.dialogs import ConfirmDialog

SCOPE_PROJECT, SCOPE_DEPARTMENT, SCOPE_YEAR = "project", "department", "year"
FORMATS = {"xlsx": "Excel 工作簿（.xlsx）", "json": "JSON 数据", "csv": "CSV 表格（每行一个指标）"}
EDITIONS = {
    Edition.WORK: "工作版（另含汇总、对账、问题，可导回）",
    Edition.SUBMIT: "报送版（只含目录和绩效目标表）",
}
BATCH = 50  # departments loaded per read, so that a whole year never sits in memory at once


@dataclass(frozen=True)
class ExportRequest:
    """One export as the form asked for it."""

    scope: str
    kind: str
    fmt: str
    edition: Edition
    path: Path
    project_id: int | None
    with_checks: bool


class ExportScreen(Screen[None]):
    """Export goal tables, 监控表 or 自评表; ``project_id`` preselects the project the user was on."""

    TITLE = "导出"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+e", "export", "开始导出", id="export.run"),
        Binding("escape", "close", "返回", id="export.close"),
    ]

    class Ready(Message):
        def __init__(self, department: Department, year_keys: list[repo.DepartmentKey]) -> None:
            super().__init__()
            self.department = department
            self.year_keys = year_keys

    class Progressed(Message):
        def __init__(self, done: int, total: int | None) -> None:
            super().__init__()
            self.done = done
            self.total = total

    class Finished(Message):
        def __init__(self, path: Path, text: str) -> None:
            super().__init__()
            self.path = path
            self.text = text

    def __init__(
        self, context: TuiContext, *, project_id: int | None = None, directory: Path | None = None
    ) -> None:
        super().__init__()
        self.context = context
        self.project_id = project_id
        self.directory = directory or Path.cwd() / "exports"
        self.department: Department | None = None
        self.year_keys: list[repo.DepartmentKey] = []
        self.path_edited = False
        self.running = False
        self.last_path: Path | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="export-form"):
            with RadioSet(id="scope"):
                yield RadioButton("本项目", id="scope-project")
                yield RadioButton("本部门", id="scope-department", value=True)
                yield RadioButton("本年度全部部门", id="scope-year")
            with Container(classes="pg-form"):
                yield Label("项目")
                yield Select([], prompt="（选择项目）", id="project", compact=True, disabled=True)
                yield Label("内容")
                yield Select(
                    [(label, kind) for kind, label in KIND_LABELS.items()],
                    value=GOALS,
                    allow_blank=False,
                    id="kind",
                    compact=True,
                )
                yield Label("版本")
                yield Select(
                    [(label, edition.value) for edition, label in EDITIONS.items()],
                    value=Edition.WORK.value,
                    allow_blank=False,
                    id="edition",
                    compact=True,
                )
                yield Label("格式")
                yield Select(
                    [(label, key) for key, label in FORMATS.items()],
                    value="xlsx",
                    allow_blank=False,
                    id="format",
                    compact=True,
                )
                yield Label("文件")
                yield Input(id="path", compact=True)
                yield Label("")
                yield Checkbox("运行检查，把问题写入工作簿", value=True, id="with-checks", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("导出", variant="primary", id="run", disabled=True)
            yield ProgressBar(id="progress", show_eta=False)
        yield StatusLine("正在读取……", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False  # shown once an export starts
        if self.context.department_id is None:
            self.query_one(StatusLine).say("尚未选择部门年度", error=True)
            return
        self.prepare()

    # --- workers -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="export-prepare")
    def prepare(self) -> None:
        try:
            with read_session(self.context.engine) as session:
                department = repo.load_department(session, department_id=self.context.department_id or 0)
                keys = repo.list_departments(session, year=department.year)
        except Exception as exc:  # every failure is shown, none kills the app
            self.post_message(WorkFailed(failure_text(exc)))
            return
        self.post_message(self.Ready(department, keys))

    @work(thread=True, exclusive=True, group="export-run")
    def run_export(self, request: ExportRequest) -> None:
        from perfgoals.export import write_csv, write_json, write_workbook
        from perfgoals.export.xlsx import FindingsProvider

        scope, fmt, path, project_id, with_checks = (
            request.scope, request.fmt, request.path, request.project_id, request.with_checks
        )
        if scope == SCOPE_YEAR:
            ids = [key.id for key in self.year_keys]
            total = sum(key.projects for key in self.year_keys)
        else:
            ids = [self.context.department_id or 0]
            total = 1 if scope == SCOPE_PROJECT else len(self.department.projects if self.department else [])
        step = max(total // 100, 1)

        def progress(done: int, total_: int | None) -> None:
            if done % step == 0 or done == total_:
                self.post_message(self.Progressed(done, total_))

        def departments() -> Iterator[Department]:
            for start in range(0, len(ids), BATCH):
                with read_session(self.context.engine) as session:
                    batch = repo.load_departments(session, department_ids=ids[start : start + BATCH])
                for department in batch:
                    if scope == SCOPE_PROJECT:
                        department = department.model_copy(
                            update={"projects": [p for p in department.projects if p.id == project_id]}
                        )
                    yield department

        findings: FindingsProvider | None = None if with_checks else (lambda _department: [])
        try:
            if request.kind != GOALS:  # 监控表 / 自评表: the writer of the kind, as `perfgoals export --kind`
                writer = FOLLOWUP_WRITERS[request.kind]()
                summary = writer(path, departments(), findings=findings)
            elif fmt == "xlsx":
                summary = write_workbook(
                    path,
                    departments(),
                    consolidated=scope != SCOPE_PROJECT,
                    multi_department=scope == SCOPE_YEAR,
                    total_projects=total,
                    findings=findings,
                    progress=progress,
                    edition=request.edition,
                    checked=with_checks,
                )
            elif fmt == "json":
                summary = write_json(path, departments(), total_projects=total, progress=progress)
            else:
                summary = write_csv(path, departments(), total_projects=total, progress=progress)
        except Exception as exc:
            self.post_message(WorkFailed(failure_text(exc)))
            return
        self.post_message(self.Finished(summary.path, summary.describe()))

    # --- messages ------------------------------------------------------------------------------

    def on_export_screen_ready(self, message: Ready) -> None:
        self.department = department = message.department
        self.year_keys = message.year_keys
        project_select = self.query_one("#project", Select)
        project_select.set_options([(p.name, p.id) for p in department.projects if p.id is not None])
        if self.project_id is not None and any(p.id == self.project_id for p in department.projects):
            project_select.value = self.project_id
            self.query_one("#scope-project", RadioButton).value = True
        year_button = self.query_one("#scope-year", RadioButton)
        year_button.label = f"{department.year} 年全部（{len(self.year_keys)} 个部门）"
        self.query_one("#run", Button).disabled = False
        self.sub_title = f"{department.code} {department.name}（{department.year} 年）"
        self.query_one(StatusLine).say("导出数据库中已保存的内容：选好范围、格式和文件后按“导出”或 ctrl+e")
        self._suggest_path()

    def on_export_screen_progressed(self, message: Progressed) -> None:
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)

    def on_export_screen_finished(self, message: Finished) -> None:
        self.running = False
        self.last_path = message.path
        self.query_one("#run", Button).disabled = False
        bar = self.query_one(ProgressBar)
        bar.update(total=bar.total or 1, progress=bar.total or 1)
        self.query_one(StatusLine).say(message.text, ok=True)
        self.notify(str(message.path), title="导出完成")
        self.path_edited = False
        self._suggest_path()  # the next export never overwrites this one unasked

    def on_work_failed(self, message: WorkFailed) -> None:
        self.running = False
        self.query_one("#run", Button).disabled = self.department is None
        self.query_one(StatusLine).say(message.text, error=True)
        self.notify(message.text, severity="error")

    # --- form ----------------------------------------------------------------------------------

    def scope(self) -> str:
        pressed = self.query_one("#scope", RadioSet).pressed_button
        return (pressed.id or "scope-department").removeprefix("scope-") if pressed else SCOPE_DEPARTMENT

    def _suggest_path(self) -> None:
        from perfgoals.export import default_output_path

        if self.path_edited or self.department is None:
            return
        scope = self.scope()
        fmt = self.fmt()
        project = None
        if scope == SCOPE_PROJECT:
            chosen = self.query_one("#project", Select).value
            project = next((p.name for p in self.department.projects if p.id == chosen), None)
        path = default_output_path(
            directory=self.directory,
            department=None if scope == SCOPE_YEAR else self.department.code,
            year=self.department.year,
            extension=fmt,
            project=project,
        )
        path = kind_file_name(path, self.kind())
        field = self.query_one("#path", Input)
        with field.prevent(Input.Changed):
            field.value = str(path)

    @on(RadioSet.Changed)
    def _scope_changed(self) -> None:
        project = self.query_one("#project", Select)
        project.disabled = self.scope() != SCOPE_PROJECT
        self._suggest_path()

    def kind(self) -> str:
        return str(self.query_one("#kind", Select).value)

    def fmt(self) -> str:
        return str(self.query_one("#format", Select).value)

    def edition(self) -> Edition:
        return Edition(str(self.query_one("#edition", Select).value))

    @on(Select.Changed)
    def _choice_changed(self) -> None:
        self._fit_choices()
        self._suggest_path()

    def _fit_choices(self) -> None:
        """监控 and 自评 are xlsx workbooks in one edition; the edition is the goal workbook's; the 报送版
        has no 问题 sheet to write the checks to."""
        goals = self.kind() == GOALS
        fmt = self.query_one("#format", Select)
        if not goals and fmt.value != "xlsx":
            fmt.value = "xlsx"  # posts Select.Changed: the suggested name follows
        fmt.disabled = not goals
        self.query_one("#edition", Select).disabled = not goals or self.fmt() != "xlsx"
        self.query_one("#with-checks", Checkbox).disabled = (
            goals and (self.fmt() != "xlsx" or self.edition() is Edition.SUBMIT)
        )

    @on(Input.Changed, "#path")
    def _path_typed(self) -> None:
        self.path_edited = True

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#run")
    def action_export(self) -> None:
        if self.running or self.department is None:
            return
        scope = self.scope()
        kind = self.kind()
        fmt = self.fmt() if kind == GOALS else "xlsx"
        text = self.query_one("#path", Input).value.strip()
        status = self.query_one(StatusLine)
        if not text:
            status.say("请填写输出文件路径", error=True)
            return
        path = Path(text).expanduser().absolute()
        if path.is_dir():
            status.say(f"{path} 是文件夹，请写出文件名", error=True)
            return
        if not path.suffix:
            path = path.with_name(f"{path.name}.{fmt}")
        written_as = path.suffix.lower().lstrip(".")
        if written_as in FORMATS and written_as != fmt:
            status.say(f"文件扩展名 .{written_as} 与导出格式 {fmt} 不符：请改用 .{fmt} 文件名", error=True)
            return
        project_id = self.query_one("#project", Select).value
        if scope == SCOPE_PROJECT and not isinstance(project_id, int):
            status.say("请选择要导出的项目", error=True)
            return
        request = ExportRequest(
            scope=scope,
            kind=kind,
            fmt=fmt,
            edition=self.edition() if kind == GOALS and fmt == "xlsx" else Edition.WORK,
            path=path,
            project_id=project_id if isinstance(project_id, int) else None,
            with_checks=self.query_one("#with-checks", Checkbox).value,
        )
        if path.exists():

            def confirmed(answer: bool | None) -> None:
                if answer:
                    self._start(request)

            self.app.push_screen(
                ConfirmDialog(f"{path} 已存在，覆盖它？", yes="覆盖", danger=True), confirmed
            )
            return
        self._start(request)

    def _start(self, request: ExportRequest) -> None:
        status = self.query_one(StatusLine)
        self.running = True
        self.query_one("#run", Button).disabled = True
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        status.say(f"正在导出{KIND_LABELS[request.kind]}到 {request.path} ……")
        self.run_export(request)

    def action_close(self) -> None:
        self.dismiss(None)
