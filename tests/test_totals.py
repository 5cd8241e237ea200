"""Invoice arithmetic: worked examples, invariants under hypothesis, bad input."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kk.errors import ValidationFailed
from kk.money import Discount, cents
from kk.totals import Line, Totals, VatRow, compute_totals, split_largest_remainder

D = Decimal


def _walk(value: Any) -> list[Any]:
    """Every leaf in a Totals, so a float anywhere is found."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [leaf for f in dataclasses.fields(value) for leaf in _walk(getattr(value, f.name))]
    if isinstance(value, tuple | list):
        return [leaf for item in value for leaf in _walk(item)]
    return [value]


def _check_invariants(t: Totals) -> None:
    leaves = _walk(t)
    assert not any(isinstance(v, float) for v in leaves)
    assert any(isinstance(v, Decimal) for v in leaves)
    for lt in t.lines:
        assert lt.amount - lt.discount_amount == lt.net
        assert lt.net == cents(lt.net) and lt.net >= 0
    assert t.net_before_discount == sum((lt.net for lt in t.lines), D(0))
    assert t.discount_amount == sum((s for _, s in t.discount_shares), D(0))
    assert t.net_total == t.net_before_discount - t.discount_amount
    assert t.net_total == sum((row.net_base for row in t.vat_breakdown), D(0))
    assert t.vat_total == sum((row.vat for row in t.vat_breakdown), D(0))
    assert t.gross_total == t.net_total + t.vat_total
    for row in t.vat_breakdown:
        assert row.vat == cents(row.net_base * row.rate / 100)
        assert row.net_base >= 0
    for v in (t.net_before_discount, t.discount_amount, t.net_total, t.vat_total, t.gross_total):
        assert v == cents(v)


def test_rounding_happens_at_the_line() -> None:
    t = compute_totals([Line("Schrauben", D(3), D("0.335"), D(19))], None)
    assert t.lines[0].net == D("1.01")  # 1.005 rounds half-up at the line
    assert t.vat_breakdown == (VatRow(D(19), D("1.01"), D("0.19")),)
    assert t.gross_total == D("1.20")
    _check_invariants(t)


def test_worked_example_mixed_rates_with_percent_discount() -> None:
    lines = [
        Line("Beratung", D(2), D("95.00"), D(19), unit="h"),
        Line("Fachbuch", D(1), D("100"), D(7), discount=Discount.percent(10)),
        Line("Versand", D(1), D("1.01"), D(19)),
    ]
    t = compute_totals(lines, Discount.percent(10))
    assert [lt.net for lt in t.lines] == [D("190.00"), D("90.00"), D("1.01")]
    assert t.net_before_discount == D("281.01")
    assert t.discount_amount == D("28.10")  # 28.101
    # 19 %: 191.01 → 28.10 × 191.01 / 281.01 = 19.1003…; 7 %: 8.9996… → 19.10 + 9.00
    assert t.discount_shares == ((D(19), D("19.10")), (D(7), D("9.00")))
    assert t.vat_breakdown == (
        VatRow(D(19), D("171.91"), D("32.66")),
        VatRow(D(7), D("81.00"), D("5.67")),
    )
    assert t.net_total == D("252.91")
    assert t.vat_total == D("38.33")
    assert t.gross_total == D("291.24")
    _check_invariants(t)


def test_worked_example_eur_discount_split_by_largest_remainder() -> None:
    lines = [
        Line("A", D(1), D("10.00"), D(19)),
        Line("B", D(1), D("10.00"), D(7)),
        Line("C", D(1), D("10.00"), D(0)),
    ]
    t = compute_totals(lines, Discount.amount("10.00"))
    # 3.333… each; one cent left over goes to the first of the tied rates
    assert t.discount_shares == ((D(19), D("3.34")), (D(7), D("3.33")), (D(0), D("3.33")))
    assert t.vat_breakdown == (
        VatRow(D(19), D("6.66"), D("1.27")),
        VatRow(D(7), D("6.67"), D("0.47")),
        VatRow(D(0), D("6.67"), D("0.00")),
    )
    assert t.gross_total == D("21.74")
    _check_invariants(t)


def test_vat_exempt_has_no_vat_and_one_row() -> None:
    lines = [Line("A", D(1), D("100"), D(19)), Line("B", D(2), D("50"), D(7))]
    t = compute_totals(lines, None, vat_exempt=True)
    assert t.vat_total == D(0)
    assert t.vat_breakdown == (VatRow(D(0), D("200.00"), D("0.00")),)
    assert t.gross_total == t.net_total == D("200.00")
    assert t.vat_exempt
    _check_invariants(t)


def test_empty_order_is_zero() -> None:
    t = compute_totals([], Discount.percent(10))
    assert t.gross_total == 0 and t.vat_breakdown == () and t.discount_amount == 0
    _check_invariants(t)


