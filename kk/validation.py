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
from kk.text import digits, fold

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
    text = _required(value, field)
    fast = _fast_email(text)
    if fast is not None:
        return fast
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        reason = " ".join(str(exc).split())
        raise _fail(field, value, f"is not a valid email address ({reason})") from None


def phone(value: str, field: str = "phone", region: str = "DE") -> str:
    """Any usual written form (``030 1234567``, ``+49 (0)30 12345-67``) → E.164."""
    text = _required(value, field)
    fast = _fast_phone(text, region)
    if fast is not None:
        return fast
    import phonenumbers

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
    text = _required(value, field)
    fast = _fast_website(text)
    if fast is not None:
        return fast
    from urllib.parse import urlsplit  # 5 ms (pulls in ipaddress)

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
    fast = _fast_vat_id(_required(value, field))
    if fast is not None:
        return fast
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
    fast = _fast_register_number(_required(value, field))
    if fast is not None:
        return fast
    from stdnum.de import handelsregisternummer

    def check(text: str) -> str:
        text = _COURT_PREFIX.sub("", text)
        text = _REGISTER_TYPE.sub(lambda m: m.group(1).upper(), text)
        return handelsregisternummer.validate(text)

    return _stdnum(check, value, field, "register number", hint="; e.g. HRB 12345 Berlin")


def tax_number(value: str, field: str = "tax_number") -> str:
    """Steuernummer in regional (``181/815/08155``) or federal 13-digit form, kept as typed."""
    fast = _fast_tax_number(_required(value, field))
    if fast is not None:
        return fast
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


# --- fast paths for bulk imports ---------------------------------------------------------
#
# `kk import` validates a million rows, and per value the libraries cost (measured on the
# 2-core dev machine) 64 µs for email-validator, 45-60 µs for phonenumbers' parse and
# is_valid_number, 41 µs for stdnum's eu.vat, 33 µs for de.handelsregisternummer and 23 µs for
# the website check: ~200 µs a row against a budget of 20. Each fast path below takes only
# the plain everyday shape of a value, reaches exactly the result the library reaches for it
# (by running the library's own remaining checks, or by memoising the part that repeats),
# and returns None for anything else, so every other value and every refusal still goes
# through the library unchanged. tests/test_import_fastpaths.py compares each fast path
# with the library on generated input.

_EMAIL_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")


@lru_cache(maxsize=1)
def _email_rules() -> tuple[re.Pattern[str], frozenset[str], frozenset[str], tuple[str, ...]]:
    """email-validator's dot-atom pattern and case-insensitive mailbox names, and its
    special-use domains as a set (a domain that is one) and as suffixes (one below)."""
    from email_validator import SPECIAL_USE_DOMAIN_NAMES
    from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES, DOT_ATOM_TEXT

    special = tuple(SPECIAL_USE_DOMAIN_NAMES)
    return (
        DOT_ATOM_TEXT,
        frozenset(CASE_INSENSITIVE_MAILBOX_NAMES),
        frozenset(special),
        tuple("." + name for name in special),
    )


def _fast_email(text: str) -> str | None:
    """An ASCII dot-atom local part at a plain ASCII host name: email-validator's checks for
    exactly that case, in its order (no IDNA, no quoting, no display name, no literal)."""
    if not text.isascii() or len(text) > 254:
        return None
    local, at, domain = text.partition("@")
    if not at or not local or "@" in domain:
        return None
    dot_atom, case_insensitive, special, special_below = _email_rules()
    if dot_atom.match(local) is None:
        return None
    if local.lower() in case_insensitive:
        local = local.lower()
    domain = domain.lower()
    if len(domain) > 253 or _EMAIL_DOMAIN.fullmatch(domain) is None or "xn--" in domain:
        return None
    # A label over 63 characters needs a domain that long; a '--' at a label's third
    # character needs a '--' in the domain: only then are the labels looked at one by one.
    if (len(domain) > 63 or "--" in domain) and any(
        len(label) > 63 or label[2:4] == "--" for label in domain.split(".")
    ):
        return None
    if not domain[-1].isalpha():
        return None
    if domain in special or domain.endswith(special_below):
        return None
    return f"{local}@{domain}"


_PHONE_PLAIN = re.compile(r"(\+)?[0-9(][0-9 ()/-]*[0-9]")


def _fast_phone(text: str, region: str) -> str | None:
    """A German number written with digits, spaces, ``/``, ``-`` and parentheses, either
    ``+49 …`` or ``0…`` with region DE: phonenumbers strips the national prefix ``0`` (DE has no
    other prefix or carrier rule), so the number is (49, the rest) when the library finds it
    valid; only its validity check runs here."""
    match = _PHONE_PLAIN.fullmatch(text)
    if match is None:
        return None
    number = digits(text)
    if match.group(1):
        national = number[2:] if number.startswith("49") else ""
    else:
        national = number[1:] if number.startswith("0") and region == "DE" else ""
    if not national or national.startswith("0") or len(national) > 17:
        return None
    return "+49" + national if _valid_de_number(national) else None


