"""``perfgoals monitor``: a project's mid-year 绩效监控, entered and shown.

Per-row options follow the ``--row N`` they belong to, as a person says it::

    perfgoals monitor -p 科普活动 --as-of 2022-07-31 --executed 17万 --expected-executed 30 \\
        --row 1 --progress 已开展12次 --expected 22次 --likelihood 确定能 \\
        --row 6 --progress 93% --expected 95% --cause 经费保障 --reason 下半年配套资金未到位

Everything typed is read first (:mod:`perfgoals.monitoring.entry`); a bad row number, cause,
likelihood, amount or date ends the command with one line naming it (exit 2) and nothing written.
"""

from __future__ import annotations

from typing import Any

import click

from perfgoals.cli import AppState, department_options, main, pass_state
from perfgoals.cli.row_options import RowOptionsCommand, rows_of
from perfgoals.models import Department, Project
from perfgoals.monitoring.entry import (
    CAUSE_CHOICES,
    LIKELIHOOD_CHOICES,
    RowChange,
    apply_monitoring,
    parse_causes,
    parse_date,
    parse_likelihood,
    read_amount,
)
from perfgoals.monitoring.figures import MonitoringReading, RowProgress, percent, read_monitoring
from perfgoals.reading.money import format_money, format_wan
from perfgoals.storage import repository as repo
from perfgoals.storage.db import read_session, write_session
from perfgoals.text import visible

#: The options that belong to the ``--row`` before them, in the order they are described.
ROW_OPTIONS = ("progress", "expected", "cause", "reason", "likelihood", "remark")


def _row_change(number: int, given: list[tuple[str, Any]]) -> RowChange:
    """One ``--row`` and its options as a change: causes add up, likelihood is read."""
    change = RowChange(row=number)
    for name, value in given:
        if name == "cause":
            found = parse_causes(value)
            change.causes = [] if not found else [*(change.causes or []), *found]
        elif name == "likelihood":
            change.likelihood, change.likelihood_given = parse_likelihood(value), True
        else:
            setattr(change, name, value)
    return change


def _find_project(department: Department, wanted: str) -> Project:
    from perfgoals.cli.exporting import _find_project as find

    return find(department, wanted)


def _cause_text(row: RowProgress) -> str:
    causes = "、".join(cause.value for cause in row.entry.causes)
    reason = row.entry.reason.strip()
    if causes and reason:
        return f"{causes}：{reason}"
    return causes or reason


def render_monitoring(project: Project, department: Department, reading: MonitoringReading | None) -> list[str]:
    """The monitoring of ``project`` as text lines: the money, then every indicator row."""
    lines = [f"项目：{project.name}（{department.code} {department.name}，{department.year}年）"]
    if reading is None:
        lines.append("尚未填写绩效监控（perfgoals monitor -p 项目 --as-of 2022-07-31 …）。")
        return lines
    monitoring = reading.monitoring
    months = reading.months
    lines.append(f"截至 {reading.as_of:%Y-%m-%d}（{months}），序时进度 {percent(reading.elapsed)}")
    executed = (
        "未填" if monitoring.executed is None else format_money(monitoring.executed, monitoring.unit)
    )
    expected = (
        "未填"
        if monitoring.expected_executed is None
        else format_money(monitoring.expected_executed, monitoring.unit)
    )
    lines.append(
        f"全年预算数 {reading.budget.describe()}；{months}执行数 {executed}，执行率 {percent(reading.rate)}；"
        f"全年预计执行数 {expected}（{percent(reading.expected_rate)}）"
    )
    if monitoring.unit != "万元" and reading.executed_wan is not None:
        lines.append(f"  （执行数折合 {format_wan(reading.executed_wan)}）")
    if monitoring.achieved.strip():
        lines.append(f"年度总体目标 {months}实际完成情况：{monitoring.achieved}")
    for index, indicator in enumerate(project.goal.indicators):
        row = reading.row_for(index)
        name = indicator.level3.strip() or indicator.description.strip() or "（未填三级指标）"
        head = f"  第{index + 1}行 {indicator.level2.strip() or indicator.level1.strip()}：{name}｜指标值 {indicator.value}"
        if row is None:
            lines.append(f"{head}｜未填监控")
            continue
        lines.append(_row_line(head, row, months))
    for row in reading.rows:
        if not row.exists:
            lines.append(_row_line(f"  第{row.row + 1}行（目标表中已没有这一行）：{row.entry.level3}", row, months))
    return lines


def _row_line(head: str, row: RowProgress, months: str) -> str:
    entry = row.entry
    parts = [head, f"{months} {entry.progress or '—'}", f"全年预计 {entry.expected or '—'}"]
    if entry.likelihood is not None:
        parts.append(f"可能性 {entry.likelihood.value}")
    cause = _cause_text(row)
    if cause:
        parts.append(f"偏差原因 {cause}")
    if entry.remark.strip():
        parts.append(f"备注 {entry.remark}")
    parts.append("偏离：" + "；".join(signal.value for signal in row.signals) if row.off_course else "正常")
    return "｜".join(parts)


