"""`kk customer filter EXPR` through the CLI on a real database: every field and operator,
the sort and paging flags, and errors that point at the character that is wrong."""

from __future__ import annotations

import shutil
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest

from kk import db
from tests.conftest import Kk, dump
from tests.search_helpers import sql

IBAN = "DE89370400440532013000"


def numbers(kk: Kk, *args: str) -> list[str]:
    return [row["number"] for row in kk.json("customer", "filter", *args)]


@pytest.fixture(scope="module")
def shop_file(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Path:
    """Built once per module (the expression tests only read): see `shop`."""
    folder = tmp_path_factory.mktemp("shop")
    path = folder / "shop.db"
    shutil.copyfile(migrated_template, path)
    with pytest.MonkeyPatch.context() as env:
        for name in ("KK_DB", "KK_USER", "KK_FORMAT"):
            env.delenv(name, raising=False)
        env.setenv("KK_CONFIG", str(folder / "config.toml"))
        _fill(Kk(path), path)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.forget(path)
    return path


@pytest.fixture
def shop(shop_file: Path, db_path: Path) -> Kk:
    """Five customers that differ in every field a filter can ask about (a fresh copy)."""
    shutil.copyfile(shop_file, db_path)
    db.forget(db_path)
    return Kk(db_path)


CUSTOMERS = [
    ("--kind", "company", "--company-name", "Alpha Bau GmbH", "--city", "Berlin",
     "--postal-code", "10115", "--email", "info@alpha.de", "--vat-id", "DE136695976",
     "--label", "VIP", "--label", "SLA Gold", "--role", "customer", "--role", "supplier"),
    ("--first-name", "Jürgen", "--last-name", "Müller", "--city", "Frankfurt am Main",
     "--postal-code", "60311", "--phone", "069 123456", "--label", "churned"),
    ("--first-name", "Anna", "--last-name", "Schmidt", "--city", "Wien", "--postal-code", "1010",
     "--country", "AT", "--email", "anna@example.org", "--label", "Über"),
    ("--kind", "company", "--company-name", "Gamma Handel KG", "--city", "Frankfurt (Oder)",
     "--postal-code", "01067", "--role", "supplier"),
    ("--first-name", "Otto", "--last-name", "Normal", "--city", "Frankfurter Berg"),
]  # fmt: skip


def _fill(kk: Kk, db_path: Path) -> None:
    for args in CUSTOMERS:
        kk.ok("customer", "add", *args)
    kk.ok("customer", "bank", "add", "1", "--method", "sepa", "--iban", IBAN)
    kk.ok("customer", "person", "add", "4", "--first-name", "Uwe", "--last-name", "Lang")
    kk.ok("customer", "consent", "1", "--newsletter", "yes")
    kk.ok("customer", "consent", "2", "--newsletter", "yes", "--do-not-contact", "yes")
    kk.ok("customer", "consent", "3", "--newsletter", "no", "--email", "yes")
    for number, created, updated, activity in [
        (1, "2017-10-25T12:00:00+00:00", "2025-03-01T12:00:00+00:00", "2017-10-25T12:00:00+00:00"),
        (2, "2017-10-26T12:00:00+00:00", "2025-03-02T12:00:00+00:00", "2017-10-26T12:00:00+00:00"),
        (3, "2017-10-27T12:00:00+00:00", "2025-03-03T12:00:00+00:00", "2024-12-31T12:00:00+00:00"),
        (4, "2025-01-01T12:00:00+00:00", "2025-03-04T12:00:00+00:00", None),
        (5, "2025-06-30T12:00:00+00:00", "2025-03-05T12:00:00+00:00", None),
    ]:
        sql(db_path, "UPDATE customer SET created_at = ?, updated_at = ?, last_activity_at = ? "
            "WHERE id = ?", created, updated, activity, number)  # fmt: skip
    kk.ok("customer", "archive", "5", "--yes")
    sql(db_path, "UPDATE customer SET archived_at = '2025-07-01T12:00:00+00:00' WHERE id = 5")


def cus(*ids: int) -> list[str]:
    return [f"CUS-{i:04d}" for i in ids]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("kind:company", [1, 4]), ("kind:private", [2, 3]), ("-kind:company", [2, 3]),
        ("city:berlin", [1]), ("city:BERLIN", [1]), ('city:"frankfurt am main"', [2]),
        ("city:frankfurt", [2, 4]), ("city:frank*", [2, 4]), ("-city:frankfurt", [1, 3]),
        ("postal_code:01067", [4]), ("postal_code:01*", [4]), ("postal-code:1*", [1, 3]),
        ("country:at", [3]), ("country:DE", [1, 2, 4]), ("-country:de", [3]),
        ("label:vip", [1]), ("label:VIP", [1]), ('label:"sla gold"', [1]), ("label:über", [3]),
        ("label:ÜBER", [3]), ("-label:churned", [1, 3, 4]), ("label:nix", []),
        ("role:supplier", [1, 4]), ("role:customer", [1, 2, 3]),
        ("consent:newsletter", [1]), ("consent:email", [3]), ("-consent:newsletter", [2, 3, 4]),
        ("created:2017-10-26", [2]), ("created:26.10.2017", [2]),
        ("created<26.10.2017", [1]), ("created<=2017-10-26", [1, 2]),
        ("created>2017-10-26", [3, 4]), ("created>=26.10.2017", [2, 3, 4]),
        ("created>=2025-01-01", [4]), ("created>=1.1.2025", [4]),
        ("updated:2025-03-02", [2]), ("updated>2025-03-03", [4]), ("updated<=02.03.2025", [1, 2]),
        ("last_activity<26.10.2017", [1]), ("last_activity>=2017-10-26", [2, 3]),
        ("last_activity:31.12.2024", [3]), ("-last_activity<2018-01-01", [3, 4]),
        ("has:email", [1, 3]), ("-has:email", [2, 4]), ("has:vat_id", [1]), ("has:bank", [1]),
        ("has:phone", [2]), ("has:person", [4]), ("has:labels", [1, 2, 3]),
        ("has:activity", [1, 2, 3]), ("-has:activity", [4]), ("has:address", []),
        ("archived:no", [1, 2, 3, 4]), ("archived:yes", [5]), ("archived:false", [1, 2, 3, 4]),
        ("bau", [1]), ("müller", [2]), ("MUELLER", [2]), ("-müller", [1, 3, 4]), ("uwe", [4]),
        ('"alpha bau"', [1]), ('"bau alpha"', []), ("@alpha.de", [1]), ("069/123456", [2]),
        ("kind:company city:berlin label:vip -label:churned created<2025-01-01", [1]),
        ("kind:company -has:bank frankfurt", [4]), ("", [1, 2, 3, 4]),
    ],
)  # fmt: skip
def test_every_field_and_operator(shop: Kk, expression: str, expected: list[int]) -> None:
    assert numbers(shop, expression, "--sort", "number") == cus(*expected)


