"""trust: server-side sessions, PIN failures per address, devices that take orders

Revision ID: 0004
Revises: 0003
"""

from alembic import op
import sqlalchemy as sa


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pin_failures',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pin_failures'))
    )
    with op.batch_alter_table('pin_failures', schema=None) as batch_op:
        batch_op.create_index('ix_pin_failures_address_at', ['address', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pin_failures_at'), ['at'], unique=False)

    op.create_table('staff_sessions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.Column('pad', sa.String(length=40), nullable=True),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('end_reason', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_staff_sessions_device_id_devices')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_staff_sessions_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_sessions')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_staff_sessions_key_hash'))
    )
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_staff_sessions_open', ['staff_id', 'ended_at'], unique=False)

    with op.batch_alter_table('check_moves', schema=None) as batch_op:
        batch_op.add_column(sa.Column('by_device_id', sa.Integer(), nullable=True))
        batch_op.alter_column('by_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_check_moves_by_device_id_devices'), 'devices', ['by_device_id'], ['id'])
        batch_op.create_check_constraint(op.f('ck_check_moves_moved_by_someone'), 'by_id IS NOT NULL OR by_device_id IS NOT NULL')

    with op.batch_alter_table('checks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opened_by_device_id', sa.Integer(), nullable=True))
        batch_op.alter_column('server_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_checks_opened_by_device_id_devices'), 'devices', ['opened_by_device_id'], ['id'])

    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('server_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_devices_server_id_staff'), 'staff', ['server_id'], ['id'])

    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('added_by_device_id', sa.Integer(), nullable=True))
        batch_op.alter_column('added_by_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_order_lines_added_by_device_id_devices'), 'devices', ['added_by_device_id'], ['id'])
        batch_op.create_check_constraint(op.f('ck_order_lines_added_by_someone'), 'added_by_id IS NOT NULL OR added_by_device_id IS NOT NULL')

    with op.batch_alter_table('sends', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sent_by_device_id', sa.Integer(), nullable=True))
        batch_op.alter_column('sent_by_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_sends_sent_by_device_id_devices'), 'devices', ['sent_by_device_id'], ['id'])
        batch_op.create_check_constraint(op.f('ck_sends_sent_by_someone'), 'sent_by_id IS NOT NULL OR sent_by_device_id IS NOT NULL')

    with op.batch_alter_table('venue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pin_alert_failures', sa.Integer(), nullable=False,
                                      server_default="30"))



def downgrade() -> None:
    with op.batch_alter_table('venue', schema=None) as batch_op:
        batch_op.drop_column('pin_alert_failures')

    with op.batch_alter_table('sends', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_sends_sent_by_someone'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_sends_sent_by_device_id_devices'), type_='foreignkey')
        batch_op.alter_column('sent_by_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('sent_by_device_id')

    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_order_lines_added_by_someone'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_order_lines_added_by_device_id_devices'), type_='foreignkey')
        batch_op.alter_column('added_by_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('added_by_device_id')

    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_devices_server_id_staff'), type_='foreignkey')
        batch_op.drop_column('last_seen_at')
        batch_op.drop_column('server_id')

    with op.batch_alter_table('checks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_checks_opened_by_device_id_devices'), type_='foreignkey')
        batch_op.alter_column('server_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('opened_by_device_id')

    with op.batch_alter_table('check_moves', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_check_moves_moved_by_someone'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_check_moves_by_device_id_devices'), type_='foreignkey')
        batch_op.alter_column('by_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('by_device_id')

    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_staff_sessions_open')

    op.drop_table('staff_sessions')
    with op.batch_alter_table('pin_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pin_failures_at'))
        batch_op.drop_index('ix_pin_failures_address_at')

    op.drop_table('pin_failures')
