"""`kk order pdf`: the sender from `kk config`, the customer's address and VAT ID, lines and
totals in German formats, read back with pypdf; invoices are issued by their PDF."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import Kk, dump
from tests.records_helpers import VAT_AT, VAT_DE, VAT_SENDER, company, fails, order, product

SENDER = {
    "company.name": "Schäfer Büroservice e.K.",
    "company.street": "Hauptstraße 5",
    "company.postal_code": "01067",
    "company.city": "Dresden",
    "company.country": "DE",
    "company.vat_id": VAT_SENDER,
    "company.tax_number": "201/123/45678",
    "company.register_number": "HRA 4711 Dresden",
    "company.bank": "Ostsächsische Sparkasse Dresden",
    "company.iban": "DE89370400440532013000",
    "company.bic": "COBADEFFXXX",
    "company.email": "info@schaefer.example",
    "company.phone": "+49 351 1234567",
}


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def sender(kk: Kk) -> Kk:
    for key, value in SENDER.items():
        kk.ok("config", "set", key, value)
    return kk


def _invoice(kk: Kk, *customer_flags: str) -> str:
    company(kk, "Größenwahn & Söhne Müßiggang GmbH", *customer_flags)
    product(kk, "P-100", "Beratung vor Ort", "95.00", "19")
    product(kk, "B-7", "Fachbuch „Straßenbau“", "39,90", "7")
    number = order(kk, "CUS-0001", "invoice", "Projekt Ölmühle")
    kk.ok("order", "line", "add", number, "--product", "P-100", "--qty", "12")
    kk.ok("order", "line", "add", number, "--product", "B-7", "--qty", "2")
    kk.ok("order", "line", "add", number, "--text", "Anfahrt Weißwasser", "--price", "48,50",
          "--discount", "10%")  # fmt: skip
    return number


def test_the_invoice_pdf_carries_names_vat_ids_lines_and_the_german_total(
    sender: Kk, tmp_path: Path
) -> None:
    number = _invoice(sender, "--vat-id", VAT_DE)
    target = tmp_path / "rechnung.pdf"
    result = sender("order", "pdf", number, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{target}\n"
    assert "warning" not in result.stderr
    text = text_of(target.read_bytes())
    assert "Größenwahn & Söhne Müßiggang GmbH" in text
    assert VAT_DE in text and VAT_SENDER in text
    for line in ("Beratung vor Ort", "Fachbuch „Straßenbau“", "Anfahrt Weißwasser"):
        assert line in text
    gross = sender.json("order", "show", number)["gross_total"]
    assert gross == "1493.93"
    assert "1.493,93 €" in text
    assert "23.11.2026" in text and "07.12.2026" in text  # invoice date and due date
    assert "Rechnung" in text and number in text


def test_the_pdf_issues_the_invoice(sender: Kk, tmp_path: Path, db_path: Path) -> None:
    number = _invoice(sender)
    result = sender("order", "pdf", number, "-o", str(tmp_path / "r.pdf"))
    assert "issued" in result.stderr
    assert sender.json("order", "show", number)["issued_at"]
    fails(sender, db_path, "order", "line", "add", number, "--product", "P-100", words=["issued"])
    again = sender("order", "pdf", number, "-o", str(tmp_path / "r2.pdf"))
    assert again.exit_code == 0 and "issued" not in again.stderr


def test_company_name_alone_is_enough_with_a_warning(kk: Kk, tmp_path: Path) -> None:
    kk.ok("config", "set", "company.name", "Ein-Frau-Betrieb Jänisch")
    number = _invoice(kk)
    result = kk("order", "pdf", number, "-o", str(tmp_path / "r.pdf"))
    assert result.exit_code == 0
    assert "warning" in result.stderr and "company.iban" in result.stderr
    assert "company.name," not in result.stderr
    assert "Ein-Frau-Betrieb Jänisch" in text_of((tmp_path / "r.pdf").read_bytes())


def test_without_company_name_it_refuses_and_changes_nothing(
    kk: Kk, tmp_path: Path, db_path: Path
) -> None:
    number = _invoice(kk)
    fails(kk, db_path, "order", "pdf", number, "-o", str(tmp_path / "r.pdf"),
          words=["company.name", "kk config set"])  # fmt: skip
    assert not (tmp_path / "r.pdf").exists()


def test_small_business_and_reverse_charge_notes(sender: Kk, tmp_path: Path) -> None:
    from kk.formats.pdf_model import NOTE_REVERSE_CHARGE, NOTE_SMALL_BUSINESS

    number = _invoice(sender, "--vat-id", VAT_AT, "--country", "AT", "--postal-code", "1010")
    sender.ok("order", "pdf", number, "-o", str(tmp_path / "rc.pdf"))
    reverse = text_of((tmp_path / "rc.pdf").read_bytes())
    assert " ".join(NOTE_REVERSE_CHARGE.split()) in reverse and VAT_AT in reverse
    assert "AUSTRIA" in reverse
    assert "USt auf" not in reverse
    sender.ok("config", "set", "invoice.small_business", "yes")
    small = order(sender, "CUS-0001", "invoice", "Klein")
    sender.ok("order", "line", "add", small, "--product", "P-100")
    sender.ok("order", "pdf", small, "-o", str(tmp_path / "sb.pdf"))
    text = text_of((tmp_path / "sb.pdf").read_bytes())
    assert NOTE_SMALL_BUSINESS in text and "95,00 €" in text and "USt auf" not in text


def test_storno_and_quote_pdfs(sender: Kk, tmp_path: Path) -> None:
    number = _invoice(sender)
    storno = sender.ok("order", "cancel", number).strip()
    sender.ok("order", "pdf", storno, "-o", str(tmp_path / "s.pdf"))
    text = text_of((tmp_path / "s.pdf").read_bytes())
    assert "Stornorechnung" in text and number in text and "-1.493,93 €" in text
    quote = order(sender, "CUS-0001", "quote", "Angebot Dach")
    sender.ok("order", "line", "add", quote, "--product", "P-100")
    result = sender("order", "pdf", quote, "-o", str(tmp_path / "a.pdf"))
    assert result.exit_code == 0 and "issued" not in result.stderr
    assert "Angebot" in text_of((tmp_path / "a.pdf").read_bytes())
    sender.ok("order", "line", "add", quote, "--product", "P-100")  # a quote stays changeable


def test_output_to_stdout_and_the_default_file_name(
    sender: Kk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = _invoice(sender)
    monkeypatch.chdir(tmp_path)
    assert sender.ok("order", "pdf", number) == f"{number}.pdf\n"
    assert (tmp_path / f"{number}.pdf").read_bytes().startswith(b"%PDF")
    piped = sender("order", "pdf", number, "-o", "-")
    assert piped.exit_code == 0 and piped.stdout_bytes.startswith(b"%PDF")


def test_unknown_number(sender: Kk, db_path: Path) -> None:
    company(sender)
    before = dump(db_path)
    result = sender("order", "pdf", "RE-2026-0042")
    assert result.exit_code == 1 and "RE-2026-0042" in result.stderr
    assert dump(db_path) == before
