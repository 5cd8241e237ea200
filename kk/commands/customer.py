"""`kk customer …`: add, show, edit, list, search, archive, restore, history, and the
records that hang off a customer (persons, addresses, bank accounts, labels, consents)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from kk.commands import customer_options as o
from kk.commands import listing as ls
from kk.commands._common import (
    FormatOption,
    WriteFormatOption,
    YesOption,
    confirm,
    reading,
    writing,
)
from kk.render import emit_list, emit_one, resolve

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Customers (Kunden).")

LIST_COLUMNS = ls.LIST_COLUMNS
SHOW_FIELDS = [
    ("number", "Number"), ("display_name", "Name"), ("kind", "Kind"),
    ("company_name", "Company"), ("salutation", "Salutation"), ("title", "Title"),
    ("first_name", "First name"), ("last_name", "Last name"), ("street", "Street"),
    ("postal_code", "Postal code"), ("city", "City"), ("country", "Country"),
    ("email", "Email"), ("phone", "Phone"), ("mobile", "Mobile"), ("website", "Website"),
    ("vat_id", "VAT ID"), ("tax_number", "Tax number"), ("register_number", "Register"),
    ("discount_percent", "Discount %"), ("roles", "Roles"), ("labels", "Labels"),
    ("is_template", "Template"), ("do_not_contact", "Do not contact"), ("notes", "Notes"),
    ("archived_at", "Archived at"), ("archive_reason", "Archive reason"),
    ("created_at", "Created"), ("created_by", "Created by"), ("updated_at", "Updated"),
    ("updated_by", "Updated by"), ("last_activity_at", "Last activity"),
]  # fmt: skip
PERSON_COLUMNS = [("id", "Id"), ("salutation", "Anrede"), ("first_name", "First name"),
                  ("last_name", "Last name"), ("role", "Role"), ("email", "Email"),
                  ("phone", "Phone")]  # fmt: skip
ADDRESS_COLUMNS = [("id", "Id"), ("purpose", "Purpose"), ("name", "Name"), ("street", "Street"),
                   ("postal_code", "PLZ"), ("city", "City"), ("country", "Country")]  # fmt: skip
BANK_COLUMNS = [("id", "Id"), ("method", "Method"), ("holder", "Holder"), ("iban", "IBAN"),
                ("bic", "BIC"), ("bank_name", "Bank"), ("mandate_ref", "Mandate"),
                ("mandate_date", "Signed")]  # fmt: skip
HISTORY_COLUMNS = [
    ("at", "When"), ("user", "Who"), ("action", "Action"), ("field", "Field"), ("old", "Old"),
    ("new", "New"), ("entity", "What"), ("entity_id", "Id"),
]  # fmt: skip
SECTIONS = [
    ("persons", "Contact persons", PERSON_COLUMNS),
    ("addresses", "Addresses", ADDRESS_COLUMNS),
    ("bank_accounts", "Bank accounts", BANK_COLUMNS),
    ("history", "Recent history", HISTORY_COLUMNS),
]

Ref = Annotated[str, typer.Argument(help="Customer number: CUS-0001, cus-1 or 1.")]
Limit = Annotated[int, typer.Option("--limit", min=1, help="Rows per page.")]
AllRows = Annotated[bool, typer.Option("--all", help="Every row, streamed (no paging).")]
After = Annotated[str | None, typer.Option("--after", help="Paging token of the next page.")]
Archived = Annotated[bool, typer.Option("--archived", help="Only archived customers.")]
IncludeArchived = Annotated[
    bool, typer.Option("--include-archived", help="Archived and active customers.")
]
Desc = Annotated[bool, typer.Option("--desc", help="Sort descending.")]


def _show_written(number: str, fmt: Any) -> None:
    if resolve(fmt) == "json":
        with reading() as (connection, _actor):
            from kk.services import queries

            emit_one(queries.customer_detail(connection, number), "json", fields=SHOW_FIELDS)
    else:
        import sys

        sys.stdout.write(number + "\n")


@app.command()
def add(
    kind: o.KindOpt = None,
    company_name: o.CompanyName = None,
    register_number: o.RegisterNumber = None,
    vat_id: o.VatId = None,
    tax_number: o.TaxNumber = None,
    salutation: o.Salutation = None,
    title: o.Title = None,
    first_name: o.FirstName = None,
    last_name: o.LastName = None,
    email: o.Email = None,
    phone: o.Phone = None,
    mobile: o.Mobile = None,
    website: o.Website = None,
    street: o.Street = None,
    postal_code: o.PostalCode = None,
    city: o.City = None,
    country: o.Country = None,
    notes: o.Notes = None,
    discount: o.Discount = None,
    label: o.Labels = None,
    role: o.Roles = None,
    template: o.Template = None,
    from_template: Annotated[
        str | None, typer.Option("--from", help="Start from this template customer's fields.")
    ] = None,
    fmt: WriteFormatOption = None,
) -> None:
    """Add a customer; prints its number (or the customer with --format json)."""
    from kk import config
    from kk.services.customers import add_customer

    data = o.field_values(
        kind=kind, company_name=company_name, register_number=register_number, vat_id=vat_id,
        tax_number=tax_number, salutation=salutation, title=title, first_name=first_name,
        last_name=last_name, email=email, phone=phone, mobile=mobile, website=website,
        street=street, postal_code=postal_code, city=city, country=country, notes=notes,
        discount=discount, roles=role, template=template,
    )  # fmt: skip
    with writing() as (session, actor):
        customer = add_customer(
            session, data=data, actor=actor, labels=label or [], template=from_template,
            default_country=config.get("country") or "DE",
        )  # fmt: skip
        number = customer.number
    _show_written(number, fmt)


class Unsettable(StrEnum):
    company_name = "company_name"
    register_number = "register_number"
    vat_id = "vat_id"
    tax_number = "tax_number"
    salutation = "salutation"
    title_ = "title"  # the value is what users type; `title` would shadow str.title
    first_name = "first_name"
    last_name = "last_name"
    email = "email"
    phone = "phone"
    mobile = "mobile"
    website = "website"
    street = "street"
    postal_code = "postal_code"
    city = "city"
    notes = "notes"
    discount = "discount"


@app.command()
def edit(
    ref: Ref,
    kind: o.KindOpt = None,
    company_name: o.CompanyName = None,
    register_number: o.RegisterNumber = None,
    vat_id: o.VatId = None,
    tax_number: o.TaxNumber = None,
    salutation: o.Salutation = None,
    title: o.Title = None,
    first_name: o.FirstName = None,
    last_name: o.LastName = None,
    email: o.Email = None,
    phone: o.Phone = None,
    mobile: o.Mobile = None,
    website: o.Website = None,
    street: o.Street = None,
    postal_code: o.PostalCode = None,
    city: o.City = None,
    country: o.Country = None,
    notes: o.Notes = None,
    discount: o.Discount = None,
    role: o.Roles = None,
    template: o.Template = None,
    unset: Annotated[
        list[Unsettable] | None,
        typer.Option("--unset", case_sensitive=False, help="Clear this field (repeatable)."),
    ] = None,
    fmt: WriteFormatOption = None,
) -> None:
    """Change a customer's fields; the number never changes."""
    from kk.services.customers import edit_customer

    changes = o.field_values(
        kind=kind, company_name=company_name, register_number=register_number, vat_id=vat_id,
        tax_number=tax_number, salutation=salutation, title=title, first_name=first_name,
        last_name=last_name, email=email, phone=phone, mobile=mobile, website=website,
        street=street, postal_code=postal_code, city=city, country=country, notes=notes,
        discount=discount, roles=role, template=template,
    )  # fmt: skip
    for field in unset or []:
        key = "discount_percent" if field.value == "discount" else field.value
        changes[key] = None
    if not changes:
        raise typer.BadParameter("give at least one field to change (see --help)")
    with writing() as (session, actor):
        number = edit_customer(session, ref, changes=changes, actor=actor).number
    _show_written(number, fmt)


