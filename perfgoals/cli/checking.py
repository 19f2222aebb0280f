"""Commands about the checks: ``check``, ``rules``, ``accept``."""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import click
from sqlalchemy import Engine

from perfgoals.checks import check_department, check_project, resolve_codes
from perfgoals.checks.findings import Finding, Severity
from perfgoals.checks.registry import RULES, get_rule
from perfgoals.cli import AppState, department_options, fail, main, pass_state
from perfgoals.models import Department, Project
from perfgoals.reading.amounts import project_amount
from perfgoals.storage import repository as repo
from perfgoals.storage.db import read_session, write_session
from perfgoals.text import visible

#: Departments loaded per round trip when checking a whole year: few queries, flat memory.
BATCH_SIZE = 50
#: From this many departments a whole-year check runs in one process per CPU by default.
PARALLEL_FROM = 200

_SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)


@dataclass
class Tally:
    """What a check run found, for the closing summary and the exit code."""

    departments: int = 0
    projects: int = 0
    open: Counter[Severity] = field(default_factory=Counter)
    accepted: int = 0

    def add(self, department: Department, findings: Iterable[Finding], *, projects: int | None = None) -> None:
        self.departments += 1
        self.projects += len(department.projects) if projects is None else projects
        for finding in findings:
            if finding.accepted:
                self.accepted += 1
            else:
                self.open[finding.severity] += 1

    def merge(self, other: Tally) -> None:
        self.departments += other.departments
        self.projects += other.projects
        self.open.update(other.open)
        self.accepted += other.accepted

    def summary(self, *, show_accepted: bool) -> str:
        scope = f"{self.departments} 个部门、" if self.departments > 1 else ""
        counts = "，".join(f"{severity.label} {self.open[severity]} 条" for severity in _SEVERITY_ORDER)
        text = f"共检查 {scope}{self.projects} 个项目：{counts}"
        if self.accepted:
            text += f"；已接受 {self.accepted} 条" + ("" if show_accepted else "（--show-accepted 显示）")
        if not any(self.open.values()):
            text += "。未发现问题" if not self.accepted else "。没有未处理的问题"
        return text + "。"


def _split_codes(values: tuple[str, ...]) -> list[str] | None:
    codes = [part.strip() for value in values for part in value.split(",") if part.strip()]
    return codes or None


def _where(finding: Finding) -> str:
    location = finding.location
    return f"第{location.row}行 " if location.row is not None else ""


def render_finding(finding: Finding) -> str:
    """One reviewer's note: ``  ✗ PG101 第5行 成本指标：预算总成本 ≤21.87万元 高于项目预算 20.00 万元``."""
    message = visible(finding.message)
    if finding.accepted:
        reason = f"（已接受：{visible(finding.acceptance_reason)}）" if finding.acceptance_reason else "（已接受）"
        return f"  ✓ {finding.code} {_where(finding)}{message}{reason}"
    return f"  {finding.severity.glyph} {finding.code} {_where(finding)}{message}"


def render_department(department: Department, findings: list[Finding], *, show_accepted: bool) -> Iterator[str]:
    """The text report of one department-year: grouped by project, department-level notes first."""
    shown = [finding for finding in findings if show_accepted or not finding.accepted]
    if not shown:
        return
    yield visible(f"{department.code} {department.name}（{department.year}年）", one_line=True)
    positions = {project.name: number for number, project in enumerate(department.projects, start=1)}
    groups: dict[str | None, list[Finding]] = {}
    for finding in shown:
        groups.setdefault(finding.location.project, []).append(finding)
    for name, group in groups.items():
        if name is None:
            yield "部门预算表与汇总"
        else:
            project = department.project(name)
            details = []
            if project is not None and project.budget_line_code:
                details.append(project.budget_line_code)
            if project is not None and project.budget_amount is not None:
                money = project_amount(project)
                details.append(f"{money.text}{'，推断' if money.inferred else ''}")
            suffix = f"（{'，'.join(details)}）" if details else ""
            yield visible(f"项目 {positions.get(name, '?')}：{name}{suffix}", one_line=True)
        yield from (render_finding(finding) for finding in group)
    yield ""


@contextmanager
def _spared_from_collection() -> Iterator[None]:
    """Load a batch with the cyclic garbage collector off, then keep it from walking the batch again.

    A batch is ~15,000 acyclic models that the rules only read: every automatic collection while it is
    checked would traverse them (about a tenth of a whole-year check).  Frozen objects are still freed
    by reference counting when the batch is dropped.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def _year_ids(state: AppState, *, year: int | None) -> list[int]:
    """The ids of every department-year to check (of ``year`` if given); exits when there are none."""
    with read_session(state.engine()) as session:
        keys = repo.list_departments(session, year=year)
    if not keys:
        where = f"{year} 年的" if year else ""
        fail(f"数据库中没有{where}部门数据（可先运行 perfgoals demo 或 perfgoals import）")
    return [key.id for key in keys]


def _departments(state: AppState, ids: list[int]) -> Iterator[Department]:
    """The department-years to check, loaded in batches so that a province's year fits in memory."""
    with read_session(state.engine()) as session:
        for start in range(0, len(ids), BATCH_SIZE):
            with _spared_from_collection():
                batch = repo.load_departments(session, department_ids=ids[start : start + BATCH_SIZE])
            yield from batch


