"""The fast paths that make a million-row import affordable must agree with the libraries.

Each fast path in kk.validation (and the ASCII/word path of kk.text.fold) may only take a
shortcut where it reaches exactly the library's result; here both are run on generated input
and real sample data, and every value the fast path accepts must come out the same.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from hypothesis import example, given, settings
from hypothesis import strategies as st
from stdnum.de import handelsregisternummer, stnr
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError

from kk import sample_data
from kk import validation as v
from kk.errors import ValidationFailed
from kk.text import fold

# --- fold --------------------------------------------------------------------------------

_UMLAUT = re.compile(r"([aou])e+")
_APOSTROPHES = str.maketrans("", "", "'\u2019\u2018`\u00b4")


def _marks(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def reference_fold(text: str) -> str:
    """kk.text.fold as first written: one character at a time, no shortcuts."""
    folded = _marks(_marks(text).casefold()).translate(_APOSTROPHES)
    folded = "".join(c if c.isalnum() or c in "@.- " else " " for c in folded)
    return _UMLAUT.sub(r"\1", re.sub(" {2,}", " ", folded).strip())


@settings(max_examples=500)
@given(st.text())
def test_fold_equals_the_reference_on_any_text(text: str) -> None:
    assert fold(text) == reference_fold(text)


@settings(max_examples=500)
@given(st.text(alphabet="aeouAEOUäöüÄÖÜßéİ'`´’ -.@,;\t\n\u00a0\u0308xyz0"))
@example("Mueller-Lüdenscheidt  O'Brien\u00a0Straße")
def test_fold_equals_the_reference_on_german_looking_text(text: str) -> None:
    assert fold(text) == reference_fold(text)


@settings(max_examples=500)
@given(st.text(alphabet="aeouAEOU'` -.@,;&/_()\t\n\r\x0bxyZ09!", max_size=30))
@example("Busch & Klein  GmbH / Co. (Nord)")
def test_fold_equals_the_reference_on_ascii_text(text: str) -> None:
    assert text.isascii()
    assert fold(text) == reference_fold(text)


# --- email -------------------------------------------------------------------------------


def library_email(text: str) -> str | None:
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


_EMAIL_CHARS = "abcXYZ019.-_+!#'*@" + 'äö[] "<>(),;:\\'


@settings(max_examples=1000)
@given(st.text(alphabet=_EMAIL_CHARS, min_size=1, max_size=40))
@example("Postmaster@Example.DE")
@example("a@xn--mller-kva.de")
@example("a@ab--cd.de")
@example("a@host.invalid")
@example("a@host.local")
@example("a@1.2.3.4")
@example("a..b@x.de")
@example("a@" + "b" * 64 + ".de")
@example("a@x." + "c" * 63 + ".de")
@example("a@mail.example.local")
@example("a@x.a--b.de")
def test_fast_email_agrees_with_email_validator(text: str) -> None:
    fast = v._fast_email(text)
    if fast is not None:
        assert fast == library_email(text)


@given(st.from_regex(r"[a-z0-9._%+-]{1,20}@[a-z0-9-]{1,12}(\.[a-z]{2,6}){1,2}", fullmatch=True))
def test_fast_email_takes_ordinary_addresses(text: str) -> None:
    expected = library_email(text)
    if expected is not None and not text.split("@")[1].split(".")[0][2:4] == "--":
        assert v._fast_email(text) == expected


# --- phone -------------------------------------------------------------------------------


def library_phone(text: str, region: str) -> str | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@settings(max_examples=1500)
@given(
    st.sampled_from(["+49 ", "+49", "0", "00", "+43 ", "(0", "+49 (0)", "0049 ", "+4"]),
    st.text(alphabet="0123456789 /-()", min_size=1, max_size=16),
    st.sampled_from(["DE", "AT"]),
)
@example("0", "30 1234567", "DE")
@example("(0", "5251) 7300-94", "DE")
@example("+49 ", "162 56414213", "AT")
def test_fast_phone_agrees_with_phonenumbers(prefix: str, rest: str, region: str) -> None:
    text = (prefix + rest).strip()
    fast = v._fast_phone(text, region)
    if fast is not None:
        assert fast == library_phone(text, region)


def test_the_german_validity_check_is_phonenumbers_own() -> None:
    numbers = ("301234567", "3319764018", "16256414213", "91132814620", "8001234567", "1234",
               "999999999999", "15212345678", "9001234567", "32123456789")  # fmt: skip
    for national in numbers:
        number = phonenumbers.PhoneNumber(country_code=49, national_number=int(national))
        assert v._valid_de_number(national) == phonenumbers.is_valid_number(number), national


# --- VAT ID, register number, website ----------------------------------------------------


@settings(max_examples=500)
@given(st.from_regex(r"(de|DE|De)[ .-]?[0-9]{3}[ ]?[0-9]{3}[ /]?[0-9]{3}", fullmatch=True))
def test_fast_vat_id_agrees_with_stdnum(text: str) -> None:
    fast = v._fast_vat_id(text)
    try:
        expected: str | None = eu_vat.validate(text.replace("/", "").replace(" ", ""))
    except ValidationError:
        expected = None
    if fast is not None:
        assert fast == expected
    elif expected is not None:
        raise AssertionError(f"{text!r} should take the fast path")


@settings(max_examples=300)
@given(
    st.sampled_from(["HRA", "HRB", "GnR", "PR", "VR"]),
    st.integers(min_value=1, max_value=999999),
    st.sampled_from(["", " B", " HB", " Ö"]),
    st.sampled_from(
        [
            "Berlin (Charlottenburg)",
            "Köln",
            "Paderborn",
            "Osnabrück",
            "Bad Homburg v.d.H.",
            "Weiden",
            "Kaln",
            "Nirgendwo",
            "Ludwigshafen",
            "Freiburg",
            "Amtsgericht Berlin",
        ]
    ),  # fmt: skip
    st.booleans(),
)
def test_fast_register_number_agrees_with_stdnum(
    register: str, number: int, qualifier: str, court: str, court_first: bool
) -> None:
    text = (f"{court} {register} {number}{qualifier}" if court_first
            else f"{register} {number}{qualifier} {court}")  # fmt: skip
    fast = v._fast_register_number(text)
    try:
        expected: str | None = handelsregisternummer.validate(text)
    except ValidationError:
        expected = None
    if fast is not None:
        assert fast == expected


@settings(max_examples=800)
@given(
    st.sampled_from(["", "http://", "https://", "HTTPS://", "ftp://"]),
    st.text(alphabet="abcXY09-._", min_size=1, max_size=20),
    st.sampled_from(["", "/", "/kontakt", "/a_b~c.html", "?x=1", ":8080"]),
)
def test_fast_website_agrees_with_the_full_check(scheme: str, host: str, path: str) -> None:
    text = scheme + host + path
    fast = v._fast_website(text)
    if fast is None:
        return
    try:
        expected: str | None = _website_without_fast_path(text)
    except ValidationFailed:
        expected = None
    assert fast == expected


@settings(max_examples=800)
@given(st.from_regex(r"[0-9]{2,4}[ /.-]?[0-9]{3,5}[ /-]?[0-9]{3,6}", fullmatch=True))
@example("203/118/12345")
@example("93815/08152")
@example("2893081508152")
def test_fast_tax_number_agrees_with_stdnum(text: str) -> None:
    fast = v._fast_tax_number(text)
    if fast is not None:
        assert fast == text
        assert stnr.is_valid(text)
    elif text.replace("/", "").replace(" ", "").replace(".", "").replace("-", "").isdigit():
        assert not stnr.is_valid(text)


def _website_without_fast_path(text: str) -> str:
    original = v._fast_website
    v._fast_website = lambda _text: None  # type: ignore[assignment]
    try:
        return v.website(text)
    finally:
        v._fast_website = original


def test_sample_data_takes_the_fast_paths_with_the_libraries_results() -> None:
    rows = list(sample_data.customer_rows(600, seed=7))
    taken = dict.fromkeys(
        ("email", "phone", "vat_id", "register_number", "website", "tax_number"), 0
    )
    for row in rows:
        if row["email"]:
            fast = v._fast_email(row["email"])
            taken["email"] += fast is not None
            assert fast in (None, library_email(row["email"]))
        for key in ("phone", "mobile"):
            if row[key]:
                fast = v._fast_phone(row[key], "DE")
                taken["phone"] += fast is not None
                assert fast in (None, library_phone(row[key], "DE"))
        if row["vat_id"]:
            fast = v._fast_vat_id(row["vat_id"])
            taken["vat_id"] += fast is not None
            if fast is not None:
                assert fast == eu_vat.validate(row["vat_id"])
        if row["register_number"]:
            fast = v._fast_register_number(row["register_number"])
            taken["register_number"] += fast is not None
            assert fast in (None, handelsregisternummer.validate(row["register_number"]))
        if row["tax_number"]:
            fast = v._fast_tax_number(row["tax_number"])
            taken["tax_number"] += fast is not None
            assert fast in (None, row["tax_number"]) and stnr.is_valid(row["tax_number"])
        if row["website"]:
            fast = v._fast_website(row["website"])
            taken["website"] += fast is not None
            assert fast in (None, _website_without_fast_path(row["website"]))
    # the point of the fast paths: most real values take them
    assert all(count > 100 for count in taken.values()), taken
