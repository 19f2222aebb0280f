"""Starting a department's next budget year from this one (结转下一年度).

What is copied, and why (what a finance office expects of "复制上年"):

* **Budget lines (功能分类科目):** the structure — code, name, unit — is copied; the amounts are
  cleared.  The new year's 合计/基本/项目/收入 figures come from the new budget as compiled; last
  year's figures stay in last year's department-year, and leaving them in place would make the
  reconciliation and the checks agree with numbers nobody has set for the new year.
* **Projects and their goal tables:** copied as drafts (状态 草稿, revision 1), keeping the line link,
  fund source, owner, code and the amount as a starting point, marked as inferred (沿用上年金额) until
  an owner confirms it.  With the lines' amounts cleared, the checks say the money trail cannot be
  checked (PG112) until the new budget's figures are filled in: a new year is not clean by default.  Every indicator keeps its text, and
  its last year's 指标值 is kept beside it (``Indicator.reference_value``), and the 实际完成值 of last
  year's 自评 beside that (``Indicator.reference_actual``, matched by row: see :func:`_actuals`), so owners
  set the new target with last year's target and what was achieved in view.
* **Cleared:** the review (comments, transitions: status back to 草稿), the monitoring and the 自评 of
  last year; the new year's are made in the new year.
* **Not copied:** accepted findings (a reason given for last year's data is no reason for the new
  year's), and the published tables of the year (经济分类, 收支总表, 三公经费, 政府采购), which
  the new year's budget disclosure brings.  The department's goal texts and units are copied.

The whole rollover is one transaction of the caller's session; the target department-year must not
exist yet.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlmodel import Session, col

from perfgoals.errors import PerfgoalsError
from perfgoals.evaluation import result_rows
from perfgoals.models import (
    AmountSource,
    BudgetLine,
    Department,
    GoalTable,
    Indicator,
    Project,
    ProjectStatus,
)
from perfgoals.storage import repository as repo
from perfgoals.storage.tables import DepartmentRow

#: Departments loaded per read when rolling over a whole year: few statements, bounded memory.
BATCH = 50


class RolloverError(PerfgoalsError):
    """A rollover that cannot be done; nothing was written."""


def next_year_department(department: Department, *, to_year: int) -> Department:
    """The new department-year made from ``department`` (not saved): see the module notes."""
    if to_year <= department.year:
        raise RolloverError(
            f"结转的目标年度 {to_year} 必须晚于来源年度 {department.year}（{department.code} {department.name}）"
        )
    return Department(
        code=department.code,
        name=department.name,
        year=to_year,
        money_unit=department.money_unit,
        framework=department.framework,
        goals=department.goals.model_copy(),
        org_units=[unit.model_copy() for unit in department.org_units],
        budget_lines=[_line_structure(line) for line in department.budget_lines],
        projects=[_draft_project(project) for project in department.projects],
    )


def _line_structure(line: BudgetLine) -> BudgetLine:
    return BudgetLine(code=line.code, name=line.name, unit=line.unit)


def _draft_project(project: Project) -> Project:
    return Project(
        name=project.name,
        code=project.code,
        budget_line_code=project.budget_line_code,
        line_link=project.line_link,
        fund_source=project.fund_source,
        fund_source_detail=project.fund_source_detail,
        budget_amount=project.budget_amount,
        amount_unit=project.amount_unit,
        amount_source=_carried_source(project),
        owner=project.owner,
        implementing_unit=project.implementing_unit,
        status=ProjectStatus.DRAFT,
        notes=project.notes,
        goal=GoalTable(
            goal_text=project.goal.goal_text,
            mid_term_goal_text=project.goal.mid_term_goal_text,
            indicators=[
                _carried_indicator(indicator, actual)
                for indicator, actual in zip(project.goal.indicators, _actuals(project), strict=True)
            ],
            revision=1,
        ),
    )


def _carried_source(project: Project) -> AmountSource:
    """Last year's amount is a starting point, not the new year's budget: inferred until confirmed."""
    if project.budget_amount is None:
        return AmountSource.ENTERED
    return AmountSource.PREVIOUS_YEAR


def _carried_indicator(indicator: Indicator, actual: str | None) -> Indicator:
    previous = indicator.value.strip()
    return indicator.model_copy(
        update={"reference_value": indicator.value if previous else None, "reference_actual": actual}
    )


def _actuals(project: Project) -> list[str | None]:
    """Each indicator's 实际完成值 in last year's 自评 (``None``: not evaluated or left blank), as typed.

    Results are matched to rows as the 自评 itself matches them (:func:`perfgoals.evaluation.result_rows`:
    by position, or by the 三级 a result kept when the row has moved since).
    """
    found = result_rows(project)
    return [
        found[index].actual if index in found and found[index].actual.strip() else None
        for index in range(len(project.goal.indicators))
    ]


def _existing(session: Session, *, code: str, year: int) -> int | None:
    return session.execute(
        select(col(DepartmentRow.id)).where(col(DepartmentRow.code) == code, col(DepartmentRow.year) == year)
    ).scalar_one_or_none()


def rollover(session: Session, *, department_id: int, to_year: int, user: str) -> int:
    """Create department-year ``to_year`` from department ``department_id``; returns the new id.

    Refuses (:class:`RolloverError`) when that department already has ``to_year`` or when ``to_year``
    is not later than the source year.  Records the change on both department-years.
    """
    source = repo.load_department(session, department_id=department_id)
    if _existing(session, code=source.code, year=to_year) is not None:
        raise RolloverError(
            f"{source.code} {source.name} 已有 {to_year} 年的数据，不能再从 {source.year} 年结转；"
            f"如要重新结转，请先删除 {to_year} 年的数据（终端界面“部门与年度”中按 Delete）"
        )
    return _save_next_year(session, source=source, to_year=to_year, user=user)


def _save_next_year(session: Session, *, source: Department, to_year: int, user: str) -> int:
    target = next_year_department(source, to_year=to_year)
    new_id = repo.save_department(session, department=target, user=user, action="rollover")
    repo.record_change(
        session,
        user=user,
        entity="department",
        action="rollover",
        department_id=source.id,
        department_key=f"{source.code}/{source.year}",
        entity_key=source.name,
        after={"to_year": to_year, "department_id": new_id, "projects": len(target.projects)},
    )
    return new_id


def rollover_year(
    session: Session, *, from_year: int, to_year: int, user: str, codes: Sequence[str] | None = None
) -> list[int]:
    """Roll over every department of ``from_year`` (or those in ``codes``); all or nothing.

    Every target is checked before anything is written, so that the error names all clashes.
    """
    if to_year <= from_year:
        raise RolloverError(f"结转的目标年度 {to_year} 必须晚于来源年度 {from_year}")
    keys = repo.list_departments(session, year=from_year)
    if codes is not None:
        wanted = list(dict.fromkeys(codes))
        known = {key.code for key in keys}
        missing = [code for code in wanted if code not in known]
        if missing:
            listed = sorted(known)
            have = "、".join(listed[:10]) + (f" 等 {len(listed)} 个" if len(listed) > 10 else "") or "无"
            raise RolloverError(f"{from_year} 年没有部门 {'、'.join(missing)}（该年有：{have}）")
        keys = [key for key in keys if key.code in wanted]
    if not keys:
        raise RolloverError(f"{from_year} 年没有部门数据，无从结转")
    taken = {key.code for key in repo.list_departments(session, year=to_year)}
    clashes = [key for key in keys if key.code in taken]
    if clashes:
        names = "、".join(f"{key.code} {key.name}" for key in clashes[:10])
        names += f" 等 {len(clashes)} 个" if len(clashes) > 10 else ""
        raise RolloverError(f"以下部门已有 {to_year} 年的数据，未做任何结转：{names}")
    new_ids: list[int] = []
    for start in range(0, len(keys), BATCH):
        batch = repo.load_departments(session, department_ids=[key.id for key in keys[start : start + BATCH]])
        new_ids.extend(
            _save_next_year(session, source=source, to_year=to_year, user=user) for source in batch
        )
    return new_ids