def _render(department: Department, findings: list[Finding], *, output_format: str, show_accepted: bool) -> list[str]:
    """A department's part of the report: one JSON text per finding, or its text block (if any)."""
    if output_format == "json":
        return [json.dumps(finding.to_json(), ensure_ascii=False) for finding in findings]
    lines = list(render_department(department, findings, show_accepted=show_accepted))
    return ["\n".join(lines)] if lines else []


class _Writer:
    """Writes the report as it comes, one write per department: click.echo flushes on every call."""

    def __init__(self, output_format: str) -> None:
        self.json = output_format == "json"
        self.first = True
        if self.json:
            click.echo("[", nl=False)

    def write(self, parts: list[str]) -> None:
        if not parts:
            return
        if self.json:
            click.echo(("\n  " if self.first else ",\n  ") + ",\n  ".join(parts), nl=False)
            self.first = False
        else:
            click.echo(parts[0])

    def close(self, tally: Tally, *, show_accepted: bool) -> None:
        if self.json:
            click.echo("\n]" if not self.first else "]")
            click.echo(tally.summary(show_accepted=True), err=True)
        else:
            click.echo(tally.summary(show_accepted=show_accepted))


@dataclass
class _Job:
    """What each worker process needs; set before the pool forks, so it is inherited, not pickled."""

    engine: Engine
    select: list[str] | None
    ignore: list[str] | None
    output_format: str
    show_accepted: bool


_JOB: _Job | None = None


def _worker_start() -> None:
    # The forked copy must not share the parent's pooled connections.
    assert _JOB is not None
    _JOB.engine.dispose(close=False)


def _check_batch(ids: list[int]) -> tuple[list[list[str]], Tally]:
    """Load and check one batch of departments in a worker; returns their report parts and tally."""
    job = _JOB
    assert job is not None
    with read_session(job.engine) as session, _spared_from_collection():
        batch = repo.load_departments(session, department_ids=ids)
    tally = Tally()
    parts = []
    for data in batch:
        findings = check_department(data, select=job.select, ignore=job.ignore)
        tally.add(data, findings)
        parts.append(_render(data, findings, output_format=job.output_format, show_accepted=job.show_accepted))
    return parts, tally


