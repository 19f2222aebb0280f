"""A recycle bin for projects: a deleted project keeps its row (and its goal table), marked who and when.

A project's name is then unique among the department's live projects only (a partial unique index),
so the bin can hold a name that is in use again.

Downgrading keeps every row: the projects in the bin become ordinary projects again, named
``原名（已删除）`` (``原名（已删除2）`` … when that is taken) so that they cannot be mistaken for live
ones, and the old unique constraint is put back.

On SQLite the project table is rebuilt (batch mode); :func:`perfgoals.storage.db.migrate` runs every
migration with foreign keys off and checks them before committing, so the rebuild's ``DROP TABLE``
cascades nothing to the indicators, acceptances or history.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = "deleted_at IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "deleted_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False, server_default=""
            )
        )
        batch_op.drop_constraint("uq_project_name", type_="unique")
    op.create_index(
        "uq_project_name_live",
        "project",
        ["department_id", "name"],
        unique=True,
        sqlite_where=sa.text(LIVE),
        postgresql_where=sa.text(LIVE),
    )


def downgrade() -> None:
    connection = op.get_bind()
    project = sa.table(
        "project",
        sa.column("id", sa.Integer()),
        sa.column("department_id", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("deleted_at", sa.DateTime()),
    )
    taken: dict[int, set[str]] = {}
    for department_id, name in connection.execute(
        sa.select(project.c.department_id, project.c.name).where(project.c.deleted_at.is_(None))
    ):
        taken.setdefault(department_id, set()).add(name)
    binned = connection.execute(
        sa.select(project.c.id, project.c.department_id, project.c.name)
        .where(project.c.deleted_at.is_not(None))
        .order_by(project.c.id)
    ).all()
    for project_id, department_id, name in binned:
        names = taken.setdefault(department_id, set())
        number = 1
        while True:
            suffix = f"（已删除{'' if number == 1 else number}）"
            new_name = name[: 300 - len(suffix)] + suffix  # the column holds 300 characters
            if new_name not in names:
                break
            number += 1
        names.add(new_name)
        connection.execute(sa.update(project).where(project.c.id == project_id).values(name=new_name))
    op.drop_index("uq_project_name_live", table_name="project")
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_project_name", ["department_id", "name"])
        batch_op.drop_column("deleted_by")
        batch_op.drop_column("deleted_at")
