"""The review's state machine through real storage sessions, on SQLite and PostgreSQL: every allowed and
refused transition per role, the submit gate, the finance review's grade and opinions, users, queues."""

from __future__ import annotations

from functools import cache

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import col

from perfgoals.importers import demo_department
from perfgoals.models import Department, Project, ProjectStatus, Role
from perfgoals.storage import repository as repo
from perfgoals.storage import users as users_
from perfgoals.storage import workflow as flow
from perfgoals.storage.db import read_session, write_session
from perfgoals.storage.tables import ProjectRow
from perfgoals.workflow import TRANSITIONS, Action, WorkflowError
from perfgoals.workflow.gate import SubmitBlocked
from perfgoals.workflow.machine import roles_for

S = ProjectStatus
#: The rule as the issue states it, written out independently of perfgoals.workflow.TRANSITIONS.
EXPECTED: dict[tuple[str, str, str], str] = {
    ("草稿", "提交", "项目负责人"): "已提交",
    ("已退回", "提交", "项目负责人"): "已提交",
    ("已提交", "撤回", "项目负责人"): "草稿",
    ("已提交", "退回", "部门审核人"): "已退回",
    ("已提交", "部门审核通过", "部门审核人"): "部门已审",
    ("已提交", "退回", "财政审核人"): "已退回",
    ("部门已审", "退回", "财政审核人"): "已退回",
    ("财政已审", "退回", "财政审核人"): "已退回",
    ("部门已审", "财政审核", "财政审核人"): "财政已审",
}
USERS = {Role.OWNER: "王芳", Role.DEPARTMENT_REVIEWER: "李四", Role.FINANCE_REVIEWER: "财政"}
PROJECT = "科普活动"  # no open error in the sample


@cache
def _sample() -> str:
    return demo_department().model_dump_json()


def sample() -> Department:
    return Department.model_validate_json(_sample())


def _setup(engine: Engine, *, with_users: bool = True) -> int:
    with write_session(engine) as session:
        repo.save_department(session, department=sample(), user="装载")
        if with_users:
            users_.add_user(session, name="财政", role=Role.FINANCE_REVIEWER, by="财政")
            users_.add_user(session, name="李四", role=Role.DEPARTMENT_REVIEWER, departments=["731"], by="财政")
            users_.add_user(session, name="王芳", role=Role.OWNER, departments=["731"], by="财政")
            users_.add_user(session, name="赵六", role=Role.DEPARTMENT_REVIEWER, departments=["732"], by="财政")
        return flow.locate(session, project=PROJECT).project_id


def _set_status(engine: Engine, project_id: int, status: ProjectStatus) -> None:
    with write_session(engine) as session:
        session.execute(update(ProjectRow).where(col(ProjectRow.id) == project_id).values(status=status.value, review=None))


def _load(engine: Engine, project_id: int) -> Project:
    with read_session(engine) as session:
        return repo.load_project(session, project_id=project_id)


def _act(engine: Engine, project_id: int, user: str, action: Action, **kwargs: object) -> flow.Transition:
    with write_session(engine) as session:
        return flow.transition(session, project_id=project_id, user=user, action=action, **kwargs)  # type: ignore[arg-type]


def _arguments(action: Action) -> dict[str, object]:
    """What each action needs to go through when it is allowed."""
    if action is Action.RETURN:
        return {"note": "请修改"}
    if action is Action.FINANCE_REVIEW:
        return {"grade": "良"}
    return {}


def test_the_table_is_the_rule_of_the_issue() -> None:
    assert {(s.value, a.value, r.value): t.value for (s, a, r), t in TRANSITIONS.items()} == EXPECTED


def test_every_transition_per_role_is_allowed_or_refused_with_its_reason(engine: Engine) -> None:
    project_id = _setup(engine)
    for status in ProjectStatus:
        for action in Action:
            for role, user in USERS.items():
                _set_status(engine, project_id, status)
                before = _load(engine, project_id)
                expected = EXPECTED.get((status.value, action.value, role.value))
                case = f"{status.value} {action.value} {role.value}"
                if expected is None:
                    with pytest.raises(WorkflowError) as refused:
                        _act(engine, project_id, user, action, **_arguments(action))
                    reason = "只能由" if role not in roles_for(action) else f"现为“{status.value}”"
                    assert reason in str(refused.value), case
                    after = _load(engine, project_id)
                    assert (after.status, after.goal.revision, after.reviews) == (status, before.goal.revision, []), case
                    continue
                result = _act(engine, project_id, user, action, **_arguments(action))
                after = _load(engine, project_id)
                assert after.status.value == expected, case
                assert after.goal.revision == before.goal.revision + 1, case
                [event] = after.reviews
                assert (event.action, event.from_status, event.to_status.value, event.user, event.role) == (
                    action.value,
                    status,
                    expected,
                    user,
                    role,
                ), case
                assert result.event == event
                with read_session(engine) as session:
                    [last] = repo.history(session, project_id=project_id, limit=1)
                assert (last.action, last.user, last.before) == (action.value, user, {"status": status.value}), case


