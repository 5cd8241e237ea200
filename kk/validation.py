"""Normalise and check single user-typed values, over the field's libraries.

Every function takes the raw string and returns the normalised value, or raises
``ValidationFailed`` whose ``field`` is the JSON key and whose message names the CLI flag and
quotes the value. ``field`` can be overridden so a contact person's e-mail reports as its own
flag. Callers turn empty input into ``None`` before calling; here an empty value is an error.

The libraries are imported inside the functions: each costs 50-130 ms cold (measured with
``python -X importtime``: stdnum.eu.vat 87 ms, stdnum.iban 98 ms, stdnum.de.stnr 94 ms,
email_validator 71 ms, phonenumbers 51 ms, pycountry 126 ms), and most commands need none.
Importing this module itself costs about 7 ms (mostly compiling its regular expressions).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from kk.errors import ValidationFailed
from kk.text import fold

__all__ = [
    "bic",
    "choice",
    "country",
    "date_value",
    "decimal_amount",
    "email",
    "flag",
    "iban",
    "percent",
    "phone",
    "postal_code",
    "register_number",
    "tax_number",
    "vat_id",
    "website",
]

_SHOWN_CHARS = 80


def flag(field: str) -> str:
    """The CLI flag form of a JSON key: ``postal_code`` → ``--postal-code``."""
    return "--" + field.replace("_", "-")


def _fail(field: str, value: str, problem: str) -> ValidationFailed:
    shown = value if len(value) <= _SHOWN_CHARS else value[:_SHOWN_CHARS] + "…"
    return ValidationFailed(f"{flag(field)}: {shown!r} {problem}", field=field)


def _required(value: str, field: str) -> str:
    text = value.strip()
    if not text:
        raise _fail(field, value, "must not be empty")
    return text


def _stdnum_reason(exc: Exception) -> str:
    from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength

    if isinstance(exc, InvalidChecksum):
        return "checksum"
    if isinstance(exc, InvalidLength):
        return "length"
    if isinstance(exc, InvalidComponent):
        return "unknown part"
    return "format"


def _stdnum(
    check: Callable[[str], str],
    value: str,
    field: str,
    what: str,
    *,
    reason: str | None = None,
    hint: str = "",
) -> str:
    from stdnum.exceptions import ValidationError

    text = _required(value, field)
    try:
        return check(text)
    except ValidationError as exc:
        problem = f"is not a valid {what} ({reason or _stdnum_reason(exc)}){hint}"
        raise _fail(field, value, problem) from None


# --- contact -----------------------------------------------------------------------------


def email(value: str, field: str = "email") -> str:
    """Syntax check only (no DNS); the domain comes back lower-cased."""
    from email_validator import EmailNotValidError, validate_email

    text = _required(value, field)
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        reason = " ".join(str(exc).split())
        raise _fail(field, value, f"is not a valid email address ({reason})") from None


def phone(value: str, field: str = "phone", region: str = "DE") -> str:
    """Any usual written form (``030 1234567``, ``+49 (0)30 12345-67``) → E.164."""
    import phonenumbers

    text = _required(value, field)
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise _fail(field, value, "is not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise _fail(field, value, f"is not a valid phone number (default region {region})")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_HOST_LABEL = re.compile(r"^(?!-)[^\W_](?:[\w-]*[^\W_])?$")


def website(value: str, field: str = "website") -> str:
    """A bare host gets ``https://``; the host is lower-cased, the rest kept."""
    from urllib.parse import urlsplit  # 5 ms (pulls in ipaddress)

    text = _required(value, field)
    if any(c.isspace() for c in text):
        raise _fail(field, value, "is not a web address (contains spaces)")
    scheme = _SCHEME.match(text)
    if scheme is None:
        text = "https://" + text
    elif scheme.group(1).lower() not in ("http", "https"):
        raise _fail(field, value, "is not a web address (only http and https)")
    parts = urlsplit(text)
    host = parts.hostname or ""
    try:
        port = parts.port
    except ValueError:
        raise _fail(field, value, "is not a web address (bad port)") from None
    labels = host.split(".")
    if (
        "@" in parts.netloc
        or len(labels) < 2
        or not all(_HOST_LABEL.match(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise _fail(field, value, "is not a web address (expected e.g. example.de)")
    netloc = host if port is None else f"{host}:{port}"
    rest = parts.path + (f"?{parts.query}" if parts.query else "")
    rest += f"#{parts.fragment}" if parts.fragment else ""
    return f"{parts.scheme.lower()}://{netloc}{rest}"


# --- company and bank numbers ------------------------------------------------------------


def vat_id(value: str, field: str = "vat_id") -> str:
    """EU VAT IDs (USt-IdNr, incl. XI), Swiss CHE… and British GB…; compact upper case."""
    from stdnum.eu import vat as eu_vat
    from stdnum.util import clean

    def check(text: str) -> str:
        compact = clean(text, " -./,").upper()
        if compact.startswith("CHE"):
            from stdnum.ch import uid as ch_uid
            from stdnum.ch import vat as ch_vat

            # The Swiss MWST number is the UID plus a language suffix; accept it bare too.
            if compact[-3:].isdigit():
                return ch_uid.validate(compact)
            return ch_vat.validate(compact)
        if compact.startswith("GB"):
            from stdnum.gb import vat as gb_vat

            return "GB" + gb_vat.validate(compact)
        return eu_vat.validate(compact)

    prefix = _required(value, field)[:2].lower()
    reason = None
    if not prefix.isalpha():
        reason = "country prefix missing, e.g. DE"
    elif prefix not in eu_vat.MEMBER_STATES | {"el", "ch", "gb"}:
        reason = "unknown country prefix"
    return _stdnum(check, value, field, "VAT ID", reason=reason)


_REGISTER_TYPE = re.compile(r"\b(hra|hrb|gnr|pr|vr)\b", re.IGNORECASE)
_COURT_PREFIX = re.compile(r"^(amtsgericht|ag)\s+", re.IGNORECASE)


def register_number(value: str, field: str = "register_number") -> str:
    """Handelsregister entry in the library's form ``Berlin (Charlottenburg) HRB 12345``.

    Either order is accepted (``HRB 12345 Berlin (Charlottenburg)`` too); a leading
    ``Amtsgericht``/``AG`` is dropped, the register type is upper-cased.
    """
    from stdnum.de import handelsregisternummer

    def check(text: str) -> str:
        text = _COURT_PREFIX.sub("", text)
        text = _REGISTER_TYPE.sub(lambda m: m.group(1).upper(), text)
        return handelsregisternummer.validate(text)

    return _stdnum(check, value, field, "register number", hint="; e.g. HRB 12345 Berlin")


def tax_number(value: str, field: str = "tax_number") -> str:
    """Steuernummer in regional (``181/815/08155``) or federal 13-digit form, kept as typed."""
    from stdnum.de import stnr

    def check(text: str) -> str:
        stnr.validate(text)
        return text

    return _stdnum(check, value, field, "tax number")


def iban(value: str, field: str = "iban") -> str:
    from stdnum import iban as std_iban

    return _stdnum(std_iban.validate, value, field, "IBAN")


def bic(value: str, field: str = "bic") -> str:
    from stdnum import bic as std_bic

    return _stdnum(std_bic.validate, value, field, "BIC")


# --- places ------------------------------------------------------------------------------

# Everyday German (and English) names that are not the ISO names pycountry knows.
_COUNTRY_ALIASES = {
    "holland": "NL",
    "england": "GB",
    "uk": "GB",
    "grossbritannien": "GB",
    "great britain": "GB",
    "usa": "US",
    "amerika": "US",
    "tschechei": "CZ",
    "czech republic": "CZ",
    "russland": "RU",
    "turkei": "TR",
    "turkey": "TR",
    "sudkorea": "KR",
    "south korea": "KR",
}


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Folded alpha-2, alpha-3, English and German names → alpha-2."""
    import gettext

    import pycountry

    german = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"])
    names: dict[str, str] = {}
    for entry in pycountry.countries:
        code: str = entry.alpha_2
        for attr in ("name", "official_name", "common_name"):
            name = getattr(entry, attr, None)
            if name:
                names.setdefault(fold(name), code)
                names.setdefault(fold(german.gettext(name)), code)
        names[fold(entry.alpha_3)] = code
    for entry in pycountry.countries:
        names[fold(entry.alpha_2)] = entry.alpha_2
    names.update(_COUNTRY_ALIASES)
    return names


@lru_cache(maxsize=1024)
def _resolve_country(text: str) -> str | None:
    key = fold(text)
    code = _country_names().get(key)
    if code is not None:
        return code
    if len(key) < 4:
        # Fuzzy search also matches subdivision codes: "XX" would find Malta (MT-XX).
        return None
    import pycountry

    try:
        found = pycountry.countries.search_fuzzy(text)
    except LookupError:
        return None
    # Only an unambiguous fuzzy match counts ("Korea" matches two countries).
    return str(found[0].alpha_2) if len(found) == 1 else None


def country(value: str, field: str = "country") -> str:
    """ISO 3166 alpha-2 from a code (any case, alpha-2 or -3) or an English/German name."""
    text = _required(value, field)
    code = _resolve_country(text)
    if code is None:
        raise _fail(field, value, "is not a known country (use e.g. DE, AUT or Schweiz)")
    return code


_POSTAL_PATTERNS: dict[str, tuple[re.Pattern[str], str]] = {
    **{c: (re.compile(r"^\d{5}$"), "5 digits") for c in ("DE", "FR", "IT", "ES", "FI")},
    **{
        c: (re.compile(r"^\d{4}$"), "4 digits")
        for c in ("AT", "CH", "BE", "DK", "LU", "LI", "NO", "HU", "SI", "BG", "CY")
    },
    "PL": (re.compile(r"^\d{2}-\d{3}$"), "the form 12-345"),
}
_POSTAL_NL = re.compile(r"^([1-9]\d{3}) ?([A-Za-z]{2})$")
_POSTAL_OTHER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 -]{0,9}$")


def postal_code(value: str, country: str = "DE", field: str = "postal_code") -> str:
    """A postal code as text for ``country``; a German ``1067`` is rejected, never padded."""
    text = _required(value, field)
    code = country.strip().upper()
    if code == "NL":
        match = _POSTAL_NL.match(text)
        if match is None:
            raise _fail(field, value, "is not a Dutch postal code (expected 1234 AB)")
        return f"{match.group(1)} {match.group(2).upper()}"
    rule = _POSTAL_PATTERNS.get(code)
    if rule is not None:
        pattern, shape = rule
        if pattern.match(text) is None:
            raise _fail(field, value, f"is not a valid postal code for {code} ({shape})")
        return text
    if _POSTAL_OTHER.match(text) is None:
        raise _fail(field, value, "is not a postal code (up to 10 letters, digits, - or space)")
    return text.upper()


# --- numbers, dates, choices -------------------------------------------------------------

_PLAIN = re.compile(r"^[+-]?\d+$")
_ONE_SEPARATOR = re.compile(r"^[+-]?(\d*)([.,])(\d+)$")
_GROUPED_DE = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$")
_GROUPED_EN = re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$")
_AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$")


def _parse_decimal(text: str) -> Decimal | str:
    """The number in ``text``, or why it is none (a string)."""
    if _PLAIN.match(text):
        return Decimal(text)
    if _AMBIGUOUS.match(text):
        return "is ambiguous (thousands separator or decimal point?); write 1234 or 1.234,00"
    if _ONE_SEPARATOR.match(text):
        return Decimal(text.replace(",", "."))
    if _GROUPED_DE.match(text):
        return Decimal(text.replace(".", "").replace(",", "."))
    if _GROUPED_EN.match(text):
        return Decimal(text.replace(",", ""))
    return "is not a number (e.g. 95,00 or 1.234,56 or 1,234.56)"


def decimal_amount(value: str, field: str) -> Decimal:
    """German (``1.234,56``) or English (``1,234.56``) number; ``1.234`` alone is refused."""
    parsed = _parse_decimal(_required(value, field))
    if isinstance(parsed, str):
        raise _fail(field, value, parsed)
    return parsed


_CENT = Decimal("0.01")


def percent(value: str, field: str = "discount") -> Decimal:
    """0 to 100, ``%`` optional, rounded half-up to two places."""
    text = _required(value, field).removesuffix("%").rstrip()
    parsed = _parse_decimal(text) if text else "is not a number"
    if isinstance(parsed, str):
        raise _fail(field, value, parsed)
    if not Decimal(0) <= parsed <= Decimal(100):
        raise _fail(field, value, "is not a percentage between 0 and 100")
    return parsed.quantize(_CENT, rounding=ROUND_HALF_UP)


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def date_value(value: str, field: str) -> datetime.date:
    """``2026-12-01`` or German ``01.12.2026``/``1.12.2026``."""
    text = _required(value, field)
    if match := _ISO_DATE.match(text):
        year, month, day = match.groups()
    elif match := _GERMAN_DATE.match(text):
        day, month, year = match.groups()
    else:
        raise _fail(field, value, "is not a date (expected 2026-12-01 or 01.12.2026)")
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError as exc:
        raise _fail(field, value, f"is not a valid date ({exc})") from None


def choice(value: str, allowed: Iterable[str], field: str) -> str:
    """The canonical spelling of one of ``allowed``, matched case-insensitively."""
    options = list(allowed)
    wanted = value.strip().casefold()
    for option in options:
        if option.casefold() == wanted:
            return option
    raise _fail(field, value, f"is not one of: {', '.join(options)}")
