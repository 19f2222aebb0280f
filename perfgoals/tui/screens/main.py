"""The main screen: the project list, the selected project's goal table, and its findings.

Edits go to per-project drafts (:class:`~perfgoals.tui.editing.ProjectDraft`) and are written only on
ctrl+s.  Database and check work runs in thread workers that post messages back, so the screen never
waits on either.
"""

from __future__ import annotations

import gc
import importlib
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, OptionList

from perfgoals.errors import PerfgoalsError
from perfgoals.framework import Framework, get_framework
from perfgoals.tui.context import JumpTarget, TuiContext
from perfgoals.tui.editing import ALL_GRID_FIELDS, GOAL_TEXT_FIELDS, GRID_LABELS, CellRange, ProjectDraft
from perfgoals.tui.widgets.findings_panel import GLYPHS, FindingsPanel
from perfgoals.tui.widgets.goal_grid import GoalGrid
from perfgoals.tui.widgets.project_list import FindingCounts, ProjectList, project_id_of
from perfgoals.tui.widgets.project_summary import ProjectSummary

# Imported when first used, not before the first screen: the checks engine, the storage layer's
# SQLModel tables, the dialogs and the cell editor together cost as much as Textual itself.
if TYPE_CHECKING:
    from perfgoals.checks.findings import Finding
    from perfgoals.models import Department, Project
    from perfgoals.tui.widgets.cell_editor import CellEditor, Choice

#: A project check slower than this (a huge goal table, a slow machine) moves rechecks to workers.
INLINE_CHECK_LIMIT = 0.015

#: At most this many other projects of a line are rechecked when a project's line or amount changes.
LINE_MATES_LIMIT = 200

#: Other screens, pushed lazily: binding action → (module, class, what to do with the result).
OTHER_SCREENS: dict[str, tuple[str, str]] = {
    "departments": ("departments", "DepartmentsScreen"),
    "budget_lines": ("budget_lines", "BudgetLinesScreen"),
    "reconciliation": ("reconciliation", "ReconciliationScreen"),
    "findings": ("findings", "FindingsScreen"),
    "export": ("export", "ExportScreen"),
}


def check_project(department: Department, project: Project, *, previous_line: str | None = None) -> list[Finding]:
    """The project's findings from the checks engine (imported lazily, as the checks load their rules
    on first use); ``previous_line`` is the line the project left (its saved version's), reconciled too."""
    from perfgoals.checks import check_project as run_checks

    return run_checks(department, project, previous_line=previous_line)


def _line_rule(code: str) -> bool:
    """Whether findings of rule ``code`` are about a budget line and its projects (PG102, PG112)."""
    from perfgoals.checks.base import Scope
    from perfgoals.checks.registry import RULES_BY_CODE

    rule = RULES_BY_CODE.get(code)
    return rule is not None and rule.scope is Scope.LINE


def findings_by_project(department: Department, findings: list[Finding]) -> dict[int, list[Finding]]:
    """A whole-department check split per project as :func:`check_project` would report it: the
    project's own findings, then those of its budget line (the line rules', whatever table they name,
    and the line notes that name no table), given to every project charged to that line."""
    result: dict[int, list[Finding]] = {p.id: [] for p in department.projects if p.id is not None}
    by_line: dict[str, list[Finding]] = {}
    line_rules: dict[str, bool] = {}
    for finding in findings:
        location = finding.location
        if location.project_id is not None:
            result.setdefault(location.project_id, []).append(finding)
        elif location.budget_line and location.project is None:
            is_line = line_rules.get(finding.code)
            if is_line is None:
                is_line = line_rules[finding.code] = _line_rule(finding.code)
            if is_line or location.table is None:
                by_line.setdefault(location.budget_line, []).append(finding)
    for project in department.projects:
        if project.id is not None and project.budget_line_code:
            # First, as check_project sorts them: findings of no one project come before a project's own.
            result[project.id][:0] = by_line.get(project.budget_line_code, [])
    return result


def counts_of(findings: list[Finding]) -> FindingCounts:
    open_ = [f for f in findings if not f.accepted]
    return FindingCounts(
        errors=sum(1 for f in open_ if f.severity == "error"),
        warnings=sum(1 for f in open_ if f.severity == "warning"),
    )


def finding_marks(findings: list[Finding] | None) -> dict[tuple[int, str], str]:
    """(0-based row, grid field) → the glyph of the worst open finding there."""
    marks: dict[tuple[int, str], str] = {}
    for finding in findings or []:
        location = finding.location
        if finding.accepted or location.row is None:
            continue
        field = location.field if location.field in ALL_GRID_FIELDS else "level3"
        key = (location.row - 1, field)
        if marks.get(key) != "✗":
            marks[key] = GLYPHS[str(finding.severity)]
    return marks


def _spare_from_collection() -> None:
    """Keep the cyclic garbage collector from walking, on every full collection, what starting up made.

    Textual, Rich, SQLAlchemy, the loaded department and its findings are ~140,000 objects that live
    as long as the app: each full collection walked them all again, a 60-100 ms pause that fell on
    whichever keystroke came then (now under 10 ms).  Frozen objects are still freed by reference
    counting; cycles among them wait for :meth:`MainScreen.on_unmount` to unfreeze them.
    """
    gc.freeze()


def _dialogs() -> Any:
    return importlib.import_module("perfgoals.tui.screens.dialogs")


def _repo() -> Any:
    return importlib.import_module("perfgoals.storage.repository")


def _models() -> Any:
    return importlib.import_module("perfgoals.models")


def _sessions() -> Any:
    return importlib.import_module("perfgoals.storage.db")


# --- messages from the workers --------------------------------------------------------------------


@dataclass
class Loaded(Message):
    department: Department
    keep_drafts: bool


