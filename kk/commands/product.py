"""`kk product add|list|show|edit|archive|restore`: products and prices."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from kk.commands import record_options as r
from kk.commands._common import FormatOption, WriteFormatOption, reading
from kk.render import emit_one, resolve

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Products and prices.")

COLUMNS = [("sku", "SKU"), ("name", "Name"), ("unit", "Unit"), ("unit_price", "Price EUR"),
           ("vat_rate", "VAT %"), ("archived", "Archived")]  # fmt: skip
FIELDS = [("sku", "SKU"), ("name", "Name"), ("unit", "Unit"), ("unit_price", "Price EUR"),
          ("vat_rate", "VAT %"), ("archived_at", "Archived"), ("created_at", "Created"),
          ("updated_at", "Updated")]  # fmt: skip

Sku = Annotated[str, typer.Argument(help="The product's SKU.")]
SkuOpt = Annotated[str | None, typer.Option("--sku", help="Article number (unique).")]
NameOpt = Annotated[str | None, typer.Option("--name", help="Name on quotes and invoices.")]
Unit = Annotated[str | None, typer.Option("--unit", help="Unit: h, Stk, kg …")]
Price = Annotated[
    str | None, typer.Option("--price", help="Net unit price in EUR: 95.00 or 95,00.")
]
Vat = Annotated[str | None, typer.Option("--vat", help="VAT rate in %: 19, 7 or 0.")]


class Clearable(StrEnum):
    unit = "unit"


def _show(sku: str) -> dict[str, Any]:
    from kk.services import products

    with reading() as (connection, _actor):
        return products.get_product(connection, sku)


@app.command()
def add(
    sku: SkuOpt = None,
    name: NameOpt = None,
    unit: Unit = None,
    price: Price = None,
    vat: Vat = "19",
    fmt: WriteFormatOption = None,
) -> None:
    """Add a product; prints its SKU."""
    from kk.errors import ValidationFailed
    from kk.services import products

    if price is None:
        raise ValidationFailed("--price: a product needs a net unit price", field="price")
    with reading() as (connection, actor):
        added = products.add_product(
            connection, sku=sku or "", name=name or "", unit=unit, price=price,
            vat=vat or "19", actor=actor,
        )  # fmt: skip
    r.written(added, resolve(fmt), lambda: _show(added))


@app.command("list")
def list_(
    search: Annotated[
        str | None, typer.Option("--search", help="SKU or name contains this.")
    ] = None,
    archived: Annotated[bool, typer.Option("--archived", help="Only archived ones.")] = False,
    include_archived: Annotated[
        bool, typer.Option("--include-archived", help="Archived and active ones.")
    ] = False,
    limit: r.Limit = 50,
    all_rows: r.AllRows = False,
    after: r.After = None,
    fmt: FormatOption = None,
) -> None:
    """Products by SKU."""
    from kk.services import products

    if archived and include_archived:
        raise typer.BadParameter("--archived and --include-archived exclude each other")
    mode = "archived" if archived else "all" if include_archived else "active"
    with reading() as (connection, _actor):
        rows, token = products.list_products(
            connection, archived=mode, search=search, limit=None if all_rows else limit,
            after=after,
        )  # fmt: skip
    r.emit_page(rows, token, resolve(fmt), columns=COLUMNS, keys=products.PRODUCT_KEYS)


@app.command()
def show(sku: Sku, fmt: FormatOption = None) -> None:
    """One product."""
    emit_one(_show(sku), resolve(fmt), fields=FIELDS)


@app.command()
def edit(
    sku: Sku,
    new_sku: SkuOpt = None,
    name: NameOpt = None,
    unit: Unit = None,
    price: Price = None,
    vat: Vat = None,
    unset: Annotated[
        list[Clearable] | None,
        typer.Option("--unset", case_sensitive=False, help="Clear this field."),
    ] = None,
    fmt: WriteFormatOption = None,
) -> None:
    """Change a product; lines already written keep their own price and VAT."""
    from kk.services import products

    given = {"sku": new_sku, "name": name, "unit": unit, "unit_price": price, "vat_rate": vat}
    changes: dict[str, Any] = {key: value for key, value in given.items() if value is not None}
    for field in unset or []:
        changes[field.value] = None
    if not changes:
        raise typer.BadParameter("give at least one field to change (see --help)")
    with reading() as (connection, actor):
        current = products.edit_product(connection, sku, changes=changes, actor=actor)
    r.written(current, resolve(fmt), lambda: _show(current))


@app.command()
def archive(sku: Sku, fmt: WriteFormatOption = None) -> None:
    """Archive a product: it stays on existing lines but cannot be put on new ones."""
    from kk.services import products

    with reading() as (connection, actor):
        current = products.set_archived(connection, sku, archived=True, actor=actor)
    r.written(current, resolve(fmt), lambda: _show(current))


@app.command()
def restore(sku: Sku, fmt: WriteFormatOption = None) -> None:
    """Bring an archived product back."""
    from kk.services import products

    with reading() as (connection, actor):
        current = products.set_archived(connection, sku, archived=False, actor=actor)
    r.written(current, resolve(fmt), lambda: _show(current))
