"""``perfgoals evaluate``: a project's year-end 绩效自评, entered and shown with its computed scores.

Per-row options follow the ``--row N`` they belong to::

    perfgoals evaluate -p 科普活动 --funds 年度资金总额=65.61,65.61,60.2 \\
        --row 1 --actual 6期 --row 2 --actual 20人 --points 8 --reason 两人调离，年中补充

Everything typed is read first (:mod:`perfgoals.evaluation.entry`); a bad row number or figure ends the
command with one line naming it (exit 2) and nothing written.  Scores left blank are computed by the
standard rules (:mod:`perfgoals.evaluation`), and ``--show`` prints them beside what was written.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import click

from perfgoals.cli import AppState, department_options, display_width, main, pass_state
from perfgoals.cli.row_options import RowOptionsCommand, rows_of
from perfgoals.evaluation import EvaluationSummary, evaluate
from perfgoals.evaluation.entry import RowChange, apply_evaluation, parse_funds
from perfgoals.evaluation.scoring import percent_text
from perfgoals.models import Department, Project
from perfgoals.reading.rows import value_text
from perfgoals.storage import repository as repo
from perfgoals.storage.db import read_session, write_session
from perfgoals.text import visible

#: The options that belong to the ``--row`` before them.
ROW_OPTIONS = ("actual", "points", "score", "reason")
def _row_change(number: int, given: list[tuple[str, Any]]) -> RowChange:
    change = RowChange(row=number)
    for name, value in given:
        setattr(change, name, value)
    return change


def _figure(value: Decimal | None) -> str:
    if value is None:
        return "—"
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - display_width(text), 0)


def render_evaluation(project: Project, department: Department, summary: EvaluationSummary) -> list[str]:
    """The 自评 of ``project`` as text lines: the money, every indicator row, 总分 and grade."""
    lines = [f"项目：{project.name}（{department.code} {department.name}，{department.year}年）"]
    evaluation = summary.evaluation
    if evaluation is None:
        lines.append("尚未填写绩效自评（perfgoals evaluate -p 项目 --row 1 --actual …）；下表按目标列出，得分待填。")
    rate = summary.rate
    unit = evaluation.unit if evaluation is not None else project.amount_unit
    if rate.rate is not None:
        written = f"（填写 {rate.rate_text.strip()}）" if rate.rate_text.strip() else ""
        lines.append(
            f"预算执行率：{_figure(rate.executed)} ÷ {_figure(rate.full_year)} {unit} = {percent_text(rate.rate)}{written}"
            f"，得分 {_figure(rate.computed)}／{_figure(rate.points)}"
            + (f"（填写 {_figure(rate.written)}）" if rate.written is not None and rate.written != rate.computed else "")
        )
    else:
        lines.append(f"预算执行率：未填全年预算数和执行数（分值 {_figure(rate.points)}）")
    header = ["行", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "填写得分", "偏差原因"]
    table = [header]
    for row in summary.rows:
        indicator = row.indicator
        table.append([
            str(row.row + 1), indicator.level1, indicator.level2, indicator.level3 or "（空）",
            value_text(indicator.value, indicator.unit, indicator.nature), row.actual or "—",
            _figure(row.points), _figure(row.computed.score) if row.computed.score is not None else "—",
            _figure(row.written) if row.written is not None else "", row.reason or row.computed.note,
        ])
    widths = [max(display_width(line[col]) for line in table) for col in range(len(header))]
    for line in table:
        lines.append("  " + "  ".join(_pad(cell, widths[col]) for col, cell in enumerate(line)).rstrip())
    total = f"总分 {_figure(summary.computed_total)}（分值合计 {_figure(summary.points_total)}），等级 {summary.computed_grade.value}"
    if summary.total != summary.computed_total:
        total += f"；按填写的得分为 {_figure(summary.total)}（{summary.grade.value}）"
    if summary.written_total is not None or summary.written_grade:
        total += f"；表中写的总分 {_figure(summary.written_total)} {summary.written_grade}".rstrip()
    lines.append(total)
    return lines


def _find_project(department: Department, wanted: str) -> Project:
    from perfgoals.cli.exporting import _find_project as find

    return find(department, wanted)


@main.command(name="evaluate", cls=RowOptionsCommand)
@department_options
@click.option("--project", "-p", required=True, metavar="名称或编号", help="要自评的项目。")
@click.option("--row", "row", type=int, multiple=True, metavar="N",
              help="指标行号（从 1 起，与 --show 所列相同）；其后的逐行选项都属于这一行，可多次给出。")
@click.option("--actual", multiple=True, metavar="文字", help="实际完成值（原文照录，如 48个、95万元、达成预期指标）。")
@click.option("--points", multiple=True, metavar="分值", help="该行的分值（不填：按一级指标的分值平均分配）。")
@click.option("--score", multiple=True, metavar="得分", help="该行的得分（不填：按标准算法计算）；空文字清除。")
@click.option("--reason", multiple=True, metavar="文字", help="偏差原因分析及改进措施。")
@click.option("--funds", multiple=True, metavar="行名=初,全年,执行[,执行率]",
              help="项目资金一行：如 年度资金总额=90,90,89.974 或 本年财政拨款=90,89.974,89.974；可多次给出。")
@click.option("--rate-points", metavar="分值", help="预算执行率的分值（默认 10）。")
@click.option("--rate-score", metavar="得分", help="预算执行率的得分（不填：按执行率计算）；空文字清除。")
@click.option("--achieved", metavar="文字", help="年度总体目标的实际完成情况。")
@click.option("--total", metavar="总分", help="表中写的总分（一般不填：按各项得分计算）。")
@click.option("--grade", metavar="等级", help="表中写的评价等级（一般不填：按总分评定）。")
@click.option("--show", is_flag=True, help="显示该项目的自评及计算的得分（与修改同用时显示修改后的结果）。")
@click.option("--delete", is_flag=True, help="删除该项目的绩效自评。")
@pass_state
def evaluate_command(
    state: AppState,
    department: str | None,
    year: int | None,
    project: str,
    row: tuple[int, ...],
    actual: tuple[str, ...],
    points: tuple[str, ...],
    score: tuple[str, ...],
    reason: tuple[str, ...],
    funds: tuple[str, ...],
    rate_points: str | None,
    rate_score: str | None,
    achieved: str | None,
    total: str | None,
    grade: str | None,
    show: bool,
    delete: bool,
) -> None:
    """填写或查看项目的年度绩效自评：项目资金（年初预算数、全年预算数、全年执行数），各项指标的实际
    完成值、分值、得分和偏差原因；得分不填时按标准算法计算（正向 实际÷目标×分值，反向 目标÷实际×分值，
    定性按档次，不超过分值），总分与等级（优 ≥90、良 ≥80、中 ≥60、差）随之得出。

    逐行选项（--actual --points --score --reason）写在所属的 --row N 之后。
    """
    values = {"row": row, "actual": actual, "points": points, "score": score, "reason": reason}
    changes = [_row_change(number, given) for number, given in rows_of(values, ROW_OPTIONS)]
    typed_funds = [parse_funds(text) for text in funds]
    changing = bool(changes or typed_funds) or any(
        value is not None for value in (rate_points, rate_score, achieved, total, grade)
    )
    if delete and changing:
        raise click.UsageError("--delete 不能与修改选项同用")
    engine = state.engine()
    with read_session(engine) as session:
        key = repo.find_department(session, code=department, year=year)
        whole = repo.load_department(session, department_id=key.id)
    target = _find_project(whole, project)
    if not changing and not delete:
        _show(target, whole)
        return
    if delete:
        updated = target.model_copy(update={"evaluation": None})
    else:
        updated = apply_evaluation(
            target, rows=changes, funds=typed_funds, rate_points=rate_points, rate_score=rate_score,
            achieved=achieved, total=total, grade=grade,
        )
    with write_session(engine) as session:
        saved = repo.save_project(session, project=updated, expected_revision=target.goal.revision, user=state.user)
    if delete:
        click.echo(visible(f"已删除项目“{saved.name}”的绩效自评。", one_line=True))
        return
    click.echo(visible(f"已保存项目“{saved.name}”的绩效自评。", one_line=True))
    whole.projects = [saved if item.id == saved.id else item for item in whole.projects]
    _show(saved, whole, brief=not show)


def _show(project: Project, department: Department, *, brief: bool = False) -> None:
    from perfgoals.checks import check_project
    from perfgoals.cli.checking import render_finding

    summary = evaluate(project, department.framework)
    if brief:
        click.echo(visible(
            f"总分 {_figure(summary.computed_total)}，等级 {summary.computed_grade.value}"
            f"（执行率 {percent_text(summary.rate.rate) or '未填'}）。", one_line=True,
        ))
    else:
        for line in render_evaluation(project, department, summary):
            click.echo(visible(line, one_line=True))
    if project.evaluation is None:
        return
    findings = [f for f in check_project(department, project, select=["PG7"]) if not f.accepted]
    if findings:
        click.echo(f"自评问题 {len(findings)} 条：")
        for finding in findings:
            click.echo(render_finding(finding))
    else:
        click.echo("自评未发现问题。")
