"""The review of goal tables (审核): states, roles, permissions, the lock, comments, the submit gate.

States: 草稿 → 已提交 → 部门已审 → 财政已审, or 已退回 to the owner at either review
(:data:`~perfgoals.workflow.machine.TRANSITIONS` is the whole rule):

=============  ==============  ============  =============================================
from           action          role          to
=============  ==============  ============  =============================================
草稿, 已退回   提交            项目负责人    已提交 (no open error: :mod:`.gate`)
已提交         撤回            项目负责人    草稿 (before the department has acted)
已提交         退回            部门审核人    已退回 (with a comment or a note)
已提交         部门审核通过    部门审核人    部门已审
已提交,        退回            财政审核人    已退回
部门已审,
财政已审
部门已审       财政审核        财政审核人    财政已审 graded 优/良; 已退回 graded 中/差
=============  ==============  ============  =============================================

Users (``perfgoals users add``) have one role and a list of department codes; a 财政审核人 without codes
acts on every department.  While no user is registered the review is not set up: everyone acts as a
项目负责人 of every department (submits and withdraws; a submitted table is locked all the same).  Once one is, a user the
database does not know is refused.  The first user may be added by anyone, later ones only by a
财政审核人.

Core modules (no click, no textual, no database):

- :mod:`.machine`: :class:`Action`, :class:`Actor`, :data:`TRANSITIONS`, :func:`decide`, :func:`apply`,
  :class:`WorkflowError`.
- :mod:`.lock`: :func:`locked_changes`, :func:`is_locked`, :data:`LOCKED_STATUSES`.
- :mod:`.comments`: comments, replies, resolving, and the merge that never loses one.
- :mod:`.gate`: the submit gate (imports the checks; import it by its path).

Storage: :mod:`perfgoals.storage.workflow` and :mod:`perfgoals.storage.users`; commands:
:mod:`perfgoals.cli.review`.
"""

from __future__ import annotations

from perfgoals.workflow.lock import LOCKED_STATUSES, is_locked, locked_changes, locked_message
from perfgoals.workflow.machine import (
    FAILING_GRADES,
    TRANSITIONS,
    Action,
    Actor,
    WorkflowError,
    allowed_actions,
    apply,
    decide,
    unregistered,
)

__all__ = [
    "FAILING_GRADES",
    "LOCKED_STATUSES",
    "TRANSITIONS",
    "Action",
    "Actor",
    "WorkflowError",
    "allowed_actions",
    "apply",
    "decide",
    "is_locked",
    "locked_changes",
    "locked_message",
    "unregistered",
]
