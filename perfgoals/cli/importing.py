"""``perfgoals import FILE...``: bring published disclosures and goal tables (.docx, text, .xlsx, .xls, a
folder of them) and perfgoals workbooks in.

A file of goal tables only (no budget table) adds its projects to its department-year: the department is
found by the code the file states, else by its name among the departments of that year, else created
(with a code derived from the name); ``--department`` and ``--year`` override what the files say.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from perfgoals.cli import AppState, main, pass_state
from perfgoals.importers.errors import ImportFailure
from perfgoals.importers.reading import ImportResult
from perfgoals.models import Department, FundSource, Project
from perfgoals.text import visible

if TYPE_CHECKING:
    from sqlmodel import Session

WORKBOOK_MODULE = "perfgoals.importers.workbook"


class _DryRun(Exception):
    """Raised at the end of a dry run so that the transaction is rolled back."""


@dataclass(slots=True)
class _Outcome:
    label: str
    action: str  # "new", "replaced", "unchanged", "blocked", "joined"
    details: list[str]


def _link_lines(result: ImportResult) -> list[str]:
    links = result.links
    linked = [link for link in links.links if link.line is not None]
    if not result.department.projects or not result.department.budget_lines:
        return []  # nothing to link, or (goal tables alone) no line to link to
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


def _parse_all(
    paths: tuple[Path, ...], department_code: str | None, year: int | None
) -> tuple[list[ImportResult], list[Path], list[str]]:
    """Every file read (a folder's readable files too) before anything is written: the results, the
    perfgoals workbooks, and what a folder held that is not read.  Every file that cannot be read is named
    in one failure."""
    from perfgoals.importers.reading import check_file, expand_paths, import_path
    from perfgoals.importers.sheets import is_perfgoals_workbook
    from perfgoals.importers.workbook_limits import check_workbook

    files, skipped = expand_paths(paths)
    results: list[ImportResult] = []
    workbooks: list[Path] = []
    failures: list[str] = []
    for path in files:
        try:
            if path.suffix.lower() in (".xlsx", ".xlsm"):
                check_file(path)  # the same existence and size checks as the other files
                # Bounded and formula-free, checked before anything is opened or any transaction begins.
                check_workbook(path)
                if is_perfgoals_workbook(path):
                    if importlib.util.find_spec(WORKBOOK_MODULE) is None:
                        raise ImportFailure(f"{path}：这个版本还不能导入 perfgoals 的工作簿")
                    workbooks.append(path)
                    continue
            results.append(import_path(path, department_code=department_code, year=year))
        except ImportFailure as exc:
            failures.append(str(exc))
    if len(failures) == 1:
        raise ImportFailure(failures[0])
    if failures:
        raise ImportFailure(f"{len(failures)} 个文件无法导入，本次没有写入任何内容：\n" + "\n".join(f"  {f}" for f in failures))
    return results, workbooks, skipped


def _resolve(results: list[ImportResult], session: Session, code_given: bool) -> None:
    """Give each stand-alone result its department-year in the database: the same code, else the same
    name in that year (its code taken), else a new one; a code from --department takes the stored name."""
    from perfgoals.storage import repository as repo

    keys = repo.list_departments(session)
    for result in results:
        department = result.department
        same_code = [key for key in keys if key.code == department.code]
        if not result.department_named:
            if not same_code:
                raise ImportFailure(
                    f"{result.source}：文件中没有写部门名称，数据库中也没有编码为 {department.code} 的部门；"
                    "请在文件中写明“预算部门”，或用 --department 指定已有的部门"
                )
            department.name = same_code[0].name
            continue
        if result.code_derived and not code_given:
            named = [key for key in keys if key.name == department.name and key.year == department.year]
            named = named or [key for key in keys if key.name == department.name]
            if named:
                department.code = named[0].code


def _merged(results: list[ImportResult]) -> list[ImportResult]:
    """Stand-alone results of one department-year as one (their projects together, a repeated name made
    unique); two disclosures of one department-year are refused."""
    from perfgoals.importers.interpret.report import Note

    merged: dict[tuple[str, int], ImportResult] = {}
    for result in results:
        key = (result.department.code, result.department.year)
        first = merged.get(key)
        if first is None:
            merged[key] = result
            continue
        if not (first.standalone and result.standalone):
            raise ImportFailure(
                f"{result.source}：与 {first.source} 是同一部门年度（{key[0]}，{key[1]} 年），一次只能导入其中一个"
            )
        names = {project.name for project in first.department.projects}
        for project in result.department.projects:
            name, suffix = project.name, 2
            while project.name in names:
                project.name = f"{name}（{suffix}）"
                suffix += 1
            if project.name != name:
                result.notes.append(Note(result.source, f"项目名称“{name}”与其他文件中的项目重复，改名为“{project.name}”"))
            names.add(project.name)
            first.department.projects.append(project)
        first.notes.extend(result.notes)
        first.source = f"{first.source}、{result.source}"
        for name, count in result.tables.items():
            first.tables[name] = first.tables.get(name, 0) + count
    return list(merged.values())


def _join(
    session: Session, result: ImportResult, current: Department, user: str, replace: bool
) -> tuple[str, list[str]]:
    """Add a stand-alone result's projects to a stored department-year: a new name is added, an equal one
    left, a different one replaced only with --replace.  The action and what it did."""
    from perfgoals.importers.compare import project_differences
    from perfgoals.storage import repository as repo

    assert current.id is not None  # loaded from the database
    stored = {project.name: project for project in current.projects}
    added: list[str] = []
    replaced: list[str] = []
    blocked: list[str] = []
    attached: list[str] = []  # projects given their 自评
    for project in result.department.projects:
        old = stored.get(project.name)
        if old is None:
            repo.add_project(session, department_id=current.id, project=project, user=user)
            added.append(project.name)
            continue
        if project.evaluation is not None:  # a 自评表: its 自评 goes on the stored project, targets untouched
            from perfgoals.importers.interpret.evaluation_attach import attach_evaluation

            evaluated, unmatched = attach_evaluation(old, project, current.framework)
            if evaluated.evaluation == old.evaluation:
                continue
            if old.evaluation is not None and not replace:
                blocked.append(f"{project.name}（已有自评，与本次导入的不同）")
                continue
            repo.save_project(session, project=evaluated, expected_revision=old.goal.revision, user=user)
            attached.append(f"{project.name}{'（' + '；'.join(unmatched) + '）' if unmatched else ''}")
            continue
        notes = project_differences(old, _with_review_of(old, project))
        if not notes:
            continue
        entry = f"{project.name}（{'；'.join(notes)}）"
        if not replace:
            blocked.append(entry)
            continue
        _replace_project(session, old, project, user)
        replaced.append(entry)
    details = []
    if added:
        details.append(f"新增项目（{len(added)} 个）：{'、'.join(added)}")
    if replaced:
        details.append(f"替换的项目（{len(replaced)} 个）：{'；'.join(replaced)}")
    if attached:
        details.append(f"导入自评的项目（{len(attached)} 个）：{'；'.join(attached)}")
    if blocked:
        details.append(f"与数据库中不同的项目（{len(blocked)} 个，需要 --replace 才会替换）：{'；'.join(blocked)}")
        return "blocked", details
    if not added and not replaced and not attached:
        return "unchanged", details
    return "joined", details


def _with_review_of(old: Project, new: Project) -> Project:
    """``new`` (read from a goal table file) with ``old``'s review and what follows the targets: they are the
    database's, not the file's, which carries none of them (a table under review is refused by save_project:
    perfgoals.storage.locking)."""
    kept = {"status": old.status, "comments": old.comments, "reviews": old.reviews}
    kept.update({name: getattr(old, name) for name in ("monitoring", "evaluation") if getattr(new, name) is None})
    return new.model_copy(update=kept)


def _replace_project(session: Session, old: Project, new: Project, user: str) -> None:
    from perfgoals.storage import repository as repo

    update = _with_review_of(old, new).model_copy(
        update={"id": old.id, "goal": new.goal.model_copy(update={"revision": old.goal.revision})}
    )
    repo.save_project(session, project=update, expected_revision=old.goal.revision, user=user)


@main.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True, path_type=Path), metavar="文件...")
@click.option(
    "--replace",
    is_flag=True,
    help="数据库中已有同一部门年度、且导入后有过修改时，用本次导入替换（修改将丢失）。",
)
@click.option("--dry-run", is_flag=True, help="只读取并报告，不写入数据库。")
@click.option(
    "--department", "-d", "department_code", default=None, metavar="编码",
    help="部门编码：以此为准，覆盖文件中写的部门（独立的绩效目标表常没有部门编码）。",
)
@click.option("--year", "-y", type=click.IntRange(1990, 2200), default=None, help="预算年度：以此为准，覆盖文件中写的年度。")
@pass_state
def import_command(
    state: AppState, files: tuple[Path, ...], replace: bool, dry_run: bool, department_code: str | None, year: int | None
) -> None:
    """导入预算公开文件、绩效目标表（.docx、文本、.xlsx、.xls，或一个文件夹中的这些文件）以及 perfgoals 导出的 .xlsx 工作簿。

    所有文件在一个事务中导入：任何一个出错，什么都不写入；读不了的文件和每处问题一次列出。

    只有绩效目标表（没有预算表）的文件：部门取自表中的“预算部门”“单位名称”等，按编码或名称对应数据库中
    已有的部门年度，其项目加入该部门；没有则新建部门（文件中没有编码时，由名称生成编码）。
    --department 和 --year 可以指定部门和年度。

    重新导入同一部门年度时，与数据库中相同则不作改动；
    导入后有过修改的，先列出将被替换的内容，加 --replace 才替换。
    """
    if department_code is not None and not department_code.strip():
        raise ImportFailure("--department 不能为空")
    results, workbooks, skipped = _parse_all(files, department_code, year)
    results = _merged(results)  # two disclosures of one department-year: refused before the database opens
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
            _resolve(results, session, department_code is not None)
            results = _merged(results)
            existing = {(key.code, key.year): key for key in repo.list_departments(session)}
            for result in results:
                department = result.department
                label = f"{department.code} {department.name}（{department.year} 年）"
                key = existing.get((department.code, department.year))
                if key is None:
                    outcome = _Outcome(label, "new", [])
                elif result.standalone:
                    current = repo.load_department(session, department_id=key.id)
                    action, details = _join(session, result, current, state.user, replace)
                    outcomes.append(_Outcome(label, action, details))
                    blocked = blocked or action == "blocked"
                    continue
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
            # Every workbook in the one transaction: any that cannot be taken leaves nothing written, and
            # every one's obstacles are listed together.
            module = importlib.import_module(WORKBOOK_MODULE) if workbooks else None
            workbook_failures: list[str] = []
            for path in workbooks:
                assert module is not None
                try:
                    report = module.import_workbook(session, path=path, user=state.user, replace=replace)
                except module.WorkbookImportError as exc:
                    workbook_failures.append(str(exc))  # (each message names its file)
                    continue
                workbook_lines.append(f"{path}：{report}")
            if len(workbook_failures) == 1:
                raise ImportFailure(workbook_failures[0])
            if workbook_failures:
                raise ImportFailure(
                    f"{len(workbook_failures)} 个工作簿无法导入，本次没有写入任何内容：\n"
                    + "\n".join(f"  {failure}" for failure in workbook_failures)
                )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    for name in skipped:
        click.echo(visible(f"{name}：不是可导入的文件类型，已跳过"))
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
        "joined": ("将加入", "已加入"),
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
    if outcome.action == "joined":
        _say(f"{result.source}：{verb} {outcome.label}（已有的部门年度）")
        for line in outcome.details:
            _say(f"  {line}")
        for line in _report(result):
            _say(f"  {line}")
        return
    _say(f"{result.source}：{verb} {outcome.label}")
    if outcome.action == "replaced":
        _say("  被替换的内容：")
        for line in outcome.details:
            _say(f"    {line}")
    for line in _report(result):
        _say(f"  {line}")
