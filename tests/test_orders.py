"""`kk order …` as a user runs it: numbers per kind and year, lines and discounts, statuses,
convert, Storno, immutable invoices, § 19 and reverse charge, and the bad inputs."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Kk, dump
from tests.records_helpers import DATE, VAT_AT, VAT_DE, company, fails, order, person, product

ORDER_KEYS = [
    "number", "kind", "status", "customer", "customer_name", "name", "description",
    "booking_date", "service_date", "due_date", "lines", "discount", "net_before_discount",
    "net_total", "vat_breakdown", "vat_total", "gross_total", "small_business",
    "reverse_charge", "customer_vat_id", "recipient", "labels", "source", "converted_to",
    "cancels", "cancelled_by", "issued_at", "paid_at", "created_at", "created_by", "updated_at",
]  # fmt: skip
AMOUNT = re.compile(r"-?\d+\.\d\d")


@pytest.fixture
def shop(kk: Kk) -> Kk:
    """Two customers (the first with 5 % discount and a label) and two products."""
    company(kk, "Bäckerei Nüßl GmbH", "--discount", "5", "--label", "VIP")
    person(kk)
    product(kk, "P-100", "Beratung", "95.00", "19")
    product(kk, "B-7", "Fachbuch", "39,90", "7")
    return kk


def test_numbers_run_per_kind_and_year_and_are_never_reused(shop: Kk) -> None:
    assert order(shop, kind="quote") == "AN-2026-0001"
    assert order(shop, kind="quote") == "AN-2026-0002"
    assert order(shop, kind="order") == "AU-2026-0001"
    assert order(shop, kind="invoice") == "RE-2026-0001"
    old = shop.ok("order", "add", "1", "--kind", "invoice", "--name", "Alt",
                  "--date", "30.12.2025").strip()  # fmt: skip
    assert old == "RE-2025-0001"
    shop.ok("order", "delete", "AN-2026-0002", "--yes")
    assert order(shop, kind="quote") == "AN-2026-0003"
    assert shop.json("order", "show", "an-2026-1")["number"] == "AN-2026-0001"


def test_show_json_has_the_stable_keys_and_decimal_strings(shop: Kk) -> None:
    number = order(shop, "CUS-0002", "invoice")
    shop.ok("order", "line", "add", number, "--product", "P-100", "--qty", "3")
    shop.ok("order", "line", "add", number, "--text", "Versand", "--price", "12,50",
            "--vat", "19", "--qty", "1", "--discount", "10%")  # fmt: skip
    shop.ok("order", "line", "add", number, "--product", "B-7", "--qty", "2")
    shown = shop.json("order", "show", number)
    assert list(shown) == ORDER_KEYS
    assert (shown["number"], shown["kind"], shown["status"], shown["customer"]) == (
        number, "invoice", "open", "CUS-0002",
    )  # fmt: skip
    assert [line["net"] for line in shown["lines"]] == ["285.00", "11.25", "79.80"]
    assert shown["lines"][1]["discount"] == {"kind": "percent", "value": "10", "amount": "1.25"}
    assert shown["discount"] is None
    assert shown["net_total"] == "376.05"
    assert shown["vat_breakdown"] == [
        {"rate": "19", "net": "296.25", "vat": "56.29"},
        {"rate": "7", "net": "79.80", "vat": "5.59"},
    ]
    assert (shown["vat_total"], shown["gross_total"]) == ("61.88", "437.93")
    for key in ("net_before_discount", "net_total", "vat_total", "gross_total"):
        assert isinstance(shown[key], str) and AMOUNT.fullmatch(shown[key])


def test_order_discount_in_percent_or_eur(shop: Kk, db_path: Path) -> None:
    number = order(shop, "CUS-0002")
    shop.ok("order", "line", "add", number, "--product", "P-100", "--qty", "2")
    shop.ok("order", "edit", number, "--discount", "10%")
    percent = shop.json("order", "show", number)
    assert percent["discount"] == {"kind": "percent", "value": "10", "amount": "19.00"}
    assert percent["net_total"] == "171.00"
    shop.ok("order", "edit", number, "--discount", "25,00")
    amount = shop.json("order", "show", number)
    assert amount["discount"] == {"kind": "amount", "value": "25.00", "amount": "25.00"}
    assert (amount["net_total"], amount["gross_total"]) == ("165.00", "196.35")
    fails(shop, db_path, "order", "edit", number, "--discount", "500", words=["--discount"])
    fails(shop, db_path, "order", "edit", number, "--discount", "120%", words=["--discount"])
    fails(shop, db_path, "order", "line", "remove", number, "1", words=["--discount"])
    shop.ok("order", "edit", number, "--unset", "discount")
    assert shop.json("order", "show", number)["discount"] is None


def test_a_new_record_takes_the_customers_discount_and_labels(shop: Kk) -> None:
    number = order(shop, "CUS-0001", "order")
    shown = shop.json("order", "show", number)
    assert shown["discount"]["kind"] == "percent" and shown["discount"]["value"] == "5"
    assert shown["labels"] == ["VIP"]
    chosen = order(shop, "CUS-0001", "order", "Ohne", "--discount", "0")
    assert shop.json("order", "show", chosen)["discount"] is None


def test_lines_edit_and_remove(shop: Kk, db_path: Path) -> None:
    number = order(shop, "CUS-0002")
    assert shop.ok("order", "line", "add", number, "--product", "P-100") == "1\n"
    assert shop.ok("order", "line", "add", number, "--product", "B-7", "--qty", "1,5") == "2\n"
    shop.ok("order", "line", "add", number, "--text", "Extra", "--price", "5")
    shop.ok("order", "line", "edit", number, "1", "--qty", "4", "--price", "90",
            "--discount", "5.00")  # fmt: skip
    first = shop.json("order", "show", number)["lines"][0]
    assert (first["quantity"], first["unit_price"], first["net"]) == ("4", "90.00", "355.00")
    shop.ok("order", "line", "remove", number, "2")
    lines = shop.json("order", "show", number)["lines"]
    assert [(line["position"], line["description"]) for line in lines] == [
        (1, "Beratung"), (2, "Extra"),
    ]  # fmt: skip
    assert lines[1]["vat_rate"] == "19"  # free text defaults to 19 %
    fails(shop, db_path, "order", "line", "remove", number, "9", words=[number, "line 9"])


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("order", "add", "CUS-0002", "--kind", "quote"), ["--name"]),
        (("order", "add", "CUS-0002", "--kind", "quote", "--name", "  "), ["--name"]),
        (("order", "add", "CUS-0002", "--name", "X"), ["--kind"]),
        (("order", "add", "CUS-0042", "--kind", "quote", "--name", "X"), ["CUS-0042"]),
        (
            ("order", "add", "CUS-0002", "--kind", "quote", "--name", "X", "--date", "31.02.2026"),
            ["--date", "31.02.2026"],
        ),
        (("order", "line", "add", "AN-2026-0001", "--product", "NOPE"), ["--product", "NOPE"]),
        (
            ("order", "line", "add", "AN-2026-0001", "--product", "P-100", "--qty", "-2"),
            ["--qty", "-2", "negative"],
        ),
        (("order", "line", "add", "AN-2026-0001", "--product", "P-100", "--qty", "0"), ["--qty"]),
        (("order", "line", "add", "AN-2026-0001", "--text", "Frei"), ["--price"]),
        (("order", "line", "add", "AN-2026-0001", "--price", "5"), ["--text"]),
        (
            ("order", "line", "add", "AN-2026-0001", "--text", "X", "--price", "5", "--vat", "16"),
            ["--vat", "16"],
        ),
        (
            ("order", "line", "add", "AN-2026-0001", "--product", "P-100", "--discount", "200.00"),
            ["--discount"],
        ),
        (("order", "edit", "AN-2026-0001", "--discount", "1000.00"), ["--discount"]),
        (("order", "status", "AN-2026-0001", "paid"), ["STATUS", "paid"]),
        (("order", "status", "AN-2026-0001", "draft"), ["AN-2026-0001", "draft"]),
        (("order", "show", "AN-2026-0099"), ["AN-2026-0099"]),
        (("order", "show", "XY-1"), ["XY-1"]),
        (("order", "convert", "AN-2026-0001", "--to", "invoice"), ["order first"]),
        (("order", "cancel", "AN-2026-0001"), ["AN-2026-0001", "only invoices"]),
    ],
)
def test_bad_input_exits_1_and_changes_nothing(
    shop: Kk, db_path: Path, args: tuple[str, ...], words: list[str]
) -> None:
    number = order(shop, "CUS-0002", "quote")
    shop.ok("order", "line", "add", number, "--product", "P-100")
    fails(shop, db_path, *args, words=words)


def test_quote_statuses(shop: Kk, db_path: Path) -> None:
    number = order(shop)
    assert shop.ok("order", "status", number, "sent") == "sent\n"
    shop.ok("order", "status", number, "ACCEPTED")
    assert shop.json("order", "show", number)["status"] == "accepted"
    fails(shop, db_path, "order", "status", number, "rejected", words=[number, "accepted"])
    fails(shop, db_path, "order", "line", "add", number, "--product", "P-100",
          words=[number, "accepted"])  # fmt: skip
    other = order(shop)
    shop.ok("order", "status", other, "rejected")  # straight from draft
    fails(shop, db_path, "order", "convert", other, words=[other, "rejected"])


def test_convert_quote_to_order_to_invoice_keeps_the_lines(shop: Kk, db_path: Path) -> None:
    quote = order(shop, "CUS-0001", "quote")
    shop.ok("order", "line", "add", quote, "--product", "P-100", "--qty", "2")
    shop.ok(
        "order", "line", "add", quote, "--text", "Anfahrt", "--price", "30", "--discount", "10%"
    )
    assert shop.ok("order", "convert", quote, "--to", "order", "--date", DATE) == "AU-2026-0001\n"
    assert shop.json("order", "show", quote)["status"] == "accepted"
    fails(shop, db_path, "order", "convert", quote, words=[quote, "AU-2026-0001"])
    assert shop.ok("order", "convert", "AU-2026-0001", "--date", DATE) == "RE-2026-0001\n"
    source = shop.json("order", "show", quote)
    invoice = shop.json("order", "show", "RE-2026-0001")
    assert shop.json("order", "show", "AU-2026-0001")["status"] == "done"
    assert (invoice["kind"], invoice["status"], invoice["source"]) == (
        "invoice", "open", "AU-2026-0001",
    )  # fmt: skip
    assert invoice["lines"] == source["lines"]
    assert invoice["discount"] == source["discount"] and invoice["labels"] == ["VIP"]
    assert invoice["gross_total"] == source["gross_total"]
    fails(shop, db_path, "order", "convert", "RE-2026-0001", words=["invoice"])


def test_an_open_order_goes_straight_to_an_invoice(shop: Kk) -> None:
    number = order(shop, "CUS-0002", "order")
    shop.ok("order", "line", "add", number, "--product", "P-100")
    invoice = shop.ok("order", "convert", number, "--to", "invoice").strip()
    assert invoice.startswith("RE-")
    assert shop.json("order", "show", number)["status"] == "done"


def test_invoice_dates_and_payment_days(shop: Kk) -> None:
    number = order(shop, "CUS-0002", "invoice")
    shown = shop.json("order", "show", number)
    assert (shown["booking_date"], shown["service_date"], shown["due_date"]) == (
        DATE, DATE, "2026-12-07",
    )  # fmt: skip
    shop.ok("config", "set", "invoice.payment_days", "30")
    later = order(shop, "CUS-0002", "invoice", "X", "--service-date", "01.11.2026")
    shown = shop.json("order", "show", later)
    assert (shown["service_date"], shown["due_date"]) == ("2026-11-01", "2026-12-23")
    shop.ok("order", "edit", later, "--due-date", "2027-01-15")
    assert shop.json("order", "show", later)["due_date"] == "2027-01-15"


def test_an_issued_invoice_is_immutable(shop: Kk, db_path: Path) -> None:
    number = order(shop, "CUS-0002", "invoice")
    shop.ok("order", "line", "add", number, "--product", "P-100")
    shop.ok("order", "issue", number)
    assert shop.json("order", "show", number)["issued_at"]
    for args in (
        ("order", "edit", number, "--name", "Neu"),
        ("order", "edit", number, "--discount", "10%"),
        ("order", "line", "add", number, "--product", "P-100"),
        ("order", "line", "edit", number, "1", "--qty", "2"),
        ("order", "line", "remove", number, "1"),
        ("order", "delete", number, "--yes"),
        ("order", "issue", number),
    ):
        fails(shop, db_path, *args, words=[number])


def test_invoice_payment_and_status_rules(shop: Kk, db_path: Path) -> None:
    number = order(shop, "CUS-0002", "invoice")
    shop.ok("order", "line", "add", number, "--product", "P-100")
    fails(shop, db_path, "order", "status", number, "cancelled", words=["kk order cancel"])
    shop.ok("order", "status", number, "paid")
    paid = shop.json("order", "show", number)
    assert paid["status"] == "paid" and paid["paid_at"] and paid["issued_at"]
    shop.ok("order", "status", number, "open")
    assert shop.json("order", "show", number)["paid_at"] is None
    fails(shop, db_path, "order", "status", number, "open", words=["open already"])
    order_number = order(shop, "CUS-0002", "order")
    shop.ok("order", "status", order_number, "done")
    shop.ok("order", "status", order_number, "open")
    shop.ok("order", "status", order_number, "cancelled")
    fails(shop, db_path, "order", "status", order_number, "open", words=["cancelled"])


def test_cancel_creates_the_storno_with_negated_lines(shop: Kk, db_path: Path) -> None:
    number = order(shop, "CUS-0001", "invoice")
    shop.ok("order", "line", "add", number, "--product", "P-100", "--qty", "3")
    shop.ok("order", "line", "add", number, "--product", "B-7")
    storno = shop.ok("order", "cancel", number, "--date", DATE).strip()
    assert storno == "RE-2026-0002"
    original = shop.json("order", "show", number)
    mirror = shop.json("order", "show", storno)
    assert (original["status"], original["cancelled_by"]) == ("cancelled", storno)
    assert (mirror["cancels"], mirror["kind"], mirror["status"]) == (number, "invoice", "paid")
    assert mirror["issued_at"]
    assert [line["quantity"] for line in mirror["lines"]] == ["-3", "-1"]
    for key in ("net_before_discount", "net_total", "vat_total", "gross_total"):
        assert mirror[key] == "-" + original[key]
    assert [v["vat"] for v in mirror["vat_breakdown"]] == [
        "-" + v["vat"] for v in original["vat_breakdown"]
    ]
    fails(shop, db_path, "order", "cancel", number, words=[number, "cancelled already"])
    fails(shop, db_path, "order", "cancel", storno, words=[storno, "cancellation invoice"])
    fails(shop, db_path, "order", "line", "add", storno, "--product", "P-100", words=[storno])
    actions = {(e["entity_id"], e["action"]) for e in shop.json("customer", "history", "1")}
    assert {(number, "cancel"), (storno, "create")} <= actions


def test_cancelling_a_paid_invoice_leaves_a_refund_open(shop: Kk) -> None:
    number = order(shop, "CUS-0002", "invoice")
    shop.ok("order", "line", "add", number, "--product", "P-100")
    shop.ok("order", "status", number, "paid")
    storno = shop.ok("order", "cancel", number).strip()
    assert shop.json("order", "show", storno)["status"] == "open"
    shop.ok("order", "status", storno, "paid")


def test_small_business_mode_charges_no_vat(shop: Kk) -> None:
    shop.ok("config", "set", "invoice.small_business", "yes")
    number = order(shop, "CUS-0002", "invoice")
    shop.ok("order", "line", "add", number, "--product", "P-100")
    shown = shop.json("order", "show", number)
    assert shown["small_business"] is True and shown["reverse_charge"] is False
    assert (shown["vat_total"], shown["gross_total"]) == ("0.00", "95.00")


@pytest.mark.parametrize(
    ("extra", "reverse"),
    [(("--vat-id", VAT_AT, "--country", "AT", "--postal-code", "1010"), True),
     (("--vat-id", VAT_DE), False), ((), False)],
)  # fmt: skip
def test_reverse_charge_for_eu_business_customers_with_a_foreign_vat_id(
    kk: Kk, extra: tuple[str, ...], reverse: bool
) -> None:
    kk.ok("customer", "add", "--kind", "company", "--company-name", "Wiener Wäscherei GmbH",
          "--street", "Ring 1", "--city", "Wien", *extra)  # fmt: skip
    product(kk)
    number = order(kk, "CUS-0001", "invoice")
    kk.ok("order", "line", "add", number, "--product", "P-100")
    shown = kk.json("order", "show", number)
    assert shown["reverse_charge"] is reverse
    assert shown["vat_total"] == ("0.00" if reverse else "18.05")
    if extra:
        assert shown["customer_vat_id"] == extra[1]


def test_private_customers_never_get_reverse_charge(kk: Kk) -> None:
    person(kk, "Anna", "Österreicher", "--country", "AT", "--postal-code", "1010")
    number = order(kk, "CUS-0001", "invoice")
    assert kk.json("order", "show", number)["reverse_charge"] is False


def test_the_address_block_uses_the_billing_address(shop: Kk) -> None:
    shop.ok("customer", "address", "add", "1", "--purpose", "billing", "--name", "Buchhaltung",
            "--street", "Postfach 12", "--postal-code", "01069", "--city", "Dresden")  # fmt: skip
    number = order(shop, "CUS-0001", "quote")
    assert shop.json("order", "show", number)["recipient"] == [
        "Bäckerei Nüßl GmbH", "Buchhaltung", "Postfach 12", "01069 Dresden",
    ]  # fmt: skip


def test_only_draft_quotes_can_be_deleted(shop: Kk, db_path: Path) -> None:
    quote = order(shop)
    shop.ok("note", "add", quote, "dazu")
    fails(shop, db_path, "order", "delete", quote, words=["--yes"])
    shop.ok("order", "delete", quote, "--yes")
    fails(shop, db_path, "order", "show", quote, words=[quote])
    assert shop.json("note", "show", "1")["order"] is None  # the note stays, unlinked
    entry = shop.json("customer", "history", "1")[0]
    assert (entry["entity_id"], entry["action"]) == (quote, "delete")
    sent = order(shop)
    shop.ok("order", "status", sent, "sent")
    fails(shop, db_path, "order", "delete", sent, "--yes", words=[sent, "draft"])
    fails(shop, db_path, "order", "delete", order(shop, kind="order"), "--yes", words=["draft"])


def test_archived_customers_get_no_new_orders_but_can_be_read(shop: Kk, db_path: Path) -> None:
    number = order(shop, "CUS-0002", "invoice")
    shop.ok("customer", "archive", "2", "--yes")
    fails(shop, db_path, "order", "add", "2", "--kind", "quote", "--name", "X",
          words=["CUS-0002", "archived"])  # fmt: skip
    fails(shop, db_path, "order", "line", "add", number, "--product", "P-100",
          words=["CUS-0002", "archived"])  # fmt: skip
    assert shop.json("order", "show", number)["number"] == number
    assert [r["number"] for r in shop.json("order", "list")] == [number]


def test_list_filters_and_pages(shop: Kk) -> None:
    for kind in ("quote", "order", "invoice", "invoice"):
        order(shop, "CUS-0002", kind)
    order(shop, "CUS-0001", "quote", "Früher", "--date", "2026-01-05")
    rows = shop.json("order", "list")
    assert rows[-1]["name"] == "Früher"  # newest booking first
    assert list(rows[0]) == ["number", "kind", "status", "customer", "customer_name", "name",
                             "booking_date", "due_date", "net_total", "gross_total"]  # fmt: skip
    assert len(shop.json("order", "list", "--kind", "invoice")) == 2
    assert len(shop.json("order", "list", "CUS-0001")) == 1
    assert len(shop.json("order", "list", "--status", "draft")) == 2
    first = shop("order", "list", "--limit", "3")
    token = first.stderr.split("--after", 1)[1].split()[0]
    second = shop.ok("order", "list", "--limit", "3", "--after", token)
    assert "Früher" in second and "Früher" not in first.stdout


def test_orders_keep_the_customers_last_activity(shop: Kk) -> None:
    number = order(shop, "CUS-0002", "quote")
    created = shop.json("order", "show", number)["created_at"]
    assert shop.json("customer", "show", "2")["last_activity_at"] == created


def test_write_commands_print_json_with_format_json(shop: Kk) -> None:
    shown = shop.json("order", "add", "2", "--kind", "quote", "--name", "J", "--date", DATE)
    assert shown["number"] == "AN-2026-0001" and shown["lines"] == []
    after_line = shop.json("order", "line", "add", "AN-2026-0001", "--product", "P-100")
    assert after_line["gross_total"] == "113.05"


def test_no_float_ever_reaches_the_json(shop: Kk) -> None:
    number = order(shop, "CUS-0001", "invoice")
    shop.ok("order", "line", "add", number, "--product", "B-7", "--qty", "0,5")
    text = shop.ok("order", "show", number, "--format", "json")

    def no_float(value: str) -> Any:
        raise AssertionError(f"float in JSON: {value}")

    json.loads(text, parse_float=no_float)


ADDER = """
import sys
from typer.testing import CliRunner
from kk.cli import app
runner = CliRunner()
for i in range(int(sys.argv[2])):
    r = runner.invoke(app, ["--db", sys.argv[1], "--user", "anna", "order", "add", "1",
                            "--kind", "invoice", "--name", f"N{i}", "--date", "2026-11-23"])
    assert r.exit_code == 0, r.output
    sys.stdout.write(r.stdout)
