"""`kk customer …` as a user runs it: every command and flag of the customer core."""

from __future__ import annotations

import json

import pytest
from stdnum import iban as iban_lib
from stdnum.iso7064 import mod_11_10

from tests.conftest import Kk

VAT = "DE12345678" + mod_11_10.calc_check_digit("12345678")
IBAN = "DE89370400440532013000"

CUSTOMER_KEYS = [
    "number", "kind", "display_name", "company_name", "register_number", "vat_id",
    "tax_number", "salutation", "title", "first_name", "last_name", "email", "phone", "mobile",
    "website", "street", "postal_code", "city", "country", "notes", "discount_percent", "roles",
    "labels", "is_template", "do_not_contact", "archived", "archived_at", "archived_by",
    "archive_reason", "created_at", "created_by", "updated_at", "updated_by", "last_activity_at",
]  # fmt: skip


def add_private(kk: Kk, first: str = "Jürgen", last: str = "Groß", *extra: str) -> str:
    return kk.ok("customer", "add", "--first-name", first, "--last-name", last, *extra).strip()


def test_add_prints_the_new_number_and_numbers_count_up(kk: Kk) -> None:
    assert add_private(kk) == "CUS-0001"
    assert add_private(kk, "Anna", "Müller") == "CUS-0002"


def test_add_with_every_flag_stores_normalised_values(kk: Kk) -> None:
    out = kk.json(
        "customer", "add", "--kind", "company", "--company-name", "Bäckerei Nüßl GmbH",
        "--register-number", "HRB 12345 Berlin (Charlottenburg)", "--vat-id", VAT.lower(),
        "--tax-number", "2181508150", "--salutation", "Frau", "--title", "Dr.",
        "--first-name", "Erika", "--last-name", "Nüßl", "--email", "info@NUESSL.de",
        "--phone", "030 1234567", "--mobile", "0151 12345678", "--website", "nuessl.de",
        "--street", "Königstraße 12", "--postal-code", "01067", "--city", "Dresden",
        "--country", "Deutschland", "--notes", "Liefert; \"frisch\"", "--label", "VIP",
        "--label", "SLA Gold", "--discount", "10,5", "--role", "customer", "--role", "supplier",
    )  # fmt: skip
    assert out["number"] == "CUS-0001"
    assert out["kind"] == "company"
    assert out["display_name"] == "Bäckerei Nüßl GmbH"
    assert out["vat_id"] == VAT
    assert "HRB 12345" in out["register_number"]
    assert out["email"] == "info@nuessl.de"
    assert out["phone"] == "+49301234567"
    assert out["mobile"] == "+4915112345678"
    assert out["website"] == "https://nuessl.de"
    assert out["postal_code"] == "01067"
    assert out["country"] == "DE"
    assert out["discount_percent"] == "10.50"
    assert out["roles"] == ["customer", "supplier"]
    assert sorted(out["labels"]) == ["SLA Gold", "VIP"]
    assert out["notes"] == 'Liefert; "frisch"'
    assert out["created_by"] == "anna"


def test_json_keys_are_stable(kk: Kk) -> None:
    add_private(kk)
    rows = kk.json("customer", "list")
    assert list(rows[0]) == CUSTOMER_KEYS
    shown = kk.json("customer", "show", "1")
    assert list(shown)[: len(CUSTOMER_KEYS)] == CUSTOMER_KEYS
    for key in ("persons", "addresses", "bank_accounts", "consents", "history"):
        assert key in shown


@pytest.mark.parametrize("ref", ["CUS-0001", "cus-1", "1", "cus-0001", "CUS1"])
def test_a_customer_is_addressed_by_number_in_any_form(kk: Kk, ref: str) -> None:
    add_private(kk)
    assert kk.json("customer", "show", ref)["number"] == "CUS-0001"


def test_display_name_is_derived(kk: Kk) -> None:
    add_private(kk, "Jürgen", "Groß")
    assert kk.json("customer", "show", "1")["display_name"] == "Groß, Jürgen"
    kk.ok("customer", "edit", "1", "--first-name", "Jörg")
    assert kk.json("customer", "show", "1")["display_name"] == "Groß, Jörg"


