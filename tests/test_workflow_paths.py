"""The review's two promises, as properties over every path data comes in by.

(a) A table 已提交, 部门已审 or 财政已审 keeps its targets: a TUI cell edit (typing, Enter/F2, paste, delete
    row), the F3 project dialog (amount, line), the F4 goal dialog, an F7 budget-line recode that would carry
    the project along, a workbook re-import with an edited sheet, a goal-table import (.docx, text, .xlsx)
    over the project, ``load`` of a JSON with changed targets, ``import --replace`` and rollover (the new
    year's copy is a 草稿, the old year's locked table untouched): each refused with one message naming the
    project, nothing written (the department-year reads the same before and after).
(b) A status changes only through the review: no path above sets 已提交, 部门已审 or 财政已审.
(c) Monitoring, 自评 and comments still go through on a locked table.

The data is what real imports produce: the packaged sample (科普活动: an amount inferred from the procurement
table, a suggested budget-line link) and the Sichuan layout (tests/goal_corpus.py: 指标性质 and 度量单位 in
columns of their own, amounts in 元).  Storage cases run on SQLite and PostgreSQL (``engine``); the CLI runs
as a subprocess; the TUI through Pilot.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy.engine import Engine
from textual import events
from textual.widgets import DataTable, Input

from perfgoals.errors import PerfgoalsError
from perfgoals.export import write_workbook
from perfgoals.importers.workbook import WorkbookImportError, import_workbook
from perfgoals.models import BudgetLine, Department, LinkStatus, Project, ProjectStatus, Role
from perfgoals.rollover import rollover
from perfgoals.storage import repository as repo
from perfgoals.storage import users as users_
from perfgoals.storage import workflow as flow
from perfgoals.storage.budget_lines import upsert_budget_line
from perfgoals.storage.db import open_database, read_session, write_session
from perfgoals.storage.trash import save_project_as_new
from perfgoals.tui.app import PerfgoalsApp
from perfgoals.tui.context import TuiContext
from perfgoals.tui.screens.budget_lines import BudgetLinesScreen
from perfgoals.tui.screens.main import MainScreen
from perfgoals.workflow import Action
from perfgoals.workflow.gate import SubmitBlocked
from tests.goal_corpus import SICHUAN, write
from tests.test_tui_main import asynctest, settle
from tests.test_tui_screens import Host, status_text
from tests.test_workflow_machine import PROJECT, _act, _load, _setup, sample

S = ProjectStatus
LOCKED = (S.SUBMITTED, S.DEPARTMENT_APPROVED, S.FINANCE_APPROVED)
#: The review's steps to each locked status, from a draft.
STEPS: dict[ProjectStatus, tuple[str, Action, dict[str, Any]]] = {
    S.SUBMITTED: ("王芳", Action.SUBMIT, {}),
    S.DEPARTMENT_APPROVED: ("李四", Action.DEPARTMENT_APPROVE, {}),
    S.FINANCE_APPROVED: ("财政", Action.FINANCE_REVIEW, {"grade": "良"}),
}


def _department(engine: Engine, code: str = "731", year: int = 2022) -> Department:
    with read_session(engine) as session:
        key = repo.find_department(session, code=code, year=year)
        return repo.load_department(session, department_id=key.id)


def _dump(engine: Engine, code: str = "731", year: int = 2022) -> str:
    return _department(engine, code, year).model_dump_json()


def _as_login(engine: Engine, name: str, role: Role) -> None:
    """On PostgreSQL the user is the login whatever is asked: give the login ``role`` too."""
    with read_session(engine) as session:
        login = users_.login_name(session, requested=name)
    if login != name:
        with write_session(engine) as session:
            if login not in {user.name for user in users_.list_users(session)}:
                users_.add_user(session, name=login, role=role, departments=["731"], by="财政")


def _with(project: Project, **changes: Any) -> Project:
    goal = {key: changes.pop(key) for key in ("indicators", "goal_text") if key in changes}
    return project.model_copy(update={**changes, "goal": project.goal.model_copy(update=goal)})


def _edited_row(project: Project) -> Project:
    rows = list(project.goal.indicators)
    rows[0] = rows[0].model_copy(update={"value": "≥8期"})
    return _with(project, indicators=rows)


def _save(engine: Engine, project: Project) -> None:
    with write_session(engine) as session:
        repo.save_project(session, project=project, expected_revision=project.goal.revision, user="王芳")


# ---------------------------------------------------------------- (a) storage paths, each a case
def _cell(engine: Engine, project: Project, tmp_path: Path) -> None:
    _save(engine, _edited_row(project))


def _delete_row(engine: Engine, project: Project, tmp_path: Path) -> None:
    _save(engine, _with(project, indicators=project.goal.indicators[1:]))


def _f3_amount(engine: Engine, project: Project, tmp_path: Path) -> None:
    assert project.amount_source.value == "procurement"  # inferred from the procurement table
    _save(engine, _with(project, budget_amount=Decimal("70"), amount_source="entered"))


def _f3_line(engine: Engine, project: Project, tmp_path: Path) -> None:
    _save(engine, _with(project, budget_line_code="2060701"))


def _f3_confirm_link(engine: Engine, project: Project, tmp_path: Path) -> None:
    assert project.line_link is LinkStatus.SUGGESTED
    _save(engine, _with(project, line_link=LinkStatus.CONFIRMED))


def _f4_goal(engine: Engine, project: Project, tmp_path: Path) -> None:
    _save(engine, _with(project, goal_text=project.goal.goal_text + "（改）"))


def _f7_recode(engine: Engine, project: Project, tmp_path: Path) -> None:
    department = _department(engine)
    line = next(line for line in department.budget_lines if line.code == project.budget_line_code)
    assert department.id is not None
    with write_session(engine) as session:
        upsert_budget_line(
            session,
            department_id=department.id,
            line=BudgetLine.model_validate({**line.model_dump(), "code": "2060798"}),
            user="王芳",
            replacing=line.code,
        )


def _edited_workbook(engine: Engine, tmp_path: Path) -> Path:
    """The department-year exported (once: a later status re-imports the same file) with 科普活动's ≥6期 → ≥8期."""
    if (tmp_path / "edited.xlsx").exists():
        return tmp_path / "edited.xlsx"
    write_workbook(tmp_path / "a.xlsx", [_department(engine)], findings=lambda _d: [])
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    sheet = book[PROJECT]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "≥6期")
    sheet[cell.coordinate] = "≥8期"
    book.save(tmp_path / "edited.xlsx")
    return tmp_path / "edited.xlsx"


