"""What follows the targets: the review (users and roles, comments, transitions), mid-year monitoring and
the year-end 自评, and last year's actual value beside last year's target.

The project's review, monitoring and 自评 are JSON columns of its row (see
:mod:`perfgoals.storage.followup`); ``app_user`` keeps who may review what. The status 已审核 of earlier
releases becomes 财政已审, the review it stood for.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import perfgoals.storage.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PROJECT_JSON = ("review", "monitoring", "evaluation")


def upgrade() -> None:
    # Every new column is nullable: the rows already there have no review, monitoring or 自评 yet.
    with op.batch_alter_table("project", schema=None) as batch_op:
        for name in _PROJECT_JSON:
            batch_op.add_column(sa.Column(name, perfgoals.storage.types.JsonText(), nullable=True))
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reference_actual", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("departments", perfgoals.storage.types.JsonText(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.execute("UPDATE project SET status = '财政已审' WHERE status = '已审核'")


def downgrade() -> None:
    # The older schema knows 草稿, 已提交, 已退回 and 已审核: a department's approval reads as submitted.
    op.execute("UPDATE project SET status = '已审核' WHERE status = '财政已审'")
    op.execute("UPDATE project SET status = '已提交' WHERE status = '部门已审'")
    op.drop_table("app_user")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_column("reference_actual")
    with op.batch_alter_table("project", schema=None) as batch_op:
        for name in reversed(_PROJECT_JSON):
            batch_op.drop_column(name)
