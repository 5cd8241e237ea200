"""`kk export-dsgvo`: the ZIP holds every personal datum, the documents, a German Art. 15
letter and a manifest whose hashes match; every export is audited."""

from __future__ import annotations

import hashlib
import io
import json
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from kk.formats.pdf_auskunft import SECTION_TITLES
from tests.conftest import Kk, dump
from tests.dsgvo_helpers import EMAIL, FIRST, IBAN, LAST, THIS_YEAR, add_everything

CONTROLLER = "Schäfer Büroservice e.K."


@pytest.fixture
def subject(kk: Kk, db_path: Path, tmp_path: Path) -> str:
    kk.ok("config", "set", "company.name", CONTROLLER)
    kk.ok("config", "set", "company.street", "Hauptstraße 5")
    kk.ok("config", "set", "company.postal_code", "01067")
    kk.ok("config", "set", "company.city", "Dresden")
    kk.ok("config", "set", "dsgvo.supervisory_authority", "Sächsische Datenschutzbeauftragte")
    return add_everything(kk, db_path, tmp_path)


def _export(kk: Kk, number: str, target: Path) -> zipfile.ZipFile:
    assert kk.ok("export-dsgvo", number, "-o", str(target)).strip() == str(target)
    return zipfile.ZipFile(target)


def _pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_zip_holds_every_kind_of_record(kk: Kk, subject: str, tmp_path: Path) -> None:
    archive = _export(kk, subject, tmp_path / "out" / "auskunft.zip")

    names = set(archive.namelist())
    assert names == {
        "data.json",
        "auskunft.pdf",
        "manifest.json",
        f"documents/1-vertrag-{LAST}.txt",
    }
    data: dict[str, Any] = json.loads(archive.read("data.json"))
    assert data["format"] == "kk-dsgvo-export" and data["exported_by"] == "anna"
    assert data["controller"]["name"] == CONTROLLER
    customer = data["customer"]
    assert (customer["number"], customer["first_name"], customer["last_name"]) == (
        subject,
        FIRST,
        LAST,
    )
    assert customer["email"] == EMAIL and customer["notes"] == "mag Pflaumen"
    assert [p["last_name"] for p in data["persons"]] == ["Pflaume"]
    assert [a["street"] for a in data["addresses"]] == ["Lagerweg 3"]
    assert [(b["iban"], b["mandate_ref"]) for b in data["bank_accounts"]] == [(IBAN, "M-77")]
    assert data["labels"] == ["Stammkunde"]
    assert data["consents"] == [
        {"channel": "email", "granted": True, "date": data["consents"][0]["date"],
         "source": "Messe Leipzig"},
    ]  # fmt: skip
    assert [n["text"] for n in data["notes"]] == ["Wünscht Rückruf wegen der Spüle"]
    assert [a["name"] for a in data["activities"]] == ["Rückruf Spüle"]
    orders = {o["number"]: o for o in data["orders"]}
    assert {o["kind"] for o in orders.values()} == {"quote", "order", "invoice"}
    invoice = orders[f"RE-{THIS_YEAR}-0001"]
    assert invoice["service_date"] == f"{THIS_YEAR}-02-28"
    # the same shape as `kk order show --format json`: lines with their amounts, totals
    [line] = invoice["lines"]
    assert (line["description"], line["quantity"], line["unit_price"], line["net"]) == (
        "Einbau Spüle", "2", "95.00", "190.00",
    )  # fmt: skip
    assert (invoice["net_total"], invoice["vat_total"], invoice["gross_total"]) == (
        "190.00", "36.10", "226.10",
    )  # fmt: skip
    [document] = data["documents"]
    assert (document["name"], document["title"]) == (f"vertrag-{LAST}.txt", "Rahmenvertrag")
    assert document["file"] in names
    assert archive.read(document["file"]) == f"Vertrag mit {FIRST} {LAST}, IBAN {IBAN}\n".encode()
    entities = {entry["entity"] for entry in data["audit"]}
    assert {"customer", "person", "address", "bank_account", "document", "order"} <= entities
    assert all(entry["at"] for entry in data["audit"])


