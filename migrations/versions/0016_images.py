"""item images and the venue's logo

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content_type", sa.String(20), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_images")),
        sa.UniqueConstraint("sha256", name=op.f("uq_images_sha256")),
    )
    with op.batch_alter_table("menu_items") as batch:
        batch.add_column(sa.Column("image_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f("fk_menu_items_image_id_images"), "images",
                                 ["image_id"], ["id"])
    with op.batch_alter_table("venue") as batch:
        batch.add_column(sa.Column("logo_image_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f("fk_venue_logo_image_id_images"), "images",
                                 ["logo_image_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("venue") as batch:
        batch.drop_constraint(batch.f("fk_venue_logo_image_id_images"), type_="foreignkey")
        batch.drop_column("logo_image_id")
    with op.batch_alter_table("menu_items") as batch:
        batch.drop_constraint(batch.f("fk_menu_items_image_id_images"), type_="foreignkey")
        batch.drop_column("image_id")
    op.drop_table("images")
