"""`kk customer person|address|bank|label …`: records that hang off one customer."""

from __future__ import annotations

import sys
from enum import Enum, StrEnum
from typing import Annotated, Any

import typer

from kk.commands._common import FormatOption, YesOption, confirm, reading, writing
from kk.render import emit_list, resolve

person_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Contact persons.")
address_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Extra addresses.")
bank_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Bank accounts.")
label_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Labels (groups).")

Ref = Annotated[str, typer.Argument(help="Customer number: CUS-0001, cus-1 or 1.")]
ItemId = Annotated[int, typer.Argument(help="Id from the list command.")]
Opt = typer.Option


def _print_id(item_id: int) -> None:
    sys.stdout.write(f"{item_id}\n")


def _given(**values: Any) -> dict[str, Any]:
    return {k: (v.value if isinstance(v, Enum) else v) for k, v in values.items() if v is not None}


def _list(ref: str, fmt: Any, loader: str, columns: list[tuple[str, str]]) -> None:
    from kk.services import queries

    with reading() as (connection, _actor):
        cid, _record = queries.lookup(connection, ref)
        rows = getattr(queries, loader)(connection, cid)
    emit_list(rows, resolve(fmt), columns=columns)


PersonFirst = Annotated[str | None, Opt("--first-name")]
PersonLast = Annotated[str | None, Opt("--last-name")]
PersonRole = Annotated[str | None, Opt("--role", help="e.g. Geschäftsführerin, Einkauf")]
PersonEmail = Annotated[str | None, Opt("--email")]
PersonPhone = Annotated[str | None, Opt("--phone")]
PersonSalutation = Annotated[str | None, Opt("--salutation")]
PersonTitle = Annotated[str | None, Opt("--title")]


@person_app.command("add")
def person_add(
    ref: Ref,
    first_name: PersonFirst = None,
    last_name: PersonLast = None,
    role: PersonRole = None,
    email: PersonEmail = None,
    phone: PersonPhone = None,
    salutation: PersonSalutation = None,
    title: PersonTitle = None,
) -> None:
    """Add a contact person (Ansprechpartner); prints its id."""
    from kk.services.customer_parts import add_person

    data = _given(first_name=first_name, last_name=last_name, role=role, email=email,
                  phone=phone, salutation=salutation, title=title)  # fmt: skip
    with writing() as (session, actor):
        person_id = add_person(session, ref, data=data, actor=actor)
    _print_id(person_id)


@person_app.command("list")
def person_list(ref: Ref, fmt: FormatOption = None) -> None:
    """The contact persons of a customer."""
    from kk.commands.customer import PERSON_COLUMNS

    _list(ref, fmt, "persons", PERSON_COLUMNS)


@person_app.command("edit")
def person_edit(
    ref: Ref,
    person_id: ItemId,
    first_name: PersonFirst = None,
    last_name: PersonLast = None,
    role: PersonRole = None,
    email: PersonEmail = None,
    phone: PersonPhone = None,
    salutation: PersonSalutation = None,
    title: PersonTitle = None,
) -> None:
    """Change a contact person."""
    from kk.services.customer_parts import edit_person

    changes = _given(first_name=first_name, last_name=last_name, role=role, email=email,
                     phone=phone, salutation=salutation, title=title)  # fmt: skip
    with writing() as (session, actor):
        edit_person(session, ref, person_id, changes=changes, actor=actor)


@person_app.command("remove")
def person_remove(ref: Ref, person_id: ItemId, yes: YesOption = False) -> None:
    """Delete a contact person (audited)."""
    from kk.services.customer_parts import remove_person

    confirm(f"Delete contact person {person_id} of {ref}?", yes=yes)
    with writing() as (session, actor):
        remove_person(session, ref, person_id, actor=actor)


class Purpose(StrEnum):
    billing = "billing"
    delivery = "delivery"


