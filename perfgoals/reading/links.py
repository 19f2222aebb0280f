"""A project's budget line: the 功能分类 line it is charged to, and whether a person confirmed it.

The importer proposes the line a project is charged to (the disclosure never states it): such a link
is *suggested* until the owner confirms it.  Screens and exports mark it with the same word as an
inferred amount, :data:`perfgoals.reading.amounts.UNCONFIRMED`, read here once.
"""

from __future__ import annotations

from perfgoals.models import LinkStatus, Project
from perfgoals.reading.amounts import UNCONFIRMED

#: What a suggested link is called in a note (``科目关联待确认``).
LINK_UNCONFIRMED = f"科目关联{UNCONFIRMED}"


def link_unconfirmed(project: Project) -> bool:
    """Whether the project's budget line was proposed by the importer and not yet confirmed."""
    return bool(project.budget_line_code) and project.line_link is LinkStatus.SUGGESTED


def line_code_text(project: Project) -> str:
    """``2060702``, or ``2060702（待确认）`` while the link is only suggested; empty when none."""
    code = project.budget_line_code or ""
    return f"{code}（{UNCONFIRMED}）" if code and link_unconfirmed(project) else code
