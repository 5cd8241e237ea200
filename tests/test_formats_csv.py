"""CSV reading and writing: encodings, delimiters, line numbers, header families, formula
protection and round trips. Concrete values come from the generated files in tests/data/."""

from __future__ import annotations

import codecs
import importlib.util
import io
import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kk.errors import ValidationFailed
from kk.formats.csv_in import CsvSource, read_csv, unneutralise
from kk.formats.csv_out import neutralise, write_csv
from kk.formats.headers import map_headers
from kk.formats.rows import KK_KEYS, SourceRow
from kk.formats.sniff import detect_delimiter, detect_encoding

DATA = Path(__file__).parent / "data"

MUELLER = {
    "number": "CUS-0001",
    "company_name": "Müller & Söhne GmbH",
    "salutation": "Herr",
    "title": "Dr.",
    "first_name": "Hans",
    "last_name": "Müller",
    "street": "Hauptstraße 5",
    "postal_code": "01067",
    "city": "Dresden",
    "country": "Deutschland",
    "email": "info@mueller-soehne.de",
    "phone": "+49 351 4711000",
    "mobile": "0171 2345678",
    "vat_id": "DE136695976",
    "tax_number": "203/118/12345",
    "register_number": "HRB 1234 Dresden",
    "discount_percent": "10,00",
    "labels": ["Großkunde", "Sachsen"],
    "notes": 'Lieferung nur Mo; Di\n"Rampe 3" benutzen, bitte',
}


def open_csv(name: str, **kwargs: Any) -> tuple[CsvSource, list[SourceRow]]:
    with (DATA / name).open("rb") as stream:
        source = read_csv(stream, **kwargs)
        return source, list(source)


def from_bytes(data: bytes, **kwargs: Any) -> tuple[CsvSource, list[SourceRow]]:
    source = read_csv(io.BytesIO(data), **kwargs)
    return source, list(source)


# --- sniffing -------------------------------------------------------------------------


def test_detect_encoding_by_bom_and_content() -> None:
    assert detect_encoding(codecs.BOM_UTF8 + b"a;b") == "utf-8-sig"
    assert detect_encoding(codecs.BOM_UTF16_LE + "a\tb".encode("utf-16-le")) == "utf-16"
    assert detect_encoding(codecs.BOM_UTF16_BE + "a\tb".encode("utf-16-be")) == "utf-16"
    assert detect_encoding("Straße;Ort".encode()) == "utf-8"
    assert detect_encoding("Straße;Ort".encode("cp1252")) == "cp1252"
    # a multi-byte character cut by the 64 KiB sniff window is still UTF-8
    assert detect_encoding("Straß".encode()[:-1]) == "utf-8"


def test_detect_delimiter() -> None:
    assert detect_delimiter("Firma;Vorname;Nachname\n") == ";"
    assert detect_delimiter("a,b,c\n1,2,3\n") == ","
    assert detect_delimiter("a\tb\tc\n") == "\t"
    assert detect_delimiter('"Müller, Hans";PLZ\n') == ";"  # quoted commas do not count
    assert detect_delimiter("sep=,\nFirma;Ort;PLZ\n") == ","  # Excel's sep= line wins
    assert detect_delimiter("\ufeffsep=;\r\na,b,c\r\n") == ";"
    assert detect_delimiter("Name\n") == ","


# --- the sample files -------------------------------------------------------------------


def test_excel_cp1252_semicolon_crlf() -> None:
    source, rows = open_csv("excel_de_cp1252.csv")
    assert (source.encoding, source.delimiter, source.header_map.family) == (
        "cp1252",
        ";",
        "generic",
    )
    assert source.header_map.unknown == []
    assert [r.line for r in rows] == [2, 4, 5, 6, 7]  # the first note spans lines 2-3
    assert all(r.error is None for r in rows)
    assert rows[0].record == MUELLER
    assert rows[1].record["street"] == "Schloßallee 12a"  # Straße + Hausnummer joined
    assert rows[3].record["postal_code"] == "02826"
    assert rows[3].record["discount_percent"] == "2,5"  # decimal comma left for validation


def test_excel_utf8_bom_other_headers_and_blank_rows() -> None:
    source, rows = open_csv("excel_utf8_bom.csv")
    assert (source.encoding, source.delimiter) == ("utf-8-sig", ";")
    assert source.header_map.unknown == ["Lieblingsfarbe"]
    assert source.header_map.fields[:6] == [
        "company_name",
        "first_name",
        "last_name",
        "street",
        "postal_code",
        "city",
    ]
    assert [r.line for r in rows] == [2, 4, 5, 6, 7]  # ;;;; rows and the blank line skipped
    first = rows[0].record
    assert first["street"] == "Hauptstraße 5"
    assert first["postal_code"] == "01067"
    assert first["labels"] == ["Großkunde", "Sachsen"]  # "Kategorien" split on ","
    assert first["notes"] == MUELLER["notes"]
    assert "Lieblingsfarbe" not in str(rows[1].record)