def test_manifest_hashes_match(kk: Kk, subject: str, tmp_path: Path) -> None:
    archive = _export(kk, subject, tmp_path / "auskunft.zip")
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["customer"] == subject
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == set(archive.namelist()) - {"manifest.json"}
    for path, entry in listed.items():
        content = archive.read(path)
        assert entry["sha256"] == hashlib.sha256(content).hexdigest(), path
        assert entry["size"] == len(content), path


def test_pdf_has_every_art15_section_and_the_person(kk: Kk, subject: str, tmp_path: Path) -> None:
    archive = _export(kk, subject, tmp_path / "auskunft.zip")
    text = _pdf_text(archive.read("auskunft.pdf"))
    for heading in SECTION_TITLES.values():
        assert heading in text, heading
    expected_texts = [
        f"{FIRST} {LAST}", subject, CONTROLLER, "Hauptstraße 5", IBAN,
        "Sächsische Datenschutzbeauftragte", "Rückruf Spüle", "Einwilligungen",
    ]  # fmt: skip
    for expected in expected_texts:
        assert expected in text, expected


def test_every_export_is_audited(kk: Kk, subject: str, tmp_path: Path) -> None:
    _export(kk, subject, tmp_path / "a.zip")
    kk.ok("export-dsgvo", subject, "--format", "json")
    exports = [e for e in kk.json("customer", "history", subject) if e["action"] == "export-dsgvo"]
    assert [(e["user"], e["new"]) for e in exports] == [("anna", "json"), ("anna", "a.zip")]


def test_json_to_stdout_is_the_data_of_the_zip(kk: Kk, subject: str, tmp_path: Path) -> None:
    archive = _export(kk, subject, tmp_path / "a.zip")
    from_zip = json.loads(archive.read("data.json"))
    printed = json.loads(kk.ok("export-dsgvo", subject, "--format", "json"))
    for key in ("exported_at", "audit"):  # the second export is one more audit entry
        from_zip.pop(key), printed.pop(key)
    assert printed == from_zip


def test_the_zip_is_private_and_never_overwritten(kk: Kk, subject: str, tmp_path: Path) -> None:
    target = tmp_path / "a.zip"
    _export(kk, subject, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    first = target.read_bytes()
    again = kk("export-dsgvo", subject, "-o", str(target))
    assert again.exit_code == 1 and "exists already" in again.stderr
    assert target.read_bytes() == first


def test_without_a_controller_nothing_is_written(kk: Kk, db_path: Path, tmp_path: Path) -> None:
    number = kk.ok("customer", "add", "--first-name", FIRST, "--last-name", LAST).strip()
    before = dump(db_path)
    result = kk("export-dsgvo", number, "-o", str(tmp_path / "a.zip"))
    assert result.exit_code == 1 and "company.name" in result.stderr
    assert not (tmp_path / "a.zip").exists()
    assert dump(db_path) == before


def test_unknown_customer(kk: Kk, subject: str, tmp_path: Path) -> None:
    result = kk("export-dsgvo", "CUS-0042", "-o", str(tmp_path / "a.zip"))
    assert result.exit_code == 1 and "no customer CUS-0042" in result.stderr
    assert not (tmp_path / "a.zip").exists()


def test_an_erased_customer_still_gets_its_export(kk: Kk, subject: str, tmp_path: Path) -> None:
    kk.ok("customer", "erase", subject, "--yes")
    data = json.loads(kk.ok("export-dsgvo", subject, "--format", "json"))
    assert data["customer"]["display_name"] == f"Gelöscht {subject}"
    assert data["customer"]["email"] is None and data["bank_accounts"] == []
    assert {o["number"] for o in data["orders"]} == {f"RE-{THIS_YEAR}-0001", f"AU-{THIS_YEAR}-0001"}
    archive = _export(kk, subject, tmp_path / "erased.zip")
    assert f"Gelöscht {subject}" in _pdf_text(archive.read("auskunft.pdf"))
