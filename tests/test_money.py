"""Money helpers: half-up cents, German number forms, discount parsing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kk.errors import ValidationFailed
from kk.money import (
    Discount,
    cents,
    format_de_date,
    format_de_number,
    format_de_quantity,
    format_eur,
    parse_de_decimal,
    parse_discount,
)

amounts = st.decimals(
    min_value=Decimal("-99999999.99"),
    max_value=Decimal("99999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.005", "1.01"),
        ("1.004", "1.00"),
        ("0.125", "0.13"),
        ("2.675", "2.68"),
        ("-1.005", "-1.01"),
        ("10", "10.00"),
    ],
)
def test_cents_rounds_half_up(value: str, expected: str) -> None:
    result = cents(Decimal(value))
    assert result == Decimal(expected)
    assert str(result) == expected


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("10%", "percent", "10"),
        ("10 %", "percent", "10"),
        ("10,5%", "percent", "10.5"),
        ("10.5 %", "percent", "10.5"),
        ("100%", "percent", "100"),
        ("0%", "percent", "0"),
        ("25.00", "amount", "25.00"),
        ("25,00", "amount", "25.00"),
        ("25", "amount", "25"),
        ("1.234,56", "amount", "1234.56"),
        ("1,234.56", "amount", "1234.56"),
        ("1.234.567,89", "amount", "1234567.89"),
        ("12,50 €", "amount", "12.50"),
        ("12,50 EUR", "amount", "12.50"),
        ("  7,5  ", "amount", "7.5"),
    ],
)
def test_parse_discount(text: str, kind: str, value: str) -> None:
    d = parse_discount(text)
    assert d.kind == kind
    assert d.value == Decimal(value)


@pytest.mark.parametrize(
    "text",
    ["-10%", "-5,00", "100,01%", "150%", "", "%", "abc", "10%%", "1.2.3", "25,005", "1,2,3"],
)
def test_parse_discount_rejects(text: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_discount(text)
    assert exc.value.field == "discount"
    assert "--discount" in exc.value.message


def test_a_single_dot_with_three_digits_is_refused_not_guessed() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_de_decimal("1.234", field="unit_price")
    assert exc.value.field == "unit_price"
    assert "--unit-price" in exc.value.message
    assert "ambiguous" in exc.value.message
    assert parse_de_decimal("0.335", field="price") == Decimal("0.335")
    assert parse_de_decimal("1,234", field="price") == Decimal("1.234")
    assert parse_de_decimal("-3,5", field="price") == Decimal("-3.5")


def test_discount_amount_of() -> None:
    assert Discount.percent(10).amount_of(Decimal("10.05")) == Decimal("1.01")
    assert Discount.percent("12.5").amount_of(Decimal("99.99")) == Decimal("12.50")
    assert Discount.amount(25).amount_of(Decimal("10.00")) == Decimal("25.00")
    assert Discount.percent("10.5").describe() == "10,5 %"
    assert Discount.amount("1234.5").describe() == "1.234,50 €"


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("1234.56", 2, "1.234,56"),
        ("1234567.891", 2, "1.234.567,89"),
        ("0.005", 2, "0,01"),
        ("-1234.5", 2, "-1.234,50"),
        ("999.995", 2, "1.000,00"),
        ("0", 2, "0,00"),
        ("1234", 0, "1.234"),
        ("3.14159", 3, "3,142"),
    ],
)
def test_format_de_number(value: str, places: int, expected: str) -> None:
    assert format_de_number(Decimal(value), places) == expected


def test_format_eur_and_date_and_quantity() -> None:
    assert format_eur(Decimal("1234.56")) == "1.234,56 €"
    assert format_eur(Decimal("0.1")) == "0,10 €"
    assert format_de_date(date(2026, 11, 23)) == "23.11.2026"
    assert format_de_date(date(2026, 1, 5)) == "05.01.2026"
    assert format_de_quantity(Decimal("3.000")) == "3"
    assert format_de_quantity(Decimal("1.50")) == "1,5"
    assert format_de_quantity(Decimal("1000")) == "1.000"


@given(amounts)
def test_german_form_round_trips(d: Decimal) -> None:
    text = format_de_number(d)
    assert parse_de_decimal(text, field="amount") == d
    assert parse_de_decimal(format_eur(d), field="amount") == d


@given(amounts)
def test_machine_form_parses(d: Decimal) -> None:
    assert parse_de_decimal(f"{d:.2f}", field="amount") == d


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_percent_round_trips_through_describe(p: Decimal) -> None:
    d = Discount.percent(p)
    assert parse_discount(d.describe()) == Discount("percent", p)


@given(st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2))
def test_amount_round_trips_through_describe(a: Decimal) -> None:
    assert parse_discount(Discount.amount(a).describe()).value == a


@given(amounts)
def test_cents_is_idempotent_and_close(d: Decimal) -> None:
    x = d / 7
    c = cents(x)
    assert cents(c) == c
    assert abs(c - x) <= Decimal("0.005")
