"""The secondary TUI screens driven with Pilot in a minimal host app, on a temp database with the sample."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import pytest
from sqlalchemy.engine import Engine
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Input, ProgressBar, RadioButton, Select, Static

from perfgoals.models import Department
from perfgoals.reading.reconcile import Verdict, reconcile_department
from perfgoals.storage import repository as repo
from perfgoals.storage.db import open_database, read_session, write_session
from perfgoals.tui.context import JumpTarget, TuiContext
from perfgoals.tui.screens._common import StatusLine, wan_text
from perfgoals.tui.screens.budget_lines import BudgetLinesScreen
from perfgoals.tui.screens.departments import DepartmentsScreen
from perfgoals.tui.screens.export import ExportScreen
from perfgoals.tui.screens.findings import FindingsScreen
from perfgoals.tui.screens.help import HelpScreen, screen_commands
from perfgoals.tui.screens.reconciliation import ReconciliationScreen


def sample_department() -> Department:
    """The sample department as imported (张家口市科学技术协会 2022)."""
    from perfgoals.importers import demo_department

    return demo_department()


@pytest.fixture
def sample_engine(tmp_path: Path) -> Iterator[tuple[Engine, int]]:
    engine = open_database(str(tmp_path / "tui.db"))
    with write_session(engine) as session:
        department_id = repo.save_department(session, department=sample_department(), user="测试员")
    yield engine, department_id
    engine.dispose()


APP_CSS = Path(__file__).resolve().parent.parent / "perfgoals" / "tui" / "app.tcss"


class Host(App[None]):
    """Pushes one screen and keeps what it dismissed with; styled by the app's stylesheet."""

    CSS_PATH = APP_CSS

    def __init__(self, make_screen: Any) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.results: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static("主界面")

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(), self.results.append)