def test_whole_discount_gives_zero() -> None:
    t = compute_totals([Line("A", D(1), D("19.99"), D(19))], Discount.amount("19.99"))
    assert t.net_total == 0 and t.gross_total == 0
    t = compute_totals([Line("A", D(1), D("19.99"), D(19))], Discount.percent(100))
    assert t.gross_total == 0


@pytest.mark.parametrize(
    ("line", "discount", "field"),
    [
        (Line("A", D(-1), D(10), D(19)), None, "qty"),
        (Line("A", D(1), D("-0.01"), D(19)), None, "price"),
        (Line("A", D(1), D(10), D(16)), None, "vat"),
        (Line("A", D(1), D(10), D("7.5")), None, "vat"),
        (Line("A", D(1), D(10), D(19), Discount.amount("10.01")), None, "discount"),
        (Line("A", D(1), D(10), D(19)), Discount.amount("10.01"), "discount"),
        (Line("A", D(1), D("NaN"), D(19)), None, "price"),
    ],
)
def test_bad_input_names_the_field(line: Line, discount: Discount | None, field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        compute_totals([line], discount)
    assert exc.value.field == field
    assert f"--{field}" in exc.value.message


@pytest.mark.parametrize(
    ("kind", "value"),
    [("percent", "-1"), ("percent", "101"), ("amount", "-1"), ("amount", "1.001")],
)
def test_discount_itself_refuses_bad_values(kind: str, value: str) -> None:
    make = Discount.percent if kind == "percent" else Discount.amount
    with pytest.raises(ValidationFailed) as exc:
        make(value)
    assert exc.value.field == "discount"


def test_a_float_is_refused() -> None:
    with pytest.raises(TypeError):
        compute_totals([Line("A", D(1), 0.1, D(19))], None)  # type: ignore[arg-type]


def test_vat_rate_written_as_19_0_is_accepted() -> None:
    t = compute_totals([Line("A", D(1), D(100), D("19.00"))], None)
    assert t.vat_total == D("19.00")


# --- properties -------------------------------------------------------------------------

quantities = st.decimals(min_value=0, max_value=1000, places=3)
prices = st.decimals(min_value=0, max_value=10000, places=3)
rates = st.sampled_from([D(19), D(7), D(0)])
line_discounts = st.one_of(
    st.none(),
    st.decimals(min_value=0, max_value=100, places=2).map(Discount.percent),
)
lines_st = st.lists(
    st.builds(Line, st.text(max_size=10), quantities, prices, rates, line_discounts),
    max_size=12,
)


@given(lines_st, st.decimals(min_value=0, max_value=100, places=2), st.booleans())
def test_percent_discount_invariants(lines: list[Line], pct: Decimal, exempt: bool) -> None:
    t = compute_totals(lines, Discount.percent(pct), vat_exempt=exempt)
    _check_invariants(t)
    assert t.discount_amount == cents(t.net_before_discount * pct / 100)
    for lt in t.lines:
        assert lt.amount == cents(lt.line.quantity * lt.line.unit_price)
    if exempt:
        assert t.vat_total == 0


@given(lines_st, st.data())
def test_eur_discount_shares_sum_exactly(lines: list[Line], data: st.DataObject) -> None:
    net = compute_totals(lines, None).net_before_discount
    amount = data.draw(st.decimals(min_value=0, max_value=net, places=2))
    t = compute_totals(lines, Discount.amount(amount))
    _check_invariants(t)
    assert t.discount_amount == amount
    by_rate: dict[Decimal, Decimal] = {}
    for lt in t.lines:
        by_rate[lt.line.vat_rate] = by_rate.get(lt.line.vat_rate, D(0)) + lt.net
    for rate, share in t.discount_shares:
        exact = amount * by_rate[rate] / net if net else D(0)
        assert abs(share - exact) < D("0.01")
        assert share <= by_rate[rate]


@given(lines_st, st.decimals(min_value="0.01", max_value=1000, places=2))
def test_a_discount_above_the_total_is_refused(lines: list[Line], extra: Decimal) -> None:
    net = compute_totals(lines, None).net_before_discount
    with pytest.raises(ValidationFailed) as exc:
        compute_totals(lines, Discount.amount(net + extra))
    assert exc.value.field == "discount"


@given(
    st.decimals(min_value=0, max_value=100000, places=2),
    st.lists(st.decimals(min_value=0, max_value=100000, places=2), min_size=1, max_size=6),
)
def test_split_largest_remainder(total: Decimal, weights: list[Decimal]) -> None:
    if sum(weights) == 0:
        weights = [w + 1 for w in weights]
    parts = split_largest_remainder(total, weights)
    assert sum(parts) == total
    assert all(p == cents(p) and p >= 0 for p in parts)
    for p, w in zip(parts, weights, strict=True):
        assert abs(p - total * w / sum(weights)) < D("0.01")
