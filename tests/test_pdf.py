"""Invoice and Art. 15 PDFs, read back with pypdf: what a customer must be able to read."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from kk.errors import ValidationFailed
from kk.formats.pdf_auskunft import render_auskunft_pdf
from kk.formats.pdf_invoice import render_invoice_pdf
from kk.formats.pdf_model import (
    NOTE_REVERSE_CHARGE,
    NOTE_SMALL_BUSINESS,
    AuskunftDoc,
    InvoiceDoc,
    invoice_lines,
)
from kk.money import Discount
from kk.totals import Line, compute_totals

D = Decimal
ROOT = Path(__file__).resolve().parent.parent

SENDER: dict[str, str | None] = {
    "name": "Schäfer Büroservice e.K.",
    "street": "Hauptstraße 5",
    "postal_code": "01067",
    "city": "Dresden",
    "country": "DE",
    "vat_id": "DE136695976",
    "tax_number": "201/123/45678",
    "register_number": "HRA 4711 Dresden",
    "bank": "Ostsächsische Sparkasse Dresden",
    "iban": "DE89370400440532013000",
    "bic": "COBADEFFXXX",
    "email": "info@schaefer-bueroservice.de",
    "phone": "+49 351 1234567",
}


def _pages(pdf: bytes) -> list[str]:
    """Page texts with whitespace runs folded, so line wrapping does not matter."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def _invoice(lines: list[Line], **kw: Any) -> InvoiceDoc:
    exempt = kw.pop("vat_exempt", False)
    totals = compute_totals(lines, kw.pop("discount", None), vat_exempt=exempt)
    defaults: dict[str, Any] = {
        "sender": SENDER,
        "recipient": [
            "Müller & Söhne GmbH",
            "z. Hd. Herrn Jürgen Groß",
            "Königstraße 12",
            "70173 Stuttgart",
        ],  # fmt: skip
        "kind": "Rechnung",
        "number": "RE-2026-0042",
        "date": date(2026, 11, 23),
        "service_date": date(2026, 11, 20),
        "due_date": date(2026, 12, 7),
        "lines": invoice_lines(totals),
        "totals": totals,
        "customer_vat_id": "DE811569869",
        "customer_number": "CUS-0007",
    }
    defaults.update(kw)
    return InvoiceDoc(**defaults)


WORKED_LINES = [
    Line("Beratung Datenschutz-Grundverordnung", D(2), D("500.00"), D(7), unit="Tag"),
    Line("Fahrtkosten Dresden–Stuttgart", D(1), D("153.79"), D(7)),
]


def test_invoice_shows_recipient_vat_ids_lines_and_german_total() -> None:
    doc = _invoice(WORKED_LINES)
    assert doc.totals.gross_total == D("1234.56")
    pages = _pages(render_invoice_pdf(doc))
    assert len(pages) == 1
    text = pages[0]
    for expected in (
        "Müller & Söhne GmbH",
        "Jürgen Groß",
        "Königstraße 12",
        "DE811569869",  # the customer's VAT ID
        "DE136695976",  # ours
        "Beratung Datenschutz-Grundverordnung",
        "Fahrtkosten Dresden–Stuttgart",
        "1.234,56 €",
        "1.153,79 €",  # net total
        "80,77 €",  # 7 % VAT
        "Rechnung RE-2026-0042",
        "23.11.2026",
        "20.11.2026",
        "07.12.2026",
        "IBAN: DE89 3704 0044 0532 0130 00",
        "Steuernr.: 201/123/45678",
        "HRA 4711 Dresden",
        "Schäfer Büroservice e.K.",
        "Seite 1 von 1",
    ):
        assert expected in text, expected


def test_line_discount_and_order_discount_are_printed() -> None:
    lines = [
        Line("Toner schwarz", D(3), D("0.335"), D(19)),
        Line("Papier A4", D(10), D("4.99"), D(19), discount=Discount.percent(10)),
    ]
    text = _pages(render_invoice_pdf(_invoice(lines, discount=Discount.amount("5.00"))))[0]
    assert "0,335 €" in text  # the unit price keeps its third decimal
    assert "1,01 €" in text  # 3 × 0,335 rounded half-up at the line
    assert "10 %" in text
    assert "44,91 €" in text  # 49,90 − 10 %
    assert "-5,00 €" in text
    assert "USt auf" in text