def _workbook(engine: Engine, project: Project, tmp_path: Path) -> None:
    edited = _edited_workbook(engine, tmp_path)
    for replace in (False, True):
        with pytest.raises(WorkbookImportError) as refused, write_session(engine) as session:
            import_workbook(session, path=edited, user="王芳", replace=replace)
        assert str(refused.value).count(f"“{PROJECT}”") == 1
    raise WorkbookImportError(str(refused.value))


def _load_replace(engine: Engine, project: Project, tmp_path: Path) -> None:
    """``load``/``import --replace``/``demo``: the department-year written whole over the locked table."""
    _as_login(engine, "王芳", Role.OWNER)
    department = sample()
    department.projects = [_edited_row(p) if p.name == PROJECT else p for p in department.projects]
    with write_session(engine) as session:
        repo.save_department(session, department=department, user="王芳", replace=True)


def _goal_table_replace(engine: Engine, project: Project, tmp_path: Path) -> None:
    """A stand-alone goal table imported with --replace over the project (its status kept from the database)."""
    from perfgoals.cli.importing import _replace_project

    read = _edited_row(project).model_copy(update={"status": S.DRAFT, "comments": [], "reviews": []})
    with write_session(engine) as session:
        _replace_project(session, project, read, "王芳")


PATHS: dict[str, Callable[[Engine, Project, Path], None]] = {
    "cell": _cell,
    "delete-row": _delete_row,
    "F3-amount": _f3_amount,
    "F3-line": _f3_line,
    "F3-confirm-link": _f3_confirm_link,
    "F4-goal": _f4_goal,
    "F7-recode-line": _f7_recode,
    "workbook-reimport": _workbook,
    "load-replace": _load_replace,
    "goal-table-replace": _goal_table_replace,
}