def test_a_reviewer_of_another_department_and_an_unknown_user_are_refused(engine: Engine) -> None:
    project_id = _setup(engine)
    _set_status(engine, project_id, S.SUBMITTED)
    with pytest.raises(WorkflowError, match="属于部门 731，赵六（部门审核人）负责的部门是 732"):
        _act(engine, project_id, "赵六", Action.DEPARTMENT_APPROVE)
    with pytest.raises(WorkflowError, match=r"用户“路人”未登记.*perfgoals users add 路人"):
        _act(engine, project_id, "路人", Action.WITHDRAW)
    assert _load(engine, project_id).status is S.SUBMITTED


def test_the_finance_review_needs_a_grade_and_for_a_failing_one_every_opinion(engine: Engine) -> None:
    project_id = _setup(engine)
    _set_status(engine, project_id, S.DEPARTMENT_APPROVED)
    with pytest.raises(WorkflowError, match="必须给出结果"):
        _act(engine, project_id, "财政", Action.FINANCE_REVIEW)
    with pytest.raises(WorkflowError, match="每个审核要点都要写明意见，缺少：相关性、适当性、可行性"):
        _act(engine, project_id, "财政", Action.FINANCE_REVIEW, grade="中", opinions={"完整性": "缺指标"})
    with pytest.raises(WorkflowError, match="没有审核要点“合理性”"):
        _act(engine, project_id, "财政", Action.FINANCE_REVIEW, grade="良", opinions={"合理性": "好"})
    opinions = {"完整性": "缺满意度指标", "相关性": "相关", "适当性": "成本偏高", "可行性": "可行"}
    result = _act(engine, project_id, "财政", Action.FINANCE_REVIEW, grade="中", opinions=opinions)
    assert result.project.status is S.RETURNED and result.event.grade is not None
    assert result.event.opinions == opinions and result.event.grade.value == "中"
    # 优/良 may leave a point blank (无意见); all four are recorded, in the form's order.
    _set_status(engine, project_id, S.DEPARTMENT_APPROVED)
    passed = _act(engine, project_id, "财政", Action.FINANCE_REVIEW, grade="优", opinions={"可行性": "可行"})
    assert passed.project.status is S.FINANCE_APPROVED
    assert passed.event.opinions == {"完整性": "", "相关性": "", "适当性": "", "可行性": "可行"}
    with pytest.raises(WorkflowError, match="不记录等级"):
        _set_status(engine, project_id, S.SUBMITTED)
        _act(engine, project_id, "李四", Action.DEPARTMENT_APPROVE, grade="优")


def test_a_return_needs_a_comment_or_a_note_and_carries_cell_comments(engine: Engine) -> None:
    project_id = _setup(engine)
    _set_status(engine, project_id, S.SUBMITTED)
    with pytest.raises(WorkflowError, match="须附至少一条评论或一段说明"):
        _act(engine, project_id, "李四", Action.RETURN)
    comments = [
        flow.CommentRequest("请写明人数的来源", row=1, field="指标值确定依据"),
        flow.CommentRequest("数量偏少", row=0, field="指标值"),
        flow.CommentRequest("整表缺少满意度说明"),
    ]
    result = _act(engine, project_id, "李四", Action.RETURN, comments=comments)
    stored = _load(engine, project_id)
    assert stored.status is S.RETURNED
    assert [(c.number, c.row, c.field, c.quote, c.author, c.role) for c in stored.comments] == [
        (1, 1, "basis", stored.goal.indicators[1].basis, "李四", Role.DEPARTMENT_REVIEWER),
        (2, 0, "value", "≥6期", "李四", Role.DEPARTMENT_REVIEWER),
        (3, None, None, "", "李四", Role.DEPARTMENT_REVIEWER),
    ]
    assert result.project.comments == stored.comments
    # Comments first, then a 退回 without anything more: the open comments since the submission count.
    _act(engine, project_id, "王芳", Action.SUBMIT)
    with write_session(engine) as session:
        flow.add_comment(session, project_id=project_id, user="财政", text="第2行的单位", row=1)
    assert _act(engine, project_id, "财政", Action.RETURN).project.status is S.RETURNED
    with pytest.raises(WorkflowError, match="没有第 99 行"), write_session(engine) as session:
        flow.add_comment(session, project_id=project_id, user="财政", text="?", row=98)
    with pytest.raises(WorkflowError, match="没有“指标”这一列"), write_session(engine) as session:
        flow.add_comment(session, project_id=project_id, user="财政", text="?", row=0, field="指标")


