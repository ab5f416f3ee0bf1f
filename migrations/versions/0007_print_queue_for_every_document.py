"""print queue for every document: a job names what it prints by a subject
("ticket:1042", "bill:17") instead of a ticket id; workers with a heartbeat, so a job
whose worker died is taken up again within seconds and printed as a possible copy;
a printer's language and cash drawer pin

Revision ID: 0007
Revises: 0006
"""

from alembic import op
import sqlalchemy as sa


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "print_workers",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("machine", sa.String(length=200), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_print_workers")),
    )
    with op.batch_alter_table("printers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("drawer_pin", sa.Integer(), nullable=False,
                                      server_default="2"))

    with op.batch_alter_table("print_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("reclaimed_at", sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.alter_column("kind", existing_type=sa.String(length=12),
                              type_=sa.String(length=20), existing_nullable=False)
    op.execute("UPDATE print_jobs SET subject = 'ticket:' || CAST(ticket_id AS VARCHAR(20)) "
               "WHERE ticket_id IS NOT NULL")
    with op.batch_alter_table("print_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_print_jobs_ticket_id"))
        batch_op.drop_constraint(batch_op.f("fk_print_jobs_ticket_id_tickets"),
                                 type_="foreignkey")
        batch_op.drop_column("ticket_id")
        batch_op.create_index(batch_op.f("ix_print_jobs_subject"), ["subject"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("print_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_print_jobs_subject"))
        batch_op.add_column(sa.Column("ticket_id",
                                      sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                                      nullable=True))
    # Only the kitchen's jobs had a ticket; the others lose what they were about.
    op.execute("UPDATE print_jobs SET ticket_id = CAST(SUBSTR(subject, 8) AS INTEGER) "
               "WHERE subject LIKE 'ticket:%'")
    op.execute("DELETE FROM print_jobs WHERE kind NOT IN ('ticket', 'void', 'reprint') "
               "AND status IN ('queued', 'printing')")
    with op.batch_alter_table("print_jobs", schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f("fk_print_jobs_ticket_id_tickets"), "tickets",
                                    ["ticket_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_print_jobs_ticket_id"), ["ticket_id"],
                              unique=False)
        batch_op.alter_column("kind", existing_type=sa.String(length=20),
                              type_=sa.String(length=12), existing_nullable=False)
        batch_op.drop_column("reclaimed_at")
        batch_op.drop_column("claimed_by")
        batch_op.drop_column("subject")
    with op.batch_alter_table("printers", schema=None) as batch_op:
        batch_op.drop_column("drawer_pin")
        batch_op.drop_column("language")
    op.drop_table("print_workers")
