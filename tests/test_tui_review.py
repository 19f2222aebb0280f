"""The review (审核) in the TUI, through Pilot on a real SQLite database: submit → 退回 with a cell
comment → reply and fix → submit → 部门审核通过 → 财政审核 良, the lock, the queue per role, and the
部门整体绩效目标 dialog.  Each user is a separate app on the same database (the context's user)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, RadioButton, RadioSet, TextArea

from perfgoals.models import DepartmentGoals, Grade, ProjectStatus, Role
from perfgoals.storage import repository as repo
from perfgoals.storage.db import read_session, write_session
from perfgoals.storage.department_goals import load_department_goals
from perfgoals.storage.users import add_user
from perfgoals.tui.app import PerfgoalsApp
from perfgoals.tui.context import TuiContext
from perfgoals.tui.screens.main import MainScreen
from perfgoals.tui.screens.review_dialogs import (
    CommentDialog,
    DepartmentGoalsDialog,
    FinanceReviewDialog,
    OpenErrorsDialog,
    ReviewMenu,
)
from perfgoals.tui.screens.review_queue import ReviewQueueScreen
from perfgoals.tui.widgets.comments_panel import CommentsPanel
from tests.test_tui_main import asynctest, settle

SIZE = (120, 40)
OWNER, REVIEWER, FINANCE = "张三", "李四", "王五"


@pytest.fixture
def engine(sample_file_engine: Engine) -> Engine:
    """The sample, its first project's first 指标值 emptied (two open errors), and the three users."""
    engine = sample_file_engine
    with write_session(engine) as session:
        key = repo.list_departments(session)[0]
        department = repo.load_department(session, department_id=key.id)
        project = department.projects[0]
        project.goal.indicators[0].value = ""
        repo.save_project(session, project=project, expected_revision=project.goal.revision, user="样例")
        add_user(session, name=FINANCE, role=Role.FINANCE_REVIEWER, by=FINANCE)
        add_user(session, name=OWNER, role=Role.OWNER, departments=[key.code], by=FINANCE)
        add_user(session, name=REVIEWER, role=Role.DEPARTMENT_REVIEWER, departments=[key.code], by=FINANCE)
    return engine


def make_app(engine: Engine, user: str) -> PerfgoalsApp:
    return PerfgoalsApp(TuiContext(engine=engine, user=user))


def stored(engine: Engine, index: int = 0) -> Any:
    with read_session(engine) as session:
        key = repo.list_departments(session)[0]
        return repo.load_department(session, department_id=key.id).projects[index]


async def start(pilot: Pilot[None], index: int = 0) -> MainScreen:
    """Open the department's ``index``-th project (as stored) and focus its grid."""
    await settle(pilot)
    screen: MainScreen = pilot.app.main_screen  # type: ignore[attr-defined]
    await show(pilot, index)
    return screen


async def show(pilot: Pilot[None], index: int) -> None:
    screen: MainScreen = pilot.app.main_screen  # type: ignore[attr-defined]
    assert screen.department is not None
    project_id = screen.department.projects[index].id
    assert project_id is not None
    screen.select_project(project_id)
    screen.grid.focus()
    await settle(pilot)


def notices(app: PerfgoalsApp) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


