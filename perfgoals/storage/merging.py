"""Saving a draft whoever saved meanwhile: revision-checked, merged cell by cell, never overwriting.

:func:`merge_and_save` is how the TUI saves a project (ctrl+s, quitting with saves, undo/redo
included): the revision it is checked against is always ``base.goal.revision``, the revision the
draft (:class:`perfgoals.merge.Draft`) started from, never one tracked beside it.

``merge_and_save(session, base=, mine=, user=) -> Saved | NeedsChoice | Deleted``:

- :class:`Saved`: written.  ``project`` is the saved version (the new base of a clean draft);
  ``merged`` is set when someone had saved meanwhile and their cells were merged in without a
  question (``merged.taken_from_theirs`` lists them, for the status line).
- :class:`NeedsChoice`: someone saved meanwhile and both changed some cells differently; **nothing was
  written**.  Show ``merge.conflicts`` (:class:`perfgoals.tui.screens.merge.MergeDialog`), then make the
  draft ``Draft(base=merge.theirs, mine=merge.resolve(choices))`` — push it as an undo step — and call
  :func:`merge_and_save` again with it (someone may have saved once more).  Postponing keeps the old
  draft: the next save asks again.
- :class:`Deleted`: the project is in the recycle bin; nothing was written.  Offer
  :func:`perfgoals.storage.trash.save_project_as_new` (``entry``/``project`` say who deleted what), or
  :func:`perfgoals.storage.trash.restore_project` followed by :func:`merge_and_save` with the same
  draft (restoring adds a revision, so the draft is merged into the restored version).

A draft of a project whose department-year was reloaded since (``load``, ``import --replace``: new ids,
higher revisions) conflicts with the project of the same name in the reloaded data
(:class:`perfgoals.storage.repository.ProjectReloaded`) and is merged into it like any newer version:
the result's ``project`` then has that project's id, which the draft must take on.  When the reloaded
data has no project of that name, :class:`perfgoals.storage.repository.NotFound` is raised, nothing
written.

An undo step that goes back past a merge also restores the older base: its save conflicts with the
saved version again (a :class:`NeedsChoice`, or a merge taking the other side's cells), so undo can
never write a stale revision over a colleague's cells.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from perfgoals.merge import MergeResult, merge_projects, same_content
from perfgoals.models import Project
from perfgoals.storage import repository as repo
from perfgoals.storage.db import StorageError


@dataclass(frozen=True, slots=True)
class Saved:
    project: Project
    merged: MergeResult | None = None


@dataclass(frozen=True, slots=True)
class NeedsChoice:
    merge: MergeResult

    @property
    def theirs(self) -> Project:
        return self.merge.theirs


@dataclass(frozen=True, slots=True)
class Deleted:
    entry: repo.TrashEntry
    project: Project  # the version in the bin
    message: str


SaveOutcome = Saved | NeedsChoice | Deleted


def merge_and_save(session: Session, *, base: Project, mine: Project, user: str) -> SaveOutcome:
    """Save ``mine`` over the revision of ``base``, merging a newer saved version (module docstring)."""
    if mine.id is None or base.id != mine.id:
        raise repo.NotFound("草稿与它所依据的项目不一致，无法保存")
    try:
        return Saved(repo.save_project(session, project=mine, expected_revision=base.goal.revision, user=user))
    except repo.ProjectDeleted as deleted:
        return Deleted(deleted.entry, deleted.project, str(deleted))
    except repo.RevisionConflict as conflict:
        theirs = conflict.current
    # Where transactions do not serialise writers (PostgreSQL's READ COMMITTED), yet another save may land
    # between reading theirs and writing the merge: merge again over that one, a bounded number of times.
    for _attempt in range(_MERGE_ATTEMPTS):
        merge = merge_projects(base, mine, theirs)
        if not merge.clean:
            return NeedsChoice(merge)
        merged = merge.project
        if same_content(merged, theirs):  # nothing of mine is left to write
            return Saved(theirs, merge)
        try:
            saved = repo.save_project(session, project=merged, expected_revision=theirs.goal.revision, user=user)
        except repo.ProjectDeleted as deleted:
            return Deleted(deleted.entry, deleted.project, str(deleted))
        except repo.RevisionConflict as conflict:
            theirs = conflict.current
            continue
        return Saved(saved, merge)
    raise StorageError(f"项目“{mine.name}”正被他人频繁保存，合并 {_MERGE_ATTEMPTS} 次仍未写入，请稍后再保存。")


#: How many times a clean merge is retried against newer saves before giving up.
_MERGE_ATTEMPTS = 20
