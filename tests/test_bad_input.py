"""Every user mistake: exit 1, one line on stderr naming the field or record, nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Kk, dump

ADD = ("customer", "add", "--first-name", "Erika", "--last-name", "Muster")

CASES = [
    # (args, user, words the single stderr line must contain)
    ((*ADD, "--vat-id", "DE136695977"), "anna", ["--vat-id", "DE136695977"]),
    ((*ADD, "--email", "erika@@example"), "anna", ["--email", "erika@@example"]),
    ((*ADD, "--postal-code", "1067"), "anna", ["--postal-code", "1067", "5 digits"]),
    ((*ADD, "--country", "Atlantis"), "anna", ["--country", "Atlantis"]),
    ((*ADD, "--phone", "12"), "anna", ["--phone", "12"]),
    ((*ADD, "--register-number", "XYZ 1"), "anna", ["--register-number", "XYZ 1"]),
    ((*ADD, "--website", "not a site"), "anna", ["--website"]),
    ((*ADD, "--discount", "120"), "anna", ["--discount: '120'"]),
    (("customer", "add", "--first-name", "Erika"), "anna", ["--last-name"]),
    (("customer", "add", "--kind", "company"), "anna", ["--company-name"]),
    (("customer", "bank", "add", "1", "--method", "sepa", "--iban", "DE89370400440532013001"),
     "anna", ["--iban", "DE89370400440532013001"]),
    (("customer", "bank", "add", "1", "--method", "sepa", "--iban", "DE89370400440532013000",
      "--bic", "XXX"), "anna", ["--bic", "XXX"]),
    (("customer", "show", "CUS-0099"), "anna", ["CUS-0099"]),
    (("customer", "edit", "42", "--city", "Bonn"), "anna", ["CUS-0042"]),
    (("customer", "show", "K-12"), "anna", ["K-12"]),
    (("customer", "edit", "2", "--city", "Bonn"), "anna", ["CUS-0002", "archived"]),
    (("customer", "restore", "2"), "bob", ["admin"]),
    (("customer", "list"), "mallory", ["mallory"]),
    (("customer", "add", "--first-name", "A", "--last-name", "B"), "mallory", ["mallory"]),
    (("customer", "person", "add", "1"), "anna", ["--last-name"]),
    (("customer", "person", "remove", "1", "99", "--yes"), "anna", ["99"]),
    (("customer", "label", "remove", "1", "Nope"), "anna", ["Nope"]),
    (("customer", "label", "add", "1", "Handwerk;Süd"), "anna", ["--label", "Handwerk;Süd", "';'"]),
    ((*ADD, "--label", "A;B"), "anna", ["--label", "A;B"]),
    (("customer", "address", "add", "1", "--purpose", "billing", "--street", "X 1"), "anna",
     ["--city"]),
    (("customer", "list", "--after", "garbage!"), "anna", ["--after"]),
    (("user", "add", "eve"), "bob", ["admin"]),
    (("user", "role", "anna", "user"), "anna", ["last admin"]),
    (("customer", "add", *ADD[2:], "--email", "taken@example.de"), "anna", ["--email", "CUS-0001"]),
    (("config", "set", "colour", "blue"), "anna", ["colour"]),
]  # fmt: skip


@pytest.fixture
def prepared(kk: Kk) -> Kk:
    kk.ok("customer", "add", "--first-name", "Jürgen", "--last-name", "Groß",
          "--email", "taken@example.de")  # fmt: skip
    kk.ok("customer", "add", "--first-name", "Anna", "--last-name", "Archiv")
    kk.ok("customer", "archive", "2", "--yes")
    kk.ok("user", "add", "bob")
    return kk


@pytest.mark.parametrize(
    ("args", "user", "words"), CASES, ids=[" ".join(c[0][:4]) + " " + c[1] for c in CASES]
)
def test_bad_input_exits_1_names_the_field_and_changes_nothing(
    prepared: Kk, db_path: Path, args: tuple[str, ...], user: str, words: list[str]
) -> None:
    before = dump(db_path)
    result = prepared(*args, user=user)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert "Traceback" not in result.stderr
    assert dump(db_path) == before


@pytest.mark.parametrize(
    "args",
    [
        ("customer", "add", "--kind", "person"),
        ("customer", "list", "--sort", "height"),
        ("customer", "bank", "add", "1", "--method", "cash"),
        ("customer", "frobnicate"),
        ("customer", "add", "--no-such-flag"),
        ("user", "add", "x", "--role", "god"),
    ],
)
def test_usage_errors_exit_2(prepared: Kk, db_path: Path, args: tuple[str, ...]) -> None:
    before = dump(db_path)
    result = prepared(*args)
    assert result.exit_code == 2
    assert dump(db_path) == before
