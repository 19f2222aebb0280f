"""The lock of a goal table under review, on every write path; comments never lost by a merge."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy.engine import Engine

from perfgoals.export import write_workbook
from perfgoals.importers.workbook import WorkbookImportError, import_workbook
from perfgoals.merge import Draft, merge_projects
from perfgoals.models import Comment, Project, ProjectStatus, Reply, ReviewEvent, Role
from perfgoals.storage import repository as repo
from perfgoals.storage import users as users_
from perfgoals.storage import workflow as flow
from perfgoals.storage.db import read_session, write_session
from perfgoals.storage.merging import Saved, merge_and_save
from perfgoals.workflow import Action, locked_changes
from perfgoals.workflow.comments import merge_comments, merge_reviews
from tests.test_workflow_machine import PROJECT, _act, _load, _setup, sample

S = ProjectStatus


def _edited(project: Project, row: int = 0, value: str = "≥8期") -> Project:
    rows = list(project.goal.indicators)
    rows[row] = rows[row].model_copy(update={"value": value})
    return project.model_copy(update={"goal": project.goal.model_copy(update={"indicators": rows})})


def _save(engine: Engine, project: Project, user: str = "王芳") -> Project:
    with write_session(engine) as session:
        return repo.save_project(session, project=project, expected_revision=project.goal.revision, user=user)


def test_locked_changes_name_the_targets_not_the_review() -> None:
    project = sample().project(PROJECT)
    assert project is not None
    reviewed = project.model_copy(
        update={
            "status": S.SUBMITTED,
            "comments": [Comment(number=1, text="看看")],
            "reviews": [ReviewEvent(action="提交", from_status=S.DRAFT, to_status=S.SUBMITTED)],
        }
    )
    assert locked_changes(project, reviewed) == []
    changed = _edited(reviewed).model_copy(update={"notes": "新备注", "implementing_unit": "科技馆"})
    assert locked_changes(reviewed, changed) == ["实施单位", "备注", "绩效指标"]


def test_a_table_under_review_keeps_its_targets(engine: Engine) -> None:
    project_id = _setup(engine)
    _act(engine, project_id, "王芳", Action.SUBMIT)
    steps: list[tuple[str, Action, dict[str, str]] | None] = [
        ("李四", Action.DEPARTMENT_APPROVE, {}),
        ("财政", Action.FINANCE_REVIEW, {"grade": "良"}),
        None,
    ]
    for step in steps:
        current = _load(engine, project_id)
        with pytest.raises(repo.TableLocked) as refused:
            _save(engine, _edited(current))
        assert f"项目“{PROJECT}”{current.status.value}，绩效目标表已锁定" in str(refused.value)
        assert "本次改动了：绩效指标" in str(refused.value)
        with pytest.raises(repo.TableLocked, match="本次改动了：备注"):
            _save(engine, current.model_copy(update={"notes": "改备注"}))
        if step is not None:
            user, action, extra = step
            _act(engine, project_id, user, action, **extra)
    # A status changes only through the review, never by a save.
    current = _load(engine, project_id)
    with pytest.raises(repo.TableLocked, match="状态只能通过审核流程改变"):
        _save(engine, current.model_copy(update={"status": S.DRAFT}))
    # Returned, it is the owner's again.
    _act(engine, project_id, "财政", Action.RETURN, note="预算调整，重新填报")
    returned = _load(engine, project_id)
    saved = _save(engine, _edited(returned))
    assert saved.goal.indicators[0].value == "≥8期" and saved.status is S.RETURNED


def test_a_submitted_table_is_locked_before_the_review_is_set_up_until_withdrawn(engine: Engine) -> None:
    project_id = _setup(engine, with_users=False)
    _act(engine, project_id, "某人", Action.SUBMIT)
    with pytest.raises(repo.TableLocked, match="撤回或退回后才能修改"):
        _save(engine, _edited(_load(engine, project_id)), user="某人")
    with pytest.raises(repo.TableLocked, match="只能通过审核流程改变"):
        _save(engine, _load(engine, project_id).model_copy(update={"status": S.FINANCE_APPROVED}), user="某人")
    _act(engine, project_id, "某人", Action.WITHDRAW)
    saved = _save(engine, _edited(_load(engine, project_id)), user="某人")
    assert saved.status is S.DRAFT and saved.goal.indicators[0].value == "≥8期"


def test_a_stale_editor_merges_and_keeps_every_comment(engine: Engine) -> None:
    project_id = _setup(engine)
    _act(engine, project_id, "王芳", Action.SUBMIT)
    _act(engine, project_id, "李四", Action.RETURN, comments=[flow.CommentRequest("偏少", row=0, field="value")])
    opened = _load(engine, project_id)  # the owner opens the returned table …
    with write_session(engine) as session:  # … the reviewer adds a comment meanwhile …
        flow.add_comment(session, project_id=project_id, user="财政", text="第2行依据", row=1)
    mine = _edited(opened).model_copy(  # … the owner edits and replies in his copy (as a workbook does)
        update={
            "comments": [
                opened.comments[0].model_copy(update={"replies": [Reply(author="王芳", text="已改", at=datetime.now(UTC))]})
            ]
        }
    )
    with write_session(engine) as session:
        outcome = merge_and_save(session, base=Draft.saved(opened).base, mine=mine, user="王芳")
    assert isinstance(outcome, Saved)
    stored = _load(engine, project_id)
    assert [c.number for c in stored.comments] == [1, 2]
    assert [r.text for r in stored.comments[0].replies] == ["已改"]
    assert stored.goal.indicators[0].value == "≥8期" and stored.status is S.RETURNED
    assert [e.action for e in stored.reviews] == ["提交", "退回"]


def test_merging_comments_by_number_never_loses_one() -> None:
    at = datetime(2026, 7, 1, tzinfo=UTC)
    base = [Comment(number=1, text="甲", at=at)]
    mine = [
        base[0].model_copy(update={"replies": [Reply(author="王芳", text="改了")]}),
        Comment(number=2, text="我的新评论", author="李四", at=at),
    ]
    theirs = [base[0].model_copy(update={"resolved": True}), Comment(number=2, text="他的新评论", author="财政", at=at)]
    merged = merge_comments(base, mine, theirs)
    assert [(c.number, c.text, c.resolved, [r.text for r in c.replies]) for c in merged] == [
        (1, "甲", True, ["改了"]),
        (2, "他的新评论", False, []),
        (3, "我的新评论", False, []),
    ]
    first = ReviewEvent(action="提交", from_status=S.DRAFT, to_status=S.SUBMITTED, at=at)
    second = ReviewEvent(action="撤回", from_status=S.SUBMITTED, to_status=S.DRAFT, at=at.replace(day=2))
    assert merge_reviews([first], [first], [first, second]) == [first, second]
    project = sample().projects[0]
    result = merge_projects(
        project,
        project.model_copy(update={"comments": mine}),
        project.model_copy(update={"comments": theirs, "reviews": [first]}),
    )
    assert result.clean and [c.number for c in result.project.comments] == [1, 2, 3]
    assert result.project.reviews == [first]


def _sheet_cell(path: Path, sheet_name: str, text: str) -> tuple[openpyxl.Workbook, str]:
    book = openpyxl.load_workbook(path)
    sheet = book[sheet_name]
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == text:
                return book, cell.coordinate
    raise AssertionError(f"{text} not in {sheet_name}")


def _export_and_edit(engine: Engine, tmp_path: Path, name: str) -> Path:
    with read_session(engine) as session:
        key = repo.find_department(session, code="731", year=2022)
        department = repo.load_department(session, department_id=key.id)
    write_workbook(tmp_path / "a.xlsx", [department], findings=lambda _d: [])
    book, where = _sheet_cell(tmp_path / "a.xlsx", PROJECT, "≥6期")
    book[PROJECT][where] = "≥8期"
    book.save(tmp_path / name)
    return tmp_path / name


def test_an_edited_sheet_of_a_locked_table_is_refused_naming_it(engine: Engine, tmp_path: Path) -> None:
    project_id = _setup(engine)
    _act(engine, project_id, "王芳", Action.SUBMIT)
    before = _load(engine, project_id)
    edited = _export_and_edit(engine, tmp_path, "edited.xlsx")
    for replace in (False, True):
        with pytest.raises(WorkbookImportError) as refused, write_session(engine) as session:
            import_workbook(session, path=edited, user="王芳", replace=replace)
        assert f"“{PROJECT}”已提交，绩效目标表已锁定，工作表中的修改（绩效指标）不能导入" in str(refused.value)
    assert _load(engine, project_id) == before
    # Returned, the same workbook comes in (its base is older: the review's comments are merged in).
    _act(engine, project_id, "李四", Action.RETURN, comments=[flow.CommentRequest("偏少", row=0, field="value")])
    with write_session(engine) as session:
        report = import_workbook(session, path=edited, user="王芳", replace=False)
    assert "更新 1 个项目" in report
    after = _load(engine, project_id)
    assert after.goal.indicators[0].value == "≥8期" and after.status is S.RETURNED
    assert [c.text for c in after.comments] == ["偏少"] and len(after.reviews) == 2


def test_replacing_a_department_year_under_review_is_for_the_finance_office(engine: Engine) -> None:
    project_id = _setup(engine)
    _act(engine, project_id, "王芳", Action.SUBMIT)
    with read_session(engine) as session:
        login = users_.login_name(session, requested="李四")  # PostgreSQL: the login, whatever is asked
    if login != "李四":
        with write_session(engine) as session:
            users_.add_user(session, name=login, role=Role.DEPARTMENT_REVIEWER, departments=["731"], by="财政")
    with pytest.raises(repo.TableLocked) as refused, write_session(engine) as session:
        repo.save_department(session, department=sample(), user="李四", replace=True)
    assert f"731 张家口市科学技术协会（2022 年）有 1 张绩效目标表正在审核或已审核，不能整体替换：“{PROJECT}”（已提交）" in str(
        refused.value
    )
    assert "只有财政审核人可以替换" in str(refused.value)
    assert _load(engine, project_id).status is S.SUBMITTED
    if login == "李四":  # on SQLite the user given is who acts
        with write_session(engine) as session:
            repo.save_department(session, department=sample(), user="财政", replace=True)
            assert flow.locate(session, project=PROJECT).status is S.DRAFT


def test_importing_a_goal_table_over_a_project_keeps_its_review(engine: Engine) -> None:
    """``import --replace`` of a stand-alone goal table keeps the project's status, comments and history."""
    from perfgoals.cli.importing import _replace_project

    project_id = _setup(engine)
    _act(engine, project_id, "王芳", Action.SUBMIT)
    _act(engine, project_id, "李四", Action.RETURN, note="改")
    old = _load(engine, project_id)
    new = _edited(old).model_copy(update={"status": S.DRAFT, "comments": [], "reviews": []})
    with write_session(engine) as session:
        _replace_project(session, old, new, "王芳")
    after = _load(engine, project_id)
    assert (after.status, after.reviews, after.goal.indicators[0].value) == (S.RETURNED, old.reviews, "≥8期")


def test_a_table_under_review_is_deleted_only_by_the_finance_office(engine: Engine) -> None:
    project_id = _setup(engine)
    _act(engine, project_id, "王芳", Action.SUBMIT)
    with read_session(engine) as session:
        login = users_.login_name(session, requested="王芳")
    if login != "王芳":
        with write_session(engine) as session:
            users_.add_user(session, name=login, role=Role.OWNER, departments=["731"], by="财政")
    refused = f"项目“{PROJECT}”已提交，绩效目标表已锁定，不能删除"
    with pytest.raises(repo.TableLocked, match=refused), write_session(engine) as session:
        repo.delete_project(session, project_id=project_id, user="王芳")
    assert _load(engine, project_id).status is S.SUBMITTED
    if login == "王芳":
        with write_session(engine) as session:
            repo.delete_project(session, project_id=project_id, user="财政")
        with pytest.raises(repo.ProjectDeleted):
            _load(engine, project_id)
