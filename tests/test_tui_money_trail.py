"""The money trail in the TUI: every way in (a cell edit, F3, F7) that breaks it shows an error naming the
project and the line before anything is saved; amounts are read by the one money reader and kept as
typed; inferred amounts stay marked until a person enters or confirms them.

Driven through Textual's Pilot on the sample department in a real SQLite file; what was saved is read
back through a real session.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Input, Select, Static

from perfgoals.checks import check_department
from perfgoals.checks import check_project as run_check_project
from perfgoals.checks.findings import Finding
from perfgoals.models import AmountSource, BudgetLine, Department, LinkStatus, Project
from perfgoals.storage import repository as repo
from perfgoals.storage.db import read_session, write_session
from perfgoals.tui.app import PerfgoalsApp
from perfgoals.tui.context import TuiContext
from perfgoals.tui.screens._common import StatusLine
from perfgoals.tui.screens.budget_lines import (
    BudgetLineDialog,
    BudgetLinesScreen,
    TotalMismatch,
    settle_total,
)
from perfgoals.tui.screens.dialogs import ProjectFieldsDialog
from perfgoals.tui.screens.main import MainScreen
from perfgoals.tui.widgets.findings_panel import FindingsPanel
from perfgoals.tui.widgets.project_list import ProjectList
from perfgoals.tui.widgets.project_summary import ProjectSummary
from perfgoals.tui.workspace import findings_by_project
from tests.test_tui_main import SIZE, asynctest, edit_cell, main_screen, make_app, settle

OLD_SCIENTISTS = "老科学工作者协会工作经费"  # 7.29 万元, inferred from its 成本指标, on 2060701
EXHIBITION = "常设展览经费"  # 10.94 万元 on 2060705: the only project of that amount


@pytest.fixture
def engine(sample_file_engine: Engine) -> Engine:
    return sample_file_engine


def department_of(engine: Engine) -> Department:
    with read_session(engine) as session:
        return repo.load_department(session, department_id=repo.list_departments(session)[0].id)


def stored(engine: Engine, name: str) -> Project:
    project = department_of(engine).project(name)
    assert project is not None
    return project


async def open_named(pilot: Pilot[None], name: str) -> MainScreen:
    """Select the project called ``name`` and put the focus on its grid."""
    screen = main_screen(pilot.app)  # type: ignore[arg-type]
    assert screen.department is not None
    project = screen.department.project(name)
    assert project is not None and project.id is not None
    screen.select_project(project.id)
    screen.grid.focus()
    await settle(pilot)
    return screen


def panel_findings(screen: MainScreen) -> list[Finding]:
    return screen.query_one("#findings", FindingsPanel).findings


def codes(screen: MainScreen) -> set[str]:
    return {finding.code for finding in panel_findings(screen)}


async def open_f3(pilot: Pilot[None]) -> ProjectFieldsDialog:
    await pilot.press("f3")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, ProjectFieldsDialog)
    return dialog


async def type_amount(pilot: Pilot[None], dialog: ProjectFieldsDialog, text: str) -> str:
    """Type ``text`` into the amount field; what the dialog reads it as."""
    dialog.query_one("#amount", Input).value = text
    await pilot.pause()
    await pilot.pause()
    return str(dialog.query_one("#amount-hint", Static).render())


def summary_text(screen: MainScreen) -> str:
    summary = screen.query_one("#summary", ProjectSummary)
    return "\n".join(summary.render_line(y).text for y in range(summary.size.height))


def list_entry(screen: MainScreen, project_id: int) -> str:
    projects = screen.query_one("#projects", ProjectList)
    return str(projects.get_option(f"project-{project_id}").prompt)


# --- F3: one money reader, the amount kept as typed -------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "amount", "unit", "read_back"),
    [
        ("21.87万", Decimal("21.87"), "万元", "= 21.87 万元"),
        ("755元", Decimal("755"), "元", "= 755.00 元（0.0755 万元）"),
        ("二十一点八七万", Decimal("21.87"), "万元", "= 21.87 万元"),
        ("1.2亿", Decimal("1.2"), "亿元", "= 1.20 亿元（12,000.00 万元）"),
    ],
    ids=["wan", "yuan", "chinese-numerals", "yi"],
)
@asynctest
async def test_f3_reads_the_amount_as_typed_and_saves_it_as_entered(
    engine: Engine, typed: str, amount: Decimal, unit: str, read_back: str
) -> None:
    before = stored(engine, OLD_SCIENTISTS)
    assert before.amount_source is AmountSource.COST_INDICATOR
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_named(pilot, OLD_SCIENTISTS)
        dialog = await open_f3(pilot)
        assert dialog.query_one("#amount", Input).value == "7.29"
        assert dialog.query_one("#amount-unit", Select).value == "万元"
        assert (await type_amount(pilot, dialog, typed)).startswith(read_back)
        # The unit list follows the unit typed in the field.
        assert dialog.query_one("#amount-unit", Select).value == unit
        await pilot.press("ctrl+s")  # in the dialog: apply
        await settle(pilot)
        assert app.screen is screen
        draft = screen.draft
        assert draft is not None and draft.dirty
        assert (draft.project.budget_amount, draft.project.amount_unit) == (amount, unit)
        await pilot.press("ctrl+s")  # save
        await settle(pilot)
        assert not screen.dirty_drafts()
    after = stored(engine, OLD_SCIENTISTS)
    assert (after.budget_amount, after.amount_unit, after.amount_source) == (
        amount,
        unit,
        AmountSource.ENTERED,
    )


@pytest.mark.parametrize(
    ("typed", "said"),
    [("-5", "金额不能为负数"), ("abc", "无法识别的金额"), ("", "金额不能为空")],
    ids=["negative", "unreadable", "empty"],
)
@asynctest
async def test_f3_refuses_an_unreadable_amount_and_saves_nothing(
    engine: Engine, typed: str, said: str
) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_named(pilot, OLD_SCIENTISTS)
        dialog = await open_f3(pilot)
        hint = await type_amount(pilot, dialog, typed)
        assert said in hint
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog  # still open, with the reason
        assert said in str(dialog.query_one("#form-error", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and not screen.dirty_drafts()
        await pilot.press("ctrl+s")
        await settle(pilot)
    after = stored(engine, OLD_SCIENTISTS)
    assert (after.budget_amount, after.amount_unit, after.amount_source) == (
        Decimal("7.29"),
        "万元",
        AmountSource.COST_INDICATOR,
    )


@asynctest
async def test_an_inferred_amount_is_marked_until_a_person_confirms_it(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_named(pilot, OLD_SCIENTISTS)
        assert screen.current_id is not None
        project_id = screen.current_id
        assert "7.29 万元（按成本指标推断，待确认）" in summary_text(screen)
        assert "7.29万元·推断" in list_entry(screen, project_id)
        assert "PG111" in codes(screen)
        dialog = await open_f3(pilot)
        assert "按成本指标推断，待确认" in str(dialog.query_one("#amount-hint", Static).render())
        # Opening and applying the dialog unchanged confirms nothing.
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.draft is not None and not screen.draft.dirty
        dialog = await open_f3(pilot)
        box = dialog.query_one("#amount-confirmed", Checkbox)
        assert not box.value
        box.value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.draft is not None and screen.draft.project.amount_source is AmountSource.ENTERED
        # Every place that marked it says so in the same redraw.
        assert "推断" not in summary_text(screen) and "7.29 万元" in summary_text(screen)
        assert "推断" not in list_entry(screen, project_id) and "7.29万元" in list_entry(screen, project_id)
        assert "PG111" not in codes(screen)
        await pilot.press("ctrl+s")
        await settle(pilot)
    after = stored(engine, OLD_SCIENTISTS)
    assert (after.budget_amount, after.amount_source) == (Decimal("7.29"), AmountSource.ENTERED)


@asynctest
async def test_a_project_moved_with_f3_breaks_both_lines_before_saving(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_named(pilot, EXHIBITION)
        assert "PG102" not in codes(screen)
        dialog = await open_f3(pilot)
        line = dialog.query_one("#line", Select)
        offered = [value for _, value in line._options]
        # Only 项 (7-digit) lines are offered, and "no line".
        assert "2060705" in offered and "2060702" in offered
        assert not [code for code in offered if code != "__none__" and len(str(code)) != 7]
        line.value = "2060702"
        await pilot.pause()
        assert dialog.query_one("#confirmed", Checkbox).value
        await pilot.press("ctrl+s")  # apply, not save
        await settle(pilot)
        draft = screen.draft
        assert draft is not None and draft.dirty and draft.project.budget_line_code == "2060702"
        assert draft.project.line_link is LinkStatus.CONFIRMED
        # The line it joined and the line it left both stop adding up: each gives an error that
        # names the project and the line, before anything is saved.
        errors = [f for f in panel_findings(screen) if f.severity == "error"]
        for code in ("2060702", "2060705"):
            found = [
                f
                for f in errors
                if f.location.budget_line == code
                and f"科目 {code}" in f.message
                and (f"“{EXHIBITION}”" in f.message or f.location.project == EXHIBITION)
            ]
            assert found, (code, [f.message for f in errors])
        left = [f for f in errors if f.code == "PG102" and f.location.budget_line == "2060705"]
        assert (
            left
            and "少 10.94 万元" in left[0].message
            and f"“{EXHIBITION}”（挂接在科目 2060702）" in left[0].message
        )
        # The line it joined is over by the project's whole amount: a misplaced project, not a unit slip.
        joined = [f for f in errors if f.code == "PG102" and f.location.budget_line == "2060702"]
        assert joined and "多 10.94 万元" in joined[0].message and f"“{EXHIBITION}”" in joined[0].message
        assert "PG104" not in codes(screen)
        assert "PG109" not in codes(screen)  # the line a person picked is no longer a suggestion
        # The projects left behind on 2060705 are rechecked too: their entries in the list say so.
        assert screen.department is not None
        mate = screen.department.project("科普大篷车经费")
        assert mate is not None and mate.id is not None and mate.budget_line_code == "2060705"
        assert list_entry(screen, mate.id).lstrip().startswith("✗1")
        # Put back: the trail holds again.
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert "PG102" not in codes(screen)
        assert list_entry(screen, mate.id).lstrip().startswith("✓")
    assert stored(engine, EXHIBITION).budget_line_code == "2060705"


def test_the_first_full_check_gives_each_project_its_lines_findings(engine: Engine) -> None:
    """What the main screen shows before a project is rechecked on its own agrees with that recheck."""
    department = department_of(engine)
    moved = department.project(EXHIBITION)
    assert moved is not None and moved.id is not None
    moved.budget_line_code = "2060702"
    with write_session(engine) as session:
        repo.save_project(session, project=moved, expected_revision=moved.goal.revision, user="测试员")
    department = department_of(engine)
    split = findings_by_project(department, check_department(department))
    line_codes = {"PG102", "PG112", "PG200"}
    for project in department.projects:
        assert project.id is not None
        alone = run_check_project(department, project)
        expected = [f for f in alone if f.code in line_codes]
        shown = [f for f in split[project.id] if f.code in line_codes]
        assert shown == expected, project.name
        if project.budget_line_code == "2060705":  # the line it left
            assert any(f.code == "PG102" and f.location.table == "支出总表" for f in shown), project.name


# --- a cell edit ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"), [("≤9.29万元", "PG101"), ("≤7.29元", "PG104")], ids=["raised", "unit-slip"]
)
@asynctest
async def test_a_ceiling_edit_breaks_the_trail_in_the_same_redraw_and_undo_mends_it(
    engine: Engine, value: str, code: str
) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_named(pilot, OLD_SCIENTISTS)
        draft = screen.draft
        assert draft is not None
        row = next(i for i, indicator in enumerate(draft.indicators) if indicator.value == "≤7.29万元")
        assert code not in codes(screen)
        await edit_cell(pilot, row, "value", value)
        assert draft.dirty  # not saved: the finding is there before saving
        found = [f for f in panel_findings(screen) if f.code == code]
        assert found and found[0].severity == "error" and found[0].location.row == row + 1
        assert "7.29 万元" in found[0].message  # against the project's amount, marked as inferred
        assert "按成本指标推断" in found[0].message
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not draft.dirty and code not in codes(screen)


@asynctest
async def test_a_value_is_read_with_its_unit_column_in_the_grid_and_the_editor(engine: Engine) -> None:
    department = department_of(engine)
    project = department.project(OLD_SCIENTISTS)
    assert project is not None
    row = next(i for i, indicator in enumerate(project.goal.indicators) if indicator.value == "≤7.29万元")
    project.goal.indicators[row].value = "≤7.29"
    project.goal.indicators[row].unit = "万元"
    with write_session(engine) as session:
        repo.save_project(session, project=project, expected_revision=project.goal.revision, user="样例")
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_named(pilot, OLD_SCIENTISTS)
        from textual.coordinate import Coordinate

        from perfgoals.tui.editing import GRID_FIELDS

        shown = screen.grid.get_cell_at(Coordinate(row, GRID_FIELDS.index("value"))).plain
        assert "≤ 7.29 万元" in shown  # money, as the checks read it
        screen.grid.go_to(row, "value")
        await pilot.press("f2")
        await pilot.pause()
        hint = str(screen.query_one("#editor-hint", Static).render())
        assert "≤ 7.29 万元" in hint and "度量单位" in hint
        screen.query_one("#cell-editor Input", Input).value = "≤9.29"
        await pilot.pause()
        assert "≤ 9.29 万元" in str(screen.query_one("#editor-hint", Static).render())
        await pilot.press("enter")
        await settle(pilot)
        assert "PG101" in codes(screen)  # 9.29 万元, with its unit column, is above the 7.29 万元 budget


# --- F7: budget lines read back, checked, rolled up and undone -------------------------------------


def line_of(department: Department, code: str) -> BudgetLine:
    line = department.line(code)
    assert line is not None
    return line


Figures = tuple[Decimal | None, Decimal | None, Decimal | None]


def figures(department: Department) -> dict[str, Figures]:
    """合计, 基本支出 and 项目支出 of 2060702, the lines above it and the 合计 row."""
    result: dict[str, Figures] = {}
    for code in ("2060702", "20607", "206"):
        line = line_of(department, code)
        result[code] = (line.total, line.basic, line.project)
    total = department.function_total
    assert total is not None
    result["合计"] = (total.total, total.basic, total.project)
    return result


def verdict_of(screen: BudgetLinesScreen, code: str) -> str:
    table = screen.query_one("#lines", DataTable)
    return str(table.get_cell(code, "verdict"))


async def f7(pilot: Pilot[None]) -> BudgetLinesScreen:
    await pilot.press("f7")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, BudgetLinesScreen)
    return screen


async def edit_line(pilot: Pilot[None], screen: BudgetLinesScreen, code: str) -> BudgetLineDialog:
    table = screen.query_one("#lines", DataTable)
    table.move_cursor(row=[line.code for line in screen.lines].index(code))
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, BudgetLineDialog)
    return dialog


def said(dialog: BudgetLineDialog, selector: str) -> str:
    return str(dialog.query_one(selector, Static).render())


@asynctest
async def test_f7_reads_back_rolls_up_shows_the_verdict_and_undoes(engine: Engine) -> None:
    original = figures(department_of(engine))
    assert original["2060702"] == (Decimal("212.00"), None, Decimal("212.00"))
    app = PerfgoalsApp(TuiContext(engine, "王芳"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await f7(pilot)
        assert verdict_of(screen, "2060702") == "✓ 一致"
        dialog = await edit_line(pilot, screen, "2060702")
        dialog.query_one("#project", Input).value = "2,220,000元"
        await pilot.pause()
        # Read back before saving, in the line's unit; 合计 follows the parts it was the sum of.
        assert said(dialog, "#project-readback") == "= 222.00 万元（2,220,000.00 元）"
        assert said(dialog, "#total-readback").startswith("→ 保存为 222.00 万元")
        dialog.query_one("#project", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        status = str(screen.query_one(StatusLine).render())
        assert "上级科目 20607、206 及合计行已随之调整" in status and "合计随之改为 222.00 万元" in status
        # The projects charged to 2060702 no longer add up to it: said at once, on every line above too.
        for code in ("2060702", "20607", "206"):
            assert verdict_of(screen, code) == "✗ 不一致"
        edited = figures(department_of(engine))
        assert edited["2060702"] == (Decimal("222"), None, Decimal("222"))
        assert edited["20607"] == (Decimal("872.98"), Decimal("418.85"), Decimal("454.13"))
        assert edited["206"] == (Decimal("872.98"), Decimal("418.85"), Decimal("454.13"))
        assert edited["合计"] == (Decimal("1145.10"), Decimal("690.97"), Decimal("454.13"))

        await pilot.press("ctrl+z")
        await settle(pilot)
        assert "已撤销：修改科目 2060702" in str(screen.query_one(StatusLine).render())
        assert figures(department_of(engine)) == original
        assert verdict_of(screen, "2060702") == verdict_of(screen, "206") == "✓ 一致"
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert figures(department_of(engine)) == edited
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert figures(department_of(engine)) == original

        # Back on the main screen, a project of that line shows the line's state again.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    with read_session(engine) as session:
        changes = repo.history(session, department_id=repo.list_departments(session)[0].id, limit=16)
    # The edit, its redo and both undos: each with the lines above and the 合计 row, in the history.
    assert [c.entity_key for c in changes[:4]] == ["合计", "206", "20607", "2060702"]
    assert sum(1 for c in changes if c.entity_key == "2060702") == 4


@asynctest
async def test_f7_refuses_a_total_that_is_not_basic_plus_project(engine: Engine) -> None:
    before = line_of(department_of(engine), "2060705")
    assert (before.total, before.basic, before.project) == (
        Decimal("219.12"),
        Decimal("94.22"),
        Decimal("124.90"),
    )
    app = PerfgoalsApp(TuiContext(engine, "王芳"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await f7(pilot)
        dialog = await edit_line(pilot, screen, "2060705")
        dialog.query_one("#total", Input).value = "300"
        await pilot.pause()
        assert said(dialog, "#total-readback") == "≠ 基本 + 项目 = 219.12 万元"
        dialog.query_one("#total", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        error = said(dialog, "#dialog-error")
        assert (
            "合计 300.00 万元" in error and "基本支出 94.22 万元" in error and "项目支出 124.90 万元" in error
        )
        # Within rounding of the parts it is taken as it is.
        dialog.query_one("#total", Input).value = "219.13"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
    after = line_of(department_of(engine), "2060705")
    assert (after.total, after.basic, after.project) == (
        Decimal("219.13"),
        Decimal("94.22"),
        Decimal("124.90"),
    )


def test_total_is_filled_followed_or_refused() -> None:
    line = BudgetLine(
        code="2060705",
        name="科技馆站",
        total=Decimal("219.12"),
        basic=Decimal("94.22"),
        project=Decimal("124.90"),
    )
    blank = {"total": None, "basic": Decimal("10"), "project": Decimal("11.87")}
    filled, note = settle_total(blank, "万元", None)
    assert filled["total"] == Decimal("21.87") and "填为 21.87 万元" in note
    edited = {"total": Decimal("219.12"), "basic": Decimal("94.22"), "project": Decimal("130")}
    followed, note = settle_total(edited, "万元", line)
    assert followed["total"] == Decimal("224.22") and "合计随之改为 224.22 万元" in note
    as_typed, note = settle_total(dict(edited, total=Decimal("224.22")), "万元", line)
    assert as_typed["total"] == Decimal("224.22") and not note
    with pytest.raises(TotalMismatch, match=r"相差 5\.00 万元"):
        settle_total(dict(edited, total=Decimal("229.22")), "万元", line)
    # A line kept in 元: the same rule, in its unit.
    yuan = {"total": Decimal("219500"), "basic": Decimal("0"), "project": Decimal("218500")}
    with pytest.raises(TotalMismatch, match=r"相差 1,000\.00 元"):
        settle_total(yuan, "元", None)


@asynctest
async def test_f7_undoes_a_deletion_and_redoes_it(engine: Engine) -> None:
    before = line_of(department_of(engine), "2210201")
    app = PerfgoalsApp(TuiContext(engine, "王芳"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await f7(pilot)
        codes_before = [line.code for line in screen.lines]
        table = screen.query_one("#lines", DataTable)
        table.move_cursor(row=codes_before.index("2210201"))
        await pilot.pause()
        await pilot.press("delete")
        await pilot.pause()
        await pilot.click("#yes")
        await settle(pilot)
        assert department_of(engine).line("2210201") is None
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert line_of(department_of(engine), "2210201") == before
        assert [line.code for line in screen.lines] == codes_before
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert department_of(engine).line("2210201") is None
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert "没有可重做的修改" in [n.message for n in app._notifications]


@asynctest
async def test_f3_keeps_a_line_that_is_not_an_item_marked_and_unchanged(engine: Engine) -> None:
    project = stored(engine, OLD_SCIENTISTS)
    project.budget_line_code = "20607"  # a 款, as an import might leave it
    with write_session(engine) as session:
        repo.save_project(session, project=project, expected_revision=project.goal.revision, user="样例")
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_named(pilot, OLD_SCIENTISTS)
        assert "PG113" in codes(screen)
        assert "20607（款级，应挂项级）" in summary_text(screen)
        dialog = await open_f3(pilot)
        line = dialog.query_one("#line", Select)
        assert line.value == "20607"
        labels = {value: str(label) for label, value in line._options}
        assert labels["20607"].startswith("⚠ 20607") and "款级科目" in labels["20607"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.draft is not None and not screen.draft.dirty  # never changed silently
        assert screen.draft.project.budget_line_code == "20607"


@asynctest
async def test_every_ceiling_break_of_every_project_shows_an_error_naming_it_before_saving(engine: Engine) -> None:
    """The property over the TUI's cell channel: for each of the sample's projects (every amount inferred),
    the ceiling raised or lowered by a quarter, or its unit slipped, gives an error in that project's
    findings at the ceiling row, on the project's line, in the redraw that commits the edit; undo mends it."""
    from tests.money_trail import CEILING_KINDS, broken_value, ceiling_row

    department = department_of(engine)
    app = make_app(engine)
    missed = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for project in department.projects:
            screen = await open_named(pilot, project.name)
            row = ceiling_row(department, project)
            draft = screen.draft
            assert draft is not None and not draft.dirty
            assert not [f for f in panel_findings(screen) if f.severity == "error"], project.name
            for kind in CEILING_KINDS:
                changed = broken_value(project.goal.indicators[row], kind)
                field, text = ("unit", changed["unit"]) if changed["unit"] != project.goal.indicators[row].unit else (
                    "value", changed["value"])
                await edit_cell(pilot, row, field, text or "")
                errors = [
                    f for f in panel_findings(screen)
                    if f.severity == "error" and f.location.project == project.name
                    and f.location.row == row + 1 and f.location.budget_line == project.budget_line_code
                ]
                if not draft.dirty or not errors:
                    missed.append(f"{kind} {project.name}")
                await pilot.press("ctrl+z")
                await settle(pilot)
                assert not draft.dirty, project.name
    assert missed == []
