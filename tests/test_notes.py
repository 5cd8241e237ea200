"""`kk note …` as a user runs it: text from the argument, stdin or $EDITOR; links to orders
and activities; lists per customer and across all; edit and delete, audited."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import Kk, dump
from tests.records_helpers import company, fails, order, person

NOTE_KEYS = ["id", "customer", "text", "author", "created_at", "updated_at", "order", "activity"]


@pytest.fixture
def two(kk: Kk) -> Kk:
    company(kk)
    person(kk)
    return kk


def test_add_prints_the_id_and_list_json_has_the_stable_keys(two: Kk) -> None:
    assert two.ok("note", "add", "CUS-0001", "Rückruf wegen Angebot") == "1\n"
    assert two.ok("note", "add", "cus-1", "Zweite Notiz") == "2\n"
    rows = two.json("note", "list", "CUS-0001")
    assert [list(row) for row in rows] == [NOTE_KEYS, NOTE_KEYS]
    assert [row["text"] for row in rows] == [
        "Zweite Notiz",
        "Rückruf wegen Angebot",
    ]  # newest first
    first = rows[1]
    assert first["id"] == 1 and first["customer"] == "CUS-0001" and first["author"] == "anna"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", first["created_at"])


def test_add_with_json_format_prints_the_note(two: Kk) -> None:
    note = two.json("note", "add", "2", "Über Umwege")
    assert note["customer"] == "CUS-0002" and note["text"] == "Über Umwege"


def test_dash_reads_the_text_from_stdin(two: Kk) -> None:
    two.ok("note", "add", "1", "-", input="Zeile eins\nZeile zwei\n")
    assert two.json("note", "show", "1")["text"] == "Zeile eins\nZeile zwei"


def test_without_text_and_without_a_terminal_it_refuses(two: Kk, db_path: Path) -> None:
    fails(two, db_path, "note", "add", "1", words=["TEXT", "'-'"])


def test_without_text_on_a_terminal_it_opens_the_editor(
    two: Kk, monkeypatch: pytest.MonkeyPatch
) -> None:
    import click

    import kk.commands.note as note_command

    monkeypatch.setattr(note_command, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr(click, "edit", lambda text="": "Aus dem Editor\n")
    two.ok("note", "add", "1")
    assert two.json("note", "show", "1")["text"] == "Aus dem Editor"
    monkeypatch.setattr(click, "edit", lambda text="": None)  # closed without saving
    result = two("note", "add", "1")
    assert result.exit_code == 1 and "cancelled" in result.stderr
    assert len(two.json("note", "list")) == 1


def test_empty_text_is_refused(two: Kk, db_path: Path) -> None:
    fails(two, db_path, "note", "add", "1", "   ", words=["TEXT", "empty"])


def test_a_note_on_an_order_is_linked_to_the_order_and_its_customer(two: Kk, db_path: Path) -> None:
    number = order(two)
    two.ok("note", "add", "CUS-0001", "Kunde will Rabatt", "--order", number)
    two.ok("note", "add", number, "Direkt am Angebot")
    rows = two.json("note", "list", "--order", number)
    assert [(r["customer"], r["order"]) for r in rows] == [("CUS-0001", number)] * 2
    assert len(two.json("note", "list", "CUS-0001")) == 2
    fails(two, db_path, "note", "add", "CUS-0002", "falsch", "--order", number,
          words=["--order", number, "CUS-0001"])  # fmt: skip
    fails(two, db_path, "note", "add", "1", "x", "--order", "AN-2026-0099",
          words=["AN-2026-0099"])  # fmt: skip


def test_a_note_on_an_activity(two: Kk, db_path: Path) -> None:
    two.ok("activity", "add", "1", "--name", "Anruf", "--kind", "call")
    two.ok("note", "add", "1", "Hat zurückgerufen", "--activity", "1")
    assert two.json("note", "show", "1")["activity"] == 1
    fails(two, db_path, "note", "add", "2", "x", "--activity", "1", words=["--activity"])
    fails(two, db_path, "note", "add", "1", "x", "--activity", "9", words=["--activity", "9"])


def test_list_across_all_with_author_and_since(two: Kk) -> None:
    two.ok("user", "add", "bob")
    two.ok("note", "add", "1", "von Anna")
    two.ok("note", "add", "2", "von Bob", user="bob")
    everything = two.json("note", "list")
    assert {row["customer"] for row in everything} == {"CUS-0001", "CUS-0002"}
    assert [r["text"] for r in two.json("note", "list", "--author", "bob")] == ["von Bob"]
    assert len(two.json("note", "list", "--since", "2000-01-01")) == 2
    assert len(two.json("note", "list", "--since", "01.01.2000")) == 2
    assert two.json("note", "list", "--since", "31.12.2999") == []
    result = two("note", "list", "--since", "gestern")
    assert result.exit_code == 1 and "--since" in result.stderr


def test_notes_of_archived_customers_leave_the_list_across_all(two: Kk, db_path: Path) -> None:
    two.ok("note", "add", "2", "alt")
    two.ok("customer", "archive", "2", "--yes")
    assert two.json("note", "list") == []
    assert len(two.json("note", "list", "2")) == 1  # reading stays possible
    fails(two, db_path, "note", "add", "2", "neu", words=["CUS-0002", "archived"])
    fails(two, db_path, "note", "edit", "1", "neu", words=["CUS-0002", "archived"])


def test_keyset_paging_in_table_mode(two: Kk) -> None:
    for text in ("eins", "zwei", "drei"):
        two.ok("note", "add", "1", text)
    first = two("note", "list", "--limit", "2")
    assert "drei" in first.stdout and "zwei" in first.stdout and "eins" not in first.stdout
    token = first.stderr.split("--after", 1)[1].split()[0]
    second = two.ok("note", "list", "--limit", "2", "--after", token)
    assert "eins" in second and "drei" not in second
    assert len(two.json("note", "list", "--limit", "1", "--all")) == 3


def test_edit_replaces_the_text_and_is_audited(two: Kk, db_path: Path) -> None:
    two.ok("note", "add", "1", "alt")
    assert two.ok("note", "edit", "1", "neu") == "1\n"
    assert two.json("note", "show", "1")["text"] == "neu"
    history = two.json("customer", "history", "1")
    assert {"entity": "note", "action": "edit", "old": "alt", "new": "neu"}.items() <= history[
        0
    ].items()
    two.ok("user", "add", "bob")
    fails(two, db_path, "note", "edit", "1", "fremd", words=["anna", "note 1"], user="bob")
    fails(two, db_path, "note", "edit", "7", "x", words=["note 7"])


def test_delete_asks_and_is_audited(two: Kk, db_path: Path) -> None:
    two.ok("note", "add", "1", "weg damit")
    fails(two, db_path, "note", "delete", "1", words=["--yes"])
    two.ok("note", "delete", "1", "--yes")
    assert two.json("note", "list") == []
    entry = two.json("customer", "history", "1")[0]
    assert (entry["entity"], entry["action"], entry["old"]) == ("note", "delete", "weg damit")
    before = dump(db_path)
    assert two("note", "delete", "1", "--yes").exit_code == 1
    assert dump(db_path) == before


def test_notes_keep_the_customers_last_activity(two: Kk) -> None:
    assert two.json("customer", "show", "1")["last_activity_at"] is None
    two.ok("note", "add", "1", "etwas")
    note = two.json("note", "show", "1")
    assert two.json("customer", "show", "1")["last_activity_at"] == note["created_at"]


def test_unknown_customer(two: Kk, db_path: Path) -> None:
    fails(two, db_path, "note", "add", "CUS-0042", "x", words=["CUS-0042"])