def test_edit_changes_fields_and_unset_clears_them(kk: Kk) -> None:
    add_private(kk, "Jürgen", "Groß", "--email", "j@example.de", "--city", "Köln")
    out = kk.json("customer", "edit", "1", "--city", "München", "--unset", "email")
    assert out["city"] == "München"
    assert out["email"] is None
    history = kk.json("customer", "history", "1")
    assert {"field": "city", "old": "Köln", "new": "München"}.items() <= history[0].items() or any(
        h["field"] == "city" and h["old"] == "Köln" and h["new"] == "München" for h in history
    )
    assert any(h["field"] == "email" and h["old"] == "j@example.de" for h in history)


def test_template_marks_a_musterkunde_and_from_starts_from_it(kk: Kk) -> None:
    kk.ok(
        "customer", "add", "--kind", "company", "--company-name", "Muster GmbH", "--template",
        "--country", "AT", "--discount", "5", "--role", "supplier", "--label", "Großkunde",
        "--email", "muster@example.at", "--notes", "Zahlung 30 Tage",
    )  # fmt: skip
    assert kk.json("customer", "show", "1")["is_template"] is True
    new = kk.json(
        "customer", "add", "--from", "CUS-0001", "--company-name", "Neu GmbH",
        "--postal-code", "1010",
    )  # fmt: skip
    assert new["kind"] == "company"
    assert new["country"] == "AT"
    assert new["discount_percent"] == "5.00"
    assert new["roles"] == ["supplier"]
    assert new["labels"] == ["Großkunde"]
    assert new["notes"] == "Zahlung 30 Tage"
    assert new["email"] is None
    assert new["company_name"] == "Neu GmbH"
    assert new["is_template"] is False
    assert new["number"] == "CUS-0002"


def test_show_has_persons_addresses_bank_accounts_labels_and_history(kk: Kk) -> None:
    kk.ok("customer", "add", "--kind", "company", "--company-name", "Müller & Söhne GmbH")
    person = kk.ok("customer", "person", "add", "1", "--first-name", "Ömer", "--last-name",
                   "Yılmaz", "--role", "Einkauf", "--email", "oemer@example.de",
                   "--phone", "089 1234567").strip()  # fmt: skip
    address = kk.ok("customer", "address", "add", "1", "--purpose", "delivery", "--name",
                    "Lager", "--street", "Am Güterbahnhof 7", "--postal-code", "04109",
                    "--city", "Leipzig").strip()  # fmt: skip
    bank = kk.ok("customer", "bank", "add", "1", "--method", "sepa", "--holder",
                 "Müller & Söhne GmbH", "--iban", "de89 3704 0044 0532 0130 00", "--bic",
                 "COBADEFFXXX", "--mandate-ref", "M-1",
                 "--mandate-date", "01.12.2026").strip()  # fmt: skip
    kk.ok("customer", "label", "add", "1", "VIP", "Nord")
    shown = kk.json("customer", "show", "1")
    assert shown["persons"][0]["id"] == int(person)
    assert shown["persons"][0]["phone"] == "+49891234567"
    assert shown["addresses"][0] == {
        "id": int(address), "purpose": "delivery", "name": "Lager",
        "street": "Am Güterbahnhof 7", "postal_code": "04109", "city": "Leipzig",
        "country": "DE",
    }  # fmt: skip
    account = shown["bank_accounts"][0]
    assert account["id"] == int(bank)
    assert account["iban"] == IBAN
    assert account["mandate"] is True
    assert account["mandate_date"] == "2026-12-01"
    assert shown["labels"] == ["Nord", "VIP"]
    assert len(shown["history"]) == 10  # the most recent entries only
    entities = {h["entity"] for h in kk.json("customer", "history", "1")}
    assert entities >= {"person", "address", "bank_account", "customer"}
    table = kk.ok("customer", "show", "1")
    assert "Müller & Söhne GmbH" in table and "Yılmaz" in table and IBAN in table


def test_person_edit_list_and_remove(kk: Kk) -> None:
    kk.ok("customer", "add", "--kind", "company", "--company-name", "Firma AG")
    pid = kk.ok("customer", "person", "add", "1", "--last-name", "Schulz").strip()
    kk.ok("customer", "person", "edit", "1", pid, "--first-name", "Petra")
    persons = kk.json("customer", "person", "list", "1")
    assert persons[0]["first_name"] == "Petra"
    assert kk("customer", "person", "remove", "1", pid).exit_code == 1  # no terminal, no --yes
    kk.ok("customer", "person", "remove", "1", pid, "--yes")
    assert kk.json("customer", "person", "list", "1") == []
    assert kk.json("customer", "address", "list", "1") == []