def test_long_invoice_breaks_pages_and_repeats_the_header() -> None:
    lines = [Line(f"Position Nummer {i} Übergröße", D(1), D("10.00"), D(19)) for i in range(1, 31)]
    pages = _pages(render_invoice_pdf(_invoice(lines)))
    assert len(pages) == 2
    assert "Seite 1 von 2" in pages[0]
    assert "Seite 2 von 2" in pages[1]
    assert "Beschreibung" in pages[1] and "Einzelpreis" in pages[1]
    joined = " ".join(pages)
    for i in range(1, 31):
        assert f"Position Nummer {i} Übergröße" in joined
    assert "357,00 €" in pages[1]  # 300,00 + 57,00 VAT, after the last line


def test_small_business_invoice_has_note_and_no_vat() -> None:
    doc = _invoice(WORKED_LINES, vat_exempt=True, notes=[NOTE_SMALL_BUSINESS])
    text = _pages(render_invoice_pdf(doc))[0]
    assert "Gemäß § 19 UStG wird keine Umsatzsteuer berechnet." in text
    assert "USt auf" not in text
    assert "1.153,79 €" in text


def test_reverse_charge_note() -> None:
    doc = _invoice(WORKED_LINES, vat_exempt=True, notes=[NOTE_REVERSE_CHARGE])
    assert NOTE_REVERSE_CHARGE in _pages(render_invoice_pdf(doc))[0]


@pytest.mark.parametrize("kind", ["Angebot", "Auftragsbestätigung", "Stornorechnung"])
def test_other_kinds_carry_their_label(kind: str) -> None:
    text = _pages(render_invoice_pdf(_invoice(WORKED_LINES, kind=kind, number="X-1")))[0]
    assert f"{kind} X-1" in text


def test_same_document_same_bytes_and_metadata() -> None:
    doc = _invoice(WORKED_LINES)
    pdf = render_invoice_pdf(doc)
    assert pdf == render_invoice_pdf(doc)
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None
    assert meta.title == "Rechnung RE-2026-0042"
    assert meta.creation_date is not None
    assert meta.creation_date.date() == date(2026, 11, 23)


def test_a_line_longer_than_a_page_is_a_validation_error() -> None:
    doc = _invoice([Line("Wort " * 3000, D(1), D(1), D(19))])
    with pytest.raises(ValidationFailed) as exc:
        render_invoice_pdf(doc)
    assert exc.value.field == "description"


def test_sender_without_optional_fields_renders() -> None:
    doc = _invoice(WORKED_LINES, sender={"name": "Jürgen Groß"}, customer_vat_id=None)
    text = _pages(render_invoice_pdf(doc))[0]
    assert "Jürgen Groß" in text and "1.234,56 €" in text