@asynctest
async def test_submit_return_reply_fix_approve_and_finance_review(engine: Engine) -> None:
    # 1. The owner submits: refused, naming the open errors; accepts each with a reason; submitted.
    app = make_app(engine, OWNER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        await pilot.press("ctrl+u")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, OpenErrorsDialog)
        listed = " ".join(str(s.render()) for s in dialog.query(".open-error"))
        assert "PG305" in listed and "PG306" in listed and "指标值为空" in listed
        await pilot.press("ctrl+s")  # no reasons yet: refused, says which
        await pilot.pause()
        assert isinstance(app.screen, OpenErrorsDialog)
        for reason in dialog.query(".reason").results(Input):
            reason.value = "待部门审核时补充"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.draft is not None and screen.draft.project.status is ProjectStatus.SUBMITTED
        assert {a.code for a in screen.draft.project.acceptances} == {"PG305", "PG306"}
        assert screen.draft.id is not None and screen.workspace.counts(screen.draft.id).errors == 0  # type: ignore[union-attr]
        # 2. Locked: typing on the grid refuses, with one clear message, and nothing changes.
        screen.grid.go_to(0, "value")
        screen.grid.focus()
        await pilot.press("x", "y")
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert not screen.grid.editing and not screen.draft.dirty
        assert notices(app).count("已提交，等待部门审核：目标表已锁定，退回后才能修改") == 1
        assert "已锁定" in str(screen.grid.border_subtitle)
    project = stored(engine)
    assert project.status is ProjectStatus.SUBMITTED
    assert set(project.reviews[-1].accepted) == {"PG305", "PG306"}

    # 3. The department reviewer returns it with a comment on the cell.
    app = make_app(engine, REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        screen.grid.go_to(0, "value")
        await pilot.pause()
        await pilot.press("ctrl+l")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CommentDialog)
        assert dialog.query_one(RadioSet).pressed_index == 0  # the cursor cell
        dialog.query_one(TextArea).text = "指标值不能为空，请填写活动次数"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.draft is not None and screen.draft.project.status is ProjectStatus.RETURNED
    project = stored(engine)
    assert project.status is ProjectStatus.RETURNED
    assert [(c.row, c.field, c.text) for c in project.comments] == [(0, "value", "指标值不能为空，请填写活动次数")]

    # 4. The owner sees the marker and the comment, replies, fixes the cell and submits again.
    app = make_app(engine, OWNER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        panel = screen.query_one("#comments", CommentsPanel)
        assert panel.display and "指标值不能为空" in str(panel.get_option_at_index(0).prompt)
        screen.grid.go_to(0, "value")
        await pilot.pause()
        cell = screen.grid.get_cell_at(screen.grid.cursor_coordinate)
        assert str(cell).startswith("◆")
        await pilot.press("ctrl+right_square_bracket")
        await settle(pilot)
        assert isinstance(app.screen, CommentDialog)
        app.screen.query_one(TextArea).text = "已补上：≥1次"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.draft is not None and screen.draft.project.comments[0].replies[0].text == "已补上：≥1次"
        assert str(screen.grid.get_cell_at(screen.grid.cursor_coordinate)).startswith("◇")
        # Returned: editable again.
        screen.grid.focus()
        await pilot.press("f2")
        await pilot.pause()
        editor_input = screen.cell_editor.query_one(Input)
        editor_input.value = "≥1次"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.draft.project.goal.indicators[0].value == "≥1次"
        await pilot.press("ctrl+u")  # saves, then submits (nothing open now)
        await settle(pilot)
        await settle(pilot)
        assert not isinstance(app.screen, OpenErrorsDialog)
        assert screen.draft.project.status is ProjectStatus.SUBMITTED
    project = stored(engine)
    assert project.status is ProjectStatus.SUBMITTED and project.goal.indicators[0].value == "≥1次"
    assert project.comments[0].replies[0].author == OWNER

    # 5. The department approves; 6. the finance office reviews 良 with opinions.
    app = make_app(engine, REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        await pilot.press("ctrl+a")
        await settle(pilot)
        await pilot.click("#yes")
        await settle(pilot)
        assert screen.draft is not None and screen.draft.project.status is ProjectStatus.DEPARTMENT_APPROVED
    app = make_app(engine, FINANCE)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        await pilot.press("ctrl+j")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FinanceReviewDialog)
        await pilot.press("ctrl+s")  # no grade: refused
        await pilot.pause()
        assert isinstance(app.screen, FinanceReviewDialog)
        dialog.query_one("#grade-good", RadioButton).value = True
        opinions = {"完整性": "要素齐全", "相关性": "与职能相关", "适当性": "成本合理", "可行性": "可以实现"}
        for index, text in enumerate(opinions.values()):
            dialog.query_one(f"#opinion-{index}", Input).value = text
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.draft is not None and screen.draft.project.status is ProjectStatus.FINANCE_APPROVED
        assert "财政已审：目标表已锁定" not in notices(app)
        screen.grid.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert not screen.grid.editing and "财政已审：目标表已锁定，退回后才能修改" in notices(app)
    project = stored(engine)
    assert project.status is ProjectStatus.FINANCE_APPROVED
    last = project.reviews[-1]
    assert (last.action, last.grade, last.opinions) == ("财政审核", Grade.GOOD, opinions)
    assert [event.to_status for event in project.reviews] == [
        ProjectStatus.SUBMITTED,
        ProjectStatus.RETURNED,
        ProjectStatus.SUBMITTED,
        ProjectStatus.DEPARTMENT_APPROVED,
        ProjectStatus.FINANCE_APPROVED,
    ]


@asynctest
async def test_finance_grade_fair_returns_the_table(engine: Engine) -> None:
    with write_session(engine) as session:
        project = stored(engine, 1)
        from perfgoals.storage import workflow

        workflow.transition(session, project_id=project.id, user=OWNER, action="提交")
        workflow.transition(session, project_id=project.id, user=REVIEWER, action="部门审核通过")
    app = make_app(engine, FINANCE)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, 1)
        await pilot.press("ctrl+j")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FinanceReviewDialog)
        dialog.query_one("#grade-fair", RadioButton).value = True
        await pilot.pause()
        assert "退回" in str(dialog.query_one("#grade-hint").render())
        for index in range(4):
            dialog.query_one(f"#opinion-{index}", Input).value = f"意见 {index + 1}"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.draft is not None and screen.draft.project.status is ProjectStatus.RETURNED
    assert stored(engine, 1).reviews[-1].grade is Grade.FAIR


