"""A database made by the first release opens in this one without loss."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import inspect, text

from perfgoals.documents import dump_document, parse_document
from perfgoals.storage import repository as repo
from perfgoals.storage.db import SCHEMA_HEAD, head_revision, open_database, read_session

DATA = Path(__file__).resolve().parent / "data"


def test_first_release_database_is_upgraded_without_loss(tmp_path: Path) -> None:
    database = tmp_path / "old.db"
    shutil.copy(DATA / "release-0.1.0.db", database)
    engine = open_database(str(database))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        indexes = {index["name"] for index in inspect(connection).get_indexes("change_log")}
    assert "ix_change_log_department_key" in indexes
    with read_session(engine) as session:
        key = repo.find_department(session, code="731", year=2022)
        department = repo.load_department(session, department_id=key.id)
        changes = repo.history(session, department_id=key.id)
    # The release's dump, read by this release (fields added since take their defaults), is what loads.
    released = parse_document((DATA / "release-0.1.0.json").read_text(encoding="utf-8"), source="release-0.1.0.json")
    assert dump_document(department) == dump_document(released)
    # Revision 0003's columns start empty on the rows already there.
    assert {(p.implementing_unit, p.goal.mid_term_goal_text) for p in department.projects} == {("", "")}
    assert {i.method for p in department.projects for i in p.goal.indicators} == {None}
    assert [c.user for c in changes] == ["release-0.1.0"]


def test_a_fresh_database_and_an_upgraded_one_have_the_same_tables(tmp_path: Path) -> None:
    database = tmp_path / "old.db"
    shutil.copy(DATA / "release-0.1.0.db", database)
    upgraded = open_database(str(database))
    fresh = open_database(str(tmp_path / "fresh.db"))
    with upgraded.connect() as a, fresh.connect() as b:
        tables_a, tables_b = inspect(a).get_table_names(), inspect(b).get_table_names()
        assert tables_a == tables_b
        for table in tables_a:
            columns_a = [(c["name"], str(c["type"])) for c in inspect(a).get_columns(table)]
            columns_b = [(c["name"], str(c["type"])) for c in inspect(b).get_columns(table)]
            assert columns_a == columns_b, table


def test_the_release_knows_its_newest_revision() -> None:
    # open_database skips importing Alembic when the database is at SCHEMA_HEAD.
    assert head_revision() == SCHEMA_HEAD


def test_revision_0003_downgrades_to_0002_by_dropping_its_columns(tmp_path: Path) -> None:
    from alembic import command

    from perfgoals.storage.db import _alembic_config, writer

    engine = open_database(str(tmp_path / "fresh.db"))
    with writer(engine).begin() as connection:
        command.downgrade(_alembic_config(connection), "0002")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002"
        project_columns = {column["name"] for column in inspect(connection).get_columns("project")}
        indicator_columns = {column["name"] for column in inspect(connection).get_columns("indicator")}
    assert not {"implementing_unit", "mid_term_goal_text"} & project_columns
    assert "method" not in indicator_columns
