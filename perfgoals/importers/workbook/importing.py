"""Bringing a workbook back: :func:`import_workbook`, and matching each sheet to its project.

A department-year the database lacks is created whole from the dump the workbook carries; otherwise each
sheet is matched to its project (:func:`_match_project`: by id, else by name, noting a reload) and merged
three-way with it, the version exported as the base.  Every obstacle is collected and named in one
:class:`~perfgoals.importers.workbook.opening.WorkbookImportError`; only when there is none is anything saved.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from perfgoals.export.xlsx import META_SHEET
from perfgoals.importers.workbook.cells import quoted
from perfgoals.importers.workbook.followup_edits import goal_edits, reply_edits
from perfgoals.importers.workbook.opening import (
    Entry,
    WorkbookImportError,
    open_workbook,
    read_meta,
    sheet_for,
)
from perfgoals.importers.workbook.sheet_edits import read_sheet
from perfgoals.importers.workbook.summary import edits_to_summary
from perfgoals.merge import Side, merge_projects, same_content
from perfgoals.models import Department, Project, ProjectStatus
from perfgoals.reading.amounts import project_amount
from perfgoals.storage import repository as repo
from perfgoals.text import visible
from perfgoals.workflow.lock import is_locked, locked_changes, unlocked_by

_MINE, _THEIRS, _BASE = Side.MINE, Side.THEIRS, Side.BASE


def import_workbook(session: Session, *, path: Path, user: str, replace: bool) -> str:
    """Bring back a workbook ``perfgoals export`` wrote; returns a report (Chinese), one cell a line.

    A department-year the database lacks is created whole from the dump the workbook carries, with the
    workbook's edits on top.  Otherwise each edited project is merged three-way: the version exported
    (carried in the workbook) is the base, the sheet is one side and the database the other; cells only
    the workbook changed are taken, a colleague's cells are kept, cells both changed are conflicts (nothing
    written unless ``replace``, which takes the workbook's side for those cells only).  Raises
    :class:`WorkbookImportError` listing every obstacle; nothing is written then.
    """
    from perfgoals.documents import DocumentError, parse_document

    path = Path(path)
    workbook = open_workbook(path)
    entries, dumps = read_meta(workbook, path.name)
    known = {(key.code, key.year) for key in repo.list_departments(session)}
    missing = sorted(
        {(e.department_code, e.year, e.department_name) for e in entries if (e.department_code, e.year) not in known}
    )
    without_dump = [item for item in missing if (item[0], item[1]) not in dumps]
    if without_dump:
        named = "、".join(f"{code} {name}（{year} 年）" for code, year, name in without_dump)
        raise WorkbookImportError(
            f"{path.name}：这是旧版 perfgoals 导出的工作簿（不带部门数据），只能写回导出它的数据库中已有的部门；"
            f"本数据库中没有 {named}，未导入任何内容。请先导入该部门（perfgoals load 其 dump 文件，"
            "或 perfgoals import 其预算公开文件），或用 --db 指向导出它的数据库"
        )
    lines: list[str] = []
    obstacles: list[str] = []
    conflicted = False  # an obstacle --replace would settle
    unchanged = 0
    missing_sheets: list[str] = []
    saved: list[str] = []
    created: list[str] = []
    edited_new: list[str] = []  # projects of a department-year created here, with the workbook's edits
    pending: list[tuple[Project, Project]] = []  # (theirs as stored, merged) to save
    new_departments: list[Department] = []
    departments: dict[tuple[str, int], Department] = {}
    exported_departments: dict[tuple[str, int], Department] = {}
    for dump_key, text in dumps.items():
        try:
            exported_departments[dump_key] = parse_document(text, source=f"{path.name} 内嵌的部门数据")
        except DocumentError as exc:
            raise WorkbookImportError(str(exc)) from None
    for code, year, _name in missing:
        try:
            department = parse_document(dumps[(code, year)], source=f"{path.name} 内嵌的部门数据")
        except DocumentError as exc:
            raise WorkbookImportError(str(exc)) from None
        departments[(code, year)] = department
        new_departments.append(department)
    for entry in entries:
        sheet = sheet_for(workbook, entry)
        if sheet is None:
            missing_sheets.append(entry.project_name)
            continue
        key = (entry.department_code, entry.year)
        creating = key in {(d.code, d.year) for d in new_departments}
        if key not in departments:
            found = repo.find_department(session, code=entry.department_code, year=entry.year)
            departments[key] = repo.load_department(session, department_id=found.id)
        department = departments[key]
        reloaded: str | None = None
        if creating:
            theirs = next((p for p in department.projects if p.name == entry.project_name), None)
            if theirs is None:
                obstacles.append(f"{path.name}：内嵌的部门数据中没有项目“{entry.project_name}”")
                continue
        else:
            try:
                theirs, reloaded = _match_project(session, department, entry, path.name)
            except WorkbookImportError as exc:
                obstacles.append(str(exc))
                continue
        try:
            base = _base_of(entry, theirs)
            as_exported = exported_departments.get(key)
            read = read_sheet(sheet, entry, base, path.name, first_row=entry.first_row, department=as_exported)
        except WorkbookImportError as exc:
            obstacles.append(str(exc))
            continue
        lines.extend(f"  {line}（未导入）" if "未导入" not in line else f"  {line}" for line in read.refused)
        if same_content(base, read.mine):
            if not creating:
                unchanged += 1
            continue
        result = merge_projects(base, read.mine, theirs)
        stale = entry.base is None and theirs.goal.revision != entry.revision
        if (reloaded is not None or stale) and not replace:
            why = reloaded or f"导出时第 {entry.revision} 版，数据库中现为第 {theirs.goal.revision} 版"
            obstacles.append(
                f"“{theirs.name}”（{why}，工作簿依据的是之前的第 {entry.revision} 版，"
                f"数据库中现为编号 {theirs.id} 的第 {theirs.goal.revision} 版）在导出后已在数据库中修改过"
                if reloaded is not None
                else f"“{theirs.name}”（{why}）在导出后已在数据库中修改过"
            )
            conflicted = True
            continue
        if result.conflicts and not replace:
            listed = "；".join(
                f"{read.title} {c.label}：工作簿为 {quoted(c.text(_MINE))}，数据库中（他人修改）为 "
                f"{quoted(c.text(_THEIRS))}，导出时为 {quoted(c.text(_BASE))}"
                for c in result.conflicts
            )
            obstacles.append(f"“{theirs.name}”有 {len(result.conflicts)} 处工作簿与他人都改过的单元格：{listed}")
            conflicted = True
            continue
        merged = result.project
        if same_content(merged, theirs):
            unchanged += 1  # already saved (an earlier import of this same workbook)
            continue
        lines.extend(f"  {change}" for change in read.changes)
        if result.conflicts:
            lines.extend(
                f"  {read.title} {c.label}：以工作簿为准（--replace），他人的 {quoted(c.text(_THEIRS))} 被替换"
                for c in result.conflicts
            )
        if result.taken_from_theirs:
            lines.append(f"  {read.title}：保留了他人在导出后修改的 {'、'.join(result.taken_from_theirs)}")
        what = f"{len(merged.goal.indicators)} 行指标"
        if (merged.budget_amount, merged.amount_unit) != (theirs.budget_amount, theirs.amount_unit):
            what += f"，年度资金已改为 {project_amount(merged).text}"
        if merged.implementing_unit != theirs.implementing_unit:
            what += "，实施单位已改"
        if merged.name != theirs.name:
            what += f"，改名为“{merged.name}”"
        if creating:
            department.projects[department.projects.index(theirs)] = merged
            edited_new.append(f"{theirs.name}（{what}）")
        else:
            locked = locked_changes(theirs, merged) if is_locked(theirs.status) else []
            if locked:  # a table under review keeps its targets (perfgoals.workflow.lock)
                obstacles.append(
                    f"“{theirs.name}”{ProjectStatus(theirs.status).value}，绩效目标表已锁定，工作表中的修改"
                    f"（{'、'.join(locked)}）不能导入；{unlocked_by(theirs.status)}后才能修改"
                )
                continue
            pending.append((theirs, merged))
            saved.append(f"{theirs.name}（{what}）")
    for department in departments.values():
        names = [p.name for p in department.projects]
        for theirs, merged in pending:
            if theirs in department.projects:
                names[department.projects.index(theirs)] = merged.name
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            obstacles.append(
                f"{department.code} {department.name}（{department.year} 年）：改名后项目名称重复：{'、'.join(repeated)}"
            )
    if obstacles:
        raise WorkbookImportError(
            f"{path.name}：未导入任何内容（{len(obstacles)} 处问题）：\n"
            + "\n".join(f"  {obstacle}" for obstacle in obstacles)
            + ("\n  如确认以工作簿为准覆盖他人修改过的内容，请加 --replace" if conflicted and not replace else "")
        )
    for department in new_departments:
        repo.save_department(session, department=department, user=user, action="import")
        rows = sum(len(p.goal.indicators) for p in department.projects)
        created.append(
            f"{department.code} {department.name}（{department.year} 年，{len(department.projects)} 个项目、"
            f"{rows} 行指标、{len(department.budget_lines)} 个功能科目）"
        )
    for theirs, merged in pending:
        repo.save_project(session, project=merged, expected_revision=theirs.goal.revision, user=user)
    parts = []
    if created:
        parts.append(f"已从 {path.name} 新建部门年度（按工作簿内嵌的部门数据）：{'、'.join(created)}")
        if edited_new:
            parts.append(f"，其中按工作簿的修改：{'、'.join(edited_new)}")
    if saved or unchanged or not created:
        parts.append("；" if created else "")
        parts.append(f"已从 {path.name} 导入：更新 {len(saved)} 个项目的绩效目标表")
        if saved:
            parts.append("：" + "、".join(saved))
        parts.append(f"；{unchanged} 个项目未改动")
    if missing_sheets:
        parts.append(f"；工作簿中已没有这些项目的工作表，未作改动：{'、'.join(missing_sheets)}")
    # The 部门整体绩效目标 and 审核意见 sheets (perfgoals.importers.workbook.followup_edits).
    lines.extend(f"  {line}" for line in goal_edits(session, workbook, exported=exported_departments, user=user))
    lines.extend(f"  {line}" for line in reply_edits(session, workbook, user=user))
    summary_edits = edits_to_summary(workbook, [departments[key] for key in dict.fromkeys((e.department_code, e.year) for e in entries) if key in departments], dumps)
    lines.extend(f"  {line}" for line in summary_edits)
    return "".join(parts) + "。" + "".join(f"\n{visible(line)}" for line in lines)


def _base_of(entry: Entry, theirs: Project) -> Project:
    """The version the workbook was exported from: carried in the workbook, else (an older workbook)
    the stored version, which the sheet is then read over as before."""
    if entry.base is None:
        return theirs
    try:
        return Project.model_validate_json(entry.base).model_copy(update={"id": theirs.id})
    except ValueError:
        raise WorkbookImportError(f"{META_SHEET} 表中“{entry.project_name}”的导出版本已被改动，无法识别") from None


def _match_project(
    session: Session, department: Department, entry: Entry, file_name: str
) -> tuple[Project, str | None]:
    """The sheet's project, and why it is not the very project exported (``None`` when it is).

    By its database id first (names may have changed since; ids are never reused).  An id the
    department-year no longer has was replaced by a reload (``load``, ``import --replace``): the project
    is then the one of the same name, and the workbook is based on a version older than anything in the
    database, so its changes conflict (never written into whichever project now has the id or position).
    The same holds for an id deleted meanwhile whose name a new project took.  A sheet without an id
    (an older export) is matched by name.
    """
    reloaded: str | None = None
    if entry.project_id is not None:
        for project in department.projects:
            if project.id == entry.project_id:
                return project, None
        reloaded = (
            "导出后部门年度已重新读入（load 或 import --replace）"
            if repo.was_reloaded(session, project_id=entry.project_id)
            else f"导出时的项目（编号 {entry.project_id}）已不在，现为同名的另一项目"
        )
    for project in department.projects:
        if project.name == entry.project_name:
            return project, reloaded
    raise WorkbookImportError(
        f"{file_name}：数据库中 {department.code} {department.name}（{department.year}年）没有项目“{entry.project_name}”"
    )
