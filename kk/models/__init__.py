"""SQLModel tables of kk. Plain data: every rule lives in kk/services.

Importing this package costs the SQLModel import (~480 ms); only writing commands and
migrations do it. The read path uses SQL over stdlib sqlite3 (kk/services/queries.py).
"""

from kk.models.customer import (
    Address,
    BankAccount,
    Consent,
    ContactPerson,
    Customer,
    CustomerLabel,
    Label,
)
from kk.models.records import (
    Activity,
    Document,
    Note,
    OrderLabel,
    OrderLine,
    Product,
    SalesOrder,
)
from kk.models.system import AppUser, AuditEntry, Counter, Selection

__all__ = [
    "Activity",
    "Document",
    "Note",
    "OrderLabel",
    "OrderLine",
    "Product",
    "SalesOrder",
    "Address",
    "AppUser",
    "AuditEntry",
    "BankAccount",
    "Consent",
    "ContactPerson",
    "Counter",
    "Customer",
    "CustomerLabel",
    "Label",
    "Selection",
]
