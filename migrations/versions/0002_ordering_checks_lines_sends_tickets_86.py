"""ordering: checks, lines, sends, tickets, 86

Revision ID: 0002
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "section_assignments",
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["sections.id"],
            name=op.f("fk_section_assignments_section_id_sections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_section_assignments_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("section_id", "staff_id", name=op.f("pk_section_assignments")),
    )
    op.create_table(
        "checks",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("client_id", sa.String(length=64), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "table", "bar_tab", "take_away", name="checkkind", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("table_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=60), nullable=True),
        sa.Column("guest_count", sa.Integer(), nullable=False),
        sa.Column("server_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "paid",
                "merged",
                "cancelled",
                name="checkstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "merged_into_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("discount_bp", sa.Integer(), nullable=True),
        sa.Column("discount_amount", sa.Integer(), nullable=True),
        sa.Column("discount_reason", sa.String(length=120), nullable=True),
        sa.CheckConstraint(
            "(kind = 'table') = (table_id IS NOT NULL)", name=op.f("ck_checks_table_has_table")
        ),
        sa.CheckConstraint("guest_count >= 0", name=op.f("ck_checks_guests_not_negative")),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["checks.id"], name=op.f("fk_checks_merged_into_id_checks")
        ),
        sa.ForeignKeyConstraint(
            ["server_id"], ["staff.id"], name=op.f("fk_checks_server_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["table_id"], ["tables.id"], name=op.f("fk_checks_table_id_tables")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checks")),
        sa.UniqueConstraint("client_id", name=op.f("uq_checks_client_id")),
    )
    with op.batch_alter_table("checks", schema=None) as batch_op:
        batch_op.create_index("ix_checks_open_table", ["status", "table_id"], unique=False)

    op.create_table(
        "check_courses",
        sa.Column("check_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fired_by_id", sa.Integer(), nullable=True),
        sa.Column("rushed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["check_id"],
            ["checks.id"],
            name=op.f("fk_check_courses_check_id_checks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_check_courses_course_id_courses")
        ),
        sa.ForeignKeyConstraint(
            ["fired_by_id"], ["staff.id"], name=op.f("fk_check_courses_fired_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("check_id", "course_id", name=op.f("pk_check_courses")),
    )
    op.create_table(
        "check_moves",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("check_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "to_check_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("from_table_id", sa.Integer(), nullable=True),
        sa.Column("to_table_id", sa.Integer(), nullable=True),
        sa.Column("from_server_id", sa.Integer(), nullable=True),
        sa.Column("to_server_id", sa.Integer(), nullable=True),
        sa.Column("line_ids", sa.JSON(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["by_id"], ["staff.id"], name=op.f("fk_check_moves_by_id_staff")),
        sa.ForeignKeyConstraint(
            ["check_id"], ["checks.id"], name=op.f("fk_check_moves_check_id_checks")
        ),
        sa.ForeignKeyConstraint(
            ["from_server_id"], ["staff.id"], name=op.f("fk_check_moves_from_server_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["from_table_id"], ["tables.id"], name=op.f("fk_check_moves_from_table_id_tables")
        ),
        sa.ForeignKeyConstraint(
            ["to_check_id"], ["checks.id"], name=op.f("fk_check_moves_to_check_id_checks")
        ),
        sa.ForeignKeyConstraint(
            ["to_server_id"], ["staff.id"], name=op.f("fk_check_moves_to_server_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["to_table_id"], ["tables.id"], name=op.f("fk_check_moves_to_table_id_tables")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_moves")),
    )
    with op.batch_alter_table("check_moves", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_check_moves_check_id"), ["check_id"], unique=False)

    op.create_table(
        "sends",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("check_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["check_id"], ["checks.id"], name=op.f("fk_sends_check_id_checks")),
        sa.ForeignKeyConstraint(
            ["sent_by_id"], ["staff.id"], name=op.f("fk_sends_sent_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sends")),
        sa.UniqueConstraint("client_id", name=op.f("uq_sends_client_id")),
    )
    with op.batch_alter_table("sends", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sends_check_id"), ["check_id"], unique=False)

    op.create_table(
        "order_lines",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("check_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=True),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("allergens", sa.JSON(), nullable=False),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.Column("modifiers_price", sa.Integer(), nullable=False),
        sa.Column("tax_rate_bp", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("new", "sent", "void", name="linestatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("added_by_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("send_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("void_reason", sa.String(length=120), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("comped", sa.Boolean(), nullable=False),
        sa.Column("comp_reason", sa.String(length=120), nullable=True),
        sa.Column("discount_bp", sa.Integer(), nullable=True),
        sa.Column("discount_amount", sa.Integer(), nullable=True),
        sa.Column("modifiers", sa.JSON(), nullable=False),
        sa.CheckConstraint("quantity >= 1", name=op.f("ck_order_lines_quantity_positive")),
        sa.CheckConstraint("unit_price >= 0", name=op.f("ck_order_lines_price_not_negative")),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["staff.id"], name=op.f("fk_order_lines_added_by_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["check_id"], ["checks.id"], name=op.f("fk_order_lines_check_id_checks")
        ),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_order_lines_course_id_courses")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["menu_items.id"], name=op.f("fk_order_lines_item_id_menu_items")
        ),
        sa.ForeignKeyConstraint(
            ["send_id"], ["sends.id"], name=op.f("fk_order_lines_send_id_sends")
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["staff.id"], name=op.f("fk_order_lines_voided_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_lines")),
        sa.UniqueConstraint("client_id", name=op.f("uq_order_lines_client_id")),
    )
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_lines_check_id"), ["check_id"], unique=False)

    op.create_table(
        "tickets",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("check_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("send_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "held", "fired", "bumped", "void", name="ticketstatus", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("rush", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_line_done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("bumped_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["check_id"], ["checks.id"], name=op.f("fk_tickets_check_id_checks")
        ),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_tickets_course_id_courses")
        ),
        sa.ForeignKeyConstraint(["send_id"], ["sends.id"], name=op.f("fk_tickets_send_id_sends")),
        sa.ForeignKeyConstraint(
            ["station_id"], ["stations.id"], name=op.f("fk_tickets_station_id_stations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
    )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tickets_check_id"), ["check_id"], unique=False)
        batch_op.create_index("ix_tickets_station_status", ["station_id", "status"], unique=False)

    op.create_table(
        "ticket_lines",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "ticket_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("line_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["line_id"], ["order_lines.id"], name=op.f("fk_ticket_lines_line_id_order_lines")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_ticket_lines_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_lines")),
    )
    with op.batch_alter_table("ticket_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_lines_line_id"), ["line_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ticket_lines_ticket_id"), ["ticket_id"], unique=False)

    with op.batch_alter_table("menu_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("available", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(sa.Column("count_left", sa.Integer(), nullable=True))
        batch_op.create_check_constraint("ck_menu_items_count_not_negative", "count_left >= 0")

    with op.batch_alter_table("modifiers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("available", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(sa.Column("count_left", sa.Integer(), nullable=True))
        batch_op.create_check_constraint("ck_modifiers_count_not_negative", "count_left >= 0")

    with op.batch_alter_table("tables", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("needs_clearing", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    with op.batch_alter_table("venue", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("config_version", sa.Integer(), nullable=False, server_default="1")
        )


def downgrade() -> None:
    with op.batch_alter_table("venue", schema=None) as batch_op:
        batch_op.drop_column("config_version")

    with op.batch_alter_table("tables", schema=None) as batch_op:
        batch_op.drop_column("needs_clearing")

    with op.batch_alter_table("modifiers", schema=None) as batch_op:
        batch_op.drop_constraint("ck_modifiers_count_not_negative", type_="check")
        batch_op.drop_column("count_left")
        batch_op.drop_column("available")

    with op.batch_alter_table("menu_items", schema=None) as batch_op:
        batch_op.drop_constraint("ck_menu_items_count_not_negative", type_="check")
        batch_op.drop_column("count_left")
        batch_op.drop_column("available")

    with op.batch_alter_table("ticket_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_lines_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_ticket_lines_line_id"))

    op.drop_table("ticket_lines")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_station_status")
        batch_op.drop_index(batch_op.f("ix_tickets_check_id"))

    op.drop_table("tickets")
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_lines_check_id"))

    op.drop_table("order_lines")
    with op.batch_alter_table("sends", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sends_check_id"))

    op.drop_table("sends")
    with op.batch_alter_table("check_moves", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_check_moves_check_id"))

    op.drop_table("check_moves")
    op.drop_table("check_courses")
    with op.batch_alter_table("checks", schema=None) as batch_op:
        batch_op.drop_index("ix_checks_open_table")

    op.drop_table("checks")
    op.drop_table("section_assignments")
