"""vCard 2.1/3.0/4.0 reading (Outlook, Apple, RFC 6350 files), broken cards, writing and
round trips through kk's own export."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kk.formats.rows import KK_KEYS, SourceRow
from kk.formats.vcard import read_vcards, write_vcards

DATA = Path(__file__).parent / "data"


def read(name: str) -> list[SourceRow]:
    with (DATA / name).open("rb") as stream:
        return list(read_vcards(stream))


def read_bytes(data: bytes) -> list[SourceRow]:
    return list(read_vcards(io.BytesIO(data)))


def test_outlook_v21_quoted_printable_windows_1252() -> None:
    rows = read("contacts_v21.vcf")
    assert [r.where for r in rows] == [
        "card 1 (line 1)",
        "card 2 (line 20)",
        "card 3 (line 33)",
        "card 4 (line 49)",
    ]
    assert all(r.error is None for r in rows)
    first = rows[0].record
    assert first == {
        "last_name": "Müller",
        "first_name": "Hans",
        "salutation": "Herr",
        "title": "Dr.",
        "display_name": "Dr. Hans Müller",
        "company_name": "Müller & Söhne GmbH",
        "street": "Hauptstraße 5",
        "postal_code": "01067",
        "city": "Dresden",
        "country": "Deutschland",
        "phone": "+49 351 4711000",
        "mobile": "0171 2345678",
        "email": "info@mueller-soehne.de",
        "website": "www.mueller-soehne.de",
        # QP with a soft line break; the dash exists in Windows-1252 only
        "notes": 'Lieferung nur Mo; Di\n"Rampe 3" benutzen, bitte — Stand 2024',
        "extra": {"fax": "+49 351 4711099"},
    }
    assert rows[1].record["street"] == "Schloßallee 12a"  # raw cp1252 byte, CHARSET line
    assert rows[3].record["title"] == "Prof. Dr."


def test_v21_iso_8859_1_commas_and_backslashes() -> None:
    """2.1 never escapes commas; vobject alone would cut the note at the first one."""
    card = (
        b"BEGIN:VCARD\r\n"
        b"VERSION:2.1\r\n"
        b"N;CHARSET=ISO-8859-1:Gr\xf6\xdfer;J\xfcrgen\r\n"
        b"NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:Lieferung Mo, Di; nie =\r\n"
        b"am Wochenende=0D=0AAblage C:\\Kunden\r\n"
        b"ORG:Gr\xf6\xdfer, Klein & Co\r\n"
        b"CATEGORIES:Kunde;VIP\r\n"
        b"ADR;HOME:;;Am Markt 1, Hinterhaus;Bautzen;;02625;DE\r\n"
        b"END:VCARD\r\n"
    )
    [row] = read_bytes(card)
    assert row.error is None
    assert row.record == {
        "last_name": "Größer",
        "first_name": "Jürgen",
        "notes": "Lieferung Mo, Di; nie am Wochenende\nAblage C:\\Kunden",
        "company_name": "Größer, Klein & Co",
        "labels": ["Kunde", "VIP"],
        "street": "Am Markt 1, Hinterhaus",
        "postal_code": "02625",
        "city": "Bautzen",
        "country": "DE",
    }


def test_apple_v30() -> None:
    rows = read("contacts_v30.vcf")
    assert [r.line for r in rows] == [1, 17, 27, 40, 54]
    first = rows[0].record
    assert first["kind"] == "company"  # X-ABShowAs:COMPANY
    assert first["labels"] == ["Großkunde", "Sachsen"]
    assert first["website"] == "www.mueller-soehne.de"  # item1.URL
    assert first["notes"] == 'Lieferung nur Mo; Di\n"Rampe 3" benutzen, bitte'
    assert first["postal_code"] == "01067"
    assert rows[4].record == {
        "last_name": "Großmann",
        "first_name": "Fritz",
        "display_name": "Fritz Großmann",
        "street": "Leipziger Str. 45",
        "postal_code": "04109",
        "city": "Leipzig",
        "country": "Deutschland",
        "phone": "0341 998877",
    }


def test_rfc6350_v40() -> None:
    rows = read("contacts_v40.vcf")
    assert len(rows) == 5
    first = rows[0].record
    assert (first["kind"], first["display_name"]) == ("company", "Müller & Söhne GmbH")
    assert first["phone"] == "+49-351-4711000"  # tel: URI, left for validation to normalise
    assert first["mobile"] == "0171-2345678"
    assert first["extra"]["UID"].startswith("urn:uuid:")
    assert rows[1].record["kind"] == "private"
    assert rows[3].record["postal_code"] == "02826"


def test_broken_and_unclosed_cards_are_error_rows() -> None:
    data = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Gut\r\nEND:VCARD\r\n"  # 1
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nthis line has no colon\r\nEND:VCARD\r\n"  # 5
        b"\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Auch gut\r\nNOTE:BEGIN:VCARD\r\n"  # 10
        b" END:VCARD\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Offen\r\n"  # 16
    )
    rows = read_bytes(data)
    assert [(r.where, r.error is None) for r in rows] == [
        ("card 1 (line 1)", True),
        ("card 2 (line 5)", False),
        ("card 3 (line 10)", True),
        ("card 4 (line 16)", False),
    ]
    assert "unreadable vCard" in str(rows[1].error)
    assert rows[2].record["notes"] == "BEGIN:VCARDEND:VCARD"  # folded, not a card boundary
    assert rows[3].error == "the card has no END:VCARD"


def test_written_cards_are_folded_crlf_and_carry_kk_fields() -> None:
    record = {
        "number": "CUS-0042",
        "kind": "company",
        "company_name": "Müller; Söhne, GmbH",
        "vat_id": "DE136695976",
        "roles": ["customer", "supplier"],
        "notes": "ä" * 80,
    }
    out = io.StringIO(newline="")
    assert write_vcards([record], out, version="4.0") == 1
    text = out.getvalue()
    lines = text.split("\r\n")
    assert lines[:2] == ["BEGIN:VCARD", "VERSION:4.0"]
    assert "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert "UID:urn:kk:customer:CUS-0042" in lines
    assert "KIND:org" in lines
    assert "ORG:Müller\\; Söhne\\, GmbH" in lines
    assert "X-KK-NUMBER:CUS-0042" in lines
    assert "X-KK-ROLES:customer\\,supplier" in lines
    v3 = io.StringIO(newline="")
    write_vcards([record], v3, version="3.0")
    assert "\r\nKIND:" not in v3.getvalue()  # KIND is 4.0 only
    [row] = read_bytes(v3.getvalue().encode())
    assert row.record["display_name"] == "Müller; Söhne, GmbH"  # FN derived for a company
    assert row.record["kind"] == "company"


TEXT = (
    st.text(st.sampled_from(list("aeoxÄÖÜäöüß0 ;,.:\"'\\=+-@\n&/é")), min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool)
)
SIMPLE_KEYS = [
    k
    for k in KK_KEYS
    if k not in ("labels", "roles", "display_name", "salutation", "title", "kind")
]


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    keys = draw(st.lists(st.sampled_from(SIMPLE_KEYS), max_size=10, unique=True))
    record: dict[str, Any] = {"display_name": draw(TEXT)}
    record.update({k: draw(TEXT) for k in keys})
    if draw(st.booleans()):
        record["postal_code"] = draw(st.from_regex(r"0[0-9]{4}", fullmatch=True))
    if draw(st.booleans()):
        record["kind"] = draw(st.sampled_from(["company", "private"]))
    if draw(st.booleans()):
        record["salutation"] = draw(st.sampled_from(["Herr", "Frau"]) | TEXT)
    if draw(st.booleans()):
        record["title"] = draw(st.sampled_from(["Dr.", "Prof. Dr."]) | TEXT)
    if draw(st.booleans()):
        record["labels"] = draw(st.lists(TEXT, min_size=1, max_size=4, unique=True))
    if draw(st.booleans()):
        record["roles"] = draw(
            st.lists(st.sampled_from(["customer", "supplier"]), min_size=1, unique=True)
        )
    return record


def vcard_round_trip(batch: list[dict[str, Any]], version: str) -> list[SourceRow]:
    out = io.StringIO(newline="")
    assert write_vcards(batch, out, version=version) == len(batch)
    return read_bytes(out.getvalue().encode())


@settings(max_examples=100, deadline=None)
@given(st.lists(records(), min_size=1, max_size=4))
def test_vcard_30_round_trip(batch: list[dict[str, Any]]) -> None:
    rows = vcard_round_trip(batch, "3.0")
    assert [r.error for r in rows] == [None] * len(batch)
    assert [r.record for r in rows] == batch


@settings(max_examples=100, deadline=None)
@given(st.lists(records(), min_size=1, max_size=4))
def test_vcard_40_round_trip(batch: list[dict[str, Any]]) -> None:
    rows = vcard_round_trip(batch, "4.0")
    assert [r.error for r in rows] == [None] * len(batch)
    assert [r.record for r in rows] == batch
