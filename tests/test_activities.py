"""`kk activity …` as a user runs it: kinds, assignees, contact persons, due dates, done and
reopen, lists with overdue ones first and colours in table mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Kk
from tests.records_helpers import company, fails, person

ACTIVITY_KEYS = [
    "id", "customer", "name", "kind", "status", "due", "done_at", "assignee", "author",
    "description", "person", "person_name", "overdue", "created_at", "updated_at",
]  # fmt: skip


@pytest.fixture
def two(kk: Kk) -> Kk:
    company(kk)
    person(kk)
    return kk


def test_add_prints_the_id_and_list_json_has_the_stable_keys(two: Kk) -> None:
    out = two.ok("activity", "add", "CUS-0001", "--name", "Rückruf", "--kind", "call",
                 "--due", "2026-12-01")  # fmt: skip
    assert out == "1\n"
    rows = two.json("activity", "list", "CUS-0001", "--open")
    assert [list(row) for row in rows] == [ACTIVITY_KEYS]
    row = rows[0]
    assert (row["id"], row["customer"], row["name"], row["kind"], row["status"]) == (
        1, "CUS-0001", "Rückruf", "call", "open",
    )  # fmt: skip
    assert (row["due"], row["done_at"], row["assignee"], row["author"]) == (
        "2026-12-01", None, None, "anna",
    )  # fmt: skip


def test_kind_outside_the_choices_is_a_usage_error(two: Kk) -> None:
    result = two("activity", "add", "1", "--name", "Fax", "--kind", "fax")
    assert result.exit_code == 2
    assert two.json("activity", "list") == []


def test_name_is_required(two: Kk, db_path: Path) -> None:
    fails(two, db_path, "activity", "add", "1", "--kind", "call", words=["--name"])


def test_assignee_must_be_a_kk_user(two: Kk, db_path: Path) -> None:
    fails(two, db_path, "activity", "add", "1", "--name", "X", "--assignee", "bob",
          words=["--assignee", "bob"])  # fmt: skip
    two.ok("user", "add", "bob")
    two.ok("activity", "add", "1", "--name", "X", "--assignee", "bob")
    assert two.json("activity", "show", "1")["assignee"] == "bob"


def test_person_must_be_a_contact_person_of_that_customer(two: Kk, db_path: Path) -> None:
    first = two.ok("customer", "person", "add", "1", "--first-name", "Erika",
                   "--last-name", "Nüßl").strip()  # fmt: skip
    other = two.ok("customer", "person", "add", "2", "--first-name", "Max",
                   "--last-name", "Muster").strip()  # fmt: skip
    two.ok("activity", "add", "1", "--name", "Termin", "--kind", "meeting", "--person", first)
    shown = two.json("activity", "show", "1")
    assert (shown["person"], shown["person_name"]) == (int(first), "Erika Nüßl")
    fails(two, db_path, "activity", "add", "1", "--name", "X", "--person", other,
          words=["--person", other, "CUS-0001"])  # fmt: skip


def test_due_accepts_german_dates_and_times(two: Kk, db_path: Path) -> None:
    two.ok("activity", "add", "1", "--name", "A", "--due", "01.12.2026")
    two.ok("activity", "add", "1", "--name", "B", "--due", "2026-12-01 14:30")
    assert two.json("activity", "show", "1")["due"] == "2026-12-01"
    timed = two.json("activity", "show", "2")["due"]
    assert timed.startswith("2026-12-01T") and timed.endswith("+00:00")
    fails(two, db_path, "activity", "add", "1", "--name", "C", "--due", "32.12.2026",
          words=["--due", "32.12.2026"])  # fmt: skip


def test_done_and_reopen(two: Kk, db_path: Path) -> None:
    two.ok("activity", "add", "1", "--name", "Angebot schicken")
    assert two.ok("activity", "done", "1") == "1\n"
    done = two.json("activity", "show", "1")
    assert done["status"] == "done" and done["done_at"]
    fails(two, db_path, "activity", "done", "1", words=["activity 1", "done already"])
    two.ok("activity", "reopen", "1")
    reopened = two.json("activity", "show", "1")
    assert reopened["status"] == "open" and reopened["done_at"] is None
    fails(two, db_path, "activity", "reopen", "1", words=["open already"])
    actions = [
        e["action"] for e in two.json("customer", "history", "1") if e["entity"] == "activity"
    ]
    assert actions[:3] == ["reopen", "done", "create"]


def _make_list(two: Kk) -> None:
    two.ok("user", "add", "bob")
    two.ok("activity", "add", "1", "--name", "später", "--due", "2999-01-01")
    two.ok("activity", "add", "1", "--name", "überfällig alt", "--due", "2001-01-01")
    two.ok("activity", "add", "2", "--name", "ohne Datum", "--assignee", "bob")
    two.ok("activity", "add", "2", "--name", "überfällig neu", "--due", "2020-06-01 09:00")
    two.ok("activity", "add", "1", "--name", "erledigt", "--due", "2000-01-01")
    two.ok("activity", "done", "5")


def test_lists_put_overdue_first_and_done_last(two: Kk) -> None:
    _make_list(two)
    rows = two.json("activity", "list")
    assert [r["name"] for r in rows] == [
        "überfällig alt", "überfällig neu", "später", "ohne Datum", "erledigt",
    ]  # fmt: skip
    assert [r["overdue"] for r in rows] == [True, True, False, False, False]
    assert [r["name"] for r in two.json("activity", "list", "--done")] == ["erledigt"]
    assert len(two.json("activity", "list", "--open")) == 4
    assert [r["name"] for r in two.json("activity", "list", "2")] == [
        "überfällig neu", "ohne Datum",
    ]  # fmt: skip
    assert [r["name"] for r in two.json("activity", "list", "--assignee", "bob")] == ["ohne Datum"]
    due = two.json("activity", "list", "--open", "--due-before", "01.01.2021")
    assert [r["name"] for r in due] == ["überfällig alt", "überfällig neu"]
    assert two("activity", "list", "--open", "--done").exit_code == 2


def test_lists_page_by_keyset_in_the_same_order(two: Kk) -> None:
    _make_list(two)
    everything = [r["name"] for r in two.json("activity", "list")]
    seen: list[str] = []
    after: list[str] = []
    while True:
        result = two("activity", "list", "--limit", "2", *after)
        assert result.exit_code == 0
        seen += [name for name in everything if name in result.stdout]
        if "--after" not in result.stderr:
            break
        after = ["--after", result.stderr.split("--after", 1)[1].split()[0]]
    assert seen == everything


def test_table_mode_shows_open_in_red_and_done_in_green(
    two: Kk, monkeypatch: pytest.MonkeyPatch
) -> None:
    two.ok("activity", "add", "1", "--name", "offen", "--due", "2999-01-01")
    two.ok("activity", "add", "1", "--name", "fertig")
    two.ok("activity", "done", "2")
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    lines = two.ok("activity", "list").splitlines()
    open_line = next(line for line in lines if "offen" in line)
    done_line = next(line for line in lines if "fertig" in line)
    assert "\x1b[31m" in open_line and "\x1b[32m" not in open_line
    assert "\x1b[32m" in done_line and "\x1b[31m" not in done_line


def test_edit_changes_fields_and_unset_clears_them(two: Kk, db_path: Path) -> None:
    two.ok("user", "add", "bob")
    two.ok("activity", "add", "1", "--name", "A", "--due", "2026-12-01", "--description", "d")
    two.ok("activity", "edit", "1", "--name", "B", "--kind", "email", "--assignee", "bob")
    edited = two.json("activity", "show", "1")
    assert (edited["name"], edited["kind"], edited["assignee"]) == ("B", "email", "bob")
    two.ok("activity", "edit", "1", "--unset", "due", "--unset", "description")
    cleared = two.json("activity", "show", "1")
    assert cleared["due"] is None and cleared["description"] is None
    assert two("activity", "edit", "1").exit_code == 2
    fails(two, db_path, "activity", "edit", "1", "--name", " ", words=["--name"])
    fails(two, db_path, "activity", "edit", "9", "--name", "X", words=["activity 9"])


def test_delete_confirms_is_audited_and_only_for_author_or_admin(two: Kk, db_path: Path) -> None:
    two.ok("user", "add", "bob")
    two.ok("activity", "add", "1", "--name", "Weg")
    fails(two, db_path, "activity", "delete", "1", words=["--yes"])
    fails(two, db_path, "activity", "delete", "1", "--yes", words=["anna"], user="bob")
    two.ok("activity", "delete", "1", "--yes")
    assert two.json("activity", "list") == []
    entry = two.json("customer", "history", "1")[0]
    assert (entry["entity"], entry["action"], entry["old"]) == ("activity", "delete", "Weg")


def test_archived_customers_get_no_new_activities(two: Kk, db_path: Path) -> None:
    two.ok("activity", "add", "2", "--name", "Alt")
    two.ok("customer", "archive", "2", "--yes")
    assert two.json("activity", "list") == []  # gone from the list across all
    assert len(two.json("activity", "list", "2")) == 1
    fails(two, db_path, "activity", "add", "2", "--name", "Neu", words=["CUS-0002", "archived"])
    fails(two, db_path, "activity", "done", "1", words=["CUS-0002", "archived"])


def test_activities_keep_the_customers_last_activity(two: Kk) -> None:
    two.ok("activity", "add", "1", "--name", "A")
    created = two.json("activity", "show", "1")["created_at"]
    assert two.json("customer", "show", "1")["last_activity_at"] == created


def test_unknown_customer(two: Kk, db_path: Path) -> None:
    fails(two, db_path, "activity", "add", "CUS-0042", "--name", "x", words=["CUS-0042"])
