"""Saving over a newer revision merges by cell, on SQLite and PostgreSQL; nothing writes a stale revision."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from perfgoals.merge import Draft, Side
from perfgoals.models import BudgetLine, Project
from perfgoals.storage import budget_lines as lines
from perfgoals.storage import repository as repo
from perfgoals.storage import trash as bin_
from perfgoals.storage.db import read_session, write_session
from perfgoals.storage.merging import Deleted, NeedsChoice, Saved, merge_and_save
from tests.builders import full_department


@pytest.fixture
def opened(engine: Engine) -> tuple[Engine, Project]:
    """The database with a department, and its first project as two users open it."""
    with write_session(engine) as session:
        department_id = repo.save_department(session, department=full_department(), user="甲")
    with read_session(engine) as session:
        project = repo.load_department(session, department_id=department_id).projects[0]
    return engine, project


def _edit_row(project: Project, row: int, **changes: str) -> Project:
    indicators = list(project.goal.indicators)
    indicators[row] = indicators[row].model_copy(update=changes)
    return project.model_copy(update={"goal": project.goal.model_copy(update={"indicators": indicators})})


def _save(engine: Engine, draft: Draft, user: str) -> Saved | NeedsChoice | Deleted:
    with write_session(engine) as session:
        return merge_and_save(session, base=draft.base, mine=draft.mine, user=user)


def _stored(engine: Engine, project_id: int) -> Project:
    with read_session(engine) as session:
        return repo.load_project(session, project_id=project_id)


def test_disjoint_cells_are_both_kept(opened: tuple[Engine, Project]) -> None:
    engine, base = opened
    theirs = _save(engine, Draft(base, _edit_row(base, 0, value="≥ 30 次")), "乙")
    assert isinstance(theirs, Saved) and theirs.merged is None
    mine = _save(engine, Draft(base, _edit_row(base.model_copy(update={"notes": "甲的备注"}), 1, basis="甲的依据")), "甲")
    assert isinstance(mine, Saved) and mine.merged is not None
    assert mine.merged.taken_from_theirs == (f"第 1 行（{base.goal.indicators[0].level3}） 指标值",)
    stored = _stored(engine, base.id or 0)
    assert stored.goal.revision == base.goal.revision + 2
    assert (stored.goal.indicators[0].value, stored.goal.indicators[1].basis, stored.notes) == (
        "≥ 30 次",
        "甲的依据",
        "甲的备注",
    )
    assert mine.project.goal.revision == stored.goal.revision


def test_the_same_cell_is_a_conflict_and_nothing_is_written(opened: tuple[Engine, Project]) -> None:
    engine, base = opened
    _save(engine, Draft(base, _edit_row(base, 0, value="乙的值")), "乙")
    before = _stored(engine, base.id or 0)
    outcome = _save(engine, Draft(base, _edit_row(base, 0, value="甲的值", basis="甲的依据")), "甲")
    assert isinstance(outcome, NeedsChoice)
    [conflict] = outcome.merge.conflicts
    assert (conflict.row, conflict.column) == (1, "value")
    assert (conflict.text(Side.MINE), conflict.text(Side.THEIRS)) == ("甲的值", "乙的值")
    assert _stored(engine, base.id or 0) == before  # nothing written
    # Answering 我的 and saving over their version (the new base) keeps both users' other cells.
    resolved = outcome.merge.resolve({conflict.index: Side.MINE})
    saved = _save(engine, Draft(outcome.theirs, resolved), "甲")
    assert isinstance(saved, Saved)
    stored = _stored(engine, base.id or 0)
    assert (stored.goal.indicators[0].value, stored.goal.indicators[0].basis) == ("甲的值", "甲的依据")


def test_taking_theirs_then_undo_then_save_conflicts_again(opened: tuple[Engine, Project]) -> None:
    engine, base = opened
    _save(engine, Draft(base, _edit_row(base, 0, value="乙的值")), "乙")
    # My undo stack: each step is a Draft (base and edits together).
    undo: list[Draft] = [Draft.saved(base)]
    draft = Draft(base, _edit_row(base, 0, value="甲的值"))
    undo.append(draft)
    outcome = _save(engine, draft, "甲")
    assert isinstance(outcome, NeedsChoice)
    taken = Draft(outcome.theirs, outcome.merge.resolve({0: Side.THEIRS}))
    undo.append(taken)
    assert not taken.dirty  # taking theirs leaves nothing of mine to save
    # ctrl+z: back to my value, *and* to the base it was made from.
    undo.pop()
    draft = undo[-1]
    assert draft.mine.goal.indicators[0].value == "甲的值" and draft.revision == base.goal.revision
    again = _save(engine, draft, "甲")
    assert isinstance(again, NeedsChoice)  # never a silent overwrite
    assert _stored(engine, base.id or 0).goal.indicators[0].value == "乙的值"
    # Having saved theirs first does not change that: the undone draft still conflicts.
    assert isinstance(_save(engine, taken, "甲"), Saved)
    assert isinstance(_save(engine, draft, "甲"), NeedsChoice)
    assert _stored(engine, base.id or 0).goal.indicators[0].value == "乙的值"


def test_a_stale_revision_is_refused_by_save_project_itself(opened: tuple[Engine, Project]) -> None:
    engine, base = opened
    _save(engine, Draft(base, _edit_row(base, 0, value="乙的值")), "乙")
    with write_session(engine) as session, pytest.raises(repo.RevisionConflict) as raised:
        repo.save_project(session, project=_edit_row(base, 0, value="甲"), expected_revision=base.goal.revision, user="甲")
    assert raised.value.current.goal.indicators[0].value == "乙的值"


def test_a_project_deleted_under_a_draft_can_be_saved_as_new(opened: tuple[Engine, Project]) -> None:
    engine, base = opened
    with write_session(engine) as session:
        repo.delete_project(session, project_id=base.id or 0, user="乙")
    draft = Draft(base, _edit_row(base, 0, value="甲的值"))
    outcome = _save(engine, draft, "甲")
    assert isinstance(outcome, Deleted)
    assert outcome.entry.deleted_by == "乙" and "已被 乙" in outcome.message and "另存为新项目" in outcome.message
    with write_session(engine) as session, pytest.raises(repo.ProjectDeleted):
        repo.save_project(session, project=draft.mine, expected_revision=draft.revision, user="甲")
    with write_session(engine) as session:
        new = bin_.save_project_as_new(session, project=draft.mine, user="甲")
    assert new.id != base.id and new.name == base.name and new.goal.revision == 1
    with read_session(engine) as session:
        department = repo.load_department(session, department_id=outcome.entry.department_id)
        assert [p.goal.indicators[0].value for p in department.projects if p.name == base.name] == ["甲的值"]
        # The bin still holds the deleted one; saving as new again takes a suffixed name.
        assert [e.project_id for e in bin_.list_trash(session, department_id=outcome.entry.department_id)] == [base.id]
    with write_session(engine) as session:
        second = bin_.save_project_as_new(session, project=draft.mine, user="甲")
    assert second.name == f"{base.name}（副本）"


def test_a_project_deleted_under_a_draft_can_be_restored_and_the_draft_merged(
    opened: tuple[Engine, Project],
) -> None:
    engine, base = opened
    # 乙 edits a cell, then deletes the project; 甲 had edited another.
    _save(engine, Draft(base, _edit_row(base, 1, basis="乙的依据")), "乙")
    with write_session(engine) as session:
        repo.delete_project(session, project_id=base.id or 0, user="乙")
    draft = Draft(base, _edit_row(base, 0, value="甲的值"))
    assert isinstance(_save(engine, draft, "甲"), Deleted)
    with write_session(engine) as session:
        restored = bin_.restore_project(session, project_id=base.id or 0, user="甲")
    assert restored.renamed_from is None and restored.project.goal.revision == base.goal.revision + 3
    outcome = _save(engine, draft, "甲")
    assert isinstance(outcome, Saved) and outcome.merged is not None
    stored = _stored(engine, base.id or 0)
    assert (stored.goal.indicators[0].value, stored.goal.indicators[1].basis) == ("甲的值", "乙的依据")


def test_renaming_a_budget_line_gives_its_projects_a_new_revision(opened: tuple[Engine, Project]) -> None:
    engine, base = opened
    assert base.budget_line_code
    with read_session(engine) as session:
        department = repo.load_department(session, department_id=repo.find_department(session).id)
    line = department.line(base.budget_line_code)
    assert line is not None
    renamed = base.budget_line_code[:-2] + "98"
    with write_session(engine) as session:
        lines.upsert_budget_line(
            session,
            department_id=department.id or 0,
            replacing=line.code,
            line=BudgetLine.model_validate({**line.model_dump(), "code": renamed}),
            user="乙",
        )
    # A draft opened before still holds the old code: its save merges the new one in.
    outcome = _save(engine, Draft(base, _edit_row(base, 0, value="甲的值")), "甲")
    assert isinstance(outcome, Saved) and "功能分类科目" in (outcome.merged.taken_from_theirs if outcome.merged else ())
    stored = _stored(engine, base.id or 0)
    assert (stored.budget_line_code, stored.goal.indicators[0].value) == (renamed, "甲的值")