def test_archived_flags_widen_a_filter(shop: Kk) -> None:
    assert numbers(shop, "frankfurter", "--archived") == cus(5)
    assert numbers(shop, "city:frankfurter", "--include-archived") == cus(5)
    assert numbers(shop, "kind:private", "--include-archived", "--sort", "number") == cus(2, 3, 5)
    assert numbers(shop, "archived:yes kind:private") == cus(5)


def test_sort_desc_limit_all_and_after(shop: Kk) -> None:
    assert numbers(shop, "") == cus(1, 4, 2, 3)  # by name: Alpha, Gamma, Müller, Schmidt
    assert numbers(shop, "", "--desc") == cus(3, 2, 4, 1)
    assert numbers(shop, "", "--sort", "created", "--desc") == cus(4, 3, 2, 1)
    assert numbers(shop, "", "--sort", "number", "--desc") == cus(4, 3, 2, 1)
    assert numbers(shop, "", "--sort", "last_activity") == cus(4, 1, 2, 3)
    assert numbers(shop, "", "--sort", "last_activity", "--desc") == cus(3, 2, 1, 4)
    first = shop("customer", "filter", "-kind:private", "--limit", "1")
    assert first.exit_code == 0 and first.stdout.count("CUS-") == 1
    token = first.stderr.splitlines()[-1].removeprefix("--after ")
    rest = numbers(shop, "-kind:private", "--limit", "1", "--after", token)
    assert rest == cus(4)
    assert numbers(shop, "", "--all", "--limit", "1") == cus(1, 4, 2, 3)
    for fmt in ("csv", "jsonl"):
        out = shop.ok("customer", "filter", "kind:company", "--format", fmt)
        assert out.count("CUS-") == 2


