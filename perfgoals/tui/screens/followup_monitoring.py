"""绩效监控 (ctrl+g): a project's monitoring as of a date, entered beside its indicator rows.

Per row: 1–N月执行情况, 全年预计完成, 偏差原因 (the standard categories, several may apply), 原因说明,
完成可能性, 备注.  Per project (``p``): the as-of date, 1–N月执行数 and 全年预计执行数 with their unit.
Every change goes through :func:`perfgoals.monitoring.entry.apply_monitoring` (what ``perfgoals
monitor`` does), and every derived figure — 执行率 against the year's budget, 序时进度, the rows off
course — is :func:`perfgoals.monitoring.read_monitoring`'s.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from perfgoals.models import DeviationCause, IndicatorProgress, Likelihood, Project
from perfgoals.monitoring import percent, read_monitoring
from perfgoals.monitoring.entry import MonitoringInputError, RowChange, apply_monitoring
from perfgoals.reading.money import format_money
from perfgoals.tui.screens.followup import FollowupScreen
from perfgoals.tui.screens.followup_dialogs import (
    CausesPrompt,
    ChoicePrompt,
    FieldPrompt,
    MonitoringFigures,
    MonitoringFiguresValue,
)

if TYPE_CHECKING:
    from perfgoals.monitoring import MonitoringReading

#: Monitoring usually stands at the end of July.
DEFAULT_MONTH, DEFAULT_DAY = 7, 31

_COLUMNS: list[tuple[str, str, int]] = [
    ("progress", "1–N月执行情况", 14),
    ("expected", "全年预计完成", 12),
    ("causes", "偏差原因", 10),
    ("reason", "原因说明", 16),
    ("likelihood", "完成可能性", 10),
    ("remark", "备注", 10),
]
_TEXT_FIELDS = {"progress", "expected", "reason", "remark"}


class MonitoringScreen(FollowupScreen):
    """绩效监控 of one project."""

    WHAT = "绩效监控"
    HELP_NAME = "绩效监控"
    TITLE = "绩效监控"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "figures", "截止日期与执行数", id="followup.monitoring_figures"),
        Binding("g", "achieved", "实际完成情况", id="followup.monitoring_achieved"),
    ]

    working: Project | None = None

    def entered_columns(self) -> list[tuple[str, str, int]]:
        months = self._months()
        return [
            (key, f"{months}执行情况" if key == "progress" else header, width)
            for key, header, width in _COLUMNS
        ]

    def start(self, project: Project) -> None:
        self.working = project

    def current(self) -> Project:
        assert self.working is not None
        return self.working

    def reading(self) -> MonitoringReading | None:
        if self.working is None:
            return None
        return read_monitoring(self.working, self.year, self.framework)

    def _months(self) -> str:
        reading = self.reading()
        return reading.months if reading is not None else "1–N月"

    def _entry(self, row: int) -> IndicatorProgress | None:
        monitoring = self.working.monitoring if self.working is not None else None
        if monitoring is None:
            return None
        return next((entry for entry in monitoring.rows if entry.row == row), None)

    def entered_text(self, row: int, key: str) -> str | Text:
        entry = self._entry(row)
        if entry is None:
            return ""
        if key == "causes":
            return "、".join(cause.value for cause in entry.causes)
        if key == "likelihood":
            return entry.likelihood.value if entry.likelihood else ""
        text: str = getattr(entry, key)
        if key in ("progress", "expected"):
            reading = self.reading()
            progress = reading.row_for(row) if reading is not None else None
            if progress is not None and progress.off_by_figures and key == "expected":
                return Text.assemble(("⚠ ", "bold yellow"), text)
        return text

    # -- the heading ------------------------------------------------------------------------------

    def summary(self) -> str:
        name = self.base.name if self.base else ""
        reading = self.reading()
        lines = [f"{name} · 年度预算 {self.budget_text()}"]
        if reading is None:
            lines.append("尚未填写监控：按 p 填写截止日期与执行数，或在行上按 Enter 填写执行情况")
            return "\n".join(lines)
        monitoring = reading.monitoring
        executed = (
            format_money(monitoring.executed, monitoring.unit) if monitoring.executed is not None else "未填"
        )
        expected = (
            format_money(monitoring.expected_executed, monitoring.unit)
            if monitoring.expected_executed is not None
            else "未填"
        )
        lines.append(
            f"截至 {monitoring.as_of.isoformat()}：{reading.months}执行 {executed}，执行率 {percent(reading.rate)}"
            f"（序时进度 {percent(reading.elapsed)}）；全年预计 {expected}（{percent(reading.expected_rate)}）"
        )
        notes = [pace.value for pace in reading.pace]
        if reading.executed_over_budget:
            notes.append("执行数超过年度预算")
        off = reading.off_course
        if off:
            notes.append(f"{len(off)} 个指标偏离目标（⚠）")
        if notes:
            lines.append("；".join(notes))
        if monitoring.achieved.strip():
            lines.append(f"{reading.months}实际完成情况：{monitoring.achieved}")
        return "\n".join(lines)

    # -- editing ----------------------------------------------------------------------------------

    def _apply(self, **changes: object) -> bool:
        """Apply a change through the monitoring's entry rules; a refusal is shown, nothing changed."""
        assert self.working is not None
        project = self.working
        if project.monitoring is None and "as_of" not in changes:
            changes["as_of"] = date(self.year, DEFAULT_MONTH, DEFAULT_DAY)
        try:
            self.working = apply_monitoring(project, **changes)  # type: ignore[arg-type]
        except MonitoringInputError as exc:
            self.say(str(exc), error=True)
            return False
        self.changed()
        return True

    def edit(self, row: int, key: str) -> None:
        entry = self._entry(row)
        label = dict((k, h) for k, h, _w in self.entered_columns())[key]
        title = f"第 {row + 1} 行 {self.indicators[row].level3 or ''}：{label}"
        if key in _TEXT_FIELDS:
            hint = f"指标值：{self.indicators[row].value or '—'}；原样保存所填文字"

            def typed(text: str | None) -> None:
                if text is not None:
                    self._apply(rows=[_text_change(row, key, text)])

            self.app.push_screen(FieldPrompt(title, getattr(entry, key) if entry else "", hint=hint), typed)
        elif key == "causes":
            chosen = [cause.value for cause in entry.causes] if entry else []

            def ticked(causes: list[str] | None) -> None:
                if causes is not None:
                    self._apply(rows=[RowChange(row=row + 1, causes=[DeviationCause(c) for c in causes])])

            self.app.push_screen(CausesPrompt(title, [c.value for c in DeviationCause], chosen), ticked)
        elif key == "likelihood":
            current = entry.likelihood.value if entry and entry.likelihood else ""

            def picked(choice: str | None) -> None:
                if choice is not None:
                    likelihood = Likelihood(choice) if choice else None
                    self._apply(rows=[RowChange(row=row + 1, likelihood=likelihood, likelihood_given=True)])

            self.app.push_screen(ChoicePrompt(title, [item.value for item in Likelihood], current), picked)

    def clear(self, row: int, key: str) -> None:
        if self._entry(row) is None:
            return
        if key == "causes":
            change = RowChange(row=row + 1, causes=[])
        elif key == "likelihood":
            change = RowChange(row=row + 1, likelihood=None, likelihood_given=True)
        else:
            change = _text_change(row, key, "")
        self._apply(rows=[change])

    def action_figures(self) -> None:
        if self.working is None:
            return
        monitoring = self.working.monitoring
        unit = monitoring.unit if monitoring else (self.working.amount_unit or "万元")

        def amount_text(value: object) -> str:
            return "" if value is None else str(value)

        def answered(value: MonitoringFiguresValue | None) -> None:
            if value is not None:
                self._set_figures(value)

        self.app.push_screen(
            MonitoringFigures(
                as_of=monitoring.as_of if monitoring else date(self.year, DEFAULT_MONTH, DEFAULT_DAY),
                executed=amount_text(monitoring.executed if monitoring else None),
                expected=amount_text(monitoring.expected_executed if monitoring else None),
                unit=unit,
                budget=self.budget_text(),
            ),
            answered,
        )

    def action_achieved(self) -> None:
        """年度总体目标's 1–N月实际完成情况, kept as typed."""
        if self.working is None:
            return
        monitoring = self.working.monitoring

        def typed(text: str | None) -> None:
            if text is not None:
                self._apply(achieved=text)

        self.app.push_screen(
            FieldPrompt(
                f"年度总体目标 {self._months()}实际完成情况",
                monitoring.achieved if monitoring else "",
                hint=f"绩效目标：{self.working.goal.goal_text[:60]}",
            ),
            typed,
        )

    def _set_figures(self, value: MonitoringFiguresValue) -> None:
        """The date through the entry rules; the amounts as given (both in the unit chosen, a blank one
        cleared)."""
        if not self._apply(as_of=value.as_of):
            return
        assert self.working is not None and self.working.monitoring is not None
        figures = self.working.monitoring.model_copy(
            update={
                "executed": value.executed.amount if value.executed else None,
                "expected_executed": value.expected_executed.amount if value.expected_executed else None,
                "unit": value.unit,
            }
        )
        self.working = self.working.model_copy(update={"monitoring": figures})
        self.changed()


def _text_change(row: int, key: str, text: str) -> RowChange:
    """A change of one text field (``progress``, ``expected``, ``reason``, ``remark``) of 0-based ``row``."""
    change = RowChange(row=row + 1)
    setattr(change, key, text)
    return change
