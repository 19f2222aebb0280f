"""Identities that survive a reload: project and department ids are never reused, and a project replaced
by ``load`` or ``import --replace`` leaves a note of what it was.

On SQLite an ``INTEGER PRIMARY KEY`` takes ``max(id) + 1``, so after a department-year was deleted and
loaded again its projects got the same ids, in the new order: a draft or workbook of the old project
then named a different one.  ``AUTOINCREMENT`` never hands out an id twice; the ``department`` and
``project`` tables are rebuilt with it (batch mode, foreign keys off: see
:func:`perfgoals.storage.db.migrate`), and the counters start past every id the history mentions, so
that ids deleted before this revision are not handed out again either.  PostgreSQL's sequences never
reuse a value: there only the new table is added.

``retired_project`` keeps, for each project row a reload deleted, its department-year, name and last
revision: a save or a workbook made before the reload is then found to be about the project of that
name in the reloaded department, and conflicts with it (three-way) instead of failing blindly.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = "deleted_at IS NULL"


def _rebuild(autoincrement: bool) -> None:
    # The partial unique index is put back by hand: reflection does not carry its WHERE clause.
    op.drop_index("uq_project_name_live", table_name="project")
    for table in ("department", "project"):
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass
    op.create_index(
        "uq_project_name_live",
        "project",
        ["department_id", "name"],
        unique=True,
        sqlite_where=sa.text(LIVE),
        postgresql_where=sa.text(LIVE),
    )


def _start_counter(table: str, *others: str) -> None:
    """Start ``table``'s AUTOINCREMENT counter past its ids and every id of it that ``others`` mention."""
    connection = op.get_bind()
    candidates = [f"SELECT max(id) FROM {table}", *others]
    highest = max((connection.exec_driver_sql(sql).scalar() or 0) for sql in candidates)
    if not highest:
        return
    row = connection.exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).first()
    if row is None:
        connection.exec_driver_sql("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, highest))
    elif (row[0] or 0) < highest:
        connection.exec_driver_sql("UPDATE sqlite_sequence SET seq = ? WHERE name = ?", (highest, table))


def upgrade() -> None:
    op.create_table(
        "retired_project",
        sa.Column("project_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("department_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("retired_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("project_id"),
    )
    op.create_index("ix_retired_project_department", "retired_project", ["department_code", "year"])
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(autoincrement=True)
    _start_counter("department", "SELECT max(department_id) FROM change_log")
    _start_counter("project", "SELECT max(project_id) FROM change_log")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(autoincrement=False)
    op.drop_index("ix_retired_project_department", table_name="retired_project")
    op.drop_table("retired_project")
