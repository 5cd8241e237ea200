"""Money on ``Decimal``: rounding, discounts and the German number forms.

Stdlib only and cheap to import: the CLI parses ``--discount 10,5%`` and ``--price 1.234,56``
on its fast path, and the invoice arithmetic must never meet a float.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

from kk.errors import ValidationFailed

__all__ = [
    "CENT",
    "HUNDRED",
    "Discount",
    "cents",
    "format_de_date",
    "floor_cents",
    "format_de_number",
    "format_de_quantity",
    "format_eur",
    "parse_de_decimal",
    "parse_discount",
]

CENT = Decimal("0.01")
HUNDRED = Decimal(100)

DiscountKind = Literal["percent", "amount"]


def cents(d: Decimal) -> Decimal:
    """Round half-up to whole cents, the one rounding rule of German invoices."""
    return d.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Discount:
    """A discount as the user typed it: a percentage or a fixed EUR amount.

    Built only with valid values, so code holding a ``Discount`` need not check it again.
    """

    kind: DiscountKind
    value: Decimal

    def __post_init__(self) -> None:
        if self.kind not in ("percent", "amount"):
            raise ValueError(f"unknown discount kind {self.kind!r}")
        value = self.value
        if not isinstance(value, Decimal) or not value.is_finite():
            raise ValidationFailed(f"--discount: {value!r} is not a number", field="discount")
        if value < 0:
            raise ValidationFailed(
                f"--discount: '{self.describe()}' must not be negative", field="discount"
            )
        if self.kind == "percent" and value > HUNDRED:
            raise ValidationFailed(
                f"--discount: '{self.describe()}' is more than 100 %", field="discount"
            )
        if self.kind == "amount" and value != cents(value):
            raise ValidationFailed(
                f"--discount: '{value}' has more than 2 decimal places", field="discount"
            )

    @classmethod
    def percent(cls, value: Decimal | int | str) -> Discount:
        return cls("percent", Decimal(value))

    @classmethod
    def amount(cls, value: Decimal | int | str) -> Discount:
        return cls("amount", Decimal(value))

    def amount_of(self, base: Decimal) -> Decimal:
        """The discount in EUR on ``base``, rounded to cents (may exceed ``base``)."""
        if self.kind == "percent":
            return cents(base * self.value / HUNDRED)
        return cents(self.value)

    def describe(self) -> str:
        """German display form: ``10 %``, ``10,5 %`` or ``25,00 €``."""
        if self.kind == "percent":
            return f"{_format_plain(self.value)} %"
        return format_eur(self.value)


_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+")
_GROUPED_COMMA = re.compile(r"\d{1,3}(?:,\d{3})+")
_SPACES = str.maketrans("", "", " \u00a0\u202f")


def parse_de_decimal(text: str, *, field: str) -> Decimal:
    """Read a number typed the German (``1.234,56``) or the machine way (``1234.56``).

    A single dot followed by exactly three digits (``1.234``) means 1234 to a German
    reader and 1.234 to a script; it is refused rather than guessed.
    """
    flag = "--" + field.replace("_", "-")
    raw = text
    s = text.strip()
    if s.endswith("€"):
        s = s[:-1]
    elif s.upper().endswith("EUR"):
        s = s[:-3]
    s = s.translate(_SPACES)
    sign = ""
    if s[:1] in ("-", "+"):
        sign, s = ("-" if s[0] == "-" else ""), s[1:]
    bad = ValidationFailed(f"{flag}: {raw!r} is not a number", field=field)
    if not s or not re.fullmatch(r"[\d.,]+", s):
        raise bad
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):
            whole, _, frac = s.rpartition(",")
            if not _GROUPED.fullmatch(whole):
                raise bad
            whole = whole.replace(".", "")
        else:
            whole, _, frac = s.rpartition(".")
            if not _GROUPED_COMMA.fullmatch(whole):
                raise bad
            whole = whole.replace(",", "")
    elif s.count(",") == 1:
        whole, _, frac = s.partition(",")
    elif "," in s:
        if not _GROUPED_COMMA.fullmatch(s):
            raise bad
        whole, frac = s.replace(",", ""), ""
    elif s.count(".") > 1:
        if not _GROUPED.fullmatch(s):
            raise bad
        whole, frac = s.replace(".", ""), ""
    elif s.count(".") == 1:
        whole, _, frac = s.partition(".")
        if len(frac) == 3 and whole and whole != "0":
            raise ValidationFailed(
                f"{flag}: {raw!r} is ambiguous, write {whole}{frac} or {whole},{frac}",
                field=field,
            )
    else:
        whole, frac = s, ""
    if not (whole or frac) or not (whole + frac).isdigit():
        raise bad
    try:
        return Decimal(f"{sign}{whole or '0'}.{frac or '0'}" if frac else f"{sign}{whole}")
    except InvalidOperation:
        raise bad from None


def parse_discount(text: str) -> Discount:
    """``10%``, ``10 %``, ``10,5%`` are percentages; ``25,00``, ``1.234,56 €`` are EUR."""
    s = text.strip()
    if s.endswith("%"):
        value = parse_de_decimal(s[:-1], field="discount")
        return Discount("percent", value)
    value = parse_de_decimal(s, field="discount")
    return Discount("amount", value)


def format_de_number(d: Decimal, places: int = 2) -> str:
    """``Decimal("1234.5")`` → ``1.234,50``: dot for thousands, comma for decimals."""
    exp = Decimal(1).scaleb(-places)
    q = d.quantize(exp, rounding=ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    digits = f"{abs(q):f}"
    whole, _, frac = digits.partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{frac}" if places > 0 else f"{sign}{grouped}"


def _format_plain(d: Decimal) -> str:
    """German form with only the decimals the value needs (``10,5``, ``3``)."""
    exponent = d.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_de_number(d, places)


def format_de_quantity(d: Decimal) -> str:
    """Quantities show only the decimals they have: ``3``, ``1,5``, ``0,25``."""
    return _format_plain(d)


def format_eur(d: Decimal) -> str:
    """``1.234,56 €`` — the amount rounded half-up to cents."""
    return f"{format_de_number(d, 2)} €"


def format_de_date(d: date) -> str:
    """``23.11.2026``."""
    return f"{d.day:02d}.{d.month:02d}.{d.year:04d}"


def floor_cents(d: Decimal) -> Decimal:
    """Cut towards zero to whole cents (the first step of a largest-remainder split)."""
    return d.quantize(CENT, rounding=ROUND_DOWN)