@app.command()
def show(
    ref: Ref,
    recent: Annotated[
        int, typer.Option("--recent", min=0, help="Newest notes, activities, quotes … shown.")
    ] = 5,
    fmt: FormatOption = None,
) -> None:
    """Everything about one customer: fields, persons, addresses, bank, recent history,
    statistics and the newest records of each kind."""
    from kk.commands import overview_sections  # issue 6: the overview's table view
    from kk.services import queries

    with reading() as (connection, _actor):
        record = queries.customer_detail(connection, ref, records=recent)
    chosen = resolve(fmt)
    if chosen == "table":
        record = overview_sections.for_table(record)
    emit_one(record, chosen, fields=SHOW_FIELDS, sections=SECTIONS + overview_sections.SECTIONS)


@app.command("list")
def list_(
    kind: o.KindOpt = None,
    label: Annotated[str | None, typer.Option("--label", help="Only with this label.")] = None,
    sort: ls.SortOpt = ls.Sort.name,
    desc: ls.Desc = False,
    limit: ls.Limit = 50,
    all_rows: ls.AllRows = False,
    after: ls.After = None,
    archived: ls.Archived = False,
    include_archived: ls.IncludeArchived = False,
    fmt: FormatOption = None,
) -> None:
    """List customers, sorted by name (keyset-paged; see --after)."""
    from kk.services.queries import CustomerQuery

    mode = ls.archived_mode(archived, include_archived)
    query = CustomerQuery(archived=mode, sort=sort.value, desc=desc)
    terms = [f"kind:{kind.value}"] if kind else []
    if label:
        terms.append('label:"' + label.replace("\\", "\\\\").replace('"', '\\"') + '"')
    if terms:  # the filter language's own label and kind rules, parsed only when asked
        from kk.services import search

        search.apply_filter(query, " ".join(terms))
    ls.emit_page(query, fmt, limit, all_rows, after)


