"""``perfgoals import FILE...``: bring published disclosures (.docx, text) and perfgoals workbooks in."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import click

from perfgoals.cli import AppState, main, pass_state
from perfgoals.importers.errors import ImportFailure
from perfgoals.importers.reading import ImportResult
from perfgoals.models import FundSource
from perfgoals.text import visible

WORKBOOK_MODULE = "perfgoals.importers.workbook"


class _DryRun(Exception):
    """Raised at the end of a dry run so that the transaction is rolled back."""


@dataclass(slots=True)
class _Outcome:
    label: str
    action: str  # "new", "replaced", "unchanged", "blocked"
    details: list[str]


def _link_lines(result: ImportResult) -> list[str]:
    links = result.links
    linked = [link for link in links.links if link.line is not None]
    if not result.department.projects:
        return []
    unique = [link for link in linked if link.alternatives == 1]
    lines = [
        f"功能科目对应（均为建议，未经确认）：{len(linked)}/{len(links.links)} 个项目已对应，"
        + (
            f"其中 {len(unique)} 个未发现其他可能的科目（未穷尽所有组合）"
            if links.truncated
            else f"其中 {len(unique)} 个是唯一符合金额的科目"
        )
    ]
    for link in links.ambiguous:
        fund = f"，{link.fund.value}" if isinstance(link.fund, FundSource) else ""
        lines.append(f"  {link.project} → {link.line}{fund}（{link.reason}）")
    if links.truncated:
        lines.append("  组合过多，未能穷尽所有可能，请逐个确认")
    return lines


def _inferred_lines(result: ImportResult) -> list[str]:
    from perfgoals.importers.reading import inferred_amounts
    from perfgoals.reading.amounts import INFERRED_LABELS

    counts = inferred_amounts(result.department)
    if not counts:
        return []
    parts = "，".join(f"{INFERRED_LABELS[source]} {count} 个" for source, count in counts.items())
    return [
        f"项目年度资金：文件未单列 {sum(counts.values())} 个项目的金额，已推断（{parts}），"
        "标为“推断，待确认”；此后成本指标与之不符即报错"
    ]


def _report(result: ImportResult) -> list[str]:
    department = result.department
    lines = [
        f"{len(department.budget_lines)} 个功能科目、{len(department.projects)} 个项目、"
        f"{result.indicator_rows} 行绩效指标",
    ]
    if result.tables:
        tables = "、".join(f"{name}×{count}" if count > 1 else name for name, count in result.tables.items())
        lines.append(f"读取的表格：{tables}")
    lines.extend(_link_lines(result))
    lines.extend(_inferred_lines(result))
    if result.notes:
        lines.append(f"未能放置或需要核对的内容（{len(result.notes)} 处）：")
        lines.extend(f"  {note}" for note in result.notes)
    return lines


def _parse_all(files: tuple[Path, ...]) -> tuple[list[ImportResult], list[Path]]:
    from perfgoals.importers.reading import check_file, import_path
    from perfgoals.importers.workbook_limits import check_workbook

    results: list[ImportResult] = []
    workbooks: list[Path] = []
    seen: dict[tuple[str, int], str] = {}
    for path in files:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            check_file(path)  # the same existence and size checks as the other files
            if importlib.util.find_spec(WORKBOOK_MODULE) is None:
                raise ImportFailure(f"{path}：这个版本还不能导入 .xlsx 工作簿")
            # Bounded and formula-free, checked before anything is opened or any transaction begins.
            check_workbook(path)
            workbooks.append(path)
            continue
        result = import_path(path)
        key = (result.department.code, result.department.year)
        if key in seen:
            raise ImportFailure(
                f"{path}：与 {seen[key]} 是同一部门年度（{key[0]}，{key[1]} 年），一次只能导入其中一个"
            )
        seen[key] = str(path)
        results.append(result)
    return results, workbooks


@main.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True, path_type=Path), metavar="文件...")
@click.option(
    "--replace",
    is_flag=True,
    help="数据库中已有同一部门年度、且导入后有过修改时，用本次导入替换（修改将丢失）。",
)
@click.option("--dry-run", is_flag=True, help="只读取并报告，不写入数据库。")
@pass_state
def import_command(state: AppState, files: tuple[Path, ...], replace: bool, dry_run: bool) -> None:
    """导入预算公开文件（.docx 或其文本）以及 perfgoals 导出的 .xlsx 工作簿。

    所有文件在一个事务中导入：任何一个出错，什么都不写入。

    重新导入同一部门年度时，与数据库中相同则不作改动；
    导入后有过修改的，先列出将被替换的内容，加 --replace 才替换。
    """
    results, workbooks = _parse_all(files)
    from perfgoals.importers.amounts import keep_budget_facts
    from perfgoals.importers.compare import compare
    from perfgoals.importers.interpret import Note
    from perfgoals.storage import repository as repo
    from perfgoals.storage.db import describe_url, write_session

    engine = state.engine()
    outcomes: list[_Outcome] = []
    workbook_lines: list[str] = []
    blocked = False
    try:
        with write_session(engine) as session:
            existing = {(key.code, key.year): key for key in repo.list_departments(session)}
            for result in results:
                department = result.department
                label = f"{department.code} {department.name}（{department.year} 年）"
                key = existing.get((department.code, department.year))
                if key is None:
                    outcome = _Outcome(label, "new", [])
                else:
                    current = repo.load_department(session, department_id=key.id)
                    result.notes.extend(Note("项目金额", text) for text in keep_budget_facts(department, current))
                    differences = compare(current, department)
                    if not differences:
                        outcomes.append(_Outcome(label, "unchanged", []))
                        continue
                    outcome = _Outcome(label, "replaced" if replace else "blocked", differences.lines())
                    if not replace:
                        blocked = True
                        outcomes.append(outcome)
                        continue
                outcomes.append(outcome)
                repo.save_department(
                    session, department=department, user=state.user, replace=key is not None, action="import"
                )
            if blocked:
                raise _DryRun
            for path in workbooks:
                module = importlib.import_module(WORKBOOK_MODULE)
                workbook_lines.append(
                    f"{path}：{module.import_workbook(session, path=path, user=state.user, replace=replace)}"
                )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    for result, outcome in zip(results, outcomes, strict=True):
        _echo_outcome(result, outcome, dry_run=dry_run or blocked)
    for line in workbook_lines:
        click.echo(("（试运行）" if dry_run else "") + line)
    if blocked:
        raise ImportFailure(
            "数据库中的数据在上次导入后有过修改，与本次导入不同（见上）；如确要用本次导入替换，请加 --replace。"
            "本次没有写入任何内容"
        )
    if dry_run:
        click.echo("试运行：没有写入数据库。")
    else:
        click.echo(f"数据库：{describe_url(state.url)}")


def _echo_outcome(result: ImportResult, outcome: _Outcome, *, dry_run: bool) -> None:
    verbs = {
        "new": ("将导入", "已导入"),
        "replaced": ("将替换", "已替换"),
        "unchanged": ("没有变化", "没有变化"),
        "blocked": ("未导入", "未导入"),
    }
    verb = verbs[outcome.action][0 if dry_run else 1]

    def _say(text: str) -> None:
        click.echo(visible(text))  # names and values come from the file: shown inert

    if outcome.action == "unchanged":
        _say(f"{result.source}：{outcome.label} 与数据库中的完全相同，没有变化。")
        return
    if outcome.action == "blocked":
        _say(f"{result.source}：{verb}：数据库中的 {outcome.label} 与本次导入不同，需要 --replace 才会替换：")
        for line in outcome.details:
            _say(f"  {line}")
        return
    _say(f"{result.source}：{verb} {outcome.label}")
    if outcome.action == "replaced":
        _say("  被替换的内容：")
        for line in outcome.details:
            _say(f"    {line}")
    for line in _report(result):
        _say(f"  {line}")
