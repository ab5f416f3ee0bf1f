"""payments: bills and their portions of lines, payments, refunds, card terminal attempts,
cash shifts and movements, Z reports; tip and cash settings; a paid table

Revision ID: 0008
Revises: 0007
"""

from alembic import op
import sqlalchemy as sa


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'cash_shifts',
        sa.Column('id', BigId, primary_key=True, autoincrement=True),
        sa.Column('cashier_id', sa.Integer(), sa.ForeignKey('staff.id'), nullable=False),
        sa.Column('printer_id', sa.Integer(), sa.ForeignKey('printers.id'), nullable=True),
        sa.Column('business_day_id', BigId, sa.ForeignKey('business_days.id'), nullable=True),
        sa.Column('opening_float', sa.Integer(), nullable=False),
        sa.Column('opened_at', When, nullable=False),
        sa.Column('closed_at', When, nullable=True),
        sa.Column('counted', sa.JSON(), nullable=True),
        sa.Column('counted_total', sa.Integer(), nullable=True),
        sa.Column('expected', sa.Integer(), nullable=True),
        sa.Column('over_short', sa.Integer(), nullable=True),
        sa.Column('is_open', sa.Boolean(), nullable=True),
        sa.UniqueConstraint('cashier_id', 'is_open'),
    )
    op.create_table(
        'bills',
        sa.Column('id', BigId, primary_key=True, autoincrement=True),
        sa.Column('check_id', BigId, sa.ForeignKey('checks.id'), nullable=False, index=True),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('seat', sa.Integer(), nullable=True),
        sa.Column('fixed_amount', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('total', sa.Integer(), nullable=True),
        sa.Column('tax', sa.JSON(), nullable=True),
        sa.Column('lines', sa.JSON(), nullable=True),
        sa.Column('tip', sa.Integer(), nullable=False),
        sa.Column('printed_at', When, nullable=True),
        sa.Column('paid_at', When, nullable=True),
        sa.Column('created_at', When, nullable=False),
        sa.Column('receipt_token', sa.String(43), nullable=True, unique=True),
        sa.UniqueConstraint('check_id', 'number'),
    )
    op.create_table(
        'bill_portions',
        sa.Column('id', BigId, primary_key=True, autoincrement=True),
        sa.Column('bill_id', BigId, sa.ForeignKey('bills.id', ondelete='CASCADE'),
                  nullable=False, index=True),
        sa.Column('line_id', BigId, sa.ForeignKey('order_lines.id'), nullable=False, index=True),
        sa.Column('numerator', sa.Integer(), nullable=False),
        sa.Column('denominator', sa.Integer(), nullable=False),
    )
    op.create_table(
        'payments',
        sa.Column('id', BigId, primary_key=True, autoincrement=True),
        sa.Column('client_id', sa.String(64), nullable=False, unique=True),
        sa.Column('check_id', BigId, sa.ForeignKey('checks.id'), nullable=False, index=True),
        sa.Column('bill_id', BigId, sa.ForeignKey('bills.id'), nullable=False, index=True),
        sa.Column('business_day_id', BigId, sa.ForeignKey('business_days.id'), nullable=True),
        sa.Column('shift_id', BigId, sa.ForeignKey('cash_shifts.id'), nullable=True),
        sa.Column('tender', sa.String(16), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('is_hold', sa.Boolean(), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('tip', sa.Integer(), nullable=False),
        sa.Column('tendered', sa.Integer(), nullable=True),
        sa.Column('change', sa.Integer(), nullable=False),
        sa.Column('refunded', sa.Integer(), nullable=False),
        sa.Column('card_brand', sa.String(30), nullable=True),
        sa.Column('card_last4', sa.String(4), nullable=True),
        sa.Column('auth_code', sa.String(12), nullable=True),
        sa.Column('terminal_ref', sa.String(40), nullable=True),
        sa.Column('reference', sa.String(60), nullable=True),
        sa.Column('server_id', sa.Integer(), sa.ForeignKey('staff.id'), nullable=True),
        sa.Column('taken_by_id', sa.Integer(), sa.ForeignKey('staff.id'), nullable=True),
        sa.Column('taken_by_device_id', sa.Integer(), sa.ForeignKey('devices.id'),
                  nullable=True),
        sa.Column('created_at', When, nullable=False),
        sa.Column('decided_at', When, nullable=True),
        sa.Index('ix_payments_day', 'business_day_id', 'status'),
    )
    op.create_table(
        'tip_shares',
        sa.Column('id', BigId, primary_key=True, autoincrement=True),
        sa.Column('payment_id', BigId, sa.ForeignKey('payments.id'), nullable=False,
                  index=True),
        sa.Column('staff_id', sa.Integer(), sa.ForeignKey('staff.id'), nullable=True,
                  index=True),
        sa.Column('amount', sa.Integer(), nullable=False),
    )
    op.create_table(
        'refunds',
        sa.Column('id', BigId, primary_key=True, autoincrement=True),
        sa.Column('client_id', sa.String(64), nullable=False, unique=True),
        sa.Column('payment_id', BigId, sa.ForeignKey('payments.id'), nullable=False,
                  index=True),
        sa.Column('business_day_id', BigId, sa.ForeignKey('business_days.id'), nullable=True),
        sa.Column('shift_id', BigId, sa.ForeignKey('cash_shifts.id'), nullable=True),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(120), nullable=False),
        sa.Column('status', sa.String(10), nullable=False),
        sa.Column('by_id', sa.Integer(), sa.ForeignKey('staff.id'), nullable=True),
        sa.Column('approved_by_id', sa.Integer(), sa.ForeignKey('staff.id'), nullable=True),
        sa.Column('created_at', When, nullable=False),
    )
    op.create_table(
        'terminal_attempts',
        sa.Column('id', BigId, primary_key=True, autoincrement=True),
        sa.Column('key', sa.String(32), nullable=False, unique=True),
        sa.Column('terminal', sa.String(60), nullable=False, index=True),
        sa.Column('reference', sa.String(64), nullable=False, index=True),
        sa.Column('payment_id', BigId, sa.ForeignKey('payments.id'), nullable=True,
                  index=True),
        sa.Column('operation', sa.String(20), nullable=False),
        sa.Column('state', sa.String(10), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('tip', sa.Integer(), nullable=False),
        sa.Column('currency', sa.String(3), nullable=False),
        sa.Column('previous_trace', sa.Integer(), nullable=True),
        sa.Column('result', sa.JSON(), nullable=True),
        sa.Column('created_at', When, nullable=False),
        sa.Column('updated_at', When, nullable=False),
    )
    op.create_table(
        'cash_movements',
        sa.Column('id', BigId, primary_key=True, autoincrement=True),
        sa.Column('client_id', sa.String(64), nullable=False, unique=True),
        sa.Column('shift_id', BigId, sa.ForeignKey('cash_shifts.id'), nullable=False,
                  index=True),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(120), nullable=False),
        sa.Column('staff_id', sa.Integer(), sa.ForeignKey('staff.id'), nullable=True),
        sa.Column('by_id', sa.Integer(), sa.ForeignKey('staff.id'), nullable=True),
        sa.Column('approved_by_id', sa.Integer(), sa.ForeignKey('staff.id'), nullable=True),
        sa.Column('created_at', When, nullable=False),
    )
    op.create_table(
        'z_reports',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('number', sa.Integer(), nullable=False, unique=True),
        sa.Column('business_day_id', BigId, sa.ForeignKey('business_days.id'),
                  nullable=False, unique=True),
        sa.Column('taken_at', When, nullable=False),
        sa.Column('taken_by_id', sa.Integer(), sa.ForeignKey('staff.id'), nullable=True),
        sa.Column('totals', sa.JSON(), nullable=False),
    )
    with op.batch_alter_table('venue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tip_suggestions_bp', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('tip_on_net', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('cash_quick_notes', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('tips_shared', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('receipt_printer_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_venue_receipt_printer_id_printers', 'printers',
                                    ['receipt_printer_id'], ['id'])
    with op.batch_alter_table('tables', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paid_at', When, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('tables', schema=None) as batch_op:
        batch_op.drop_column('paid_at')
    with op.batch_alter_table('venue', schema=None) as batch_op:
        batch_op.drop_constraint('fk_venue_receipt_printer_id_printers', type_='foreignkey')
        batch_op.drop_column('receipt_printer_id')
        batch_op.drop_column('tips_shared')
        batch_op.drop_column('cash_quick_notes')
        batch_op.drop_column('tip_on_net')
        batch_op.drop_column('tip_suggestions_bp')
    for table in ('z_reports', 'cash_movements', 'terminal_attempts', 'refunds', 'tip_shares',
                  'payments',
                  'bill_portions', 'bills', 'cash_shifts'):
        op.drop_table(table)
