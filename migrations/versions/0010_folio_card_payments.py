"""hotel: a folio payment taken on the venue's card terminal waits for the terminal's
answer (pending → done | declined, or unknown until the terminal or a manager says)

Revision ID: 0010
Revises: 0009
"""

from alembic import op
import sqlalchemy as sa


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("folio_entries") as batch:
        batch.add_column(sa.Column("status", sa.String(16), nullable=False,
                                   server_default="done"))


def downgrade() -> None:
    with op.batch_alter_table("folio_entries") as batch:
        batch.drop_column("status")
