"""The TUI's typed way to the database: load, save, add and delete, each one transaction.

:class:`Store` is the only place the main screen's workers touch storage.  Its methods have real
signatures (the repository is imported lazily, on first use, so that the first screen does not wait
for SQLModel's tables) and saving returns what happened as a value, never as an exception to catch:

- :class:`SavedProject` — written; the project as saved (its new revision);
- :class:`SaveConflict` — someone saved it meanwhile; nothing written; their version;
- :class:`ProjectGone` — it was deleted (to the recycle bin) meanwhile; nothing written.

Seams for the concurrent-editing work (see each method):

- :meth:`Store.save` is where a three-way merge plugs in: it gets the draft's base (the version the
  edits started from) as well as the edits, so a merging save
  (``perfgoals.storage.merging.merge_and_save``) can replace its body, returning
  :class:`SavedProject` for a clean merge and :class:`SaveConflict` (carrying the merge) when both
  sides changed a cell;
- :meth:`Store.delete_project` moves the project to the recycle bin (the repository's deletion);
  restoring is :meth:`Store.restore_project`'s to fill in;
- :meth:`Store.load_project` reloads one project, for refreshing after a colleague's change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

from perfgoals.errors import PerfgoalsError

if TYPE_CHECKING:
    from perfgoals.models import Department, Project
    from perfgoals.storage.repository import DepartmentKey


@dataclass(frozen=True, slots=True)
class SavedProject:
    project: Project


@dataclass(frozen=True, slots=True)
class SaveConflict:
    """Someone saved the project since the draft's base revision: ``current`` is their version.

    ``merge`` is for a merging save to hand over its result (cells both sides changed); ``None`` from
    the plain revision check."""

    current: Project
    message: str
    merge: object | None = None


@dataclass(frozen=True, slots=True)
class ProjectGone:
    """The project was deleted (to the recycle bin) since the draft was opened."""

    project_id: int
    message: str


SaveOutcome = SavedProject | SaveConflict | ProjectGone


@dataclass(frozen=True, slots=True)
class ProjectHeading:
    """A project as the search lists it."""

    id: int
    name: str
    code: str | None


class Store:
    """One database and the person working on it; every method is one transaction and may run in a
    worker thread.  Failures the user should read raise :class:`perfgoals.errors.PerfgoalsError`."""

    def __init__(self, engine: Engine, user: str) -> None:
        self.engine = engine
        self.user = user

    # -- reading --------------------------------------------------------------------------------

    def list_departments(self) -> list[DepartmentKey]:
        from perfgoals.storage import repository as repo
        from perfgoals.storage.db import read_session

        with read_session(self.engine) as session:
            return repo.list_departments(session)

    def find_department(self, code: str, year: int) -> int | None:
        """The id of department ``code``'s year ``year``, or ``None`` when there is none."""
        for key in self.list_departments():
            if key.code == code and key.year == year:
                return key.id
        return None

    def first_department_id(self) -> int | None:
        """The department-year opened when none is asked for (the repository's first), or ``None``
        when the database holds none."""
        keys = self.list_departments()
        return keys[0].id if keys else None

    def load_department(self, department_id: int) -> Department:
        from perfgoals.storage import repository as repo
        from perfgoals.storage.db import read_session

        with read_session(self.engine) as session:
            return repo.load_department(session, department_id=department_id)

    def load_project(self, project_id: int) -> Project:
        """One project as saved now (for refreshing a clean draft after a colleague's save)."""
        from perfgoals.storage import repository as repo
        from perfgoals.storage.db import read_session

        with read_session(self.engine) as session:
            return repo.load_project(session, project_id=project_id)

    # -- writing --------------------------------------------------------------------------------

    def save(self, base: Project, mine: Project) -> SaveOutcome:
        """Save ``mine`` (a draft's edits) over ``base``'s revision, the version the edits started from.

        A plain revision check today: someone else's newer save is a :class:`SaveConflict` with their
        version, a deletion meanwhile is :class:`ProjectGone`; nothing is overwritten either way.
        """
        from perfgoals.storage import repository as repo
        from perfgoals.storage.db import write_session

        project_id = mine.id
        if project_id is None:
            raise PerfgoalsError("项目尚未保存到数据库")
        try:
            with write_session(self.engine) as session:
                saved = repo.save_project(
                    session, project=mine, expected_revision=base.goal.revision, user=self.user
                )
        except repo.RevisionConflict as exc:
            return SaveConflict(exc.current, str(exc))
        except repo.NotFound as exc:
            return ProjectGone(project_id, str(exc))
        return SavedProject(saved)

    def add_project(self, department_id: int, name: str) -> Project:
        from perfgoals.models import Project
        from perfgoals.storage import repository as repo
        from perfgoals.storage.db import write_session

        with write_session(self.engine) as session:
            return repo.add_project(session, department_id=department_id, project=Project(name=name), user=self.user)

    def delete_project(self, project_id: int) -> None:
        """Delete a project: to the recycle bin, where the repository keeps it restorable."""
        from perfgoals.storage import repository as repo
        from perfgoals.storage.db import write_session

        with write_session(self.engine) as session:
            repo.delete_project(session, project_id=project_id, user=self.user)

    def load_sample(self) -> int:
        """Load the sample department; returns its id."""
        from perfgoals.importers import demo_department
        from perfgoals.storage import repository as repo
        from perfgoals.storage.db import write_session

        department = demo_department()
        with write_session(self.engine) as session:
            return repo.save_department(session, department=department, user=self.user, replace=False, action="demo")
