"""`kk product …` as a user runs it: unique SKUs, Decimal prices typed either way, German
VAT rates, archive and restore."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Kk
from tests.records_helpers import company, fails, order, product

PRODUCT_KEYS = [
    "sku", "name", "unit", "unit_price", "vat_rate", "archived", "archived_at", "created_at",
    "updated_at",
]  # fmt: skip


def test_add_prints_the_sku_and_stores_the_price_as_a_decimal_string(kk: Kk) -> None:
    out = kk.ok("product", "add", "--sku", "P-100", "--name", "Beratung", "--unit", "h",
                "--price", "95.00", "--vat", "19")  # fmt: skip
    assert out == "P-100\n"
    shown = kk.json("product", "show", "p-100")  # case-insensitive lookup
    assert list(shown) == PRODUCT_KEYS
    assert (shown["sku"], shown["name"], shown["unit"]) == ("P-100", "Beratung", "h")
    assert (shown["unit_price"], shown["vat_rate"], shown["archived"]) == ("95.00", "19", False)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("95,00", "95.00"), ("95.00", "95.00"), ("95", "95.00"), ("1.234,50", "1234.50"),
     ("0,335", "0.335"), ("12.5", "12.50")],
)  # fmt: skip
def test_prices_typed_the_german_or_the_machine_way(kk: Kk, typed: str, stored: str) -> None:
    product(kk, price=typed)
    assert kk.json("product", "show", "P-100")["unit_price"] == stored


@pytest.mark.parametrize(("typed", "stored"), [("19", "19"), ("7", "7"), ("0", "0"),
                                               ("7 %", "7"), ("19,0", "19")])  # fmt: skip
def test_vat_rates(kk: Kk, typed: str, stored: str) -> None:
    product(kk, vat=typed)
    assert kk.json("product", "show", "P-100")["vat_rate"] == stored


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--sku", "P-2", "--name", "X", "--price", "10", "--vat", "16"), ["--vat", "16"]),
        (("--sku", "P-2", "--name", "X", "--price", "-1"), ["--price", "-1"]),
        (("--sku", "P-2", "--name", "X", "--price", "zehn"), ["--price", "zehn"]),
        (("--sku", "P-2", "--name", "X", "--price", "1.234"), ["--price", "1.234"]),
        (("--sku", "P-2", "--name", "X", "--price", "0.00001"), ["--price", "decimal places"]),
        (("--sku", "P-2", "--price", "10"), ["--name"]),
        (("--name", "X", "--price", "10"), ["--sku"]),
        (("--sku", "P-2", "--name", "X"), ["--price"]),
        (("--sku", "p-100", "--name", "X", "--price", "1"), ["--sku", "P-100", "exists"]),
    ],
)
def test_bad_products_are_refused(
    kk: Kk, db_path: Path, args: tuple[str, ...], words: list[str]
) -> None:
    product(kk)
    fails(kk, db_path, "product", "add", *args, words=words)


def test_list_edit_archive_restore(kk: Kk, db_path: Path) -> None:
    product(kk, "P-100", "Beratung")
    product(kk, "P-200", "Hosting", "12.50", "7")
    assert [p["sku"] for p in kk.json("product", "list")] == ["P-100", "P-200"]
    assert [p["sku"] for p in kk.json("product", "list", "--search", "host")] == ["P-200"]
    kk.ok("product", "edit", "P-200", "--price", "13,00", "--vat", "19", "--unset", "unit")
    edited = kk.json("product", "show", "P-200")
    assert (edited["unit_price"], edited["vat_rate"], edited["unit"]) == ("13.00", "19", None)
    assert kk.ok("product", "edit", "P-200", "--sku", "H-1") == "H-1\n"
    fails(kk, db_path, "product", "edit", "H-1", "--sku", "P-100", words=["P-100", "exists"])
    kk.ok("product", "archive", "H-1")
    assert [p["sku"] for p in kk.json("product", "list")] == ["P-100"]
    assert [p["sku"] for p in kk.json("product", "list", "--archived")] == ["H-1"]
    assert len(kk.json("product", "list", "--include-archived")) == 2
    fails(kk, db_path, "product", "archive", "H-1", words=["H-1", "archived already"])
    kk.ok("product", "restore", "H-1")
    assert len(kk.json("product", "list")) == 2


def test_product_changes_are_audited(kk: Kk, db_path: Path) -> None:
    import sqlite3
    from contextlib import closing

    product(kk)
    kk.ok("product", "edit", "P-100", "--price", "99")
    kk.ok("product", "archive", "P-100")
    with closing(sqlite3.connect(db_path)) as connection:
        rows = connection.execute(
            "SELECT action, field, old, new FROM audit_entry WHERE entity = 'product' ORDER BY id"
        ).fetchall()
    assert ("edit", "unit_price", "95.00", "99.00") in rows
    assert ("archive", "archived", "no", "yes") in rows
    assert rows[0][0] == "create"


def test_lines_keep_their_price_when_the_product_changes(kk: Kk, db_path: Path) -> None:
    company(kk)
    product(kk)
    number = order(kk)
    kk.ok("order", "line", "add", number, "--product", "P-100", "--qty", "2")
    kk.ok("product", "edit", "P-100", "--price", "120")
    line = kk.json("order", "show", number)["lines"][0]
    assert (line["unit_price"], line["net"], line["product"]) == ("95.00", "190.00", "P-100")


def test_archived_products_go_on_no_new_line(kk: Kk, db_path: Path) -> None:
    company(kk)
    product(kk)
    number = order(kk)
    kk.ok("product", "archive", "P-100")
    fails(kk, db_path, "order", "line", "add", number, "--product", "P-100",
          words=["P-100", "archived"])  # fmt: skip


def test_unknown_product(kk: Kk, db_path: Path) -> None:
    product(kk)
    fails(kk, db_path, "product", "show", "NOPE", words=["NOPE"])
    fails(kk, db_path, "product", "edit", "NOPE", "--name", "x", words=["NOPE"])
