"""The TUI's typed way to the database: load, save, add, delete and restore, each one transaction.

:class:`Store` is the only place the main screen's workers touch storage.  Its methods have real
signatures (the repository is imported lazily, on first use, so that the first screen does not wait
for SQLModel's tables) and saving returns what happened as a value, never as an exception to catch.
A save is :func:`perfgoals.storage.merging.merge_and_save` over the revision the draft's edits started
from (its base):

- :class:`SavedProject` — written; the project as saved (its new revision); ``merged`` when someone
  had saved meanwhile and their cells were merged in without a question;
- :class:`SaveConflict` — someone saved meanwhile and both changed some cells: nothing written;
  ``merge`` holds those cells (for :class:`perfgoals.tui.screens.merge.MergeDialog`);
- :class:`ProjectGone` — it was deleted (to the recycle bin) meanwhile; nothing written: offer
  :meth:`Store.save_as_new` or :meth:`Store.restore_and_save`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

from perfgoals.errors import PerfgoalsError

if TYPE_CHECKING:
    from perfgoals.merge import MergeResult
    from perfgoals.models import Department, Project
    from perfgoals.storage.merging import SaveOutcome as MergingOutcome
    from perfgoals.storage.repository import DepartmentKey, TrashEntry
    from perfgoals.storage.trash import Restored


@dataclass(frozen=True, slots=True)
class SavedProject:
    """Written.  ``merged``: cells a colleague saved meanwhile came in without a question (then
    ``project`` holds them; it may be their version itself when nothing of mine was left to write)."""

    project: Project
    merged: MergeResult | None = None

    @property
    def taken(self) -> int:
        """How many of the colleague's cells were merged in."""
        return len(self.merged.taken_from_theirs) if self.merged is not None else 0


@dataclass(frozen=True, slots=True)
class SaveConflict:
    """Someone saved the project since the draft's base revision and both changed some cells the
    same way differently: nothing written; ``merge.conflicts`` are those cells."""

    merge: MergeResult

    @property
    def current(self) -> Project:
        """Their version (the one to save over)."""
        return self.merge.theirs


@dataclass(frozen=True, slots=True)
class ProjectGone:
    """The project was deleted (to the recycle bin) since the draft was opened; nothing written."""

    project_id: int
    message: str
    entry: TrashEntry | None = None


SaveOutcome = SavedProject | SaveConflict | ProjectGone


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
        """Save ``mine`` (a draft's edits) over ``base``'s revision, the version the edits started from,
        merging what was saved meanwhile cell by cell (see the module docstring)."""
        from perfgoals.storage.db import write_session
        from perfgoals.storage.merging import merge_and_save

        if mine.id is None:
            raise PerfgoalsError("项目尚未保存到数据库")
        with write_session(self.engine) as session:
            outcome = merge_and_save(session, base=base, mine=mine, user=self.user)
        return self._outcome(mine.id, outcome)

    @staticmethod
    def _outcome(project_id: int, outcome: MergingOutcome) -> SaveOutcome:
        from perfgoals.storage.merging import Deleted, NeedsChoice

        if isinstance(outcome, NeedsChoice):
            return SaveConflict(outcome.merge)
        if isinstance(outcome, Deleted):
            return ProjectGone(project_id, outcome.message, outcome.entry)
        merged = outcome.merged if outcome.merged is not None and outcome.merged.taken_from_theirs else None
        return SavedProject(outcome.project, merged)

    def save_as_new(self, mine: Project) -> Project:
        """A draft whose project was deleted meanwhile, added as a new project of its department
        (``原名（副本）`` when the name is taken); returns it."""
        from perfgoals.storage.db import write_session
        from perfgoals.storage.trash import save_project_as_new

        with write_session(self.engine) as session:
            return save_project_as_new(session, project=mine, user=self.user)

    def restore_and_save(self, base: Project, mine: Project) -> tuple[Restored, SaveOutcome]:
        """Take a deleted project out of the recycle bin and save the draft into it (merged with the
        version restored), in one transaction; a merge needing a choice leaves it restored, unsaved."""
        from perfgoals.storage.db import write_session
        from perfgoals.storage.merging import merge_and_save
        from perfgoals.storage.trash import restore_project

        if mine.id is None:
            raise PerfgoalsError("项目尚未保存到数据库")
        with write_session(self.engine) as session:
            restored = restore_project(session, project_id=mine.id, user=self.user)
            outcome = merge_and_save(session, base=base, mine=mine, user=self.user)
        return restored, self._outcome(mine.id, outcome)

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
