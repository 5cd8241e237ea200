"""Shared set-up for the tests of notes, activities, products, orders and the overview:
customers as a user would create them, and the check every failing command must pass."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Kk, dump

#: Valid VAT IDs (checksums hold): a German customer, an Austrian one, the sender's.
VAT_DE = "DE136695976"
VAT_AT = "ATU13585627"
VAT_SENDER = "DE811907980"
DATE = "2026-11-23"


def company(kk: Kk, name: str = "Bäckerei Nüßl GmbH", *extra: str) -> str:
    return kk.ok(
        "customer", "add", "--kind", "company", "--company-name", name,
        "--street", "Königstraße 12", "--postal-code", "01067", "--city", "Dresden", *extra,
    ).strip()  # fmt: skip


def person(kk: Kk, first: str = "Jürgen", last: str = "Groß", *extra: str) -> str:
    return kk.ok("customer", "add", "--first-name", first, "--last-name", last, *extra).strip()


def product(
    kk: Kk, sku: str = "P-100", name: str = "Beratung", price: str = "95.00", vat: str = "19"
) -> str:
    return kk.ok(
        "product", "add", "--sku", sku, "--name", name, "--unit", "h", "--price", price,
        "--vat", vat,
    ).strip()  # fmt: skip


def order(
    kk: Kk, customer: str = "CUS-0001", kind: str = "quote", name: str = "Website", *extra: str
) -> str:
    return kk.ok(
        "order", "add", customer, "--kind", kind, "--name", name, "--date", DATE, *extra
    ).strip()


def fails(kk: Kk, db_path: Path, *args: str, words: list[str], user: str = "anna") -> str:
    """Exit 1, one clear line on stderr naming `words`, and not a single row changed."""
    before = dump(db_path)
    result = kk(*args, user=user)
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    assert dump(db_path) == before
    return str(result.stderr)
