"""绩效监控 and 绩效自评 of one project: what both screens share, and how the main screen opens them.

ctrl+g (``main.monitoring``) and ctrl+w (``main.evaluation``) open the screen for the project shown.
The screen reads the project as saved (:meth:`Store.load_project`), shows its indicator rows read-only
(一级 二级 三级 指标值; in a narrow terminal 三级 and 指标值 only, kept at the left while the rest
scrolls) beside the columns entered here, and saves with ctrl+s through the same save as the main
screen (:meth:`Store.save`, i.e. :func:`perfgoals.storage.merging.merge_and_save` over
:func:`perfgoals.storage.repository.save_project`): only the monitoring or the 自评 changes, so a
table locked for review still takes them, and a colleague's save meanwhile is merged in.

Enter on an entered column edits the cell (what is typed is kept exactly; a figure that cannot be
stored is refused with the reason), Delete clears it.  Every derived figure (执行率, 时间进度, scores,
总分, grade) comes from :mod:`perfgoals.monitoring` and :mod:`perfgoals.evaluation`, never from here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from perfgoals.reading.amounts import project_amount
from perfgoals.tui.screens._common import StatusLine, cell, failure_text
from perfgoals.tui.screens.dialogs import UnsavedDialog

if TYPE_CHECKING:
    from perfgoals.models import Indicator, Project
    from perfgoals.tui.screens.main import MainScreen
    from perfgoals.tui.services import SaveOutcome, Store

#: Below this width the read-only part shows 三级 and 指标值 only.
NARROW_WIDTH = 100


def open_followup(main: MainScreen, kind: str) -> None:
    """Open 绩效监控 (``kind`` ``monitoring``) or 绩效自评 (``evaluation``) for the project shown."""
    department = main.workspace.department
    project_id = main.workspace.current_id
    if department is None or project_id is None:
        main.notify("请先选择一个项目", severity="warning")
        return
    draft = main.workspace.drafts.get(project_id)
    if draft is not None and draft.dirty:
        main.notify("该项目有未保存的修改；这里显示的是已保存的指标行", severity="warning", timeout=6)

    def saved(project: Project) -> None:
        if project.id is not None:
            main.colleague_changed(project.id, project, user=main.store.user)

    screen: FollowupScreen
    if kind == "monitoring":
        from perfgoals.tui.screens.followup_monitoring import MonitoringScreen

        screen = MonitoringScreen(
            main.store, project_id, year=department.year, framework=department.framework
        )
    else:
        from perfgoals.tui.screens.followup_evaluation import EvaluationScreen

        screen = EvaluationScreen(
            main.store, project_id, year=department.year, framework=department.framework
        )
    screen.on_saved = saved
    main.app.push_screen(screen)


class FollowupScreen(Screen[None]):
    """A project's indicator rows with columns entered beside them; subclasses say which."""

    #: What the screen is called in messages (监控 / 自评).
    WHAT = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "保存", id="followup.save", priority=True),
        Binding("delete", "clear_cell", "清空", id="followup.clear", show=False),
        Binding("f5", "reload", "重新读取", id="followup.reload", show=False),
        Binding("escape", "close", "返回", id="followup.close"),
    ]

    def __init__(self, store: Store, project_id: int, *, year: int, framework: str) -> None:
        super().__init__()
        self.store = store
        self.project_id = project_id
        self.year = year
        self.framework = framework
        #: The project as saved (the base of the next save); ``None`` until read.
        self.base: Project | None = None
        self.on_saved: Callable[[Project], None] | None = None
        self._saving = False

    # -- what subclasses provide ------------------------------------------------------------------

    def entered_columns(self) -> list[tuple[str, str, int]]:
        """The entered columns: (key, header, width)."""
        raise NotImplementedError

    def start(self, project: Project) -> None:
        """Take the project's monitoring or 自评 as the working copy."""
        raise NotImplementedError

    def current(self) -> Project:
        """The project with the working copy in place (what a save writes)."""
        raise NotImplementedError

    def entered_text(self, row: int, key: str) -> str | Text:
        raise NotImplementedError

    def edit(self, row: int, key: str) -> None:
        """Edit one entered cell (a dialog whose answer ends in :meth:`changed`)."""
        raise NotImplementedError

    def clear(self, row: int, key: str) -> None:
        raise NotImplementedError

    def summary(self) -> str:
        """The lines above the table: the project's figures and what is derived from them."""
        raise NotImplementedError

    def cursor_note(self, row: int, key: str) -> str:
        """More about the cell under the cursor (why a score could not be computed …)."""
        return ""

    def compose_extra(self) -> ComposeResult:
        """Widgets between the heading and the rows (the 自评's funds block)."""
        yield from ()

    # -- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="followup-heading", classes="screen-hint")
        yield from self.compose_extra()
        yield DataTable(id="followup-rows", cursor_type="cell", zebra_stripes=True)
        yield Static("", id="followup-detail", classes="screen-hint")
        yield StatusLine("正在读取……", id="followup-status")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def on_resize(self) -> None:
        if self.base is not None:
            self.render_rows()

    @property
    def rows_table(self) -> DataTable[Any]:
        return self.query_one("#followup-rows", DataTable)

    @property
    def indicators(self) -> list[Indicator]:
        return self.base.goal.indicators if self.base is not None else []

    @property
    def dirty(self) -> bool:
        if self.base is None:
            return False
        current = self.current()
        return (current.monitoring, current.evaluation) != (self.base.monitoring, self.base.evaluation)

    def say(self, text: str, *, error: bool = False, ok: bool = False) -> None:
        self.query_one("#followup-status", StatusLine).say(text, error=error, ok=ok)

    def budget_text(self) -> str:
        """The year's budget: the project's own amount, as every screen prints it."""
        if self.base is None:
            return "—"
        return project_amount(self.base).describe()

    # -- reading and drawing ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="followup-load")
    def load(self) -> None:
        try:
            project = self.store.load_project(self.project_id)
        except Exception as exc:  # shown, never raised out of the worker
            self.app.call_from_thread(self.say, failure_text(exc), error=True)
            return
        self.app.call_from_thread(self._loaded, project)

    def _loaded(self, project: Project) -> None:
        self.base = project
        self.start(project)
        self.sub_title = project.name
        self.render_all()
        if not project.goal.indicators:
            self.say("该项目还没有绩效指标：请先在主界面填写指标", error=True)
        else:
            self.say("Enter 编辑单元格，Delete 清空，ctrl+s 保存，Esc 返回")
        self.rows_table.focus()

    def render_all(self) -> None:
        self.query_one("#followup-heading", Static).update(self.summary())
        self.render_rows()
        self.render_extra()

    def render_extra(self) -> None:
        """Redraw what :meth:`compose_extra` added."""

    def _fixed_columns(self) -> list[tuple[str, str, int]]:
        if self.size.width < NARROW_WIDTH:
            return [("level3", "三级指标", 12), ("value", "指标值", 10)]
        return [
            ("level1", "一级指标", 8),
            ("level2", "二级指标", 10),
            ("level3", "三级指标", 16),
            ("value", "指标值", 12),
        ]

    def render_rows(self) -> None:
        table = self.rows_table
        cursor = table.cursor_coordinate
        fixed = self._fixed_columns()
        table.clear(columns=True)
        for key, header, width in [*fixed, *self.entered_columns()]:
            table.add_column(header, key=key, width=width)
        table.fixed_columns = len(fixed)
        for index, indicator in enumerate(self.indicators):
            cells: list[str | Text] = [cell(str(getattr(indicator, key) or "")) for key, _h, _w in fixed]
            cells += [self._shown(self.entered_text(index, key)) for key, _h, _w in self.entered_columns()]
            table.add_row(*cells, key=str(index))
        if self.indicators:
            row = min(cursor.row, len(self.indicators) - 1)
            column = max(cursor.column, len(fixed))
            table.move_cursor(row=row, column=min(column, len(table.columns) - 1))
        self._describe_cursor()

    @staticmethod
    def _shown(value: str | Text) -> Text:
        return value if isinstance(value, Text) else cell(value)

    def changed(self) -> None:
        """After an edit: redraw, and say that it is not saved yet."""
        self.render_all()
        self.say("已修改，ctrl+s 保存" if self.dirty else "与已保存的相同")

    def _cursor_cell(self) -> tuple[int, str] | None:
        table = self.rows_table
        if not self.indicators or not table.columns:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate)
        row = int(str(key.row_key.value))
        return row, str(key.column_key.value)

    @on(DataTable.CellHighlighted, "#followup-rows")
    def _highlighted(self) -> None:
        self._describe_cursor()

    def _describe_cursor(self) -> None:
        place = self._cursor_cell()
        text = ""
        if place is not None:
            row, key = place
            indicator = self.indicators[row]
            label = dict((k, h) for k, h, _w in self.entered_columns()).get(key)
            whole = self.entered_text(row, key) if label else ""
            plain = whole.plain if isinstance(whole, Text) else whole
            text = f"第 {row + 1} 行 {indicator.level3 or '（无三级）'}（指标值 {indicator.value or '—'}）"
            if label:
                text += f"\n{label}：{plain or '—'}"
            note = self.cursor_note(row, key)
            if note:
                text += f"\n{note}"
        self.query_one("#followup-detail", Static).update(text)

    @on(DataTable.CellSelected, "#followup-rows")
    def _selected(self) -> None:
        place = self._cursor_cell()
        if place is None or self.base is None:
            return
        row, key = place
        if key in {k for k, _h, _w in self.entered_columns()}:
            self.edit(row, key)
        else:
            self.say("这一列是绩效目标表的内容，在主界面修改", error=True)

    def action_clear_cell(self) -> None:
        place = self._cursor_cell()
        if place is not None and place[1] in {k for k, _h, _w in self.entered_columns()}:
            self.clear(*place)
            self.changed()

    # -- saving and leaving -----------------------------------------------------------------------

    def action_save(self) -> None:
        if self.base is None or self._saving:
            return
        if not self.dirty:
            self.say("没有要保存的修改")
            return
        self._saving = True
        self.say("正在保存……")
        self._save(self.base, self.current())

    @work(thread=True, exclusive=True, group="followup-save")
    def _save(self, base: Project, mine: Project) -> None:
        try:
            outcome = self.store.save(base, mine)
        except Exception as exc:
            self.app.call_from_thread(self._save_failed, failure_text(exc))
            return
        self.app.call_from_thread(self._saved, outcome)

    def _save_failed(self, text: str) -> None:
        self._saving = False
        self.say(f"保存失败：{text}", error=True)

    def _saved(self, outcome: SaveOutcome) -> None:
        from perfgoals.tui.services import ProjectGone, SaveConflict

        self._saving = False
        if isinstance(outcome, ProjectGone):
            self.say(f"未保存：{outcome.message}", error=True)
            return
        if isinstance(outcome, SaveConflict):
            self.say(
                f"未保存：他人同时修改了本项目的{self.WHAT}（第 {outcome.current.goal.revision} 版）。"
                "按 F5 读取他人的版本后再填写",
                error=True,
            )
            return
        kept = self.current()
        self.base = outcome.project
        # The saved version, with anything typed while the save ran still on top.
        self.start(
            self.base.model_copy(update={"monitoring": kept.monitoring, "evaluation": kept.evaluation})
        )
        self.render_all()
        merged = f"（合并了他人的 {outcome.taken} 处修改）" if outcome.taken else ""
        self.say(f"已保存为第 {self.base.goal.revision} 版{merged}", ok=True)
        if self.on_saved is not None:
            self.on_saved(self.base)

    def action_reload(self) -> None:
        def answered(choice: str | None) -> None:
            if choice == "discard":
                self.load()
            elif choice == "save":
                self.action_save()

        if self.dirty:
            self.app.push_screen(UnsavedDialog([self._what_name()], "重新读取"), answered)
        else:
            self.load()

    def action_close(self) -> None:
        def answered(choice: str | None) -> None:
            if choice == "discard":
                self.dismiss(None)
            elif choice == "save":
                self.action_save()

        if self.dirty:
            self.app.push_screen(UnsavedDialog([self._what_name()], "返回"), answered)
        else:
            self.dismiss(None)

    def _what_name(self) -> str:
        return f"{self.base.name if self.base else ''}的{self.WHAT}"
