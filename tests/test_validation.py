"""Value checks: what is accepted, what it becomes, and how a refusal reads."""

from __future__ import annotations

import datetime
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import iban as std_iban
from stdnum.iso7064 import mod_11_10

from kk import validation as v
from kk.errors import ValidationFailed
from kk.text import digits, fold

# Valid numbers computed from their check digits, so the samples cannot be typos.
DE_VAT = "DE13669597" + mod_11_10.calc_check_digit("13669597")
DE_VAT_BAD = DE_VAT[:-1] + str((int(DE_VAT[-1]) + 1) % 10)
DE_IBAN = "DE" + std_iban.calc_check_digits("DE00370400440532013000") + "370400440532013000"


def amount(value: str) -> Decimal:
    return v.decimal_amount(value, "unit_price")


def due(value: str) -> datetime.date:
    return v.date_value(value, "due_date")


def kind(value: str) -> str:
    return v.choice(value, ["private", "company"], "kind")


def postal_at(value: str) -> str:
    return v.postal_code(value, country="AT")


def postal_nl(value: str) -> str:
    return v.postal_code(value, country="nl")


def postal_gb(value: str) -> str:
    return v.postal_code(value, country="GB")


VALID: list[tuple[Callable[[str], Any], str, Any]] = [
    (v.email, "max@example.de", "max@example.de"),
    (v.email, " Max.Mustermann@EXAMPLE.De ", "Max.Mustermann@example.de"),
    (v.email, "info@müller.de", "info@müller.de"),
    (v.phone, "030 1234567", "+49301234567"),
    (v.phone, "+49 (0)30 12345-67", "+49301234567"),
    (v.phone, "0049 30 1234567", "+49301234567"),
    (v.phone, "0171 1234567", "+491711234567"),
    (v.phone, "+43 1 5124711", "+4315124711"),
    (v.vat_id, "DE136695976", "DE136695976"),
    (v.vat_id, DE_VAT, DE_VAT),
    (v.vat_id, "de 136.695.976", "DE136695976"),
    (v.vat_id, "ATU13585627", "ATU13585627"),
    (v.vat_id, "FR40303265045", "FR40303265045"),
    (v.vat_id, "EL094259216", "EL094259216"),
    (v.vat_id, "CHE-116.281.710 MWST", "CHE116281710MWST"),
    (v.vat_id, "CHE-116.281.710", "CHE116281710"),
    (v.vat_id, "GB 980 7806 84", "GB980780684"),
    (v.register_number, "HRB 12345 Berlin (Charlottenburg)", "Berlin (Charlottenburg) HRB 12345"),
    (v.register_number, "Berlin (Charlottenburg) HRB 12345", "Berlin (Charlottenburg) HRB 12345"),
    (
        v.register_number,
        "Amtsgericht Charlottenburg HRB 12345",
        "Berlin (Charlottenburg) HRB 12345",
    ),
    (v.register_number, "hrb 12345 berlin", "Berlin (Charlottenburg) HRB 12345"),
    (v.register_number, "Aachen HRA 11223", "Aachen HRA 11223"),
    (v.register_number, "HRB 123 München", "München HRB 123"),
    (v.tax_number, " 181/815/08155 ", "181/815/08155"),
    (v.tax_number, "201/123/12340", "201/123/12340"),
    (v.tax_number, "4151081508156", "4151081508156"),
    (v.iban, "DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
    (v.iban, DE_IBAN.lower(), DE_IBAN),
    (v.bic, "COBADEFFXXX", "COBADEFFXXX"),
    (v.bic, "cobadeff", "COBADEFF"),
    (v.country, "DE", "DE"),
    (v.country, "de", "DE"),
    (v.country, "DEU", "DE"),
    (v.country, "aut", "AT"),
    (v.country, "Germany", "DE"),
    (v.country, "Deutschland", "DE"),
    (v.country, "Österreich", "AT"),
    (v.country, "oesterreich", "AT"),
    (v.country, "Schweiz", "CH"),
    (v.country, "Switzerland", "CH"),
    (v.country, "Niederlande", "NL"),
    (v.country, "Holland", "NL"),
    (v.country, "Frankreich", "FR"),
    (v.country, "Dänemark", "DK"),
    (v.country, "Polen", "PL"),
    (v.country, "UK", "GB"),
    (v.country, "Vereinigtes Königreich", "GB"),
    (v.country, "Bayern", "DE"),
    (v.postal_code, "01067", "01067"),
    (v.postal_code, " 10115 ", "10115"),
    (postal_at, "1010", "1010"),
    (postal_nl, "1234ab", "1234 AB"),
    (postal_nl, "1234 AB", "1234 AB"),
    (postal_gb, "sw1a 1aa", "SW1A 1AA"),
    (v.website, "example.de", "https://example.de"),
    (v.website, "www.Example.DE/Kontakt?x=1", "https://www.example.de/Kontakt?x=1"),
    (v.website, "http://example.de", "http://example.de"),
    (v.website, "HTTPS://shop.example.de:8443/", "https://shop.example.de:8443/"),
    (v.website, "müller.de", "https://müller.de"),
    (amount, "95,00", Decimal("95.00")),
    (amount, "95.00", Decimal("95.00")),
    (amount, "1.234,56", Decimal("1234.56")),
    (amount, "1,234.56", Decimal("1234.56")),
    (amount, "1234", Decimal("1234")),
    (amount, "1.234.567", Decimal("1234567")),
    (amount, "0,125", Decimal("0.125")),
    (amount, "1.2345", Decimal("1.2345")),
    (amount, "-5,50", Decimal("-5.50")),
    (v.percent, "10", Decimal("10.00")),
    (v.percent, "10,5", Decimal("10.50")),
    (v.percent, "10.5 %", Decimal("10.50")),
    (v.percent, "10%", Decimal("10.00")),
    (v.percent, "0", Decimal("0.00")),
    (v.percent, "100", Decimal("100.00")),
    (v.percent, "2,3450", Decimal("2.35")),
    (due, "2026-12-01", datetime.date(2026, 12, 1)),
    (due, "01.12.2026", datetime.date(2026, 12, 1)),
    (due, "1.12.2026", datetime.date(2026, 12, 1)),
    (due, "29.02.2024", datetime.date(2024, 2, 29)),
    (kind, "Company", "company"),
    (kind, " PRIVATE ", "private"),
]


@pytest.mark.parametrize(("check", "raw", "expected"), VALID)
def test_valid_values_are_normalised(check: Callable[[str], Any], raw: str, expected: Any) -> None:
    result = check(raw)
    assert result == expected
    assert type(result) is type(expected)
    if isinstance(result, str):
        # Stored values are fed back on edit and import: they must pass unchanged.
        assert check(result) == result


INVALID: list[tuple[Callable[[str], Any], str, str, str]] = [
    (v.email, "max.example.de", "email", ""),
    (v.email, "max@", "email", ""),
    (v.email, "   ", "email", "empty"),
    (v.phone, "123", "phone", ""),
    (v.phone, "abc", "phone", ""),
    (v.vat_id, DE_VAT_BAD, "vat_id", "checksum"),
    (v.vat_id, "DE13669597", "vat_id", "length"),
    (v.vat_id, "136695976", "vat_id", "prefix"),
    (v.vat_id, "US123456789", "vat_id", "prefix"),
    (v.vat_id, "CHE116281711", "vat_id", "checksum"),
    (v.register_number, "HRB 12345", "register_number", "format"),
    (v.register_number, "HRB 12345 Nirgendwo", "register_number", ""),
    (v.tax_number, "12", "tax_number", ""),
    (v.iban, "DE89370400440532013001", "iban", "checksum"),
    (v.bic, "COBA", "bic", ""),
    (v.country, "Nowhere", "country", ""),
    (v.country, "Korea", "country", ""),
    (v.country, "XX", "country", ""),
    (v.country, "ger", "country", ""),
    (v.postal_code, "1067", "postal_code", "5 digits"),
    (v.postal_code, "010671", "postal_code", "5 digits"),
    (v.postal_code, "1O115", "postal_code", "5 digits"),
    (postal_at, "10101", "postal_code", "4 digits"),
    (postal_nl, "0123 AB", "postal_code", "1234 AB"),
    (postal_gb, "SW1A 1AA 12345", "postal_code", ""),
    (postal_gb, "SW1A_1AA", "postal_code", ""),
    (v.website, "exa mple.de", "website", "spaces"),
    (v.website, "foo", "website", ""),
    (v.website, "ftp://example.de", "website", "http"),
    (v.website, "mailto:max@example.de", "website", ""),
    (v.website, "https://-bad-.de", "website", ""),
    (amount, "1.234", "unit_price", "ambiguous"),
    (amount, "1,234", "unit_price", "ambiguous"),
    (amount, "1.234.56", "unit_price", "not a number"),
    (amount, "1,23,456", "unit_price", "not a number"),
    (amount, "12a", "unit_price", "not a number"),
    (amount, "NaN", "unit_price", "not a number"),
    (amount, "1e3", "unit_price", "not a number"),
    (v.percent, "101", "discount", "between 0 and 100"),
    (v.percent, "-1", "discount", "between 0 and 100"),
    (v.percent, "%", "discount", "not a number"),
    (v.percent, "zehn", "discount", "not a number"),
    (due, "31.02.2025", "due_date", "not a valid date"),
    (due, "2025-13-01", "due_date", "not a valid date"),
    (due, "1.12.26", "due_date", "not a date"),
    (due, "morgen", "due_date", "not a date"),
    (kind, "person", "kind", "private, company"),
]


@pytest.mark.parametrize(("check", "raw", "field", "reason"), INVALID)
def test_invalid_values_name_flag_and_value(
    check: Callable[[str], Any], raw: str, field: str, reason: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        check(raw)
    error = caught.value
    assert error.field == field
    assert str(error).startswith("--" + field.replace("_", "-") + ": ")
    assert repr(raw) in str(error)
    assert reason in str(error)
    assert "\n" not in str(error)


@pytest.mark.parametrize(
    ("check", "raw"),
    [
        (v.email, "nope"),
        (v.phone, "nope"),
        (v.vat_id, "nope"),
        (v.register_number, "nope"),
        (v.tax_number, "nope"),
        (v.iban, "nope"),
        (v.bic, "nope"),
        (v.country, "nope"),
        (v.postal_code, "nope"),
        (v.website, "nope"),
        (v.percent, "nope"),
    ],
)
def test_callers_can_rename_the_field(check: Callable[..., Any], raw: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        check(raw, field="person_x")
    assert caught.value.field == "person_x"
    assert str(caught.value).startswith("--person-x: 'nope' ")


def test_phone_uses_the_given_region() -> None:
    assert v.phone("01 5124711", region="AT") == "+4315124711"


def test_long_values_are_cut_in_messages() -> None:
    with pytest.raises(ValidationFailed) as caught:
        v.website("x" * 500)
    assert len(str(caught.value)) < 200


def test_importing_validation_loads_no_library() -> None:
    code = (
        "import sys, kk.validation\n"
        "heavy = {'stdnum', 'email_validator', 'phonenumbers', 'pycountry'}\n"
        "sys.stdout.write(' '.join(sorted(heavy & set(sys.modules))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out == ""


cents = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False
)


@given(cents)
def test_decimal_amount_reads_its_own_plain_form(d: Decimal) -> None:
    assert amount(format(d, "f")) == d


@given(cents)
def test_decimal_amount_reads_german_forms(d: Decimal) -> None:
    english = f"{d:,.2f}"
    german = english.translate(str.maketrans(",.", ".,"))
    assert amount(german) == d
    assert amount(german.replace(".", "")) == d
    assert amount(english) == d


def test_decimal_amount_never_returns_a_float() -> None:
    assert isinstance(amount("0,1"), Decimal)
    assert amount("0,1") + amount("0,2") == Decimal("0.3")


# --- kk.text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Müller", "muller"),
        ("Mueller", "muller"),
        ("MULLER", "muller"),
        ("muller", "muller"),
        ("MÜLLER", "muller"),
        ("Straße", "strasse"),
        ("STRASSE", "strasse"),
        ("Nüßl", "nussl"),
        ("Nuessl", "nussl"),
        ("Schön", "schon"),
        ("Schoen", "schon"),
        ("Bär", "bar"),
        ("Baer", "bar"),
        ("Michael", "michal"),
        ("José Café", "jose cafe"),
        ("O'Brien", "obrien"),
        ("Müller-Lüdenscheidt", "muller-ludenscheidt"),
        ("max@Example.de", "max@example.de"),
        ("  Müller,   Hans/Berlin ", "muller hans berlin"),
        ("Aee", "a"),
        ("", ""),
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_digits() -> None:
    assert digits("+49 (0)30 12345-67") == "4903012345 67".replace(" ", "")
    assert digits("keine") == ""


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


german_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüßéABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ -.")


@given(german_words)
def test_fold_ignores_case(text: str) -> None:
    assert fold(text.upper()) == fold(text)
    assert fold(text.lower()) == fold(text)


@given(german_words)
def test_fold_treats_umlaut_and_spelled_form_alike(text: str) -> None:
    spelled = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    assert fold(spelled) == fold(text)