@main.command(cls=RowOptionsCommand)
@department_options
@click.option("--project", "-p", required=True, metavar="名称或编号", help="要监控的项目。")
@click.option("--as-of", "as_of", metavar="日期", help="监控截止日期，如 2022-07-31（首次填写时必填）。")
@click.option("--executed", metavar="金额", help="1-N月预算执行数，如 17万、170000元（不写单位时按已填监控的单位，首次填写按项目金额的单位）。")
@click.option("--expected-executed", metavar="金额", help="全年预计执行数（单位同上；与执行数单位不同时按执行数的单位换算保存）。")
@click.option("--achieved", metavar="文字", help="年度总体目标的 1-N月实际完成情况（原文照录）。")
@click.option("--row", "row", type=int, multiple=True, metavar="N",
              help="指标行号（从 1 起，与 --show 所列相同）；其后的逐行选项都属于这一行，可多次给出。")
@click.option("--progress", multiple=True, metavar="文字", help="1-N月执行情况（原文照录，如 已开展12次）。")
@click.option("--expected", multiple=True, metavar="文字", help="全年预计完成情况（如 22次）。")
@click.option("--cause", multiple=True, metavar="类别",
              help=f"偏差原因类别：{CAUSE_CHOICES}；可多次给出或用逗号分隔，空文字清除。")
@click.option("--reason", multiple=True, metavar="文字", help="偏差原因说明。")
@click.option("--likelihood", multiple=True, metavar="可能性", help=f"完成目标可能性：{LIKELIHOOD_CHOICES}；空文字清除。")
@click.option("--remark", multiple=True, metavar="文字", help="备注。")
@click.option("--show", is_flag=True, help="显示该项目的绩效监控（与修改同用时显示修改后的结果）。")
@click.option("--delete", is_flag=True, help="删除该项目的绩效监控。")
@pass_state
def monitor(
    state: AppState,
    department: str | None,
    year: int | None,
    project: str,
    as_of: str | None,
    executed: str | None,
    expected_executed: str | None,
    achieved: str | None,
    row: tuple[int, ...],
    progress: tuple[str, ...],
    expected: tuple[str, ...],
    cause: tuple[str, ...],
    reason: tuple[str, ...],
    likelihood: tuple[str, ...],
    remark: tuple[str, ...],
    show: bool,
    delete: bool,
) -> None:
    """填写或查看项目的绩效监控（执行监控表）：截止日期、预算执行数，以及各项指标的 1-N月执行情况、全年预计完成情况、偏差原因和完成目标可能性。

    逐行选项（--progress --expected --cause --reason --likelihood --remark）写在所属的 --row N 之后，例如：
    perfgoals monitor -p 科普活动 --as-of 2022-07-31 --executed 38万 --row 1 --progress 已编印3期 --expected 6期 --likelihood 确定能
    """
    values = {"row": row, "progress": progress, "expected": expected, "cause": cause, "reason": reason,
              "likelihood": likelihood, "remark": remark}
    changes = [_row_change(number, given) for number, given in rows_of(values, ROW_OPTIONS, repeatable={"cause"})]
    changing = bool(changes or as_of or executed or expected_executed or achieved is not None)
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
        updated = target.model_copy(update={"monitoring": None})
    else:
        current = target.monitoring
        unit = current.unit if current is not None else target.amount_unit
        executed_money = read_amount(executed, default_unit=unit, what="1-N月执行数") if executed else None
        expected_money = (
            read_amount(
                expected_executed,
                default_unit=unit,
                what="全年预计执行数",
            )
            if expected_executed
            else None
        )
        updated = apply_monitoring(
            target,
            as_of=parse_date(as_of) if as_of else None,
            executed=executed_money,
            expected_executed=expected_money,
            achieved=achieved,
            rows=changes,
        )
    with write_session(engine) as session:
        saved = repo.save_project(
            session, project=updated, expected_revision=target.goal.revision, user=state.user
        )
    if delete:
        click.echo(visible(f"已删除项目“{saved.name}”的绩效监控。", one_line=True))
        return
    click.echo(visible(f"已保存项目“{saved.name}”的绩效监控。", one_line=True))
    whole.projects = [saved if item.id == saved.id else item for item in whole.projects]
    _show(saved, whole, brief=not show)


def _show(project: Project, department: Department, *, brief: bool = False) -> None:
    from perfgoals.checks import check_project
    from perfgoals.cli.checking import render_finding

    reading = read_monitoring(project, department.year, department.framework)
    if not brief:
        for line in render_monitoring(project, department, reading):
            click.echo(visible(line, one_line=True))
    elif reading is not None:
        click.echo(
            visible(
                f"截至 {reading.as_of:%Y-%m-%d}（{reading.months}）：执行率 {percent(reading.rate)}，"
                f"序时进度 {percent(reading.elapsed)}，偏离目标的指标 {len(reading.off_course)} 项。",
                one_line=True,
            )
        )
    if reading is None:
        return
    findings = [f for f in check_project(department, project, select=["PG6"]) if not f.accepted]
    if findings:
        click.echo(f"监控问题 {len(findings)} 条：")
        for finding in findings:
            click.echo(render_finding(finding))
    else:
        click.echo("监控未发现问题。")
