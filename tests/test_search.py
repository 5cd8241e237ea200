"""`kk customer search` and list paging on a real database: German folding, prefixes, AND,
ranking, the Match column, the index following every write, archive flags, and keyset
paging that returns every customer exactly once."""

from __future__ import annotations

from pathlib import Path

import pytest

from kk.services import queries
from tests.conftest import Kk
from tests.search_helpers import all_pages, bulk, sql


def found(kk: Kk, *words: str, flags: tuple[str, ...] = ()) -> list[str]:
    return [row["number"] for row in kk.json("customer", "search", *words, *flags)]


def add(kk: Kk, *args: str) -> str:
    return kk.ok("customer", "add", *args).strip()


@pytest.fixture
def germans(kk: Kk) -> Kk:
    add(kk, "--first-name", "Jürgen", "--last-name", "Müller", "--city", "München",
        "--email", "j.mueller2@gmx.de", "--phone", "030 1234567")  # fmt: skip
    add(kk, "--kind", "company", "--company-name", "Straßenbau Nüßl GmbH", "--city", "Köln")
    add(kk, "--first-name", "Anna", "--last-name", "Schmidt", "--city", "Mülheim",
        "--postal-code", "01067")  # fmt: skip
    return kk


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("müller", ["CUS-0001"]), ("muller", ["CUS-0001"]), ("MUELLER", ["CUS-0001"]),
        ("mueller", ["CUS-0001"]), ("Müll", ["CUS-0001"]), ("mül", ["CUS-0001", "CUS-0003"]),
        ("strasse", ["CUS-0002"]), ("STRASSENBAU", ["CUS-0002"]), ("nussl", ["CUS-0002"]),
        ("nuessl", ["CUS-0002"]), ("Nüßl", ["CUS-0002"]), ("koeln", ["CUS-0002"]),
        ("jürgen münchen", ["CUS-0001"]), ("jürgen köln", []), ("anna 01067", ["CUS-0003"]),
        ("gmx.de", ["CUS-0001"]), ("@gmx.de", ["CUS-0001"]), ("j.mueller2@gmx.de", ["CUS-0001"]),
        ("030 1234567", ["CUS-0001"]), ("+49 30 1234567", ["CUS-0001"]), ("cus-2", ["CUS-0002"]),
        ("CUS-0003", ["CUS-0003"]), ("xyzzy", []), (". , ;", []),
    ],
)  # fmt: skip
def test_folding_prefixes_and_every_word(germans: Kk, text: str, expected: list[str]) -> None:
    assert sorted(found(germans, *text.split())) == expected


def test_words_may_come_as_one_argument_or_many(germans: Kk) -> None:
    assert found(germans, "jürgen münchen") == found(germans, "jürgen", "münchen") == ["CUS-0001"]


def test_ranking_number_then_name_start_then_whole_word_then_prefix_then_other_fields(
    kk: Kk,
) -> None:
    zeta = add(kk, "--kind", "company", "--company-name", "Zeta GmbH")
    kk.ok("customer", "person", "add", zeta, "--first-name", "Ute", "--last-name", "Müller")
    add(kk, "--kind", "company", "--company-name", "Omega AG", "--email", "info@mueller-partner.de")
    add(kk, "--kind", "company", "--company-name", "Alt Müllerhof KG")
    add(kk, "--kind", "company", "--company-name", "Bau Müller GmbH")
    add(kk, "--first-name", "Anna", "--last-name", "Müller")
    add(kk, "--kind", "company", "--company-name", "Müllerei Nord")
    assert found(kk, "müller") == [
        "CUS-0005",  # "Müller, Anna": the name starts with it
        "CUS-0006",  # "Müllerei Nord": so does this one
        "CUS-0004",  # "Bau Müller GmbH": a whole word of the name
        "CUS-0003",  # "Alt Müllerhof KG": a prefix in the name
        "CUS-0002",  # "Omega AG": e-mail only
        "CUS-0001",  # "Zeta GmbH": a contact person only (by name within a rank)
    ]
    assert found(kk, "6")[0] == "CUS-0006"  # the exact number comes first


def test_table_shows_where_the_words_matched(kk: Kk) -> None:
    zeta = add(kk, "--kind", "company", "--company-name", "Zeta GmbH", "--city", "Berlin")
    kk.ok("customer", "person", "add", zeta, "--first-name", "Ute", "--last-name", "Berger")
    add(kk, "--first-name", "Max", "--last-name", "Berger", "--email", "max@berger.de")
    table = kk.ok("customer", "search", "ber")
    lines = {line.split()[0]: line for line in table.splitlines() if "CUS-" in line}
    assert "Match" in table
    assert "person, city" in lines["CUS-0001"]
    assert "name, email" in lines["CUS-0002"]
    assert "match" not in kk.json("customer", "search", "ber")[0]


def test_the_index_follows_edits_and_person_changes(kk: Kk) -> None:
    number = add(kk, "--kind", "company", "--company-name", "Alpha GmbH", "--city", "Bonn")
    assert found(kk, "alpha") == [number]
    kk.ok("customer", "edit", number, "--company-name", "Beta GmbH", "--city", "Köln")
    assert found(kk, "alpha") == [] and found(kk, "bonn") == []
    assert found(kk, "beta") == [number] and found(kk, "köln") == [number]
    person = kk.ok("customer", "person", "add", number, "--first-name", "Grete",
                   "--last-name", "Weiß", "--email", "grete@beta.example").strip()  # fmt: skip
    assert found(kk, "weiss") == [number] and found(kk, "beta.example") == [number]
    kk.ok("customer", "person", "edit", number, person, "--last-name", "Schwarz")
    assert found(kk, "weiss") == [] and found(kk, "schwarz") == [number]
    kk.ok("customer", "person", "remove", number, person, "--yes")
    assert found(kk, "schwarz") == []
    kk.ok("customer", "edit", number, "--unset", "city")
    assert found(kk, "köln") == []