@app.command()
def search(
    text: Annotated[
        list[str], typer.Argument(help="Name, number, email, domain, city, phone … (all words).")
    ],
    limit: ls.Limit = 50,
    all_rows: ls.AllRows = False,
    after: ls.After = None,
    archived: ls.Archived = False,
    include_archived: ls.IncludeArchived = False,
    fmt: FormatOption = None,
) -> None:
    """Find customers by any fragment: umlaut- and case-insensitive, prefixes, every word.

    Ranked: the customer number, then whole words of the name, then name prefixes, then
    anything else (contact persons, email, city, postal code, phone, VAT ID); by name
    within a rank. The table's Match column says where the words were found.
    """
    from kk.services import search as service

    words = " ".join(text)
    query = service.search_query(words, archived=ls.archived_mode(archived, include_archived))

    def match_column(connection: Any, rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
        found = service.matched_fields(connection, words, [row["number"] for row in rows])
        for row in rows:
            row["match"] = found.get(row["number"])
        return [("match", "Match")]

    ls.emit_page(query, fmt, limit, all_rows, after, extra=match_column)


@app.command("filter", cls=ls.ExpressionCommand)
def filter_(
    expression: Annotated[
        list[str],
        typer.Argument(
            help="Filter expression, e.g. kind:company city:Berlin -label:churned "
            "created>=2025-01-01 müller (see docs/search.md)."
        ),
    ],
    sort: ls.SortOpt = ls.Sort.name,
    desc: ls.Desc = False,
    limit: ls.Limit = 50,
    all_rows: ls.AllRows = False,
    after: ls.After = None,
    archived: ls.Archived = False,
    include_archived: ls.IncludeArchived = False,
    fmt: FormatOption = None,
) -> None:
    """Customers matching a filter expression (fields, dates, labels, free words; AND)."""
    from kk.services import search

    query = search.filter_query(
        ls.expression(expression), archived=ls.archived_mode(archived, include_archived),
        sort=sort.value, desc=desc,
    )  # fmt: skip
    ls.emit_page(query, fmt, limit, all_rows, after)


@app.command()
def archive(
    ref: Ref,
    reason: Annotated[str | None, typer.Option("--reason", help="Why (kept with it).")] = None,
    yes: YesOption = False,
    fmt: WriteFormatOption = None,
) -> None:
    """Archive a customer: hidden from lists and search, every link kept."""
    from kk.services.customers import archive_customer

    confirm(f"Archive customer {ref}?", yes=yes)
    with writing() as (session, actor):
        number = archive_customer(session, ref, reason=reason, actor=actor).number
    _show_written(number, fmt)


@app.command()
def restore(ref: Ref, fmt: WriteFormatOption = None) -> None:
    """Bring an archived customer back (admins only)."""
    from kk.services.customers import restore_customer

    with writing() as (session, actor):
        number = restore_customer(session, ref, actor=actor).number
    _show_written(number, fmt)


@app.command()
def history(ref: Ref, fmt: FormatOption = None) -> None:
    """The audit trail of a customer: who changed what, when, old → new."""
    from kk.services import queries

    with reading() as (connection, _actor):
        cid, _record = queries.lookup(connection, ref)
        rows = queries.history(connection, cid)
    emit_list(rows, resolve(fmt), columns=HISTORY_COLUMNS)


class YesNo(StrEnum):
    yes = "yes"
    no = "no"


@app.command()
def consent(
    ref: Ref,
    email: Annotated[
        YesNo | None, typer.Option("--email", help="Contact by email: yes/no.")
    ] = None,
    phone: Annotated[YesNo | None, typer.Option("--phone", help="By phone: yes/no.")] = None,
    letter: Annotated[YesNo | None, typer.Option("--letter", help="By letter: yes/no.")] = None,
    newsletter: Annotated[
        YesNo | None, typer.Option("--newsletter", help="Newsletter: yes/no.")
    ] = None,
    do_not_contact: Annotated[
        YesNo | None, typer.Option("--do-not-contact", help="Block every contact: yes/no.")
    ] = None,
    source: Annotated[str | None, typer.Option("--source", help="Where it was given.")] = None,
    date: Annotated[str | None, typer.Option("--date", help="When (default today).")] = None,
) -> None:
    """Record DSGVO consents per channel, with date and source."""
    from kk.services.customers import set_consents

    given = (("email", email), ("phone", phone), ("letter", letter), ("newsletter", newsletter))
    granted = {channel: value == YesNo.yes for channel, value in given if value is not None}
    with writing() as (session, actor):
        set_consents(
            session, ref, granted=granted, source=source, date=date,
            do_not_contact=None if do_not_contact is None else do_not_contact == YesNo.yes,
            actor=actor,
        )  # fmt: skip


from kk.commands import customer_parts  # noqa: E402

app.add_typer(customer_parts.person_app, name="person")
app.add_typer(customer_parts.address_app, name="address")
app.add_typer(customer_parts.bank_app, name="bank")
app.add_typer(customer_parts.label_app, name="label")


@app.command()
def erase(
    ref: Ref,
    yes: YesOption = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the report only; change nothing, never ask.")
    ] = False,
    fmt: WriteFormatOption = None,
) -> None:
    """DSGVO erasure (Art. 17, admins only): remove the customer with all personal data, or,
    where invoices/orders must be kept (§ 147 AO, § 257 HGB), anonymise and restrict it."""
    from kk.commands.dsgvo import erase_command

    erase_command(ref, yes=yes, dry_run=dry_run, fmt=fmt)
