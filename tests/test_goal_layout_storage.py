"""What goal tables in any province's layout carry is stored and loaded (dump → load → dump is byte-identical),
and revision 0005 goes down and up again keeping every row, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from perfgoals.documents import dump_document, parse_document
from perfgoals.importers.reading import import_path
from perfgoals.models import Department
from perfgoals.storage import repository as repo
from perfgoals.storage.db import current_revision, migrate, open_database, read_session, write_session
from tests.goal_corpus import HUBEI, HUNAN, SICHUAN, TWO_GROUPS, VARIANT, write

#: The corpus tables that use every field revision 0005 added.
TABLES = [VARIANT, TWO_GROUPS, SICHUAN, HUBEI, HUNAN]


def _department(tmp_path: Path) -> Department:
    """One department-year holding the projects of several corpus tables (each in a form of its own)."""
    projects = []
    for number, (table, form) in enumerate(zip(TABLES, ["docx", "xlsx", "xls", "text", "docx"], strict=True)):
        projects.extend(import_path(write(tmp_path, f"t{number}", table.blocks, form)).department.projects)
    department = import_path(write(tmp_path, "base", HUNAN.blocks, "docx")).department
    return department.model_copy(update={"projects": projects})


def without_revision_0005(department: Department) -> Department:
    """``department`` as a schema before revision 0005 keeps it: the fields that revision added, empty."""
    return department.model_copy(update={"projects": [
        p.model_copy(update={
            "attribute": "", "period": "", "category": "", "kind": "", "basis": "", "superior_amount": None,
            "mid_term_amount": None, "breakdown": [], "extra": {},
            "goal": p.goal.model_copy(update={
                "layout": None, "columns": [], "block": [], "footers": [],
                "indicators": [i.model_copy(update={
                    "nature": None, "mid_term_level2": None, "mid_term_level3": None, "standard": None,
                    "expected_value": None, "extra": {},
                }) for i in p.goal.indicators],
            }),
        }) for p in department.projects
    ]})


def _new_fields_used(department: Department) -> None:
    projects = department.projects
    indicators = [i for p in projects for i in p.goal.indicators]
    assert any(i.nature for i in indicators) and any(i.mid_term_level3 for i in indicators)
    assert any(i.standard for i in indicators) and any(i.expected_value for i in indicators)
    assert any(i.extra for i in indicators)
    assert any(p.breakdown for p in projects) and any(p.superior_amount is not None for p in projects)
    assert any(p.mid_term_amount is not None for p in projects) and any(p.goal.footers for p in projects)
    assert all(p.goal.layout and p.goal.columns for p in projects)


def test_every_new_field_is_stored_and_loaded_byte_identical(db_url: str, tmp_path: Path) -> None:
    department = _department(tmp_path)
    _new_fields_used(department)
    written = dump_document(department)
    engine = open_database(db_url)
    with write_session(engine) as session:
        department_id = repo.save_department(session, department=department, user="测试", replace=False, action="import")
    with read_session(engine) as session:
        loaded = repo.load_department(session, department_id=department_id)
        one = repo.load_project(session, project_id=loaded.projects[3].id or 0)
    assert dump_document(loaded) == written
    assert one.breakdown == department.projects[3].breakdown and one.goal.layout is department.projects[3].goal.layout
    # And through the document: load → dump gives the same text.
    assert dump_document(parse_document(written, source="d.json")) == written
    engine.dispose()


def test_revision_0005_goes_down_and_up_keeping_every_row(db_url: str, tmp_path: Path) -> None:
    department = _department(tmp_path)
    engine = open_database(db_url)
    with write_session(engine) as session:
        department_id = repo.save_department(session, department=department, user="测试", replace=False, action="import")
    with engine.connect() as connection:
        counts = {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in ("project", "indicator")}
    migrate(engine, "0004", downgrade=True)
    with engine.connect() as connection:
        assert current_revision(connection) == "0004"
        assert "nature" not in {c["name"] for c in inspect(connection).get_columns("indicator")}
        assert "details" not in {c["name"] for c in inspect(connection).get_columns("project")}
        assert {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in counts} == counts
    migrate(engine, "head")
    with read_session(engine) as session:
        loaded = repo.load_department(session, department_id=department_id)
    # What the older schema had a place for is all there; revision 0005's own fields start empty again.
    plain = without_revision_0005(department)
    assert dump_document(loaded) == dump_document(plain)
    engine.dispose()
