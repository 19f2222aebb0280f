"""Budget line editing (perfgoals.storage.budget_lines) and reconciliation (perfgoals.reconcile)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy.engine import Engine

from perfgoals.models import BudgetLine, FundSource, Project
from perfgoals.reconcile import reconcile
from perfgoals.storage import repository as repo
from perfgoals.storage.budget_lines import (
    BudgetLineError,
    code_problem,
    delete_budget_line,
    upsert_budget_line,
)
from perfgoals.storage.db import read_session, write_session
from tests.builders import full_department


def _store(engine: Engine) -> int:
    with write_session(engine) as session:
        return repo.save_department(session, department=full_department(), user="测试员")


def _lines(engine: Engine, department_id: int) -> list[BudgetLine]:
    with read_session(engine) as session:
        return repo.load_department(session, department_id=department_id).budget_lines


def test_code_problem_messages() -> None:
    assert code_problem("2061", ["206"]) is not None and "3 位（类）" in (code_problem("2061", ["206"]) or "")
    assert "上级科目 20608 不存在" in (code_problem("2060801", ["206", "20607"]) or "")
    assert "已存在" in (code_problem("20607", ["206", "20607"]) or "")
    assert code_problem("20608", ["206"]) is None
    assert code_problem("208", []) is None


def test_add_edit_delete_line_in_code_order_with_history(engine: Engine) -> None:
    department_id = _store(engine)
    with write_session(engine) as session:
        upsert_budget_line(
            session,
            department_id=department_id,
            user="王芳",
            line=BudgetLine(code="2060701", name="机构运行", basic=D("418.85"), total=D("418.85")),
        )
        upsert_budget_line(
            session, department_id=department_id, user="王芳", line=BudgetLine(code="205", name="教育支出")
        )
    assert [line.code for line in _lines(engine, department_id)] == [
        "205",
        "206",
        "20607",
        "2060701",
        "2060799",
    ]

    with pytest.raises(BudgetLineError, match="上级科目 20508 不存在"), write_session(engine) as session:
        upsert_budget_line(
            session,
            department_id=department_id,
            user="王芳",
            line=BudgetLine(code="2050801", name="培训支出"),
        )

    # Renaming a code carries the projects charged to it.
    with write_session(engine) as session:
        upsert_budget_line(
            session,
            department_id=department_id,
            user="王芳",
            replacing="2060799",
            line=BudgetLine(code="2060702", name="科普活动", unit="元", project=D("219500")),
        )
    with read_session(engine) as session:
        department = repo.load_department(session, department_id=department_id)
        changes = repo.history(session, department_id=department_id)
    assert department.projects[0].budget_line_code == "2060702"
    assert department.line("2060702") is not None and department.line("2060702").project == D("219500")  # type: ignore[union-attr]
    assert [(c.entity, c.action, c.entity_key) for c in changes[:3]] == [
        ("budget_line", "update", "2060702"),
        ("budget_line", "create", "205"),
        ("budget_line", "create", "2060701"),
    ]
    assert changes[0].before["code"] == "2060799"

    with pytest.raises(BudgetLineError, match="下级科目"), write_session(engine) as session:
        delete_budget_line(session, department_id=department_id, code="20607", user="王芳")
    with pytest.raises(BudgetLineError, match="1 个项目"), write_session(engine) as session:
        delete_budget_line(session, department_id=department_id, code="2060702", user="王芳")
    with write_session(engine) as session:
        delete_budget_line(session, department_id=department_id, code="205", user="王芳")
    assert "205" not in [line.code for line in _lines(engine, department_id)]


def test_reconcile_sums_projects_in_wan_per_line_and_parent() -> None:
    department = full_department()
    # 21.87 万元 + 755 元 are charged under 206/20607; 2060799 states 219500 元 = 21.95 万元.
    department.projects[1].budget_line_code = "2060799"
    department.projects.append(Project(name="无金额项目", budget_line_code="2060799"))
    department.projects.append(Project(name="未挂科目", budget_amount=D("1")))
    result = reconcile(department)
    by_code = {r.line.code: r for r in result.lines}
    leaf = by_code["2060799"]
    assert leaf.line_project_wan == D("21.95")
    assert leaf.projects_wan == D("21.87") + D("0.0755")
    assert leaf.difference == D("21.95") - D("21.9455")
    assert [p.name for p in leaf.unpriced] == ["无金额项目"] and not leaf.balanced
    assert by_code["206"].projects_wan == leaf.projects_wan and by_code["206"].level == 0 and leaf.level == 2
    assert by_code["206"].difference == D("444.13") - D("21.9455")
    assert [p.name for p in result.unlinked] == ["未挂科目"]
    assert by_code["206"].carryover_projects_wan == D("0.0755")
    # 206 has 29.73 of carry-over for its 0.0755 of carry-over projects; 20607 and 2060799 state none.
    assert by_code["206"].carryover_balanced and not leaf.carryover_balanced
    assert [r.line.code for r in result.carryover_discrepancies] == ["20607", "2060799"]
    assert department.projects[1].fund_source is FundSource.CARRYOVER


def test_reconcile_within_rounding_is_balanced() -> None:
    department = full_department()
    department.budget_lines[2].project = D("218750")  # 21.875 万元 against 21.87: rounding
    department.projects = department.projects[:1]
    leaf = reconcile(department).lines[2]
    assert leaf.difference == D("0.005") and leaf.balanced
    department.budget_lines[2].project = D("219000")
    assert not reconcile(department).lines[2].balanced
