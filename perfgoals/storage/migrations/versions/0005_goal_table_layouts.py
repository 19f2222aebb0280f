"""Keep every column of a goal table in any province's layout: 指标性质, the 实施期 group's 二级/三级, 绩效标准,
当年预期实现值 and the columns with no field of their own on each row; the project block's fields and cost
breakdown, and the layout the table came in (its columns, block labels and footers).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import perfgoals.storage.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDICATOR_TEXT = ("nature", "mid_term_level2", "mid_term_level3", "standard", "expected_value")


def upgrade() -> None:
    # Every new column is nullable: the rows already there have none of it, and load as before.
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        for name in _INDICATOR_TEXT:
            batch_op.add_column(sa.Column(name, sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("extra", perfgoals.storage.types.JsonText(), nullable=True))
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("details", perfgoals.storage.types.JsonText(), nullable=True))
        batch_op.add_column(sa.Column("goal_layout", perfgoals.storage.types.JsonText(), nullable=True))


def downgrade() -> None:
    # What the older schema has a place for stays; the columns added here go with their contents.
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_column("goal_layout")
        batch_op.drop_column("details")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_column("extra")
        for name in reversed(_INDICATOR_TEXT):
            batch_op.drop_column(name)
