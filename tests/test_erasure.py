"""`kk customer erase` and `kk dsgvo due`: what goes, what the law keeps, and that the erased
values are gone from the database file's bytes afterwards."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import closing
from pathlib import Path

from kk.services import erasure, retention
from kk.services.users import Actor
from tests.conftest import Kk, dump
from tests.dsgvo_helpers import (
    EMAIL,
    FIRST,
    IBAN,
    LAST,
    PERSON_EMAIL,
    THIS_YEAR,
    add_activity,
    add_everything,
    add_note,
    add_order,
    add_subject,
    connect,
    customer_id,
    file_bytes,
    fts_shadow_bytes,
)

SECRETS = (LAST.encode(), LAST.lower().encode(), EMAIL.encode(), IBAN.encode(),
           PERSON_EMAIL.encode(), "Königstraße".encode())  # fmt: skip


def _blobs(db_path: Path) -> list[Path]:
    return [p for p in db_path.with_suffix(".files").rglob("*") if p.is_file()]


def _erase(kk: Kk, number: str, *extra: str, user: str = "anna") -> dict[str, object]:
    return json.loads(kk.ok("customer", "erase", number, "--yes", "--format", "json", *extra,
                            user=user))  # fmt: skip


def test_rules_count_from_the_end_of_the_year() -> None:
    assert retention.keep_until("invoice", "paid", "2026-01-02") == dt.date(2034, 12, 31)
    assert retention.keep_until("invoice", "open", "2026-12-31") == dt.date(2034, 12, 31)
    assert retention.keep_until("invoice", "open", "2026-12-31", "2027-01-03T09:00:00+00:00") == (
        dt.date(2035, 12, 31)
    )
    assert retention.keep_until("order", "done", "2026-05-05") == dt.date(2032, 12, 31)
    assert retention.keep_until("quote", "sent", "2026-05-05") == dt.date(2032, 12, 31)
    assert retention.keep_until("quote", "draft", "2026-05-05") is None


def test_erase_without_retained_records_removes_everything(
    kk: Kk, db_path: Path, tmp_path: Path
) -> None:
    number = add_subject(kk, tmp_path)
    cid = customer_id(db_path, number)
    add_note(db_path, cid, f"{FIRST} {LAST} ruft zurück")
    add_activity(db_path, cid, "Rückruf")
    add_order(db_path, cid, "AN-2026-0001", "quote", "draft", "2026-02-01")  # never sent
    add_order(db_path, cid, "RE-2010-0001", "invoice", "paid", "2010-05-01")  # ran out 2020
    assert kk.ok("customer", "add", "--company-name", "Nachbar GmbH").strip() == "CUS-0002"
    assert len(_blobs(db_path)) == 1

    report = _erase(kk, number)

    assert report["erased"] is True and report["anonymised"] is False
    assert report["kept"] == []
    removed = report["removed"]
    assert isinstance(removed, dict)
    assert removed["notes"] == removed["activities"] == removed["persons"] == 1
    assert removed["quotes"] == removed["invoices"] == removed["files"] == 1
    with connect(db_path) as connection:
        for table in ("customer", "contact_person", "address", "bank_account", "consent",
                      "customer_label", "note", "activity", "document"):  # fmt: skip
            key = "id" if table == "customer" else "customer_id"
            left = connection.execute(f"SELECT count(*) FROM {table} WHERE {key} = ?", (cid,))
            assert left.fetchone()[0] == 0, table
        assert connection.execute("SELECT count(*) FROM sales_order").fetchone()[0] == 0
        assert connection.execute("SELECT count(*) FROM order_line").fetchone()[0] == 0
        assert (
            connection.execute(
                "SELECT count(*) FROM customer_fts WHERE rowid = ?", (cid,)
            ).fetchone()[0]
            == 0
        )
        erase_rows = connection.execute(
            "SELECT user, field, new FROM audit_entry WHERE action = 'erase'"
        ).fetchall()
        assert erase_rows == [("anna", "erasure", "removed")]
        values = connection.execute(
            "SELECT old, new FROM audit_entry WHERE customer_id = ? AND action != 'erase'", (cid,)
        ).fetchall()
        assert values and {v for pair in values for v in pair if v is not None} == {"[gelöscht]"}
    assert _blobs(db_path) == []
    assert kk.json("customer", "search", LAST) == []
    # the number is never reused: the next customer gets the next number
    assert kk.ok("customer", "add", "--company-name", "Neu GmbH").strip() == "CUS-0003"


def test_erased_values_are_gone_from_the_file_and_wal(
    kk: Kk, db_path: Path, tmp_path: Path
) -> None:
    number = add_subject(kk, tmp_path)
    add_note(db_path, customer_id(db_path, number), f"IBAN {IBAN}, Mail {EMAIL}")
    kk.ok("customer", "edit", number, "--city", "Leipzig")  # old values in the audit trail
    kk.ok("customer", "add", "--first-name", "Anna", "--last-name", "Andere")
    before = file_bytes(db_path)
    assert all(secret in before for secret in (LAST.encode(), EMAIL.encode(), IBAN.encode()))
    assert LAST.lower().encode() in fts_shadow_bytes(db_path)

    # A second connection stays open, so closing kk's does not delete the WAL for us.
    with closing(sqlite3.connect(db_path)) as bystander:
        bystander.execute("SELECT count(*) FROM customer").fetchone()
        _erase(kk, number)
        wal = db_path.with_name(db_path.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0
        after = file_bytes(db_path)

    for secret in SECRETS:
        assert secret not in after, secret
    assert LAST.lower().encode() not in fts_shadow_bytes(db_path)
    assert [c["last_name"] for c in kk.json("customer", "search", "Andere")] == ["Andere"]


def test_erase_with_retained_records_anonymises_and_restricts(
    kk: Kk, db_path: Path, tmp_path: Path
) -> None:
    number = add_everything(kk, db_path, tmp_path)
    cid = customer_id(db_path, number)
    add_order(db_path, cid, "RE-2010-0001", "invoice", "paid", "2010-05-01")  # ran out

    report = _erase(kk, number)

    assert report["erased"] is False and report["anonymised"] is True
    kept = {k["record"]: k for k in report["kept"]}  # type: ignore[attr-defined]
    assert set(kept) == {f"RE-{THIS_YEAR}-0001", f"AU-{THIS_YEAR}-0001"}
    assert kept[f"RE-{THIS_YEAR}-0001"]["keep_until"] == f"{THIS_YEAR + 8}-12-31"
    assert kept[f"AU-{THIS_YEAR}-0001"]["keep_until"] == f"{THIS_YEAR + 6}-12-31"
    assert "§ 147" in kept[f"RE-{THIS_YEAR}-0001"]["reason"]
    assert report["keep_until"] == f"{THIS_YEAR + 8}-12-31"
    assert report["removed"]["quotes"] == 1 and report["removed"]["invoices"] == 1  # type: ignore[index]

    with connect(db_path) as connection:
        row = connection.execute(
            "SELECT display_name, first_name, last_name, email, phone, street, notes, "
            "restricted, erased_at FROM customer WHERE id = ?", (cid,),
        ).fetchone()  # fmt: skip
        assert row[:7] == (f"Gelöscht {number}", None, f"Gelöscht {number}", None, None, None, None)
        assert row[7] == 1 and row[8] is not None
        for table in ("contact_person", "address", "bank_account", "consent", "customer_label",
                      "note", "activity", "document"):  # fmt: skip
            count = connection.execute(
                f"SELECT count(*) FROM {table} WHERE customer_id = ?", (cid,)
            )
            assert count.fetchone()[0] == 0, table
        orders = dict(connection.execute("SELECT number, recipient FROM sales_order").fetchall())
        assert set(orders) == {f"RE-{THIS_YEAR}-0001", f"AU-{THIS_YEAR}-0001"}
        # the kept invoice keeps the recipient block it was issued with (§ 14 Abs. 4 UStG)
        assert orders[f"RE-{THIS_YEAR}-0001"] == f"{FIRST} {LAST}\nKönigstraße 12\n01067 Dresden"
        assert connection.execute("SELECT count(*) FROM order_line").fetchone()[0] == 2
        # the history of the kept records stays; everything else of the customer is redacted
        statuses = connection.execute(
            "SELECT entity_id, new FROM audit_entry WHERE entity = 'order' ORDER BY entity_id"
        ).fetchall()
        assert sorted(statuses) == sorted([
            (f"AU-{THIS_YEAR}-0001", "open"), (f"RE-{THIS_YEAR}-0001", "open"),
            (f"AN-{THIS_YEAR}-0001", "[gelöscht]"), ("RE-2010-0001", "[gelöscht]"),
        ])  # fmt: skip

    # the email and IBAN are gone from the bytes; the name only in the kept invoices
    data = file_bytes(db_path)
    for secret in (EMAIL.encode(), IBAN.encode(), PERSON_EMAIL.encode()):
        assert secret not in data, secret
    assert LAST.lower().encode() not in fts_shadow_bytes(db_path)
    holding_name = [line for line in dump(db_path) if LAST in line]
    assert holding_name and all(
        line.startswith('INSERT INTO "sales_order"') for line in holding_name
    )

    # restricted: hidden from lists, search, show; not editable
    assert kk.json("customer", "list", "--include-archived") == []
    assert kk.json("customer", "search", "Gelöscht") == []
    assert kk("customer", "show", number).exit_code == 1
    edit = kk("customer", "edit", number, "--city", "Berlin")
    assert edit.exit_code == 1 and f"no customer {number}" in edit.stderr


def test_erase_twice_and_unknown_customers_are_clear_errors(
    kk: Kk, db_path: Path, tmp_path: Path
) -> None:
    removed = add_subject(kk, tmp_path)
    kept = add_subject(kk, tmp_path, last="Mirabelle", email="m@mirabelle-test.de")
    add_order(
        db_path, customer_id(db_path, kept), "RE-X-1", "invoice", "open", f"{THIS_YEAR}-01-05"
    )
    _erase(kk, removed)
    _erase(kk, kept)
    before = dump(db_path)

    again = kk("customer", "erase", removed, "--yes")
    assert again.exit_code == 1
    assert f"{removed} was erased already on" in again.stderr and "by anna" in again.stderr
    again = kk("customer", "erase", kept, "--yes")
    assert again.exit_code == 1
    assert f"{kept} was erased already" in again.stderr
    assert f"until {THIS_YEAR + 8}-12-31" in again.stderr
    unknown = kk("customer", "erase", "CUS-0099", "--yes")
    assert unknown.exit_code == 1 and "no customer CUS-0099" in unknown.stderr
    assert dump(db_path) == before


def test_non_admins_are_refused(kk: Kk, db_path: Path, tmp_path: Path) -> None:
    number = add_subject(kk, tmp_path)
    kk.ok("user", "add", "bob")
    before = dump(db_path)
    for extra in ((), ("--dry-run",)):
        result = kk("customer", "erase", number, "--yes", *extra, user="bob")
        assert result.exit_code == 1
        assert "only admins may erase customers" in result.stderr
    assert dump(db_path) == before


def test_dry_run_changes_nothing_and_reports_the_same(
    kk: Kk, db_path: Path, tmp_path: Path
) -> None:
    number = add_everything(kk, db_path, tmp_path)
    before = dump(db_path)
    blobs = _blobs(db_path)

    planned = json.loads(kk.ok("customer", "erase", number, "--dry-run", "--format", "json"))
    text = kk.ok("customer", "erase", number, "--dry-run")  # never asks, even without --yes

    assert dump(db_path) == before
    assert _blobs(db_path) == blobs
    assert planned["dry_run"] is True and planned["anonymised"] is True
    assert f"{number}: would be anonymised" in text and f"RE-{THIS_YEAR}-0001" in text
    done = _erase(kk, number)
    assert {**planned, "dry_run": False} == done


def test_without_yes_and_without_a_terminal_nothing_happens(
    kk: Kk, db_path: Path, tmp_path: Path
) -> None:
    number = add_subject(kk, tmp_path)
    before = dump(db_path)
    result = kk("customer", "erase", number)
    assert result.exit_code == 1 and "--yes" in result.stderr
    assert dump(db_path) == before


def test_due_lists_archived_and_expired_customers(kk: Kk, db_path: Path, tmp_path: Path) -> None:
    plain = kk.ok("customer", "add", "--company-name", "Ohne Belege GmbH").strip()
    billed = kk.ok("customer", "add", "--company-name", "Mit Rechnung GmbH").strip()
    old = kk.ok("customer", "add", "--company-name", "Alte Rechnung GmbH").strip()
    active = kk.ok("customer", "add", "--company-name", "Aktiv GmbH").strip()
    add_order(
        db_path, customer_id(db_path, billed), "RE-1", "invoice", "paid", f"{THIS_YEAR}-01-02"
    )
    add_order(db_path, customer_id(db_path, old), "RE-2", "invoice", "paid", "2012-06-30")
    for number in (plain, billed, old):
        kk.ok("customer", "archive", number, "--yes")
    erased = add_subject(kk, tmp_path)
    add_order(db_path, customer_id(db_path, erased), "AU-1", "order", "done", f"{THIS_YEAR}-01-02")
    _erase(kk, erased)

    due = kk.json("dsgvo", "due")

    assert [(r["number"], r["state"], r["keep_until"]) for r in due] == [
        (plain, "archived", None), (old, "archived", "2020-12-31"),
    ]  # fmt: skip
    assert active not in kk.ok("dsgvo", "due")
    with connect(db_path) as connection:
        later = retention.due(connection, today=dt.date(THIS_YEAR + 7, 1, 1))
    assert [(r["number"], r["state"]) for r in later] == [
        (plain, "archived"), (old, "archived"), (erased, "anonymised"),
    ]  # fmt: skip


def test_an_anonymised_customer_is_removed_once_its_records_ran_out(
    kk: Kk, db_path: Path, tmp_path: Path
) -> None:
    number = add_subject(kk, tmp_path)
    add_order(db_path, customer_id(db_path, number), "AU-1", "order", "done", f"{THIS_YEAR}-01-02")
    assert _erase(kk, number)["anonymised"] is True
    with closing(sqlite3.connect(db_path, isolation_level=None)) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        report = erasure.erase_customer(
            connection, number, actor=Actor("anna", "admin"), today=dt.date(THIS_YEAR + 7, 1, 1)
        )
        assert report["erased"] is True and report["removed"]["orders"] == 1
        assert connection.execute("SELECT count(*) FROM customer").fetchone()[0] == 0
        assert connection.execute("SELECT count(*) FROM sales_order").fetchone()[0] == 0
    assert LAST.encode() not in file_bytes(db_path)


def test_erasure_of_records_made_by_the_record_commands(kk: Kk, db_path: Path) -> None:
    """The same erasure over rows written by `kk note|activity|order` (not by plain SQL)."""
    number = kk.ok("customer", "add", "--first-name", FIRST, "--last-name", LAST, "--email",
                   EMAIL, "--street", "Königstraße 12", "--postal-code", "01067",
                   "--city", "Dresden").strip()  # fmt: skip
    kk.ok("note", "add", number, f"{LAST} ruft wegen {EMAIL} an")
    kk.ok("activity", "add", number, "--name", "Rückruf", "--kind", "call")
    invoice = kk.ok("order", "add", number, "--kind", "invoice", "--name", "Beratung").strip()
    kk.ok("order", "line", "add", invoice, "--text", "Beratung", "--price", "95", "--vat", "19",
          "--qty", "2")  # fmt: skip
    kk.ok("order", "add", number, "--kind", "quote", "--name", "Entwurf")

    report = _erase(kk, number)

    assert [k["record"] for k in report["kept"]] == [invoice]  # type: ignore[attr-defined]
    assert report["removed"]["notes"] == report["removed"]["quotes"] == 1  # type: ignore[index]
    assert EMAIL.encode() not in file_bytes(db_path)
    holding_name = [line for line in dump(db_path) if LAST in line]
    assert len(holding_name) == 1 and holding_name[0].startswith('INSERT INTO "sales_order"')
    kept = kk.json("order", "show", invoice)  # kept for the books, under the anonymised name
    assert kept["customer_name"] == f"Gelöscht {number}"
    assert any(LAST in line for line in kept["recipient"])  # the legally required recipient
