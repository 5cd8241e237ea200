"""`kk order add|list|show|edit|line|status|convert|cancel|issue|delete|pdf`: quotes (AN-),
orders (AU-) and invoices (RE-)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from kk.commands import record_options as r
from kk.commands._common import FormatOption, WriteFormatOption, YesOption, confirm, reading
from kk.render import emit_one, message, resolve

app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None, help="Quotes, orders, invoices and their PDFs."
)
line_app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None, help="The lines of a quote, order or invoice."
)
app.add_typer(line_app, name="line")


class Kind(StrEnum):
    quote = "quote"
    order = "order"
    invoice = "invoice"


class Target(StrEnum):
    order = "order"
    invoice = "invoice"


class Clearable(StrEnum):
    description = "description"
    service_date = "service-date"
    due_date = "due-date"
    discount = "discount"


COLUMNS = [("number", "Number"), ("kind", "Kind"), ("status", "Status"),
           ("booking_date", "Date"), ("customer", "Customer"), ("customer_name", "Name"),
           ("name", "Subject"), ("net_total", "Net EUR"), ("gross_total", "Gross EUR")]  # fmt: skip
FIELDS = [("number", "Number"), ("kind", "Kind"), ("status", "Status"),
          ("customer", "Customer"), ("customer_name", "Customer name"), ("name", "Subject"),
          ("description", "Description"), ("booking_date", "Date"),
          ("service_date", "Service date"), ("due_date", "Due"), ("discount_text", "Discount"),
          ("net_before_discount", "Net before discount"), ("net_total", "Net EUR"),
          ("vat_total", "VAT EUR"), ("gross_total", "Gross EUR"),
          ("tax_note", "Tax"), ("customer_vat_id", "Customer VAT ID"), ("labels", "Labels"),
          ("source", "From"), ("converted_to", "Converted to"), ("cancels", "Cancels"),
          ("cancelled_by", "Cancelled by"), ("issued_at", "Issued"), ("paid_at", "Paid"),
          ("created_at", "Created"), ("created_by", "Created by")]  # fmt: skip
LINE_COLUMNS = [("position", "Pos"), ("product", "Product"), ("description", "Description"),
                ("quantity", "Qty"), ("unit", "Unit"), ("unit_price", "Price EUR"),
                ("vat_rate", "VAT %"), ("discount_text", "Discount"),
                ("net", "Net EUR")]  # fmt: skip
VAT_COLUMNS = [("rate", "VAT %"), ("net", "Net EUR"), ("vat", "VAT EUR")]
SECTIONS = [("lines", "Lines", LINE_COLUMNS), ("vat_breakdown", "VAT", VAT_COLUMNS)]

Number = Annotated[str, typer.Argument(help="Number: AN-2026-0001, AU-2026-0001, RE-2026-0001.")]
Position = Annotated[int, typer.Argument(help="Line position (see 'kk order show').")]
NameOpt = Annotated[str | None, typer.Option("--name", help="Subject (required).")]
Description = Annotated[str | None, typer.Option("--description", help="Details.")]
DateOpt = Annotated[
    str | None, typer.Option("--date", help="Booking date (default today): 2026-11-23.")
]
ServiceDate = Annotated[
    str | None, typer.Option("--service-date", help="Leistungsdatum (invoices: default --date).")
]
DueDate = Annotated[
    str | None,
    typer.Option("--due-date", help="Due (invoices: default --date + invoice.payment_days)."),
]
Discount = Annotated[str | None, typer.Option("--discount", help="10% is percent, 25.00 is EUR.")]
Product = Annotated[str | None, typer.Option("--product", help="SKU of a product.")]
LineText = Annotated[str | None, typer.Option("--text", help="Description of the line.")]
Price = Annotated[str | None, typer.Option("--price", help="Net unit price in EUR.")]
Vat = Annotated[str | None, typer.Option("--vat", help="VAT rate: 19, 7 or 0.")]
Qty = Annotated[str | None, typer.Option("--qty", help="Quantity (default 1).")]
Unit = Annotated[str | None, typer.Option("--unit", help="Unit: h, Stk …")]


def _discount_text(discount: dict[str, Any] | None) -> str | None:
    if not discount:
        return None
    if discount["kind"] == "percent":
        return f"{discount['value']} % ({discount['amount']} EUR)"
    return f"{discount['value']} EUR"


def for_table(order: dict[str, Any]) -> dict[str, Any]:
    """The order with the few derived cells the table shows."""
    notes = (("small_business", "§ 19 UStG, no VAT"), ("reverse_charge", "reverse charge, 0 %"))
    tax = [name for flag, name in notes if order[flag]]
    return {
        **order,
        "discount_text": _discount_text(order["discount"]),
        "tax_note": "; ".join(tax) or None,
        "lines": [
            {**line, "discount_text": _discount_text(line["discount"])} for line in order["lines"]
        ],  # fmt: skip
    }


def _get(number: str) -> dict[str, Any]:
    from kk.services import order_read

    with reading() as (connection, _actor):
        return order_read.get_order(connection, number)


@app.command()
def add(
    ref: Annotated[str, typer.Argument(help="Customer number: CUS-0001, cus-1 or 1.")],
    kind: Annotated[
        Kind | None, typer.Option("--kind", case_sensitive=False, help="quote, order or invoice.")
    ] = None,
    name: NameOpt = None,
    description: Description = None,
    date: DateOpt = None,
    service_date: ServiceDate = None,
    due_date: DueDate = None,
    discount: Discount = None,
    fmt: WriteFormatOption = None,
) -> None:
    """Add a quote, order or invoice (with the customer's discount and labels); prints its
    number."""
    from kk.errors import ValidationFailed
    from kk.services import orders

    if kind is None:
        raise ValidationFailed("--kind: give quote, order or invoice", field="kind")
    with reading() as (connection, actor):
        number = orders.add_order(
            connection, ref, kind=kind.value, name=name or "", description=description,
            date=date, service_date=service_date, due_date=due_date, discount=discount,
            actor=actor,
        )  # fmt: skip
    r.written(number, resolve(fmt), lambda: _get(number))


@app.command("list")
def list_(
    ref: r.CustomerRef = None,
    kind: Annotated[Kind | None, typer.Option("--kind", case_sensitive=False)] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="draft, sent, accepted, open, paid …")
    ] = None,
    limit: r.Limit = 50,
    all_rows: r.AllRows = False,
    after: r.After = None,
    fmt: FormatOption = None,
) -> None:
    """Quotes, orders and invoices, newest first: of one customer or of all."""
    from kk.services import order_read

    with reading() as (connection, _actor):
        rows, token = order_read.list_orders(
            connection, ref, kind=kind.value if kind else None, status=status,
            limit=None if all_rows else limit, after=after,
        )  # fmt: skip
    r.emit_page(rows, token, resolve(fmt), columns=COLUMNS, keys=order_read.SUMMARY_KEYS)


@app.command()
def show(number: Number, fmt: FormatOption = None) -> None:
    """One quote, order or invoice with its lines, VAT breakdown and totals."""
    order = _get(number)
    chosen = resolve(fmt)
    emit_one(for_table(order) if chosen == "table" else order, chosen, fields=FIELDS,
             sections=SECTIONS)  # fmt: skip


@app.command()
def edit(
    number: Number,
    name: NameOpt = None,
    description: Description = None,
    date: DateOpt = None,
    service_date: ServiceDate = None,
    due_date: DueDate = None,
    discount: Discount = None,
    unset: Annotated[
        list[Clearable] | None,
        typer.Option("--unset", case_sensitive=False, help="Clear this field (repeatable)."),
    ] = None,
    fmt: WriteFormatOption = None,
) -> None:
    """Change subject, dates or the order discount (not of an issued invoice)."""
    from kk.services import orders

    given = {"name": name, "description": description, "date": date,
             "service_date": service_date, "due_date": due_date, "discount": discount}  # fmt: skip
    changes: dict[str, str | None] = {k: v for k, v in given.items() if v is not None}
    for field in unset or []:
        changes[field.value.replace("-", "_")] = None
    if not changes:
        raise typer.BadParameter("give at least one field to change (see --help)")
    with reading() as (connection, actor):
        current = orders.edit_order(connection, number, changes=changes, actor=actor)
    r.written(current, resolve(fmt), lambda: _get(current))


@line_app.command("add")
def line_add(
    number: Number,
    product: Product = None,
    text: LineText = None,
    price: Price = None,
    vat: Vat = None,
    qty: Qty = None,
    unit: Unit = None,
    discount: Annotated[
        str | None, typer.Option("--discount", help="On this line: 10% or 5.00 EUR.")
    ] = None,
    fmt: WriteFormatOption = None,
) -> None:
    """Add a line: a product (--product SKU) or free text (--text, --price, --vat); prints
    its position."""
    from kk.services import orders

    with reading() as (connection, actor):
        position = orders.add_line(
            connection, number, product=product, text_value=text, price=price, vat=vat,
            qty=qty or "1", unit=unit, discount=discount, actor=actor,
        )  # fmt: skip
    r.written(position, resolve(fmt), lambda: _get(number))


@line_app.command("edit")
def line_edit(
    number: Number,
    position: Position,
    product: Product = None,
    text: LineText = None,
    price: Price = None,
    vat: Vat = None,
    qty: Qty = None,
    unit: Unit = None,
    discount: Annotated[
        str | None, typer.Option("--discount", help="10%, 5.00 EUR, or 0 for none.")
    ] = None,
    fmt: WriteFormatOption = None,
) -> None:
    """Change a line."""
    from kk.services import orders

    with reading() as (connection, actor):
        orders.edit_line(
            connection, number, position, product=product, text_value=text, price=price,
            vat=vat, qty=qty, unit=unit, discount=discount, actor=actor,
        )  # fmt: skip
    r.written(position, resolve(fmt), lambda: _get(number))


@line_app.command("remove")
def line_remove(number: Number, position: Position, fmt: WriteFormatOption = None) -> None:
    """Remove a line; the ones after it move up."""
    from kk.services import orders

    with reading() as (connection, actor):
        orders.remove_line(connection, number, position, actor=actor)
    r.written(position, resolve(fmt), lambda: _get(number))


@app.command()
def status(
    number: Number,
    new_status: Annotated[
        str,
        typer.Argument(
            metavar="STATUS",
            help="quote: sent, accepted, rejected; order: open, done, cancelled; "
            "invoice: paid, open.",
        ),
    ],
    fmt: WriteFormatOption = None,
) -> None:
    """Change the status along the allowed transitions; prints the new status."""
    from kk.services import orders

    with reading() as (connection, actor):
        current = orders.set_status(connection, number, new_status, actor=actor)
    r.written(current, resolve(fmt), lambda: _get(number))


@app.command()
def convert(
    number: Number,
    to: Annotated[
        Target | None,
        typer.Option("--to", case_sensitive=False, help="order or invoice (default: the next)."),
    ] = None,
    date: DateOpt = None,
    fmt: WriteFormatOption = None,
) -> None:
    """Quote → order → invoice (an open order straight to an invoice too), keeping the
    lines; prints the new number."""
    from kk.services import orders

    with reading() as (connection, actor):
        created = orders.convert(
            connection, number, to=to.value if to else None, date=date, actor=actor
        )
    r.written(created, resolve(fmt), lambda: _get(created))


@app.command()
def cancel(number: Number, date: DateOpt = None, fmt: WriteFormatOption = None) -> None:
    """Cancel an invoice with a cancellation invoice (Storno); prints the Storno's number."""
    from kk.services import orders

    with reading() as (connection, actor):
        created = orders.cancel_invoice(connection, number, date=date, actor=actor)
    r.written(created, resolve(fmt), lambda: _get(created))


@app.command()
def issue(number: Number, fmt: WriteFormatOption = None) -> None:
    """Issue an invoice without printing it: from now on it cannot be changed."""
    from kk.errors import Conflict
    from kk.services import orders

    with reading() as (connection, actor):
        if not orders.issue(connection, number, actor=actor):
            raise Conflict(f"{number} is no invoice waiting to be issued")
    r.written(number, resolve(fmt), lambda: _get(number))


@app.command()
def delete(number: Number, yes: YesOption = False) -> None:
    """Delete a draft quote (audited); everything else is cancelled by its status."""
    from kk.services import orders

    order = _get(number)
    confirm(f"Delete {order['kind']} {order['number']} ({order['name']})?", yes=yes)
    with reading() as (connection, actor):
        orders.delete_quote(connection, number, actor=actor)


@app.command()
def pdf(
    number: Number,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="PDF file ('-' for stdout; default NUMBER.pdf)."),
    ] = None,
) -> None:
    """Write the PDF (DIN 5008) of a quote, order or invoice; an invoice is issued by it.
    Prints the file's path."""
    from kk.formats.pdf_invoice import render_invoice_pdf
    from kk.services import order_pdf, orders

    with reading() as (connection, actor):
        doc, missing = order_pdf.order_document(connection, number)
        data = render_invoice_pdf(doc)
        issued = orders.issue(connection, number, actor=actor)
    if missing:
        message(
            f"kk: warning: not set, left out of the PDF: {', '.join(missing)} "
            "(kk config set KEY VALUE)"
        )
    if issued:
        message(f"kk: {doc.number} is issued now: it can no longer be changed")
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    target = Path(output) if output else Path(f"{doc.number}.pdf")
    try:
        target.write_bytes(data)
    except OSError as error:
        from kk.errors import KkError

        raise KkError(f"--output: cannot write {target}: {error.strerror}") from None
    sys.stdout.write(f"{target}\n")
