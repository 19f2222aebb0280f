"""The recycle bin: projects deleted with :func:`perfgoals.storage.repository.delete_project`.

A deleted project keeps its row, goal table and acceptances, marked who deleted it and when (revision
0004).  Every listing, load, check and export sees live projects only.  The bin is part of the
database, not of a department-year's data: ``dump`` writes live projects only (so dump → load → dump
stays byte-identical and the JSON schema is unchanged), and replacing a department-year (``load``,
``import --replace``) empties its bin with it; the history keeps every deleted project's last version.

API (keyword-only, the caller owns the session):

- :func:`list_trash` ``(session, department_id=, code=, year=) -> list[TrashEntry]``, newest first.
- :func:`find_in_trash` ``(session, reference=, code=, year=) -> TrashEntry``: by id (digits) or name.
- :func:`restore_project` ``(session, project_id=, user=) -> Restored``: back in the list at its old
  place.  If a live project has taken its name meanwhile it comes back as ``原名（恢复）`` (then
  ``原名（恢复2）`` …): nothing is refused, ``Restored.renamed_from`` says so.  Its revision goes up
  by one, so a draft opened before the deletion merges into it on save.
- :func:`save_project_as_new` ``(session, project=, user=, department_id=None) -> Project``: a draft
  whose project was deleted under it, added as a new project (``原名（副本）`` … if the name is taken).

History: deleting records ``delete`` (with the project as it was), restoring records ``restore``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session, col

from perfgoals.models import Project, ProjectStatus
from perfgoals.storage import repository as repo
from perfgoals.storage.repository import NotFound, TrashEntry
from perfgoals.storage.tables import DepartmentRow, ProjectRow, utcnow
from perfgoals.workflow.lock import is_locked

#: The longest project name the database holds.
_NAME_LENGTH = 300


class AmbiguousTrash(repo.Ambiguous):
    pass


@dataclass(frozen=True, slots=True)
class Restored:
    project: Project
    entry: TrashEntry
    renamed_from: str | None = None  # the name it had, when a live project had taken it

    @property
    def message(self) -> str:
        where = self.entry.department_label
        if self.renamed_from:
            return (
                f"已恢复项目“{self.renamed_from}”到 {where}；因已有同名项目，改名为“{self.project.name}”。"
            )
        return f"已恢复项目“{self.project.name}”到 {where}。"


def list_trash(
    session: Session, *, department_id: int | None = None, code: str | None = None, year: int | None = None
) -> list[TrashEntry]:
    """The projects in the bin (of one department-year, or filtered by code and/or year), newest first."""
    where: list[Any] = []
    if department_id is not None:
        where.append(col(ProjectRow.department_id) == department_id)
    if code is not None:
        where.append(col(DepartmentRow.code) == code)
    if year is not None:
        where.append(col(DepartmentRow.year) == year)
    return repo.trash_entries(session, where=where)


def find_in_trash(
    session: Session, *, reference: str, code: str | None = None, year: int | None = None
) -> TrashEntry:
    """The one binned project ``reference`` names: its id (digits) or its name (within code/year)."""
    reference = reference.strip()
    if reference.isdigit():
        entries = [entry for entry in list_trash(session, code=code, year=year) if entry.project_id == int(reference)]
        if not entries:
            raise NotFound(f"回收站中没有编号为 {reference} 的项目（perfgoals trash 可列出回收站）")
        return entries[0]
    entries = [entry for entry in list_trash(session, code=code, year=year) if entry.name == reference]
    if not entries:
        raise NotFound(f"回收站中没有名为“{reference}”的项目（perfgoals trash 可列出回收站）")
    if len(entries) > 1:
        listed = "；".join(
            f"编号 {e.project_id}：{e.department_label}，{e.deleted_at.astimezone():%Y-%m-%d %H:%M} 由 "
            f"{e.deleted_by or '未知'} 删除"
            for e in entries
        )
        raise AmbiguousTrash(f"回收站中有 {len(entries)} 个名为“{reference}”的项目，请用编号指定：{listed}")
    return entries[0]


def _live_names(session: Session, department_id: int) -> set[str]:
    return set(
        session.scalars(
            select(col(ProjectRow.name)).where(
                col(ProjectRow.department_id) == department_id, col(ProjectRow.deleted_at).is_(None)
            )
        )
    )


def free_name(names: Sequence[str] | set[str], name: str, suffix: str) -> str:
    """``name``, or ``name（suffix）``, ``name（suffix2）`` … whichever is not in ``names``."""
    if name not in names:
        return name
    number = 1
    while True:
        tail = f"（{suffix}{'' if number == 1 else number}）"
        candidate = name[: _NAME_LENGTH - len(tail)] + tail
        if candidate not in names:
            return candidate
        number += 1


def restore_project(session: Session, *, project_id: int, user: str) -> Restored:
    """Put a binned project back in its department's list (see the module docstring)."""
    entry = repo.trash_entry(session, project_id=project_id)
    name = free_name(_live_names(session, entry.department_id), entry.name, "恢复")
    session.execute(
        update(ProjectRow)
        .where(col(ProjectRow.id) == project_id)
        .values(
            name=name,
            deleted_at=None,
            deleted_by="",
            revision=col(ProjectRow.revision) + 1,
            updated_at=utcnow(),
            updated_by=user,
        )
    )
    project = repo.load_project(session, project_id=project_id)
    repo.record_change(
        session,
        user=user,
        entity="project",
        action="restore",
        department_id=entry.department_id,
        project_id=project_id,
        entity_key=name,
        before={"deleted_at": entry.deleted_at.isoformat(), "deleted_by": entry.deleted_by, "name": entry.name},
        after=project.model_dump(mode="json", exclude={"acceptances"}),
    )
    return Restored(project, entry, entry.name if name != entry.name else None)


def save_project_as_new(
    session: Session, *, project: Project, user: str, department_id: int | None = None
) -> Project:
    """Add ``project`` (a draft) as a new project of ``department_id`` (default: the department of the
    project it was a draft of, live or in the bin), renamed ``原名（副本）`` … if its name is taken.

    Returns the new project (a new id, revision 1).
    """
    if department_id is None:
        if project.id is None:
            raise NotFound("不知道要把项目另存到哪个部门")
        department_id = session.execute(
            select(col(ProjectRow.department_id)).where(col(ProjectRow.id) == project.id)
        ).scalar_one_or_none()
        if department_id is None:
            raise NotFound(f"找不到编号为 {project.id} 的项目所在的部门")
    name = free_name(_live_names(session, department_id), project.name, "副本")
    fresh = project.model_copy(  # a copy is a new draft: a status is set only by the review
        update={
            "id": None,
            "name": name,
            "goal": project.goal.model_copy(update={"revision": 1}),
            **({"status": ProjectStatus.DRAFT} if is_locked(project.status) else {}),
        }
    )
    return repo.add_project(session, department_id=department_id, project=fresh, user=user)