def test_importing_the_renderers_does_not_import_fpdf() -> None:
    code = (
        "import sys, kk.formats.pdf_invoice, kk.formats.pdf_auskunft, kk.money, kk.totals\n"
        "assert 'fpdf' not in sys.modules, 'fpdf imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_fonts_and_license_are_shipped() -> None:
    fonts = ROOT / "kk" / "fonts"
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE"):
        assert (fonts / name).stat().st_size > 0


# --- Art. 15 DSGVO ----------------------------------------------------------------------

ART15_HEADINGS = [
    "a) Verarbeitungszwecke",
    "b) Kategorien personenbezogener Daten",
    "c) Empfänger",
    "d) Speicherdauer",
    "e) Rechte auf Berichtigung, Löschung, Einschränkung und Widerspruch",
    "f) Beschwerderecht bei einer Aufsichtsbehörde",
    "g) Herkunft der Daten",
    "h) Automatisierte Entscheidungsfindung",
    "Übermittlung in Drittländer",
]


def _subject_data(notes: int) -> dict[str, Any]:
    return {
        "customer": {
            "number": "CUS-0007",
            "kind": "private",
            "display_name": "Groß, Jürgen",
            "first_name": "Jürgen",
            "last_name": "Groß",
            "email": "j.gross@example.de",
            "street": "Königstraße 12",
            "postal_code": "01067",
            "city": "Dresden",
            "country": "DE",
            "labels": ["Stammkunde"],
            "archived": False,
            "created_at": "2026-01-02T08:00:00+00:00",
        },
        "persons": [],
        "addresses": [
            {"purpose": "delivery", "street": "Weg 2", "postal_code": "01069", "city": "Dresden"}
        ],
        "bank_accounts": [
            {"method": "sepa", "holder": "Jürgen Groß", "iban": "DE89370400440532013000"}
        ],
        "notes": [
            {
                "created_at": "2026-03-01T10:00:00+00:00",
                "author": "anna",
                "text": f"Notiz {i}: " + "Rückruf wegen der Lieferung nach Übersee. " * 12,
            }
            for i in range(1, notes + 1)
        ],
        "activities": [{"name": "Rückruf", "kind": "call", "due_date": "2026-12-01"}],
        "orders": [{"number": "ORD-0001", "name": "Küche", "status": "open"}],
        "documents": [],
    }


def _auskunft(notes: int = 2) -> AuskunftDoc:
    return AuskunftDoc(
        controller={
            "name": "Schäfer Büroservice e.K.",
            "street": "Hauptstraße 5",
            "postal_code": "01067",
            "city": "Dresden",
            "email": "datenschutz@schaefer-bueroservice.de",
            "supervisory_authority": "Sächsische Datenschutz- und Transparenzbeauftragte",
        },
        subject_name="Jürgen Groß",
        subject_number="CUS-0007",
        created=date(2026, 11, 23),
        data=_subject_data(notes),
    )


def test_auskunft_has_every_art15_section_and_the_subject() -> None:
    pages = _pages(render_auskunft_pdf(_auskunft()))
    text = " ".join(pages)
    for heading in ART15_HEADINGS:
        assert heading in text, heading
    assert text.index("a) Verarbeitungszwecke") < text.index("h) Automatisierte")
    for expected in (
        "Auskunft nach Art. 15 DSGVO",
        "Jürgen Groß",
        "CUS-0007",
        "Schäfer Büroservice e.K.",
        "23.11.2026",
        "Sächsische Datenschutz- und Transparenzbeauftragte",
        "8 Jahre",
        "6 Jahre",
        "Notizen: 2 Datensätze",  # b) counts the categories present
        "Königstraße 12",
        "DE89370400440532013000",  # in full: the subject has a right to see it
        "Küche",
        "Rückruf",
    ):
        assert expected in text, expected
    assert "Ansprechpartner: " not in text  # an empty category is not listed under b)
    assert f"Seite 1 von {len(pages)}" in pages[0]


def test_auskunft_with_many_notes_runs_over_several_pages() -> None:
    pages = _pages(render_auskunft_pdf(_auskunft(notes=40)))
    assert len(pages) >= 5
    assert f"Seite {len(pages)} von {len(pages)}" in pages[-1]
    text = " ".join(pages)
    for i in (1, 20, 40):
        assert f"Notiz {i}: Rückruf wegen der Lieferung" in text


def test_auskunft_renders_unknown_sections_generically() -> None:
    doc = _auskunft()
    data = dict(doc.data, messages=[{"subject": "Angebot Küche", "body": "Grüße aus Köln"}])
    data["exported_at"] = "2026-11-23T13:44:59+00:00"
    text = " ".join(_pages(render_auskunft_pdf(AuskunftDoc(**{**doc.__dict__, "data": data}))))
    assert "Grüße aus Köln" in text
    assert "Nachrichten" in text
    assert "23.11.2026 13:44 UTC" in text


def test_auskunft_overrides_the_default_texts() -> None:
    doc = _auskunft()
    fields = {**doc.__dict__, "recipients": ["Steuerbüro Weiß, Leipzig"],
              "third_country": "Microsoft 365 (USA), EU-US Data Privacy Framework"}  # fmt: skip
    text = " ".join(_pages(render_auskunft_pdf(AuskunftDoc(**fields))))
    assert "Steuerbüro Weiß, Leipzig" in text
    assert "Microsoft 365 (USA)" in text
    assert "Kreditinstitute" not in text


def test_auskunft_same_document_same_bytes() -> None:
    assert render_auskunft_pdf(_auskunft()) == render_auskunft_pdf(_auskunft())
