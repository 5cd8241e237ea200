"""Offers, order confirmations and invoices as PDF, laid out after DIN 5008 form B.

Geometry (mm from the top-left corner of A4): the address window is 85 × 45 at (20, 45);
its top 17.7 mm hold the sender line, the recipient starts below. The info block sits to the
right at x = 125, the subject line at 98.5, folding marks at 105 and 210, the hole mark at
148.5. fpdf is imported inside ``render_invoice_pdf``: it costs ~400 ms at import.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from kk.errors import ValidationFailed
from kk.formats.pdf_model import InvoiceDoc
from kk.money import format_de_date, format_de_number, format_de_quantity, format_eur

if TYPE_CHECKING:
    from kk.formats.pdf_base import KkPdf

__all__ = ["render_invoice_pdf"]

WINDOW_X, WINDOW_Y, WINDOW_W, WINDOW_H = 20.0, 45.0, 85.0, 45.0
SENDER_LINE_ZONE = 17.7
INFO_X, INFO_W = 125.0, 65.0
SUBJECT_Y = 98.5

_NUMBER_LABELS = {
    "Angebot": ("Angebotsnr.", "Angebotsdatum"),
    "Auftragsbestätigung": ("Auftragsnr.", "Datum"),
    "Rechnung": ("Rechnungsnr.", "Rechnungsdatum"),
    "Stornorechnung": ("Rechnungsnr.", "Rechnungsdatum"),
}


def _s(sender: dict[str, str | None], key: str) -> str:
    return (sender.get(key) or "").strip()


def _city_line(sender: dict[str, str | None]) -> str:
    return " ".join(p for p in (_s(sender, "postal_code"), _s(sender, "city")) if p)


def _group_iban(iban: str) -> str:
    compact = "".join(iban.split()).upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def _money(d: Decimal) -> str:
    """Unit prices keep sub-cent decimals (``0,335 €``); everything else is in cents."""
    exponent = d.normalize().as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    return f"{format_de_number(d, places)} €"


def footer_columns(sender: dict[str, str | None]) -> list[list[str]]:
    """The sender's legal and bank data for the footer, grouped as German letters do."""
    address = [_s(sender, "name"), _s(sender, "street"), _city_line(sender)]
    if _s(sender, "country") and _s(sender, "country").upper() not in ("DE", "DEUTSCHLAND"):
        address.append(_s(sender, "country"))
    contact = []
    if _s(sender, "phone"):
        contact.append(f"Tel. {_s(sender, 'phone')}")
    if _s(sender, "email"):
        contact.append(_s(sender, "email"))
    tax = []
    if _s(sender, "vat_id"):
        tax.append(f"USt-IdNr.: {_s(sender, 'vat_id')}")
    if _s(sender, "tax_number"):
        tax.append(f"Steuernr.: {_s(sender, 'tax_number')}")
    if _s(sender, "register_number"):
        tax.append(_s(sender, "register_number"))
    bank = [_s(sender, "bank")] if _s(sender, "bank") else []
    if _s(sender, "iban"):
        bank.append(f"IBAN: {_group_iban(_s(sender, 'iban'))}")
    if _s(sender, "bic"):
        bank.append(f"BIC: {_s(sender, 'bic')}")
    return [[p for p in col if p] for col in (address, contact, tax, bank)]


def _marks(pdf: KkPdf) -> None:
    """Folding marks (form B: 105 and 210 mm) and the hole mark (148.5 mm)."""
    pdf.set_draw_color(150)
    pdf.set_line_width(0.2)
    for y, length in ((105.0, 5.0), (148.5, 7.0), (210.0, 5.0)):
        pdf.line(3, y, 3 + length, y)
    pdf.set_draw_color(0)


