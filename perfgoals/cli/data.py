"""Commands that move whole department-years: ``demo``, ``dump``, ``load``, ``list``, ``history``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from perfgoals.cli import AppState, department_options, fail, main, pass_state
from perfgoals.cli.progress import TerminalProgress
from perfgoals.documents import dump_document, read_document
from perfgoals.errors import PerfgoalsError
from perfgoals.models import Department
from perfgoals.storage import repository as repo
from perfgoals.storage.db import describe_url, read_session, write_session
from perfgoals.text import visible


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so a failure leaves no half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        # mkstemp makes the file owner-only; give it the permissions a plain new file would have.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from exc  # name the file asked for, not the temporary
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@main.command()
@click.option(
    "--scale",
    type=click.IntRange(min=1),
    metavar="N",
    help="生成 N 个部门的模拟数据（用于规模测试），而不是示例部门。",
)
@click.option(
    "--year", type=int, default=None, metavar="年度", help="模拟数据的年度（仅与 --scale 同用，默认 2022）。"
)
@click.option(
    "--seed", type=int, default=2022, show_default=True, help="模拟数据的随机种子（仅与 --scale 同用）。"
)
@click.option("--replace/--no-replace", default=True, show_default=True, help="已有同一部门年度时是否替换。")
@pass_state
def demo(state: AppState, scale: int | None, year: int | None, seed: int, replace: bool) -> None:
    """把示例部门（张家口市科学技术协会 2022 年）装入数据库，并说明数据库位置。"""
    engine = state.engine()
    if scale:
        from perfgoals.scale import load_scaled_dataset

        with TerminalProgress(scale, label="正在生成", unit="个部门") as progress:
            report = load_scaled_dataset(
                engine, departments=scale, year=year or 2022, seed=seed, user=state.user, progress=progress
            )
        click.echo(report.summary())
    else:
        from perfgoals.importers import demo_department

        department = demo_department()
        with write_session(engine) as session:
            repo.save_department(
                session, department=department, user=state.user, replace=replace, action="demo"
            )
        rows = sum(len(p.goal.indicators) for p in department.projects)
        click.echo(
            f"已装入示例部门：{department.code} {department.name}（{department.year} 年），"
            f"{len(department.budget_lines)} 个功能科目、{len(department.projects)} 个项目、{rows} 行绩效指标。"
        )
    click.echo(f"数据库：{describe_url(state.url)}")


@main.command(name="list")
@pass_state
def list_command(state: AppState) -> None:
    """列出数据库中的部门与年度。"""
    with read_session(state.engine()) as session:
        keys = repo.list_departments(session)
    if not keys:
        click.echo("数据库中还没有部门数据（可先运行 perfgoals demo 或 perfgoals import）。")
    for key in keys:
        cells = [visible(key.code, one_line=True), str(key.year), visible(key.name, one_line=True)]
        click.echo("\t".join([*cells, f"{key.projects} 个项目"]))
    click.echo(f"数据库：{describe_url(state.url)}", err=True)


@main.command()
@department_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    metavar="文件.json",
    help="输出文件（- 表示标准输出）。",
)
@pass_state
def dump(state: AppState, department: str | None, year: int | None, output: Path) -> None:
    """把一个部门年度的全部数据写成 JSON（符合 schemas/ 中的结构）。"""
    with read_session(state.engine()) as session:
        key = repo.find_department(session, code=department, year=year)
        data = repo.load_department(session, department_id=key.id)
    text = dump_document(data)
    if str(output) == "-":
        click.echo(text, nl=False)
        return
    write_atomically(output, text)
    click.echo(f"已写出 {key.label}：{output}", err=True)


@main.command()
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="文件.json...",
)
@click.option(
    "--replace/--no-replace",
    default=True,
    show_default=True,
    help="数据库中已有同一部门年度时替换它（整体替换，在一个事务中完成）。",
)
@pass_state
def load(state: AppState, files: tuple[Path, ...], replace: bool) -> None:
    """读入 dump 写出的 JSON：装入空数据库，或替换同一部门年度。

    可以一次读入多个文件：先逐个检查，任何一个有错，列出全部错误，什么都不写入；
    都没有错时在一个事务中写入。
    """
    departments: list[Department] = []
    problems: list[str] = []
    for file in files:
        try:
            departments.append(read_document(file))
        except PerfgoalsError as exc:
            problems.append(str(exc))
    keys = [(d.code, d.year) for d in departments]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    problems += [f"部门 {code}（{year} 年）在多个文件中出现，只能读入一次" for code, year in repeated]
    if problems:
        fail("；".join(problems) if len(problems) == 1 else f"{len(problems)} 个问题，没有写入任何数据：\n  " + "\n  ".join(problems))
    with write_session(state.engine()) as session:
        for department in departments:
            repo.save_department(session, department=department, user=state.user, replace=replace, action="load")
    for department in departments:
        click.echo(
            f"已读入 {department.code} {department.name}（{department.year} 年）：{len(department.projects)} 个项目。"
        )


@main.command()
@department_options
@click.option("--limit", type=int, default=50, show_default=True, help="最多显示多少条。")
@pass_state
def history(state: AppState, department: str | None, year: int | None, limit: int) -> None:
    """显示修改历史：谁、何时、改了哪张表。"""
    with read_session(state.engine()) as session:
        key = repo.find_department(session, code=department, year=year)
        changes = repo.history(session, department_id=key.id, limit=limit)
    actions = {
        "create": "新增",
        "update": "修改",
        "delete": "删除",
        "load": "读入",
        "import": "导入",
        "demo": "示例",
        "rollover": "结转",
        "restore": "恢复",
    }
    for change in changes:
        when = change.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        cells = [when, change.user, actions.get(change.action, change.action), change.entity, change.entity_key]
        click.echo("\t".join(visible(str(cell), one_line=True) for cell in cells))
