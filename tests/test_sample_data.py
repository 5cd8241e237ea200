"""kk's sample customers: deterministic, valid for the libraries kk checks with, and as
awkward as real German data (leading-zero postal codes, umlauts, ß, namesakes, quoted notes).

`kk demo` and the benchmarks depend on all of it: the demo fills a database through the
services (so every value must pass kk's validation) and the bench files must be rebuilt
byte for byte from (n, seed).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from email_validator import validate_email
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import bic, iban
from stdnum.at import uid as at_uid
from stdnum.ch import vat as ch_vat
from stdnum.de import handelsregisternummer, stnr
from stdnum.eu import vat as eu_vat

from kk import sample_data, validation
from kk.formats.csv_in import read_csv
from kk.sample_data import CUSTOMER_KEYS, customer_rows, customers, demo_customers

BENCH = Path(__file__).resolve().parent.parent / "bench" / "gen_customers.py"
PARTS = ("persons", "bank_accounts", "consents")
LABELS = {
    "VIP", "Newsletter", "SLA Gold", "SLA Silber", "Großkunde", "Handwerk", "Gastronomie",
    "Nord", "Süd", "Ost", "West", "Empfehlung", "Messe 2025", "Zahlungsverzug", "Stammkunde",
    "Rahmenvertrag",
}  # fmt: skip


@pytest.fixture(scope="module")
def demo() -> list[dict[str, Any]]:
    return demo_customers()


@pytest.fixture(scope="module")
def sample() -> list[dict[str, Any]]:
    return list(customers(5000, seed=42))


@pytest.fixture(scope="module", params=["demo", "sample"])
def records(request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    return list(request.getfixturevalue(request.param))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


# --- determinism ---------------------------------------------------------------------------


def test_same_arguments_give_the_same_rows() -> None:
    assert list(customers(300, seed=7)) == list(customers(300, seed=7))


def test_another_seed_gives_other_rows() -> None:
    assert list(customers(50, seed=7)) != list(customers(50, seed=8))


@settings(max_examples=15, deadline=None)
@given(n=st.integers(0, 400), k=st.integers(0, 400), seed=st.integers(0, 2**40))
def test_the_first_k_rows_of_n_are_the_rows_of_k(n: int, k: int, seed: int) -> None:
    k = min(k, n)
    assert list(customers(n, seed))[:k] == list(customers(k, seed))


def test_prefix_holds_across_a_chunk_boundary() -> None:
    n = sample_data.CHUNK + 3
    longer = list(customer_rows(n + 500, seed=3))
    assert list(customer_rows(n, seed=3)) == longer[:n]
    assert longer[sample_data.CHUNK - 1] != longer[sample_data.CHUNK]


def test_customer_rows_are_customers_without_their_parts() -> None:
    full = [{k: v for k, v in row.items() if k not in PARTS} for row in customers(300, seed=5)]
    assert list(customer_rows(300, seed=5)) == full


def test_demo_set_is_customers_200_with_seed_2026(demo: list[dict[str, Any]]) -> None:
    assert demo == list(customers(200, seed=2026))
    assert len(demo) == 200


def test_every_row_has_exactly_the_promised_keys(records: list[dict[str, Any]]) -> None:
    for row in records:
        assert tuple(row) == CUSTOMER_KEYS + PARTS


def test_missing_values_are_none_never_empty(records: list[dict[str, Any]]) -> None:
    for row in records:
        assert all(text.strip() == text and text for text in _strings(row)), row


# --- validity ------------------------------------------------------------------------------


def _vat_valid(value: str) -> bool:
    if value.startswith("CHE"):
        return bool(ch_vat.is_valid(value))
    return bool(eu_vat.is_valid(value))


def _phone_valid(value: str) -> bool:
    return bool(phonenumbers.is_valid_number(phonenumbers.parse(value, "DE")))


def test_company_numbers_are_valid(records: list[dict[str, Any]]) -> None:
    counts: Counter[str] = Counter()
    for row in records:
        if row["vat_id"] is not None:
            counts["vat"] += 1
            assert _vat_valid(row["vat_id"]), row["vat_id"]
            assert row["vat_id"].startswith("DE" if row["country"] == "DE" else row["country"])
        if row["register_number"] is not None:
            counts["register"] += 1
            assert handelsregisternummer.is_valid(row["register_number"]), row["register_number"]
        if row["tax_number"] is not None:
            counts["tax"] += 1
            assert stnr.is_valid(row["tax_number"]), row["tax_number"]
        if row["kind"] == "private":
            assert row["vat_id"] is row["register_number"] is row["company_name"] is None
    assert min(counts.values()) > len(records) // 5


def test_german_vat_ids_are_de_plus_nine_digits(sample: list[dict[str, Any]]) -> None:
    german = [r["vat_id"] for r in sample if r["vat_id"] and r["country"] == "DE"]
    assert german and all(re.fullmatch(r"DE\d{9}", v) for v in german)


def test_foreign_customers_have_their_own_vat_ids(sample: list[dict[str, Any]]) -> None:
    vat = {r["country"]: r["vat_id"] for r in sample if r["vat_id"] and r["country"] != "DE"}
    assert at_uid.is_valid(vat["AT"]) and vat["AT"].startswith("ATU")
    assert ch_vat.is_valid(vat["CH"]) and vat["CH"].startswith("CHE-")


def test_register_numbers_name_the_right_register(sample: list[dict[str, Any]]) -> None:
    for row in sample:
        if row["register_number"] is None:
            continue
        register = re.search(r"\b(HRA|HRB|PR)\b", row["register_number"])
        assert register is not None
        name = row["company_name"]
        if name.endswith(("GmbH", "AG", "UG (haftungsbeschränkt)")) and "& Co." not in name:
            assert register.group(1) == "HRB", row
        if name.endswith(("e.K.", "OHG", "KG")):
            assert register.group(1) == "HRA", row


def test_phones_are_valid_for_phonenumbers(records: list[dict[str, Any]]) -> None:
    seen = 0
    for row in records:
        phones = [row["phone"], row["mobile"]] + [p["phone"] for p in row["persons"]]
        for phone in filter(None, phones):
            seen += 1
            assert _phone_valid(phone), phone
    assert seen > len(records)


def test_mobiles_are_mobile_numbers(sample: list[dict[str, Any]]) -> None:
    mobile = phonenumbers.PhoneNumberType.MOBILE
    for row in sample:
        if row["mobile"] is not None:
            number = phonenumbers.parse(row["mobile"], "DE")
            assert phonenumbers.number_type(number) == mobile, row["mobile"]


def test_emails_are_valid_and_unique_per_row(records: list[dict[str, Any]]) -> None:
    owner: dict[str, int] = {}
    for i, row in enumerate(records):
        emails = {row["email"]} | {p["email"] for p in row["persons"]}
        emails.discard(None)
        for email in emails:
            validate_email(email, check_deliverability=False)
            assert email.isascii(), email
            assert owner.setdefault(email, i) == i, f"{email} in rows {owner[email]} and {i}"
        person_emails = [p["email"] for p in row["persons"] if p["email"]]
        assert len(person_emails) == len(set(person_emails))


def test_bank_accounts_are_valid(records: list[dict[str, Any]]) -> None:
    methods: Counter[str] = Counter()
    for row in records:
        for account in row["bank_accounts"]:
            methods[account["method"]] += 1
            assert account["holder"]
            if account["method"] == "paypal":
                assert account["iban"] is None
                continue
            assert iban.is_valid(account["iban"]), account["iban"]
            assert iban.compact(account["iban"])[:2] == row["country"]
            assert account["bank_name"]
            if account["bic"] is not None:
                assert bic.is_valid(account["bic"]), account["bic"]
                assert account["bic"][4:6] == row["country"]
            if account["mandate"]:
                assert account["method"] == "sepa"
                assert account["mandate_ref"] and account["mandate_date"]
                signed = datetime.date.fromisoformat(account["mandate_date"])
                assert signed >= datetime.date.fromisoformat(row["created_at"][:10])
            else:
                assert account["mandate_ref"] is account["mandate_date"] is None
    assert set(methods) == {"sepa", "invoice", "paypal"}
    assert methods["sepa"] > methods["invoice"] > methods["paypal"]


def test_german_ibans_use_a_bank_code_with_its_bic(sample: list[dict[str, Any]]) -> None:
    known = {code: (b, name) for code, b, name in sample_data._BANKS_NATIONAL}
    for banks in sample_data._BANKS_LOCAL.values():
        known.update({code: (b, name) for code, b, name in banks})
    for row in sample:
        for account in row["bank_accounts"]:
            compact = iban.compact(account["iban"] or "")
            if compact.startswith("DE"):
                b, name = known[compact[4:12]]
                assert account["bank_name"] == name
                assert account["bic"] in (None, b)


def test_demo_customers_pass_kk_validation(demo: list[dict[str, Any]]) -> None:
    """What `kk demo` runs through: kk's own checks, in the customer's country."""
    for row in demo:
        country = validation.country(row["country"])
        validation.postal_code(row["postal_code"], country=country)
        for field, check in (
            ("vat_id", validation.vat_id),
            ("register_number", validation.register_number),
            ("tax_number", validation.tax_number),
            ("email", validation.email),
            ("website", validation.website),
        ):
            if row[field] is not None:
                check(row[field])
        for field in ("phone", "mobile"):
            if row[field] is not None:
                validation.phone(row[field], region=country)
        if row["discount_percent"] is not None:
            assert str(validation.percent(row["discount_percent"])) == row["discount_percent"]
        for account in row["bank_accounts"]:
            if account["iban"]:
                validation.iban(account["iban"])
            if account["bic"]:
                validation.bic(account["bic"])


@settings(max_examples=200, deadline=None)
@given(body=st.integers(0, 2**64))
def test_check_digit_helpers_are_valid_for_any_number(body: int) -> None:
    assert eu_vat.is_valid(sample_data._vat_de(body))
    assert eu_vat.is_valid(sample_data._vat_at(body))
    assert ch_vat.is_valid(sample_data._vat_ch(body))
    assert iban.is_valid(sample_data._iban("DE", f"37040044{body % 10**10:010d}"))
    assert iban.is_valid(sample_data._iban("CH", f"00230{body % 10**12:012d}"))


# --- realism -------------------------------------------------------------------------------


def test_postal_codes_are_strings_with_leading_zeros(records: list[dict[str, Any]]) -> None:
    for row in records:
        code = row["postal_code"]
        assert isinstance(code, str) and code.isdigit()
        assert len(code) == (5 if row["country"] == "DE" else 4), row
    leading = {r["postal_code"] for r in records if r["postal_code"].startswith("0")}
    assert len(leading) >= 5


def test_real_cities_with_their_real_postal_codes(sample: list[dict[str, Any]]) -> None:
    pairs = {(r["postal_code"], r["city"]) for r in sample}
    for pair in [("01067", "Dresden"), ("04109", "Leipzig"), ("10115", "Berlin"),
                 ("20095", "Hamburg"), ("80331", "München"), ("50667", "Köln")]:  # fmt: skip
        assert pair in pairs
    by_code: dict[str, set[str]] = {}
    for code, city in pairs:
        by_code.setdefault(code, set()).add(city)
    assert all(len(cities) == 1 for cities in by_code.values())


def test_umlauts_and_sharp_s_are_everywhere(records: list[dict[str, Any]]) -> None:
    for field in ("last_name", "street", "city", "company_name", "notes"):
        values = [row[field] or "" for row in records]
        assert any(set(v) & set("äöüÄÖÜ") for v in values), field
    assert any("ß" in (row["street"] or "") + (row["last_name"] or "") for row in records)


def test_mueller_is_about_seven_percent_of_surnames(sample: list[dict[str, Any]]) -> None:
    surnames = Counter(row["last_name"] for row in sample if row["last_name"])
    share = surnames["Müller"] / sum(surnames.values())
    assert 0.055 < share < 0.085
    assert surnames.most_common(1)[0][0] == "Müller"


def test_nuessl_is_rare_but_there() -> None:
    rows = list(customer_rows(20_000))
    hits = sum(row["last_name"] == "Nüßl" or "Nüßl " in (row["company_name"] or "") for row in rows)
    assert 0 < hits < len(rows) // 200


def test_demo_has_several_identical_names(demo: list[dict[str, Any]]) -> None:
    names = Counter(
        (row["last_name"], row["first_name"]) for row in demo if row["kind"] == "private"
    )
    assert names[("Müller", "Thomas")] >= 3


def test_kinds_countries_and_roles_are_mixed(sample: list[dict[str, Any]]) -> None:
    kinds = Counter(row["kind"] for row in sample)
    assert 0.55 < kinds["company"] / len(sample) < 0.65
    countries = Counter(row["country"] for row in sample)
    assert countries["AT"] and countries["CH"] and countries["DE"] > 0.9 * len(sample)
    roles = Counter(tuple(row["roles"]) for row in sample)
    assert roles[("customer",)] > 0.8 * len(sample)
    assert roles[("customer", "supplier")] > roles[("supplier",)] > 0
    legal = Counter(
        form
        for row in sample
        if row["company_name"]
        for form in ("GmbH", "UG (haftungsbeschränkt)", " AG", "e.K.", "GmbH & Co. KG", "OHG")
        if row["company_name"].endswith(form)
    )
    assert len(legal) == 6


def test_people_have_salutations_and_some_titles(sample: list[dict[str, Any]]) -> None:
    private = [row for row in sample if row["kind"] == "private"]
    salutations = Counter(row["salutation"] for row in private)
    assert set(salutations) == {"Herr", "Frau", None}
    assert salutations[None] < salutations["Herr"] // 10
    titles = Counter(row["title"] for row in private)
    assert titles["Dr."] and titles["Prof. Dr."]


def test_companies_have_zero_to_three_persons(sample: list[dict[str, Any]]) -> None:
    counts = Counter(len(row["persons"]) for row in sample if row["kind"] == "company")
    assert set(counts) == {0, 1, 2, 3}
    for row in sample:
        for person in row["persons"]:
            assert person["first_name"] and person["last_name"] and person["role"]
        if row["kind"] == "company" and row["first_name"]:
            first = row["persons"][0]
            assert (first["first_name"], first["last_name"]) == (
                row["first_name"],
                row["last_name"],
            )
        if row["kind"] == "private":
            assert row["persons"] == []


def test_labels_and_consents_agree(sample: list[dict[str, Any]]) -> None:
    used = Counter(label for row in sample for label in row["labels"])
    assert set(used) <= LABELS and {"VIP", "Newsletter", "Großkunde", "Nord", "Süd"} <= set(used)
    channels = Counter()
    for row in sample:
        assert len(row["labels"]) == len(set(row["labels"]))
        for channel, consent in row["consents"].items():
            channels[channel] += 1
            assert set(consent) == {"granted", "date", "source"}
            assert isinstance(consent["granted"], bool)
            datetime.date.fromisoformat(consent["date"])
        if "Newsletter" in row["labels"]:
            assert row["consents"]["newsletter"]["granted"]
        if row["do_not_contact"]:
            assert not any(c["granted"] for c in row["consents"].values())
    assert set(channels) == {"email", "phone", "letter", "newsletter"}


def test_notes_hold_what_breaks_naive_csv(sample: list[dict[str, Any]]) -> None:
    notes = "".join(row["notes"] or "" for row in sample)
    for char in (",", ";", '"', "\n"):
        assert char in notes


def test_created_at_is_utc_iso_spread_over_2015_to_2026(sample: list[dict[str, Any]]) -> None:
    stamps = [datetime.datetime.fromisoformat(row["created_at"]) for row in sample]
    assert all(s.utcoffset() == datetime.timedelta(0) for s in stamps)
    assert all(row["created_at"].endswith("+00:00") for row in sample)
    years = Counter(s.year for s in stamps)
    assert set(years) == set(range(2015, 2027))


# --- bench/gen_customers.py ----------------------------------------------------------------


def _run_bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCH), *args], capture_output=True, text=True, encoding="utf-8"
    )


def test_bench_csv_has_the_customer_keys_and_reads_back(tmp_path: Path) -> None:
    out = tmp_path / "customers.csv"
    done = _run_bench("-n", "2000", "-o", str(out), "--seed", "9")
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    table = list(csv.reader(io.StringIO(text, newline="")))
    assert table[0] == list(CUSTOMER_KEYS)
    assert len(table) == 2001
    expected = list(customer_rows(2000, seed=9))
    for row, cells in zip(expected, table[1:], strict=True):
        assert cells[CUSTOMER_KEYS.index("postal_code")] == row["postal_code"]
        assert cells[CUSTOMER_KEYS.index("labels")] == ";".join(row["labels"])
    # The fast path for rows without special characters writes what csv.writer would.
    reference = io.StringIO()
    writer = csv.writer(reference, lineterminator="\n")
    writer.writerow(CUSTOMER_KEYS)
    for row in expected:
        flat = {**row, "roles": ";".join(row["roles"]), "labels": ";".join(row["labels"])}
        flat["do_not_contact"] = "true" if row["do_not_contact"] else "false"
        writer.writerow([flat[k] for k in CUSTOMER_KEYS])
    assert text == reference.getvalue()
    notes = [row["notes"] or "" for row in expected]
    assert any("\n" in note for note in notes) and any('"' in note for note in notes)
    # kk's own CSV reader maps every column to its key and gets the values back.
    with out.open("rb") as stream:
        source = read_csv(stream)
        assert source.header_map.unknown == []
        read = [item.record for item in source]
    for row, record in zip(expected, read, strict=True):
        assert record.pop("do_not_contact") == ("true" if row["do_not_contact"] else "false")
        assert record == {
            k: v for k, v in row.items() if v not in (None, []) and k != "do_not_contact"
        }


def test_bench_jsonl_has_the_same_rows(tmp_path: Path) -> None:
    out = tmp_path / "customers.jsonl"
    done = _run_bench("-n", "120", "--format", "jsonl", "-o", str(out))
    assert done.returncode == 0, done.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == list(customer_rows(120))


def test_bench_validate_reports_no_failures() -> None:
    done = _run_bench("-n", "2000", "--validate")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stderr.strip().splitlines()[-1])
    assert summary["invalid"] == {} and summary["duplicate_emails"] == 0
    assert summary["checked"]["vat_id"] > 500 and summary["checked"]["iban"] > 1000
