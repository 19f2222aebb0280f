"""绩效监控 (ctrl+g) and 绩效自评 (ctrl+w) entered through Pilot on a real SQLite database, read back
from storage; the figures shown are those of perfgoals.monitoring and perfgoals.evaluation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from perfgoals.evaluation import evaluate
from perfgoals.models import DeviationCause, Likelihood, Project
from perfgoals.monitoring import percent, read_monitoring
from perfgoals.storage import repository as repo
from perfgoals.storage.db import read_session
from perfgoals.tui.screens.followup_dialogs import FieldPrompt, MonitoringFigures
from perfgoals.tui.screens.followup_evaluation import EvaluationScreen
from perfgoals.tui.screens.followup_monitoring import MonitoringScreen
from tests.test_tui_main import asynctest, main_screen, make_app, open_project, settle

SMALL = (80, 24)
LARGE = (120, 40)


@pytest.fixture
def engine(sample_file_engine: Engine) -> Engine:
    return sample_file_engine


def _stored(engine: Engine, project_id: int) -> Project:
    with read_session(engine) as session:
        return repo.load_project(session, project_id=project_id)


async def _go(pilot: Pilot[None], table_id: str, row: int, column: str) -> None:
    table = pilot.app.screen.query_one(table_id, DataTable)
    table.focus()
    table.move_cursor(row=row, column=table.get_column_index(column))
    await pilot.pause()


async def _type_into_cell(pilot: Pilot[None], table_id: str, row: int, column: str, text: str) -> None:
    await _go(pilot, table_id, row, column)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FieldPrompt)
    field = pilot.app.screen.query_one(Input)
    field.value = text
    await pilot.press("enter")
    await pilot.pause()


def _heading(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#followup-heading", Static).render())


@asynctest
async def test_monitoring_is_entered_saved_and_shown_with_its_derived_figures(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await open_project(pilot)
        project_id = main_screen(app).workspace.current_id
        assert project_id is not None
        await pilot.press("ctrl+g")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MonitoringScreen)
        assert "尚未填写监控" in _heading(pilot)

        # Row texts, kept exactly as typed (leading space and all).
        await _type_into_cell(pilot, "#followup-rows", 0, "progress", " 已开展2场")
        await _type_into_cell(pilot, "#followup-rows", 0, "expected", "预计全年8场")
        await _type_into_cell(pilot, "#followup-rows", 0, "reason", "疫情影响，活动推迟")
        # 偏差原因: tick 经费保障 and 其他.
        await _go(pilot, "#followup-rows", 0, "causes")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("space", "down", "down", "down", "down", "space", "enter")
        await pilot.pause()
        # 完成可能性: the second choice.
        await _go(pilot, "#followup-rows", 0, "likelihood")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()

        # The project's figures: a bad amount is refused with a reason, then a good one taken.
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, MonitoringFigures)
        dialog.query_one("#as-of", Input).value = "2022年7月31日"
        dialog.query_one("#executed", Input).value = "三百元整整"
        dialog.query_one("#executed", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and str(dialog.query_one("#figures-error", Static).render())
        dialog.query_one("#executed", Input).value = "3.5"
        dialog.query_one("#expected", Input).value = "72900元"
        dialog.query_one("#expected", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen, str(dialog.query_one("#figures-error", Static).render())

        await pilot.press("g")  # 年度总体目标's 1–7月实际完成情况, as typed
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, FieldPrompt)
        prompt.query_one(Input).value = " 已开展学术活动2场，科普活动推迟"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "已保存" in str(screen.query_one("#followup-status", Static).render())

        stored = _stored(engine, project_id)
        monitoring = stored.monitoring
        assert monitoring is not None
        assert monitoring.as_of == date(2022, 7, 31)
        assert (monitoring.executed, monitoring.expected_executed, monitoring.unit) == (
            Decimal("3.5"),
            Decimal("7.29"),
            "万元",
        )
        assert monitoring.achieved == " 已开展学术活动2场，科普活动推迟"
        entry = monitoring.rows[0]
        assert (entry.row, entry.level3, entry.progress, entry.expected, entry.reason) == (
            0,
            stored.goal.indicators[0].level3,
            " 已开展2场",
            "预计全年8场",
            "疫情影响，活动推迟",
        )
        assert entry.causes == [DeviationCause.FUNDING, DeviationCause.OTHER]
        assert entry.likelihood is Likelihood.POSSIBLE
        # The heading shows perfgoals.monitoring's figures for what was saved.
        reading = read_monitoring(stored, 2022, "mof-2015")
        assert reading is not None
        heading = _heading(pilot)
        assert percent(reading.rate) in heading and percent(reading.elapsed) in heading
        assert "偏离目标" in heading

        # Back on the main screen, the project shown is the saved one.
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is main_screen(app)
        assert main_screen(app).workspace.drafts[project_id].project.monitoring == monitoring


@asynctest
async def test_evaluation_is_entered_saved_and_scored_by_the_evaluation_module(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await open_project(pilot)
        project_id = main_screen(app).workspace.current_id
        assert project_id is not None
        await pilot.press("ctrl+w")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EvaluationScreen)

        # Funds: a bad amount is refused in the dialog, then 755 and 700 taken.
        await _go(pilot, "#followup-funds", 0, "full_year")
        await pilot.press("enter")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, FieldPrompt)
        prompt.query_one(Input).value = "七百五十五块多"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is prompt and "金额" in str(prompt.query_one("#followup-error", Static).render())
        prompt.query_one(Input).value = "7.29"
        await pilot.press("enter")
        await pilot.pause()
        await _type_into_cell(pilot, "#followup-funds", 0, "executed", "70000元")

        # Rows: actual values as typed; one score entered by hand; a refused 分值.
        await _type_into_cell(pilot, "#followup-rows", 0, "actual", "8场 ")
        await _type_into_cell(pilot, "#followup-rows", 5, "actual", "85%")
        await _type_into_cell(pilot, "#followup-rows", 5, "reason", "个别群众不满意，将加强宣传")
        await _type_into_cell(pilot, "#followup-rows", 3, "actual", "7万元")
        await _type_into_cell(pilot, "#followup-rows", 1, "score", "8")
        await _go(pilot, "#followup-rows", 2, "points")
        await pilot.press("enter")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, FieldPrompt)
        prompt.query_one(Input).value = "十分"
        await pilot.press("enter")
        await pilot.pause()
        assert "分值须为数字" in str(prompt.query_one("#followup-error", Static).render())
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "已保存" in str(screen.query_one("#followup-status", Static).render())

        stored = _stored(engine, project_id)
        evaluation = stored.evaluation
        assert evaluation is not None
        assert evaluation.funds[0].label == "年度资金总额"
        assert (evaluation.funds[0].full_year, evaluation.funds[0].executed) == (
            Decimal("7.29"),
            Decimal("7"),
        )
        by_row = {row.row: row for row in evaluation.rows}
        assert by_row[0].actual == "8场 " and by_row[5].actual == "85%" and by_row[3].actual == "7万元"
        assert by_row[5].reason == "个别群众不满意，将加强宣传"
        assert by_row[1].score == Decimal("8") and by_row[1].actual == ""
        assert by_row[0].level3 == stored.goal.indicators[0].level3

        # What the screen shows is perfgoals.evaluation's reading of what was saved.
        summary = evaluate(stored, "mof-2015")
        heading = _heading(pilot)
        assert f"总分 {summary.total}" in heading and f"等级 {summary.grade.value}" in heading
        rows = screen.query_one("#followup-rows", DataTable)
        computed = rows.get_cell_at((0, rows.get_column_index("computed")))
        assert summary.rows[0].computed.score is not None
        assert str(computed) == str(summary.rows[0].computed.score)
        assert summary.rate.rate is not None and summary.rate.computed is not None
        assert f"（得分 {summary.rate.used}/" in heading


@asynctest
async def test_leaving_with_unsaved_edits_asks_and_discarding_writes_nothing(
    engine: Engine,
) -> None:
    app = make_app(engine)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await open_project(pilot)
        project_id = main_screen(app).workspace.current_id
        assert project_id is not None
        await pilot.press("ctrl+w")
        await settle(pilot)
        await _type_into_cell(pilot, "#followup-rows", 0, "actual", "2次")
        await pilot.press("escape")
        await pilot.pause()
        # Unsaved: asked; 不保存 leaves without writing.
        await pilot.click("#discard")
        await settle(pilot)
        assert app.screen is main_screen(app)
        assert _stored(engine, project_id).evaluation is None