@asynctest
async def test_the_queue_lists_per_role_and_opens_the_project(engine: Engine) -> None:
    with write_session(engine) as session:
        from perfgoals.storage import workflow

        first, second = stored(engine, 0), stored(engine, 1)
        workflow.transition(session, project_id=second.id, user=OWNER, action="提交")
        workflow.transition(
            session, project_id=first.id, user=OWNER, action="提交", accept={"PG305": "理由", "PG306": "理由"}
        )
        workflow.transition(session, project_id=first.id, user=REVIEWER, action="部门审核通过")

    async def queue_of(user: str) -> list[str]:
        app = make_app(engine, user)
        async with app.run_test(size=SIZE) as pilot:
            await start(pilot)
            await pilot.press("f12")
            await settle(pilot)
            queue = app.screen
            assert isinstance(queue, ReviewQueueScreen)
            names = [row.project for row in queue.rows]
            table = queue.query_one(DataTable)
            assert table.row_count == len(names)
            if names:
                table.move_cursor(row=len(names) - 1)
                await pilot.press("enter")
                await settle(pilot)
                screen = app.main_screen
                assert app.screen is screen and screen.draft is not None
                assert screen.draft.project.name == names[-1]
            return names

    assert await queue_of(REVIEWER) == [second.name]
    assert await queue_of(FINANCE) == [first.name]
    owner = await queue_of(OWNER)
    assert first.name not in owner and second.name not in owner and len(owner) == 13  # the drafts


@asynctest
async def test_review_menu_lists_what_the_user_may_do(engine: Engine) -> None:
    app = make_app(engine, OWNER)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("f10")
        await settle(pilot)
        menu = app.screen
        assert isinstance(menu, ReviewMenu)
        from textual.widgets import OptionList

        options = menu.query_one(OptionList)
        enabled = [options.get_option_at_index(i).id for i in range(options.option_count) if not options.get_option_at_index(i).disabled]
        assert "submit" in enabled and "approve" not in enabled and "finance" not in enabled
        assert "张三（项目负责人）" in str(menu.query_one(".screen-hint").render())
        await pilot.press("escape")


@asynctest
async def test_project_dialog_shows_the_status_read_only(engine: Engine) -> None:
    app = make_app(engine, OWNER)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert not app.screen.query("Select#status")
        assert "草稿" in str(app.screen.query_one("#project-status").render())


@asynctest
async def test_department_goals_are_edited_and_saved(engine: Engine) -> None:
    app = make_app(engine, OWNER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        await pilot.press("f11")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DepartmentGoalsDialog)
        dialog.query_one("#goals-overall", TextArea).text = "一、围绕科普工作\n  1. 开展活动 ≥10 次"
        dialog.query_one("#goals-safeguards", TextArea).text = "加强组织领导"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
    with read_session(engine) as session:
        key = repo.list_departments(session)[0]
        goals = load_department_goals(session, department_id=key.id)
        assert goals == DepartmentGoals(
            overall="一、围绕科普工作\n  1. 开展活动 ≥10 次",
            itemised=repo.load_department(session, department_id=key.id).goals.itemised,
            safeguards="加强组织领导",
        )
        history = repo.history(session, department_id=key.id, limit=1)
        assert history[0].action == "goals" and history[0].user == OWNER


@asynctest
async def test_department_goals_from_the_departments_screen(engine: Engine) -> None:
    app = make_app(engine, FINANCE)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DepartmentGoalsDialog)
        dialog.query_one("#goals-itemised", TextArea).text = "分项一：科普活动"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, DepartmentGoalsDialog)
    with read_session(engine) as session:
        key = repo.list_departments(session)[0]
        assert load_department_goals(session, department_id=key.id).itemised == "分项一：科普活动"


