"""the ledger's internal hourly rate, what-if scenarios and the runs that plan them

Revision ID: 0007_ledger
Revises: 0003_planner_runs
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_ledger"
down_revision = "0004_hardening"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cooperation") as batch:
        batch.add_column(sa.Column("internal_hourly_rate", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "scenario",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("situation", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=True),
        sa.Column("planned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"],
                                name=op.f("fk_scenario_created_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenario")),
    )
    with op.batch_alter_table("planner_run") as batch:
        batch.add_column(sa.Column("scenario_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_planner_run_scenario_id"), ["scenario_id"], unique=False)
        batch.create_foreign_key(batch.f("fk_planner_run_scenario_id_scenario"), "scenario", ["scenario_id"], ["id"],
                                 ondelete="CASCADE")


def downgrade() -> None:
    with op.batch_alter_table("planner_run") as batch:
        batch.drop_constraint(batch.f("fk_planner_run_scenario_id_scenario"), type_="foreignkey")
        batch.drop_index(batch.f("ix_planner_run_scenario_id"))
        batch.drop_column("scenario_id")
    op.drop_table("scenario")
    with op.batch_alter_table("cooperation") as batch:
        batch.drop_column("internal_hourly_rate")
