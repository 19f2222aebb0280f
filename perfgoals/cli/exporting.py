"""``perfgoals export``: the formatted workbook (.xlsx), or the indicator data as JSON or CSV."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
from sqlalchemy.engine import Engine

from perfgoals.cli import AppState, department_options, main, pass_state
from perfgoals.cli.progress import TerminalProgress
from perfgoals.errors import PerfgoalsError
from perfgoals.export.goal_layouts import LAYOUT_DESCRIPTIONS
from perfgoals.export.kinds import FOLLOWUP_WRITERS, GOALS, kind_file_name, parse_kind
from perfgoals.models import Department, Project
from perfgoals.storage import repository as repo
from perfgoals.storage.db import read_session

#: Departments loaded per database round trip while streaming a large export.
BATCH = 10
#: Exports with at least this many projects show a progress bar on a terminal.
PROGRESS_THRESHOLD = 20


class ProjectNotFound(PerfgoalsError):
    pass


def _find_project(department: Department, wanted: str) -> Project:
    """A project by exact name, by database id, or by a part of its name that only one project has."""
    for project in department.projects:
        if project.name == wanted:
            return project
    if wanted.isdigit():
        for project in department.projects:
            if project.id == int(wanted):
                return project
    partial = [project for project in department.projects if wanted in project.name]
    if len(partial) == 1:
        return partial[0]
    label = f"{department.code} {department.name}（{department.year}年）"
    if partial:
        names = "、".join(project.name for project in partial)
        raise ProjectNotFound(f"“{wanted}”与 {label} 的多个项目相符：{names}。请写出完整名称或项目编号")
    raise ProjectNotFound(f"{label} 没有名为“{wanted}”的项目（可用 perfgoals list 查看部门，或写项目编号）")


def _stream(engine: Engine, ids: list[int]) -> Iterator[Department]:
    """Departments loaded a batch at a time, so that only a batch is in memory."""
    for start in range(0, len(ids), BATCH):
        with read_session(engine) as session:
            batch = repo.load_departments(session, department_ids=ids[start : start + BATCH])
        yield from batch
        del batch


@main.command()
@department_options
@click.option("--project", "-p", metavar="名称或编号", help="只导出这一个项目的绩效目标表。")
@click.option("--all-departments", is_flag=True, help="导出该年度的全部部门（默认取最近的年度）。")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["xlsx", "json", "csv", "pdf"]),
    default=None,
    help="输出格式（默认按 -o 的扩展名，否则 xlsx）。pdf 由 LibreOffice 按工作簿的打印设置生成（需已安装）。",
)
@click.option("--pdf", "as_pdf", is_flag=True, help="同 --format pdf。")
@click.option(
    "--edition",
    "-e",
    metavar="报送|工作",
    default=None,
    help="工作簿的版本：报送（submit，只含目录和各项目的绩效目标表，推断金额、待确认的科目已标注，"
    "不含问题、对账和内部数据）或工作（work，默认：另含汇总、对账、问题和导回所需的隐藏表）。"
    "--format pdf 默认报送版。",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    metavar="路径",
    help="输出文件或文件夹（默认写入当前文件夹下的 exports/，按部门、年度和时间命名）。",
)
@click.option(
    "--project-sheets/--no-project-sheets",
    default=None,
    help="工作簿中是否为每个项目单列一张绩效目标表（默认是；--all-departments 且项目超过 2000 个时默认否）。",
)
@click.option(
    "--layout",
    metavar="表样",
    default=None,
    help="每个项目的绩效目标表都按这一表样导出（默认按各表导入时的表样；在本软件中新建的表按全国 2021 年模板）。"
    "可用：" + "；".join(f"{name}：{text}" for name, text in LAYOUT_DESCRIPTIONS.items()) + "。",
)
@click.option(
    "--kind",
    "-k",
    metavar="目标|监控|自评",
    default="目标",
    help="导出什么：目标（goals，默认：绩效目标表工作簿）、监控（monitoring：绩效监控表）、"
    "自评（evaluation：项目支出绩效自评表，得分按标准算法计算）。监控、自评只用于 xlsx 和 pdf。",
)
@click.option("--skip-checks", is_flag=True, help="不运行校验（“问题”表为空，目录的未处理问题一栏写“未检查”）。")
@click.option(
    "--raw-csv",
    is_flag=True,
    help="CSV 中以 = + - @ 开头的文字原样写出（默认加前导撇号，防止 Excel 当作公式）。",
)
@pass_state
def export(
    state: AppState,
    department: str | None,
    year: int | None,
    project: str | None,
    all_departments: bool,
    fmt: str | None,
    output: str | None,
    project_sheets: bool | None,
    layout: str | None,
    skip_checks: bool,
    raw_csv: bool,
    as_pdf: bool,
    edition: str | None,
    kind: str,
) -> None:
    """导出绩效目标表：格式化的 Excel 工作簿（目录、每个项目一张表、汇总、对账、问题），或 JSON/CSV 数据。"""
    from perfgoals.export import default_output_path, write_csv, write_json, write_workbook
    from perfgoals.export.editions import Edition, parse_edition

    try:
        chosen_kind = parse_kind(kind)
    except ValueError as exc:
        raise click.UsageError(f"{exc}（--kind）") from None
    if chosen_kind != GOALS and chosen_kind not in FOLLOWUP_WRITERS:
        raise click.UsageError(f"--kind {chosen_kind} 的导出尚未提供")
    if as_pdf:
        if fmt not in (None, "pdf"):
            raise click.UsageError(f"--pdf 不能与 --format {fmt} 同用")
        fmt = "pdf"
    chosen: Edition | None = None
    if edition is not None:
        try:
            chosen = parse_edition(edition)
        except ValueError as exc:
            raise click.UsageError(f"{exc}（--edition）") from None
    if all_departments and (department or project):
        raise click.UsageError("--all-departments 不能与 --department 或 --project 同用")
    if layout is not None and layout not in LAYOUT_DESCRIPTIONS:
        raise click.UsageError(f"没有名为“{layout}”的表样（--layout），可用的有：{'、'.join(LAYOUT_DESCRIPTIONS)}")
    # A trailing slash names a folder, even one that does not exist yet.
    to_folder = output is not None and output.endswith(("/", "\\"))
    target = Path(output) if output is not None else None
    if fmt is None:
        suffix = target.suffix.lower().lstrip(".") if target is not None and not to_folder else ""
        fmt = suffix if suffix in ("xlsx", "json", "csv", "pdf") else "xlsx"
    written_as = target.suffix.lower().lstrip(".") if target is not None and not to_folder else ""
    if written_as in ("xlsx", "json", "csv", "pdf") and written_as != fmt:
        raise click.UsageError(f"-o {output} 的扩展名是 .{written_as}，与导出格式 {fmt} 不符：请改用 .{fmt} 文件名")
    if chosen_kind != GOALS:
        if fmt not in ("xlsx", "pdf"):
            raise click.UsageError(f"--kind {chosen_kind} 只能导出 xlsx 或 pdf")
        if layout is not None or edition is not None:
            raise click.UsageError(f"--layout 和 --edition 只用于绩效目标表（--kind {chosen_kind} 不用）")
    if chosen is not None and fmt not in ("xlsx", "pdf"):
        raise click.UsageError(f"--edition 只用于 xlsx 工作簿和 pdf（{fmt} 数据不分版本）")
    if fmt == "pdf":
        from perfgoals.export.pdf import PdfUnavailable, office_command, renderer_digit_pixels

        if office_command() is None:
            raise PdfUnavailable(
                "未找到 LibreOffice（soffice），无法生成 PDF：请安装 LibreOffice 后重试，"
                "或导出 xlsx 后在 Excel/WPS 中打印"
            )
    if chosen is None:
        chosen = Edition.SUBMIT if fmt == "pdf" else Edition.WORK
    engine = state.engine()
    with read_session(engine) as session:
        if all_departments:
            keys = repo.list_departments(session, year=year)
            if not keys:
                keys = [repo.find_department(session, year=year)]  # raises the usual "not found" message
            year = year or max(key.year for key in keys)
            keys = [key for key in keys if key.year == year]
        else:
            keys = [repo.find_department(session, code=department, year=year)]
        selected: Project | None = None
        if project is not None:
            whole = repo.load_department(session, department_id=keys[0].id)
            selected = _find_project(whole, project)
    ids = [key.id for key in keys]
    total = 1 if selected is not None else sum(key.projects for key in keys)

    if target is None or to_folder or target.is_dir():
        directory = target if target is not None else Path.cwd() / "exports"
        target = default_output_path(
            directory=directory,
            department=None if all_departments else keys[0].code,
            year=year if all_departments else keys[0].year,
            extension=fmt,
            project=selected.name if selected is not None else None,
        )
        target = kind_file_name(target, chosen_kind)
    elif not target.suffix:
        target = target.with_name(f"{target.name}.{fmt}")
    if layout is not None and fmt not in ("xlsx", "pdf"):
        raise click.UsageError(f"--layout 只用于 xlsx 工作簿（{fmt} 数据不分表样）")

    if selected is not None:
        only = selected

        def departments() -> Iterator[Department]:
            for item in _stream(engine, ids):
                yield item.model_copy(update={"projects": [p for p in item.projects if p.id == only.id]})
    else:

        def departments() -> Iterator[Department]:
            yield from _stream(engine, ids)

    if chosen_kind != GOALS:  # 监控表 / 自评表: one writer per kind (FOLLOWUP_WRITERS)
        writer = FOLLOWUP_WRITERS[chosen_kind]()
        book = target.with_name(f".{target.stem}.render.xlsx") if fmt == "pdf" else target
        extra = {"digit_pixels": renderer_digit_pixels()} if fmt == "pdf" else {}
        summary = writer(book, departments(), findings=(lambda _department: []) if skip_checks else None, **extra)
        if fmt == "pdf":
            from perfgoals.export.pdf import workbook_to_pdf

            try:
                summary.path = workbook_to_pdf(book, target)
            finally:
                book.unlink(missing_ok=True)
        click.echo(summary.describe())
        return

    from perfgoals.export.xlsx import wants_project_sheets

    if project_sheets is None and fmt in ("xlsx", "pdf"):
        project_sheets = wants_project_sheets(
            None, consolidated=selected is None, multi_department=all_departments, total=total
        )
        if not project_sheets:
            click.echo(
                f"共 {total} 个项目，工作簿中不逐项目列表（只含目录、汇总、对账、问题）；"
                "需要时加 --project-sheets，或按部门分别导出。",
                err=True,
            )
    with TerminalProgress(
        total, label="正在导出", unit="个项目", threshold=PROGRESS_THRESHOLD, finishing="正在写入文件"
    ) as progress:
        if fmt in ("xlsx", "pdf"):
            book = target.with_name(f".{target.stem}.render.xlsx") if fmt == "pdf" else target
            summary = write_workbook(
                book,
                departments(),
                consolidated=selected is None,
                project_sheets=project_sheets,
                multi_department=all_departments,
                total_projects=total,
                findings=(lambda _department: []) if skip_checks else None,
                progress=progress,
                layout=layout,
                edition=chosen,
                checked=not skip_checks,
                **({"digit_pixels": renderer_digit_pixels()} if fmt == "pdf" else {}),
            )
            if fmt == "pdf":
                from perfgoals.export.pdf import workbook_to_pdf

                try:
                    summary.path = workbook_to_pdf(book, target)
                finally:
                    book.unlink(missing_ok=True)
        elif fmt == "json":
            summary = write_json(target, departments(), total_projects=total, progress=progress)
        else:
            summary = write_csv(
                target, departments(), excel_safe=not raw_csv, total_projects=total, progress=progress
            )
    click.echo(summary.describe())
