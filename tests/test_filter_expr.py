"""Filter expressions: parsed, printed and — above all — run against a real SQLite database.

The database has the tables of the kk schema created with plain DDL and an FTS index filled
by the real indexer (kk.services.search_index), so a compiled query is tested against the
folded text production writes, not against what this module assumes it writes.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterator
from datetime import date, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kk.errors import ValidationFailed
from kk.services import filter_expr, fts_query, search_index
from kk.services.filter_expr import (
    Expr,
    FieldTerm,
    FilterSyntaxError,
    TextTerm,
    parse,
    to_text,
)
from kk.text import fold

DDL = """
CREATE TABLE customer (
    id INTEGER PRIMARY KEY, number TEXT UNIQUE NOT NULL, kind TEXT NOT NULL,
    company_name TEXT, register_number TEXT, vat_id TEXT, tax_number TEXT, salutation TEXT,
    title TEXT, first_name TEXT, last_name TEXT, display_name TEXT NOT NULL,
    sort_key TEXT NOT NULL, email TEXT, phone TEXT, mobile TEXT, website TEXT, street TEXT,
    postal_code TEXT, city TEXT, country TEXT, notes TEXT, discount_percent TEXT,
    roles TEXT NOT NULL DEFAULT 'customer', is_template INTEGER NOT NULL DEFAULT 0,
    do_not_contact INTEGER NOT NULL DEFAULT 0, restricted INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, created_by TEXT, updated_at TEXT NOT NULL, updated_by TEXT,
    archived_at TEXT, archived_by TEXT, archive_reason TEXT, last_activity_at TEXT,
    m365_remote_id TEXT, m365_status TEXT, m365_last_sync TEXT, m365_last_error TEXT);
CREATE INDEX ix_customer_sort ON customer (sort_key, id);
CREATE INDEX ix_customer_created ON customer (created_at, id);
CREATE INDEX ix_customer_updated ON customer (updated_at, id);
CREATE INDEX ix_customer_activity ON customer (last_activity_at, id);
CREATE INDEX ix_customer_email ON customer (email);
CREATE INDEX ix_customer_vat ON customer (vat_id);
CREATE INDEX ix_customer_city ON customer (city);
CREATE INDEX ix_customer_postal ON customer (postal_code);
CREATE TABLE label (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL);
CREATE TABLE customer_label (
    customer_id INTEGER NOT NULL REFERENCES customer (id),
    label_id INTEGER NOT NULL REFERENCES label (id), PRIMARY KEY (customer_id, label_id));
CREATE INDEX ix_customer_label_label ON customer_label (label_id, customer_id);
CREATE TABLE consent (
    customer_id INTEGER NOT NULL REFERENCES customer (id), channel TEXT NOT NULL,
    granted INTEGER NOT NULL, date TEXT, source TEXT, PRIMARY KEY (customer_id, channel));
CREATE TABLE contact_person (
    id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customer (id),
    salutation TEXT, title TEXT, first_name TEXT, last_name TEXT, role TEXT, email TEXT,
    phone TEXT, created_at TEXT);
CREATE INDEX ix_contact_person_customer_id ON contact_person (customer_id);
CREATE TABLE address (
    id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customer (id),
    purpose TEXT NOT NULL, name TEXT, street TEXT, postal_code TEXT, city TEXT, country TEXT);
CREATE INDEX ix_address_customer_id ON address (customer_id);
CREATE TABLE bank_account (
    id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customer (id),
    method TEXT NOT NULL, holder TEXT, iban TEXT, bic TEXT, account_number TEXT,
    bank_code TEXT, bank_name TEXT, rib TEXT, gui TEXT, mandate INTEGER, mandate_ref TEXT,
    mandate_date TEXT, first_debit_date TEXT);
