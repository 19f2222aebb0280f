"""部门整体绩效目标 saved on their own (perfgoals.storage.department_goals), on SQLite and PostgreSQL:
kept exactly as typed, recorded in the history, nothing recorded when nothing changed."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from perfgoals.models import DepartmentGoals
from perfgoals.storage import repository as repo
from perfgoals.storage.db import read_session, write_session
from perfgoals.storage.department_goals import load_department_goals, save_department_goals
from tests.tui_main_sample import sample_department


def test_department_goals_are_saved_as_typed_and_recorded(engine: Engine) -> None:
    with write_session(engine) as session:
        department_id = repo.save_department(
            session, department=sample_department(), user="样例", replace=False, action="demo"
        )
    goals = DepartmentGoals(overall="  一、总体目标\n\t1. 开展活动 ≥10 次  ", itemised="", safeguards="保障措施（暂定）")
    with write_session(engine) as session:
        assert save_department_goals(session, department_id=department_id, goals=goals, user="王五")
    with read_session(engine) as session:
        assert load_department_goals(session, department_id=department_id) == goals
        assert repo.load_department(session, department_id=department_id).goals == goals
        latest = repo.history(session, department_id=department_id, limit=1)[0]
    assert (latest.action, latest.user, latest.entity_key) == ("goals", "王五", "部门整体绩效目标")
    assert latest.after == {"overall": goals.overall, "itemised": "", "safeguards": goals.safeguards}
    with write_session(engine) as session:
        assert not save_department_goals(session, department_id=department_id, goals=goals, user="王五")
    with read_session(engine) as session:
        assert repo.history(session, department_id=department_id, limit=1)[0].action == "goals"
        assert len([c for c in repo.history(session, department_id=department_id) if c.action == "goals"]) == 1


def test_an_unknown_department_is_refused(engine: Engine) -> None:
    with write_session(engine) as session, pytest.raises(repo.NotFound, match="没有编号为 999"):
        save_department_goals(session, department_id=999, goals=DepartmentGoals(overall="x"), user="王五")