@pytest.mark.parametrize("path", PATHS.values(), ids=PATHS.keys())
def test_a_locked_table_keeps_its_targets(
    engine: Engine, tmp_path: Path, path: Callable[[Engine, Project, Path], None]
) -> None:
    project_id = _setup(engine)
    for status in LOCKED:
        user, action, extra = STEPS[status]
        _act(engine, project_id, user, action, **extra)
        before = _dump(engine)
        with pytest.raises(PerfgoalsError) as refused:
            path(engine, _load(engine, project_id), tmp_path)
        message = str(refused.value)
        assert message.count(f"“{PROJECT}”") == 1, message
        assert "锁定" in message or "正在审核或已审核" in message, message
        assert _dump(engine) == before, f"{status.value}: written"


def test_rollover_copies_a_locked_table_as_a_draft_and_leaves_it(engine: Engine) -> None:
    project_id = _setup(engine)
    for year, status in zip((2023, 2024, 2025), LOCKED, strict=True):
        user, action, extra = STEPS[status]
        _act(engine, project_id, user, action, **extra)
        before = _dump(engine)
        with write_session(engine) as session:
            rollover(session, department_id=_department(engine).id or 0, to_year=year, user="王芳")
        assert _dump(engine) == before
        copy = next(p for p in _department(engine, year=year).projects if p.name == PROJECT)
        assert copy.status is S.DRAFT and copy.reviews == [] and copy.comments == []
        assert [i.value for i in copy.goal.indicators] == [
            i.value for i in _load(engine, project_id).goal.indicators
        ]


# ---------------------------------------------------------------- (b) a status only through the review
def _set_by_save(engine: Engine, tmp_path: Path) -> None:
    project = _department(engine).project(PROJECT)
    assert project is not None
    _save(engine, project.model_copy(update={"status": S.FINANCE_APPROVED}))


def _set_by_load(engine: Engine, tmp_path: Path) -> None:
    _as_login(engine, "王芳", Role.OWNER)
    department = sample()
    department.projects = [
        p.model_copy(update={"status": S.FINANCE_APPROVED}) if p.name == PROJECT else p
        for p in department.projects
    ]
    with write_session(engine) as session:
        repo.save_department(session, department=department, user="王芳", replace=True)


def _set_by_load_new_year(engine: Engine, tmp_path: Path) -> None:
    _as_login(engine, "王芳", Role.OWNER)
    department = sample().model_copy(update={"year": 2030})
    department.projects = [
        p.model_copy(update={"status": S.SUBMITTED}) if p.name == PROJECT else p for p in department.projects
    ]
    with write_session(engine) as session:
        repo.save_department(session, department=department, user="王芳")


def _set_by_workbook_into_empty(engine: Engine, tmp_path: Path) -> None:
    """A workbook of an approved table brought into a database without its department-year."""
    _as_login(engine, "王芳", Role.OWNER)
    department = _department(engine)
    department.projects = [
        p.model_copy(update={"status": S.FINANCE_APPROVED}) if p.name == PROJECT else p
        for p in department.projects
    ]
    write_workbook(
        tmp_path / "w.xlsx", [department.model_copy(update={"year": 2031})], findings=lambda _d: []
    )
    with write_session(engine) as session:
        import_workbook(session, path=tmp_path / "w.xlsx", user="王芳", replace=False)


def _set_by_add(engine: Engine, tmp_path: Path) -> None:
    department = _department(engine)
    assert department.id is not None
    with write_session(engine) as session:
        repo.add_project(
            session,
            department_id=department.id,
            project=Project(name="新项目", status=S.SUBMITTED),
            user="王芳",
        )


STATUS_PATHS: dict[str, Callable[[Engine, Path], None]] = {
    "save": _set_by_save,
    "load-replace": _set_by_load,
    "load-new-year": _set_by_load_new_year,
    "workbook-new-department-year": _set_by_workbook_into_empty,
    "add-project": _set_by_add,
}


@pytest.mark.parametrize("path", STATUS_PATHS.values(), ids=STATUS_PATHS.keys())
def test_no_path_but_the_review_sets_a_review_status(
    engine: Engine, tmp_path: Path, path: Callable[[Engine, Path], None]
) -> None:
    _setup(engine)
    before = _dump(engine)
    with pytest.raises(PerfgoalsError) as refused:
        path(engine, tmp_path)
    assert "审核流程" in str(refused.value), str(refused.value)
    assert _dump(engine) == before
    with read_session(engine) as session:
        assert [(k.code, k.year) for k in repo.list_departments(session)] == [("731", 2022)]