@dataclass
class DepartmentChecked(Message):
    """The whole-department check, run after the department is on screen."""

    department_id: int | None
    load: int
    findings: dict[int, list[Finding]]


@dataclass
class DatabaseEmpty(Message):
    pass


@dataclass
class Failed(Message):
    what: str
    message: str


@dataclass
class Checked(Message):
    project_id: int
    generation: int
    findings: list[Finding]


@dataclass
class Saved(Message):
    project_id: int
    project: Project


@dataclass
class SaveConflict(Message):
    project_id: int
    current: Project
    message: str


@dataclass
class SaveFinished(Message):
    saved: int
    failed: int


@dataclass
class ProjectAdded(Message):
    project: Project


@dataclass
class ProjectDeleted(Message):
    project_id: int
    name: str


class DepartmentHeader(Header):
    """The header, whose department and year open the department switcher when clicked."""

    async def _on_click(self, event: events.Click) -> None:  # type: ignore[override]  # Header narrows Widget's signature
        event.stop()
        await self.screen.run_action("other('departments')")


class QuietFooter(Footer):
    """A footer that rebuilds its keys only when the keys it shows change.

    Every focus change (opening and closing the cell editor, moving between panes) signals that
    bindings changed; Textual's footer then recomposes all its keys, which costs more than the
    edit itself.
    """

    _shown_keys: tuple[object, ...] | None = None
    #: Set while the cell editor is open: the editor shows its own keys (Enter, Esc) in its hint
    #: line, and rebuilding the footer's keys on opening and again on closing it cost more than
    #: the edit and its re-check together.
    frozen = False

    def bindings_changed(self, screen: Screen) -> None:
        if self.frozen and self._bindings_ready:
            return
        if self.is_attached and screen is self.screen:
            keys = tuple(
                (binding.key, binding.action, binding.description, enabled, tooltip)
                for (_, binding, enabled, tooltip) in screen.active_bindings.values()
                if binding.show
            )
            if keys == self._shown_keys and self._bindings_ready:
                return
            # Textual skips the rebuild while the terminal is unfocused: remember only what is shown.
            self._shown_keys = keys if screen.app.app_focus else None
        super().bindings_changed(screen)


