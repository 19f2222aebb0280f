"""Two products from one export: the 报送版 to hand on, the 工作版 for the office.

* **报送版** (``submit``): the 目录 and one 绩效目标表 per project, nothing else — no 汇总, 对账, 问题, no
  hidden sheet, no defined names, no 草稿/已提交 status.  An inferred amount or a budget line the
  importer only suggested is shown where the table must show it, marked (``按成本指标推断，待确认``,
  ``2060702（待确认）``), read from :mod:`perfgoals.reading` like everywhere else.
* **工作版** (``work``, the default): as before — 目录, 汇总, 对账, 问题, the project sheets and the
  hidden ``_perfgoals`` sheet the round trip needs.  When checks were skipped its 目录 says 未检查,
  never 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from perfgoals.export.layout import Styled, Table, TableColumn, TableItem, money_cell
from perfgoals.export.reconciliation_sheet import TOTAL_LABEL, cents
from perfgoals.models import Department, Project
from perfgoals.reading.amounts import project_amount
from perfgoals.reading.links import line_code_text
from perfgoals.reading.reconcile import DepartmentReconciliation


class Edition(StrEnum):
    SUBMIT = "报送"
    WORK = "工作"

    @property
    def label(self) -> str:
        return f"{self.value}版"


#: The words ``--edition`` takes for each edition.
EDITION_WORDS: dict[str, Edition] = {
    "报送": Edition.SUBMIT,
    "报送版": Edition.SUBMIT,
    "submit": Edition.SUBMIT,
    "工作": Edition.WORK,
    "工作版": Edition.WORK,
    "work": Edition.WORK,
}

#: What the 目录's 未处理问题 column says when the export ran no checks (``--skip-checks``).
NOT_CHECKED = "未检查"


def parse_edition(word: str) -> Edition:
    try:
        return EDITION_WORDS[word.strip().lower()]
    except KeyError:
        raise ValueError(f"没有“{word}”这一版本，可用：报送（submit）、工作（work）") from None


SUBMIT_TOC = Table(
    "目录",
    (
        TableColumn("序号", "integer", 6),
        TableColumn("部门", "text", 28),
        TableColumn("功能科目", "text_center", 18),
        TableColumn("项目名称", "text", 60),
        TableColumn("预算金额", "money", 17),
        TableColumn("金额说明", "text", 26),
        TableColumn("指标行数", "integer", 9),
    ),
    title="绩效目标表目录",
)


def submit_toc_record(number: int, department: Department, project: Project, link: TableItem) -> list[TableItem]:
    """A project's row of the 报送版 目录: an inferred amount and a suggested line marked, nothing else."""
    amount = project_amount(project)
    return [
        number,
        f"{department.code} {department.name}",
        line_code_text(project),
        link,
        money_cell(amount.amount, amount.unit),
        amount.marker,
        len(project.goal.indicators),
    ]


def total_notes(projects: Sequence[Project]) -> list[str]:
    """What a 目录 total row says of the amounts it adds: inferred ones, and projects left out."""
    inferred = sum(1 for project in projects if project_amount(project).inferred)
    unpriced = sum(1 for project in projects if project_amount(project).wan is None)
    notes = []
    if inferred:
        notes.append(f"含推断金额 {inferred} 项，待确认")
    if unpriced:
        notes.append(f"{unpriced} 个项目未填金额，未计入")
    return notes


def submit_toc_total(department: Department, result: DepartmentReconciliation) -> list[TableItem]:
    """The department's total row of the 报送版 目录: Σ its projects in 万元, to 0.01."""
    projects = department.projects
    notes = total_notes(projects)
    return [
        None,
        f"{department.code} {department.name}",
        "",
        Styled(f"{TOTAL_LABEL}（{len(projects)} 个项目）", "total_label"),
        money_cell(cents(result.projects_wan), "万元", bold=True),
        "；".join(notes),
        Styled(sum(len(project.goal.indicators) for project in projects), "integer_total"),
    ]