def _break(engine: Engine, project_id: int) -> None:
    """Empty 在职人数's 指标值 (PG305, an error) while the table is a draft."""
    project = _load(engine, project_id)
    rows = list(project.goal.indicators)
    rows[1] = rows[1].model_copy(update={"value": ""})
    with write_session(engine) as session:
        repo.save_project(
            session,
            project=project.model_copy(update={"goal": project.goal.model_copy(update={"indicators": rows})}),
            expected_revision=project.goal.revision,
            user="王芳",
        )


def test_submitting_is_refused_naming_every_open_error_until_each_is_accepted(engine: Engine) -> None:
    project_id = _setup(engine)
    _break(engine, project_id)
    before = _load(engine, project_id)
    with pytest.raises(SubmitBlocked) as refused:
        _act(engine, project_id, "王芳", Action.SUBMIT)
    assert [(f.code, f.location.row) for f in refused.value.errors] == [("PG305", 2)]
    assert "1 个未处理的错误，不能提交" in str(refused.value)
    assert "PG305 第2行：数量指标：在职人数的指标值为空" in str(refused.value)
    with pytest.raises(WorkflowError, match="没有 PG101 问题"):
        _act(engine, project_id, "王芳", Action.SUBMIT, accept={"PG101": "理由"})
    with pytest.raises(WorkflowError, match="要写明理由"):
        _act(engine, project_id, "王芳", Action.SUBMIT, accept={"PG305": "  "})
    assert _load(engine, project_id) == before  # nothing half-written
    result = _act(engine, project_id, "王芳", Action.SUBMIT, accept={"PG305": "人数待人事核定后补"})
    assert result.accepted_now == ["PG305"] and "PG305" in result.event.accepted
    stored = _load(engine, project_id)
    assert stored.status is S.SUBMITTED
    assert [(a.code, a.reason, a.accepted_by) for a in stored.acceptances] == [("PG305", "人数待人事核定后补", "王芳")]


def test_until_a_user_is_registered_everyone_submits_and_withdraws_but_nobody_reviews(engine: Engine) -> None:
    project_id = _setup(engine, with_users=False)
    assert _act(engine, project_id, "任何人", Action.SUBMIT).event.role is Role.OWNER
    with pytest.raises(WorkflowError, match=r"审核流程尚未设置.*perfgoals users add"):
        _act(engine, project_id, "任何人", Action.DEPARTMENT_APPROVE)
    with pytest.raises(WorkflowError, match="还没有审核人可以评论"), write_session(engine) as session:
        flow.add_comment(session, project_id=project_id, user="任何人", text="看看")
    assert _act(engine, project_id, "另一人", Action.WITHDRAW).project.status is S.DRAFT


def test_the_first_user_is_added_by_anyone_later_ones_by_the_finance_office(engine: Engine) -> None:
    with write_session(engine) as session:
        assert not users_.workflow_enabled(session)
        with pytest.raises(WorkflowError, match="至少要负责一个部门"):
            users_.add_user(session, name="甲", role=Role.OWNER, by="甲")
        first = users_.add_user(session, name="处长", role="财政审核人", by="某人")
        assert first.scope == "全部部门" and users_.workflow_enabled(session)
    with pytest.raises(WorkflowError, match="只有财政审核人可以添加用户，某人（未登记）不能添加"), write_session(engine) as session:
        users_.add_user(session, name="乙", role=Role.OWNER, departments=["731"], by="某人")
    with write_session(engine) as session:
        users_.add_user(session, name="乙", role=Role.OWNER, departments=["731", "731", "732"], by="处长")
    with pytest.raises(WorkflowError, match="乙（项目负责人）不能添加"), write_session(engine) as session:
        users_.add_user(session, name="丙", role=Role.OWNER, departments=["731"], by="乙")
    with pytest.raises(repo.AlreadyExists, match="已经登记过"), write_session(engine) as session:
        users_.add_user(session, name="乙", role=Role.OWNER, departments=["731"], by="处长")
    with pytest.raises(WorkflowError, match="没有“科长”这个角色"), write_session(engine) as session:
        users_.add_user(session, name="丁", role="科长", by="处长")
    with read_session(engine) as session:
        found = users_.list_users(session)
    assert [(u.name, u.role, u.departments, u.created_by) for u in found] == [
        ("处长", Role.FINANCE_REVIEWER, (), "某人"),
        ("乙", Role.OWNER, ("731", "732"), "处长"),
    ]


