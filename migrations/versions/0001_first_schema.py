"""first schema

Revision ID: 0001
Revises: (none)
"""

from alembic import op
import sqlalchemy as sa


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_tables()
    protect_audit_log()


def create_tables() -> None:
    op.create_table(
        "courses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("fires_immediately", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_courses")),
        sa.UniqueConstraint("code", name=op.f("uq_courses_code")),
    )
    op.create_table(
        "events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("namespace", sa.String(length=32), nullable=False),
        sa.Column("room", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            "ix_events_namespace_room_id", ["namespace", "room", "id"], unique=False
        )

    op.create_table(
        "floors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_floors")),
    )
    op.create_table(
        "guests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guests")),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_idempotency_keys")),
    )
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_idempotency_keys_created_at"), ["created_at"], unique=False
        )

    op.create_table(
        "modifier_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("min_choices", sa.Integer(), nullable=False),
        sa.Column("max_choices", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "max_choices >= min_choices AND max_choices >= 1",
            name=op.f("ck_modifier_groups_max_range"),
        ),
        sa.CheckConstraint("min_choices >= 0", name=op.f("ck_modifier_groups_min_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_modifier_groups")),
    )
    op.create_table(
        "outbox_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "pruned_through", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_state")),
    )
    op.create_table(
        "pin_lockouts",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locks", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_pin_lockouts")),
    )
    op.create_table(
        "rooms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rooms")),
        sa.UniqueConstraint("number", name=op.f("uq_rooms_number")),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "waiter",
                "bartender",
                "host",
                "cashier",
                "kitchen",
                "front_desk",
                "manager",
                "admin",
                name="role",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("pin_hash", sa.String(length=200), nullable=False),
        sa.Column("pin_lookup", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        sa.UniqueConstraint("pin_lookup", name=op.f("uq_staff_pin_lookup")),
    )
    op.create_table(
        "stations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_expo", sa.Boolean(), nullable=False),
        sa.Column("warn_after_seconds", sa.Integer(), nullable=False),
        sa.Column("late_after_seconds", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stations")),
        sa.UniqueConstraint("code", name=op.f("uq_stations_code")),
    )
    op.create_table(
        "tax_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("rate_bp", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "rate_bp >= 0 AND rate_bp <= 10000", name=op.f("ck_tax_rates_rate_range")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tax_rates")),
    )
    op.create_table(
        "venue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("fiscal_code", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column(
            "tax_mode",
            sa.Enum("inclusive", "exclusive", name="taxmode", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("idle_signout_seconds", sa.Integer(), nullable=False),
        sa.Column("waiters_see_all_sections", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_venue")),
    )
    op.create_table(
        "business_days",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("is_open", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["staff.id"], name=op.f("fk_business_days_closed_by_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["opened_by_id"], ["staff.id"], name=op.f("fk_business_days_opened_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_days")),
        sa.UniqueConstraint("is_open", name=op.f("uq_business_days_is_open")),
    )
    op.create_table(
        "categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("color", sa.String(length=7), nullable=False),
        sa.Column("default_course_id", sa.Integer(), nullable=True),
        sa.Column("tax_rate_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["default_course_id"],
            ["courses.id"],
            name=op.f("fk_categories_default_course_id_courses"),
        ),
        sa.ForeignKeyConstraint(
            ["tax_rate_id"], ["tax_rates.id"], name=op.f("fk_categories_tax_rate_id_tax_rates")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_categories")),
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "waiter",
                "bartender",
                "host",
                "cashier",
                "kitchen",
                "front_desk",
                "manager",
                "admin",
                name="role",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("station", sa.String(length=40), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("paired_by_id", sa.Integer(), nullable=False),
        sa.Column("paired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["paired_by_id"], ["staff.id"], name=op.f("fk_devices_paired_by_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"], ["staff.id"], name=op.f("fk_devices_revoked_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_devices")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_devices_token_hash")),
    )
    op.create_table(
        "modifiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("price_delta", sa.Integer(), nullable=False),
        sa.Column("allergens", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["modifier_groups.id"],
            name=op.f("fk_modifiers_group_id_modifier_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_modifiers")),
        sa.UniqueConstraint("group_id", "position", name="position_in_group"),
    )
    with op.batch_alter_table("modifiers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_modifiers_group_id"), ["group_id"], unique=False)

    op.create_table(
        "sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("floor_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["floor_id"], ["floors.id"], name=op.f("fk_sections_floor_id_floors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sections")),
    )
    op.create_table(
        "stays",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("guest_id", sa.Integer(), nullable=False),
        sa.Column("arrival", sa.Date(), nullable=False),
        sa.Column("departure", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "reserved",
                "in_house",
                "checked_out",
                name="staystatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("no_post", sa.Boolean(), nullable=False),
        sa.Column("credit_limit", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["guest_id"], ["guests.id"], name=op.f("fk_stays_guest_id_guests")),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"], name=op.f("fk_stays_room_id_rooms")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stays")),
    )
    with op.batch_alter_table("stays", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stays_room_id"), ["room_id"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.Column("device_label", sa.String(length=120), nullable=True),
        sa.Column("subject", sa.String(length=120), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["staff.id"], name=op.f("fk_audit_log_approved_by_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_audit_log_device_id_devices")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_audit_log_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "menu_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("descriptions", sa.JSON(), nullable=False),
        sa.Column("price", sa.Integer(), nullable=False),
        sa.Column("tax_rate_id", sa.Integer(), nullable=True),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("allergens", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("price >= 0", name=op.f("ck_menu_items_price_not_negative")),
        sa.ForeignKeyConstraint(
            ["category_id"], ["categories.id"], name=op.f("fk_menu_items_category_id_categories")
        ),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_menu_items_course_id_courses")
        ),
        sa.ForeignKeyConstraint(
            ["tax_rate_id"], ["tax_rates.id"], name=op.f("fk_menu_items_tax_rate_id_tax_rates")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_menu_items")),
        sa.UniqueConstraint("number", name=op.f("uq_menu_items_number")),
    )
    with op.batch_alter_table("menu_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_menu_items_category_id"), ["category_id"], unique=False
        )

    op.create_table(
        "tables",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("floor_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=12), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column(
            "shape",
            sa.Enum(
                "round", "square", "rectangle", name="tableshape", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("x", sa.Integer(), nullable=False),
        sa.Column("y", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.CheckConstraint("seats >= 1", name=op.f("ck_tables_seats_positive")),
        sa.ForeignKeyConstraint(
            ["floor_id"], ["floors.id"], name=op.f("fk_tables_floor_id_floors")
        ),
        sa.ForeignKeyConstraint(
            ["section_id"], ["sections.id"], name=op.f("fk_tables_section_id_sections")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tables")),
        sa.UniqueConstraint("name", name="table_name"),
    )
    with op.batch_alter_table("tables", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tables_floor_id"), ["floor_id"], unique=False)

    op.create_table(
        "item_modifier_groups",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["modifier_groups.id"],
            name=op.f("fk_item_modifier_groups_group_id_modifier_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["menu_items.id"],
            name=op.f("fk_item_modifier_groups_item_id_menu_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "group_id", name=op.f("pk_item_modifier_groups")),
    )
    op.create_table(
        "station_routes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(item_id IS NULL) <> (category_id IS NULL)",
            name=op.f("ck_station_routes_item_or_category"),
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
            name=op.f("fk_station_routes_category_id_categories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["menu_items.id"],
            name=op.f("fk_station_routes_item_id_menu_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["stations.id"],
            name=op.f("fk_station_routes_station_id_stations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_station_routes")),
    )
    with op.batch_alter_table("station_routes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_station_routes_category_id"), ["category_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_station_routes_item_id"), ["item_id"], unique=False)


def protect_audit_log() -> None:
    """The audit log is append-only in the database too: updates and deletes abort."""
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            )
    else:
        op.execute(
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    with op.batch_alter_table("station_routes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_station_routes_item_id"))
        batch_op.drop_index(batch_op.f("ix_station_routes_category_id"))

    op.drop_table("station_routes")
    op.drop_table("item_modifier_groups")
    with op.batch_alter_table("tables", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tables_floor_id"))

    op.drop_table("tables")
    with op.batch_alter_table("menu_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_menu_items_category_id"))

    op.drop_table("menu_items")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
        batch_op.drop_index(batch_op.f("ix_audit_log_action"))

    op.drop_table("audit_log")
    with op.batch_alter_table("stays", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stays_room_id"))

    op.drop_table("stays")
    op.drop_table("sections")
    with op.batch_alter_table("modifiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_modifiers_group_id"))

    op.drop_table("modifiers")
    op.drop_table("devices")
    op.drop_table("categories")
    op.drop_table("business_days")
    op.drop_table("venue")
    op.drop_table("tax_rates")
    op.drop_table("stations")
    op.drop_table("staff")
    op.drop_table("rooms")
    op.drop_table("pin_lockouts")
    op.drop_table("outbox_state")
    op.drop_table("modifier_groups")
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_keys_created_at"))

    op.drop_table("idempotency_keys")
    op.drop_table("guests")
    op.drop_table("floors")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_namespace_room_id")
        batch_op.drop_index(batch_op.f("ix_events_created_at"))

    op.drop_table("events")
    op.drop_table("courses")
