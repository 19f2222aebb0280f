"""Opening a department-year on the main screen: the one asked for, else the one last used, else the
first; the sample offered on an empty database; the department's check run after it is shown."""

from __future__ import annotations

import gc
import threading
from typing import TYPE_CHECKING

from perfgoals.errors import PerfgoalsError
from perfgoals.tui.context import JumpTarget
from perfgoals.tui.screens.main_saving import dialogs
from perfgoals.tui.widgets.project_list import ProjectList, project_id_of
from perfgoals.tui.workspace import Workspace, findings_by_project

if TYPE_CHECKING:
    from perfgoals.checks.findings import Finding
    from perfgoals.models import Department
    from perfgoals.tui.screens.main import MainScreen
    from perfgoals.tui.services import Store


def _spare_from_collection() -> None:
    """Keep the cyclic garbage collector from walking, on every full collection, what starting up made.

    Textual, Rich, SQLAlchemy, the loaded department and its findings are ~140,000 objects that live
    as long as the app: each full collection walked them all again, a 60-100 ms pause that fell on
    whichever keystroke came then (now under 10 ms).  Frozen objects are still freed by reference
    counting; cycles among them wait for :meth:`MainScreen.on_unmount` to unfreeze them.
    """
    gc.freeze()


class Loader:
    """Loads department-years in a worker and puts them in the workspace (keeping unsaved drafts of
    the same department when reloading it)."""

    def __init__(self, screen: MainScreen, workspace: Workspace, store: Store) -> None:
        self.screen = screen
        self.workspace = workspace
        self.store = store
        self.loading = False
        self.loads = 0
        self.settled = False
        self.pending_jump: JumpTarget | None = None
        self._painted = threading.Event()

    def load(
        self,
        department_id: int | None,
        *,
        keep_drafts: bool = False,
        fallback: bool = False,
        key: tuple[str, int] | None = None,
    ) -> None:
        """Open a department-year in a worker: ``department_id``, else the one last used, else the first.

        ``fallback``: an id no longer in the database falls back like ``None``.  ``key`` (code,
        year): find the department-year by those first (one replaced by ``load`` has a new id).
        """
        self.loading = True
        self.loads += 1
        self._painted.clear()
        load, painted, screen = self.loads, self._painted, self.screen
        settings = screen.context.settings
        last = settings.last_opened(screen.context.database_url) if settings is not None else None

        def run() -> None:
            try:
                wanted = department_id
                if key is not None:
                    wanted = self.store.find_department(*key)
                    if wanted is None:
                        screen.call_later(self.vanished, key)
                        return
                if wanted is not None and fallback and wanted not in {k.id for k in self.store.list_departments()}:
                    wanted = None
                if wanted is None and last is not None:
                    wanted = self.store.find_department(last.code, last.year)
                if wanted is None:
                    wanted = self.store.first_department_id()
                if wanted is None:
                    screen.call_later(self.offer_sample)
                    return
                department = self.store.load_department(wanted)
            except PerfgoalsError as exc:
                screen.call_later(screen.failed, "打开部门", str(exc))
                return
            screen.call_later(self.loaded, department, keep_drafts)
            # The department is shown before it is checked: wait (briefly) for that first paint, so
            # that importing the checks and running them does not compete with it for the GIL.
            painted.wait(timeout=2.0)
            from perfgoals.checks import check_department

            # One pass over the department is far cheaper than one check per project; the shown
            # project is then rechecked on its own when selected.
            try:
                findings = findings_by_project(department, check_department(department))
            except Exception as exc:  # a failing rule must not keep the department from opening
                screen.call_later(screen.failed, "检查", f"检查出错：{exc}")
                findings = {}
            screen.call_later(self.checked, department.id, load, findings)

        screen.run_worker(run, thread=True, exclusive=True, group="load", description="打开部门")

    def offer_sample(self) -> None:
        screen = self.screen
        screen.app.sub_title = "数据库中还没有部门"

        def answered(load: bool | None) -> None:
            if load:
                self.load_sample()
            else:
                screen.notify("可按 F6 新建部门，或在命令行运行 perfgoals import 导入预算公开文件。", timeout=8)

        screen.app.push_screen(
            dialogs().ConfirmDialog(
                "数据库中还没有部门数据。\n要装入示例部门（张家口市科学技术协会 2022 年部门预算）吗？",
                yes="装入示例",
                no="暂不",
            ),
            answered,
        )

    def load_sample(self) -> None:
        screen, store = self.screen, self.store

        def run() -> None:
            try:
                department_id = store.load_sample()
            except PerfgoalsError as exc:
                screen.call_later(screen.failed, "装入示例", str(exc))
                return
            screen.call_later(self.load, department_id)

        screen.run_worker(run, thread=True, exclusive=True, group="load", description="装入示例")

    def vanished(self, key: tuple[str, int]) -> None:
        """The department-year shown was deleted by someone else: say so (unsaved edits stay)."""
        self.loading = False
        code, year = key
        self.screen.notify(
            f"部门 {code} 的 {year} 年度已被他人删除或替换；未保存的修改仍在界面中，可按 F6 选择其他部门",
            severity="warning",
            timeout=15,
        )

    def loaded(self, department: Department, keep_drafts: bool) -> None:
        screen, workspace = self.screen, self.workspace
        previous = workspace.department
        if previous is not None and previous.id != department.id:
            screen.journal.leaving(previous)
        same, kept = workspace.open(department, keep_drafts=keep_drafts)
        kept = [*kept, *screen.journal.opened(department)]
        screen.context.department_id = department.id
        settings = screen.context.settings
        if settings is not None:
            settings.remember(screen.context.database_url, department.code, department.year)
        self.loading = False
        screen.call_after_refresh(self._painted.set)
        for pid in kept:
            screen.checks.check(pid)
        screen.view.refresh_list()
        projects = screen.query_one("#projects", ProjectList)
        if workspace.current_id is None:
            workspace.current_id = project_id_of(projects.highlighted_option_id())
        screen.view.refresh_project()
        if workspace.current_id is not None:
            screen.checks.check(workspace.current_id)
        if self.pending_jump is not None:
            jump, self.pending_jump = self.pending_jump, None
            screen.jump_to(jump)
        elif not same:
            projects.focus()

    def checked(self, department_id: int | None, load: int, findings: dict[int, list[Finding]]) -> None:
        """The whole-department check, run after the department is on screen."""
        workspace, screen = self.workspace, self.screen
        if workspace.department is None or load != self.loads or department_id != workspace.department.id:
            return  # a check of a department no longer shown
        changed = False
        for pid, found in findings.items():
            # A project already rechecked on its own (shown or edited since) keeps that newer result.
            if pid in workspace.drafts and pid not in workspace.findings and not workspace.drafts[pid].dirty:
                workspace.findings[pid] = found
                changed = True
        if changed:
            screen.view.refresh_list()
            if workspace.current_id is not None and workspace.current_id in findings:
                screen.view.refresh_findings()
        if not self.settled:
            self.settled = True
            screen.call_after_refresh(_spare_from_collection)
            names = [project.name for project in workspace.projects()]

            def warm() -> None:
                # The filter and the palette match pinyin initials: load pypinyin's dictionary and
                # work the project names' initials out now, off the UI thread, not on a keystroke.
                from perfgoals.tui.search import initials

                for name in names:
                    initials(name)

            # A little later: the first seconds belong to the first screen (and to short test runs).
            screen.set_timer(
                3.0, lambda: screen.run_worker(warm, thread=True, group="warm", description="拼音首字母")
            )

    def returned(self, name: str, result: object) -> None:
        """Back from another screen (F6, F7, F9, ctrl+t, ctrl+e) with what it returned."""
        workspace, screen = self.workspace, self.screen
        current = workspace.department.id if workspace.department else None
        if name == "departments":
            if isinstance(result, int) and result != current:
                screen.confirm_leave("切换部门", lambda: self.load(result))
            else:
                self.load(current, keep_drafts=True)
            return
        if isinstance(result, JumpTarget):
            self.pending_jump = result
        if name in ("budget_lines", "findings", "reconciliation"):
            # Those screens may have changed lines or acceptances: reload, keeping unsaved edits.
            self.load(current, keep_drafts=True)
        elif self.pending_jump is not None:
            jump, self.pending_jump = self.pending_jump, None
            screen.jump_to(jump)