class MainScreen(Screen[None]):
    """Where project owners fill in their goal tables."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "保存", id="main.save", priority=True),
        Binding("ctrl+z", "undo", "撤销", id="main.undo"),
        Binding("ctrl+y", "redo", "重做", id="main.redo", show=False),
        Binding("f2", "edit_cell", "编辑", id="main.edit_cell"),
        Binding("f3", "edit_project", "项目信息", id="main.edit_project"),
        Binding("f4", "edit_goal", "绩效目标", id="main.edit_goal"),
        Binding("ctrl+n", "insert_row", "插入行", id="main.insert_row"),
        Binding("ctrl+d", "duplicate_row", "复制行", id="main.duplicate_row", show=False),
        Binding("ctrl+k", "delete_rows", "删除行", id="main.delete_rows"),
        Binding("alt+up", "move_rows(-1)", "上移行", id="main.move_up", show=False),
        Binding("alt+down", "move_rows(1)", "下移行", id="main.move_down", show=False),
        Binding("delete", "clear_cells", "清空单元格", id="main.clear_cells", show=False),
        Binding("ctrl+c", "copy", "复制（TSV）", id="main.copy", show=False),
        Binding("ctrl+x", "cut", "剪切", id="main.cut", show=False),
        Binding("ctrl+v", "paste", "粘贴", id="main.paste", show=False),
        Binding("escape", "clear_selection", "取消选区", id="main.clear_selection", show=False),
        Binding("f5", "new_project", "新建项目", id="main.new_project", show=False),
        Binding("f8", "delete_project", "删除项目", id="main.delete_project", show=False),
        Binding("ctrl+f", "focus_filter", "筛选项目", id="main.filter", show=False),
        Binding("ctrl+b", "toggle_sidebar", "显示/隐藏项目列表", id="main.toggle_sidebar", show=False),
        Binding("f6", "other('departments')", "部门", id="main.departments"),
        Binding("f7", "other('budget_lines')", "功能科目", id="main.budget_lines", show=False),
        Binding("f9", "other('reconciliation')", "对账", id="main.reconciliation", show=False),
        Binding("ctrl+t", "other('findings')", "问题清单", id="main.findings", show=False),
        Binding("ctrl+e", "other('export')", "导出", id="main.export", show=False),
    ]

    def __init__(self, context: TuiContext) -> None:
        super().__init__()
        self.context = context
        self.department: Department | None = None
        self.drafts: dict[int, ProjectDraft] = {}
        self.findings: dict[int, list[Finding]] = {}
        self.current_id: int | None = None
        self.clipboard = ""
        self._generation: Counter[int] = Counter()
        self._conflicts: list[SaveConflict] = []
        self._conflict_open = False
        self._after_save: Callable[[], None] | None = None
        self._pending_jump: JumpTarget | None = None
        self._editor: CellEditor | None = None
        self._saving = 0
        self._loading = False
        self._loads = 0
        self._painted = threading.Event()
        self._summary_shown: tuple[object, ...] | None = None
        self._checked_generation: dict[int, int] = {}
        #: (line, amount, unit) of each project when last rechecked after an edit.
        self._money_keys: dict[int, tuple[str | None, Decimal | None, str]] = {}
        self._inline_checks = True
        self._grid_project: int | None = None
        self._settled = False

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield DepartmentHeader(icon="≡")
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                yield Input(placeholder="筛选项目…", id="filter")
                yield ProjectList(id="projects")
            with Vertical(id="detail"):
                yield ProjectSummary(id="summary")
                yield GoalGrid(id="grid")
                yield FindingsPanel(id="findings")
        yield QuietFooter()

    def on_mount(self) -> None:
        self.app.title = "perfgoals 绩效目标"
        self.app.sub_title = "正在打开数据库…"
        self.query_one("#projects", ProjectList).border_title = "项目"
        self.query_one("#grid", GoalGrid).border_title = "绩效指标"
        self._load(self.context.department_id)

    def on_unmount(self) -> None:
        if self._settled:
            # The app is closing: what was spared becomes collectable again (in this process's
            # tests, or for whatever runs after the app in the same process).
            gc.unfreeze()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < 100, "-narrow")
        self.set_class(event.size.height < 30, "-short")
        self._refresh_title()

    # -- the state shown ------------------------------------------------------------------------

    @property
    def draft(self) -> ProjectDraft | None:
        return self.drafts.get(self.current_id) if self.current_id is not None else None

    @property
    def grid(self) -> GoalGrid:
        return self.query_one("#grid", GoalGrid)

    @property
    def framework(self) -> Framework | None:
        if self.department is None:
            return None
        try:
            return get_framework(self.department.framework)
        except KeyError:
            return None

    def dirty_drafts(self) -> list[ProjectDraft]:
        return [draft for draft in self.drafts.values() if draft.dirty]

    def _projects(self) -> list[Project]:
        assert self.department is not None
        return [self.drafts[p.id].project if p.id in self.drafts else p for p in self.department.projects]

    def _department_with_drafts(self) -> Department:
        """The department as edited, safe to hand to a worker thread: unsaved drafts are copied,
        clean ones are their saved snapshots, which nothing mutates."""
        assert self.department is not None
        projects = []
        for project in self.department.projects:
            draft = self.drafts.get(project.id) if project.id is not None else None
            if draft is None:
                projects.append(project)
            elif draft.dirty:
                projects.append(draft.project.model_copy(deep=True))
            else:
                projects.append(draft.saved)
        return self.department.model_copy(update={"projects": projects})

    def _refresh_title(self) -> None:
        if self.department is None:
            return
        department = self.department
        dirty = len(self.dirty_drafts())
        # In 80 columns the long forms would push the unsaved marker off the header.
        narrow = self.has_class("-narrow")
        self.app.title = "perfgoals" if narrow else "perfgoals 绩效目标"
        marker = (f"  ● 未保存 {dirty}" if narrow else f"  ● 未保存（{dirty} 个项目）") if dirty else ""
        if self._saving:
            marker += "  保存中…"
        self.app.sub_title = f"{department.code} {department.name} · {department.year} 年{marker}"

    def _refresh_list(self) -> None:
        if self.department is None:
            return
        needle = self.query_one("#filter", Input).value.strip()
        dirty = {draft.id for draft in self.dirty_drafts() if draft.id is not None}
        counts = {pid: counts_of(found) for pid, found in self.findings.items()}
        self.query_one("#projects", ProjectList).show(
            self.department, self._projects(), counts, dirty, needle
        )

    def _refresh_item(self, project_id: int) -> None:
        """Redraw one entry of the project list."""
        draft = self.drafts.get(project_id)
        if draft is None:
            return
        found = self.findings.get(project_id)
        counts = counts_of(found) if found is not None else None
        dirty = {project_id} if draft.dirty else set()
        self.query_one("#projects", ProjectList).update_project(draft.project, counts, dirty)

    def _refresh_project(self) -> None:
        """Show the current draft: fields, grid (with finding marks) and findings.

        Each part is redrawn only when what it shows changed: the summary's height is automatic,
        so updating it re-lays out the whole screen.
        """
        draft = self.draft
        project = draft.project if draft else None
        dirty = bool(draft and draft.dirty)
        shown = (id(self.department), project.model_dump() if project else None, dirty)
        if shown != self._summary_shown:
            self._summary_shown = shown
            summary = self.query_one("#summary", ProjectSummary)
            summary.show(self.department, project, dirty)
        findings = self.findings.get(self.current_id) if self.current_id is not None else []
        rows = draft.indicators if draft else []
        other = self.current_id != self._grid_project
        self._grid_project = self.current_id
        self.grid.show_rows(rows, finding_marks(findings), top=other)
        self.grid.border_title = f"绩效指标（{len(rows)} 行）" if draft else "绩效指标"
        self.query_one("#findings", FindingsPanel).show(findings if draft else [])
        self._refresh_title()

    def _refresh_findings(self) -> None:
        """After a check of the current project: only the marks and the findings panel change."""
        findings = self.findings.get(self.current_id) if self.current_id is not None else []
        if self.draft is None:
            return
        self.grid.set_marks(finding_marks(findings))
        self.query_one("#findings", FindingsPanel).show(findings)

    def _changed(self, place: tuple[int | None, str | None] | None = None, *, regroup: bool = False) -> None:
        """After any edit: redraw, recheck the project, update markers.

        ``regroup`` rebuilds the whole list (a name or budget line may have changed); otherwise
        only the edited project's entry is redrawn.
        """
        if self.current_id is not None:
            self._check(self.current_id, inline=True)
            self._recheck_line_mates(self.current_id)
        self._refresh_project()
        if regroup:
            self._refresh_list()
        elif self.current_id is not None:
            self._refresh_item(self.current_id)
        if place is not None and place[0] is not None:
            self.grid.go_to(place[0], place[1])

    # -- loading --------------------------------------------------------------------------------

    def _load(self, department_id: int | None, *, keep_drafts: bool = False) -> None:
        self._loading = True
        self._loads += 1
        self._painted.clear()
        self._load_worker(department_id, keep_drafts, self._loads, self._painted)

    @work(thread=True, exclusive=True, group="load")
    def _load_worker(
        self, department_id: int | None, keep_drafts: bool, load: int, painted: threading.Event
    ) -> None:
        try:
            with _sessions().read_session(self.context.engine) as session:
                if department_id is None:
                    keys = _repo().list_departments(session)
                    if not keys:
                        self.post_message(DatabaseEmpty())
                        return
                    department_id = keys[0].id
                department = _repo().load_department(session, department_id=department_id)
        except PerfgoalsError as exc:
            self.post_message(Failed("打开部门", str(exc)))
            return
        self.post_message(Loaded(department, keep_drafts))
        # The department is shown before it is checked: wait (briefly) for that first paint, so
        # that importing the checks and running them does not compete with it for the GIL.
        painted.wait(timeout=2.0)
        from perfgoals.checks import check_department

        # One pass over the department is far cheaper than one check per project; the shown
        # project is then rechecked on its own when selected.
        try:
            findings = findings_by_project(department, check_department(department))
        except Exception as exc:  # a failing rule must not keep the department from opening
            self.post_message(Failed("检查", f"检查出错：{exc}"))
            findings = {}
        self.post_message(DepartmentChecked(department.id, load, findings))

    @on(DatabaseEmpty)
    def _offer_sample(self) -> None:
        self.app.sub_title = "数据库中还没有部门"

        def answered(load: bool | None) -> None:
            if load:
                self._load_sample()
            else:
                self.notify("可按 F6 新建部门，或在命令行运行 perfgoals import 导入预算公开文件。", timeout=8)

        self.app.push_screen(
            _dialogs().ConfirmDialog(
                "数据库中还没有部门数据。\n要装入示例部门（张家口市科学技术协会 2022 年部门预算）吗？",
                yes="装入示例",
                no="暂不",
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="load")
    def _load_sample(self) -> None:
        try:
            from perfgoals.importers import demo_department

            department = demo_department()
            with _sessions().write_session(self.context.engine) as session:
                department_id = _repo().save_department(
                    session, department=department, user=self.context.user, replace=False, action="demo"
                )
        except PerfgoalsError as exc:
            self.post_message(Failed("装入示例", str(exc)))
            return
        self.app.call_from_thread(self._load, department_id)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.message, title=f"{message.what}失败", severity="error", timeout=10)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        department = message.department
        same = self.department is not None and self.department.id == department.id
        kept = {pid: d for pid, d in self.drafts.items() if d.dirty} if (same and message.keep_drafts) else {}
        self.department = department
        self.context.department_id = department.id
        self.drafts = {}
        self._money_keys = {}
        for project in department.projects:
            if project.id is None:
                continue
            self.drafts[project.id] = kept.get(project.id) or ProjectDraft(project)
        # Findings come with DepartmentChecked; until then the list shows … for each project.
        self.findings = {}
        self._loading = False
        self.call_after_refresh(self._painted.set)
        for pid in kept:
            if pid in self.drafts:
                self._check(pid)
        if self.current_id not in self.drafts or not same:
            self.current_id = None
        self._refresh_list()
        projects = self.query_one("#projects", ProjectList)
        if self.current_id is None:
            self.current_id = project_id_of(projects.highlighted_option_id())
        self._refresh_project()
        if self.current_id is not None:
            self._check(self.current_id)
        if self._pending_jump is not None:
            jump, self._pending_jump = self._pending_jump, None
            self.jump_to(jump)
        elif not same:
            projects.focus()

    @on(DepartmentChecked)
    def _department_checked(self, message: DepartmentChecked) -> None:
        if self.department is None or message.load != self._loads or message.department_id != self.department.id:
            return  # a check of a department no longer shown
        changed = False
        for pid, found in message.findings.items():
            # A project already rechecked on its own (shown or edited since) keeps that newer result.
            if pid in self.drafts and pid not in self.findings and not self.drafts[pid].dirty:
                self.findings[pid] = found
                changed = True
        if changed:
            self._refresh_list()
            if self.current_id is not None and self.current_id in message.findings:
                self._refresh_findings()
        if not self._settled:
            self._settled = True
            self.call_after_refresh(_spare_from_collection)

    # -- checking -------------------------------------------------------------------------------

    def _check(self, project_id: int, *, inline: bool = False) -> None:
        """Recheck one project: in a worker, or (``inline``, after an edit) at once when the checks
        have proved fast here, so that the edit and its findings reach the screen in one redraw.

        An inline check only updates ``self.findings``; the caller redraws.
        """
        if self.department is None or project_id not in self.drafts:
            return
        draft = self.drafts[project_id]
        self._generation[project_id] += 1
        if inline and self._inline_checks and "perfgoals.checks" in sys.modules:
            # No copies needed: nothing else touches the drafts while this runs on the UI thread.
            live = self.department.model_copy(update={"projects": self._projects()})
            started = time.perf_counter()
            try:
                findings = check_project(live, draft.project, previous_line=draft.saved.budget_line_code)
            except Exception as exc:  # a failing rule must not take the editor down
                self.notify(f"检查出错：{exc}", title="检查失败", severity="error", timeout=10)
                findings = []
            if time.perf_counter() - started > INLINE_CHECK_LIMIT:
                self._inline_checks = False  # too slow to run between keystrokes: use workers
            self._checked_generation[project_id] = self._generation[project_id]
            self.findings[project_id] = findings
            return
        department = self._department_with_drafts()
        project = draft.project.model_copy(deep=True)
        # The line the saved version is charged to: a project moved to another line breaks both.
        previous_line = draft.saved.budget_line_code
        generation = self._generation[project_id]
        # Say "checking" only if the check is slow to come back: a flicker on every edit costs a redraw.
        self.set_timer(0.3, lambda: self._still_checking(project_id, generation))

        def run() -> None:
            try:
                findings = check_project(department, project, previous_line=previous_line)
            except Exception as exc:  # a failing rule must not take the editor down
                self.post_message(Failed("检查", f"检查出错：{exc}"))
                findings = []
            self.post_message(Checked(project_id, generation, findings))

        # A closure rather than @work: the decorator would format the whole department into the
        # worker's description on every edit.
        self.run_worker(run, thread=True, group="check", description="检查项目")

    def _recheck_line_mates(self, project_id: int) -> None:
        """After a project's line or amount changed: recheck (in workers) the other projects of the
        line it left and of the line it joined, whose reconciliation changed with it, so that their
        entries in the list say so too."""
        draft = self.drafts.get(project_id)
        if draft is None:
            return
        project = draft.project
        key = (project.budget_line_code, project.budget_amount, project.amount_unit)
        saved = draft.saved
        before = self._money_keys.get(project_id, (saved.budget_line_code, saved.budget_amount, saved.amount_unit))
        self._money_keys[project_id] = key
        if before == key:
            return
        lines = {code for code in (before[0], key[0]) if code}
        mates = [
            pid for pid, other in self.drafts.items() if pid != project_id and other.project.budget_line_code in lines
        ]
        for pid in mates[:LINE_MATES_LIMIT]:
            self._check(pid)

    def _still_checking(self, project_id: int, generation: int) -> None:
        if project_id == self.current_id and self._generation[project_id] == generation and (
            self._checked_generation.get(project_id) != generation
        ):
            self.query_one("#findings", FindingsPanel).show(None)

    @on(Checked)
    def _checked(self, message: Checked) -> None:
        if message.generation != self._generation[message.project_id]:
            return  # an older check, overtaken by a later edit
        self._checked_generation[message.project_id] = message.generation
        before = self.findings.get(message.project_id)
        self.findings[message.project_id] = message.findings
        if message.project_id == self.current_id:
            self._refresh_findings()
        if before is None or counts_of(before) != counts_of(message.findings):
            self._refresh_item(message.project_id)

    # -- choosing a project ---------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#projects")
    def _project_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        project_id = project_id_of(event.option.id)
        if project_id is not None and project_id != self.current_id:
            self.current_id = project_id
            self.grid.clear_selection()
            self._refresh_project()
            self.grid.go_to(0, "level1")
            self._check(project_id)

    @on(OptionList.OptionSelected, "#projects")
    def _project_selected(self, event: OptionList.OptionSelected) -> None:
        self.grid.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._refresh_list()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.query_one("#projects", ProjectList).focus()

    def action_focus_filter(self) -> None:
        sidebar = self.query_one("#sidebar")
        sidebar.display = True
        self.query_one("#filter", Input).focus()

    def action_toggle_sidebar(self) -> None:
        # In a narrow terminal the grid can have the whole width.
        sidebar = self.query_one("#sidebar")
        sidebar.display = not sidebar.display
        if not sidebar.display and self.focused is not None and sidebar in self.focused.ancestors:
            self.grid.focus()

    def select_project(self, project_id: int) -> None:
        projects = self.query_one("#projects", ProjectList)
        option_id = f"project-{project_id}"
        if not projects.find(option_id):
            self.query_one("#filter", Input).value = ""
            self._refresh_list()
        if projects.find(option_id):
            projects.highlighted = projects.get_option_index(option_id)
        if self.current_id != project_id:
            self.current_id = project_id
            self._refresh_project()

    def jump_to(self, target: JumpTarget) -> None:
        """Go to a project and, if given, one of its cells (from the findings or reconciliation screens)."""
        if target.project_id not in self.drafts:
            self.notify("找不到该项目（可能已被删除）", severity="warning")
            return
        self.select_project(target.project_id)
        if target.row is not None:
            self.grid.go_to(target.row - 1, target.field)
            self.grid.focus()
        elif target.field in GOAL_TEXT_FIELDS:
            self.action_edit_goal(target.field)
        elif target.field is not None and target.field not in ALL_GRID_FIELDS:
            self.action_edit_project()
        else:
            self.grid.focus()

    @on(FindingsPanel.Chosen)
    def _finding_chosen(self, message: FindingsPanel.Chosen) -> None:
        location = message.finding.location
        if self.current_id is not None:
            self.jump_to(JumpTarget(self.current_id, location.row, location.field))

    # -- editing cells ----------------------------------------------------------------------------

    @on(DataTable.CellSelected, "#grid")
    def _cell_selected(self) -> None:
        self.action_edit_cell()

    def _suggestions(self) -> list[str]:
        """三级 names used anywhere in the department, most used first."""
        used = Counter(
            i.level3.strip() for p in self._projects() for i in p.goal.indicators if i.level3.strip()
        )
        return [name for name, _ in used.most_common()]

    def _choices(self, row: int, field: str) -> list[Choice] | None:
        from perfgoals.tui.widgets.cell_editor import Choice

        framework = self.framework
        draft = self.draft
        if framework is None or draft is None or field not in ("level1", "level2"):
            return None
        if field == "level1":
            return [Choice(name, (("level1", name),)) for name in framework.level1_names()]
        level1 = draft.cell(row, "level1")
        names = framework.level2_names(level1)
        if names:
            return [Choice(name, (("level2", name),)) for name in names]
        # The 一级 is missing or unknown: offer every valid pair, setting both.
        return [Choice(f"{l1} › {l2}", (("level1", l1), ("level2", l2))) for l1, l2 in framework.pairs()]

    def action_edit_cell(self, initial: str | None = None) -> None:
        draft = self.draft
        if draft is None or self._editor is not None:
            return
        if not draft.indicators:
            self.action_insert_row()
            return
        grid = self.grid
        row, field = grid.current_row, grid.current_field
        self.grid.clear_selection()
        from perfgoals.tui.widgets.cell_editor import CellEditor

        editor = CellEditor(
            row=row,
            field=field,
            text=draft.cell(row, field) if initial is None else initial,
            title=f"第 {row + 1} 行 {GRID_LABELS[field]}",
            choices=self._choices(row, field),
            suggestions=self._suggestions() if field == "level3" else None,
            unit=draft.indicators[row].unit if row < len(draft.indicators) else None,
        )
        region = grid.cell_screen_region()
        width = max(region.width + 2, 36)
        width = min(width, self.size.width)
        x = max(0, min(region.x - 1, self.size.width - width))
        height = 16 if editor.field in ("level1", "level2") else 4
        y = region.y - 1
        if y + height > self.size.height - 1:
            y = max(0, self.size.height - 1 - height)
        editor.styles.width = width
        editor.styles.offset = (x, max(0, y))
        self._editor = editor
        self.query_one(QuietFooter).frozen = True
        # The grid keeps its focused look under the editor, so that neither the focus leaving it
        # now nor coming back on Enter or Escape restyles it and re-renders every visible cell.
        grid.keep_focused_look()
        # Mounted first among the screen's children, not last: the compositor numbers the painting
        # order of the screen's children from the last one, so an editor mounted last would shift
        # every other widget's order, and mounting or removing it would repaint the whole screen.
        self.mount(editor, before=0)

    async def _close_editor(self) -> None:
        editor, self._editor = self._editor, None
        focused = self.focused
        # Back to the grid, unless the user left the editor by clicking elsewhere.
        back_to_grid = focused is None or editor is None or editor in focused.ancestors_with_self
        self._leave_editor(back_to_grid)
        if editor is not None:
            await editor.remove()

    def _leave_editor(self, back_to_grid: bool) -> None:
        """Hand the focus back to the grid (or let the grid look unfocused) before the editor goes."""
        if back_to_grid:
            # Focused now rather than after the removal: removing the focused editor would first
            # pass the focus on to the next widget in the chain, restyling and redrawing it twice.
            self.set_focus(self.grid, scroll_visible=False)
        else:
            self.grid.drop_focused_look()
        self._thaw_footer()

    def _thaw_footer(self) -> None:
        self.query_one(QuietFooter).frozen = False
        # With the grid focused again the keys are those from before the editor opened: nothing is rebuilt.
        self.bindings_updated_signal.publish(self)

    def _commit_open_editor(self) -> None:
        """Saving with a cell editor open keeps what was typed in it, as leaving the cell would."""
        editor, draft = self._editor, self.draft
        if editor is None or draft is None:
            return
        typed = editor.typed_text()
        editor.mark_finished()
        self._editor = None
        if typed is not None and draft.set_cells(editor.row, {editor.field: typed}):
            self._changed((editor.row, editor.field))
        self._leave_editor(back_to_grid=True)
        editor.remove()

    # Handlers by name rather than @on(CellEditor.…): the editor module is imported on first edit.
    async def on_cell_editor_cancelled(self) -> None:
        await self._close_editor()

    async def on_cell_editor_committed(self, message: CellEditor.Committed) -> None:
        draft = self.draft
        field = self._editor.field if self._editor is not None else next(iter(message.changes))
        # The edit and its findings first, then the editor's removal: all reach the screen in one redraw.
        if draft is not None and draft.set_cells(message.row, message.changes):
            self._changed((message.row, field))
        await self._close_editor()
        if draft is None:
            return
        framework = self.framework
        # After a new 一级 that the 二级 does not belong under, go straight on to choose the 二级.
        if (
            field == "level1"
            and framework is not None
            and draft.cell(message.row, "level2")
            and not framework.is_valid_pair(
                draft.cell(message.row, "level1"), draft.cell(message.row, "level2")
            )
        ):
            self.grid.go_to(message.row, "level2")
            self.action_edit_cell()

    # -- rows -----------------------------------------------------------------------------------

    def _rows(self) -> tuple[int, int]:
        selection = self.grid.selection
        return selection.top, selection.bottom

    def action_insert_row(self) -> None:
        draft = self.draft
        if draft is None:
            return
        at = self.grid.current_row + 1 if draft.indicators else 0
        at = draft.insert_row(at)
        self._changed((at, "level3"))

    def action_duplicate_row(self) -> None:
        draft = self.draft
        if draft is None or not draft.indicators:
            return
        first, last = self._rows()
        at = draft.duplicate_rows(first, last)
        self._changed((at, self.grid.current_field))

    def action_delete_rows(self) -> None:
        draft = self.draft
        if draft is None or not draft.indicators:
            return
        first, last = self._rows()
        field = self.grid.current_field
        if draft.delete_rows(first, last):
            self.grid.clear_selection()
            self._changed((min(first, max(len(draft.indicators) - 1, 0)), field))
            self.notify(f"已删除 {last - first + 1} 行（ctrl+z 撤销）", timeout=3)

    def action_move_rows(self, delta: int) -> None:
        draft = self.draft
        if draft is None or not draft.indicators:
            return
        first, last = self._rows()
        had_range = self.grid.has_range
        selection = self.grid.selection
        at = draft.move_rows(first, last, delta)
        if at == first:
            return
        self._changed((at + (last - first), self.grid.current_field))
        if had_range:
            shift = at - first
            self.grid.select_range(
                CellRange(selection.top + shift, selection.left, selection.bottom + shift, selection.right)
            )

    def action_clear_cells(self) -> None:
        draft = self.draft
        if draft is None or not draft.indicators:
            return
        if draft.clear_range(self.grid.selection):
            self._changed(None)

    def action_clear_selection(self) -> None:
        self.grid.clear_selection()

    # -- clipboard -----------------------------------------------------------------------------

    def action_copy(self) -> None:
        draft = self.draft
        if draft is None or not draft.indicators:
            return
        selection = self.grid.selection
        self.clipboard = draft.copy(selection)
        self.app.copy_to_clipboard(self.clipboard)
        cells = selection.rows * selection.columns
        self.notify(f"已复制 {cells} 个单元格（可直接粘贴到 Excel）", timeout=3)

    def action_cut(self) -> None:
        self.action_copy()
        self.action_clear_cells()

    def action_paste(self, text: str | None = None) -> None:
        draft = self.draft
        if draft is None:
            return
        text = self.clipboard if text is None else text
        if not text:
            self.notify("剪贴板为空（从 Excel 粘贴请用终端的粘贴键，如 ctrl+shift+v）", severity="warning")
            return
        selection = self.grid.selection if self.grid.has_range else None
        row = self.grid.current_row if draft.indicators else 0
        column = self.grid.cursor_coordinate.column if draft.indicators else 0
        if selection is not None:
            row, column = selection.top, selection.left
        fields = draft.fields
        area = draft.paste(row, column, text, selection=selection)
        if area is None:
            return
        self._changed((area.top, fields[area.left]))
        if area.rows * area.columns > 1:
            self.grid.select_range(area)

    def on_key(self, event: events.Key) -> None:
        # Typing on a cell starts editing it with what was typed, as in a spreadsheet.
        if self.focused is self.grid and event.is_printable and event.character and self.draft is not None:
            event.stop()
            event.prevent_default()
            field = self.grid.current_field
            self.action_edit_cell(initial=None if field in ("level1", "level2") else event.character)

    def on_paste(self, event: events.Paste) -> None:
        # The terminal's own paste (bracketed paste) arrives as text: paste it into the grid.
        if self.focused is self.grid:
            event.stop()
            self.action_paste(event.text)

    # -- undo -----------------------------------------------------------------------------------

    def action_undo(self) -> None:
        draft = self.draft
        step = draft.undo() if draft else None
        if step is None:
            self.notify("没有可撤销的修改", timeout=2)
            return
        self.grid.clear_selection()
        self._changed((step.place.row, step.place.field), regroup=step.place.row is None)
        self.notify(f"已撤销：{step.label}", timeout=2)

    def action_redo(self) -> None:
        draft = self.draft
        step = draft.redo() if draft else None
        if step is None:
            self.notify("没有可重做的修改", timeout=2)
            return
        self._changed((step.place.row, step.place.field), regroup=step.place.row is None)
        self.notify(f"已重做：{step.label}", timeout=2)

    # -- project fields ---------------------------------------------------------------------------

    def action_edit_project(self) -> None:
        draft = self.draft
        if draft is None or self.department is None:
            return
        department = self.department.model_copy(update={"projects": self._projects()})

        def done(changes: dict[str, Any] | None) -> None:
            if changes and draft.set_fields(changes):
                self._changed(None, regroup=True)

        self.app.push_screen(_dialogs().ProjectFieldsDialog(department, draft.project), done)

    def action_edit_goal(self, field: str = "goal_text") -> None:
        """Edit the 绩效目标 and 实施期目标 together; ``field`` is the one the cursor starts in."""
        draft = self.draft
        if draft is None:
            return
        goal = draft.project.goal

        def done(texts: dict[str, str] | None) -> None:
            if not texts:
                return
            label = "修改实施期目标" if texts["goal_text"] == goal.goal_text else "修改绩效目标"
            if draft.set_fields(texts, label=label):
                self._changed(None)

        self.app.push_screen(
            _dialogs().GoalDialog(draft.project.name, goal.goal_text, goal.mid_term_goal_text, focus=field),
            done,
        )

    # -- adding and deleting projects -----------------------------------------------------------

    def action_new_project(self) -> None:
        if self.department is None:
            return
        taken = {p.name for p in self._projects()}

        def named(name: str | None) -> None:
            if name and self.department is not None and self.department.id is not None:
                self._add_project_worker(self.department.id, name)

        self.app.push_screen(_dialogs().NameDialog("新建项目", taken), named)

    @work(thread=True, group="write")
    def _add_project_worker(self, department_id: int, name: str) -> None:
        try:
            with _sessions().write_session(self.context.engine) as session:
                project = _repo().add_project(
                    session, department_id=department_id, project=_models().Project(name=name), user=self.context.user
                )
        except PerfgoalsError as exc:
            self.post_message(Failed("新建项目", str(exc)))
            return
        self.post_message(ProjectAdded(project))

    @on(ProjectAdded)
    def _project_added(self, message: ProjectAdded) -> None:
        if self.department is None or message.project.id is None:
            return
        self.department.projects.append(message.project)
        self.drafts[message.project.id] = ProjectDraft(message.project)
        self.findings[message.project.id] = []
        self._refresh_list()
        self.select_project(message.project.id)
        self._check(message.project.id)
        self.notify(f"已新建项目“{message.project.name}”，按 F3 填写项目信息，ctrl+n 添加指标行")

    def action_delete_project(self) -> None:
        draft = self.draft
        if draft is None or draft.id is None:
            return
        project_id, name = draft.id, draft.project.name
        rows = len(draft.indicators)

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete_project_worker(project_id, name)

        self.app.push_screen(
            _dialogs().ConfirmDialog(
                f"删除项目“{name}”及其 {rows} 行绩效指标？\n删除后不能撤销（修改历史中保留记录）。",
                yes="删除",
                danger=True,
            ),
            answered,
        )

    @work(thread=True, group="write")
    def _delete_project_worker(self, project_id: int, name: str) -> None:
        try:
            with _sessions().write_session(self.context.engine) as session:
                _repo().delete_project(session, project_id=project_id, user=self.context.user)
        except PerfgoalsError as exc:
            self.post_message(Failed("删除项目", str(exc)))
            return
        self.post_message(ProjectDeleted(project_id, name))

    @on(ProjectDeleted)
    def _project_deleted(self, message: ProjectDeleted) -> None:
        if self.department is None:
            return
        self.department.projects = [p for p in self.department.projects if p.id != message.project_id]
        self.drafts.pop(message.project_id, None)
        self.findings.pop(message.project_id, None)
        if self.current_id == message.project_id:
            self.current_id = None
        self._refresh_list()
        self.current_id = project_id_of(self.query_one("#projects", ProjectList).highlighted_option_id())
        self._refresh_project()
        self.notify(f"已删除项目“{message.name}”")

    # -- saving ---------------------------------------------------------------------------------

    def action_save(self, then: Callable[[], None] | None = None) -> None:
        self._commit_open_editor()
        dirty = self.dirty_drafts()
        if not dirty:
            self.notify("没有需要保存的修改", timeout=2)
            if then is not None:
                then()
            return
        self._after_save = then
        items = [(d.id, d.project.model_copy(deep=True), d.revision) for d in dirty if d.id is not None]
        self._saving += 1
        self._refresh_title()
        self._save_worker(items)

    @work(thread=True, group="write")
    def _save_worker(self, items: list[tuple[int, Project, int]]) -> None:
        saved = failed = 0
        for project_id, project, expected in items:
            try:
                with _sessions().write_session(self.context.engine) as session:
                    result = _repo().save_project(
                        session, project=project, expected_revision=expected, user=self.context.user
                    )
            except _repo().RevisionConflict as exc:
                failed += 1
                self.post_message(SaveConflict(project_id, exc.current, str(exc)))
                continue
            except PerfgoalsError as exc:
                failed += 1
                self.post_message(Failed("保存", f"“{project.name}”：{exc}"))
                continue
            except Exception as exc:  # keep the edits: an unexpected error must not end the app
                failed += 1
                self.post_message(Failed("保存", f"“{project.name}”：意外错误 {exc!r}，修改仍保留在界面中"))
                continue
            saved += 1
            self.post_message(Saved(project_id, result))
        self.post_message(SaveFinished(saved, failed))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        draft = self.drafts.get(message.project_id)
        if draft is not None:
            draft.mark_saved(message.project)
        if self.department is not None:
            self.department.projects = [
                message.project if p.id == message.project_id else p for p in self.department.projects
            ]
        if message.project_id == self.current_id:
            self._refresh_project()
        self._refresh_item(message.project_id)
        self._refresh_title()

    @on(SaveFinished)
    def _save_finished(self, message: SaveFinished) -> None:
        self._saving = max(0, self._saving - 1)
        self._refresh_title()
        then, self._after_save = self._after_save, None
        if message.failed:
            return
        self.notify(f"已保存 {message.saved} 个项目", timeout=3)
        if then is not None:
            then()

    @on(SaveConflict)
    def _save_conflict(self, message: SaveConflict) -> None:
        self._conflicts.append(message)
        self._next_conflict()

    def _next_conflict(self) -> None:
        if self._conflict_open or not self._conflicts:
            return
        conflict = self._conflicts.pop(0)
        draft = self.drafts.get(conflict.project_id)
        if draft is None:
            self._next_conflict()
            return
        self._conflict_open = True

        def decided(choice: str | None) -> None:
            self._conflict_open = False
            if choice == "mine":
                project = draft.project.model_copy(deep=True)
                self._saving += 1
                self._save_worker([(conflict.project_id, project, conflict.current.goal.revision)])
            elif choice == "theirs":
                draft.replace(conflict.current)
                if conflict.project_id == self.current_id:
                    self._changed(None, regroup=True)
                else:
                    self._refresh_list()
                    self._check(conflict.project_id)
                self.notify("已采用已保存的版本（ctrl+z 可找回你的修改）", timeout=5)
            else:
                self.notify("修改未保存；再按 ctrl+s 时会再次提示冲突", severity="warning", timeout=5)
            self._next_conflict()

        self.app.push_screen(_dialogs().ConflictDialog(draft.project, conflict.current, conflict.message), decided)

    # -- leaving --------------------------------------------------------------------------------

    def confirm_leave(self, leaving: str, proceed: Callable[[], None]) -> None:
        """Run ``proceed`` now, or after asking what to do with unsaved edits."""
        dirty = self.dirty_drafts()
        if not dirty:
            proceed()
            return

        def answered(choice: str | None) -> None:
            if choice == "save":
                self.action_save(then=proceed)
            elif choice == "discard":
                for draft in dirty:
                    draft.replace(draft.saved)
                proceed()

        self.app.push_screen(_dialogs().UnsavedDialog([d.project.name for d in dirty], leaving), answered)

    # -- other screens ----------------------------------------------------------------------------

    def action_other(self, name: str) -> None:
        module_name, class_name = OTHER_SCREENS[name]
        full = f"perfgoals.tui.screens.{module_name}"
        try:
            module = importlib.import_module(full)
        except ModuleNotFoundError as exc:
            if exc.name != full:
                raise
            module = None
        screen_class = getattr(module, class_name, None)
        if screen_class is None:
            self.notify("尚未提供", title=class_name, severity="warning")
            return
        self.app.push_screen(screen_class(self.context), lambda result: self._returned(name, result))

    def _returned(self, name: str, result: object) -> None:
        if name == "departments":
            if isinstance(result, int) and (self.department is None or result != self.department.id):
                self.confirm_leave("切换部门", lambda: self._load(result))
            else:
                self._load(self.department.id if self.department else None, keep_drafts=True)
            return
        if isinstance(result, JumpTarget):
            self._pending_jump = result
        if name in ("budget_lines", "findings", "reconciliation"):
            # Those screens may have changed lines or acceptances: reload, keeping unsaved edits.
            self._load(self.department.id if self.department else None, keep_drafts=True)
        elif self._pending_jump is not None:
            jump, self._pending_jump = self._pending_jump, None
            self.jump_to(jump)
