"""The DSGVO access report (Auskunft nach Art. 15 DSGVO) as PDF.

The letter follows Art. 15 (1) a–h and (2) in order, so a data subject (or a supervisory
authority) can tick off every item; the appendix prints whatever the export dict holds, so
a new kind of record shows up without touching this file. fpdf is imported inside
``render_auskunft_pdf``: it costs ~400 ms at import.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kk.formats.pdf_model import AuskunftDoc
from kk.money import format_de_date

if TYPE_CHECKING:
    from kk.formats.pdf_base import KkPdf

__all__ = ["SECTION_TITLES", "render_auskunft_pdf"]

SECTION_TITLES = {
    "a": "a) Verarbeitungszwecke",
    "b": "b) Kategorien personenbezogener Daten",
    "c": "c) Empfänger",
    "d": "d) Speicherdauer",
    "e": "e) Rechte auf Berichtigung, Löschung, Einschränkung und Widerspruch",
    "f": "f) Beschwerderecht bei einer Aufsichtsbehörde",
    "g": "g) Herkunft der Daten",
    "h": "h) Automatisierte Entscheidungsfindung",
    "2": "Art. 15 Abs. 2: Übermittlung in Drittländer",
}

DEFAULT_PURPOSES = [
    "Anbahnung und Durchführung von Verträgen mit Ihnen: Angebote, Aufträge, Lieferungen, "
    "Rechnungen und Zahlungen (Art. 6 Abs. 1 lit. b DSGVO).",
    "Erfüllung gesetzlicher Pflichten, insbesondere handels- und steuerrechtlicher "
    "Aufbewahrungspflichten (Art. 6 Abs. 1 lit. c DSGVO).",
    "Kundenbetreuung und Kommunikation mit Ihnen, Notizen und Aufgaben zu Ihren Anliegen "
    "(berechtigtes Interesse, Art. 6 Abs. 1 lit. f DSGVO).",
]

DEFAULT_RECIPIENTS = [
    "Steuerberater, Wirtschaftsprüfer und Finanzbehörden, soweit gesetzlich vorgeschrieben.",
    "Kreditinstitute und Zahlungsdienstleister zur Abwicklung von Zahlungen.",
    "IT-Dienstleister, die uns als Auftragsverarbeiter (Art. 28 DSGVO) weisungsgebunden "
    "unterstützen.",
]

#: Kept in one place: the periods of § 147 AO / § 257 HGB as kk states them.
RETENTION = [
    "Rechnungen und andere Buchungsbelege: 8 Jahre (§ 147 Abs. 3 AO, § 257 Abs. 4 HGB), "
    "gerechnet ab dem Ende des Kalenderjahres ihrer Entstehung.",
    "Empfangene und versandte Handels- und Geschäftsbriefe (auch E-Mails): 6 Jahre "
    "(§ 147 AO, § 257 HGB).",
    "Alle übrigen Daten speichern wir, solange die Geschäftsbeziehung besteht oder Sie "
    "eingewilligt haben; danach werden sie gelöscht, sofern keine Aufbewahrungspflicht "
    "entgegensteht.",
]

RIGHTS = (
    "Sie haben das Recht auf Berichtigung unrichtiger Daten (Art. 16 DSGVO), auf Löschung "
    "(Art. 17 DSGVO), auf Einschränkung der Verarbeitung (Art. 18 DSGVO), auf "
    "Datenübertragbarkeit (Art. 20 DSGVO) sowie das Recht, der Verarbeitung aufgrund "
    "berechtigter Interessen jederzeit zu widersprechen (Art. 21 DSGVO). Eine erteilte "
    "Einwilligung können Sie jederzeit mit Wirkung für die Zukunft widerrufen "
    "(Art. 7 Abs. 3 DSGVO). Wenden Sie sich dazu an die oben genannte Stelle."
)

SOURCES = (
    "Die Daten haben wir bei Ihnen selbst erhoben: im Rahmen Ihrer Anfragen, Bestellungen "
    "und unserer Korrespondenz. Soweit Angaben von Dritten stammen (etwa von Ihrem "
    "Arbeitgeber als unserem Vertragspartner), ist dies bei den Daten vermerkt."
)

AUTOMATED = (
    "Eine automatisierte Entscheidungsfindung einschließlich Profiling im Sinne von "
    "Art. 22 Abs. 1 und 4 DSGVO findet nicht statt."
)

THIRD_COUNTRY = (
    "Eine Übermittlung Ihrer Daten in ein Drittland außerhalb der EU / des EWR oder an eine "
    "internationale Organisation findet nicht statt."
)

#: German names for the export's sections; unknown keys print as they are.
SECTION_LABELS = {
    "customer": "Stammdaten",
    "persons": "Ansprechpartner",
    "contact_persons": "Ansprechpartner",
    "addresses": "Adressen",
    "bank_accounts": "Bankverbindungen",
    "labels": "Labels",
    "notes": "Notizen",
    "activities": "Aktivitäten",
    "orders": "Aufträge",
    "documents": "Dokumente",
    "conversations": "Unterhaltungen",
    "messages": "Nachrichten",
    "audit": "Änderungsprotokoll",
    "audit_entries": "Änderungsprotokoll",
    "history": "Änderungsprotokoll",
    "consents": "Einwilligungen",
    "quotes": "Angebote",
    "invoices": "Rechnungen",
}

FIELD_LABELS = {
    "number": "Nummer",
    "kind": "Art",
    "display_name": "Anzeigename",
    "company_name": "Firma",
    "register_number": "Handelsregister",
    "vat_id": "USt-IdNr.",
    "tax_number": "Steuernummer",
    "salutation": "Anrede",
    "title": "Titel",
    "first_name": "Vorname",
    "last_name": "Nachname",
    "email": "E-Mail",
    "phone": "Telefon",
    "mobile": "Mobil",
    "website": "Website",
    "street": "Straße",
    "postal_code": "PLZ",
    "city": "Ort",
    "country": "Land",
    "notes": "Notizen",
    "discount_percent": "Rabatt (%)",
    "roles": "Rollen",
    "labels": "Labels",
    "archived": "Archiviert",
    "archived_at": "Archiviert am",
    "archive_reason": "Archivierungsgrund",
    "created_at": "Angelegt am",
    "created_by": "Angelegt von",
    "updated_at": "Geändert am",
    "updated_by": "Geändert von",
    "last_activity_at": "Letzte Aktivität",
    "do_not_contact": "Keine Kontaktaufnahme",
    "is_template": "Vorlage",
    "role": "Funktion",
    "purpose": "Zweck",
    "method": "Zahlungsart",
    "holder": "Kontoinhaber",
    "iban": "IBAN",
    "bic": "BIC",
    "bank_name": "Bank",
    "mandate_reference": "Mandatsreferenz",
    "text": "Text",
    "author": "Verfasser",
    "name": "Name",
    "description": "Beschreibung",
    "due_date": "Fällig",
    "done_at": "Erledigt am",
    "status": "Status",
    "filename": "Dateiname",
    "id": "ID",
    "lines": "Positionen",
    "quantity": "Menge",
    "unit": "Einheit",
    "unit_price": "Einzelpreis",
    "vat_rate": "USt-Satz",
    "discount": "Rabatt",
    "booking_date": "Buchungsdatum",
    "assignee": "Zuständig",
    "contact_person": "Ansprechpartner",
    "mandate_signed_at": "Mandat unterschrieben am",
    "first_debit_at": "Erste Lastschrift",
    "size": "Größe (Bytes)",
    "content_type": "Dateityp",
    "sha256": "Prüfsumme (SHA-256)",
    # the keys of kk's data.json (kk/services/dsgvo.py)
    "archived_by": "Archiviert von",
    "account_number": "Kontonummer",
    "bank_code": "BLZ",
    "mandate": "SEPA-Mandat",
    "mandate_ref": "Mandatsreferenz",
    "mandate_date": "Mandat unterschrieben am",
    "first_debit_date": "Erste Lastschrift",
    "channel": "Kanal",
    "granted": "Erteilt",
    "date": "Datum",
    "source": "Quelle",
    "order_id": "Auftrag",
    "activity_id": "Aktivität",
    "person_id": "Ansprechpartner",
    "due": "Fällig",
    "service_date": "Leistungsdatum",
    "discount_kind": "Rabattart",
    "discount_value": "Rabatt",
    "recipient": "Empfänger",
    "customer_vat_id": "USt-IdNr. des Kunden",
    "reverse_charge": "Reverse Charge",
    "small_business": "Kleinunternehmer",
    "issued_at": "Ausgestellt am",
    "position": "Pos.",
    "media_type": "Dateityp",
    "uploaded_by": "Hochgeladen von",
    "uploaded_at": "Hochgeladen am",
    "file": "Datei im Archiv",
    "at": "Zeitpunkt",
    "user": "Benutzer",
    "entity": "Datensatz",
    "entity_id": "Datensatz-ID",
    "action": "Aktion",
    "field": "Feld",
    "old": "Alter Wert",
    "new": "Neuer Wert",
}

_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(.*)$")
#: Records wider or wordier than this print as blocks instead of table rows.
MAX_TABLE_COLUMNS = 6
MAX_TABLE_CELL = 120


def _label(key: str) -> str:
    return FIELD_LABELS.get(key, key)


def _section_label(key: str) -> str:
    return SECTION_LABELS.get(key, key.replace("_", " ").capitalize())


def _text(value: Any) -> str:
    """One value in readable German form; nothing is hidden or masked."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, Decimal | int | float):
        return str(value).replace(".", ",")
    if isinstance(value, str):
        if _DECIMAL.match(value):
            return value.replace(".", ",")
        if m := _ISO_DATE.match(value):
            return f"{m[3]}.{m[2]}.{m[1]}"
        if m := _ISO_TIME.match(value):
            zone = " UTC" if m[6] in ("+00:00", "Z") else m[6]
            return f"{m[3]}.{m[2]}.{m[1]} {m[4]}:{m[5]}{zone}"
        return value
    if isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            return ", ".join(_text(v) for v in value) or "–"
        return "\n".join(f"– {_text(v)}" for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{_label(k)}: {_text(v)}" for k, v in value.items())
    return str(value)


def _count(value: Any) -> int:
    if isinstance(value, list):
        return len(value)
    if isinstance(value, dict):
        return 1 if value else 0
    return 0 if value in (None, "") else 1


def _records(n: int) -> str:
    return "1 Datensatz" if n == 1 else f"{n} Datensätze"


def _nb(text: str) -> str:
    """Keep ``§ 147`` and ``Art. 15`` together across line breaks."""
    return text.replace("§ ", "§\u00a0").replace("Art. ", "Art.\u00a0")


def _bullets(pdf: KkPdf, items: list[str]) -> None:
    from kk.formats.pdf_base import BODY_WIDTH, FONT

    pdf.set_font(FONT, size=9.5)
    for item in items:
        pdf.set_x(pdf.l_margin)
        pdf.cell(5, 4.6, "•")
        pdf.multi_cell(BODY_WIDTH - 5, 4.6, _nb(item), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)


def _col_widths(pdf: KkPdf, header: list[str], rows: list[list[str]]) -> list[float]:
    """Columns as wide as their content (capped), stretched to the body width."""
    from kk.formats.pdf_base import BODY_WIDTH, FONT

    natural = []
    for i, head in enumerate(header):
        pdf.set_font(FONT, "B", 8)
        width = max(pdf.get_string_width(w) for w in head.split())
        pdf.set_font(FONT, size=8)
        for row in rows:
            width = max(width, *(pdf.get_string_width(line) for line in row[i].split("\n")))
        natural.append(min(width + 3, BODY_WIDTH * 0.45))
    total = sum(natural)
    return [w * BODY_WIDTH / total for w in natural]


def _key_values(pdf: KkPdf, pairs: list[tuple[str, str]]) -> None:
    from kk.formats.pdf_base import BODY_WIDTH, FONT

    key_width = 45.0
    for key, value in pairs:
        if pdf.will_page_break(9):
            pdf.add_page()
        page, y = pdf.page, pdf.get_y()
        pdf.set_font(FONT, "B", 9)
        pdf.multi_cell(key_width - 2, 4.4, key, align="L", new_x="LMARGIN", new_y="NEXT")
        key_end = pdf.get_y()
        pdf.set_font(FONT, size=9)
        pdf.set_xy(pdf.l_margin + key_width, y)
        pdf.multi_cell(BODY_WIDTH - key_width, 4.4, value, align="L", new_x="LMARGIN", new_y="NEXT")
        if pdf.page == page:
            pdf.set_y(max(key_end, pdf.get_y()))
        pdf.ln(0.6)
    pdf.set_font(FONT, size=10)


def _table(pdf: KkPdf, rows: list[dict[str, Any]], columns: list[str]) -> None:
    from fpdf.fonts import FontFace

    from kk.formats.pdf_base import BODY_WIDTH, FONT

    header = [_label(c) for c in columns]
    cells = [[_text(record.get(c)) for c in columns] for record in rows]
    widths = _col_widths(pdf, header, cells)
    pdf.set_font(FONT, size=8)
    with pdf.table(
        width=BODY_WIDTH,
        col_widths=widths,
        align="LEFT",
        text_align="LEFT",
        borders_layout="HORIZONTAL_LINES",
        headings_style=FontFace(emphasis="BOLD", fill_color=(232, 232, 232)),
        line_height=3.8,
        padding=(1, 1, 1, 1),
        repeat_headings=1,
    ) as table:
        table.row(header)
        for row in cells:
            table.row(row)
    pdf.set_font(FONT, size=10)


def _list_section(pdf: KkPdf, title: str, items: list[Any]) -> None:
    if not items:
        pdf.paragraph("Keine Daten gespeichert.")
        return
    if not all(isinstance(item, dict) for item in items):
        pdf.paragraph(_text(items))
        return
    columns: list[str] = []
    for item in items:
        columns.extend(k for k in item if k not in columns)
    texts = [_text(item.get(c)) for item in items for c in columns]
    nested = any(isinstance(v, dict | list) for item in items for v in item.values())
    if len(columns) <= MAX_TABLE_COLUMNS and not nested and max(map(len, texts)) <= MAX_TABLE_CELL:
        _table(pdf, items, columns)
        return
    for i, item in enumerate(items, start=1):
        pdf.heading(f"{title} – Eintrag {i} von {len(items)}", size=9.5)
        _key_values(pdf, [(_label(k), _text(v)) for k, v in item.items()])


def _controller_lines(c: dict[str, str | None]) -> list[str]:
    def get(key: str) -> str:
        return (c.get(key) or "").strip()

    city = " ".join(p for p in (get("postal_code"), get("city")) if p)
    lines = [get("name"), get("street"), city]
    if get("country") and get("country").upper() not in ("DE", "DEUTSCHLAND"):
        lines.append(get("country"))
    if get("email"):
        lines.append(f"E-Mail: {get('email')}")
    if get("phone"):
        lines.append(f"Tel.: {get('phone')}")
    return [line for line in lines if line]


def _appendix(pdf: KkPdf, data: dict[str, Any]) -> None:
    scalars = [(_label(k), _text(v)) for k, v in data.items() if not isinstance(v, dict | list)]
    if scalars:
        pdf.heading("Allgemein", size=10.5)
        _key_values(pdf, scalars)
    for key, value in data.items():
        if isinstance(value, dict):
            pdf.heading(_section_label(key), size=10.5)
            _key_values(pdf, [(_label(k), _text(v)) for k, v in value.items()])
        elif isinstance(value, list):
            title = _section_label(key)
            pdf.heading(f"{title} ({_records(len(value))})", size=10.5)
            _list_section(pdf, title, value)


def render_auskunft_pdf(doc: AuskunftDoc) -> bytes:
    """The report as PDF bytes; same ``doc``, same bytes."""
    from kk.formats.pdf_base import FONT, KkPdf, creation_datetime

    controller = _controller_lines(doc.controller)
    title = "Auskunft nach Art. 15 DSGVO"
    pdf = KkPdf(
        title=f"{title}: {doc.subject_name} ({doc.subject_number})",
        author=(doc.controller.get("name") or "kk"),
        created_at=creation_datetime(doc.created_at, doc.created),
        footer_columns=[controller[:3], controller[3:]],
        running_head=f"{title} · {doc.subject_name} ({doc.subject_number})",
    )
    pdf.add_page()
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(0, 8, title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    head = [
        ("Verantwortlicher", "\n".join(controller) or "–"),
        ("Betroffene Person", f"{doc.subject_name}\nKundennummer {doc.subject_number}"),
        ("Datum", format_de_date(doc.created)),
    ]
    if doc.controller.get("dpo"):
        head.insert(1, ("Datenschutzbeauftragter", doc.controller["dpo"] or ""))
    _key_values(pdf, head)
    pdf.ln(3)
    pdf.paragraph(
        _nb(
            "Sie haben Auskunft über die zu Ihrer Person gespeicherten Daten verlangt. Wir "
            "bestätigen, dass wir personenbezogene Daten über Sie verarbeiten, und geben Ihnen "
            "hiermit Auskunft nach Art. 15 DSGVO. Eine Kopie der Daten (Art. 15 Abs. 3 DSGVO) "
            "finden Sie im Anhang dieses Schreibens."
        )
    )

    pdf.heading(SECTION_TITLES["a"])
    _bullets(pdf, doc.purposes if doc.purposes is not None else DEFAULT_PURPOSES)

    pdf.heading(SECTION_TITLES["b"])
    present = [(k, _count(v)) for k, v in doc.data.items() if isinstance(v, dict | list)]
    categories = [f"{_section_label(k)}: {_records(n)}" for k, n in present if n]
    _bullets(pdf, categories or ["Keine Daten gespeichert."])

    pdf.heading(SECTION_TITLES["c"])
    _bullets(pdf, doc.recipients if doc.recipients is not None else DEFAULT_RECIPIENTS)

    pdf.heading(SECTION_TITLES["d"])
    _bullets(pdf, RETENTION)

    pdf.heading(SECTION_TITLES["e"])
    pdf.paragraph(_nb(RIGHTS))

    pdf.heading(SECTION_TITLES["f"])
    authority = (doc.controller.get("supervisory_authority") or "").strip()
    pdf.paragraph(
        _nb(
            "Sie haben das Recht, sich bei einer Datenschutz-Aufsichtsbehörde zu beschweren "
            "(Art. 77 DSGVO), insbesondere in dem Mitgliedstaat Ihres Aufenthaltsorts, Ihres "
            "Arbeitsplatzes oder des Orts des mutmaßlichen Verstoßes."
            + (f" Für uns zuständig ist: {authority}." if authority else "")
        )
    )

    pdf.heading(SECTION_TITLES["g"])
    pdf.paragraph(_nb(SOURCES))

    pdf.heading(SECTION_TITLES["h"])
    pdf.paragraph(_nb(AUTOMATED))

    pdf.heading(SECTION_TITLES["2"])
    pdf.paragraph(_nb(doc.third_country or THIRD_COUNTRY))

    pdf.add_page()
    pdf.heading("Anhang: Ihre gespeicherten Daten", size=13)
    _appendix(pdf, doc.data)
    return pdf.to_bytes()