def test_each_role_sees_its_queue(engine: Engine) -> None:
    project_id = _setup(engine)
    with read_session(engine) as session:
        owner = flow.queue(session, user="王芳")
    assert len(owner) == 15 and all(e.actions == [Action.SUBMIT] for e in owner)
    _act(engine, project_id, "王芳", Action.SUBMIT)
    with read_session(engine) as session:
        department = flow.queue(session, user="李四")
        other = flow.queue(session, user="赵六")
        finance = flow.queue(session, user="财政")
    assert [(e.located.name, e.actions) for e in department] == [
        (PROJECT, [Action.RETURN, Action.DEPARTMENT_APPROVE])
    ]
    assert other == [] and finance == []
    _act(engine, project_id, "李四", Action.DEPARTMENT_APPROVE)
    with read_session(engine) as session:
        finance = flow.queue(session, user="财政")
        everything = flow.queue(session, user="财政", all_departments=True)
        with pytest.raises(WorkflowError, match="只有财政审核人可以查看全部部门"):
            flow.queue(session, user="李四", all_departments=True)
    assert [(e.located.name, e.located.status) for e in finance] == [(PROJECT, S.DEPARTMENT_APPROVED)]
    assert [e.located.name for e in everything] == [PROJECT]


def test_replies_and_resolving(engine: Engine) -> None:
    project_id = _setup(engine)
    with write_session(engine) as session:
        flow.add_comment(session, project_id=project_id, user="李四", text="第1行偏少", row=0)
        with pytest.raises(WorkflowError, match="只有部门审核人和财政审核人可以发表评论"):
            flow.add_comment(session, project_id=project_id, user="王芳", text="我也评论")
        flow.reply(session, project_id=project_id, user="王芳", number=1, text="已改为≥8期")
        with pytest.raises(WorkflowError, match="没有第 2 条评论"):
            flow.reply(session, project_id=project_id, user="王芳", number=2, text="?")
        with pytest.raises(WorkflowError, match="只有部门审核人和财政审核人"):
            flow.resolve(session, project_id=project_id, user="王芳", number=1)
        flow.resolve(session, project_id=project_id, user="财政", number=1)
    [comment] = _load(engine, project_id).comments
    assert comment.resolved and [(r.author, r.text) for r in comment.replies] == [("王芳", "已改为≥8期")]
    with read_session(engine) as session:
        actions = [c.action for c in repo.history(session, project_id=project_id, limit=5)]
    assert actions[:3] == ["解决", "回复", "评论"]


def test_a_transition_over_a_version_the_user_did_not_see_is_refused(engine: Engine) -> None:
    project_id = _setup(engine)
    seen = _load(engine, project_id).goal.revision
    with write_session(engine) as session:
        flow.add_comment(session, project_id=project_id, user="李四", text="先看这里")
    with pytest.raises(repo.RevisionConflict, match="请刷新后再操作"):
        _act(engine, project_id, "王芳", Action.SUBMIT, expected_revision=seen)
    assert _act(engine, project_id, "王芳", Action.SUBMIT, expected_revision=seen + 1).project.status is S.SUBMITTED


def test_every_review_write_is_heard_as_a_saved_project() -> None:
    """Another process (the TUI) reloads a project when it is submitted, returned or commented."""
    from perfgoals.storage.changes import ChangeKind, kind_of

    for action in [*(a.value for a in Action), "评论", "回复", "解决", "重开评论"]:
        assert kind_of("project", action) is ChangeKind.PROJECT_SAVED, action


def test_users_are_removed_by_the_finance_office_never_the_last_one(engine: Engine) -> None:
    _setup(engine)
    with pytest.raises(WorkflowError, match="只有财政审核人可以删除用户"), write_session(engine) as session:
        users_.remove_user(session, name="王芳", by="李四")
    with pytest.raises(WorkflowError, match="最后一位财政审核人"), write_session(engine) as session:
        users_.remove_user(session, name="财政", by="财政")
    with pytest.raises(repo.NotFound, match="没有登记用户“路人”"), write_session(engine) as session:
        users_.remove_user(session, name="路人", by="财政")
    with write_session(engine) as session:
        users_.remove_user(session, name="赵六", by="财政")
        assert [u.name for u in users_.list_users(session)] == ["财政", "李四", "王芳"]


def test_until_a_finance_reviewer_is_registered_anyone_adds_users(engine: Engine) -> None:
    """Setting up may start with the owners: only a registered 财政审核人 closes the door."""
    with write_session(engine) as session:
        users_.add_user(session, name="王芳", role=Role.OWNER, departments=["731"], by="某人")
        users_.add_user(session, name="李四", role=Role.DEPARTMENT_REVIEWER, departments=["731"], by="王芳")
        users_.add_user(session, name="处长", role=Role.FINANCE_REVIEWER, by="某人")
    with pytest.raises(WorkflowError, match="王芳（项目负责人）不能添加"), write_session(engine) as session:
        users_.add_user(session, name="丙", role=Role.OWNER, departments=["731"], by="王芳")
    with read_session(engine) as session:
        assert [u.name for u in users_.list_users(session)] == ["王芳", "李四", "处长"]
