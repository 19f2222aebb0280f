"""``perfgoals rollover``: start the next budget year from this one."""

from __future__ import annotations

import click

from perfgoals.cli import AppState, main, pass_state
from perfgoals.storage import repository as repo
from perfgoals.storage.db import describe_url, write_session


@main.command()
@click.option("--from", "from_year", type=int, required=True, metavar="年度", help="来源年度，如 2022。")
@click.option("--to", "to_year", type=int, required=True, metavar="年度", help="新年度，如 2023。")
@click.option(
    "--department",
    "-d",
    "codes",
    multiple=True,
    metavar="部门编码",
    help="只结转这个部门（可重复）；不给时结转来源年度的全部部门。",
)
@pass_state
def rollover(state: AppState, from_year: int, to_year: int, codes: tuple[str, ...]) -> None:
    """从上一年度结转出新年度：复制功能科目结构、项目与绩效目标表（作为草稿）。

    新年度的指标行保留上年指标值作参考；项目金额保留作起点，功能科目的金额清空，待新年度预算填入；已接受的问题不结转。

    全部部门在一个事务中完成：任一部门已有新年度数据时，什么也不写。
    """
    from perfgoals.rollover import rollover_year

    with write_session(state.engine()) as session:
        new_ids = rollover_year(
            session, from_year=from_year, to_year=to_year, user=state.user, codes=list(codes) or None
        )
        keys = {key.id: key for key in repo.list_departments(session, year=to_year)}
    for new_id in new_ids:
        key = keys[new_id]
        click.echo(
            f"已结转 {key.code} {key.name}：{from_year} 年 → {to_year} 年，{key.projects} 个项目（草稿）。"
        )
    click.echo(f"数据库：{describe_url(state.url)}", err=True)