def test_a_copy_of_a_locked_table_is_saved_as_a_draft(engine: Engine) -> None:
    project_id = _setup(engine)
    _act(engine, project_id, "王芳", Action.SUBMIT)
    with write_session(engine) as session:
        copy = save_project_as_new(session, project=_edited_row(_load(engine, project_id)), user="王芳")
    assert copy.status is S.DRAFT and _load(engine, project_id).status is S.SUBMITTED


def test_the_finance_office_may_still_load_approved_tables(engine: Engine) -> None:
    """The finance office gathering departments' files: a 财政审核人 writes what it holds."""
    _setup(engine)
    with read_session(engine) as session:
        finance = users_.login_name(session, requested="财政")
    if finance != "财政":
        with write_session(engine) as session:
            users_.add_user(session, name=finance, role=Role.FINANCE_REVIEWER, by="财政")
    department = sample().model_copy(update={"year": 2030})
    department.projects[0] = department.projects[0].model_copy(update={"status": S.FINANCE_APPROVED})
    with write_session(engine) as session:
        repo.save_department(session, department=department, user=finance)
    assert _department(engine, year=2030).projects[0].status is S.FINANCE_APPROVED


# ---------------------------------------------------------------- the CLI, as a user runs it (SQLite)
def _cli_setup(tmp_path: Path, status: ProjectStatus = S.SUBMITTED) -> tuple[Engine, int]:
    engine = open_database(f"sqlite:///{tmp_path / 'cli.db'}")
    project_id = _setup(engine)
    for step in LOCKED[: LOCKED.index(status) + 1]:
        user, action, extra = STEPS[step]
        _act(engine, project_id, user, action, **extra)
    return engine, project_id


