"""the floor editor (tables placed, sized and turned)

Tables turn (``rotation``, degrees clockwise) and may be removed from the plan while the
checks that name them stay (``removed_at``).

Revision ID: 0013
Revises: 0012
"""

from alembic import op
import sqlalchemy as sa


revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tables") as batch:
        batch.add_column(sa.Column("rotation", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_check_constraint("ck_tables_rotation_within_a_turn",
                                      "rotation >= 0 AND rotation < 360")
        batch.create_check_constraint("ck_tables_size_positive", "width >= 1 AND height >= 1")


def downgrade() -> None:
    with op.batch_alter_table("tables") as batch:
        batch.drop_constraint("ck_tables_size_positive", type_="check")
        batch.drop_constraint("ck_tables_rotation_within_a_turn", type_="check")
        batch.drop_column("removed_at")
        batch.drop_column("rotation")
