"""Budget line editing (perfgoals.storage.budget_lines), its roll-up, and reconciliation (perfgoals.reading.reconcile)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy.engine import Engine

from perfgoals.models import BudgetLine, Department, FundSource, Project
from perfgoals.reading.reconcile import Verdict, reconcile_department
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
    by_code = {entry.code: entry for entry in reconcile_department(department).lines}
    leaf = by_code["2060799"]
    assert leaf.line_project_wan == D("21.95")
    assert leaf.projects_wan == D("21.87") + D("0.0755")
    assert leaf.total is not None and leaf.total.difference == D("21.9455") - D("21.95")
    assert leaf.verdict is Verdict.AGREES and leaf.verdict.value == "一致"  # 21.9455 is published as 21.95
    assert by_code["206"].projects_wan == leaf.projects_wan and by_code["206"].level == 0 and leaf.level == 2
    assert by_code["206"].verdict is Verdict.MISMATCH  # 444.13 of 项目支出 for 21.95 of projects

    department.projects.append(Project(name="无金额项目", budget_line_code="2060799"))
    department.projects.append(Project(name="未挂科目", budget_amount=D("1")))
    result = reconcile_department(department)
    leaf = next(entry for entry in result.lines if entry.code == "2060799")
    assert [p.name for p in leaf.unpriced] == ["无金额项目"] and leaf.verdict is Verdict.UNPRICED
    assert leaf.total is None and not leaf.verdict.settled
    assert [p.name for p in result.unlinked] == ["未挂科目"]
    assert result.projects_wan == D("21.9455") + D("1")
    assert department.projects[1].fund_source is FundSource.CARRYOVER


def test_reconcile_within_rounding_is_settled() -> None:
    department = full_department()
    department.budget_lines[2].project = D("218750")  # 21.875 万元 against 21.87: rounding
    department.projects = department.projects[:1]
    leaf = reconcile_department(department).lines[2]
    assert leaf.total is not None and leaf.total.difference == D("-0.005") and leaf.verdict.settled
    department.budget_lines[2].project = D("219000")
    assert reconcile_department(department).lines[2].verdict is Verdict.MISMATCH


# --- rolling an edit up the tree -----------------------------------------------------------------------


def _department(engine: Engine, department_id: int) -> Department:
    with read_session(engine) as session:
        return repo.load_department(session, department_id=department_id)


def test_an_edited_figure_rolls_up_into_the_lines_above_and_the_total_row(engine: Engine) -> None:
    department_id = _store(engine)
    # 2060799 is kept in 元 under 万元 lines: +5,000 元 of 项目支出 is +0.5 万元 above it.
    leaf = _department(engine, department_id).line("2060799")
    assert leaf is not None and leaf.unit == "元"
    with write_session(engine) as session:
        saved = upsert_budget_line(
            session,
            department_id=department_id,
            user="王芳",
            line=leaf.model_copy(update={"project": D("224500"), "total": D("224500")}),
            roll_up=True,
        )
    assert saved.before is not None and saved.before.project == D("219500.00")
    assert [(r.code, r.label) for r in saved.rolled_up] == [
        ("20607", "20607"),
        ("206", "206"),
        (None, "合计行"),
    ]
    assert saved.rolled_up[0].changes == {
        "total": (D("862.98"), D("863.48")),
        "project": (D("444.13"), D("444.63")),
    }
    department = _department(engine, department_id)
    for code in ("20607", "206"):
        line = department.line(code)
        assert line is not None and (line.total, line.project) == (D("863.48"), D("444.63"))
        assert line.basic == D("418.85")  # not edited: unchanged
    total = department.function_total
    assert total is not None and (total.total, total.project, total.basic) == (
        D("1135.60"),
        D("444.63"),
        D("690.97"),
    )
    with read_session(engine) as session:
        changes = repo.history(session, department_id=department_id, limit=4)
    # Each line above is recorded like the line itself, in the same transaction.
    assert [(c.entity, c.action, c.entity_key) for c in changes] == [
        ("function_total", "update", "合计"),
        ("budget_line", "update", "206"),
        ("budget_line", "update", "20607"),
        ("budget_line", "update", "2060799"),
    ]
    assert changes[1].before["project"] == "444.13" and changes[1].after["project"] == "444.63"

    # Putting the line back rolls the same amounts back: every figure is as it was, as written.
    with write_session(engine) as session:
        upsert_budget_line(session, department_id=department_id, user="王芳", line=leaf, roll_up=True)
    restored = _department(engine, department_id)
    original = full_department()
    for code in ("206", "20607", "2060799"):
        line, before = restored.line(code), original.line(code)
        assert line is not None and before is not None
        assert (line.total, line.basic, line.project) == (before.total, before.basic, before.project)
    assert restored.line("206").project.as_tuple() == D("444.13").as_tuple()  # type: ignore[union-attr]
    assert restored.function_total == original.function_total


def test_a_blank_figure_above_stays_blank_and_without_roll_up_nothing_moves(engine: Engine) -> None:
    department_id = _store(engine)
    with write_session(engine) as session:
        parent = _department(engine, department_id).line("20607")
        assert parent is not None
        upsert_budget_line(
            session,
            department_id=department_id,
            user="王芳",
            line=parent.model_copy(update={"project": None}),
        )
    leaf = _department(engine, department_id).line("2060799")
    assert leaf is not None
    with write_session(engine) as session:
        saved = upsert_budget_line(
            session,
            department_id=department_id,
            user="王芳",
            line=leaf.model_copy(update={"project": D("229500")}),
            roll_up=True,
        )
    # 20607's 项目支出 was blank: it stays blank (PG201 says so); 206 and 合计 follow.
    assert [r.code for r in saved.rolled_up] == ["206", None]
    department = _department(engine, department_id)
    assert department.line("20607").project is None  # type: ignore[union-attr]
    assert department.line("206").project == D("445.13")  # type: ignore[union-attr]
    with write_session(engine) as session:
        plain = upsert_budget_line(
            session,
            department_id=department_id,
            user="王芳",
            line=leaf.model_copy(update={"project": D("1")}),
        )
    assert plain.rolled_up == () and _department(engine, department_id).line("206").project == D("445.13")  # type: ignore[union-attr]
    # Adding and deleting lines roll nothing up: an old and a new figure are both needed.
    with write_session(engine) as session:
        added = upsert_budget_line(
            session,
            department_id=department_id,
            user="王芳",
            line=BudgetLine(code="2060701", name="机构运行", project=D("3")),
            roll_up=True,
        )
        gone = delete_budget_line(session, department_id=department_id, code="2060701", user="王芳")
    assert added.before is None and added.rolled_up == () and gone.project == D("3")
    assert _department(engine, department_id).line("206").project == D("445.13")  # type: ignore[union-attr]
