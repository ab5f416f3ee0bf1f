"""service ready: where each course of a check is in the kitchen; the venue's limits above
which the tablet asks before adding a line

Revision ID: 0006
Revises: 0005
"""

from alembic import op
import sqlalchemy as sa


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('check_courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kitchen_state', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('kitchen_state_at', sa.DateTime(timezone=True), nullable=True))
    # The tablet asks before adding a line above these (a venue's own limits).
    with op.batch_alter_table('venue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirm_quantity_above', sa.Integer(), nullable=False,
                                      server_default='20'))
        batch_op.add_column(sa.Column('confirm_line_amount_above_minor', sa.Integer(),
                                      nullable=False, server_default='100000'))


def downgrade() -> None:
    with op.batch_alter_table('venue', schema=None) as batch_op:
        batch_op.drop_column('confirm_line_amount_above_minor')
        batch_op.drop_column('confirm_quantity_above')
    with op.batch_alter_table('check_courses', schema=None) as batch_op:
        batch_op.drop_column('kitchen_state_at')
        batch_op.drop_column('kitchen_state')