@address_app.command("add")
def address_add(
    ref: Ref,
    purpose: Annotated[Purpose, Opt("--purpose", case_sensitive=False)],
    street: Annotated[str | None, Opt("--street")] = None,
    postal_code: Annotated[str | None, Opt("--postal-code")] = None,
    city: Annotated[str | None, Opt("--city")] = None,
    country: Annotated[str | None, Opt("--country")] = None,
    name: Annotated[str | None, Opt("--name", help="Recipient line, e.g. 'Lager Nord'")] = None,
) -> None:
    """Add a billing or delivery address; prints its id."""
    from kk.services.customer_parts import add_address

    data = _given(purpose=purpose, street=street, postal_code=postal_code, city=city,
                  country=country, name=name)  # fmt: skip
    with writing() as (session, actor):
        address_id = add_address(session, ref, data=data, actor=actor)
    _print_id(address_id)


@address_app.command("list")
def address_list(ref: Ref, fmt: FormatOption = None) -> None:
    """The extra addresses of a customer."""
    from kk.commands.customer import ADDRESS_COLUMNS

    _list(ref, fmt, "addresses", ADDRESS_COLUMNS)


@address_app.command("remove")
def address_remove(ref: Ref, address_id: ItemId, yes: YesOption = False) -> None:
    """Delete an address (audited)."""
    from kk.services.customer_parts import remove_address

    confirm(f"Delete address {address_id} of {ref}?", yes=yes)
    with writing() as (session, actor):
        remove_address(session, ref, address_id, actor=actor)


class Method(StrEnum):
    sepa = "sepa"
    paypal = "paypal"
    invoice = "invoice"


@bank_app.command("add")
def bank_add(
    ref: Ref,
    method: Annotated[Method, Opt("--method", case_sensitive=False)],
    holder: Annotated[str | None, Opt("--holder")] = None,
    iban: Annotated[str | None, Opt("--iban")] = None,
    bic: Annotated[str | None, Opt("--bic")] = None,
    account_number: Annotated[str | None, Opt("--account-number", help="without IBAN")] = None,
    bank_code: Annotated[str | None, Opt("--bank-code", help="BLZ, without IBAN")] = None,
    bank_name: Annotated[str | None, Opt("--bank-name")] = None,
    rib: Annotated[str | None, Opt("--rib", help="French RIB key")] = None,
    gui: Annotated[str | None, Opt("--gui", help="French code guichet")] = None,
    mandate_ref: Annotated[str | None, Opt("--mandate-ref", help="SEPA mandate reference")] = None,
    mandate_date: Annotated[str | None, Opt("--mandate-date", help="mandate signed")] = None,
    first_debit_date: Annotated[str | None, Opt("--first-debit-date")] = None,
) -> None:
    """Add a payment method / bank account; prints its id."""
    from kk.services.customer_parts import add_bank_account

    data = _given(method=method, holder=holder, iban=iban, bic=bic,
                  account_number=account_number, bank_code=bank_code, bank_name=bank_name,
                  rib=rib, gui=gui, mandate_ref=mandate_ref, mandate_date=mandate_date,
                  first_debit_date=first_debit_date)  # fmt: skip
    with writing() as (session, actor):
        account_id = add_bank_account(session, ref, data=data, actor=actor)
    _print_id(account_id)


@bank_app.command("list")
def bank_list(ref: Ref, fmt: FormatOption = None) -> None:
    """The bank accounts of a customer."""
    from kk.commands.customer import BANK_COLUMNS

    _list(ref, fmt, "bank_accounts", BANK_COLUMNS)


@bank_app.command("remove")
def bank_remove(ref: Ref, account_id: ItemId, yes: YesOption = False) -> None:
    """Delete a bank account (audited)."""
    from kk.services.customer_parts import remove_bank_account

    confirm(f"Delete bank account {account_id} of {ref}?", yes=yes)
    with writing() as (session, actor):
        remove_bank_account(session, ref, account_id, actor=actor)


LabelNames = Annotated[list[str], typer.Argument(help="One or more labels.")]


@label_app.command("add")
def label_add(ref: Ref, labels: LabelNames) -> None:
    """Put labels on a customer."""
    from kk.services.customers import add_labels

    with writing() as (session, actor):
        add_labels(session, ref, labels, actor=actor)


@label_app.command("remove")
def label_remove(ref: Ref, labels: LabelNames) -> None:
    """Take labels off a customer."""
    from kk.services.customers import remove_labels

    with writing() as (session, actor):
        remove_labels(session, ref, labels, actor=actor)