def test_bank_account_without_iban_takes_account_number_and_blz(kk: Kk) -> None:
    add_private(kk)
    kk.ok("customer", "bank", "add", "1", "--method", "sepa", "--account-number", "532013000",
          "--bank-code", "37040044", "--bank-name", "Commerzbank")  # fmt: skip
    kk.ok("customer", "bank", "add", "1", "--method", "invoice")
    kk.ok("customer", "bank", "add", "1", "--method", "sepa",
          "--iban", "FR1420041010050500013M02606",
          "--rib", "06", "--gui", "01005")  # fmt: skip
    accounts = kk.json("customer", "bank", "list", "1")
    assert [a["method"] for a in accounts] == ["sepa", "invoice", "sepa"]
    assert accounts[0]["bank_code"] == "37040044" and accounts[0]["iban"] is None
    assert accounts[2]["gui"] == "01005"
    assert iban_lib.is_valid(accounts[2]["iban"])
    kk.ok("customer", "bank", "remove", "1", str(accounts[1]["id"]), "--yes")
    assert len(kk.json("customer", "bank", "list", "1")) == 2


def test_labels_add_remove_and_label_list(kk: Kk) -> None:
    add_private(kk)
    add_private(kk, "Anna", "Müller")
    kk.ok("customer", "label", "add", "1", "VIP", "Süd")
    kk.ok("customer", "label", "add", "2", "vip")
    labels = kk.json("label", "list")
    assert {"name": "VIP", "customers": 2} in labels
    kk.ok("customer", "label", "remove", "1", "VIP")
    assert kk.json("customer", "show", "1")["labels"] == ["Süd"]
    assert kk("customer", "label", "remove", "1", "VIP").exit_code == 1


def test_consent_records_channel_date_and_source(kk: Kk) -> None:
    add_private(kk)
    kk.ok("customer", "consent", "1", "--email", "yes", "--newsletter", "no", "--source",
          "Messe 2026", "--date", "01.10.2026")  # fmt: skip
    consents = kk.json("customer", "show", "1")["consents"]
    assert consents["email"] == {"granted": True, "date": "2026-10-01", "source": "Messe 2026"}
    assert consents["newsletter"]["granted"] is False
    kk.ok("customer", "consent", "1", "--do-not-contact", "yes")
    assert kk.json("customer", "show", "1")["do_not_contact"] is True
    assert kk("customer", "consent", "1", "--email", "vielleicht").exit_code == 2


def test_list_filters_sorts_and_pages(kk: Kk) -> None:
    for first, last in [("Anna", "Zander"), ("Bernd", "Adler"), ("Cora", "Müller")]:
        add_private(kk, first, last)
    kk.ok("customer", "add", "--company-name", "Ähre GmbH")
    kk.ok("customer", "label", "add", "2", "VIP")
    names = [r["display_name"] for r in kk.json("customer", "list")]
    assert names == ["Adler, Bernd", "Ähre GmbH", "Müller, Cora", "Zander, Anna"]
    assert [r["number"] for r in kk.json("customer", "list", "--sort", "number", "--desc")] == [
        "CUS-0004", "CUS-0003", "CUS-0002", "CUS-0001",
    ]  # fmt: skip
    assert [r["number"] for r in kk.json("customer", "list", "--kind", "company")] == ["CUS-0004"]
    assert [r["number"] for r in kk.json("customer", "list", "--label", "vip")] == ["CUS-0002"]
    first = kk("customer", "list", "--limit", "3")
    assert first.exit_code == 0
    last_line = first.stderr.strip().splitlines()[-1]
    assert last_line.startswith("--after ")
    token = last_line.split(" ", 1)[1]
    rest = kk.json("customer", "list", "--limit", "3", "--after", token)
    assert [r["display_name"] for r in rest] == ["Zander, Anna"]
    assert "--after" not in kk("customer", "list", "--limit", "3", "--format", "json").stderr
    assert len(kk.json("customer", "list", "--limit", "1", "--all")) == 4


def test_list_formats_csv_and_jsonl(kk: Kk) -> None:
    add_private(kk, "Jürgen", "Groß", "--postal-code", "01067", "--label", "A", "--label", "B")
    csv_text = kk.ok("customer", "list", "--format", "csv")
    header, row = csv_text.splitlines()
    assert header.split(",") == CUSTOMER_KEYS
    assert "01067" in row and "A;B" in row
    lines = kk.ok("customer", "list", "--format", "jsonl").splitlines()
    assert json.loads(lines[0])["postal_code"] == "01067"
    assert kk.json("customer", "list", "--kind", "company") == []


