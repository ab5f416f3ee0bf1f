"""the time clock: shifts of work (clocked in, clocked out, a manager's corrections) and
their breaks

Revision ID: 0012
Revises: 0011
"""

from alembic import op
import sqlalchemy as sa


revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "work_shifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("clocked_in_at", When, nullable=False),
        sa.Column("clocked_out_at", When, nullable=True),
        sa.Column("in_client_id", sa.String(64), nullable=False),
        sa.Column("out_client_id", sa.String(64), nullable=True),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("corrected_by_id", sa.Integer(), nullable=True),
        sa.Column("corrected_at", When, nullable=True),
        sa.Column("correction_reason", sa.String(200), nullable=True),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"],
                                name=op.f("fk_work_shifts_staff_id_staff")),
        sa.ForeignKeyConstraint(["added_by_id"], ["staff.id"],
                                name=op.f("fk_work_shifts_added_by_id_staff")),
        sa.ForeignKeyConstraint(["corrected_by_id"], ["staff.id"],
                                name=op.f("fk_work_shifts_corrected_by_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_shifts")),
        sa.UniqueConstraint("in_client_id", name=op.f("uq_work_shifts_in_client_id")),
        sa.UniqueConstraint("out_client_id", name=op.f("uq_work_shifts_out_client_id")),
    )
    with op.batch_alter_table("work_shifts") as batch:
        batch.create_index("ix_work_shifts_staff_in", ["staff_id", "clocked_in_at"])
        batch.create_index(batch.f("ix_work_shifts_clocked_in_at"), ["clocked_in_at"])
    op.create_table(
        "work_breaks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("started_at", When, nullable=False),
        sa.Column("ended_at", When, nullable=True),
        sa.Column("start_client_id", sa.String(64), nullable=True),
        sa.Column("end_client_id", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(["shift_id"], ["work_shifts.id"],
                                name=op.f("fk_work_breaks_shift_id_work_shifts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_breaks")),
        sa.UniqueConstraint("start_client_id", name=op.f("uq_work_breaks_start_client_id")),
        sa.UniqueConstraint("end_client_id", name=op.f("uq_work_breaks_end_client_id")),
    )
    with op.batch_alter_table("work_breaks") as batch:
        batch.create_index(batch.f("ix_work_breaks_shift_id"), ["shift_id"])


def downgrade() -> None:
    with op.batch_alter_table("work_breaks") as batch:
        batch.drop_index(batch.f("ix_work_breaks_shift_id"))
    op.drop_table("work_breaks")
    with op.batch_alter_table("work_shifts") as batch:
        batch.drop_index(batch.f("ix_work_shifts_clocked_in_at"))
        batch.drop_index("ix_work_shifts_staff_in")
    op.drop_table("work_shifts")
