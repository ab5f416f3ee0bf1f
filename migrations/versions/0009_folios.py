"""hotel: a room's floor, stays checked in and out, guests sharing a stay, folio entries
(restaurant charges with their lines, tax and signature; corrections; payments), and the
outbox of postings to an external PMS

Revision ID: 0009
Revises: 0008
"""

from alembic import op
import sqlalchemy as sa


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("declined_reason", sa.String(200), nullable=True))
    with op.batch_alter_table("rooms") as batch:
        batch.add_column(sa.Column("floor", sa.String(20), nullable=True))
    with op.batch_alter_table("stays") as batch:
        batch.add_column(sa.Column("checked_in_at", When, nullable=True))
        batch.add_column(sa.Column("checked_out_at", When, nullable=True))
    op.create_table(
        "stay_guests",
        sa.Column("stay_id", sa.Integer(), sa.ForeignKey("stays.id"), primary_key=True),
        sa.Column("guest_id", sa.Integer(), sa.ForeignKey("guests.id"), primary_key=True),
    )
    op.create_table(
        "folio_entries",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("stay_id", sa.Integer(), sa.ForeignKey("stays.id"), nullable=False),
        sa.Column("client_id", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(200), nullable=False),
        sa.Column("outlet", sa.String(120), nullable=True),
        sa.Column("check_id", BigId, sa.ForeignKey("checks.id"), nullable=True),
        sa.Column("payment_id", BigId, sa.ForeignKey("payments.id"), nullable=True),
        sa.Column("guest_id", sa.Integer(), sa.ForeignKey("guests.id"), nullable=True),
        sa.Column("tip", sa.Integer(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=True),
        sa.Column("tax", sa.JSON(), nullable=True),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.Column("posted_by_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("corrects_id", BigId, sa.ForeignKey("folio_entries.id"), nullable=True),
        sa.Column("posted_at", When, nullable=False),
        sa.UniqueConstraint("client_id"),
    )
    op.create_index("ix_folio_entries_stay_id", "folio_entries", ["stay_id"])
    op.create_table(
        "pms_postings",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("payment_id", BigId, sa.ForeignKey("payments.id"), nullable=True),
        sa.Column("room", sa.String(12), nullable=False),
        sa.Column("guest_number", sa.String(40), nullable=False),
        sa.Column("guest_name", sa.String(120), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("answer", sa.String(4), nullable=True),
        sa.Column("answer_text", sa.String(200), nullable=True),
        sa.Column("retry_after", When, nullable=True),
        sa.Column("created_at", When, nullable=False),
        sa.Column("answered_at", When, nullable=True),
    )
    op.create_index("ix_pms_postings_payment_id", "pms_postings", ["payment_id"])


def downgrade() -> None:
    op.drop_index("ix_pms_postings_payment_id", "pms_postings")
    op.drop_table("pms_postings")
    op.drop_index("ix_folio_entries_stay_id", "folio_entries")
    op.drop_table("folio_entries")
    op.drop_table("stay_guests")
    with op.batch_alter_table("stays") as batch:
        batch.drop_column("checked_out_at")
        batch.drop_column("checked_in_at")
    with op.batch_alter_table("rooms") as batch:
        batch.drop_column("floor")
    with op.batch_alter_table("payments") as batch:
        batch.drop_column("declined_reason")
