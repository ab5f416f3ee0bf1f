"""menus by time of day and day of week (happy-hour prices)

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def link_table(name: str, other: str, other_table: str) -> None:
    op.create_table(
        name,
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column(other, sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["schedule_id"], ["menu_schedules.id"], ondelete="CASCADE",
                                name=op.f(f"fk_{name}_schedule_id_menu_schedules")),
        sa.ForeignKeyConstraint([other], [f"{other_table}.id"], ondelete="CASCADE",
                                name=op.f(f"fk_{name}_{other}_{other_table}")),
        sa.PrimaryKeyConstraint("schedule_id", other, name=op.f(f"pk_{name}")),
    )


def upgrade() -> None:
    op.create_table(
        "menu_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("days", sa.JSON(), nullable=False),
        sa.Column("starts_minute", sa.Integer(), nullable=False),
        sa.Column("ends_minute", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("starts_minute >= 0 AND starts_minute < 1440",
                           name=op.f("ck_menu_schedules_starts_in_day")),
        sa.CheckConstraint("ends_minute >= 0 AND ends_minute < 1440",
                           name=op.f("ck_menu_schedules_ends_in_day")),
        sa.CheckConstraint("starts_minute <> ends_minute",
                           name=op.f("ck_menu_schedules_not_empty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_menu_schedules")),
    )
    link_table("menu_schedule_categories", "category_id", "categories")
    link_table("menu_schedule_items", "item_id", "menu_items")
    op.create_table(
        "menu_schedule_prices",
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("price", sa.Integer(), nullable=False),
        sa.CheckConstraint("price >= 0", name=op.f("ck_menu_schedule_prices_price_not_negative")),
        sa.ForeignKeyConstraint(["schedule_id"], ["menu_schedules.id"], ondelete="CASCADE",
                                name=op.f("fk_menu_schedule_prices_schedule_id_menu_schedules")),
        sa.ForeignKeyConstraint(["item_id"], ["menu_items.id"], ondelete="CASCADE",
                                name=op.f("fk_menu_schedule_prices_item_id_menu_items")),
        sa.PrimaryKeyConstraint("schedule_id", "item_id", name=op.f("pk_menu_schedule_prices")),
    )


def downgrade() -> None:
    op.drop_table("menu_schedule_prices")
    op.drop_table("menu_schedule_items")
    op.drop_table("menu_schedule_categories")
    op.drop_table("menu_schedules")