def test_archive_and_restore_and_the_archive_flags(kk: Kk) -> None:
    kept = add(kk, "--first-name", "Hans", "--last-name", "Maier")
    gone = add(kk, "--first-name", "Gerd", "--last-name", "Maier")
    kk.ok("customer", "archive", gone, "--yes")
    assert found(kk, "maier") == [kept]
    assert found(kk, "maier", flags=("--archived",)) == [gone]
    assert sorted(found(kk, "maier", flags=("--include-archived",))) == [kept, gone]
    for command in (("customer", "list"), ("customer", "filter", "maier")):
        assert [r["number"] for r in kk.json(*command)] == [kept]
        assert [r["number"] for r in kk.json(*command, "--archived")] == [gone]
        assert len(kk.json(*command, "--include-archived")) == 2
    both = kk("customer", "search", "maier", "--archived", "--include-archived")
    assert both.exit_code == 2
    kk.ok("customer", "restore", gone)
    assert sorted(found(kk, "maier")) == [kept, gone]


def test_500_customers_with_the_same_name_page_through_exactly_once(kk: Kk, db_path: Path) -> None:
    kk.ok("user", "list")
    same = bulk(db_path, [{"first_name": "Thomas", "last_name": "Müller"}] * 500)
    others = bulk(db_path, [{"first_name": "Anna", "last_name": f"Müller{i}"} for i in range(20)])
    everyone = set(same) | set(others)
    for command in (
        ("customer", "list"),
        ("customer", "list", "--desc"),
        ("customer", "list", "--sort", "created"),
        ("customer", "list", "--sort", "last_activity", "--desc"),
        ("customer", "search", "müller"),
        ("customer", "search", "thomas müller"),
        ("customer", "filter", "müller"),
        ("customer", "filter", "thomas", "--sort", "number", "--desc"),
    ):
        numbers = all_pages(kk, *command, limit=45)
        assert len(numbers) == len(set(numbers)), command
        expected = set(same) if "thomas" in " ".join(command) else everyone
        assert set(numbers) == expected, command


@pytest.mark.parametrize(("few", "many"), [(0, 0), (0, 10_000), (10_000, 10_000)])
def test_every_query_plan_pages_the_same(
    kk: Kk, db_path: Path, monkeypatch: pytest.MonkeyPatch, few: int, many: int
) -> None:
    """Few hits are sorted after the index read them, many walk the sort index, and a
    huge rank of a search goes by number: whichever is chosen, paging returns each hit
    once, and a filter keeps the order it was asked for."""
    kk.ok("user", "list")
    bulk(db_path, [{"first_name": f"Vorname{i % 7}", "last_name": "Krause"} for i in range(60)])
    monkeypatch.setattr(queries, "SORT_HITS_MAX", few)
    monkeypatch.setattr(queries, "SORT_WALK_MAX", many)
    for command in (
        ("customer", "search", "krause"),
        ("customer", "search", "krause vorname3"),
        ("customer", "filter", "krause vorname3"),
        ("customer", "filter", "krause", "--sort", "created", "--desc"),
    ):
        numbers = all_pages(kk, *command, limit=8)
        rows = kk.json(*command, "--all")
        assert numbers == [row["number"] for row in rows]
        assert len(set(numbers)) == len(numbers) == (60 if "vorname3" not in command[2] else 9)
        names = [(row["display_name"], int(row["number"][4:])) for row in rows]
        if command[1] == "filter" and "--sort" not in command:
            assert names == sorted(names, key=lambda n: (n[0].lower(), n[1]))
        if command[1] == "search" and many == 0:
            assert names == sorted(names, key=lambda n: n[1])  # one huge rank: by number


def test_last_activity_order_puts_customers_without_one_first_and_pages_once(
    kk: Kk, db_path: Path
) -> None:
    kk.ok("user", "list")
    numbers = bulk(db_path, [{"first_name": "P", "last_name": f"N{i}"} for i in range(12)])
    for i, number in enumerate(numbers[:6]):
        sql(db_path, "UPDATE customer SET last_activity_at = ? WHERE number = ?",
            f"2025-0{1 + i % 3}-01T10:00:00+00:00", number)  # fmt: skip
    ascending = all_pages(kk, "customer", "list", "--sort", "last_activity", limit=5)
    assert ascending[:6] == numbers[6:]  # no activity: first, by number
    descending = all_pages(kk, "customer", "list", "--sort", "last_activity", "--desc", limit=5)
    assert descending == ascending[::-1]


def test_paging_tokens_belong_to_their_order(kk: Kk) -> None:
    for i in range(3):
        add(kk, "--first-name", "A", "--last-name", f"B{i}")
    first = kk("customer", "list", "--limit", "2")
    assert first.stderr.splitlines()[-1].startswith("--after ")
    token = first.stderr.splitlines()[-1].split(" ", 1)[1]
    assert "--after" not in kk("customer", "list", "--limit", "2", "--format", "json").stderr
    wrong = kk("customer", "list", "--limit", "2", "--sort", "created", "--after", token)
    assert wrong.exit_code == 1 and "--after" in wrong.stderr
    garbage = kk("customer", "list", "--after", "not-a-token")
    assert garbage.exit_code == 1 and "--after" in garbage.stderr
    last = kk("customer", "list", "--limit", "3")
    assert last.exit_code == 0 and last.stderr == ""
