"""The lock: what a goal table under review may not change.

While a table is 已提交, 部门已审 or 财政已审 its targets are fixed: the reviewers review what was
submitted, and monitoring and 自评 rows point at stable indicator positions.  Everything of a project is
target content except what the review and the follow-up write (:data:`UNLOCKED_FIELDS`): its status,
comments, transitions, monitoring, 自评 and acceptances.

- :data:`LOCKED_STATUSES`, :func:`is_locked` ``(status)``.
- :func:`locked_changes` ``(before, after) -> list[str]``: the Chinese names of the locked fields that
  differ (empty: the change is allowed on a locked table).
- :func:`locked_message` ``(project, changes) -> str``: the refusal, naming the project, its status and
  what is locked; :func:`unlocked_by` ``(status)``: what unlocks it (撤回 or 退回).

The lock applies always, before the review is set up too (an owner then withdraws a submitted table to
edit it); :mod:`perfgoals.storage.locking` enforces it wherever storage writes a project.
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from perfgoals.models import GoalTable, Project, ProjectStatus

#: The statuses in which a goal table's targets cannot change.
LOCKED_STATUSES = frozenset(
    {ProjectStatus.SUBMITTED, ProjectStatus.DEPARTMENT_APPROVED, ProjectStatus.FINANCE_APPROVED}
)

#: The project fields the review and what follows it write: never locked.
UNLOCKED_FIELDS = frozenset({"id", "status", "comments", "reviews", "monitoring", "evaluation", "acceptances"})

_PROJECT_LABELS = {
    "name": "项目名称",
    "code": "项目编码",
    "budget_line_code": "功能分类科目",
    "line_link": "科目关联",
    "fund_source": "资金来源",
    "fund_source_detail": "资金来源说明",
    "budget_amount": "年度资金",
    "amount_unit": "金额单位",
    "amount_source": "金额来源",
    "owner": "负责人",
    "implementing_unit": "实施单位",
    "notes": "备注",
}
_GOAL_LABELS = {
    "goal_text": "绩效目标",
    "mid_term_goal_text": "实施期目标",
    "indicators": "绩效指标",
    "layout": "表样",
    "columns": "表样的列",
    "block": "项目信息栏",
    "footers": "表尾",
}


def is_locked(status: ProjectStatus | str) -> bool:
    """Whether a table in ``status`` is locked (see the module docstring)."""
    return status in LOCKED_STATUSES


def _label(name: str, description: str | None, labels: dict[str, str]) -> str:
    if name in labels:
        return labels[name]
    text = re.sub(r"（[^）]*）|\([^)]*\)", "", description or name)
    return re.split(r"[，：,]", text)[0].strip() or name


def _key(value: Any) -> Any:
    """Equality as the user sees it: decimals by their text (``5`` and ``5.0`` differ), models by content."""
    if isinstance(value, Decimal):
        return ("decimal", str(value))
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return tuple(_key(part) for part in value)
    if isinstance(value, dict):
        return ("dict", tuple((key, _key(part)) for key, part in value.items()))
    if isinstance(value, BaseModel):
        return tuple((name, _key(getattr(value, name, None))) for name in type(value).model_fields)
    return value


def locked_changes(before: Project, after: Project) -> list[str]:
    """The locked fields (Chinese names, in model order) in which ``after`` differs from ``before``."""
    changed: list[str] = []
    for name, info in Project.model_fields.items():
        if name in UNLOCKED_FIELDS or name == "goal":
            continue
        if _key(getattr(before, name, None)) != _key(getattr(after, name, None)):
            changed.append(_label(name, info.description, _PROJECT_LABELS))
    for name, info in GoalTable.model_fields.items():
        if name == "revision":
            continue
        if _key(getattr(before.goal, name, None)) != _key(getattr(after.goal, name, None)):
            changed.append(_label(name, info.description, _GOAL_LABELS))
    return changed


def locked_message(project: Project, changes: list[str]) -> str:
    """Why a change to a locked table is refused: the project, its status, what is locked."""
    what = "、".join(changes) if changes else "绩效目标表"
    return (
        f"项目“{project.name}”{ProjectStatus(project.status).value}，绩效目标表已锁定，不能修改（本次改动了：{what}）；"
        f"表中的目标、指标和项目信息在{unlocked_by(ProjectStatus(project.status))}后才能修改，评论、回复、监控和自评不受影响"
    )


def unlocked_by(status: ProjectStatus) -> str:
    """What unlocks a table in ``status``: its owner's withdrawal while only submitted, else a return."""
    return "撤回或退回" if status is ProjectStatus.SUBMITTED else "退回"
