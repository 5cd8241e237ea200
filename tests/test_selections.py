"""Saved selections (Selektionen): save, list, show, run, rename, delete — audited, checked
before they are saved, and usable by other services through `selection_query`."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from kk.services import queries, selections
from tests.conftest import Kk, dump


def numbers(rows: list[dict[str, object]]) -> list[object]:
    return [row["number"] for row in rows]


@pytest.fixture
def customers(kk: Kk) -> Kk:
    kk.ok("customer", "add", "--kind", "company", "--company-name", "Alpha GmbH",
          "--city", "Berlin", "--label", "VIP")  # fmt: skip
    kk.ok("customer", "add", "--kind", "company", "--company-name", "Beta KG", "--city", "Berlin")
    kk.ok("customer", "add", "--first-name", "Jana", "--last-name", "Berlin", "--city", "Bonn")
    return kk


def audit(path: Path) -> list[tuple[str, str, str | None, str | None, str | None, str]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(
            "SELECT action, entity_id, field, old, new, user FROM audit_entry "
            "WHERE entity = 'selection' ORDER BY id"
        ).fetchall()


def test_save_list_show_run_rename_delete(customers: Kk, db_path: Path) -> None:
    kk = customers
    assert kk.ok("selection", "save", "Berlin Firmen", "kind:company city:berlin") == (
        "Berlin Firmen\n"
    )
    saved = kk.json("selection", "show", "Berlin Firmen")
    assert saved["expression"] == "kind:company city:berlin" and saved["created_by"] == "anna"
    assert [s["name"] for s in kk.json("selection", "list")] == ["Berlin Firmen"]
    assert "kind:company city:berlin" in kk.ok("selection", "list")
    filtered = kk.json("customer", "filter", "kind:company city:berlin")
    assert kk.json("selection", "run", "Berlin Firmen") == filtered
    assert numbers(filtered) == ["CUS-0001", "CUS-0002"]
    assert kk.ok("selection", "rename", "Berlin Firmen", "Hauptstadt") == "Hauptstadt\n"
    assert kk("selection", "show", "Berlin Firmen").exit_code == 1
    assert numbers(kk.json("selection", "run", "Hauptstadt")) == ["CUS-0001", "CUS-0002"]
    kk.ok("selection", "delete", "Hauptstadt")  # no --yes, no terminal: it does not ask
    assert kk.json("selection", "list") == []
    assert audit(db_path) == [
        ("create", "Berlin Firmen", "expression", None, "kind:company city:berlin", "anna"),
        ("rename", "Hauptstadt", "name", "Berlin Firmen", "Hauptstadt", "anna"),
        ("delete", "Hauptstadt", "expression", "kind:company city:berlin", None, "anna"),
    ]


def test_run_takes_the_filter_flags(customers: Kk) -> None:
    kk = customers
    kk.ok("selection", "save", "berlin", "berlin")  # a free word: the city and a last name
    by_name = ["CUS-0001", "CUS-0003", "CUS-0002"]  # Alpha GmbH, "Berlin, Jana", Beta KG
    assert numbers(kk.json("selection", "run", "berlin")) == by_name
    assert numbers(kk.json("selection", "run", "berlin", "--sort", "number", "--desc")) == [
        "CUS-0003", "CUS-0002", "CUS-0001",
    ]  # fmt: skip
    first = kk("selection", "run", "berlin", "--limit", "2")
    token = first.stderr.splitlines()[-1].removeprefix("--after ")
    rest = kk.json("selection", "run", "berlin", "--limit", "2", "--after", token)
    assert numbers(rest) == ["CUS-0002"]
    assert len(kk.json("selection", "run", "berlin", "--all", "--limit", "1")) == 3
    kk.ok("customer", "archive", "2", "--yes")
    assert numbers(kk.json("selection", "run", "berlin", "--archived")) == ["CUS-0002"]
    assert len(kk.json("selection", "run", "berlin", "--include-archived")) == 3
    assert kk.ok("selection", "run", "berlin", "--format", "csv").count("CUS-") == 2


def test_a_selection_with_a_leading_negation(customers: Kk) -> None:
    customers.ok("selection", "save", "keine VIP", "-label:vip", "kind:company")
    assert customers.json("selection", "show", "keine VIP")["expression"] == (
        "-label:vip kind:company"
    )
    assert numbers(customers.json("selection", "run", "keine VIP")) == ["CUS-0002"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("save", "x", "created>=31.02.2025"), "kk: filter: position 10: expected a date"),
        (("save", "x", "citty:berlin"), "kk: filter: position 1: unknown field 'citty'"),
        (("save", "x", " "), "EXPR: a selection needs a filter expression"),
        (("save", " ", "kind:company"), "NAME: a selection needs a name"),
        (("save", "vip", "kind:private"), "a selection 'vip' exists already"),
        (("show", "nope"), "no selection 'nope'"),
        (("run", "nope"), "no selection 'nope'"),
        (("rename", "nope", "x"), "no selection 'nope'"),
        (("rename", "vip", "other"), "a selection 'other' exists already"),
        (("delete", "nope"), "no selection 'nope'"),
    ],
)
def test_bad_input_exits_1_and_changes_nothing(
    kk: Kk, db_path: Path, args: tuple[str, ...], message: str
) -> None:
    kk.ok("selection", "save", "vip", "label:vip")
    kk.ok("selection", "save", "other", "kind:company")
    before = dump(db_path)
    result = kk("selection", *args)
    assert result.exit_code == 1
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert dump(db_path) == before


def test_a_selection_survives_as_the_user_wrote_it_and_is_shown_in_every_format(kk: Kk) -> None:
    kk.ok("selection", "save", "Süd", 'city:"frankfurt am main"  -label:churned')
    assert (
        kk.ok("selection", "show", "Süd", "--format", "csv")
        .splitlines()[1]
        .startswith('Süd,"city:""frankfurt am main""  -label:churned"')
    )
    assert kk.json("selection", "save", "Nord", "city:kiel")["name"] == "Nord"


def test_selection_query_is_the_service_for_export_and_tui(customers: Kk, db_path: Path) -> None:
    customers.ok("selection", "save", "vip", "label:vip")
    with closing(sqlite3.connect(db_path)) as connection:
        query = selections.selection_query(connection, "vip")
        assert numbers(list(queries.iterate(connection, query))) == ["CUS-0001"]
        by_number = selections.selection_query(connection, "vip", sort="number", desc=True)
        assert by_number.sort == "number" and by_number.desc is True
        assert selections.get(connection, "vip")["expression"] == "label:vip"
