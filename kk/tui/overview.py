"""The first tab of a customer: base data with the address, business facts, statistics,
Microsoft 365 sync state; rendered as rich renderables from the service dicts."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kk.clock import local

KIND_TITLES = {"private": "Private person", "company": "Company"}


def _grid() -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    return grid


def _rows(grid: Table, pairs: list[tuple[str, Any]]) -> Table:
    for label, value in pairs:
        if value not in (None, "", []):
            grid.add_row(label, value if isinstance(value, Text) else str(value))
    return grid


def address_lines(record: dict[str, Any]) -> list[str]:
    """The postal address as it goes on a letter (DIN 5008 order)."""
    lines = []
    if record["kind"] == "company" and record["company_name"]:
        lines.append(record["company_name"])
    person = " ".join(
        p for p in (record["salutation"], record["title"], record["first_name"],
                    record["last_name"]) if p
    )  # fmt: skip
    if person and (record["kind"] == "private" or record["first_name"] or record["last_name"]):
        lines.append(person)
    if record["street"]:
        lines.append(record["street"])
    place = " ".join(p for p in (record["postal_code"], record["city"]) if p)
    if place:
        lines.append(place)
    if record["country"] and record["country"] != "DE":
        lines.append(record["country"])
    return lines


def card(record: dict[str, Any]) -> RenderableType:
    """Who and where: name, kind, number, address, how to reach them."""
    title = Text(record["display_name"] or "", style="bold")
    kind = KIND_TITLES.get(record["kind"], record["kind"])
    meta = Text(f"{kind} · {record['number']} · {', '.join(record['roles'])}", style="dim")
    address = Text("\n".join(address_lines(record)) or "no address")
    contact = _rows(_grid(), [
        ("Email", record["email"]),
        ("Phone", record["phone"]),
        ("Mobile", record["mobile"]),
        ("Web", record["website"]),
        ("Labels", ", ".join(record["labels"])),
        ("Notes", record["notes"]),
    ])  # fmt: skip
    return Group(title, meta, Text(""), address, Text(""), contact)


def _stamp(at: str | None, by: str | None) -> str | None:
    if not at:
        return None
    return local(at) + (f" by {by}" if by else "")


def facts(record: dict[str, Any], stats: dict[str, Any]) -> RenderableType:
    """Business data, record keeping, statistics and the sync state."""
    discount = f"{record['discount_percent']} %" if record["discount_percent"] else None
    business = _rows(_grid(), [
        ("VAT ID", record["vat_id"]),
        ("Tax number", record["tax_number"]),
        ("Register", record["register_number"]),
        ("Discount", discount),
        ("Do not contact", "yes" if record["do_not_contact"] else None),
        ("Template", "yes" if record["is_template"] else None),
        ("Created", _stamp(record["created_at"], record["created_by"])),
        ("Updated", _stamp(record["updated_at"], record["updated_by"])),
        ("Last activity", local(record["last_activity_at"]) or "none yet"),
    ])  # fmt: skip
    counts = Table.grid(padding=(0, 2))
    for _ in range(2):
        counts.add_column(style="bold", no_wrap=True)
        counts.add_column(justify="right")
    activities = f"{stats['activities_open']} open, {stats['activities_done']} done"
    counts.add_row("Persons", str(stats["persons"]), "Notes", str(stats["notes"]))
    counts.add_row("Addresses", str(stats["addresses"]), "Activities", activities)
    counts.add_row("Bank accounts", str(stats["bank_accounts"]), "Quotes", str(stats["quotes"]))
    counts.add_row("Documents", str(stats["documents"]), "Orders", str(stats["orders"]))
    counts.add_row("", "", "Invoices", str(stats["invoices"]))
    money = Table.grid(padding=(0, 2))
    money.add_column(style="bold", no_wrap=True)
    money.add_column(justify="right")
    for label, key in (("Invoiced", "total_invoiced"), ("Paid", "total_paid"),
                       ("Outstanding", "total_outstanding")):  # fmt: skip
        money.add_row(label, euros(stats[key]))
    return Group(
        business,
        Text(""),
        Text("Statistics", style="bold underline"),
        counts,
        money,
        Text(""),
        Text("Microsoft 365", style="bold underline"),
        sync_state(stats),
    )


def euros(amount: str | None) -> str:
    """A stored decimal amount as '1.234,56 €'."""
    from decimal import Decimal

    from kk.money import format_eur

    return format_eur(Decimal(amount or "0"))


def sync_state(stats: dict[str, Any]) -> Text:
    """The M365 contact sync state (a placeholder until the sync exists)."""
    status = stats.get("m365_status")
    if not status:
        return Text("not synced (Microsoft 365 sync is not set up)", style="dim")
    line = Text(status, style={"synced": "green", "pending": "yellow"}.get(status, "red"))
    if stats.get("m365_last_sync"):
        line.append(f" · last sync {local(stats['m365_last_sync'])}")
    if stats.get("m365_last_error"):
        line.append(f" · {stats['m365_last_error']}", style="red")
    return line
