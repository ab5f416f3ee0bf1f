"""inventory: ingredients, units, locations, recipes, the stock ledger

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "ingredients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("cost", sa.BigInteger(), nullable=False),
        sa.Column("par_level", sa.BigInteger(), nullable=True),
        sa.Column("reorder_point", sa.BigInteger(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("cost >= 0", name=op.f("ck_ingredients_cost_not_negative")),
        sa.CheckConstraint("par_level >= 0", name=op.f("ck_ingredients_par_not_negative")),
        sa.CheckConstraint("reorder_point >= 0", name=op.f("ck_ingredients_reorder_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingredients")),
    )
    op.create_table(
        "stock_locations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["stations.id"],
            name=op.f("fk_stock_locations_station_id_stations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_locations")),
        sa.UniqueConstraint("code", name=op.f("uq_stock_locations_code")),
        sa.UniqueConstraint("station_id", name=op.f("uq_stock_locations_station_id")),
    )
    op.create_table(
        "recipes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("item", "modifier", "prep", name="recipekind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("modifier_id", sa.Integer(), nullable=True),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("yield_quantity", sa.BigInteger(), nullable=True),
        sa.Column("yield_unit", sa.String(length=8), nullable=True),
        sa.CheckConstraint(
            "(kind = 'item') = (item_id IS NOT NULL)", name=op.f("ck_recipes_item_has_item")
        ),
        sa.CheckConstraint(
            "(kind = 'modifier') = (modifier_id IS NOT NULL)",
            name=op.f("ck_recipes_modifier_has_modifier"),
        ),
        sa.CheckConstraint(
            "kind <> 'prep' OR yield_quantity > 0", name=op.f("ck_recipes_prep_has_yield")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["menu_items.id"],
            name=op.f("fk_recipes_item_id_menu_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["modifier_id"],
            ["modifiers.id"],
            name=op.f("fk_recipes_modifier_id_modifiers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recipes")),
        sa.UniqueConstraint("item_id", name=op.f("uq_recipes_item_id")),
        sa.UniqueConstraint("modifier_id", name=op.f("uq_recipes_modifier_id")),
    )
    op.create_table(
        "stock_documents",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "kind",
            sa.Enum(
                "receipt",
                "waste",
                "count",
                "transfer",
                name="documentkind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("client_id", sa.String(length=64), nullable=True),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("to_location_id", sa.Integer(), nullable=True),
        sa.Column("supplier", sa.String(length=120), nullable=True),
        sa.Column("reason", sa.String(length=120), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("at", When, nullable=False),
        sa.Column("by_staff_id", sa.Integer(), nullable=True),
        sa.Column("by_device_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["by_device_id"], ["devices.id"], name=op.f("fk_stock_documents_by_device_id_devices")
        ),
        sa.ForeignKeyConstraint(
            ["by_staff_id"], ["staff.id"], name=op.f("fk_stock_documents_by_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["stock_locations.id"],
            name=op.f("fk_stock_documents_location_id_stock_locations"),
        ),
        sa.ForeignKeyConstraint(
            ["to_location_id"],
            ["stock_locations.id"],
            name=op.f("fk_stock_documents_to_location_id_stock_locations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_documents")),
        sa.UniqueConstraint("client_id", name=op.f("uq_stock_documents_client_id")),
    )
    op.create_table(
        "stock_levels",
        sa.Column("ingredient_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("value >= 0", name=op.f("ck_stock_levels_value_not_negative")),
        sa.ForeignKeyConstraint(
            ["ingredient_id"],
            ["ingredients.id"],
            name=op.f("fk_stock_levels_ingredient_id_ingredients"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["stock_locations.id"],
            name=op.f("fk_stock_levels_location_id_stock_locations"),
        ),
        sa.PrimaryKeyConstraint("ingredient_id", "location_id", name=op.f("pk_stock_levels")),
    )
    op.create_table(
        "stock_outs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("modifier_id", sa.Integer(), nullable=True),
        sa.Column("at", When, nullable=False),
        sa.CheckConstraint(
            "(item_id IS NULL) <> (modifier_id IS NULL)",
            name=op.f("ck_stock_outs_item_or_modifier"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["menu_items.id"],
            name=op.f("fk_stock_outs_item_id_menu_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["modifier_id"],
            ["modifiers.id"],
            name=op.f("fk_stock_outs_modifier_id_modifiers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_outs")),
        sa.UniqueConstraint("item_id", name=op.f("uq_stock_outs_item_id")),
        sa.UniqueConstraint("modifier_id", name=op.f("uq_stock_outs_modifier_id")),
    )
    op.create_table(
        "recipe_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipe_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("ingredient_id", sa.Integer(), nullable=True),
        sa.Column("sub_recipe_id", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.CheckConstraint(
            "(ingredient_id IS NULL) <> (sub_recipe_id IS NULL)",
            name=op.f("ck_recipe_lines_ingredient_or_prep"),
        ),
        sa.ForeignKeyConstraint(
            ["ingredient_id"],
            ["ingredients.id"],
            name=op.f("fk_recipe_lines_ingredient_id_ingredients"),
        ),
        sa.ForeignKeyConstraint(
            ["recipe_id"],
            ["recipes.id"],
            name=op.f("fk_recipe_lines_recipe_id_recipes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sub_recipe_id"], ["recipes.id"], name=op.f("fk_recipe_lines_sub_recipe_id_recipes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recipe_lines")),
    )
    op.create_index(
        op.f("ix_recipe_lines_ingredient_id"), "recipe_lines", ["ingredient_id"], unique=False
    )
    op.create_index(op.f("ix_recipe_lines_recipe_id"), "recipe_lines", ["recipe_id"], unique=False)
    op.create_index(
        op.f("ix_recipe_lines_sub_recipe_id"), "recipe_lines", ["sub_recipe_id"], unique=False
    )
    op.create_table(
        "stock_movements",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "kind",
            sa.Enum(
                "sale",
                "void_return",
                "waste",
                "receipt",
                "count_adjustment",
                "transfer_out",
                "transfer_in",
                name="movementkind",
                native_enum=False,
            ),
            nullable=False,
        ),
        sa.Column("ingredient_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("at", When, nullable=False),
        sa.Column("by_staff_id", sa.Integer(), nullable=True),
        sa.Column("by_device_id", sa.Integer(), nullable=True),
        sa.Column("line_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "document_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("reason", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["by_device_id"], ["devices.id"], name=op.f("fk_stock_movements_by_device_id_devices")
        ),
        sa.ForeignKeyConstraint(
            ["by_staff_id"], ["staff.id"], name=op.f("fk_stock_movements_by_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["stock_documents.id"],
            name=op.f("fk_stock_movements_document_id_stock_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["ingredient_id"],
            ["ingredients.id"],
            name=op.f("fk_stock_movements_ingredient_id_ingredients"),
        ),
        sa.ForeignKeyConstraint(
            ["line_id"], ["order_lines.id"], name=op.f("fk_stock_movements_line_id_order_lines")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["stock_locations.id"],
            name=op.f("fk_stock_movements_location_id_stock_locations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_movements")),
    )
    op.create_index(
        op.f("ix_stock_movements_document_id"), "stock_movements", ["document_id"], unique=False
    )
    op.create_index(
        "ix_stock_movements_ingredient_location",
        "stock_movements",
        ["ingredient_id", "location_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_stock_movements_line_id"), "stock_movements", ["line_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_stock_movements_line_id"), table_name="stock_movements")
    op.drop_index("ix_stock_movements_ingredient_location", table_name="stock_movements")
    op.drop_index(op.f("ix_stock_movements_document_id"), table_name="stock_movements")
    op.drop_table("stock_movements")
    op.drop_index(op.f("ix_recipe_lines_sub_recipe_id"), table_name="recipe_lines")
    op.drop_index(op.f("ix_recipe_lines_recipe_id"), table_name="recipe_lines")
    op.drop_index(op.f("ix_recipe_lines_ingredient_id"), table_name="recipe_lines")
    op.drop_table("recipe_lines")
    op.drop_table("stock_outs")
    op.drop_table("stock_levels")
    op.drop_table("stock_documents")
    op.drop_table("recipes")
    op.drop_table("stock_locations")
    op.drop_table("ingredients")