def test_format_comes_from_env_and_config(kk: Kk, monkeypatch: pytest.MonkeyPatch) -> None:
    add_private(kk)
    monkeypatch.setenv("KK_FORMAT", "jsonl")
    assert json.loads(kk.ok("customer", "list"))["number"] == "CUS-0001"
    monkeypatch.delenv("KK_FORMAT")
    kk.ok("config", "set", "format", "csv")
    assert kk.ok("customer", "list").startswith("number,kind,")


def test_search_finds_by_name_email_domain_number_and_city(kk: Kk) -> None:
    add_private(kk, "Jürgen", "Groß", "--email", "jg@gmx.de", "--city", "München")
    add_private(kk, "Anna", "Schmidt", "--email", "anna@web.de", "--city", "Köln")

    def found(text: str) -> list[str]:
        return [r["number"] for r in kk.json("customer", "search", text)]

    assert found("groß") == ["CUS-0001"]
    assert found("gmx.de") == ["CUS-0001"]
    assert found("web") == ["CUS-0002"]
    assert found("CUS-0002") == ["CUS-0002"]
    assert found("münchen") == ["CUS-0001"]
    assert found("xyzzy") == []


def test_archive_hides_keeps_links_blocks_edits_and_restore_brings_back(kk: Kk) -> None:
    add_private(kk)
    kk.ok("customer", "label", "add", "1", "VIP")
    refused = kk("customer", "archive", "1", "--reason", "Umzug")
    assert refused.exit_code == 1 and "--yes" in refused.stderr
    kk.ok("customer", "archive", "1", "--reason", "Umzug ins Ausland", "--yes")
    assert kk.json("customer", "list") == []
    assert kk.json("customer", "search", "groß") == []
    archived = kk.json("customer", "list", "--archived")
    assert archived[0]["archived"] is True
    assert archived[0]["archive_reason"] == "Umzug ins Ausland"
    assert archived[0]["labels"] == ["VIP"]
    assert len(kk.json("customer", "list", "--include-archived")) == 1
    blocked = kk("customer", "edit", "1", "--city", "Bonn")
    assert blocked.exit_code == 1 and "archived" in blocked.stderr
    kk.ok("customer", "restore", "1")
    assert kk.json("customer", "list")[0]["archived"] is False
    actions = [h["action"] for h in kk.json("customer", "history", "1")]
    assert "archive" in actions and "restore" in actions


def test_archive_asks_on_a_terminal(kk: Kk, monkeypatch: pytest.MonkeyPatch) -> None:
    add_private(kk)
    monkeypatch.setattr("kk.commands._common.stdin_is_terminal", lambda: True)
    declined = kk("customer", "archive", "1", input="n\n")
    assert declined.exit_code == 1
    assert kk.json("customer", "list")[0]["archived"] is False
    kk.ok("customer", "archive", "1", input="y\n")
    assert kk.json("customer", "list") == []


def test_numbers_are_never_reused(kk: Kk, db_path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    add_private(kk)
    add_private(kk, "Anna", "Müller")
    kk.ok("customer", "archive", "2", "--yes")
    assert add_private(kk, "Cem", "Öztürk") == "CUS-0003"
    with sqlite3.connect(db_path) as connection:  # the last row vanishes (as after an erasure)
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("DELETE FROM customer_fts WHERE rowid = 3")
        connection.execute("DELETE FROM customer WHERE id = 3")
    assert add_private(kk, "Dora", "Weiß") == "CUS-0004"


def test_history_lists_every_change_with_user_and_values(kk: Kk) -> None:
    kk.ok("user", "add", "bob")
    add_private(kk, "Jürgen", "Groß", "--city", "Köln")
    kk.ok("customer", "edit", "1", "--city", "Bonn", user="bob")
    rows = kk.json("customer", "history", "1")
    edit = next(r for r in rows if r["action"] == "edit")
    assert (edit["user"], edit["field"], edit["old"], edit["new"]) == (
        "bob",
        "city",
        "Köln",
        "Bonn",
    )
    assert any(r["action"] == "create" and r["user"] == "anna" for r in rows)
    assert "Bonn" in kk.ok("customer", "history", "1")