def _processes(requested: int, departments: int) -> int:
    """How many processes check ``departments`` department-years.

    ``0`` (the default) means one per CPU once the year is a few batches (below that, starting the
    processes costs about what they save); 1 wherever processes cannot be forked.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    batches = -(-departments // BATCH_SIZE)
    if requested == 0:
        return min(os.cpu_count() or 1, batches) if departments >= PARALLEL_FROM else 1
    return max(1, min(requested, departments))


def _check_in_parallel(ids: list[int], processes: int, job: _Job, writer: _Writer, tally: Tally) -> None:
    """The year in ``processes`` processes, each loading and checking batches; the report keeps the order."""
    global _JOB
    size = max(1, min(BATCH_SIZE, -(-len(ids) // processes)))  # a few departments still keep every process busy
    batches = [ids[start : start + size] for start in range(0, len(ids), size)]
    _JOB = job
    try:
        with multiprocessing.get_context("fork").Pool(min(processes, len(batches)), initializer=_worker_start) as pool:
            for parts, batch_tally in pool.imap(_check_batch, batches):
                for department_parts in parts:
                    writer.write(department_parts)
                tally.merge(batch_tally)
    finally:
        _JOB = None


def _find_project(department: Department, name: str) -> Project:
    """The project called ``name`` (or with that code); exits with the list of projects if none."""
    wanted = name.strip()
    found = next((p for p in department.projects if p.name == wanted or (p.code and p.code == wanted)), None)
    if found is None:
        names = "、".join(p.name for p in department.projects[:10]) or "无"
        more = " 等" if len(department.projects) > 10 else ""
        fail(f"{department.code} {department.name}（{department.year}年）中没有项目“{name}”（项目有：{names}{more}）")
        raise AssertionError("unreachable")
    return found


@main.command()
@department_options
@click.option(
    "--all-departments", "everything", is_flag=True, help="检查数据库中的全部部门（可用 --year 限定年度）。"
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text：按项目分组的审核意见；json：问题列表。",
)
@click.option("--select", multiple=True, metavar="规则", help="只运行这些规则（编号或前缀，逗号分隔，如 PG1,PG401）。")
@click.option("--ignore", multiple=True, metavar="规则", help="不运行这些规则（编号或前缀，逗号分隔）。")
@click.option("--show-accepted", is_flag=True, help="文本输出中也列出已接受的问题。")
@click.option(
    "--project", "-p", "project_name", metavar="项目名称", help="只检查这个项目（名称或编码）及其所在科目。"
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    metavar="N",
    help="与 --all-departments 同用：用 N 个进程并行检查；默认（0）部门达 200 个时按 CPU 核数，1 为不并行。",
)
@pass_state
def check(
    state: AppState,
    department: str | None,
    year: int | None,
    everything: bool,
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    show_accepted: bool,
    project_name: str | None,
    jobs: int,
) -> None:
    """检查绩效目标表和预算表：金额是否相符、是否完整、指标值是否合理。

    有未接受的错误时退出码为 1，否则为 0；用法错误（未知规则、找不到部门）为 2。
    """
    if everything and (department or project_name):
        fail("--all-departments 不能与 --department 或 --project 同时使用")
    selected, ignored = _split_codes(select), _split_codes(ignore)
    resolve_codes(selected, ignored)  # an unknown code is bad usage: say so before touching the database
    if everything:
        ids = _year_ids(state, year=year)
    else:
        with read_session(state.engine()) as session:
            ids = [repo.find_department(session, code=department, year=year).id]
    tally = Tally()
    writer = _Writer(output_format)
    processes = _processes(jobs, len(ids)) if everything else 1
    if processes > 1:
        job = _Job(state.engine(), selected, ignored, output_format, show_accepted)
        _check_in_parallel(ids, processes, job, writer, tally)
    else:
        for data in _departments(state, ids):
            if project_name:
                target = _find_project(data, project_name)
                findings = check_project(data, target, select=selected, ignore=ignored)
                tally.add(data, findings, projects=1)
            else:
                findings = check_department(data, select=selected, ignore=ignored)
                tally.add(data, findings)
            writer.write(_render(data, findings, output_format=output_format, show_accepted=show_accepted))
    writer.close(tally, show_accepted=show_accepted)
    if tally.open[Severity.ERROR]:
        raise SystemExit(1)


@main.command()
@click.argument("code", required=False, metavar="[规则编号]")
@pass_state
def rules(state: AppState, code: str | None) -> None:
    """列出全部检查规则；给出编号（如 PG101）时显示该规则的完整说明。"""
    if code:
        rule = get_rule(code)
        if rule is None:
            fail(f"没有规则“{code}”（perfgoals rules 列出全部规则）")
            return
        click.echo(f"{rule.code} {rule.title}")
        click.echo(f"默认级别：{rule.severity.label}　范围：{rule.scope.label}")
        click.echo("")
        click.echo(rule.doc())
        return
    for rule in RULES:
        click.echo(f"{rule.code}  {rule.severity.glyph} {rule.severity.label}  {rule.title}")
    click.echo(f"共 {len(RULES)} 条规则；perfgoals rules 编号 显示说明。")


@main.command()
@click.argument("code", metavar="规则编号")
@department_options
@click.option("--project", "-p", "project_name", metavar="项目名称", help="项目名称或编码；不给时接受部门层面的问题。")
@click.option("--reason", "-r", metavar="理由", help="为什么这不是问题（必填，记入数据库）。")
@click.option("--withdraw", is_flag=True, help="撤销以前的接受。")
@pass_state
def accept(
    state: AppState,
    code: str,
    department: str | None,
    year: int | None,
    project_name: str | None,
    reason: str | None,
    withdraw: bool,
) -> None:
    """接受一个问题并写明理由（类似 noqa，但随数据保存）；--withdraw 撤销。"""
    rule = get_rule(code)
    if rule is None:
        fail(f"没有规则“{code}”（perfgoals rules 列出全部规则）")
        return
    if withdraw and reason:
        fail("--withdraw 不需要 --reason")
    if not withdraw and not (reason and reason.strip()):
        fail("接受问题必须用 --reason 写明理由")
    engine = state.engine()
    with read_session(engine) as session:
        key = repo.find_department(session, code=department, year=year)
        data = repo.load_department(session, department_id=key.id)
    project_id: int | None = None
    target = f"部门 {key.label}"
    acceptances = data.acceptances
    if project_name:
        found = _find_project(data, project_name)
        project_id, target, acceptances = found.id, f"项目“{found.name}”", found.acceptances
    existing = next((a for a in acceptances if a.code == rule.code), None)
    if withdraw and existing is None:
        fail(f"{target}没有已接受的 {rule.code}")
    with write_session(engine) as session:
        if withdraw:
            repo.withdraw_acceptance(
                session, department_id=key.id, project_id=project_id, code=rule.code, user=state.user
            )
        else:
            assert reason is not None
            repo.accept_finding(
                session,
                department_id=key.id,
                project_id=project_id,
                code=rule.code,
                reason=reason,
                user=state.user,
            )
    if withdraw:
        click.echo(f"已撤销对 {rule.code}（{rule.title}）的接受：{target}")
    else:
        replaced = "（替换了原有理由）" if existing is not None else ""
        click.echo(f"已接受 {rule.code}（{rule.title}）：{target}，理由：{reason.strip() if reason else ''}{replaced}")
