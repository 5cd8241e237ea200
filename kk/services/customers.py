"""Writing use cases for customers: add, edit, archive, restore, labels, consents.

Each function takes an open SQLModel session (one IMMEDIATE transaction, see
kk.db.write_session) and the acting user, changes the rows, writes the audit entries and
keeps the search index in step, all in that same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from kk.clock import now_iso
from kk.db import raw
from kk.errors import Conflict, NotFound, ValidationFailed
from kk.services import audit, numbers, search_index
from kk.services.customer_rules import FIELDS, TEMPLATE_FIELDS, clean_customer, clean_labels
from kk.services.users import Actor, require_admin

if TYPE_CHECKING:
    from sqlmodel import Session

    from kk.models import Customer

CHANNELS = ("email", "phone", "letter", "newsletter")


def _values(customer: Customer) -> dict[str, Any]:
    return {field: getattr(customer, field) for field in FIELDS}


def load(session: Session, ref: str, *, include_restricted: bool = False) -> Customer:
    """The customer addressed by `CUS-0001`, `cus-1` or `1`."""
    from sqlmodel import select

    from kk.models import Customer

    number = numbers.parse_ref(ref)
    customer = session.exec(select(Customer).where(Customer.number == number)).first()
    if customer is None or (customer.restricted and not include_restricted):
        raise NotFound(f"no customer {number}")
    return customer


def load_writable(session: Session, ref: str) -> Customer:
    """A customer that may be changed: not archived, not restricted by a DSGVO erasure."""
    customer = load(session, ref)
    if customer.archived_at:
        raise Conflict(
            f"{customer.number} is archived: an admin must restore it before it can be changed"
        )
    return customer


def _save(
    session: Session,
    customer: Customer,
    actor: Actor,
    action: str,
    changes: dict[str, tuple[Any, Any]],
) -> None:
    """Stamp the change on the customer and write its audit entries, same transaction."""
    customer.updated_at = now_iso()
    customer.updated_by = actor.name
    session.add(customer)
    session.flush()
    audit.record(
        raw(session),
        user=actor.name,
        entity="customer",
        entity_id=customer.number,
        customer_id=customer.id,
        action=action,
        changes=changes,
    )


def add_customer(
    session: Session,
    *,
    data: Mapping[str, Any],
    actor: Actor,
    labels: Iterable[str] = (),
    template: str | None = None,
    default_country: str = "DE",
) -> Customer:
    """Create a customer with the next free number; `template` starts from a Musterkunde."""
    from kk.models import Customer

    start: dict[str, Any] = {}
    label_names = list(labels)
    if template:
        model = load(session, template)
        start = {field: getattr(model, field) for field in TEMPLATE_FIELDS}
        start = {k: v for k, v in start.items() if v is not None}
        label_names = label_names + _label_names(session, model.id or 0)
    record = clean_customer({**start, **data}, default_country=default_country)
    _reject_duplicates(session, record)
    connection = raw(session)
    stamp = now_iso()
    value = numbers.allocate(connection)
    customer = Customer(
        id=value,  # the id is the number's value: number order is id order
        number=numbers.format_number(value),
        created_at=stamp,
        created_by=actor.name,
        updated_at=stamp,
        updated_by=actor.name,
        **record,
    )
    session.add(customer)
    session.flush()
    assert customer.id is not None
    names = clean_labels(label_names)
    _attach_labels(session, customer.id, names)
    audit.record(
        connection,
        user=actor.name,
        entity="customer",
        entity_id=customer.number,
        customer_id=customer.id,
        action="create",
        changes={k: (None, v) for k, v in _values(customer).items() if v not in (None, False)}
        | ({"labels": (None, names)} if names else {}),
    )
    search_index.index_customers(connection, [customer.id])
    return customer


def _reject_duplicates(
    session: Session, record: Mapping[str, Any], own_id: int | None = None
) -> None:
    """Email and VAT ID identify a party: a second customer with the same one is a conflict."""
    connection = raw(session)
    for field in ("email", "vat_id"):
        value = record.get(field)
        if not value:
            continue
        row = connection.execute(
            f"SELECT number FROM customer WHERE {field} = ? AND id IS NOT ? AND restricted = 0",
            (value, own_id),
        ).fetchone()
        if row:
            flag = "--" + field.replace("_", "-")
            raise Conflict(f"{flag}: {value} belongs to {row[0]} already")


def edit_customer(
    session: Session, ref: str, *, changes: Mapping[str, Any], actor: Actor
) -> Customer:
    """Change the given fields (None clears one); the number is never editable."""
    if "number" in changes:
        raise ValidationFailed("--number: a customer number can never be changed", field="number")
    customer = load_writable(session, ref)
    before = _values(customer)
    record = clean_customer(changes, current=before)
    _reject_duplicates(session, record, own_id=customer.id)
    after = {field: record[field] for field in FIELDS}
    changed = audit.diff(before, after)
    if not changed:
        return customer
    for field, (_old, new) in changed.items():
        setattr(customer, field, new)
    customer.display_name = record["display_name"]
    customer.sort_key = record["sort_key"]
    _save(session, customer, actor, "edit", changed)
    search_index.index_customers(raw(session), [customer.id or 0])
    return customer


def archive_customer(session: Session, ref: str, *, reason: str | None, actor: Actor) -> Customer:
    """Hide a customer from lists and searches; every link stays."""
    customer = load(session, ref)
    if customer.archived_at:
        raise Conflict(f"{customer.number} is archived already")
    customer.archived_at = now_iso()
    customer.archived_by = actor.name
    customer.archive_reason = (reason or "").strip() or None
    _save(
        session,
        customer,
        actor,
        "archive",
        {"archived": (False, True), "archive_reason": (None, customer.archive_reason)},
    )
    return customer


def restore_customer(session: Session, ref: str, *, actor: Actor) -> Customer:
    """Bring an archived customer back (admins only)."""
    require_admin(actor, "restore archived customers")
    customer = load(session, ref)
    if not customer.archived_at:
        raise Conflict(f"{customer.number} is not archived")
    reason = customer.archive_reason
    customer.archived_at = customer.archived_by = customer.archive_reason = None
    _save(
        session,
        customer,
        actor,
        "restore",
        {"archived": (True, False), "archive_reason": (reason, None)},
    )
    return customer


def _label_names(session: Session, customer_id: int) -> list[str]:
    rows = raw(session).execute(
        "SELECT l.name FROM customer_label cl JOIN label l ON l.id = cl.label_id "
        "WHERE cl.customer_id = ? ORDER BY l.name",
        (customer_id,),
    )
    return [row[0] for row in rows]


def _attach_labels(session: Session, customer_id: int, names: list[str]) -> list[str]:
    connection = raw(session)
    added = []
    for name in names:
        row = connection.execute(
            "SELECT id FROM label WHERE name = ? COLLATE NOCASE", (name,)
        ).fetchone()
        label_id = (
            row[0]
            if row
            else connection.execute(
                "INSERT INTO label (name) VALUES (?) RETURNING id", (name,)
            ).fetchone()[0]
        )
        cursor = connection.execute(
            "INSERT OR IGNORE INTO customer_label (customer_id, label_id) VALUES (?, ?)",
            (customer_id, label_id),
        )
        if cursor.rowcount:
            added.append(name)
    return added


def add_labels(session: Session, ref: str, names: Iterable[str], *, actor: Actor) -> list[str]:
    customer = load_writable(session, ref)
    assert customer.id is not None
    before = _label_names(session, customer.id)
    added = _attach_labels(session, customer.id, clean_labels(names))
    if added:
        _save(
            session,
            customer,
            actor,
            "label",
            {"labels": (before, _label_names(session, customer.id))},
        )
    return added


def remove_labels(session: Session, ref: str, names: Iterable[str], *, actor: Actor) -> list[str]:
    customer = load_writable(session, ref)
    assert customer.id is not None
    connection = raw(session)
    before = _label_names(session, customer.id)
    removed = []
    for name in clean_labels(names):
        cursor = connection.execute(
            "DELETE FROM customer_label WHERE customer_id = ? AND label_id IN "
            "(SELECT id FROM label WHERE name = ? COLLATE NOCASE)",
            (customer.id, name),
        )
        if not cursor.rowcount:
            raise NotFound(f"{customer.number} has no label '{name}'")
        removed.append(name)
    _save(
        session, customer, actor, "label", {"labels": (before, _label_names(session, customer.id))}
    )
    return removed


def set_consents(
    session: Session,
    ref: str,
    *,
    granted: Mapping[str, bool],
    source: str | None,
    date: str | None,
    do_not_contact: bool | None,
    actor: Actor,
) -> None:
    """Record consents per channel (with date and source) and the do-not-contact flag."""
    from kk import validation

    customer = load_writable(session, ref)
    if not granted and do_not_contact is None:
        raise ValidationFailed(
            "give at least one of --email, --phone, --letter, --newsletter, --do-not-contact"
        )
    day = validation.date_value(date, field="date").isoformat() if date else now_iso()[:10]
    connection = raw(session)
    changes: dict[str, tuple[Any, Any]] = {}
    for channel, value in granted.items():
        row = connection.execute(
            "SELECT granted FROM consent WHERE customer_id = ? AND channel = ?",
            (customer.id, channel),
        ).fetchone()
        connection.execute(
            "INSERT INTO consent (customer_id, channel, granted, date, source) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (customer_id, channel) DO UPDATE SET "
            "granted = excluded.granted, date = excluded.date, source = excluded.source",
            (customer.id, channel, value, day, (source or "").strip() or None),
        )
        changes[f"consent.{channel}"] = (None if row is None else bool(row[0]), value)
    if do_not_contact is not None and do_not_contact != customer.do_not_contact:
        changes["do_not_contact"] = (customer.do_not_contact, do_not_contact)
        customer.do_not_contact = do_not_contact
    _save(
        session,
        customer,
        actor,
        "consent",
        changes | ({"source": (None, source)} if source else {}),
    )