def test_expression_may_be_given_as_several_words(shop: Kk) -> None:
    assert numbers(shop, "kind:company", "city:berlin") == cus(1)
    assert numbers(shop, "kind:private", "-has:email", "-label:churned") == []
    assert numbers(shop, "-kind:company", "-has:email") == cus(2)
    dashed = shop("customer", "filter", "--format", "csv", "--", "-kind:company", "müller")
    assert dashed.exit_code == 0 and dashed.stdout.count("CUS-") == 1


@pytest.mark.parametrize(
    ("expression", "position", "fragment"),
    [
        ("created>=31.02.2025", 10, "expected a date"),
        ("kind:compnay", 6, "'private' or 'company'"),
        ("citty:berlin", 1, "did you mean 'city'"),
        ('city:berlin "sla gold', 13, "unclosed quote"),
        ("kind:company created=>2025-01-01", 22, "expected a date"),
        ("label:", 7, "expected a value"),
        ("kind<company", 5, "only with the date fields"),
        ("has:fax", 5, "one of"),
        ("archived:maybe", 10, "yes, no"),
        ("country:deu", 9, "two-letter"),
        ("postal_code:0*1", 13, "only at its end"),
        ("- kind:company", 1, "expected a term"),
    ],
)  # fmt: skip
def test_bad_expressions_exit_1_naming_the_position(
    shop: Kk, db_path: Path, expression: str, position: int, fragment: str
) -> None:
    before = dump(db_path)
    result = shop("customer", "filter", "--", expression)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"kk: filter: position {position}: ")
    assert fragment in result.stderr and result.stderr.count("\n") == 1
    assert result.stdout == ""
    assert dump(db_path) == before


def test_a_day_is_a_day_of_the_local_time_zone(
    kk: Kk, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kk.ok("customer", "add", "--first-name", "Sommer", "--last-name", "Zeit")
    kk.ok("customer", "add", "--first-name", "Winter", "--last-name", "Zeit")
    sql(db_path, "UPDATE customer SET created_at = '2025-07-14T22:30:00+00:00' WHERE id = 1")
    sql(db_path, "UPDATE customer SET created_at = '2025-01-14T23:30:00+00:00' WHERE id = 2")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    assert numbers(kk, "created:14.07.2025") == cus(1)
    assert numbers(kk, "created:14.01.2025") == cus(2)
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        assert numbers(kk, "created:15.07.2025") == cus(1)  # 00:30 CEST (UTC+2)
        assert numbers(kk, "created:15.01.2025") == cus(2)  # 00:30 CET (UTC+1)
        assert numbers(kk, "created<2025-07-15", "--sort", "number") == cus(2)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_filter_refuses_a_database_from_a_newer_kk(kk: Kk, db_path: Path) -> None:
    kk.ok("customer", "add", "--first-name", "A", "--last-name", "B")
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
        connection.commit()
    db.forget(db_path)
    before = dump(db_path)
    result = kk("customer", "filter", "kind:private")
    assert result.exit_code == 1 and "newer kk" in result.stderr
    assert dump(db_path) == before
