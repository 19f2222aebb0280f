"""The review's commands: ``users``, ``submit``, ``withdraw``, ``approve``, ``return``, ``comment``,
``reply``, ``resolve``, ``queue``, ``review-log`` (see :mod:`perfgoals.workflow`).

Each command is one transaction: refused (exit 2, one message saying why), nothing is written.  Who is
working: on PostgreSQL the database login, on SQLite ``--user`` / ``PERFGOALS_USER``, else the login name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import click
from sqlmodel import Session

from perfgoals.cli import AppState, fail, main, pass_state
from perfgoals.models import REVIEW_POINTS, Comment, Grade, Project, Role
from perfgoals.storage import users as users_
from perfgoals.storage import workflow as flow
from perfgoals.storage.db import describe_url, read_session, write_session
from perfgoals.text import visible
from perfgoals.workflow.comments import column_field, where
from perfgoals.workflow.machine import Action

F = TypeVar("F", bound=Callable[..., Any])


def _target(func: F) -> F:
    """``-p PROJECT`` (required), ``-d CODE``, ``-y YEAR``: which goal table."""
    func = click.option("--year", "-y", type=int, metavar="年度", help="预算年度（项目名称只在一个年度时可省略）。")(func)
    func = click.option("--department", "-d", metavar="部门编码", help="部门编码（项目名称只在一个部门时可省略）。")(func)
    return click.option("--project", "-p", "project_name", required=True, metavar="项目名称", help="项目名称或编码。")(
        func
    )


def _who(state: AppState, session: Session) -> str:
    """Who is working (module docstring); on PostgreSQL a ``--user`` other than the login is refused
    (``PERFGOALS_USER``, often set once for the history, is not: the login is who acts)."""
    name = users_.login_name(session, requested=state.user)
    if name != state.user:
        root = click.get_current_context().find_root()
        source = root.get_parameter_source("user")
        if source is not None and source.name == "COMMANDLINE":  # (PERFGOALS_USER set for the history: the login wins)
            fail(
                f"在 PostgreSQL 上，审核中的用户就是数据库登录名（{name}）；--user 指定的“{state.user}”"
                "不能代替登录，请用该用户的登录连接数据库"
            )
    return name


def _pairs(values: tuple[str, ...], option: str, what: str) -> dict[str, str]:
    """``KEY=TEXT`` options as a dict (the text as typed)."""
    pairs: dict[str, str] = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep or not key.strip():
            fail(f"{option} 的格式是 {what}=内容，“{value}”不是")
        if key.strip() in pairs:
            fail(f"{option} 中 {key.strip()} 出现了不止一次")
        pairs[key.strip()] = text
    return pairs


# --- users ----------------------------------------------------------------------------------------------


@main.group(name="users", invoke_without_command=True)
@click.pass_context
def users_group(ctx: click.Context) -> None:
    """审核流程的用户：角色（项目负责人、部门审核人、财政审核人）和负责的部门。

    登记财政审核人之前任何人都可以添加用户，之后只有财政审核人可以添加。
    数据库中没有用户时审核流程尚未启用：所有人按项目负责人提交和撤回；已提交的表同样锁定，撤回后才能修改。
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(users_list)


@users_group.command(name="add")
@click.argument("name", metavar="用户名")
@click.option(
    "--role", "-r", required=True, type=click.Choice([role.value for role in Role]), help="角色。"
)
@click.option(
    "--department", "-d", "departments", multiple=True, metavar="部门编码",
    help="负责的部门（可重复）；财政审核人不写即负责全部部门。",
)
@pass_state
def users_add(state: AppState, name: str, role: str, departments: tuple[str, ...]) -> None:
    """登记一个用户（PostgreSQL 上用户名即数据库登录名）。"""
    with write_session(state.engine()) as session:
        who = _who(state, session)
        user = users_.add_user(session, name=name, role=role, departments=departments, by=who)
        known = {key.code for key in flow.repo.list_departments(session)}
    click.echo(visible(f"已登记用户“{user.name}”：{user.role.value}，负责 {user.scope}。", one_line=True))
    unknown = [code for code in user.departments if code not in known]
    if unknown:
        click.echo(f"注意：数据库中还没有部门 {'、'.join(unknown)} 的数据。", err=True)


