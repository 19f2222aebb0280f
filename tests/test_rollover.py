"""Rollover to the next budget year, through real sessions (SQLite and PostgreSQL) and the CLI."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy.engine import Engine

from perfgoals.documents import dump_document
from perfgoals.models import (
    Comment,
    Department,
    EvaluationFunds,
    IndicatorProgress,
    IndicatorResult,
    Likelihood,
    Monitoring,
    ProjectStatus,
    ReviewEvent,
    Role,
    SelfEvaluation,
)
from perfgoals.rollover import RolloverError, next_year_department, rollover, rollover_year
from perfgoals.storage import repository as repo
from perfgoals.storage.db import open_database, read_session, write_session
from tests.builders import full_department


def _store(engine: Engine, code: str = "731", year: int = 2022) -> int:
    with write_session(engine) as session:
        return repo.save_department(session, department=full_department(code, year), user="测试员")


def test_rollover_copies_structure_projects_and_goal_tables_as_drafts(engine: Engine) -> None:
    source_id = _store(engine)
    with write_session(engine) as session:
        new_id = rollover(session, department_id=source_id, to_year=2023, user="王芳")
    with read_session(engine) as session:
        old = repo.load_department(session, department_id=source_id)
        new = repo.load_department(session, department_id=new_id)
        new_history = repo.history(session, department_id=new_id)
        old_history = repo.history(session, department_id=source_id)

    assert (new.code, new.name, new.year, new.framework) == (old.code, old.name, 2023, old.framework)
    assert new.goals == old.goals and new.org_units == old.org_units
    # Line structure kept in order, amounts cleared for the new year's budget.
    assert [(line.code, line.name, line.unit) for line in new.budget_lines] == [
        (line.code, line.name, line.unit) for line in old.budget_lines
    ]
    assert all(
        line.total is None and line.project is None and line.carryover is None for line in new.budget_lines
    )
    assert all(not line.income_sources and not line.fiscal for line in new.budget_lines)
    assert new.function_total is None and not new.economic_lines and not new.procurement
    assert not new.acceptances

    assert [p.name for p in new.projects] == [p.name for p in old.projects]
    for before, after in zip(old.projects, new.projects, strict=True):
        assert after.id != before.id
        assert after.status is ProjectStatus.DRAFT and after.goal.revision == 1
        assert (after.budget_line_code, after.line_link, after.fund_source) == (
            before.budget_line_code,
            before.line_link,
            before.fund_source,
        )
        assert after.budget_amount == before.budget_amount and after.amount_unit == before.amount_unit
        assert after.goal.goal_text == before.goal.goal_text
        assert after.goal.mid_term_goal_text == before.goal.mid_term_goal_text
        assert after.implementing_unit == before.implementing_unit
        assert not after.acceptances
        assert len(after.goal.indicators) == len(before.goal.indicators)
        for old_row, new_row in zip(before.goal.indicators, after.goal.indicators, strict=True):
            assert new_row.value == old_row.value  # exactly as typed, trailing space and all
            assert new_row.reference_value == (old_row.value if old_row.value.strip() else None)
            assert (new_row.level1, new_row.level2, new_row.level3, new_row.basis, new_row.method) == (
                old_row.level1,
                old_row.level2,
                old_row.level3,
                old_row.basis,
                old_row.method,
            )
    assert new.projects[0].goal.indicators[1].reference_value == "≤ 21.87 万元 "
    # The fields revision 0003 added come along (full_department fills each of them).
    assert new.projects[0].implementing_unit == "张家口市科技馆"
    assert new.projects[0].goal.mid_term_goal_text.startswith("1.三年内")
    assert new.projects[0].goal.indicators[0].method == "推广品种数；完成得满分，每少1种扣2分"

    # The source is untouched, and both sides record the rollover.
    assert dump_document(old) == dump_document(_reload(engine, source_id))
    assert old.projects[1].status is ProjectStatus.RETURNED and old.projects[0].goal.revision == 3
    assert [(c.action, c.user) for c in new_history] == [("rollover", "王芳")]
    assert old_history[0].action == "rollover" and old_history[0].after["to_year"] == 2023


def _reload(engine: Engine, department_id: int):  # type: ignore[no-untyped-def]
    with read_session(engine) as session:
        return repo.load_department(session, department_id=department_id)


def test_rollover_refuses_existing_year_and_writes_nothing(engine: Engine) -> None:
    source_id = _store(engine)
    _store(engine, year=2023)
    with pytest.raises(RolloverError, match="已有 2023 年的数据"), write_session(engine) as session:
        rollover(session, department_id=source_id, to_year=2023, user="王芳")
    with read_session(engine) as session:
        assert [(k.code, k.year) for k in repo.list_departments(session)] == [("731", 2023), ("731", 2022)]


def test_rollover_refuses_going_back(engine: Engine) -> None:
    source_id = _store(engine)
    with pytest.raises(RolloverError, match="必须晚于"), write_session(engine) as session:
        rollover(session, department_id=source_id, to_year=2021, user="王芳")


def test_rollover_year_is_all_or_nothing(engine: Engine) -> None:
    _store(engine, "731")
    _store(engine, "732")
    _store(engine, "732", 2023)
    with pytest.raises(RolloverError, match="732") as raised, write_session(engine) as session:
        rollover_year(session, from_year=2022, to_year=2023, user="王芳")
    assert "731" not in str(raised.value)
    with read_session(engine) as session:
        assert [k.code for k in repo.list_departments(session, year=2023)] == ["732"]
    with write_session(engine) as session:
        ids = rollover_year(session, from_year=2022, to_year=2023, user="王芳", codes=["731"])
    with read_session(engine) as session:
        assert {k.id for k in repo.list_departments(session, year=2023) if k.code == "731"} == set(ids)


def test_cli_rollover_all_departments(cli, db_url: str) -> None:  # type: ignore[no-untyped-def]
    engine = open_database(db_url)
    _store(engine, "731")
    _store(engine, "732")
    engine.dispose()

    result = cli("rollover", "--from", "2022", "--to", "2023", db=db_url)
    assert result.code == 0, result.stderr
    assert "已结转 731" in result.stdout and "已结转 732" in result.stdout and "2 个项目" in result.stdout

    listed = cli("list", db=db_url)
    assert "731\t2023" in listed.stdout and "732\t2023" in listed.stdout

    again = cli("rollover", "--from", "2022", "--to", "2023", "--department", "731", db=db_url)
    assert again.code == 2
    assert again.stderr.startswith("错误：") and "已有 2023 年的数据" in again.stderr

    history = cli("history", "--department", "731", "--year", "2023", db=db_url)
    assert "结转" in history.stdout

    engine = open_database(db_url)
    with read_session(engine) as session:
        key = repo.find_department(session, code="731", year=2023)
        project = repo.load_department(session, department_id=key.id).projects[0]
    engine.dispose()
    assert project.goal.indicators[0].reference_value == "≥3种"
    assert project.budget_amount == Decimal("21.87")


def test_cli_rollover_unknown_department_and_empty_year(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = open_database(str(tmp_path / "cli.db"))
    _store(engine, "731")
    engine.dispose()
    missing = cli("rollover", "--from", "2022", "--to", "2023", "-d", "999")
    assert missing.code == 2 and "没有部门 999" in missing.stderr and "731" in missing.stderr
    empty = cli("rollover", "--from", "2019", "--to", "2020")
    assert empty.code == 2 and "2019 年没有部门数据" in empty.stderr
    assert "731\t2022" in cli("list").stdout and "2023" not in cli("list").stdout


def _evaluated(code: str = "731", year: int = 2022) -> Department:
    """``full_department`` after a year of review, monitoring and 自评: the first project's rows
    evaluated, one result pointing at a row that moved since (found again by its 三级)."""
    department = full_department(code, year)
    department.projects[1].evaluation = None  # the second project has no 自评
    project = department.projects[0]
    project.status = ProjectStatus.FINANCE_APPROVED
    project.comments = [Comment(number=1, author="李审核", role=Role.FINANCE_REVIEWER, text="依据不足", row=0)]
    project.reviews = [
        ReviewEvent(action="提交", from_status=ProjectStatus.DRAFT, to_status=ProjectStatus.SUBMITTED, user="王芳")
    ]
    project.monitoring = Monitoring(
        as_of=date(2022, 7, 31),
        executed=Decimal("10.5"),
        rows=[IndicatorProgress(row=0, level3="推广新品种", progress="2种", likelihood=Likelihood.CERTAIN)],
    )
    project.evaluation = SelfEvaluation(
        funds=[EvaluationFunds(label="年度资金总额", initial=Decimal("21.87"), executed=Decimal("20"))],
        rows=[
            IndicatorResult(row=0, level3="推广新品种", actual=" 4种 ", points=Decimal("10")),
            # Rows 1 and 2 swapped since the 自评: found by the 三级 each result kept.
            IndicatorResult(row=1, level3="农村群众满意度", actual="96%"),
            IndicatorResult(row=2, level3="预算总成本", actual="20万元"),
        ],
    )
    return department


def test_rollover_carries_last_years_actual_values_beside_its_targets() -> None:
    source = _evaluated()
    carried = next_year_department(source, to_year=2023)
    rows = carried.projects[0].goal.indicators
    assert [(row.reference_value, row.reference_actual) for row in rows] == [
        ("≥3种", " 4种 "),  # as typed
        ("≤ 21.87 万元 ", "20万元"),
        ("≥95%", "96%"),
    ]
    # A project without a 自评 carries no actual values, and one from two years back is not kept.
    assert [row.reference_actual for row in carried.projects[1].goal.indicators] == [None]
    again = next_year_department(carried, to_year=2024)
    assert all(row.reference_actual is None for row in again.projects[0].goal.indicators)
    assert [row.reference_value for row in again.projects[0].goal.indicators] == ["≥3种", "≤ 21.87 万元 ", "≥95%"]
    # The year's review, monitoring and 自评 stay in last year; the new table starts as a draft.
    new = carried.projects[0]
    assert new.status is ProjectStatus.DRAFT
    assert (new.comments, new.reviews, new.monitoring, new.evaluation) == ([], [], None, None)


def test_cli_rollover_shows_last_years_actuals_in_the_new_years_workbook(  # type: ignore[no-untyped-def]
    cli, db_url: str, tmp_path
) -> None:
    engine = open_database(db_url)
    with write_session(engine) as session:
        repo.save_department(session, department=_evaluated(), user="测试员")
    engine.dispose()

    result = cli("rollover", "--from", "2022", "--to", "2023", "-d", "731", db=db_url)
    assert result.code == 0, result.stderr

    engine = open_database(db_url)
    with read_session(engine) as session:
        key = repo.find_department(session, code="731", year=2023)
        new = repo.load_department(session, department_id=key.id)
        old_key = repo.find_department(session, code="731", year=2022)
        old = repo.load_department(session, department_id=old_key.id)
    engine.dispose()
    project = new.projects[0]
    assert [row.reference_actual for row in project.goal.indicators] == [" 4种 ", "20万元", "96%"]
    assert project.status is ProjectStatus.DRAFT and project.evaluation is None and project.monitoring is None
    assert not project.comments and not project.reviews
    # Last year keeps its own.
    assert old.projects[0].evaluation is not None and old.projects[0].comments[0].text == "依据不足"

    out = tmp_path / "2023.xlsx"
    exported = cli("export", "-d", "731", "-y", "2023", "-o", str(out), db=db_url)
    assert exported.code == 0, exported.stderr
    book = openpyxl.load_workbook(out)
    sheet = next(book[name] for name in book.sheetnames if name.startswith("开展科技工作者助力乡村振兴"))
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(row for row in cells if "上年指标值" in row)
    column = header.index("上年实际完成值")
    values = [row[column] for row in cells[cells.index(header) + 1 :] if row[column]]
    assert values == [" 4种 ", "20万元", "96%"], values
    summary = [[cell.value for cell in row] for row in book["汇总"].iter_rows()]
    assert "上年实际完成值" in summary[0]