@asynctest
async def test_a_reviewer_comments_a_row_and_an_owner_may_only_reply(engine: Engine) -> None:
    from perfgoals.storage import workflow

    second = stored(engine, 1)
    with write_session(engine) as session:
        workflow.transition(session, project_id=second.id, user=OWNER, action="提交")
    app = make_app(engine, REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, 1)
        screen.grid.go_to(2, "basis")
        await pilot.pause()
        await pilot.press("ctrl+backslash")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CommentDialog)
        buttons = list(dialog.query(RadioButton).results(RadioButton))
        assert [str(b.label) for b in buttons] == ["当前单元格：第 3 行 确定依据", "当前行：第 3 行", "整张表"]
        buttons[1].value = True
        dialog.query_one(TextArea).text = "这一行的时效要求不明确"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.draft is not None and screen.draft.project.status is ProjectStatus.SUBMITTED
        panel = screen.query_one("#comments", CommentsPanel)
        assert panel.display and len(panel.comments) == 1
    comment = stored(engine, 1).comments[0]
    assert (comment.row, comment.field, comment.author, comment.role) == (2, None, REVIEWER, Role.DEPARTMENT_REVIEWER)
    app = make_app(engine, OWNER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, 1)
        assert str(screen.grid.get_cell_at(Coordinate(2, screen.grid.fields.index("level3")))).startswith("◆")
        await pilot.press("ctrl+backslash")
        await settle(pilot)
        assert app.screen is screen and "不能发表评论，只能回复审核人的评论" in notices(app)
    assert len(stored(engine, 1).comments) == 1


@asynctest
async def test_review_keys_are_in_help_and_the_command_palette(engine: Engine) -> None:
    app = make_app(engine, OWNER)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        titles = {command.title for command in app.get_system_commands(app.main_screen)}
        wanted = {"审核", "提交审核", "退回（附意见）", "部门审核通过", "财政审核（优/良/中/差）", "评论（单元格/行/整张表）", "回复评论", "审核队列", "部门整体绩效目标"}
        assert wanted <= titles
        await pilot.press("f1")
        await settle(pilot)
        from perfgoals.tui.screens.help import HelpScreen

        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert wanted <= {entry.description for entry in help_screen.entries}


@asynctest
async def test_the_comments_panel_goes_to_a_comment_and_replies_to_it(engine: Engine) -> None:
    from perfgoals.storage import workflow

    second = stored(engine, 1)
    with write_session(engine) as session:
        workflow.transition(session, project_id=second.id, user=OWNER, action="提交")
        workflow.transition(
            session,
            project_id=second.id,
            user=REVIEWER,
            action="退回",
            comments=[workflow.CommentRequest("整张表要重写"), workflow.CommentRequest("依据不足", row=3, field="basis")],
        )
    app = make_app(engine, OWNER)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, 1)
        panel = screen.query_one("#comments", CommentsPanel)
        assert [c.number for c in panel.comments] == [1, 2]
        assert "已退回 ◆2" in str(screen.query_one("#summary").render())
        panel.focus()
        panel.highlighted = 1
        await pilot.press("enter")
        await settle(pilot)
        assert (screen.grid.current_row, screen.grid.current_field) == (3, "basis")
        assert panel.comments[0].number == 2  # the cursor cell's comment first
        panel.focus()
        panel.highlighted = 0
        await pilot.press("r")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CommentDialog) and "#2" in str(dialog.query_one(".dialog-title").render())
        dialog.query_one(TextArea).text = "已补充依据"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert stored(engine, 1).comments[1].replies[0].text == "已补充依据"


@asynctest
async def test_a_comment_made_in_the_tui_is_answered_with_the_cli_and_seen_back(engine: Engine, cli: Any) -> None:
    from perfgoals.storage import workflow

    second = stored(engine, 1)
    db = str(engine.url.database)
    with write_session(engine) as session:
        workflow.transition(session, project_id=second.id, user=OWNER, action="提交")
    app = make_app(engine, REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, 1)
        screen.grid.go_to(0, "value")
        await pilot.pause()
        await pilot.press("ctrl+l")
        await settle(pilot)
        app.screen.query_one(TextArea).text = "请写明次数"
        await pilot.press("ctrl+s")
        await settle(pilot)
    shown = cli("review-log", "-p", second.name, db=db)
    assert shown.code == 0 and "请写明次数" in shown.stdout and "第1行 指标值" in shown.stdout
    answered = cli("reply", "-p", second.name, "1", "已写明：≥2次", db=db, env={"PERFGOALS_USER": OWNER})
    assert answered.code == 0, answered.stderr
    app = make_app(engine, OWNER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, 1)
        panel = screen.query_one("#comments", CommentsPanel)
        assert "↳ 张三" in str(panel.get_option_at_index(0).prompt) and "已写明：≥2次" in str(panel.get_option_at_index(0).prompt)
        assert str(screen.grid.get_cell_at(Coordinate(0, screen.grid.fields.index("value")))).startswith("◇")