@users_group.command(name="remove")
@click.argument("name", metavar="用户名")
@pass_state
def users_remove(state: AppState, name: str) -> None:
    """删除一个用户（财政审核人）；他发表的评论和审核记录保留。"""
    with write_session(state.engine()) as session:
        who = _who(state, session)
        user = users_.remove_user(session, name=name, by=who)
    click.echo(visible(f"已删除用户“{user.name}”（{user.role.value}）。", one_line=True))


@users_group.command(name="list")
@pass_state
def users_list(state: AppState) -> None:
    """列出登记的用户。"""
    with read_session(state.engine()) as session:
        found = users_.list_users(session)
    if not found:
        click.echo("还没有登记用户：审核流程尚未启用（perfgoals users add 姓名 --role 财政审核人 开始）。")
    for user in found:
        cells = [user.name, user.role.value, user.scope, user.created_by]
        click.echo("\t".join(visible(cell, one_line=True) for cell in cells))
    click.echo(f"数据库：{describe_url(state.url)}", err=True)


# --- transitions ----------------------------------------------------------------------------------------


def _run(
    state: AppState, project_name: str, department: str | None, year: int | None, action: Action | None, **kwargs: Any
) -> flow.Transition:
    """Take ``action`` (``None``: the approval the user's role gives) in one transaction."""
    with write_session(state.engine()) as session:
        who = _who(state, session)
        located = flow.locate(session, project=project_name, code=department, year=year)
        if action is None:
            actor = users_.actor_for(session, name=who)
            action = Action.FINANCE_REVIEW if actor.role is Role.FINANCE_REVIEWER else Action.DEPARTMENT_APPROVE
        return flow.transition(session, project_id=located.project_id, user=who, action=action, **kwargs)


@main.command()
@_target
@click.option(
    "--accept", "accepts", multiple=True, metavar="代码=理由",
    help="提交时接受一个问题并写明理由（可重复），如 --accept PG401=按文件规定可超过100%。",
)
@click.option("--note", default="", metavar="说明", help="随提交附上的说明。")
@pass_state
def submit(
    state: AppState, project_name: str, department: str | None, year: int | None, accepts: tuple[str, ...], note: str
) -> None:
    """提交绩效目标表（项目负责人；草稿或已退回的表）。

    提交前按 perfgoals check 检查该项目：有未处理的错误时拒绝提交并列出每一个；改正它们，
    或用 --accept 代码=理由（或 perfgoals accept）写明理由接受。提交后目标表锁定，退回后才能修改。
    """
    accept = _pairs(accepts, "--accept", "代码")
    result = _run(state, project_name, department, year, Action.SUBMIT, note=note, accept=accept)
    click.echo(visible(result.message))


@main.command()
@_target
@click.option("--note", default="", metavar="说明", help="撤回的说明。")
@pass_state
def withdraw(state: AppState, project_name: str, department: str | None, year: int | None, note: str) -> None:
    """撤回自己提交的表（项目负责人；部门审核之前），回到草稿。"""
    result = _run(state, project_name, department, year, Action.WITHDRAW, note=note)
    click.echo(visible(result.message))


@main.command()
@_target
@click.option("--grade", type=click.Choice([grade.value for grade in Grade]), help="财政审核结果（财政审核人必填；中、差将退回）。")
@click.option(
    "--opinion", "opinions", multiple=True, metavar="要点=意见",
    help=f"财政审核的审核要点意见（可重复）：{'、'.join(REVIEW_POINTS)}；结果为中、差时四项都要写。",
)
@click.option("--note", default="", metavar="说明", help="审核说明。")
@pass_state
def approve(
    state: AppState,
    project_name: str,
    department: str | None,
    year: int | None,
    grade: str | None,
    opinions: tuple[str, ...],
    note: str,
) -> None:
    """审核通过：部门审核人对已提交的表（→ 部门已审），财政审核人对部门已审的表（→ 财政已审，需 --grade）。

    财政审核结果为“中”或“差”时，表退回项目负责人（已退回）。
    """
    recorded = _pairs(opinions, "--opinion", "审核要点")
    result = _run(
        state, project_name, department, year, None, note=note, grade=grade, opinions=recorded or None
    )
    click.echo(visible(result.message))


_PLACE = re.compile(r"^\s*(?:整表|第\s*(\d+)\s*行(?:\s*(\S[^：:]*?))?)\s*[：:]\s*(.+)$", re.S)