def test_excel_sep_line_counts_as_a_line() -> None:
    source, rows = open_csv("excel_sep_line.csv")
    assert (source.encoding, source.delimiter, source.header_line) == ("cp1252", ";", 2)
    assert [r.line for r in rows] == [3, 5, 6]
    assert rows[0].record["company_name"] == "Müller & Söhne GmbH"
    assert rows[2].record["city"] == "Stuttgart"


def test_excel_unicode_text_utf16_tab() -> None:
    source, rows = open_csv("excel_unicode_text.txt")
    assert (source.encoding, source.delimiter) == ("utf-16", "\t")
    _, excel_rows = open_csv("excel_de_cp1252.csv")
    assert [r.record for r in rows] == [r.record for r in excel_rows]
    assert [r.line for r in rows] == [2, 4, 5, 6, 7]


def test_outlook_english_export() -> None:
    source, rows = open_csv("outlook_en.csv")
    assert (source.delimiter, source.header_map.family) == (",", "outlook_en")
    assert len(source.header_map.headers) == 92
    assert source.header_map.unknown == []
    assert "Birthday" in source.header_map.ignored
    assert "Assistant's Phone" in source.header_map.ignored
    first = rows[0].record
    assert {k: first[k] for k in ("salutation", "title", "first_name", "last_name")} == {
        "salutation": "Herr",
        "title": "Dr.",
        "first_name": "Hans",
        "last_name": "Müller",
    }
    assert first["street"] == "Hauptstraße 5"
    assert first["postal_code"] == "01067"
    assert first["phone"] == "+49 351 4711000"
    assert first["mobile"] == "0171 2345678"
    assert first["notes"] == MUELLER["notes"]  # Outlook's CRLF inside the note became LF
    assert first["labels"] == ["Großkunde", "Sachsen"]
    assert first["extra"] == {
        "Business Fax": "+49 351 4711099",
        "E-mail 2 Address": "h.mueller@privat.example",
    }
    joerg = rows[1].record  # a private contact: the home address is taken
    assert (joerg["street"], joerg["city"], joerg["postal_code"]) == (
        "Schloßallee 12a",
        "München",
        "80331",
    )
    assert "Birthday" not in str(first)


def test_outlook_german_export_reads_like_the_english_one() -> None:
    source, rows = open_csv("outlook_de.csv")
    assert (source.encoding, source.header_map.family) == ("cp1252", "outlook_de")
    assert source.header_map.unknown == []
    assert "Ort" in source.header_map.ignored  # Outlook's "Ort" is the office location
    _, english = open_csv("outlook_en.csv")
    strip = [{k: v for k, v in r.record.items() if k != "extra"} for r in rows]
    assert strip == [{k: v for k, v in r.record.items() if k != "extra"} for r in english]
    assert rows[0].record["extra"]["Fax geschäftlich"] == "+49 351 4711099"


def test_google_contacts_export() -> None:
    source, rows = open_csv("google_contacts.csv")
    assert (source.encoding, source.delimiter, source.header_map.family) == (
        "utf-8",
        ",",
        "google",
    )
    assert source.header_map.unknown == []
    assert [r.line for r in rows] == [2, 6, 9, 12, 15]  # "Address 1 - Formatted" spans lines
    first = rows[0].record
    assert first["labels"] == ["Großkunde", "Sachsen"]  # "* myContacts" dropped
    assert first["email"] == "info@mueller-soehne.de"
    assert first["extra"] == {"E-mail 1 - Value": "h.mueller@privat.example"}
    assert first["phone"] == "+49 351 4711000"
    assert first["mobile"] == "0171 2345678"  # "Phone 2 - Label" is Mobile
    assert (first["salutation"], first["title"]) == ("Herr", "Dr.")
    assert first["postal_code"] == "01067"
    assert rows[1].record["mobile"] == "+49 171 9876543"
    assert "phone" not in rows[1].record


def test_broken_file_flags_nul_and_too_many_cells() -> None:
    _, rows = open_csv("broken.csv")
    errors = {r.line: r.error for r in rows if r.error}
    assert set(errors) == {4, 5}
    assert "NUL" in str(errors[4])
    assert "11 cells" in str(errors[5]) and "10" in str(errors[5])
    good = [r for r in rows if not r.error]
    assert [r.line for r in good] == [2, 6, 7, 8]
    # left for validation: kept exactly as written
    assert good[1].record["postal_code"] == "1067"
    assert good[2].record["email"] == "erika(at)example.de"
    assert good[3].record["vat_id"] == "DE136695978"


