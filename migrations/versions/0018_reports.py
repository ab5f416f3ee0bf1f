"""reports: summary tables and indexes for sales, kitchen and labour reports

Each closed business day's figures (paid checks, items on them, tenders, tips), written
when its Z is taken, so a report over a year reads in seconds and still reconciles.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_checks_status_closed_at", "checks", ["status", "closed_at"], unique=False)
    op.create_table(
        "report_days",
        sa.Column(
            "business_day_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_day_id"],
            ["business_days.id"],
            name=op.f("fk_report_days_business_day_id_business_days"),
        ),
        sa.PrimaryKeyConstraint("business_day_id", name=op.f("pk_report_days")),
    )
    op.create_index(
        op.f("ix_report_days_business_date"), "report_days", ["business_date"], unique=False
    )
    op.create_table(
        "report_tenders",
        sa.Column(
            "business_day_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("tender", sa.String(length=16), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("tips", sa.Integer(), nullable=False),
        sa.Column("refund_count", sa.Integer(), nullable=False),
        sa.Column("refunds", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_day_id"],
            ["business_days.id"],
            name=op.f("fk_report_tenders_business_day_id_business_days"),
        ),
        sa.PrimaryKeyConstraint("business_day_id", "tender", name=op.f("pk_report_tenders")),
    )
    op.create_index(
        op.f("ix_report_tenders_business_date"), "report_tenders", ["business_date"], unique=False
    )
    op.create_table(
        "report_tips",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "business_day_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_day_id"],
            ["business_days.id"],
            name=op.f("fk_report_tips_business_day_id_business_days"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_report_tips_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_tips")),
    )
    op.create_index(
        op.f("ix_report_tips_business_date"), "report_tips", ["business_date"], unique=False
    )
    op.create_index(
        op.f("ix_report_tips_business_day_id"), "report_tips", ["business_day_id"], unique=False
    )
    op.create_table(
        "report_checks",
        sa.Column("check_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "business_day_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("server_id", sa.Integer(), nullable=True),
        sa.Column("table_id", sa.Integer(), nullable=True),
        sa.Column("floor_id", sa.Integer(), nullable=True),
        sa.Column("covers", sa.Integer(), nullable=False),
        sa.Column("gross", sa.Integer(), nullable=False),
        sa.Column("net", sa.Integer(), nullable=False),
        sa.Column("tax", sa.Integer(), nullable=False),
        sa.Column("discounts", sa.Integer(), nullable=False),
        sa.Column("comps", sa.Integer(), nullable=False),
        sa.Column("comp_count", sa.Integer(), nullable=False),
        sa.Column("voids", sa.Integer(), nullable=False),
        sa.Column("void_count", sa.Integer(), nullable=False),
        sa.Column("void_quantity", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("turn_seconds", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_day_id"],
            ["business_days.id"],
            name=op.f("fk_report_checks_business_day_id_business_days"),
        ),
        sa.ForeignKeyConstraint(
            ["check_id"], ["checks.id"], name=op.f("fk_report_checks_check_id_checks")
        ),
        sa.ForeignKeyConstraint(
            ["floor_id"], ["floors.id"], name=op.f("fk_report_checks_floor_id_floors")
        ),
        sa.ForeignKeyConstraint(
            ["server_id"], ["staff.id"], name=op.f("fk_report_checks_server_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["table_id"], ["tables.id"], name=op.f("fk_report_checks_table_id_tables")
        ),
        sa.PrimaryKeyConstraint("check_id", name=op.f("pk_report_checks")),
    )
    op.create_index(
        op.f("ix_report_checks_business_day_id"), "report_checks", ["business_day_id"], unique=False
    )
    op.create_index(
        "ix_report_checks_date_server",
        "report_checks",
        ["business_date", "server_id"],
        unique=False,
    )
    op.create_table(
        "report_lines",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("check_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "business_day_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("gross", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("comps", sa.Integer(), nullable=False),
        sa.Column("void_quantity", sa.Integer(), nullable=False),
        sa.Column("voids", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_day_id"],
            ["business_days.id"],
            name=op.f("fk_report_lines_business_day_id_business_days"),
        ),
        sa.ForeignKeyConstraint(
            ["category_id"], ["categories.id"], name=op.f("fk_report_lines_category_id_categories")
        ),
        sa.ForeignKeyConstraint(
            ["check_id"], ["checks.id"], name=op.f("fk_report_lines_check_id_checks")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["menu_items.id"], name=op.f("fk_report_lines_item_id_menu_items")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_lines")),
    )
    op.create_index("ix_report_lines_check", "report_lines", ["check_id"], unique=False)
    op.create_index(
        "ix_report_lines_date_item", "report_lines", ["business_date", "item_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_report_lines_date_item", table_name="report_lines")
    op.drop_index("ix_report_lines_check", table_name="report_lines")
    op.drop_table("report_lines")
    op.drop_index("ix_report_checks_date_server", table_name="report_checks")
    op.drop_index(op.f("ix_report_checks_business_day_id"), table_name="report_checks")
    op.drop_table("report_checks")
    op.drop_index(op.f("ix_report_tips_business_day_id"), table_name="report_tips")
    op.drop_index(op.f("ix_report_tips_business_date"), table_name="report_tips")
    op.drop_table("report_tips")
    op.drop_index(op.f("ix_report_tenders_business_date"), table_name="report_tenders")
    op.drop_table("report_tenders")
    op.drop_index(op.f("ix_report_days_business_date"), table_name="report_days")
    op.drop_table("report_days")
    op.drop_index("ix_checks_status_closed_at", table_name="checks")