def _comment_request(text: str, row: int | None, column: str | None) -> flow.CommentRequest:
    """A ``--comment``: plain text (the whole table, or --row/--column), or ``第3行 指标值：…`` / ``第3行：…``."""
    if row is None and column is None:
        match = _PLACE.match(text)
        if match:
            number, named, body = match.groups()
            if number is None:
                return flow.CommentRequest(body)
            return flow.CommentRequest(body, int(number) - 1, column_field(named) if named else None)
        return flow.CommentRequest(text)
    if row is None:
        fail("--column 要与 --row 一起用（单元格 = 行 + 列）")
    assert row is not None
    if row < 1:
        fail("--row 从 1 起")
    return flow.CommentRequest(text, row - 1, column_field(column) if column else None)


@main.command(name="return")
@_target
@click.option(
    "--comment", "comments", multiple=True, metavar="评论",
    help="退回的评论（可重复）。写成“第3行 指标值：…”评论一个单元格，“第3行：…”评论一行，否则评论整张表。",
)
@click.option("--row", type=int, metavar="行", help="只有一条 --comment 时：评论第几行（从 1 起）。")
@click.option("--column", metavar="列", help="与 --row 同用：评论该行的哪一列，如 指标值、三级指标、指标值确定依据。")
@click.option("--note", default="", metavar="说明", help="退回的说明。")
@pass_state
def return_command(
    state: AppState,
    project_name: str,
    department: str | None,
    year: int | None,
    comments: tuple[str, ...],
    row: int | None,
    column: str | None,
    note: str,
) -> None:
    """退回给项目负责人修改（部门审核人：已提交的表；财政审核人：已提交、部门已审或财政已审的表）。

    退回须有至少一条评论或一段说明：用 --comment 随退回写（可重复），或先用 perfgoals comment 逐条评论再退回。
    """
    if (row is not None or column is not None) and len(comments) != 1:
        fail("--row/--column 只能配一条 --comment；多条评论请写成“第3行 指标值：…”")
    requests = [_comment_request(text, row, column) for text in comments]
    result = _run(state, project_name, department, year, Action.RETURN, note=note, comments=requests)
    click.echo(visible(result.message))
    for comment in result.project.comments[len(result.project.comments) - len(requests) :]:
        click.echo(visible(f"  #{comment.number} {where(comment)}：{comment.text}"))


# --- comments ---------------------------------------------------------------------------------------------


@main.command()
@_target
@click.argument("text", metavar="评论")
@click.option("--row", type=int, metavar="行", help="评论第几行（从 1 起）；不写则评论整张表。")
@click.option("--column", metavar="列", help="与 --row 同用：评论该行的哪一列，如 指标值、三级指标、指标值确定依据。")
@pass_state
def comment(
    state: AppState,
    project_name: str,
    department: str | None,
    year: int | None,
    text: str,
    row: int | None,
    column: str | None,
) -> None:
    """对绩效目标表、一行或一个单元格发表评论（部门审核人、财政审核人）。"""
    request = _comment_request(text, row, column) if (row is not None or column is not None) else flow.CommentRequest(text)
    with write_session(state.engine()) as session:
        who = _who(state, session)
        located = flow.locate(session, project=project_name, code=department, year=year)
        saved = flow.add_comment(
            session, project_id=located.project_id, user=who, text=request.text, row=request.row, field=request.field
        )
    added = saved.comments[-1]
    click.echo(visible(f"已评论项目“{saved.name}”#{added.number}（{where(added)}）：{added.text}"))


@main.command()
@_target
@click.argument("number", type=int, metavar="评论编号")
@click.argument("text", metavar="回复")
@pass_state
def reply(
    state: AppState, project_name: str, department: str | None, year: int | None, number: int, text: str
) -> None:
    """回复一条评论（review-log 列出评论编号）。"""
    with write_session(state.engine()) as session:
        who = _who(state, session)
        located = flow.locate(session, project=project_name, code=department, year=year)
        saved = flow.reply(session, project_id=located.project_id, user=who, number=number, text=text)
    click.echo(visible(f"已回复项目“{saved.name}”的评论 #{number}。"))


@main.command()
@_target
@click.argument("number", type=int, metavar="评论编号")
@click.option("--reopen", is_flag=True, help="重新打开已解决的评论。")
@pass_state
def resolve(
    state: AppState, project_name: str, department: str | None, year: int | None, number: int, reopen: bool
) -> None:
    """把一条评论标为已解决（审核人或评论人）；--reopen 重新打开。"""
    with write_session(state.engine()) as session:
        who = _who(state, session)
        located = flow.locate(session, project=project_name, code=department, year=year)
        saved = flow.resolve(session, project_id=located.project_id, user=who, number=number, resolved=not reopen)
    click.echo(visible(f"项目“{saved.name}”的评论 #{number} {'已重新打开' if reopen else '已解决'}。"))


