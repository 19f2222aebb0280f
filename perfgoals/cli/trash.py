"""``perfgoals trash`` and ``perfgoals restore``: the recycle bin of deleted projects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from perfgoals.cli import AppState, fail, main, pass_state
from perfgoals.errors import PerfgoalsError
from perfgoals.storage import trash as bin_
from perfgoals.storage.db import describe_url, read_session, write_session

F = TypeVar("F", bound=Callable[..., Any])


def _filters(func: F) -> F:
    """``-d CODE`` / ``-y YEAR``: narrow the bin to a department and/or a year (both optional)."""
    func = click.option("--year", "-y", type=int, metavar="年度", help="只看这个预算年度。")(func)
    return click.option("--department", "-d", metavar="部门编码", help="只看这个部门，如 731。")(func)


@main.command()
@_filters
@pass_state
def trash(state: AppState, department: str | None, year: int | None) -> None:
    """列出回收站中已删除的项目（可用 -d/-y 只看一个部门或年度）。

    每行：编号、部门、年度、项目名称、删除人、删除时间、指标行数。用 perfgoals restore 恢复。
    """
    with read_session(state.engine()) as session:
        entries = bin_.list_trash(session, code=department, year=year)
    if not entries:
        click.echo("回收站是空的。")
    for entry in entries:
        when = entry.deleted_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        click.echo(
            f"{entry.project_id}\t{entry.department_code}\t{entry.year}\t{entry.name}\t"
            f"{entry.deleted_by or '未知'}\t{when}\t{entry.indicators} 行指标"
        )
    click.echo(f"数据库：{describe_url(state.url)}", err=True)


@main.command()
@click.argument("references", nargs=-1, required=True, metavar="项目名称或编号...")
@_filters
@pass_state
def restore(state: AppState, references: tuple[str, ...], department: str | None, year: int | None) -> None:
    """从回收站恢复项目（按名称或 perfgoals trash 列出的编号），回到原部门的项目列表。

    同名项目已存在时，恢复的项目改名为“原名（恢复）”。多个项目在一个事务中恢复：
    任何一个找不到或有歧义，什么也不恢复。
    """
    messages: list[str] = []
    try:
        with write_session(state.engine()) as session:
            entries = [
                bin_.find_in_trash(session, reference=reference, code=department, year=year)
                for reference in references
            ]
            ids = [entry.project_id for entry in entries]
            repeated = sorted({i for i in ids if ids.count(i) > 1})
            if repeated:
                raise bin_.AmbiguousTrash(f"编号 {repeated[0]} 的项目被指定了不止一次")
            for entry in entries:
                restored = bin_.restore_project(session, project_id=entry.project_id, user=state.user)
                messages.append(restored.message)
    except PerfgoalsError as exc:
        fail(str(exc), exc.exit_code)
    for message in messages:
        click.echo(message)