"""


def test_numbers_stay_sequential_under_two_concurrent_processes(kk: Kk, db_path: Path) -> None:
    import subprocess
    import sys

    company(kk)
    per_process = 20
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", ADDER, str(db_path), str(per_process)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=300) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    printed = [line for out, _err in outputs for line in out.split()]
    expected = [f"RE-2026-{n:04d}" for n in range(1, 2 * per_process + 1)]
    assert sorted(printed) == expected
    stored = [r["number"] for r in kk.json("order", "list", "--all")]
    assert sorted(stored) == expected


def test_dump_is_unchanged_by_reads(shop: Kk, db_path: Path) -> None:
    number = order(shop, "CUS-0001", "invoice")
    before = dump(db_path)
    shop.ok("order", "show", number)
    shop.ok("order", "list")
    assert dump(db_path) == before
    assert dt.date.fromisoformat(shop.json("order", "show", number)["due_date"])


# --- money through the order services, with hypothesis -------------------------------------

CENT = __import__("decimal").Decimal("0.01")


def _cents(value: Any) -> Any:
    from decimal import ROUND_HALF_UP

    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _amount(text: Any) -> Any:
    from decimal import Decimal

    assert isinstance(text, str) and AMOUNT.fullmatch(text), text
    return Decimal(text)


def _lines() -> Any:
    from decimal import Decimal

    from hypothesis import strategies as st

    quantity = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(500), places=2)
    price = st.decimals(min_value=Decimal(0), max_value=Decimal(5000), places=2)
    rate = st.sampled_from(["19", "7", "0"])
    line_discount = st.one_of(
        st.none(),
        st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=1).map(lambda d: f"{d}%"),
        st.decimals(min_value=Decimal(0), max_value=Decimal(20), places=2).map(str),
    )
    return st.lists(st.tuples(quantity, price, rate, line_discount), min_size=1, max_size=5)


def _order_discount() -> Any:
    from decimal import Decimal

    from hypothesis import strategies as st

    return st.one_of(
        st.none(),
        st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=2).map(lambda d: f"{d}%"),
        st.decimals(min_value=Decimal(0), max_value=Decimal(3000), places=2).map(str),
    )


def test_totals_are_the_sum_of_their_parts_and_the_storno_mirrors_them(db_path: Path) -> None:
    """Line nets, discounts in % and EUR, mixed VAT rates: every printed total is the exact
    sum of the printed parts, and cancelling gives the exact negation."""
    from contextlib import closing
    from decimal import Decimal

    from hypothesis import HealthCheck, given, settings

    from kk import db
    from kk.errors import ValidationFailed
    from kk.services import order_read, orders
    from kk.services.users import Actor

    actor = Actor("anna", "admin")
    with closing(db.connect(db_path)) as connection:
        from kk.services.record_base import transaction

        with transaction(connection):
            connection.execute(
                "INSERT INTO customer (id, number, kind, company_name, display_name, sort_key, "
                "created_at, updated_at) VALUES (1, 'CUS-0001', 'company', 'Nüßl GmbH', "
                "'Nüßl GmbH', 'nussl gmbh', '2026-01-01T00:00:00+00:00', "
                "'2026-01-01T00:00:00+00:00')"
            )

        @settings(max_examples=60, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
        @given(lines=_lines(), discount=_order_discount())
        def check(
            lines: list[tuple[Decimal, Decimal, str, str | None]], discount: str | None
        ) -> None:
            number = orders.add_order(
                connection, "1", kind="invoice", name="H", date=DATE, actor=actor
            )
            expected_nets = []
            for quantity, price, rate, line_discount in lines:
                amount = _cents(quantity * price)
                taken = Decimal(0)
                if line_discount and line_discount.endswith("%"):
                    taken = _cents(amount * Decimal(line_discount[:-1]) / 100)
                elif line_discount:
                    taken = Decimal(line_discount)
                try:
                    orders.add_line(
                        connection, number, text_value="Posten", price=str(price), vat=rate,
                        qty=str(quantity), discount=line_discount, actor=actor,
                    )  # fmt: skip
                except ValidationFailed as error:
                    assert taken > amount and error.field == "discount"
                    continue
                expected_nets.append(amount - taken)
            net_before = sum(expected_nets, Decimal("0.00"))
            if discount is not None:
                try:
                    orders.edit_order(connection, number, changes={"discount": discount},
                                      actor=actor)  # fmt: skip
                except ValidationFailed as error:
                    assert not discount.endswith("%") and Decimal(discount) > net_before
                    assert error.field == "discount"
            shown = order_read.get_order(connection, number)
            json.loads(json.dumps(shown), parse_float=lambda v: pytest.fail(f"float {v}"))
            assert [_amount(line["net"]) for line in shown["lines"]] == expected_nets
            assert _amount(shown["net_before_discount"]) == net_before
            taken_total = _amount(shown["discount"]["amount"]) if shown["discount"] else 0
            assert _amount(shown["net_total"]) == net_before - taken_total
            breakdown = shown["vat_breakdown"]
            assert sum(_amount(row["net"]) for row in breakdown) == _amount(shown["net_total"])
            for row in breakdown:
                assert _amount(row["vat"]) == _cents(
                    _amount(row["net"]) * Decimal(row["rate"]) / 100
                )
            assert sum(_amount(row["vat"]) for row in breakdown) == _amount(shown["vat_total"])
            assert _amount(shown["net_total"]) + _amount(shown["vat_total"]) == _amount(
                shown["gross_total"]
            )
            storno = order_read.get_order(
                connection, orders.cancel_invoice(connection, number, date=DATE, actor=actor)
            )
            for key in ("net_before_discount", "net_total", "vat_total", "gross_total"):
                assert _amount(storno[key]) == -_amount(shown[key])
            assert [_amount(line["net"]) for line in storno["lines"]] == [
                -net for net in expected_nets
            ]

        check()