@lru_cache(maxsize=1)
def _de_number_types() -> tuple[tuple[frozenset[int], re.Pattern[str]], ...]:
    """(possible lengths, pattern) of the general description and of every number type of
    phonenumbers' German metadata, fixed line and mobile first (the usual hits)."""
    import phonenumbers

    metadata = phonenumbers.PhoneMetadata.metadata_for_region("DE")
    assert metadata is not None
    names = ("fixed_line", "mobile", "premium_rate", "toll_free", "shared_cost", "voip",
             "personal_number", "pager", "uan", "voicemail")  # fmt: skip
    descs = [metadata.general_desc] + [getattr(metadata, name) for name in names]
    return tuple(
        (frozenset(desc.possible_length or ()), re.compile(desc.national_number_pattern))
        for desc in descs
        if desc is not None and desc.national_number_pattern
    )


def _valid_de_number(national: str) -> bool:
    """phonenumbers' is_valid_number for (49, national): the general description matches
    and some number type does (its _number_type_helper is not UNKNOWN). The library asks its
    compiled-pattern cache once per type and call; here the patterns are held."""
    (general_lengths, general), *types = _de_number_types()
    size = len(national)
    if (general_lengths and size not in general_lengths) or not general.fullmatch(national):
        return False
    for lengths, pattern in types:
        if (not lengths or size in lengths) and pattern.fullmatch(national):
            return True
    return False


_VAT_DE = re.compile(r"DE[1-9][0-9]{8}")
_VAT_SEPARATORS = str.maketrans("", "", " -./,")


def _fast_vat_id(text: str) -> str | None:
    """``DE`` and nine digits: stdnum's de.vat check digit (ISO 7064 mod 11,10), without the
    EU dispatch around it."""
    if not text.isascii():
        return None
    compact = text.translate(_VAT_SEPARATORS).upper()
    if _VAT_DE.fullmatch(compact) is None:
        return None
    from stdnum.iso7064 import mod_11_10

    return compact if mod_11_10.is_valid(compact[2:]) else None


_COURT = r"([A-ZÄÖÜ][a-zäöüß][A-Za-zÄÖÜäöüß .()/-]*[a-z.)])"
_REGISTER_PLAIN = re.compile(r"(HRA|HRB|GnR|PR|VR) ([1-9][0-9]{0,5})(?: ([A-Z]{1,3}))? " + _COURT)
_REGISTER_COURT_FIRST = re.compile(
    _COURT + r" (HRA|HRB|GnR|PR|VR) ([1-9][0-9]{0,5})(?: ([A-Z]{1,3}))?"
)


@lru_cache(maxsize=4096)
def _register_court(register: str, court: str) -> str | None:
    """The court's canonical name as stdnum gives it, or None if it refuses the court."""
    from stdnum.de import handelsregisternummer
    from stdnum.exceptions import ValidationError

    try:
        entry = handelsregisternummer.validate(f"{register} 1 {court}")
    except ValidationError:
        return None
    return entry.removesuffix(f" {register} 1")


def _fast_register_number(text: str) -> str | None:
    """``HRB 12345 Court``: the result depends on the number only by copying it, so the
    library's answer for the court is memoised (courts repeat, numbers do not)."""
    match = _REGISTER_PLAIN.fullmatch(text)
    if match is not None:
        register, number, qualifier, court = match.groups()
    else:
        match = _REGISTER_COURT_FIRST.fullmatch(text)
        if match is None:
            return None
        court, register, number, qualifier = match.groups()
    canonical = _register_court(register, court)
    if canonical is None:
        return None
    return " ".join(part for part in (canonical, register, number, qualifier) if part)


_WEBSITE_PLAIN = re.compile(
    r"(?:(https?)://)?((?:[A-Za-z0-9-]+\.)+[A-Za-z0-9-]+)(/[A-Za-z0-9._~/-]*)?", re.IGNORECASE
)


def _fast_website(text: str) -> str | None:
    """A host name with an optional http(s) scheme and a plain path: the checks of
    :func:`website` without urlsplit (which leaves such a URL as it is)."""
    match = _WEBSITE_PLAIN.fullmatch(text)
    if match is None:
        return None
    scheme, host, path = match.groups()
    labels = host.split(".")
    if not all(_HOST_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        return None
    return f"{(scheme or 'https').lower()}://{host.lower()}{path or ''}"


_TAX_SEPARATORS = str.maketrans("", "", " -./,")


@lru_cache(maxsize=1)
def _tax_number_formats() -> dict[int, tuple[tuple[tuple[int, str], ...], ...]]:
    """stdnum's de.stnr formats by length, each as its fixed digits (position, digit).

    A format such as ``28FF0BBBUUUUP`` is a regular expression in which every letter run is
    ``\\d{n}`` and every digit stands for itself, so an all-digit number of that length
    matches exactly when it has those digits at those places.
    """
    from stdnum.de import stnr

    formats: dict[int, list[tuple[tuple[int, str], ...]]] = {}
    for pair in stnr._number_formats_per_region_raw.values():
        for fmt in pair:
            fixed = tuple((i, c) for i, c in enumerate(fmt) if c.isdigit())
            formats.setdefault(len(fmt), []).append(fixed)
    return {length: tuple(found) for length, found in formats.items()}


def _fast_tax_number(text: str) -> str | None:
    """A Steuernummer of digits and the usual separators, kept as typed."""
    if not text.isascii():
        return None
    compact = text.translate(_TAX_SEPARATORS)
    if not compact.isdigit():
        return None
    for fixed in _tax_number_formats().get(len(compact), ()):
        if all(compact[i] == digit for i, digit in fixed):
            return text
    return None