def _letterhead(pdf: KkPdf, sender: dict[str, str | None]) -> None:
    from kk.formats.pdf_base import FONT

    pdf.set_xy(INFO_X, 15)
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(INFO_W, 6, _s(sender, "name"), align="R", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, size=8)
    for text in (_s(sender, "street"), _city_line(sender), _s(sender, "phone"),
                 _s(sender, "email")):  # fmt: skip
        if text:
            pdf.cell(INFO_W, 3.8, text, align="R", new_x="LEFT", new_y="NEXT")


def _address_window(pdf: KkPdf, doc: InvoiceDoc) -> None:
    from kk.formats.pdf_base import FONT

    sender_line = " · ".join(
        p for p in (_s(doc.sender, "name"), _s(doc.sender, "street"), _city_line(doc.sender)) if p
    )
    size = 7.0
    pdf.set_font(FONT, size=size)
    while size > 5 and pdf.get_string_width(sender_line) > WINDOW_W:
        size -= 0.5
        pdf.set_font(FONT, size=size)
    line_y = WINDOW_Y + SENDER_LINE_ZONE - 6
    pdf.set_xy(WINDOW_X, line_y)
    pdf.cell(WINDOW_W, 3.5, sender_line)
    pdf.set_draw_color(120)
    pdf.line(WINDOW_X, line_y + 3.8, WINDOW_X + WINDOW_W, line_y + 3.8)
    pdf.set_draw_color(0)
    pdf.set_font(FONT, size=10)
    pdf.set_xy(WINDOW_X, WINDOW_Y + SENDER_LINE_ZONE)
    for line in doc.recipient:
        pdf.cell(WINDOW_W, 4.3, line, new_x="LEFT", new_y="NEXT")


def _info_block(pdf: KkPdf, doc: InvoiceDoc) -> float:
    from kk.formats.pdf_base import FONT

    number_label, date_label = _NUMBER_LABELS.get(doc.kind, ("Nummer", "Datum"))
    rows = [(number_label, doc.number), (date_label, format_de_date(doc.date))]
    if doc.service_date:
        rows.append(("Leistungsdatum", format_de_date(doc.service_date)))
    if doc.due_date:
        label = "Gültig bis" if doc.kind == "Angebot" else "Fällig am"
        rows.append((label, format_de_date(doc.due_date)))
    if doc.customer_number:
        rows.append(("Kundennr.", doc.customer_number))
    if doc.customer_vat_id:
        rows.append(("Ihre USt-IdNr.", doc.customer_vat_id))
    if _s(doc.sender, "vat_id"):
        rows.append(("Unsere USt-IdNr.", _s(doc.sender, "vat_id")))
    elif _s(doc.sender, "tax_number"):
        rows.append(("Steuernr.", _s(doc.sender, "tax_number")))
    y = WINDOW_Y + 5
    pdf.set_font(FONT, size=9)
    for label, value in rows:
        pdf.set_xy(INFO_X, y)
        pdf.cell(30, 4.5, label)
        pdf.cell(INFO_W - 30, 4.5, value, align="R")
        y += 4.5
    pdf.set_font(FONT, size=10)
    return y


def _lines_table(pdf: KkPdf, doc: InvoiceDoc) -> None:
    from kk.formats.pdf_base import BODY_WIDTH, FONT

    with_discount = any(line.discount for line in doc.lines)
    headings = ["Pos.", "Beschreibung", "Menge", "Einheit", "Einzelpreis"]
    widths: list[float] = [10, 77, 17, 15, 23]
    aligns = ["R", "L", "R", "L", "R"]
    if with_discount:
        headings.append("Rabatt")
        widths = [10, 61, 17, 15, 22, 18]
        aligns.append("R")
    headings.append("Gesamt")
    widths.append(BODY_WIDTH - sum(widths))
    aligns.append("R")

    pdf.set_font(FONT, size=8.5)
    try:
        _fill_table(pdf, doc, widths, aligns, headings, with_discount)
    except ValueError as exc:
        if "too high" not in str(exc):
            raise
        raise ValidationFailed(
            f"--description: a line of {doc.kind} {doc.number} is too long to print on one page",
            field="description",
        ) from None
    pdf.set_font(FONT, size=10)