def test_samples_are_reproducible(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_samples", DATA / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    root = Path(__file__).parents[1]
    for path in module.write_all(tmp_path):
        name = path.relative_to(tmp_path)
        assert (root / name).read_bytes() == path.read_bytes(), name


# --- line numbers, line ends, bad rows --------------------------------------------------


def test_crlf_and_lf_read_the_same() -> None:
    text = 'Vorname;Nachname;Notizen\nAnna;Ärger;"a\nb"\nBen;Bär;x\n'
    lf = from_bytes(text.encode())[1]
    crlf = from_bytes(text.replace("\n", "\r\n").encode())[1]
    assert [(r.line, r.record) for r in lf] == [(r.line, r.record) for r in crlf]
    assert [r.line for r in lf] == [2, 4]
    assert lf[0].record["notes"] == "a\nb"


def test_line_numbers_after_multiline_cells_and_blank_lines() -> None:
    text = (
        "Vorname,Notizen\n"  # 1
        'A,"eins\nzwei\ndrei"\n'  # 2-4
        "\n"  # 5
        'B,"x\n\ny"\n'  # 6-8 (a blank line inside quotes)
        ",\n"  # 9 empty cells: skipped
        "C,z\n"  # 10
        "\n\n"
    )
    rows = from_bytes(text.encode())[1]
    assert [(r.line, r.record["first_name"]) for r in rows] == [(2, "A"), (6, "B"), (10, "C")]
    assert rows[1].record["notes"] == "x\n\ny"


def test_nul_and_extra_cells_flagged_with_line_numbers() -> None:
    text = "Vorname;Nachname\nA;B\nC\x00;D\nE;F;G\nH;I;;\nJ;K\n"
    rows = from_bytes(text.encode())[1]
    assert [(r.line, r.error is not None) for r in rows] == [
        (2, False),
        (3, True),
        (4, True),
        (5, False),  # trailing empty cells (Excel pads rows) are no error
        (6, False),
    ]
    assert rows[1].record == {} and rows[1].raw == ["C\x00", "D"]


def test_non_seekable_stream_and_late_cp1252_bytes() -> None:
    """stdin cannot seek; and a UTF-8-looking head followed by German Excel bytes later
    must not crash the import."""

    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            chunk = self._data.read(min(len(buffer), 1000))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    filler = "".join(f"Name{i};Ort{i}\n" for i in range(8000)).encode()  # > 64 KiB of ASCII
    data = b"Nachname;Ort\n" + filler + "Weiß;Köln\n".encode("cp1252")
    rows = list(read_csv(Pipe(data)))  # type: ignore[arg-type]
    assert len(rows) == 8001
    assert rows[-1].record == {"last_name": "Weiß", "city": "Köln"}
    assert rows[-1].line == 8002


def test_reading_streams_instead_of_loading() -> None:
    """An endless file still yields its first rows: nothing waits for the end."""

    class Endless(io.RawIOBase):
        def __init__(self) -> None:
            self._rows = (f"Kunde {i};{i:05d}\n".encode() for i in itertools.count())
            self._pending = b"Nachname;PLZ\n"

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            while len(self._pending) < len(buffer):
                self._pending += next(self._rows)
            n = len(buffer)
            buffer[:n], self._pending = self._pending[:n], self._pending[n:]
            return n

    rows = list(itertools.islice(read_csv(Endless()), 5000))  # type: ignore[arg-type]
    assert rows[-1].record == {"last_name": "Kunde 4999", "postal_code": "04999"}
    assert rows[-1].line == 5001


def test_explicit_encoding_and_delimiter() -> None:
    data = "Nachname,Ort\nMüller,Köln\n".encode("cp1252")
    source, rows = from_bytes(data, encoding="cp1252", delimiter=",")
    assert (source.encoding, source.delimiter) == ("cp1252", ",")
    assert rows[0].record == {"last_name": "Müller", "city": "Köln"}


# --- header mapping ---------------------------------------------------------------------


def test_headers_match_case_space_and_dash_insensitively() -> None:
    header_map = map_headers(
        [" E_MAIL ", "e-mail-adresse", "Strasse", "POSTLEITZAHL", "Kunden-Nr.", "USt-ID"], {}
    )
    assert header_map.fields == ["email", "email", "street", "postal_code", "number", "vat_id"]
    assert header_map.unknown == []


def test_german_sheet_headers() -> None:
    headers = [
        "Firmenname",
        "Anrede",
        "Titel",
        "Vorname",
        "Name",
        "Tel.",
        "Handy",
        "Fax",
        "Internet",
        "UStIdNr",
        "Steuernummer",
        "HRB",
        "Rabatt",
        "Bemerkung",
        "Land",
        "Stadt",
    ]
    header_map = map_headers(headers, {})
    assert header_map.fields == [
        "company_name",
        "salutation",
        "title",
        "first_name",
        "last_name",  # "Name" beside "Vorname" is the last name
        "phone",
        "mobile",
        "extra",
        "website",
        "vat_id",
        "tax_number",
        "register_number",
        "discount_percent",
        "notes",
        "country",
        "city",
    ]
    record = header_map.record(["ACME", "Frau", "", "Eva", "Ernst", "1", "2", "3"])
    assert record["extra"] == {"Fax": "3"}
    assert map_headers(["Name", "Ort"], {}).fields == ["display_name", "city"]


def test_ignorable_columns_only_count_for_their_family() -> None:
    """ "Birthday" is expected noise in an Outlook export but a surprise in a hand-made
    sheet, where the user should hear about it."""
    assert map_headers(["Vorname", "Nachname", "Birthday"], {}).unknown == ["Birthday"]
    outlook = map_headers(["First Name", "Business Street", "Business City", "Birthday"], {})
    assert (outlook.family, outlook.unknown) == ("outlook_en", [])


def test_outlook_prefix_splits_salutation_and_title() -> None:
    headers = ["Title", "First Name", "Middle Name", "Business Street", "Mobile Phone", "Home City"]
    header_map = map_headers(headers, {})
    assert header_map.family == "outlook_en"
    record = header_map.record(["Frau Prof. Dr.", "Eva", "Maria", "Weg 1", "", "Bonn"])
    assert record["salutation"] == "Frau"
    assert record["title"] == "Prof. Dr."
    assert record["first_name"] == "Eva Maria"
    # the business address wins whole; the home city is not mixed in
    assert record["street"] == "Weg 1" and "city" not in record
    assert record["extra"] == {"Home City": "Bonn"}


def test_mapping_overrides() -> None:
    data = b"Nr intern;Nachname;Farbe;Zusatz\nK-17;Meier;blau;Hinterhaus\n"
    plain, _ = from_bytes(data)
    assert plain.header_map.unknown == ["Nr intern", "Farbe", "Zusatz"]
    source, rows = from_bytes(
        data, mapping={"NR-INTERN": "number", "Farbe": "ignore", "Zusatz": "notes"}
    )
    assert source.header_map.unknown == []
    assert rows[0].record == {"number": "K-17", "last_name": "Meier", "notes": "Hinterhaus"}
    with pytest.raises(ValidationFailed, match="not a field"):
        read_csv(io.BytesIO(data), mapping={"Farbe": "colour"})
    with pytest.raises(ValidationFailed, match="no column 'Spalte X'"):
        read_csv(io.BytesIO(data), mapping={"Spalte X": "notes"})


# --- writing ----------------------------------------------------------------------------


def test_formula_cells_are_neutralised_and_restored() -> None:
    values = ["=SUM(A1:A9)", "+49 30 1234", "-5", "@cmd", "'=x", "''+y", "'plain", "normal"]
    assert [neutralise(v) for v in values] == [
        "'=SUM(A1:A9)",
        "'+49 30 1234",
        "'-5",
        "'@cmd",
        "''=x",
        "'''+y",
        "'plain",
        "normal",
    ]
    assert [unneutralise(neutralise(v)) for v in values] == values
    assert unneutralise("'abc") == "'abc"  # a real apostrophe stays


def test_written_cells_and_raw_mode() -> None:
    records = [{"last_name": '=HYPERLINK("x")', "phone": "+4930123", "notes": "ok"}]
    out = io.StringIO(newline="")
    write_csv(records, out, columns=["last_name", "phone", "notes"])
    assert out.getvalue() == 'last_name,phone,notes\n"\'=HYPERLINK(""x"")",\'+4930123,ok\n'
    raw = io.StringIO(newline="")
    write_csv(records, raw, columns=["last_name", "phone", "notes"], raw=True)
    assert raw.getvalue().splitlines()[1] == '"=HYPERLINK(""x"")",+4930123,ok'


def test_default_and_excel_dialect_bytes() -> None:
    records = [{"last_name": "Müller", "labels": ["A", "B"], "is_template": False, "city": None}]
    columns = ["last_name", "labels", "is_template", "city"]
    plain = io.StringIO(newline="")
    assert write_csv(records, plain, columns=columns) == 1
    assert (
        plain.getvalue().encode()
        == b"last_name,labels,is_template,city\nM\xc3\xbcller,A;B,false,\n"
    )
    excel = io.BytesIO()
    text = io.TextIOWrapper(excel, encoding="utf-8", newline="")
    write_csv(records, text, columns=columns, excel=True)
    text.flush()
    # BOM, ";" and CRLF; the ";"-joined labels are quoted because ";" now delimits
    assert excel.getvalue() == (
        b'\xef\xbb\xbflast_name;labels;is_template;city\r\nM\xc3\xbcller;"A;B";false;\r\n'
    )


def test_empty_export_has_the_header_only() -> None:
    out = io.StringIO(newline="")
    assert write_csv(iter(()), out, columns=["number", "email"]) == 0
    assert out.getvalue() == "number,email\n"


# --- round trips ------------------------------------------------------------------------

TEXT_KEYS = [k for k in KK_KEYS if k not in ("labels", "roles")]
ALPHABET = st.sampled_from(list("aeiouxyzAÄÖÜäöüßé0123456789 ;,.\"'=+-@\n\t&/()"))


def clean_text(min_size: int = 1) -> st.SearchStrategy[str]:
    return (
        st.text(ALPHABET, min_size=min_size, max_size=25)
        .map(lambda s: s.strip())
        .filter(lambda s: bool(s))
    )


LABEL = (
    st.text(st.sampled_from(list("abcxyzÄöüß -+=@'\"")), min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    keys = draw(st.lists(st.sampled_from(TEXT_KEYS), min_size=1, max_size=8, unique=True))
    record: dict[str, Any] = {k: draw(clean_text()) for k in keys}
    if draw(st.booleans()):
        record["postal_code"] = draw(st.from_regex(r"0[0-9]{4}", fullmatch=True))
    if draw(st.booleans()):
        record["phone"] = draw(st.from_regex(r"\+49[1-9][0-9]{6,10}", fullmatch=True))
    if draw(st.booleans()):
        record["labels"] = draw(st.lists(LABEL, min_size=1, max_size=4, unique=True))
    return record


def roundtrip(batch: list[dict[str, Any]], *, excel: bool) -> list[SourceRow]:
    buffer = io.BytesIO()
    text = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    write_csv(batch, text, columns=list(KK_KEYS), excel=excel)
    text.flush()
    return list(read_csv(io.BytesIO(buffer.getvalue())))


@settings(max_examples=150, deadline=None)
@given(st.lists(records(), min_size=1, max_size=5))
def test_csv_round_trip(batch: list[dict[str, Any]]) -> None:
    rows = roundtrip(batch, excel=False)
    assert [r.record for r in rows] == batch
    assert all(r.error is None for r in rows)


@settings(max_examples=150, deadline=None)
@given(st.lists(records(), min_size=1, max_size=5))
def test_csv_excel_round_trip(batch: list[dict[str, Any]]) -> None:
    rows = roundtrip(batch, excel=True)
    assert [r.record for r in rows] == batch
    lines = [2]
    for record in batch[:-1]:  # each row starts after the line ends of the previous one
        lines.append(lines[-1] + 1 + sum(str(v).count("\n") for v in record.values()))
    assert [r.line for r in rows] == lines


def test_empty_file_header_only_and_oversized_cell() -> None:
    empty, rows = from_bytes(b"")
    assert (empty.header_map.headers, rows) == ([], [])
    header_only, rows = from_bytes(b"Vorname;Nachname\r\n")
    assert (header_only.header_map.fields, rows) == (["first_name", "last_name"], [])
    huge = "x" * 200_000  # over the csv module's field limit: one bad row, not a crash
    rows = from_bytes(f'Vorname;Notizen\nA;"{huge}"\nB;ok\n'.encode())[1]
    assert [(r.line, r.error is None) for r in rows] == [(2, False), (3, True)]
    assert "field larger than field limit" in str(rows[0].error)
    assert rows[1].record == {"first_name": "B", "notes": "ok"}


def test_formats_import_no_heavy_or_face_modules() -> None:
    """vobject loads only when a vCard is read; formats never import a face."""
    import subprocess
    import sys

    code = (
        "import sys, kk.formats.csv_in, kk.formats.csv_out, kk.formats.jsonl, "
        "kk.formats.vcard, kk.formats.headers, kk.formats.sniff; "
        "print(sorted(m for m in ('vobject', 'typer', 'textual', 'sqlmodel', 'kk.commands') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[1],
    )
    assert result.stdout.strip() == "[]"
