"""The fast export (kk.services.export_fast) writes byte for byte what the generic writers
write — the keyset reader into kk.formats' csv/json writers, called here as the oracle —
for every format and option, on customers with the values that break naive writers, on
arbitrary text (hypothesis), and for every way of choosing the customers."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kk import db
from kk.formats.csv_out import write_csv
from kk.formats.jsonl import write_json, write_jsonl
from kk.services import export_fast, queries
from kk.services.exporting import ExportOptions, export_customers, export_query
from kk.services.queries import CUSTOMER_KEYS
from kk.services.users import Actor

ADMIN = Actor("anna", "admin")
#: Every control character, and the characters JSON writers disagree on.
AWKWARD = "".join(map(chr, range(32))) + "\x7f\x85\u2028\u2029/\\\"'<>&😀ß"

#: (customer data as `kk customer add` takes it, labels)
PEOPLE: list[tuple[dict[str, Any], list[str]]] = [
    (
        {"kind": "company", "company_name": "Müller & Söhne GmbH", "postal_code": "01067",
         "city": "Dresden", "phone": "+49 351 4711000", "roles": "customer,supplier",
         "notes": "=SUMME(A1)\nzweite Zeile; mit \"Zitat\"", "email": "info@mueller.de"},
        ["Sachsen", "Großkunde", "Ost, Mitte"],
    ),
    (
        {"first_name": "Jörg", "last_name": "O'Neill \"Der Große\"", "city": "-Berlin",
         "street": "Straße des 17. Juni 1", "notes": "@SUM(A1)", "title": "Dr.",
         "salutation": "Herr", "mobile": "0171 2345678"},
        ["=Formel", "AB", 'Sag "hi"'],
    ),
    ({"first_name": "Änne", "last_name": "Schäfer", "postal_code": "04109"}, []),
    (
        {"kind": "company", "company_name": "Komma, Punkt & Co. KG", "discount_percent": "2,5",
         "roles": "supplier", "website": "www.example.de", "is_template": True},
        ["Großkunde"],
    ),
    ({"first_name": "Zoë", "last_name": "Ärger", "do_not_contact": True}, ["Zürich"]),
    ({"first_name": "Alt", "last_name": "Kunde", "city": "Dresden"}, ["Sachsen"]),
    ({"first_name": "Geheim", "last_name": "Kunde"}, ["Sachsen"]),
]  # fmt: skip

#: Values only a direct write or an old import can leave: (number, column, value).
STORED: list[tuple[str, str, Any]] = [
    ("CUS-0001", "notes", AWKWARD + "\nEnde, mit Komma"),
    ("CUS-0002", "first_name", "\tTab"),
    ("CUS-0002", "last_name", "\rCR"),
    ("CUS-0002", "street", 'Weg "3", Hinterhaus'),  # a quoted cell the SQL does not quote
    ("CUS-0003", "city", "Halle, Saale"),
    ("CUS-0003", "street", "'=x"),
    ("CUS-0003", "title", "''+x"),
    ("CUS-0003", "salutation", "'plain"),
    ("CUS-0003", "notes", "a\x00b, c\x00"),
    ("CUS-0003", "first_name", "\x00"),
    ("CUS-0003", "archive_reason", "-"),
    ("CUS-0004", "roles", ""),
    ("CUS-0004", "postal_code", ""),
    ("CUS-0004", "notes", "+49 30 1234"),
    ("CUS-0004", "company_name", '@firma; "quoted"\r\nline'),
    ("CUS-0005", "roles", "supplier,customer"),
    ("CUS-0005", "display_name", "Ärger, Zoë;\u2028x"),
    ("CUS-0005", "notes", '\\u001f \\" \\\\'),
]

OPTIONS = {
    "csv": ExportOptions("csv"),
    "csv-excel": ExportOptions("csv", excel=True),
    "csv-raw": ExportOptions("csv", raw=True),
    "csv-excel-raw": ExportOptions("csv", excel=True, raw=True),
    "jsonl": ExportOptions("jsonl"),
    "json": ExportOptions("json"),
}
CHOICES: dict[str, dict[str, Any]] = {
    "active": {},
    "archived": {"archived": "archived"},
    "all": {"archived": "all"},
    "full-text": {"expression": "city:dresden"},
    "full-text-all": {"expression": "city:dresden", "archived": "all"},
    "label": {"expression": "label:großkunde"},
    "not-label": {"expression": "-label:sachsen kind:private"},
    "consent": {"consent": "email"},
    "selection": {"selection": "firmen"},
    "none": {"expression": "city:nirgendwo"},
}


def _build(path: Path) -> None:
    from kk.services import customers, selections

    with db.write_session(path) as session:
        for data, labels in PEOPLE:
            customers.add_customer(session, data=data, actor=ADMIN, labels=labels)
        customers.archive_customer(session, "CUS-0006", reason="umgezogen\n2026", actor=ADMIN)
        customers.set_consents(
            session, "CUS-0002", granted={"email": True}, source=None, date=None,
            do_not_contact=None, actor=ADMIN,
        )  # fmt: skip
        customers.set_consents(
            session, "CUS-0005", granted={"email": True}, source=None, date=None,
            do_not_contact=None, actor=ADMIN,
        )  # fmt: skip
    with closing(db.connect(path)) as connection:
        selections.save(connection, name="firmen", expression="kind:company", actor=ADMIN)
        with db.immediate(connection):
            for number, column, value in STORED:
                connection.execute(
                    f"UPDATE customer SET {column} = ? WHERE number = ?", (value, number)
                )
            connection.execute("UPDATE customer SET restricted = 1 WHERE number = 'CUS-0007'")
            # kk refuses a ';' in a new label name (it splits CSV cells); older data may hold one
            connection.execute("UPDATE label SET name = 'A;B' WHERE name = 'AB'")


@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("fast") / "kk.db"
    shutil.copyfile(migrated_template, path)
    _build(path)
    yield path
    db.forget(path)


def generic(connection: sqlite3.Connection, options: ExportOptions) -> bytes:
    """The oracle: what `kk export` wrote before the fast path existed."""
    out = io.BytesIO()
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    records = queries.iterate(connection, export_query(connection, options))
    if options.fmt == "csv":
        write_csv(records, text, columns=list(CUSTOMER_KEYS), excel=options.excel, raw=options.raw)
    elif options.fmt == "jsonl":
        write_jsonl(records, text)
    else:
        write_json(records, text)
    text.flush()
    text.detach()
    return out.getvalue()


def fast(connection: sqlite3.Connection, options: ExportOptions, **kwargs: Any) -> bytes:
    """The fast path itself, which must not have declined."""
    out = io.BytesIO()
    query = export_query(connection, options)
    written = export_fast.export(
        connection, query, out, fmt=options.fmt, excel=options.excel, raw=options.raw, **kwargs
    )
    assert written is not None
    return out.getvalue()


def _options(fmt: str, choice: str) -> ExportOptions:
    base = OPTIONS[fmt]
    return ExportOptions(base.fmt, excel=base.excel, raw=base.raw, **CHOICES[choice])


@pytest.mark.parametrize("choice", CHOICES)
@pytest.mark.parametrize("fmt", OPTIONS)
def test_the_fast_path_writes_what_the_generic_one_writes(
    tricky: Path, fmt: str, choice: str
) -> None:
    with closing(db.connect(tricky)) as connection:
        options = _options(fmt, choice)
        assert fast(connection, options) == generic(connection, options)


@pytest.mark.parametrize("choice", ["all", "full-text", "label", "consent", "selection", "none"])
@pytest.mark.parametrize("fmt", OPTIONS)
def test_chunks_rendered_by_worker_processes_join_to_the_same_bytes(
    tricky: Path, fmt: str, choice: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_fast, "CHUNK_IDS", 1)  # one customer a chunk, ~7 chunks
    with closing(db.connect(tricky)) as connection:
        options = _options(fmt, choice)
        assert export_fast._chunks(connection, 2, str(tricky)) is not None
        assert fast(connection, options, jobs=2) == generic(connection, options)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_chunks_go_to_a_file_and_a_pipe_by_the_kernel_as_they_would_by_write(
    tricky: Path, fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import threading

    monkeypatch.setattr(export_fast, "CHUNK_IDS", 1)
    options = _options(fmt, "all")
    with closing(db.connect(tricky)) as connection:
        expected = generic(connection, options)
        query = export_query(connection, options)
        with (tmp_path / "out").open("wb") as out:
            out.write(b"before\n")  # buffered, must land before the chunks
            export_fast.export(connection, query, out, fmt=fmt, jobs=2)
        assert (tmp_path / "out").read_bytes() == b"before\n" + expected
        read, write = os.pipe()
        received: list[bytes] = []
        reader = threading.Thread(target=lambda: received.append(os.fdopen(read, "rb").read()))
        reader.start()
        with os.fdopen(write, "wb") as out:
            export_fast.export(connection, query, out, fmt=fmt, jobs=2)
        reader.join()
        assert received == [expected]


def test_a_small_export_or_one_core_reads_one_snapshot_in_one_statement(tricky: Path) -> None:
    with closing(db.connect(tricky)) as connection:
        assert export_fast._chunks(connection, 2, str(tricky)) is None  # 7 ids < 4 chunks
        assert export_fast._chunks(connection, 1, str(tricky)) is None


def test_the_data_holds_what_it_is_meant_to_test(tricky: Path) -> None:
    """Guards the guard: without these values the comparisons above prove little."""
    with closing(db.connect(tricky)) as connection:
        text = generic(connection, ExportOptions("csv")).decode("utf-8")
        records = [json.loads(line) for line in generic(connection, ExportOptions("jsonl"))
                   .decode("utf-8").split("\n")[:-1]]  # fmt: skip
    for cell in ("'=Formel", "'@SUM(A1)", "'-Berlin", "'+4935", "''=x", "'''+x", "'+49 30", "\x00"):
        assert cell in text, cell
    assert '"Halle, Saale"' in text and '"Weg ""3"", Hinterhaus"' in text
    by_number = {record["number"]: record for record in records}
    assert by_number["CUS-0001"]["labels"] == ["Großkunde", "Ost, Mitte", "Sachsen"]
    assert by_number["CUS-0001"]["roles"] == ["customer", "supplier"]
    assert by_number["CUS-0004"]["roles"] == [] and by_number["CUS-0004"]["is_template"]
    assert by_number["CUS-0003"]["labels"] == [] and by_number["CUS-0003"]["title"] == "''+x"
    assert set(by_number) == {"CUS-0001", "CUS-0002", "CUS-0003", "CUS-0004", "CUS-0005"}


_csv_select = export_fast._CsvLines.select
_json_select = export_fast._JsonLines.select
MUTANTS: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "csv separator": lambda mp: mp.setattr(
        export_fast._CsvLines, "select", lambda self: _csv_select(self).replace("X'FF'", "X'FB'")
    ),
    "json separator": lambda mp: mp.setattr(
        export_fast._JsonLines, "select", lambda self: _json_select(self).replace(', "', ',"', 1)
    ),
    "no neutralising": lambda mp: mp.setattr(export_fast, "_formula_check", lambda x: "0"),
    "no labels": lambda mp: mp.setattr(
        export_fast, "_LABEL_NAMES", export_fast._LABEL_NAMES.replace("c.id", "-1")
    ),
    "odd lines not rewritten": lambda mp: mp.setattr(
        export_fast._CsvLines, "_again", lambda self, row_id: b""
    ),
}


@pytest.mark.parametrize("mutant", MUTANTS)
def test_the_comparison_finds_a_broken_fast_path(
    tricky: Path, mutant: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    MUTANTS[mutant](monkeypatch)
    with closing(db.connect(tricky)) as connection:
        differs = [
            fast(connection, options) != generic(connection, options)
            for options in OPTIONS.values()
        ]
    assert any(differs)


def test_json_quote_escapes_every_code_point_as_json_dumps_does() -> None:
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    with closing(sqlite3.connect(":memory:")) as connection:
        (quoted,) = connection.execute("SELECT json_quote(?)", (every,)).fetchone()
    assert quoted == json.dumps(every, ensure_ascii=False)


def test_the_quote_forcing_characters_come_from_the_csv_module() -> None:
    assert set(export_fast.quote_forcing(",", "\n")) >= {",", '"', "\n"}
    assert set(export_fast.quote_forcing(";", "\r\n")) == {";", '"', "\r", "\n"}


def test_export_customers_takes_the_fast_path(tricky: Path) -> None:
    with closing(db.connect(tricky)) as connection:
        for options in (ExportOptions("csv", excel=True), ExportOptions("json")):
            out = io.BytesIO()
            assert export_customers(connection, out, options) == 5
            assert out.getvalue() == fast(connection, options)
            assert not connection.in_transaction


def test_what_the_fast_path_cannot_write_goes_the_generic_way(tricky: Path, tmp_path: Path) -> None:
    path = tmp_path / "odd.db"
    shutil.copyfile(tricky, path)
    with closing(db.connect(path)) as connection:
        vcard = ExportOptions("vcard")
        query = export_query(connection, vcard)
        assert export_fast.export(connection, query, io.BytesIO(), fmt="vcard") is None
        connection.execute("UPDATE label SET name = 'a' || char(31) || 'b' WHERE name = 'A;B'")
        options = ExportOptions("jsonl")
        untouched = io.BytesIO()
        query = export_query(connection, options)
        assert export_fast.export(connection, query, untouched, fmt="jsonl") is None
        assert untouched.getvalue() == b"" and not connection.in_transaction
        out = io.BytesIO()
        export_customers(connection, out, options)
        assert out.getvalue() == generic(connection, options)
        assert b'"labels": ["=Formel", "Sag \\"hi\\"", "a", "b"]' in out.getvalue()
    db.forget(path)


def test_progress_is_reported_every_2000_customers(migrated_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "many.db"
    shutil.copyfile(migrated_template, path)
    with closing(db.connect(path)) as connection, db.immediate(connection):
        connection.executemany(
            "INSERT INTO customer (id, number, kind, display_name, sort_key, first_name, "
            "last_name, created_at, updated_at) VALUES (?, ?, 'private', ?, ?, 'Vor', ?, "
            "'2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')",
            [(i, f"CUS-{i:05d}", f"N{i}, Vor", f"n{i} vor", f"N{i}") for i in range(1, 4501)],
        )
    with closing(db.connect(path)) as connection:
        for options in (ExportOptions("csv"), ExportOptions("json")):
            calls: list[int] = []
            assert fast(connection, options, progress=calls.append) == generic(connection, options)
            assert calls == [2000, 4000]
    db.forget(path)


# --- arbitrary text ---------------------------------------------------------------------

TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(AWKWARD + ",;\"'=+-@ \t\r\n"),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=12,
)
FREE_TEXT = ["first_name", "last_name", "display_name", "company_name", "street", "city",
             "notes", "title", "archive_reason"]  # fmt: skip


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Iterator[Path]:
    """Three customers whose free text each example overwrites."""
    from kk.services import customers

    path = tmp_path_factory.mktemp("hypothesis") / "kk.db"
    shutil.copyfile(migrated_template, path)
    with db.write_session(path) as session:
        for name in ("Eins", "Zwei", "Drei"):
            customers.add_customer(
                session, data={"first_name": name, "last_name": "Test"}, actor=ADMIN,
                labels=["Alpha", name],
            )  # fmt: skip
    yield path
    db.forget(path)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    values=st.lists(st.lists(st.one_of(st.none(), TEXT), min_size=9, max_size=9), min_size=3,
                    max_size=3),
    label=TEXT.filter(lambda name: name and "\x1f" not in name and "\x00" not in name),
)  # fmt: skip
def test_arbitrary_text_is_written_as_the_generic_path_writes_it(
    plain: Path, values: list[list[str | None]], label: str
) -> None:
    with closing(db.connect(plain)) as connection, db.immediate(connection):
        for number, row in enumerate(values, start=1):
            row[2] = row[2] or "x"  # display_name is NOT NULL
            assignments = ", ".join(f"{column} = ?" for column in FREE_TEXT)
            connection.execute(f"UPDATE customer SET {assignments} WHERE id = ?", (*row, number))
        connection.execute("UPDATE label SET name = ? WHERE name = 'Alpha'", (label,))
    with closing(db.connect(plain)) as connection:
        try:
            for options in OPTIONS.values():
                assert fast(connection, options) == generic(connection, options)
        finally:
            with db.immediate(connection):
                connection.execute("UPDATE label SET name = 'Alpha' WHERE name = ?", (label,))
