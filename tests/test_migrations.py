"""A database made by the first release opens in this one without loss; migrations go down and up again."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from perfgoals.documents import dump_document, parse_document
from perfgoals.models import Project, ProjectStatus
from perfgoals.storage import repository as repo
from perfgoals.storage.db import (
    SCHEMA_HEAD,
    current_revision,
    head_revision,
    migrate,
    open_database,
    read_session,
    write_session,
)
from tests.test_goal_layout_storage import without_revision_0005

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
    released = parse_document(
        (DATA / "release-0.1.0.json").read_text(encoding="utf-8"), source="release-0.1.0.json"
    )
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


def _sample_with_bin(url: str) -> tuple[Engine, int, Project]:
    """The sample department at this release's schema, with its first project in the recycle bin."""
    from perfgoals.importers import demo_department

    engine = open_database(url)
    with write_session(engine) as session:
        department_id = repo.save_department(session, department=demo_department(), user="样例")
    with read_session(engine) as session:
        binned = repo.load_department(session, department_id=department_id).projects[0]
    return engine, department_id, binned


def _rows(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("project", "indicator", "acceptance", "change_log", "budget_line")
        }


def test_revision_0004_downgrades_and_upgrades_the_sample_without_loss(db_url: str) -> None:
    engine, department_id, _ = _sample_with_bin(db_url)
    with read_session(engine) as session:
        # Going down to 0003 passes revision 0005, which takes the goal tables' recorded layouts with it.
        before = dump_document(
            without_revision_0005(repo.load_department(session, department_id=department_id))
        )
    rows = _rows(engine)
    migrate(engine, "0003", downgrade=True)
    with engine.connect() as connection:
        assert current_revision(connection) == "0003"
        assert "deleted_at" not in {c["name"] for c in inspect(connection).get_columns("project")}
    assert _rows(engine) == rows  # the rebuild of the project table cascaded nothing
    migrate(engine, "head")
    assert _rows(engine) == rows
    with read_session(engine) as session:
        assert dump_document(repo.load_department(session, department_id=department_id)) == before
    engine.dispose()


def test_downgrading_0004_turns_the_bin_into_marked_projects(db_url: str) -> None:
    engine, department_id, binned = _sample_with_bin(db_url)
    with write_session(engine) as session:
        repo.delete_project(session, project_id=binned.id or 0, user="乙")
        # The name is taken again by a live project: the binned one must not clash on the way down.
        repo.add_project(session, department_id=department_id, project=Project(name=binned.name), user="乙")
    rows = _rows(engine)
    migrate(engine, "0003", downgrade=True)
    assert _rows(engine) == rows
    with engine.connect() as connection:
        names = [name for (name,) in connection.execute(text("SELECT name FROM project ORDER BY position"))]
        kept = connection.execute(
            text("SELECT count(*) FROM indicator WHERE project_id = :id"), {"id": binned.id}
        ).scalar_one()
    assert names[0] == f"{binned.name}（已删除）" and names.count(binned.name) == 1
    assert kept == len(binned.goal.indicators)
    migrate(engine, "head")
    with read_session(engine) as session:
        department = repo.load_department(session, department_id=department_id)
    assert department.projects[0].goal.indicators == binned.goal.indicators
    engine.dispose()


def test_revision_0007_reads_the_old_approved_status_as_the_finance_review(db_url: str) -> None:
    """已审核 of earlier releases is 财政已审 after 0007, and a downgrade gives the older statuses back."""
    engine, department_id, _ = _sample_with_bin(db_url)
    with read_session(engine) as session:
        names = [
            project.name for project in repo.load_department(session, department_id=department_id).projects
        ]
    migrate(engine, "0006", downgrade=True)
    with engine.begin() as connection:
        assert "review" not in {c["name"] for c in inspect(connection).get_columns("project")}
        assert "app_user" not in inspect(connection).get_table_names()
        for name, status in ((names[0], "已审核"), (names[1], "已提交")):
            connection.execute(
                text("UPDATE project SET status = :status WHERE name = :name"),
                {"status": status, "name": name},
            )
    migrate(engine, "head")
    with read_session(engine) as session:
        statuses = {
            p.name: p.status for p in repo.load_department(session, department_id=department_id).projects
        }
    assert (
        statuses[names[0]] is ProjectStatus.FINANCE_APPROVED and statuses[names[1]] is ProjectStatus.SUBMITTED
    )
    with write_session(engine) as session:
        project = repo.load_department(session, department_id=department_id).projects[1]
        connection = session.connection()
        connection.execute(text("UPDATE project SET status = '部门已审' WHERE id = :id"), {"id": project.id})
    migrate(engine, "0006", downgrade=True)
    with engine.connect() as connection:
        rows = dict(
            connection.execute(
                text("SELECT name, status FROM project WHERE name IN (:a, :b)"),
                {"a": names[0], "b": names[1]},
            ).all()
        )
    assert rows == {names[0]: "已审核", names[1]: "已提交"}
    engine.dispose()