def run_async(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test on its own event loop (no async pytest plugin needed)."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


async def settle(pilot: Any) -> None:
    """Let workers finish and their messages be handled."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def until(pilot: Any, ready: Any, *, timeout: float = 10.0) -> None:
    """Pause until ``ready()``: a pushed dialog may take more than one frame to mount on a busy machine."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not ready():
        assert asyncio.get_running_loop().time() < deadline, "the TUI did not get there in time"
        await pilot.pause(0.01)


def status_text(screen: Screen[Any]) -> str:
    return str(screen.query_one(StatusLine).render())


async def type_into(pilot: Any, selector: str, text: str) -> None:
    widget = pilot.app.screen.query_one(selector, Input)
    widget.value = text


# --- departments ----------------------------------------------------------------------------------


@run_async
async def test_departments_lists_creates_and_chooses(sample_engine: tuple[Engine, int]) -> None:
    engine, department_id = sample_engine
    context = TuiContext(engine, "王芳", department_id)
    app = Host(lambda: DepartmentsScreen(context))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DepartmentsScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 1
        assert "731" in str(table.get_row_at(0)[0])

        await pilot.press("n")
        await pilot.pause()
        await type_into(pilot, "#code", "")
        await pilot.click("#save")
        await pilot.pause()
        assert "部门编码不能为空" in str(app.screen.query_one("#dialog-error", Static).render())
        await type_into(pilot, "#code", "732")
        await type_into(pilot, "#name", "张家口市社会科学界联合会")
        await type_into(pilot, "#year", "2023")
        app.screen.query_one("#year", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert table.row_count == 2
        assert "已新建 732" in status_text(screen)
        with read_session(engine) as session:
            key = repo.find_department(session, code="732", year=2023)
        assert key.name == "张家口市社会科学界联合会"
        # The new department is selected; Enter dismisses with its id.
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [key.id]


@run_async
async def test_departments_rollover_from_the_selected_year(sample_engine: tuple[Engine, int]) -> None:
    engine, department_id = sample_engine
    app = Host(lambda: DepartmentsScreen(TuiContext(engine, "王芳", department_id)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("r")
        await until(pilot, lambda: bool(app.screen.query("#prompt-input")))
        prompt = app.screen.query_one("#prompt-input", Input)
        assert prompt.value == "2023"
        prompt.value = "2021"
        await pilot.press("enter")
        await pilot.pause()
        assert "必须晚于 2022" in str(app.screen.query_one("#prompt-error", Static).render())
        prompt.value = "2023"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert "已从 2022 年结转" in status_text(screen)
        table = screen.query_one(DataTable)
        assert table.row_count == 2 and str(table.get_row_at(table.cursor_row)[2]) == "2023"
        with read_session(engine) as session:
            key = repo.find_department(session, year=2023)
            new = repo.load_department(session, department_id=key.id)
        assert new.projects and all(p.status.value == "草稿" for p in new.projects)

        # A mistaken rollover can be deleted (after confirming); the open department cannot.
        await pilot.press("delete")
        await until(pilot, lambda: bool(app.screen.query("#yes")))
        await pilot.click("#yes")
        await settle(pilot)
        assert table.row_count == 1 and "已删除" in status_text(screen)
        await pilot.press("delete")
        await pilot.pause()
        assert app.screen is screen and "不能删除" in status_text(screen)
    with read_session(engine) as session:
        assert [(k.code, k.year) for k in repo.list_departments(session)] == [("731", 2022)]
        assert repo.history(session, limit=1)[0].action == "delete"


# --- budget lines ---------------------------------------------------------------------------------


@run_async
async def test_budget_lines_add_rejects_bad_code_and_saves_good_one(
    sample_engine: tuple[Engine, int],
) -> None:
    engine, department_id = sample_engine
    with read_session(engine) as session:
        before = repo.load_department(session, department_id=department_id).budget_lines
    app = Host(lambda: BudgetLinesScreen(TuiContext(engine, "王芳", department_id)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one(DataTable)
        assert table.row_count == len(before)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == [line.code for line in before]

        await pilot.press("a")
        await pilot.pause()
        assert app.screen.query_one("#code", Input).value == before[0].code  # under the selected 类
        await type_into(pilot, "#code", "2069901")  # its 款 20699 does not exist
        await type_into(pilot, "#name", "其他科学技术支出")
        app.screen.query_one("#name", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        error = str(app.screen.query_one("#dialog-error", Static).render())
        assert "上级科目 20699 不存在" in error
        await type_into(pilot, "#code", "20699")
        await type_into(pilot, "#project", "十二点五")
        await type_into(pilot, "#total", "12.5万x")
        await pilot.press("enter")
        await pilot.pause()
        assert "合计" in str(app.screen.query_one("#dialog-error", Static).render())
        await type_into(pilot, "#total", "125,000元")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert "已新增科目 20699" in status_text(screen)
        codes = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert "20699" in codes and str(table.get_row_at(table.cursor_row)[0]) == "20699"
    with read_session(engine) as session:
        department = repo.load_department(session, department_id=department_id)
        changes = repo.history(session, department_id=department_id, limit=1)
    line = department.line("20699")
    assert line is not None and line.unit == department.money_unit == "万元"
    assert line.project == Decimal("12.5") and line.total == Decimal("12.5")
    assert (changes[0].entity, changes[0].action, changes[0].user) == ("budget_line", "create", "王芳")


@run_async
async def test_budget_lines_edit_and_refused_delete(sample_engine: tuple[Engine, int]) -> None:
    engine, department_id = sample_engine
    app = Host(lambda: BudgetLinesScreen(TuiContext(engine, "王芳", department_id)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("enter")  # edit the first line (a 类 with lines under it)
        await pilot.pause()
        name = app.screen.query_one("#name", Input)
        first_code = app.screen.query_one("#code", Input).value
        name.value = name.value + "（改）"
        name.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "已保存科目" in status_text(screen)
        await pilot.press("delete")
        await pilot.pause()
        await pilot.click("#yes")
        await settle(pilot)
        assert "下级科目" in status_text(screen)
    with read_session(engine) as session:
        department = repo.load_department(session, department_id=department_id)
    line = department.line(first_code)
    assert line is not None and line.name.endswith("（改）")


# --- reconciliation -------------------------------------------------------------------------------


@run_async
async def test_reconciliation_shows_lines_and_opens_a_project(sample_engine: tuple[Engine, int]) -> None:
    engine, department_id = sample_engine
    with read_session(engine) as session:
        department = repo.load_department(session, department_id=department_id)
    expected = reconcile_department(department)
    app = Host(lambda: ReconciliationScreen(TuiContext(engine, "王芳", department_id)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        lines = screen.query_one("#recon-lines", DataTable)
        assert [str(lines.get_row_at(i)[0]) for i in range(len(expected.lines))] == [
            line.code for line in department.budget_lines
        ]
        # Every line: the shown difference is its projects minus its 项目支出, in 万元, and its verdict
        # is the reading layer's, in the words every screen and sheet uses.
        for index, entry in enumerate(expected.lines):
            row = lines.get_row_at(index)
            assert str(row[4]) == wan_text(entry.total.difference if entry.total is not None else None)
            assert str(row[5]).endswith(entry.verdict.value)
            assert ("✗" in str(row[5])) == (entry.verdict is Verdict.MISMATCH)
        # The sample's projects add up to each line's 项目支出 within publication rounding.
        assert expected.lines and not expected.discrepancies and not expected.unlinked
        assert any(
            e.total is not None and e.total.difference != 0 for e in expected.lines
        )  # rounding, not exact
        assert {str(lines.get_row_at(i)[5]) for i in range(len(expected.lines))} == {"✓ 一致", "· 无项目支出"}
        assert "各科目均一致" in status_text(screen)
        # The last row: every project together, the total the 目录 and the 对账 sheet print.
        total = lines.get_row_at(lines.row_count - 1)
        assert str(total[0]) == "合计" and str(total[3]) == wan_text(expected.projects_wan) == "444.13"
        assert expected.total is not None and str(total[2]) == wan_text(expected.total.published)
        leaf = next(i for i, e in enumerate(expected.lines) if e.projects and len(e.line.code) == 7)
        lines.move_cursor(row=leaf)
        await pilot.pause()
        projects = screen.query_one("#recon-projects", DataTable)
        assert projects.row_count == len(expected.lines[leaf].projects)
        await pilot.press("enter")  # into the projects
        await pilot.pause()
        assert projects.has_focus
        await pilot.press("enter")  # open the first
        await pilot.pause()
    first = expected.lines[leaf].projects[0]
    assert app.results == [JumpTarget(project_id=first.id)]  # type: ignore[arg-type]


# --- findings -------------------------------------------------------------------------------------


def _rows(table: DataTable[Any]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


@run_async
async def test_findings_filter_accept_withdraw_and_jump(sample_engine: tuple[Engine, int]) -> None:
    from perfgoals.checks import check_department

    engine, department_id = sample_engine
    with read_session(engine) as session:
        department = repo.load_department(session, department_id=department_id)
    findings = [f for f in check_department(department) if not f.accepted]
    assert findings, "the sample has findings to work with"
    app = Host(lambda: FindingsScreen(TuiContext(engine, "王芳", department_id)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#findings-table", DataTable)
        assert table.row_count == len(findings)

        # Filter by severity, then by code prefix.
        severity = findings[0].severity
        screen.query_one("#severity", Select).value = severity.value
        await pilot.pause()
        rows = _rows(table)
        assert rows and all(row[0].startswith(severity.glyph) for row in rows)
        assert len(rows) == sum(1 for f in findings if f.severity is severity)
        code = findings[0].code
        await pilot.press("slash")
        await pilot.press(*code)
        await pilot.pause()
        assert all(row[1] == code for row in _rows(table))
        target = screen.shown[0]  # type: ignore[attr-defined]

        # Accept with a written reason: an empty one is refused.
        table.focus()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "请填写" in str(app.screen.query_one("#prompt-error", Static).render())
        await pilot.press(*"经核实属实")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert "已接受" in status_text(screen)
        with read_session(engine) as session:
            stored = repo.load_department(session, department_id=department_id)
        holder = (
            stored
            if target.location.project_id is None
            else next(p for p in stored.projects if p.id == target.location.project_id)
        )
        assert [(a.code, a.reason, a.accepted_by) for a in holder.acceptances] == [
            (code, "经核实属实", "王芳")
        ]
        assert code not in [row[1] for row in _rows(table)] or len(_rows(table)) < len(
            [f for f in findings if f.code == code and f.severity is severity]
        )

        # Show accepted ones; withdraw it.
        screen.query_one("#accepted", Select).value = "accepted"
        await pilot.pause()
        assert any("已接受" in row[0] and row[1] == code for row in _rows(table))
        table.focus()
        await pilot.press("w")
        await pilot.pause()
        await pilot.click("#yes")
        await settle(pilot)
        assert "已撤销" in status_text(screen)
        assert not any(row[1] == code for row in _rows(table))

        # Jump to a project finding's place.
        screen.query_one("#accepted", Select).value = "open"
        screen.query_one("#severity", Select).value = ""
        screen.query_one("#code-filter", Input).value = ""
        await pilot.pause()
        index = next(i for i, f in enumerate(screen.shown) if f.location.project_id is not None)  # type: ignore[attr-defined]
        chosen = screen.shown[index]  # type: ignore[attr-defined]
        table.focus()
        table.move_cursor(row=index)
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [
        JumpTarget(
            project_id=chosen.location.project_id, row=chosen.location.row, field=chosen.location.field
        )
    ]


# --- export ---------------------------------------------------------------------------------------


@run_async
async def test_export_writes_department_workbook_with_progress(
    sample_engine: tuple[Engine, int], tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    engine, department_id = sample_engine
    with read_session(engine) as session:
        department = repo.load_department(session, department_id=department_id)
    app = Host(lambda: ExportScreen(TuiContext(engine, "王芳", department_id), directory=tmp_path / "out"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        path_input = screen.query_one("#path", Input)
        suggested = Path(path_input.value)
        assert suggested.parent == tmp_path / "out" and suggested.name.startswith(
            f"{department.code}-{department.year}-"
        )
        assert suggested.suffix == ".xlsx"
        target = tmp_path / "交付" / "科协目标表.xlsx"
        path_input.value = str(target)
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert target.exists(), status_text(screen)
        assert str(target) in status_text(screen) and f"{len(department.projects)} 个项目" in status_text(
            screen
        )
        bar = screen.query_one(ProgressBar)
        assert bar.total == len(department.projects) and bar.progress == bar.total
        # The next export suggests a new file; writing over an existing one asks first.
        assert Path(path_input.value) != target and not Path(path_input.value).exists()
        target.write_bytes(b"old")
        path_input.value = str(target)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert "已存在" in str(app.screen.query_one(".dialog-question", Static).render())
        await pilot.click("#no")
        await settle(pilot)
        assert target.read_bytes() == b"old"
        await pilot.press("ctrl+e")
        await pilot.pause()
        await pilot.click("#yes")
        await settle(pilot)
        assert target.read_bytes()[:2] == b"PK"
    workbook = load_workbook(target, read_only=True)
    assert len(workbook.sheetnames) >= len(department.projects)
    workbook.close()


@run_async
async def test_export_one_project_as_json(sample_engine: tuple[Engine, int], tmp_path: Path) -> None:
    import json

    engine, department_id = sample_engine
    with read_session(engine) as session:
        department = repo.load_department(session, department_id=department_id)
    project = department.projects[1]
    app = Host(
        lambda: ExportScreen(
            TuiContext(engine, "王芳", department_id), project_id=project.id, directory=tmp_path
        )
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#scope-project", RadioButton).value
        screen.query_one("#format", Select).value = "json"
        await pilot.pause()
        path = Path(screen.query_one("#path", Input).value)
        assert path.suffix == ".json" and project.name[:10] in path.name
        await pilot.click("#run")
        await settle(pilot)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [p["name"] for d in data["departments"] for p in d["projects"]] == [project.name]


@run_async
async def test_export_evaluation_sheet_and_submit_edition(
    sample_engine: tuple[Engine, int], tmp_path: Path
) -> None:
    """The kinds and editions of `perfgoals export`: a 自评表 named like the CLI's, then a 报送版."""
    from openpyxl import load_workbook

    engine, department_id = sample_engine
    with read_session(engine) as session:
        department = repo.load_department(session, department_id=department_id)
    app = Host(lambda: ExportScreen(TuiContext(engine, "王芳", department_id), directory=tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        fmt, edition = screen.query_one("#format", Select), screen.query_one("#edition", Select)
        fmt.value = "json"
        await pilot.pause()
        assert edition.disabled
        screen.query_one("#kind", Select).value = "自评"
        await settle(pilot)
        assert fmt.value == "xlsx" and fmt.disabled and edition.disabled  # 自评表: an xlsx workbook only
        evaluation = Path(screen.query_one("#path", Input).value)
        assert evaluation.name.startswith(f"{department.code}-{department.year}-")
        assert evaluation.name.endswith("-自评.xlsx")
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert evaluation.exists(), status_text(screen)
        assert str(evaluation) in status_text(screen)

        screen.query_one("#kind", Select).value = "目标"
        await settle(pilot)
        assert not fmt.disabled and not edition.disabled
        edition.value = "报送"
        await settle(pilot)
        submit = Path(screen.query_one("#path", Input).value)
        assert submit.suffix == ".xlsx" and "-自评" not in submit.name and submit != evaluation
        await pilot.click("#run")
        await settle(pilot)
        assert submit.exists(), status_text(screen)
        assert "报送版" in status_text(screen)
    book = load_workbook(evaluation, read_only=True)
    assert book.sheetnames[0] == "目录" and len(book.sheetnames) == len(department.projects) + 1
    assert book[book.sheetnames[1]]["A1"].value == "项目支出绩效自评表"
    book.close()
    book = load_workbook(submit, read_only=True)
    assert book.sheetnames[0] == "目录" and len(book.sheetnames) == len(department.projects) + 1
    assert not {"汇总", "对账", "问题", "_perfgoals"} & set(book.sheetnames)
    assert book["目录"]["A1"].value == "绩效目标表目录"
    book.close()


# --- help -----------------------------------------------------------------------------------------


@run_async
async def test_help_lists_every_binding_of_app_and_screen(sample_engine: tuple[Engine, int]) -> None:
    engine, department_id = sample_engine

    class HelpHost(Host):
        BINDINGS: ClassVar[list[BindingType]] = [Binding("f1", "help", "帮助", id="app.help")]

        def action_help(self) -> None:
            self.push_screen(HelpScreen(TuiContext(engine, "王芳", department_id)))

    app = HelpHost(lambda: BudgetLinesScreen(TuiContext(engine, "王芳", department_id)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        rows = _rows(help_screen.query_one(DataTable))
        entries = help_screen.entries
        ids = {entry.binding_id for entry in entries}
        for binding in BudgetLinesScreen.BINDINGS:
            assert isinstance(binding, Binding)
            assert binding.id in ids
            assert any(e.description == binding.description and e.binding_id == binding.id for e in entries)
            assert any(row[2] == binding.description for row in rows)
        assert "app.help" in ids
        # The ids (for the settings file) are not shown: every cell is Chinese or a key.
        assert all(len(row) == 3 and not any(binding_id in row for binding_id in ids) for row in rows)
        assert any(row[0] == "全局" and row[2] == "退出" for row in rows)  # Textual's ctrl+q, in Chinese
        assert all(not row[2].isascii() for row in rows)
        await pilot.press("escape")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BudgetLinesScreen)

        # The same bindings feed the command palette; running one does what its key does.
        commands = {command.title: command for command in screen_commands(app, screen)}
        assert set(commands) >= {b.description for b in BudgetLinesScreen.BINDINGS if isinstance(b, Binding)}
        result = commands["新增科目"].callback()
        if result is not None:
            await result
        await pilot.pause()
        assert app.screen.query_one("#code", Input) is not None


@run_async
async def test_reconciliation_flags_a_line_that_does_not_add_up(sample_engine: tuple[Engine, int]) -> None:
    engine, department_id = sample_engine
    with write_session(engine) as session:
        department = repo.load_department(session, department_id=department_id)
        project = next(
            p for p in department.projects if p.budget_line_code == "2060702" and p.amount_unit == "万元"
        )
        changed = project.model_copy(update={"budget_amount": project.budget_amount + Decimal("1")})  # type: ignore[operator]
        repo.save_project(session, project=changed, expected_revision=project.goal.revision, user="王芳")
    app = Host(lambda: ReconciliationScreen(TuiContext(engine, "王芳", department_id)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        rows = {
            str(row[0]): row
            for row in (
                screen.query_one("#recon-lines", DataTable).get_row_at(i)
                for i in range(screen.query_one("#recon-lines", DataTable).row_count)
            )
        }
        for code in ("206", "20607", "2060702"):
            assert str(rows[code][5]) == "✗ 不一致"
            assert str(rows[code][4]).startswith("1.00")  # the projects come to 1 万元 more than the line
        assert str(rows["2060705"][5]) == "✓ 一致"
        assert "3 个科目对账不一致" in status_text(screen)


# --- inside the real app --------------------------------------------------------------------------


@run_async
async def test_screens_inside_the_app_jump_back_to_the_main_screen(sample_engine: tuple[Engine, int]) -> None:
    from perfgoals.tui.app import PerfgoalsApp

    engine, department_id = sample_engine
    app = PerfgoalsApp(TuiContext(engine, "王芳", department_id))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        main = app.main_screen
        # 对账 → a line → its first project: the main screen opens that project.
        await pilot.press("f9")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReconciliationScreen)
        lines = screen.query_one("#recon-lines", DataTable)
        lines.move_cursor(row=[str(lines.get_row_at(i)[0]) for i in range(lines.row_count)].index("2060705"))
        await pilot.pause()
        wanted = screen.shown[0]
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert app.screen is main and main.current_id == wanted.id

        # Help over the main screen lists the main screen's keys and the app's, from their bindings.
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        ids = {entry.binding_id for entry in app.screen.entries}
        assert {"main.save", "main.reconciliation", "app.help", "app.quit"} <= ids
        await pilot.press("escape")
        await pilot.pause()

        # 部门与年度 → roll over → open the new year in the main screen.
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, DepartmentsScreen)
        await pilot.press("r")
        await until(pilot, lambda: bool(app.screen.query("#prompt-input")))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is main
        assert main.department is not None and main.department.year == 2023
        assert all(p.status.value == "草稿" for p in main.department.projects)