CREATE INDEX ix_bank_account_customer_id ON bank_account (customer_id);
CREATE VIRTUAL TABLE customer_fts USING fts5(
    number, name, person, email, city, postal_code, phone, vat_id,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
"""


# The module-scoped database is read only, so sharing it between examples is safe.
FIXTURE = HealthCheck.function_scoped_fixture


def _t(day: str) -> str:
    return f"{day}+00:00"


# id, kind, company, first, last, email, phone, mobile, street, postal code, city, country,
# vat id, roles, do_not_contact, created_at, last_activity_at, archived_at
CUSTOMERS: list[tuple[Any, ...]] = [
    (1, "private", None, "Hans", "Müller", "hans.mueller@gmx.de", "+4930123456", None,
     "Unter den Linden 1", "10115", "Berlin", "DE", None, "customer", 0,
     "2017-03-01T10:00:00", "2017-10-25T23:59:59", None),
    (2, "company", "Straßenbau Nüßl GmbH", None, None, "info@nuessl-bau.de", "+4989555000",
     None, "Leopoldstr. 5", "80331", "München", "DE", "DE123456789", "customer,supplier", 1,
     "2025-01-01T00:00:00", None, None),
    (3, "private", None, "Petra", "Mueller", None, None, None,
     None, "80333", "Muenchen", "DE", None, "customer", 0,
     "2024-12-31T23:59:59", "2017-10-26T00:00:00", None),
    (4, "company", "Frankfurter Würstchen AG", None, None, "kontakt@wuerstchen.de", None, None,
     "Zeil 1", "60311", "Frankfurt am Main", "DE", None, "customer", 0,
     "2025-06-15T12:00:00", "2025-08-01T10:00:00", "2025-09-01T00:00:00"),
    (5, "private", None, "Marie", "Dupont", None, None, None,
     "Rue de Rivoli 1", "75001", "Paris", "FR", None, "customer", 0,
     "2023-02-02T09:00:00", None, None),
    (6, "company", "Dresdner Druck GmbH", None, None, None, "+49351987654", None,
     None, "01067", "Dresden", "DE", None, "customer", 0,
     "2025-01-02T00:00:00", None, None),
    (7, "private", None, "Franz", "Nüßl", None, None, "+491701234567",
     None, "04109", "Leipzig", "DE", None, "customer", 0,
     "2022-07-07T07:07:07", "2026-01-05T10:00:00", None),
    (8, "private", None, "Karl", "Straße", "karl@strasse.example", None, None,
     None, "15230", "Frankfurt (Oder)", "DE", None, "customer", 0,
     "2025-01-01T12:00:00", None, None),
    (9, "company", "Berlin Consulting GmbH", None, None, "info@gmx.de", None, None,
     None, "20095", "Hamburg", "DE", "DE987654321", "customer", 0,
     "2021-01-01T00:00:00", None, None),
    (10, "private", None, None, "Ohne", None, None, None,
     None, None, None, None, None, "customer", 0,
     "2020-01-01T00:00:00", None, None),
    (11, "company", "Gold Lieferant KG", None, None, "verkauf@gold-lieferant.de", None, None,
     None, "10117", "Berlin", "DE", None, "supplier", 0,
     "2019-05-05T05:05:05", None, None),
    (12, "private", None, "Lena", "Meyer", None, None, None,
     None, "10115", "Berlin", "DE", None, "customer", 0,
     "2018-08-08T08:08:08", "2017-10-26T23:59:59", None),
    (13, "company", "Bäckerei am Berg", None, None, "", None, None,
     None, "60433", "Frankfurter Berg", "DE", None, "customer", 0,
     "2016-06-06T06:06:06", None, None),
    (14, "private", None, "Sepp", "Gruber", None, None, None,
     None, "1010", "Wien", "AT", None, "customer", 0,
     "2024-04-04T04:04:04", None, None),
    (15, "company", "Müller & Söhne OHG", None, None, "buero@mueller-soehne.de", "+492214711",
     None, None, "50667", "Köln", "DE", None, "customer", 1,
     "2025-03-03T03:03:03", None, None),
    (16, "private", None, "Eva", "Schulz", "eva@web.de", None, None,
     None, "40213", "Düsseldorf", "DE", None, "customer", 0,
     "2024-12-31T23:30:00", "2024-12-31T23:00:00", None),
    (17, "private", None, "Tom", "Becker", None, None, None,
     None, "10115", "Berlin", "DE", None, "customer", 0,
     "2015-01-01T00:00:00", None, "2016-01-01T00:00:00"),
    (18, "company", "Nordwind GmbH", None, None, None, "+4940123", None,
     None, "20095", "Hamburg", "DE", None, "customer,supplier", 0,
     "2025-02-02T02:02:02", None, None),
]  # fmt: skip
ALL = frozenset(range(1, len(CUSTOMERS) + 1))
LABELS = {"VIP": [1, 4, 9], "SLA Gold": [2, 6, 15], "churned": [4, 15], "Übersee": [3],
          "ÄÖÜ-ÄÖÜ-ÄÖÜ": [1]}  # fmt: skip
CONSENTS = [  # customer, channel, granted
    (1, "email", 1), (1, "newsletter", 1), (2, "newsletter", 1), (3, "email", 0),
    (5, "letter", 1), (6, "phone", 1), (8, "newsletter", 1), (15, "email", 1),
]  # fmt: skip
PERSONS = [(2, "Anna", "Schmidt", "anna.schmidt@nuessl-bau.de"), (11, "Hans", "Berger", None),
           (18, "Maria", "Nord", None)]  # fmt: skip
ADDRESSES = [(3, "delivery", "Hauptstr. 2", "80333", "München"),
             (12, "billing", "Postfach 1", "10115", "Berlin")]  # fmt: skip
BANK = [(1, "sepa"), (6, "invoice"), (18, "paypal")]


def _build() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.executescript(DDL)
    for row in CUSTOMERS:
        (id_, kind, company, first, last, email, phone, mobile, street, postal_code, city,
         country, vat_id, roles, dnc, created, activity, archived) = row  # fmt: skip
        display = company if kind == "company" else ", ".join(p for p in (last, first) if p)
        updated = "2024-05-01T08:00:00" if id_ == 1 else created
        connection.execute(
            "INSERT INTO customer (id, number, kind, company_name, first_name, last_name,"
            " display_name, sort_key, email, phone, mobile, street, postal_code, city, country,"
            " vat_id, roles, do_not_contact, created_at, updated_at, last_activity_at,"
            f" archived_at) VALUES ({', '.join('?' * 22)})",
            (id_, f"CUS-{id_:04d}", kind, company, first, last, display, fold(display), email,
             phone, mobile, street, postal_code, city, country, vat_id, roles, dnc, _t(created),
             _t(updated), activity and _t(activity), archived and _t(archived)),
        )  # fmt: skip
    for label_id, (name, members) in enumerate(LABELS.items(), start=1):
        connection.execute("INSERT INTO label (id, name) VALUES (?, ?)", (label_id, name))
        connection.executemany(
            "INSERT INTO customer_label VALUES (?, ?)", [(m, label_id) for m in members]
        )
    connection.executemany("INSERT INTO consent VALUES (?, ?, ?, NULL, NULL)", CONSENTS)
    connection.executemany(
        "INSERT INTO contact_person (customer_id, first_name, last_name, email) "
        "VALUES (?, ?, ?, ?)",
        PERSONS,
    )
    connection.executemany(
        "INSERT INTO address (customer_id, purpose, street, postal_code, city) "
        "VALUES (?, ?, ?, ?, ?)",
        ADDRESSES,
    )
    connection.executemany("INSERT INTO bank_account (customer_id, method) VALUES (?, ?)", BANK)
    search_index.rebuild(connection)
    connection.commit()
    return connection


@pytest.fixture(scope="module")
def db() -> Iterator[sqlite3.Connection]:
    connection = _build()
    yield connection
    connection.close()


def ids(connection: sqlite3.Connection, expr: Expr | str, **options: Any) -> set[int]:
    if isinstance(expr, str):
        expr = parse(expr)
    compiled = filter_expr.compile(expr, **options)
    sql = f"SELECT c.id FROM customer c WHERE {compiled.where}"
    return {row[0] for row in connection.execute(sql, compiled.params)}


def but(*excluded: int) -> set[int]:
    return set(ALL - set(excluded))


# --- running expressions ------------------------------------------------------------------

CASES: list[tuple[str, set[int]]] = [
    ("", set(ALL)),
    ("kind:company", {2, 4, 6, 9, 11, 13, 15, 18}),
    ("kind:PRIVATE", {1, 3, 5, 7, 8, 10, 12, 14, 16, 17}),
    ("-kind:company", {1, 3, 5, 7, 8, 10, 12, 14, 16, 17}),
    ("kind=company", {2, 4, 6, 9, 11, 13, 15, 18}),
    # city: folded, whole words in order, through the FTS city column
    ("city:Berlin", {1, 11, 12, 17}),
    ("city:münchen", {2, 3}),
    ("city:Munchen", {2, 3}),
    ("city:MÜNCHEN", {2, 3}),
    ("city:duesseldorf", {16}),
    ("city:frankfurt", {4, 8}),
    ("city:frank*", {4, 8, 13}),
    ('city:"Frankfurt am Main"', {4}),
    ("city:main", {4}),
    ('city:"am main"', {4}),
    ('city:"main am"', set()),
    ("-city:berlin", but(1, 11, 12, 17)),
    ("City:berlin", {1, 11, 12, 17}),
    # postal code: exact or prefix
    ("postal_code:10115", {1, 12, 17}),
    ("postal-code:10115", {1, 12, 17}),
    ("postal_code:01*", {6}),
    ("postal_code:0*", {6, 7}),
    ("postal_code:1*", {1, 8, 11, 12, 14, 17}),
    ("postal_code:0106", set()),
    ("-postal_code:01*", but(6)),
    # country
    ("country:de", but(5, 10, 14)),
    ("country:AT", {14}),
    ("-country:DE", {5, 10, 14}),
    # labels: exact name, any case, umlauts too
    ("label:vip", {1, 4, 9}),
    ("label:VIP -label:churned", {1, 9}),
    ("-label:churned", but(4, 15)),
    ('label:"sla gold"', {2, 6, 15}),
    ("label:übersee", {3}),
    ("label:ÜBERSEE", {3}),
    ("label:uebersee", set()),
    ("label:sla", set()),
    ("label:äöü-äöü-äöü", {1}),
    # roles
    ("role:supplier", {2, 11, 18}),
    ("role:customer", but(11)),
    ("-role:customer", {11}),
    # consent: granted and not do-not-contact
    ("consent:newsletter", {1, 8}),
    ("consent:email", {1}),
    ("consent:letter", {5}),
    ("consent:phone", {6}),
    ("-consent:newsletter", but(1, 8)),
    # dates: UTC days against the ISO timestamps
    ("created>=2025-01-01", {2, 4, 6, 8, 15, 18}),
    ("created<2025-01-01", {1, 3, 5, 7, 9, 10, 11, 12, 13, 14, 16, 17}),
    ("created<=2025-01-01", but(4, 6, 15, 18)),
    ("created>2025-01-01", {4, 6, 15, 18}),
    ("created:2025-01-01", {2, 8}),
    ("created=01.01.2025", {2, 8}),
    ("created:1.1.2025", {2, 8}),
    ("-created:2025-01-01", but(2, 8)),
    ("updated>=2024-05-01", {1, 2, 3, 4, 6, 8, 15, 16, 18}),
    ("last_activity<26.10.2017", {1}),
    ("last_activity<=26.10.2017", {1, 3, 12}),
    ("last_activity:26.10.2017", {3, 12}),
    ("last_activity>26.10.2017", {4, 7, 16}),
    ("last_activity>=2017-10-26", {3, 4, 7, 12, 16}),
    ("-last_activity<26.10.2017", but(1)),
    ("created>=2025-01-01 created<2025-02-01", {2, 6, 8}),
    # has:
    ("has:email", {1, 2, 4, 8, 9, 11, 15, 16}),
    ("-has:email", but(1, 2, 4, 8, 9, 11, 15, 16)),
    ("has:phone", {1, 2, 6, 7, 15, 18}),
    ("has:vat_id", {2, 9}),
    ("has:bank", {1, 6, 18}),
    ("-has:bank", but(1, 6, 18)),
    ("has:address", {1, 2, 3, 4, 5, 12}),
    ("has:person", {2, 11, 18}),
    ("has:labels", {1, 2, 3, 4, 6, 9, 15}),
    ("has:activity", {1, 3, 4, 7, 12, 16}),
    ("-has:activity", but(1, 3, 4, 7, 12, 16)),
    # archived
    ("archived:yes", {4, 17}),
    ("archived:false", but(4, 17)),
    ("-archived:true", but(4, 17)),
    # free words: folded prefixes through the FTS index
    ("muller", {1, 3, 15}),
    ("Müller", {1, 3, 15}),
    ("MUELLER", {1, 3, 15}),
    ("mül", {1, 3, 15}),
    ("strasse", {2, 8}),
    ("nussl", {2, 7}),
    ("Nüßl", {2, 7}),
    ("berlin", {1, 9, 11, 12, 17}),
    ("müller berlin", {1}),
    ("müller -berlin", {3, 15}),
    ("-müller", but(1, 3, 15)),
    ("-müller -berlin", but(1, 3, 9, 11, 12, 15, 17)),
    ('"Hans Müller"', {1}),
    ('"Müller Hans"', {1}),
    ('"Hans Petra"', set()),
    ('"Müll"', set()),
    ('-"Hans Müller"', but(1)),
    ("@gmx.de", {1, 9}),
    ("info@gmx.de", {9}),
    ("@nuessl-bau.de", {2}),
    ("schmidt", {2}),
    ("030/123456", {1}),
    ('"030 12345"', {1}),
    ("kind:private 01067", set()),
    ("kind:company 01067", {6}),
    ('"030 123456"', {1}),
    ("+49351", {6}),
    ("01067", {6}),
    ("CUS-0004", {4}),
    ("AND", set()),
    ("NEAR(", set()),
    # combinations
    ("kind:company city:Berlin", {11}),
    ("kind:private city:berlin -archived:yes", {1, 12}),
    ('kind:company label:"sla gold" -label:churned created>=2025-01-01', {2, 6}),
    ("has:email consent:newsletter country:de", {1, 8}),
    ("city:berlin müller", {1}),
    ("-city:berlin müller", {3, 15}),
    ("city:berlin -müller", {11, 12, 17}),
    ("hans city:berlin", {1, 11}),
    ("hans -city:berlin", set()),
    ("hans -kind:company", {1}),
    ("hans -has:person", {1}),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] or "empty" for c in CASES])
def test_expression_finds(db: sqlite3.Connection, text: str, expected: set[int]) -> None:
    assert ids(db, text) == expected


def test_a_time_zone_moves_the_day_boundaries(db: sqlite3.Connection) -> None:
    # In UTC+1, 2024-12-31T23:30Z is already 1 January, 2025-01-01T23:30Z is not any more.
    plus_one = timezone(timedelta(hours=1))
    assert ids(db, "created:2025-01-01", tz=plus_one) == {2, 3, 8, 16}
    assert ids(db, "created<2025-01-01", tz=plus_one) == {1, 5, 7, 9, 10, 11, 12, 13, 14, 17}
    assert ids(db, "last_activity>=2025-01-01", tz=plus_one) == {4, 7, 16}


def test_several_fts_terms_become_one_match(db: sqlite3.Connection) -> None:
    compiled = filter_expr.compile(parse("müller -berlin city:köln @mueller-soehne.de"))
    assert compiled.where.count("MATCH") == 1
    assert ids(db, "müller -berlin city:köln @mueller-soehne.de") == {15}


def test_mentions_archived() -> None:
    assert parse("kind:company -archived:yes").mentions_archived
    assert not parse("kind:company archived").mentions_archived
    assert not parse("").mentions_archived


def _plan(connection: sqlite3.Connection, text: str) -> list[str]:
    compiled = filter_expr.compile(parse(text))
    sql = f"EXPLAIN QUERY PLAN SELECT c.id FROM customer c WHERE {compiled.where}"
    return [row[3] for row in connection.execute(sql, compiled.params)]


@pytest.mark.parametrize(
    "text",
    ["city:berlin", "müller", "postal_code:01*", "postal_code:01067",
     "created>=2025-01-01", "last_activity:2017-10-26", "city:berlin kind:company"],
)  # fmt: skip
def test_selective_terms_do_not_scan_the_customer_table(db: sqlite3.Connection, text: str) -> None:
    """At a million rows a full scan is seconds; these terms must be index searches."""
    plan = _plan(db, text)
    assert not [step for step in plan if step == "SCAN c" or step.startswith("SCAN c ")], plan


@pytest.mark.parametrize(
    "text", ["has:bank", "has:person", "has:address", "has:labels", "consent:email", "label:vip"]
)
def test_exists_subqueries_use_the_customer_id_index(db: sqlite3.Connection, text: str) -> None:
    plan = _plan(db, text)
    assert [step for step in plan if "(customer_id=" in step], plan
    assert not [step for step in plan if step in ("SCAN x", "SCAN k")], plan


# --- errors -------------------------------------------------------------------------------

BAD: list[tuple[str, int, str]] = [
    ("citty:Berlin", 1, "unknown field 'citty' (did you mean 'city'? known: kind, city, "),
    ("kind:company created>=31.02.2025", 23,
     "expected a date (YYYY-MM-DD or DD.MM.YYYY) after 'created>=', got '31.02.2025'"),
    ("created:2025-13-01", 9, "expected a date"),
    ("last_activity<2017/10/26", 15, "after 'last_activity<', got '2017/10/26'"),
    ('city:"Frankfurt am Main', 6, "unclosed quote"),
    ('kind:company "sla gold', 14, "unclosed quote"),
    ("city:", 6, "expected a value after 'city:'"),
    ("city: Berlin", 6, "expected a value after 'city:'"),
    ('label:""', 7, "expected a value after 'label:', got an empty one"),
    ('label:"  "', 7, "got an empty one"),
    ("kind:firma", 6, "expected 'private' or 'company' after 'kind:', got 'firma'"),
    ("role:kunde", 6, "expected 'customer' or 'supplier'"),
    ("consent:sms", 9, "expected one of 'email', 'phone', 'letter', 'newsletter'"),
    ("has:fax", 5, "expected one of 'email', 'phone', 'vat_id', 'bank'"),
    ("archived:maybe", 10, "expected yes, no, true or false after 'archived:'"),
    ("country:DEU", 9, "expected a two-letter country code"),
    ("city>=Berlin", 5, "operator '>=' works only with the date fields"),
    ("kind<company", 5, "operator '<' works only with the date fields"),
    ("has>email", 4, "operator '>'"),
    ("- müller", 1, "expected a term after '-'"),
    ("müller -", 8, "expected a term after '-'"),
    ("--müller", 2, "got a second '-'"),
    ('müller"s', 7, "unexpected '\"' inside a word"),
    ('city:Ber"lin', 9, "unexpected '\"'"),
    ('"a b"c', 6, "expected a space after the closing quote, got 'c'"),
    ('city:"a b"c', 11, "expected a space after the closing quote"),
    ("postal_code:0*1", 13, "'*' only at its end"),
    ("postal_code:*", 13, "expected a value before the '*'"),
    ("city:**", 6, "expected a value before the '*'"),
    ("city:&", 6, "has no letters or digits"),
    ("kind:company &", 14, "'&' has no letters or digits"),
    ('""', 1, "has no letters or digits"),
    ("müller citty:x", 8, "unknown field 'citty'"),
    ("ort:Berlin", 1, "unknown field 'ort' (known:"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "position", "fragment"), BAD, ids=[b[0] for b in BAD])
def test_bad_expression_names_position(text: str, position: int, fragment: str) -> None:
    with pytest.raises(FilterSyntaxError) as caught:
        parse(text)
    error = caught.value
    assert isinstance(error, ValidationFailed)
    assert error.position == position
    assert str(error).startswith(f"filter: position {position}: ")
    assert fragment in str(error)
    assert error.field == "filter"


# --- printing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("kind:Company  CITY:berlin", "kind:company city:berlin"),
        ("created=26.10.2017 last_activity>=1.2.2025",
         "created:2017-10-26 last_activity>=2025-02-01"),
        ("archived:TRUE -archived:false country:de", "archived:yes -archived:no country:DE"),
        ('label:"vip" city:"Frankfurt am Main"', 'label:vip city:"Frankfurt am Main"'),
        ('label:"say \\"hi\\"" "a\\\\b"', 'label:"say \\"hi\\"" "a\\\\b"'),
        ("postal-code:01* -has:bank", "postal_code:01* -has:bank"),
        ('-"Hans Müller"  müller', '-"Hans Müller" müller'),
    ],
)  # fmt: skip
def test_canonical_text(text: str, canonical: str) -> None:
    assert to_text(parse(text)) == canonical
    assert parse(canonical) == parse(text)


def test_decomposed_umlauts_are_read_as_composed() -> None:
    typed = unicodedata.normalize("NFD", "label:Übersee Müller")
    assert parse(typed) == parse("label:Übersee Müller")


_printable = st.characters(blacklist_categories=("Cs",))
_value_text = st.text(_printable, min_size=1, max_size=12).map(
    lambda s: unicodedata.normalize("NFC", s).strip()
)


def _bare_word_ok(word: str) -> bool:
    try:
        return parse(word) == Expr((TextTerm(word),))
    except FilterSyntaxError:
        return False


_words = st.text(
    st.sampled_from("abcxyzäöüßÄÖÜ0123456789-@.:/+*()é'"), min_size=1, max_size=10
).filter(_bare_word_ok)
_phrases = _value_text.filter(lambda s: fts_query.phrase_query(s) is not None)
_text_terms = st.builds(
    TextTerm,
    st.one_of(_words, _phrases),
    phrase=st.just(False),
    negated=st.booleans(),
).map(lambda t: TextTerm(t.text, phrase=" " in t.text or not _bare_word_ok(t.text),
                         negated=t.negated))  # fmt: skip
_dates = st.dates()


def _field(name: str, values: st.SearchStrategy[Any], ops: tuple[str, ...] = (":",)) -> Any:
    return st.builds(FieldTerm, st.just(name), st.sampled_from(ops), values, st.booleans())


_field_terms = st.one_of(
    _field("kind", st.sampled_from(filter_expr.KINDS)),
    _field("role", st.sampled_from(filter_expr.ROLES)),
    _field("consent", st.sampled_from(filter_expr.CHANNELS)),
    _field("has", st.sampled_from(filter_expr.HAS)),
    _field("archived", st.booleans()),
    _field("country", st.sampled_from(["DE", "AT", "FR", "CH"])),
    _field("label", _value_text.filter(bool)),
    _field("city", _value_text.filter(lambda s: fts_query.column_filter("city", s) is not None)
           .map(lambda s: s.rstrip("*"))
           .filter(lambda s: fts_query.column_filter("city", s) is not None)),
    _field("postal_code", st.from_regex(r"[0-9A-Z]{1,5}\*?", fullmatch=True)),
    *(_field(name, _dates, (":", "<", "<=", ">", ">=")) for name in filter_expr.DATE_COLUMNS),
)  # fmt: skip
_exprs = st.lists(st.one_of(_field_terms, _text_terms), max_size=6).map(
    lambda terms: Expr(tuple(terms))
)


@settings(max_examples=300, deadline=None)
@given(_exprs)
def test_printed_expressions_parse_back(expr: Expr) -> None:
    assert parse(to_text(expr)) == expr


_grammar_text = st.lists(
    st.one_of(
        st.sampled_from(["kind:company", "-city:", "label:", "created>=", "has:", '"', "\\",
                         "postal_code:01*", "archived:no", "last_activity<", " ", "-", "*"]),
        st.text(st.sampled_from('abcäöüß0123456789 .:-"\\*<>=@'), max_size=8),
        st.text(_printable, max_size=4),
    ),
    max_size=8,
).map("".join)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(_grammar_text)
def test_any_text_parses_or_fails_cleanly_and_round_trips(text: str) -> None:
    try:
        expr = parse(text)
    except FilterSyntaxError as error:
        assert 1 <= error.position <= len(text) + 1
        return
    assert parse(to_text(expr)) == expr


@settings(max_examples=200, deadline=None, suppress_health_check=[FIXTURE])
@given(_exprs)
def test_compiled_expressions_run_and_negation_is_the_complement(
    db: sqlite3.Connection, expr: Expr
) -> None:
    found = ids(db, expr)
    for term in expr.terms:
        alone = ids(db, Expr((term,)))
        flipped = ids(db, Expr((_negate(term),)))
        assert alone | flipped == ALL
        assert not alone & flipped
        assert found <= alone


def _negate(term: FieldTerm | TextTerm) -> FieldTerm | TextTerm:
    if isinstance(term, TextTerm):
        return TextTerm(term.text, term.phrase, not term.negated)
    return FieldTerm(term.name, term.op, term.value, not term.negated)


def test_every_date_of_the_calendar_edges_compiles(db: sqlite3.Connection) -> None:
    for day in (date.min, date.max):
        for op in (":", "<", "<=", ">", ">="):
            term = FieldTerm("created", op, day)
            for tz in (None, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))):
                assert ids(db, Expr((term,)), tz=tz) | ids(
                    db, Expr((_negate(term),)), tz=tz
                ) == set(ALL)
    assert ids(db, Expr((FieldTerm("created", "<=", date.max),))) == set(ALL)
    assert ids(db, Expr((FieldTerm("created", ">=", date.min),))) == set(ALL)


# --- fts_query ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Müller", '"muller"*'),
        ("mül Berlin", '"mul"* AND "berlin"*'),
        ("Müller-Lüdenscheid", '"muller ludenscheid"*'),
        ("@gmx.de", 'email : "gmx de"*'),
        ("info@Firma.de", 'email : "info firma de"*'),
        ("+49 (0)30 1234", 'phone : "49301234"*'),
        ("0049 30 1234", '(phone : "49301234"* OR ("0049"* AND "30"* AND "1234"*))'),
        ("030/1234-56", 'phone : "030123456"*'),
        ("+4930", 'phone : "4930"*'),
        (
            "0351 98 76 Dresden",
            '(phone : "03519876"* OR ("0351"* AND "98"* AND "76"*)) AND "dresden"*',
        ),
        ("10115 42", '"10115"* AND "42"*'),
        ("01067 42", '(phone : "0106742"* OR ("01067"* AND "42"*))'),
        ('AND OR NOT NEAR "x" * ( ) : ^ -', '"and"* AND "or"* AND "not"* AND "near"* AND "x"*'),
        ("", None),
        ('"*()-:^ ', None),
    ],
)
def test_match_query(text: str, expected: str | None) -> None:
    assert fts_query.match_query(text) == expected


def test_phrase_and_column_filter() -> None:
    assert fts_query.phrase_query("Hans  Müller") == '"hans muller"'
    assert fts_query.phrase_query("030 1234") == 'phone : "0301234"*'
    assert fts_query.phrase_query("info@gmx.de") == 'email : "info gmx de"'
    assert fts_query.phrase_query("?!") is None
    assert fts_query.column_filter("city", "Frankfurt am Main") == 'city : "frankfurt am main"'
    assert fts_query.column_filter("city", "Frank", prefix=True) == 'city : "frank"*'
    assert fts_query.column_filter("city", "--") is None
    with pytest.raises(ValueError):
        fts_query.column_filter("notes", "x")


@settings(max_examples=500, deadline=None, suppress_health_check=[FIXTURE])
@given(st.text(st.one_of(st.sampled_from('"*()-:^+@./ ANDORNEAR'), _printable), max_size=30))
def test_user_text_never_makes_an_fts_syntax_error(db: sqlite3.Connection, text: str) -> None:
    queries = [
        fts_query.match_query(text),
        fts_query.phrase_query(text),
        fts_query.column_filter("city", text),
        fts_query.column_filter("city", text, prefix=True),
    ]
    for query in queries:
        if query is not None:
            db.execute("SELECT count(*) FROM customer_fts WHERE customer_fts MATCH ?", (query,))


@settings(max_examples=300, deadline=None)
@given(st.text(_printable, min_size=1, max_size=20))
def test_a_column_filter_finds_the_text_it_was_made_from(text: str) -> None:
    """The query side splits folded text into the same tokens as the index tokenizer."""
    query = fts_query.column_filter("city", text)
    if query is None:
        return
    connection = sqlite3.connect(":memory:")
    connection.execute(search_index.CREATE)
    connection.execute(
        "INSERT INTO customer_fts (rowid, city) VALUES (1, ?)", (search_index.index_text(text),)
    )
    assert connection.execute(
        "SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?", (query,)
    ).fetchall() == [(1,)]
    connection.close()