def _fill_table(
    pdf: KkPdf,
    doc: InvoiceDoc,
    widths: list[float],
    aligns: list[str],
    headings: list[str],
    with_discount: bool,
) -> None:
    from fpdf.fonts import FontFace

    from kk.formats.pdf_base import BODY_WIDTH

    with pdf.table(
        width=BODY_WIDTH,
        col_widths=widths,
        align="LEFT",
        text_align=tuple(aligns),
        borders_layout="HORIZONTAL_LINES",
        headings_style=FontFace(emphasis="BOLD", fill_color=(232, 232, 232)),
        line_height=4.2,
        padding=(1, 1, 1, 1),
        repeat_headings=1,
    ) as table:
        table.row(headings)
        for line in doc.lines:
            cells = [
                str(line.position),
                line.description,
                format_de_quantity(line.quantity),
                line.unit or "",
                _money(line.unit_price),
            ]
            if with_discount:
                cells.append(line.discount.describe() if line.discount else "")
            cells.append(format_eur(line.net))
            table.row(cells)


def _totals(pdf: KkPdf, doc: InvoiceDoc) -> None:
    from kk.formats.pdf_base import FONT, PAGE_WIDTH, RIGHT

    t = doc.totals
    rows: list[tuple[str, str, bool]] = []
    if t.discount_amount or t.order_discount:
        rows.append(("Summe netto", format_eur(t.net_before_discount), False))
        label = "abzgl. Rabatt"
        if t.order_discount and t.order_discount.kind == "percent":
            label += f" {t.order_discount.describe()}"
        rows.append((label, format_eur(-t.discount_amount), False))
    rows.append(("Nettobetrag", format_eur(t.net_total), False))
    if not t.vat_exempt:
        for row in t.vat_breakdown:
            rate = format_de_quantity(row.rate)
            rows.append(
                (f"zzgl. {rate} % USt auf {format_eur(row.net_base)}", format_eur(row.vat), False)
            )
    rows.append(("Gesamtbetrag", format_eur(t.gross_total), True))

    height = 5.0 * len(rows) + 6
    if pdf.will_page_break(height):
        pdf.add_page()
    pdf.ln(3)
    x = PAGE_WIDTH - RIGHT - 100
    for label, value, bold in rows:
        pdf.set_font(FONT, "B" if bold else "", 10 if bold else 9.5)
        if bold:
            pdf.line(x, pdf.get_y() + 0.5, PAGE_WIDTH - RIGHT, pdf.get_y() + 0.5)
            pdf.ln(1)
        pdf.set_x(x)
        pdf.cell(70, 5, label)
        pdf.cell(30, 5, value, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)


def render_invoice_pdf(doc: InvoiceDoc) -> bytes:
    """The document as PDF bytes; same ``doc``, same bytes."""
    from kk.formats.pdf_base import FONT, KkPdf, creation_datetime

    title = f"{doc.kind} {doc.number}"
    name = _s(doc.sender, "name")
    pdf = KkPdf(
        title=title,
        author=name or "kk",
        created_at=creation_datetime(doc.created_at, doc.date),
        footer_columns=footer_columns(doc.sender),
        running_head=" · ".join(p for p in (name, title) if p),
    )
    pdf.add_page()
    _marks(pdf)
    _letterhead(pdf, doc.sender)
    _address_window(pdf, doc)
    info_end = _info_block(pdf, doc)

    pdf.set_xy(pdf.l_margin, max(SUBJECT_Y, info_end + 6))
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    if doc.intro:
        pdf.paragraph(doc.intro)
        pdf.ln(3)
    _lines_table(pdf, doc)
    _totals(pdf, doc)
    if doc.notes:
        pdf.ln(5)
        for note in doc.notes:
            pdf.paragraph(note)
            pdf.ln(1)
    return pdf.to_bytes()
