"""`kk customer show` sums up what happened with a customer: counts, money invoiced, paid
and outstanding, the last activity, and the newest records of each kind."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import Kk
from tests.records_helpers import company, order, person, product

STATISTICS_KEYS = [
    "notes", "activities_open", "activities_done", "quotes", "orders", "invoices",
    "total_invoiced", "total_paid", "total_outstanding", "last_activity_at",
]  # fmt: skip
RECENT_KEYS = ["notes", "activities", "quotes", "orders", "invoices"]


@pytest.fixture
def shop(kk: Kk) -> Kk:
    company(kk)
    person(kk)
    product(kk, "P-100", "Beratung", "100.00", "19")
    return kk


def _invoice(kk: Kk, customer: str = "CUS-0001", qty: str = "1") -> str:
    number = order(kk, customer, "invoice", "Rechnung")
    kk.ok("order", "line", "add", number, "--product", "P-100", "--qty", qty)
    return number


def test_a_new_customer_has_an_empty_overview(shop: Kk) -> None:
    shown = shop.json("customer", "show", "1")
    assert list(shown["statistics"]) == STATISTICS_KEYS
    assert shown["statistics"] == {
        "notes": 0, "activities_open": 0, "activities_done": 0, "quotes": 0, "orders": 0,
        "invoices": 0, "total_invoiced": "0.00", "total_paid": "0.00",
        "total_outstanding": "0.00", "last_activity_at": None,
    }  # fmt: skip
    assert shown["recent"] == {key: [] for key in RECENT_KEYS}


def test_counts_and_recent_records(shop: Kk) -> None:
    shop.ok("note", "add", "1", "eins")
    shop.ok("note", "add", "1", "zwei")
    shop.ok("note", "add", "2", "fremd")
    shop.ok("activity", "add", "1", "--name", "offen")
    shop.ok("activity", "add", "1", "--name", "fertig")
    shop.ok("activity", "done", "2")
    quote = order(shop, "CUS-0001", "quote")
    shop.ok("order", "add", "1", "--kind", "order", "--name", "Auftrag", "--date", "2026-11-20")
    _invoice(shop)
    stats = shop.json("customer", "show", "1")["statistics"]
    assert (stats["notes"], stats["activities_open"], stats["activities_done"]) == (2, 1, 1)
    assert (stats["quotes"], stats["orders"], stats["invoices"]) == (1, 1, 1)
    recent = shop.json("customer", "show", "1")["recent"]
    assert list(recent) == RECENT_KEYS
    assert [n["text"] for n in recent["notes"]] == ["zwei", "eins"]
    assert {a["name"] for a in recent["activities"]} == {"offen", "fertig"}
    assert [q["number"] for q in recent["quotes"]] == [quote]
    assert recent["orders"][0]["name"] == "Auftrag"
    assert recent["invoices"][0]["gross_total"] == "119.00"


def test_recent_shows_five_by_default_and_more_on_request(shop: Kk) -> None:
    for n in range(7):
        shop.ok("note", "add", "1", f"Notiz {n}")
    assert [n["text"] for n in shop.json("customer", "show", "1")["recent"]["notes"]] == [
        f"Notiz {n}" for n in (6, 5, 4, 3, 2)
    ]
    assert len(shop.json("customer", "show", "1", "--recent", "7")["recent"]["notes"]) == 7
    assert shop.json("customer", "show", "1", "--recent", "0")["recent"]["notes"] == []


def test_money_invoiced_paid_and_outstanding(shop: Kk) -> None:
    def totals() -> tuple[str, str, str]:
        s = shop.json("customer", "show", "1")["statistics"]
        assert Decimal(s["total_invoiced"]) == Decimal(s["total_paid"]) + Decimal(
            s["total_outstanding"]
        )
        return s["total_invoiced"], s["total_paid"], s["total_outstanding"]

    open_one = _invoice(shop)  # 119.00
    paid_one = _invoice(shop, qty="2")  # 238.00
    _invoice(shop, "CUS-0002", "5")  # another customer's
    order(shop, "CUS-0001", "quote")  # quotes are no money
    assert totals() == ("357.00", "0.00", "357.00")
    shop.ok("order", "status", paid_one, "paid")
    assert totals() == ("357.00", "238.00", "119.00")
    shop.ok("order", "cancel", open_one)  # an unpaid invoice cancelled: nothing is owed
    assert totals() == ("238.00", "238.00", "0.00")
    refund = shop.ok("order", "cancel", paid_one).strip()  # a paid one: a refund is due
    assert totals() == ("0.00", "238.00", "-238.00")
    shop.ok("order", "status", refund, "paid")
    assert totals() == ("0.00", "0.00", "0.00")


def test_last_activity_follows_notes_activities_and_orders(shop: Kk) -> None:
    shop.ok("note", "add", "1", "a")
    first = shop.json("customer", "show", "1")["statistics"]["last_activity_at"]
    assert first == shop.json("note", "show", "1")["created_at"]
    number = order(shop, "CUS-0001", "quote")
    stamp = shop.json("order", "show", number)["created_at"]
    shown = shop.json("customer", "show", "1")
    assert shown["last_activity_at"] == shown["statistics"]["last_activity_at"] == stamp
    assert stamp >= first


def test_table_mode_prints_the_statistics_and_recent_sections(shop: Kk) -> None:
    shop.ok("note", "add", "1", "Erste Zeile\nzweite Zeile")
    _invoice(shop)
    out = shop.ok("customer", "show", "1")
    for title in ("Statistics", "Recent notes", "Recent invoices", "Outstanding EUR"):
        assert title in out
    notes = out.split("Recent notes", 1)[1].split("Recent invoices", 1)[0]
    assert "Erste Zeile" in notes and "zweite Zeile" not in notes  # the first line only
    assert "119.00" in out


def test_csv_show_still_works(shop: Kk) -> None:
    shop.ok("note", "add", "1", "x")
    out = shop.ok("customer", "show", "1", "--format", "csv")
    assert out.splitlines()[0].startswith("number,")
