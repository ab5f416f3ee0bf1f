"""speed and structure: what a table shows of a check, who called and picked up a course

Revision ID: 0005
Revises: 0004
"""

from alembic import op
import sqlalchemy as sa


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('checks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_sent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('food_ready_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ready_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('ready_by_device_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('served_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('served_by_device_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_tickets_ready_by_id_staff'), 'staff', ['ready_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_tickets_ready_by_device_id_devices'), 'devices', ['ready_by_device_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_tickets_served_by_id_staff'), 'staff', ['served_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_tickets_served_by_device_id_devices'), 'devices', ['served_by_device_id'], ['id'])
    # Checks already open keep showing what they showed.
    op.execute("UPDATE checks SET first_sent_at = "
               "(SELECT MIN(sends.sent_at) FROM sends WHERE sends.check_id = checks.id)")
    op.execute("UPDATE checks SET food_ready_at = "
               "(SELECT MIN(tickets.ready_at) FROM tickets WHERE tickets.check_id = checks.id "
               "AND tickets.ready_at IS NOT NULL AND tickets.served_at IS NULL "
               "AND tickets.status <> 'void') WHERE checks.status = 'open'")


def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_tickets_served_by_device_id_devices'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_tickets_served_by_id_staff'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_tickets_ready_by_device_id_devices'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_tickets_ready_by_id_staff'), type_='foreignkey')
        batch_op.drop_column('served_by_device_id')
        batch_op.drop_column('served_by_id')
        batch_op.drop_column('ready_by_device_id')
        batch_op.drop_column('ready_by_id')
    with op.batch_alter_table('checks', schema=None) as batch_op:
        batch_op.drop_column('food_ready_at')
        batch_op.drop_column('first_sent_at')
