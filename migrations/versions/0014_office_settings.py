"""the back office's settings: a receipt's own header and footer lines

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("venue", schema=None) as batch_op:
        batch_op.add_column(sa.Column("receipt_header", sa.String(length=500), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("receipt_footer", sa.String(length=500), nullable=False,
                                      server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("venue", schema=None) as batch_op:
        batch_op.drop_column("receipt_footer")
        batch_op.drop_column("receipt_header")