def test_cli_load_and_import_replace_of_a_locked_table_are_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import SAMPLE_TEXT

    engine, _ = _cli_setup(tmp_path, S.DEPARTMENT_APPROVED)
    dumped = cli("dump", "-o", str(tmp_path / "d.json"))
    assert dumped.code == 0, dumped.stderr
    document = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    project = next(p for p in document["department"]["projects"] if p["name"] == PROJECT)
    project["goal"]["indicators"][0]["value"] = "≥8期"
    (tmp_path / "changed.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    approved = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    for p in approved["department"]["projects"]:
        p["status"] = "财政已审"
    (tmp_path / "approved.json").write_text(json.dumps(approved, ensure_ascii=False), encoding="utf-8")
    before = _dump(engine)
    for args in (
        ("load", "--replace", str(tmp_path / "changed.json")),
        ("load", "--replace", str(tmp_path / "approved.json")),
        ("import", "--replace", str(SAMPLE_TEXT)),
    ):
        result = cli("--user", "王芳", *args)
        assert result.code == 2, (args, result.stdout, result.stderr)
        assert f"“{PROJECT}”" in result.stderr and "Traceback" not in result.stderr, result.stderr
        assert _dump(engine) == before, args


def test_cli_rollover_leaves_the_locked_year_and_starts_a_draft(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    engine, _ = _cli_setup(tmp_path, S.FINANCE_APPROVED)
    before = _dump(engine)
    result = cli("--user", "王芳", "rollover", "--from", "2022", "--to", "2023")
    assert result.code == 0, result.stderr
    assert _dump(engine) == before
    copy = _department(engine, year=2023).project(PROJECT)
    assert copy is not None and copy.status is S.DRAFT


def _submit_as_owner(tmp_path: Path, name: str) -> tuple[Engine, Any]:
    """Set up the review on the CLI's database and submit ``name`` as its owner 王芳, each open error accepted
    (the submit gate is :mod:`tests.test_workflow_machine`'s business); the department-year's key."""
    engine = open_database(f"sqlite:///{tmp_path / 'cli.db'}")
    with write_session(engine) as session:
        [key] = repo.list_departments(session)
        users_.add_user(session, name="测试员", role=Role.FINANCE_REVIEWER, by="测试员")
        users_.add_user(session, name="王芳", role=Role.OWNER, departments=[key.code], by="测试员")
        project_id = flow.locate(session, project=name).project_id
    try:
        _act(engine, project_id, "王芳", Action.SUBMIT)
    except SubmitBlocked as blocked:
        _act(engine, project_id, "王芳", Action.SUBMIT, accept={f.code: "样表" for f in blocked.errors})
    assert _load(engine, project_id).status is S.SUBMITTED
    return engine, key


# ---------------------------------------------------------------- a real layout: Sichuan's split unit column
def _sichuan_edited() -> list[Any]:
    """SICHUAN's blocks with 临时救助's 救助困难群众 500 → 600 (the 度量单位 人 in its own column)."""
    blocks = json.loads(json.dumps(SICHUAN.blocks))
    rows = blocks[2]
    for row in rows:
        if "救助困难群众" in [c if isinstance(c, str) else None for c in row]:
            at = row.index("救助困难群众")
            assert row[at + 2] == "500" and row[at + 3] == "人"
            row[at + 2] = "600"
    return [blocks[0], blocks[1], [[tuple(c) if isinstance(c, list) else c for c in r] for r in rows]]


@pytest.mark.parametrize("form", ["docx", "text", "xlsx"])
def test_a_goal_table_imported_over_a_locked_project_is_refused(cli, tmp_path: Path, form: str) -> None:  # type: ignore[no-untyped-def]
    first = cli("import", str(write(tmp_path, "sichuan", SICHUAN.blocks, form)))
    assert first.code == 0, first.stderr
    engine, key = _submit_as_owner(tmp_path, "临时救助")
    project = _department(engine, key.code, key.year).project("临时救助")
    assert project is not None
    assert [i.unit for i in project.goal.indicators][:2] == [
        "人",
        "%",
    ]  # the 度量单位 column, split from 指标值
    before = _dump(engine, key.code, key.year)
    (tmp_path / "edited").mkdir()
    edited = write(tmp_path / "edited", "sichuan", _sichuan_edited(), form)
    result = cli("--user", "王芳", "import", "--replace", str(edited))
    said = result.stdout + result.stderr
    assert result.code == 2 and said.count("项目“临时救助”已提交，绩效目标表已锁定") == 1, said
    assert _dump(engine, key.code, key.year) == before


# ---------------------------------------------------------------- (c) what follows the targets still goes in
def test_monitoring_evaluation_and_comments_go_through_on_a_locked_table(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    engine, project_id = _cli_setup(tmp_path, S.FINANCE_APPROVED)
    targets = _load(engine, project_id).model_copy(update={"monitoring": None, "evaluation": None})
    for user, *args in (
        ("王芳", "monitor", "-p", PROJECT, "--as-of", "2022-07-31", "--row", "1", "--progress", "3期"),
        ("王芳", "evaluate", "-p", PROJECT, "--row", "1", "--actual", "5期"),
        ("李四", "comment", "-p", PROJECT, "--row", "1", "--column", "指标值", "请说明依据"),
        ("王芳", "reply", "-p", PROJECT, "1", "依据为年度计划"),
    ):
        result = cli("--user", user, *args)
        assert result.code == 0, (args, result.stderr)
    after = _load(engine, project_id)
    assert after.status is S.FINANCE_APPROVED
    assert after.monitoring is not None and after.monitoring.rows[0].progress == "3期"
    assert after.evaluation is not None and after.evaluation.rows[0].actual == "5期"
    assert [(c.text, [r.text for r in c.replies]) for c in after.comments] == [
        ("请说明依据", ["依据为年度计划"])
    ]
    assert repo_targets(after) == repo_targets(targets)


def repo_targets(project: Project) -> str:
    return project.model_dump_json(
        include={"name", "budget_amount", "budget_line_code", "line_link", "goal"},
        exclude={"goal": {"revision"}},
    )


def test_a_self_evaluation_imports_onto_a_locked_table(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.test_evaluation_import import _goal_table, build_other_layout

    assert cli("import", str(_goal_table(tmp_path / "目标.xlsx"))).code == 0
    engine, _ = _submit_as_owner(tmp_path, "社区科普大讲堂")
    before = _department(engine, "901", 2023).projects[0]
    imported = cli("--user", "王芳", "import", str(build_other_layout(tmp_path / "自评.xlsx")))
    assert imported.code == 0 and "导入自评的项目（1 个）：社区科普大讲堂" in imported.stdout, imported.stderr
    after = _department(engine, "901", 2023).projects[0]
    assert (
        after.status is S.SUBMITTED
        and after.evaluation is not None
        and repo_targets(after) == repo_targets(before)
    )


# ---------------------------------------------------------------- the TUI, through Pilot
OWNER, REVIEWER, FINANCE = "张三", "李四", "王五"


@pytest.fixture
def tui_engine(sample_file_engine: Engine) -> tuple[Engine, int]:
    """The TUI sample (the packaged one, as imported) with the review set up and 科普活动 submitted."""
    engine = sample_file_engine
    with write_session(engine) as session:
        key = repo.list_departments(session)[0]
        users_.add_user(session, name=FINANCE, role=Role.FINANCE_REVIEWER, by=FINANCE)
        users_.add_user(session, name=OWNER, role=Role.OWNER, departments=[key.code], by=FINANCE)
        project_id = flow.locate(session, project=PROJECT).project_id
        flow.transition(session, project_id=project_id, user=OWNER, action=Action.SUBMIT)
    return engine, project_id


async def _paste(pilot: Any) -> None:
    pilot.app.post_message(events.Paste("改了\t改了"))


KEYS: dict[str, list[str] | Callable[[Any], Any]] = {
    "typing": ["x", "y"],
    "enter": ["enter", "x", "enter"],
    "f2": ["f2", "x", "enter"],
    "paste-terminal": _paste,
    "paste-ctrl+v": ["ctrl+c", "ctrl+v"],
    "delete-row": ["ctrl+k"],
    "insert-row": ["ctrl+n"],
    "clear-cell": ["delete"],
    "F3-project-dialog": ["f3"],
    "F4-goal-dialog": ["f4"],
}


@pytest.mark.parametrize("keys", KEYS.values(), ids=KEYS.keys())
@asynctest
async def test_the_grid_and_dialogs_refuse_a_locked_table(tui_engine: tuple[Engine, int], keys: Any) -> None:
    engine, project_id = tui_engine
    before = _dump(engine)
    app = PerfgoalsApp(TuiContext(engine=engine, user=OWNER))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.main_screen  # type: ignore[attr-defined]
        screen.select_project(project_id)
        screen.grid.focus()
        await settle(pilot)
        screen.grid.go_to(0, "value")
        await pilot.pause()
        if callable(keys):
            await keys(pilot)
        else:
            await pilot.press(*keys)
        await settle(pilot)
        assert app.screen is screen, "a dialog opened on a locked table"
        assert screen.draft is not None and not screen.draft.dirty and not screen.grid.editing
        said = "\n".join(str(n.message) for n in app._notifications)
        assert said.count("已提交，等待部门审核：目标表已锁定，退回后才能修改") == 1, said
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert _dump(engine) == before


@asynctest
async def test_f7_recoding_the_line_of_a_locked_table_is_refused(tui_engine: tuple[Engine, int]) -> None:
    engine, _ = tui_engine
    department = _department(engine)
    before = _dump(engine)
    code = next(p.budget_line_code for p in department.projects if p.name == PROJECT)
    app = Host(lambda: BudgetLinesScreen(TuiContext(engine, OWNER, department.id)))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one(DataTable)
        table.move_cursor(row=[line.code for line in department.budget_lines].index(code))
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#code", Input).value = "2060798"
        app.screen.query_one("#name", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        said = status_text(screen)
        assert f"项目“{PROJECT}”已提交，绩效目标表已锁定，科目 {code} 不能改编码为 2060798" in said, said
    assert _dump(engine) == before


def test_a_real_table_re_imported_with_an_edited_cell_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The real Hunan 申报表 (tests/data/real): imported, submitted, then its .docx edited and brought back."""
    import docx

    from tests.test_import_goal_corpus import HUNAN_REAL

    assert cli("import", str(HUNAN_REAL)).code == 0
    name = "雾炮车降尘抑尘服务"
    engine, key = _submit_as_owner(tmp_path, name)
    document = docx.Document(str(HUNAN_REAL))
    cells = [c for t in document.tables for row in t.rows for c in row.cells if c.text.strip() == "10辆"]
    assert cells
    for cell in cells:
        cell.paragraphs[0].text = "12辆"
        for extra in cell.paragraphs[1:]:
            extra.text = ""
    document.save(str(tmp_path / "edited.docx"))
    before = _dump(engine, key.code, key.year)
    result = cli("--user", "王芳", "import", "--replace", str(tmp_path / "edited.docx"))
    said = result.stdout + result.stderr
    assert result.code == 2 and said.count(f"项目“{name}”已提交，绩效目标表已锁定") == 1, said
    assert _dump(engine, key.code, key.year) == before
