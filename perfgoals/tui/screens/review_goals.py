"""部门整体绩效目标 of a department-year, edited from the main screen (F11) or the departments screen (g).

The goals are read from the database when the dialog opens (not from a department loaded earlier),
and saved by :func:`perfgoals.storage.department_goals.save_department_goals` (recorded in the history),
both in workers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from perfgoals.errors import PerfgoalsError
from perfgoals.models import DepartmentGoals
from perfgoals.tui.screens.review_dialogs import DepartmentGoalsDialog
from perfgoals.tui.screens.review_store import ReviewStore


def edit_department_goals(
    screen: Screen[Any],
    store: ReviewStore,
    department_id: int,
    label: str,
    saved: Callable[[DepartmentGoals], None] | None = None,
) -> None:
    """Read the goals, show them in :class:`DepartmentGoalsDialog`, save what was typed; ``saved`` is
    called (on the UI thread) with the goals once they are stored."""

    def failed(what: str, exc: BaseException) -> None:
        screen.notify(f"{what}失败：{exc}", severity="error", timeout=10)

    def typed(goals: DepartmentGoals | None) -> None:
        if goals is None:
            return

        def write() -> None:
            try:
                changed = store.save_goals(department_id, goals)
            except PerfgoalsError as exc:
                screen.app.call_from_thread(failed, "保存部门整体绩效目标", exc)
                return
            screen.app.call_from_thread(done, goals, changed)

        screen.run_worker(write, thread=True, group="write", description="保存部门整体绩效目标")

    def done(goals: DepartmentGoals, changed: bool) -> None:
        screen.notify(f"已保存{label}的部门整体绩效目标" if changed else "部门整体绩效目标没有改动", timeout=4)
        if saved is not None:
            saved(goals)

    def show(goals: DepartmentGoals) -> None:
        screen.app.push_screen(DepartmentGoalsDialog(label, goals), typed)

    def read() -> None:
        try:
            goals = store.load_goals(department_id)
        except PerfgoalsError as exc:
            screen.app.call_from_thread(failed, "读取部门整体绩效目标", exc)
            return
        screen.app.call_from_thread(show, goals)

    screen.run_worker(read, thread=True, group="department-goals", description="读取部门整体绩效目标")
