"""`kk import` reads the files real programs write: every encoding and delimiter, each
header family (kk, German Excel, Outlook EN/DE, Google), vCard 2.1/3.0/4.0, JSON Lines and
JSON arrays, stdin."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Kk, dump
from tests.import_helpers import DATA, EXAMPLES, by_name, csv_bytes, customers, ready, write

MUELLER = {
    "kind": "company",
    "company_name": "Müller & Söhne GmbH",
    "first_name": "Hans",
    "last_name": "Müller",
    "street": "Hauptstraße 5",
    "postal_code": "01067",
    "city": "Dresden",
    "country": "DE",
    "email": "info@mueller-soehne.de",
    "phone": "+493514711000",
}
WEISS = {
    "kind": "private",
    "first_name": "Jörg",
    "last_name": "Weiß",
    "street": "Schloßallee 12a",
    "postal_code": "80331",
    "city": "München",
    "mobile": "+491719876543",
}


def _subset(record: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    return {key: record.get(key) for key in expected}


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("excel_de_cp1252.csv", ()),  # German Excel: cp1252, ';', CRLF
        ("excel_utf8_bom.csv", ("--ignore-unknown",)),  # Excel "CSV UTF-8": BOM, ';'
        ("excel_unicode_text.txt", ()),  # Excel "Unicode text": UTF-16 LE, tab
        ("excel_sep_line.csv", ()),  # a 'sep=;' first line, cp1252
        ("outlook_en.csv", ()),  # Outlook English: ',' all quoted, cp1252
        ("outlook_de.csv", ()),  # Outlook German
        ("google_contacts.csv", ()),  # Google Contacts: UTF-8, ',', ':::' lists
    ],
)
def test_every_encoding_delimiter_and_header_family(
    kk: Kk, name: str, args: tuple[str, ...]
) -> None:
    result = kk("import", "csv", str(DATA / name), *args)
    assert result.exit_code == 0, result.stderr
    assert "rejected 0" in result.stderr
    records = by_name(customers(kk))
    short = name == "excel_sep_line.csv"  # names, address and notes only
    mueller = {k: v for k, v in MUELLER.items() if not short or k not in ("email", "phone")}
    assert _subset(records["Müller & Söhne GmbH"], mueller) == mueller
    weiss = {k: v for k, v in WEISS.items() if not short or k != "mobile"}
    assert _subset(records["Weiß, Jörg"], weiss) == weiss


def test_excel_german_sheet_keeps_numbers_groups_and_decimal_commas(kk: Kk) -> None:
    kk.ok("import", "csv", str(DATA / "excel_de_cp1252.csv"))
    records = customers(kk)
    assert [r["number"] for r in records] == [f"CUS-000{i}" for i in range(1, 6)]
    first, fourth = records[0], records[3]
    assert first["labels"] == ["Großkunde", "Sachsen"]  # "Gruppen"
    assert first["discount_percent"] == "10.00"  # "10,00"
    assert fourth["discount_percent"] == "2.50"  # "2,5"
    assert first["country"] == "DE"  # "Deutschland"
    assert first["vat_id"] == "DE136695976"
    assert first["tax_number"] == "203/118/12345"
    assert first["register_number"] == "Dresden HRB 1234"
    assert first["notes"] == 'Lieferung nur Mo; Di\n"Rampe 3" benutzen, bitte'
    assert (first["salutation"], first["title"]) == ("Herr", "Dr.")
    assert records[4]["postal_code"] == "04109"  # leading zero kept


def test_outlook_keeps_categories_and_puts_fax_and_second_mail_into_notes(kk: Kk) -> None:
    kk.ok("import", "csv", str(DATA / "outlook_en.csv"))
    mueller = by_name(customers(kk))["Müller & Söhne GmbH"]
    assert mueller["labels"] == ["Großkunde", "Sachsen"]
    assert (mueller["salutation"], mueller["title"]) == ("Herr", "Dr.")
    assert "+49 351 4711099" in mueller["notes"]  # Business Fax: not lost
    assert "h.mueller@privat.example" in mueller["notes"]  # E-mail 2


def test_google_labels_drop_system_groups(kk: Kk) -> None:
    kk.ok("import", "csv", str(DATA / "google_contacts.csv"))
    records = by_name(customers(kk))
    assert records["Müller & Söhne GmbH"]["labels"] == ["Großkunde", "Sachsen"]
    assert records["Weiß, Jörg"]["labels"] == ["Privat"]


@pytest.mark.parametrize("name", ["contacts_v21.vcf", "contacts_v30.vcf", "contacts_v40.vcf"])
def test_vcard_versions(kk: Kk, name: str) -> None:
    result = kk("import", "vcard", str(DATA / name))
    assert result.exit_code == 0, result.stderr
    records = by_name(customers(kk))
    mueller = records["Müller & Söhne GmbH"]
    assert _subset(mueller, MUELLER) == MUELLER
    assert mueller["mobile"] == "+491712345678"
    assert "Rampe 3" in mueller["notes"] and "Mo; Di" in mueller["notes"]
    assert records["Weiß, Jörg"]["kind"] == "private"


def test_vcard_categories_become_labels(kk: Kk) -> None:
    kk.ok("import", "vcard", str(DATA / "contacts_v40.vcf"))
    assert by_name(customers(kk))["Müller & Söhne GmbH"]["labels"] == ["Großkunde", "Sachsen"]


def test_vcard_21_quoted_printable_in_windows_1252(kk: Kk) -> None:
    kk.ok("import", "vcard", str(EXAMPLES / "kontakte_v21.vcf"))
    mueller = by_name(customers(kk))["Müller & Söhne GmbH"]
    assert mueller["notes"].startswith('Lieferung nur Mo; Di\n"Rampe 3" benutzen, bitte — ')


def test_jsonl_and_json_array(kk: Kk, tmp_path: Path) -> None:
    kk.ok("import", "jsonl", str(DATA / "customers.jsonl"))
    first = customers(kk)
    objects = [json.loads(line) for line in (DATA / "customers.jsonl").read_text().splitlines()]
    for obj in objects:  # the same customers under other numbers and addresses
        obj["number"] = None
        obj["email"] = obj["vat_id"] = None
    array = write(tmp_path / "kunden.json", json.dumps(objects, indent=2, ensure_ascii=False))
    kk.ok("import", "json", str(array))
    both = customers(kk)
    assert [r["number"] for r in both] == [f"CUS-{i:04d}" for i in range(1, 11)]
    assert [r["display_name"] for r in both[5:]] == [r["display_name"] for r in first]


def test_stdin(kk: Kk) -> None:
    data = (DATA / "customers.jsonl").read_text(encoding="utf-8")
    result = kk("import", "jsonl", "-", input=data)
    assert result.exit_code == 0, result.stderr
    assert len(customers(kk)) == 5


def test_lf_line_ends_trailing_blank_lines_and_touched_empty_rows(kk: Kk, tmp_path: Path) -> None:
    rows = [["Vorname", "Nachname", "PLZ"], ["Anna", "Örtel", "01067"], ["", "", ""]]
    path = write(tmp_path / "lf.csv", csv_bytes(rows, crlf=False) + b"\n\n;;\n")
    result = kk("import", "csv", str(path))
    assert result.exit_code == 0, result.stderr
    assert "read 1, imported 1" in result.stderr


def test_encoding_and_delimiter_overrides_are_used(kk: Kk, tmp_path: Path) -> None:
    rows = [["Vorname", "Nachname"], ["Jürgen", "Weiß"]]
    path = write(tmp_path / "utf8.csv", csv_bytes(rows))
    before = ready(kk)
    wrong = kk("import", "csv", str(path), "--delimiter", ",")
    assert wrong.exit_code == 1 and "unknown column 'Vorname;Nachname'" in wrong.stderr
    assert dump(kk.path) == before
    kk.ok("import", "csv", str(path), "--encoding", "latin-1", "--delimiter", ";")
    assert customers(kk)[0]["first_name"] == "JÃ¼rgen"  # read as told, byte for byte
    tabbed = write(tmp_path / "tab.csv", csv_bytes(rows, delimiter="\t", encoding="cp1252"))
    kk.ok("import", "csv", str(tabbed), "--delimiter", "tab", "--encoding", "cp1252")
    assert customers(kk)[1]["first_name"] == "Jürgen"


def test_a_company_name_makes_a_company_and_kind_forces_one(kk: Kk, tmp_path: Path) -> None:
    rows = [["Firma", "Vorname", "Nachname"], ["Kraus KG", "Eva", "Kraus"], ["", "Ute", "Lind"]]
    path = write(tmp_path / "k.csv", csv_bytes(rows))
    kk.ok("import", "csv", str(path))
    assert [r["kind"] for r in customers(kk)] == ["company", "private"]
    rows = [["Name"], ["Lind, Ute"], ["Hofladen Berg"]]
    names = write(tmp_path / "n.csv", csv_bytes(rows, delimiter=","))
    kk.ok("import", "csv", str(names), "--kind", "company")
    forced = customers(kk)[2:]
    assert [(r["kind"], r["company_name"]) for r in forced] == [
        ("company", "Lind, Ute"),
        ("company", "Hofladen Berg"),
    ]


def test_a_lone_name_column_splits_persons_and_keeps_firms(kk: Kk, tmp_path: Path) -> None:
    rows = [["Name", "Ort"], ["Müller, Hans", "Köln"], ["Eva Kraus", "Ulm"], ["Bau GmbH", "Jena"]]
    kk.ok("import", "csv", str(write(tmp_path / "n.csv", csv_bytes(rows))))
    got = [(r["kind"], r["first_name"], r["last_name"], r["company_name"]) for r in customers(kk)]
    assert got == [
        ("private", "Hans", "Müller", None),
        ("private", "Eva", "Kraus", None),
        ("company", None, None, "Bau GmbH"),
    ]


def test_map_reads_a_foreign_column_and_unknown_columns_are_refused(kk: Kk) -> None:
    before = ready(kk)
    refused = kk("import", "csv", str(DATA / "excel_utf8_bom.csv"))
    assert refused.exit_code == 1
    assert "unknown column 'Lieblingsfarbe'" in refused.stderr
    assert "--ignore-unknown" in refused.stderr
    assert dump(kk.path) == before
    kk.ok("import", "csv", str(DATA / "excel_utf8_bom.csv"), "--map", "Lieblingsfarbe=notes")
    weiss = by_name(customers(kk))["Weiß, Jörg"]
    assert weiss["notes"] == "grün"


def test_map_renames_json_keys_and_unknown_keys_are_reported(kk: Kk, tmp_path: Path) -> None:
    line = {"Vorname": "Eva", "last_name": "Kraus", "Lieblingsfarbe": "blau"}
    path = write(tmp_path / "x.jsonl", json.dumps(line) + "\n")
    refused = kk("import", "jsonl", str(path), "--map", "Vorname=first_name")
    assert refused.exit_code == 1
    assert "line 1, key 'Lieblingsfarbe', value 'blau': unknown key" in refused.stderr
    kk.ok("import", "jsonl", str(path), "--map", "Vorname=first_name", "--ignore-unknown")
    assert customers(kk)[0]["first_name"] == "Eva"


def test_imported_customers_are_searchable_and_audited(kk: Kk) -> None:
    kk.ok("import", "csv", str(DATA / "excel_de_cp1252.csv"))
    hits = kk.json("customer", "search", "mueller")
    assert [h["number"] for h in hits] == ["CUS-0001"]
    history = kk.json("customer", "history", "CUS-0003")
    assert [(h["action"], h["new"]) for h in history] == [("import", "excel_de_cp1252.csv")]
    assert kk.ok("db", "check").strip().endswith("ok")


def test_bytes_the_encoding_does_not_have_are_an_error_not_garbage(kk: Kk, tmp_path: Path) -> None:
    before = ready(kk)
    path = write(
        tmp_path / "bad.csv", b"Vorname;Nachname\r\nJ\x81rg;Wei\xdf\r\n"
    )  # 0x81: no cp1252
    result = kk("import", "csv", str(path))
    assert result.exit_code == 1
    assert "is not readable text" in result.stderr and "--encoding" in result.stderr
    assert dump(kk.path) == before
    kk.ok("import", "csv", str(path), "--encoding", "latin-1")
    assert customers(kk)[0]["last_name"] == "Weiß"
