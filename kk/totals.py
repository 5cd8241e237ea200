"""Invoice arithmetic: line nets, order discount, VAT per rate, totals.

Stdlib only. Rounding happens at the line (half-up to cents), the order discount is split
over the VAT rates by largest remainder so its shares add up to the cent, and VAT is rounded
once per rate — the way a German tax office recomputes an invoice.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from kk.errors import ValidationFailed
from kk.money import CENT, HUNDRED, Discount, cents, floor_cents, format_eur

__all__ = [
    "VAT_RATES",
    "Line",
    "LineTotal",
    "Totals",
    "VatRow",
    "compute_totals",
]

#: The German VAT rates kk accepts (regular, reduced, none).
VAT_RATES = (Decimal(19), Decimal(7), Decimal(0))


@dataclass(frozen=True)
class Line:
    """One invoice line as entered; ``discount`` is on the whole line, not per unit."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal
    discount: Discount | None = None
    unit: str | None = None


@dataclass(frozen=True)
class LineTotal:
    """A computed line: ``amount - discount_amount == net``, all in cents."""

    position: int
    line: Line
    amount: Decimal
    discount_amount: Decimal
    net: Decimal


class VatRow(NamedTuple):
    """One VAT rate: the net it applies to (after the order discount) and its VAT."""

    rate: Decimal
    net_base: Decimal
    vat: Decimal


@dataclass(frozen=True)
class Totals:
    lines: tuple[LineTotal, ...]
    net_before_discount: Decimal
    order_discount: Discount | None
    discount_amount: Decimal
    #: The order discount's share per VAT rate, in the order of ``vat_breakdown``.
    discount_shares: tuple[tuple[Decimal, Decimal], ...]
    net_total: Decimal
    vat_breakdown: tuple[VatRow, ...]
    vat_total: Decimal
    gross_total: Decimal
    vat_exempt: bool


def _number(value: object, flag: str, position: int) -> Decimal:
    """Refuse floats outright: one would silently poison every sum after it."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"line {position}: {flag} must be a Decimal, not {type(value).__name__}")
    d = Decimal(value)
    if not d.is_finite():
        raise ValidationFailed(f"--{flag}: '{value}' is not a number (line {position})", field=flag)
    return d


def _line_total(position: int, line: Line, vat_exempt: bool) -> tuple[LineTotal, Decimal]:
    quantity = _number(line.quantity, "qty", position)
    price = _number(line.unit_price, "price", position)
    rate = _number(line.vat_rate, "vat", position)
    if quantity < 0:
        raise ValidationFailed(
            f"--qty: '{quantity}' must not be negative (line {position})", field="qty"
        )
    if price < 0:
        raise ValidationFailed(
            f"--price: '{price}' must not be negative (line {position})", field="price"
        )
    if rate not in VAT_RATES:
        raise ValidationFailed(
            f"--vat: '{rate}' is not a German VAT rate (19, 7 or 0) (line {position})",
            field="vat",
        )
    amount = cents(quantity * price)
    discount = line.discount.amount_of(amount) if line.discount else Decimal("0.00")
    if discount > amount:
        raise ValidationFailed(
            f"--discount: {format_eur(discount)} is more than the line's "
            f"{format_eur(amount)} (line {position})",
            field="discount",
        )
    effective_rate = Decimal(0) if vat_exempt else Decimal(int(rate))
    return LineTotal(position, line, amount, discount, amount - discount), effective_rate


def split_largest_remainder(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split ``total`` (cents, ≥ 0) in proportion to ``weights`` so the parts sum exactly.

    Each part is first cut down to cents; the cents left over go one by one to the parts
    with the largest cut-off remainders (ties: the larger weight, then the earlier part).
    """
    weight_sum = sum(weights, Decimal(0))
    if total == 0 or weight_sum == 0:
        if total != 0:
            raise ValueError("cannot split a non-zero amount over zero weights")
        return [Decimal("0.00") for _ in weights]
    raw = [total * w / weight_sum for w in weights]
    parts = [floor_cents(r) for r in raw]
    left = int((total - sum(parts, Decimal(0))) / CENT)
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - parts[i]), -weights[i], i))
    for i in order[:left]:
        parts[i] += CENT
    return parts


def compute_totals(
    lines: list[Line] | tuple[Line, ...],
    order_discount: Discount | None,
    *,
    vat_exempt: bool = False,
) -> Totals:
    """Totals of an offer, order or invoice.

    ``vat_exempt`` (small business § 19 UStG, reverse charge § 13b UStG) puts every line
    under one 0 % row: such an invoice must not show VAT at all.
    """
    line_totals: list[LineTotal] = []
    net_by_rate: dict[Decimal, Decimal] = {}
    for position, line in enumerate(lines, start=1):
        lt, rate = _line_total(position, line, vat_exempt)
        line_totals.append(lt)
        net_by_rate[rate] = net_by_rate.get(rate, Decimal("0.00")) + lt.net

    rates = sorted(net_by_rate, reverse=True)
    net_before = sum((lt.net for lt in line_totals), Decimal("0.00"))
    discount_amount = order_discount.amount_of(net_before) if order_discount else Decimal("0.00")
    if discount_amount > net_before:
        raise ValidationFailed(
            f"--discount: {format_eur(discount_amount)} is more than the net total "
            f"{format_eur(net_before)}",
            field="discount",
        )
    shares = split_largest_remainder(discount_amount, [net_by_rate[r] for r in rates])

    breakdown: list[VatRow] = []
    for rate, share in zip(rates, shares, strict=True):
        base = net_by_rate[rate] - share
        vat = cents(base * rate / HUNDRED)
        breakdown.append(VatRow(rate, base, vat))

    net_total = net_before - discount_amount
    vat_total = sum((row.vat for row in breakdown), Decimal("0.00"))
    return Totals(
        lines=tuple(line_totals),
        net_before_discount=net_before,
        order_discount=order_discount,
        discount_amount=discount_amount,
        discount_shares=tuple(zip(rates, shares, strict=True)),
        net_total=net_total,
        vat_breakdown=tuple(breakdown),
        vat_total=vat_total,
        gross_total=net_total + vat_total,
        vat_exempt=vat_exempt,
    )