# --- reading ----------------------------------------------------------------------------------------------

_AWAITS = {
    Role.OWNER: "待项目负责人修改",
    Role.DEPARTMENT_REVIEWER: "待部门审核",
    Role.FINANCE_REVIEWER: "待财政审核",
}


@main.command()
@click.option("--all-departments", "all_departments", is_flag=True, help="财政审核人：全部部门所有待办的表（待谁处理）。")
@click.option("--year", "-y", type=int, metavar="年度", help="只看这个预算年度。")
@pass_state
def queue(state: AppState, all_departments: bool, year: int | None) -> None:
    """列出等待我处理的绩效目标表。

    部门审核人：本部门已提交的表；财政审核人：各部门部门已审的表；项目负责人：本部门已退回和草稿的表。
    """
    with read_session(state.engine()) as session:
        who = _who(state, session)
        entries = flow.queue(session, user=who, all_departments=all_departments, year=year)
    if not entries:
        click.echo("没有等待处理的表。")
    for entry in entries:
        located = entry.located
        awaits = flow.AWAITING.get(located.status)
        cells = [
            located.department_code,
            str(located.year),
            located.name,
            located.status.value,
            _AWAITS[awaits] if all_departments and awaits else "、".join(action.value for action in entry.actions),
        ]
        click.echo("\t".join(visible(cell, one_line=True) for cell in cells))
    click.echo(f"{who}：共 {len(entries)} 张表。数据库：{describe_url(state.url)}", err=True)


def _comment_lines(comment: Comment) -> list[str]:
    when = comment.at.astimezone().strftime("%Y-%m-%d %H:%M") if comment.at else ""
    state = "已解决" if comment.resolved else "未解决"
    role = f"（{comment.role.value}）" if comment.role else ""
    lines = [f"#{comment.number} {where(comment)} {comment.author}{role} {when} [{state}]"]
    if comment.quote:
        lines.append(f"  原文：{comment.quote}")
    lines.append(f"  {comment.text}")
    for answer in comment.replies:
        at = answer.at.astimezone().strftime("%Y-%m-%d %H:%M") if answer.at else ""
        lines.append(f"  ↳ {answer.author} {at}：{answer.text}")
    return lines


def review_log_lines(project: Project) -> list[str]:
    """What ``review-log`` prints: the status, the comments with their replies, the transitions."""
    lines = [f"项目“{project.name}”：{project.status.value}（第 {project.goal.revision} 版）"]
    lines.append(f"评论（{len(project.comments)} 条，未解决 {sum(not c.resolved for c in project.comments)} 条）：")
    for item in project.comments:
        lines.extend(f"  {line}" for line in _comment_lines(item))
    if not project.comments:
        lines.append("  无")
    lines.append(f"审核记录（{len(project.reviews)} 条）：")
    for event in project.reviews:
        when = event.at.astimezone().strftime("%Y-%m-%d %H:%M") if event.at else ""
        role = f"（{event.role.value}）" if event.role else ""
        line = f"  {when} {event.user}{role} {event.action}：{event.from_status.value} → {event.to_status.value}"
        if event.grade is not None:
            line += f"，结果 {event.grade.value}"
        lines.append(line)
        if event.accepted:
            lines.append(f"    已接受的问题：{'、'.join(event.accepted)}")
        for point, opinion in event.opinions.items():
            lines.append(f"    {point}：{opinion or '无意见'}")
        if event.note:
            lines.append(f"    说明：{event.note}")
    if not project.reviews:
        lines.append("  无")
    return lines


@main.command(name="review-log")
@_target
@pass_state
def review_log(state: AppState, project_name: str, department: str | None, year: int | None) -> None:
    """显示一张表的审核情况：状态、评论和回复、每一次流转。"""
    with read_session(state.engine()) as session:
        located = flow.locate(session, project=project_name, code=department, year=year)
        project = flow.repo.load_project(session, project_id=located.project_id)
    click.echo(visible(located.department_label, one_line=True))
    for line in review_log_lines(project):
        click.echo(visible(line))

