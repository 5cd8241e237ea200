"""`kk export`: CSV defaults and --excel, formula neutralisation (--raw), vCard versions,
JSON, which customers (expression, selection, archive flags, consent), -o."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import vobject

from tests.conftest import Kk
from tests.import_helpers import DATA


def _rows(text: str, delimiter: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def _add(kk: Kk, *args: str) -> str:
    return kk.ok("customer", "add", *args).strip()


def test_csv_defaults_utf8_comma_lf_and_the_stable_keys(kk: Kk) -> None:
    kk.ok("import", "jsonl", str(DATA / "customers.jsonl"))
    result = kk("export", "csv")
    raw = result.stdout_bytes
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
    rows = _rows(raw.decode("utf-8"))
    assert list(rows[0])[:4] == ["number", "kind", "display_name", "company_name"]
    assert rows[0]["postal_code"] == "01067"
    assert rows[0]["labels"] == "Großkunde;Sachsen"
    assert len(rows) == 5


def test_excel_csv_has_a_bom_semicolons_and_crlf(kk: Kk) -> None:
    kk.ok("import", "jsonl", str(DATA / "customers.jsonl"))
    raw = kk("export", "csv", "--excel").stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbfnumber;kind;display_name;")
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text and "sep=" not in text
    assert _rows(text, ";")[1]["city"] == "München"


def test_formula_cells_are_neutralised_unless_raw(kk: Kk) -> None:
    _add(kk, "--company-name", "=HYPERLINK(\"http://x\")", "--notes", "@SUM(A1)",
         "--phone", "+49 30 1234567", "--city", "-Berlin")  # fmt: skip
    row = _rows(kk.ok("export", "csv"))[0]
    assert row["company_name"] == '\'=HYPERLINK("http://x")'
    assert row["display_name"] == '\'=HYPERLINK("http://x")'
    assert row["notes"] == "'@SUM(A1)"
    assert row["phone"] == "'+49301234567"
    assert row["city"] == "'-Berlin"
    raw = _rows(kk.ok("export", "csv", "--raw"))[0]
    assert (raw["company_name"], raw["notes"], raw["phone"]) == (
        '=HYPERLINK("http://x")',
        "@SUM(A1)",
        "+49301234567",
    )


def test_vcard_40_by_default_and_30_on_request(kk: Kk) -> None:
    kk.ok("import", "jsonl", str(DATA / "customers.jsonl"))
    v4 = kk.ok("export", "vcard")
    v3 = kk.ok("export", "vcard", "--vcard-version", "3.0")
    assert v4.count("VERSION:4.0") == 5 and "VERSION:3.0" not in v4
    assert v3.count("VERSION:3.0") == 5
    cards = list(vobject.readComponents(v3))
    assert cards[0].fn.value == "Müller & Söhne GmbH"
    assert cards[0].org.value == ["Müller & Söhne GmbH"]


def test_json_is_one_array_with_the_stable_keys(kk: Kk) -> None:
    kk.ok("import", "jsonl", str(DATA / "customers.jsonl"))
    data = json.loads(kk.ok("export", "json"))
    assert [d["number"] for d in data] == [f"CUS-000{i}" for i in range(1, 6)]
    assert data[0]["labels"] == ["Großkunde", "Sachsen"] and data[0]["archived"] is False
    assert json.loads(kk.ok("export", "json", "city:Nirgendwo")) == []


def test_expression_selection_and_output_file(kk: Kk, tmp_path: Path) -> None:
    kk.ok("import", "jsonl", str(DATA / "customers.jsonl"))
    by_city = [json.loads(x)["city"] for x in kk.ok("export", "jsonl", "city:münchen").splitlines()]
    assert by_city == ["München"]
    kk.ok("selection", "save", "firmen", "kind:company")
    target = tmp_path / "firmen.jsonl"
    result = kk("export", "jsonl", "--selection", "firmen", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert "3 customers written to" in result.stderr
    kinds = {json.loads(x)["kind"] for x in target.read_text(encoding="utf-8").splitlines()}
    assert kinds == {"company"}
    missing = kk("export", "jsonl", "--selection", "gibtsnicht")
    assert missing.exit_code == 1 and "no selection 'gibtsnicht'" in missing.stderr


def test_archived_customers_only_on_request(kk: Kk) -> None:
    first = _add(kk, "--first-name", "Alt", "--last-name", "Kunde")
    _add(kk, "--first-name", "Neu", "--last-name", "Kunde")
    kk.ok("customer", "archive", first, "--yes")

    def names(*args: str) -> list[str]:
        return [json.loads(x)["first_name"] for x in kk.ok("export", "jsonl", *args).splitlines()]

    assert names() == ["Neu"]
    assert names("--archived") == ["Alt"]
    assert names("--include-archived") == ["Alt", "Neu"]


def test_consent_exports_only_those_who_agreed_and_may_be_contacted(kk: Kk) -> None:
    yes = _add(kk, "--first-name", "Ja", "--last-name", "A", "--email", "ja@example.de")
    blocked = _add(kk, "--first-name", "Gesperrt", "--last-name", "B", "--email", "b@example.de")
    _add(kk, "--first-name", "Nie", "--last-name", "C", "--email", "nie@example.de")
    kk.ok("customer", "consent", yes, "--email", "yes", "--letter", "no")
    kk.ok("customer", "consent", blocked, "--email", "yes", "--do-not-contact", "yes")

    def names(*args: str) -> list[str]:
        return [json.loads(x)["first_name"] for x in kk.ok("export", "jsonl", *args).splitlines()]

    assert names("--consent", "email") == ["Ja"]
    assert names("--consent", "letter") == []
    assert kk("export", "jsonl", "--consent", "fax").exit_code == 2
