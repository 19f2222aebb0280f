"""The main screen's crash journal: unsaved edits written to the recovery file after every change, and
offered back at the next start (:mod:`perfgoals.journal`).

- :meth:`CrashJournal.start`, before the first department is opened: a recovery file left by a crash
  is shown in :class:`~perfgoals.tui.screens.recovery.RecoveryDialog`.  恢复 opens the department-year
  of the drafts and puts each back as unsaved edits over the version it started from (a draft of a
  project deleted meanwhile is listed again, to be saved as new or restored); 放弃 removes the file;
  稍后 leaves it alone and this session journals nothing over it.
- :meth:`CrashJournal.changed`, a :attr:`Workspace.on_change` listener: after every change (once the
  frame showing it is painted, and at the latest when the screen goes) every dirty draft, as
  ``Draft(base=saved version, mine=edits)``, replaces the file atomically; none left removes it.
- Drafts of another department-year (recovered ones waiting for it to be opened, or a deleted
  project's edits left behind when switching) are kept in the file too, and put back when it opens.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from perfgoals.journal import Journal, RecoveredDraft, RecoveryUnreadable, load_recovery
from perfgoals.merge import Draft

if TYPE_CHECKING:
    from perfgoals.models import Department
    from perfgoals.tui.screens.main import MainScreen
    from perfgoals.tui.workspace import Workspace


class CrashJournal:
    """Keeps the recovery file in step with the workspace's unsaved drafts (see the module docstring)."""

    def __init__(self, screen: MainScreen, workspace: Workspace) -> None:
        self.screen = screen
        self.workspace = workspace
        self.journal: Journal | None = None
        #: Drafts of department-years not shown, kept in the file until their department opens.
        self.waiting: list[RecoveredDraft] = []
        self.failed = False
        self._pending = False

    def _open(self, *, read_only: bool = False) -> Journal:
        context = self.screen.context
        self.journal = Journal(context.database_url, context.user, read_only=read_only)
        if self.changed not in self.workspace.on_change:
            self.workspace.on_change.append(self.changed)
        return self.journal

    def start(self, proceed: Callable[[int | None], None]) -> None:
        """Offer what a crash left, then ``proceed`` with the department-year to open (``None``: the
        usual one)."""
        context = self.screen.context
        try:
            drafts = load_recovery(context.database_url, context.user)
        except RecoveryUnreadable as exc:
            self._open(read_only=True)  # never overwrite a file that may still hold edits
            self.screen.notify(str(exc), title="恢复文件", severity="error", timeout=15)
            proceed(None)
            return
        if not drafts:
            self._open()
            proceed(None)
            return
        from perfgoals.tui.screens.recovery import RecoveryChoice, RecoveryDialog

        def answered(choice: RecoveryChoice | None) -> None:
            if choice == RecoveryChoice.RESTORE:
                self._open()
                self.waiting = list(drafts)
                proceed(drafts[0].department_id)
            elif choice == RecoveryChoice.DISCARD:
                self._open().clear()
                proceed(None)
            else:
                self._open(read_only=True)
                self.screen.notify("未保存的修改留在恢复文件中，下次启动时再询问；本次的修改不记入恢复文件", timeout=8)
                proceed(None)

        self.screen.app.push_screen(RecoveryDialog(drafts), answered)

    def changed(self, _project_id: int | None = None) -> None:
        """After a change (the workspace's listener): journal it once the screen shows it, so that
        writing the file (fsynced) does not delay the frame showing the edit."""
        if self._pending:
            return
        self._pending = True
        self.screen.call_after_refresh(self.flush)

    def flush(self) -> None:
        """Write a change not journaled yet now (also when the screen goes)."""
        if self._pending:
            self._pending = False
            self.write()

    def write(self) -> None:
        """Journal every unsaved draft (the workspace's and those waiting for their department)."""
        journal = self.journal
        if journal is None or journal.read_only:
            return
        drafts, departments = self.workspace.unsaved()
        shown = set(departments)
        for waiting in self.waiting:
            if waiting.project_id not in shown:
                drafts.append(waiting.draft)
                departments[waiting.project_id] = (waiting.department_id, waiting.department_label)
        try:
            journal.write(drafts, departments=departments)
        except OSError as exc:
            if not self.failed:  # said once: the edits are still on screen
                self.failed = True
                self.screen.notify(f"无法写入恢复文件 {journal.path}：{exc}", title="恢复文件", severity="error", timeout=15)
            return
        self.failed = False

    def leaving(self, department: Department) -> None:
        """Another department-year is about to replace ``department``: its drafts still unsaved
        (a deleted project's) wait in the file for it to open again."""
        label = f"{department.code} {department.name}（{department.year} 年）"
        now = datetime.now(UTC)
        for draft in self.workspace.dirty_drafts():
            if draft.id is None or any(w.project_id == draft.id for w in self.waiting):
                continue
            self.waiting.append(
                RecoveredDraft(
                    project_id=draft.id,
                    department_id=department.id,
                    department_label=label,
                    base_revision=draft.revision,
                    draft=Draft(draft.saved, draft.project.model_copy(deep=True)),
                    written_at=now,
                )
            )

    def opened(self, department: Department) -> list[int]:
        """``department`` is shown: put back the drafts waiting for it; returns their projects."""
        mine = [w for w in self.waiting if w.department_id == department.id]
        if not mine:
            return []
        self.waiting = [w for w in self.waiting if w.department_id != department.id]
        listed = {p.id for p in department.projects}
        restored: list[int] = []
        for waiting in mine:
            if self.workspace.restore_draft(
                waiting.draft.base, waiting.draft.mine, deleted=waiting.project_id not in listed
            ):
                restored.append(waiting.project_id)
        self.write()
        others = len(self.waiting)
        message = f"已恢复 {len(restored)} 个项目的未保存修改，请检查后按 ctrl+s 保存"
        if others:
            message += f"；另有 {others} 个项目属于其他部门年度，打开该部门年度时恢复"
        self.screen.notify(message, title="恢复", timeout=10)
        return restored
