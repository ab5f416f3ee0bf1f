"""Imports every model, so the metadata (and Alembic) knows every table."""

from kitchen.models import (  # noqa: F401, E402
    Station,
    StationRoute,
    Ticket,
    TicketLine,
)
from pos.core.alerts import Alert  # noqa: F401
from pos.core.api import IdempotencyKey  # noqa: F401
from pos.core.audit import AuditEntry  # noqa: F401
from pos.core.events import Event, OutboxState  # noqa: F401
from pos.core.images import StoredImage  # noqa: F401
from pos.devices.models import Printer, PrintJob, PrintWorkerRow  # noqa: F401
from pos.floor.models import DiningTable, Floor, Section, SectionAssignment  # noqa: F401, E402
from pos.hotel.models import (  # noqa: F401, E402
    FolioEntry,
    Guest,
    PmsPosting,
    Room,
    Stay,
    StayGuest,
)
from pos.inventory.models import (  # noqa: F401, E402
    Ingredient,
    Recipe,
    RecipeLine,
    StockDocument,
    StockLevel,
    StockLocation,
    StockMovement,
    StockOut,
)
from pos.inventory.purchasing_models import (  # noqa: F401, E402
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    Supplier,
    SupplierItem,
)
from pos.menu.models import (  # noqa: F401, E402
    Category,
    Course,
    ItemModifierGroup,
    MenuItem,
    Modifier,
    ModifierGroup,
)
from pos.ordering.models import (  # noqa: F401, E402
    Check,
    CheckCourse,
    CheckMove,
    OrderLine,
    Send,
)
from pos.payments.models import (  # noqa: F401
    Bill,
    BillPortion,
    CashMovement,
    CashShift,
    Payment,
    Refund,
    TerminalAttempt,
    TipShare,
    ZReport,
)
from pos.reports.models import (  # noqa: F401
    ReportCheck,
    ReportDay,
    ReportLine,
    ReportTender,
    ReportTip,
)
from pos.staff.models import Device, PinLockout, StaffMember  # noqa: F401
from pos.venue.models import BusinessDay, TaxRate, Venue  # noqa: F401
