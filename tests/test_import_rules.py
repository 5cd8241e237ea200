"""The rules of `kk import`: all or nothing with exact line numbers, reject files in the
input's own format, --dry-run, duplicates in each mode, idempotent upserts, numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Kk, dump
from tests.import_helpers import DATA, EXAMPLES, by_name, csv_bytes, customers, ready, write

HEADER = ["Firma", "Vorname", "Nachname", "PLZ", "Ort", "E-Mail", "USt-IdNr", "Notizen"]


def _row(first: str, last: str, plz: str = "10115", email: str = "", vat: str = "",
         notes: str = "", firm: str = "") -> list[str]:  # fmt: skip
    return [firm, first, last, plz, "Berlin", email, vat, notes]


# --- all or nothing ----------------------------------------------------------------------


def test_a_bad_row_after_a_multiline_note_is_reported_by_its_physical_line(
    kk: Kk, tmp_path: Path
) -> None:
    rows = [
        HEADER,
        _row("Anna", "Alt", notes='erste Zeile\nzweite Zeile\ndritte; mit "Zitat"'),
        _row("Bert", "Bad", plz="1011"),
        _row("Carla", "Gut"),
        _row("Dora", "Doof", email="dora(at)example.de"),
    ]
    path = write(tmp_path / "k.csv", csv_bytes(rows))
    before = ready(kk)
    result = kk("import", "csv", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "line 5, column 'PLZ', value '1011': not a valid postal code for DE (5 digits)",
        "line 7, column 'E-Mail', value 'dora(at)example.de': not a valid email address "
        "(An email address must have an @-sign.)",
        "read 4, imported 0, updated 0, skipped 0, rejected 2, " + _seconds(result.stderr),
        "kk: nothing imported: 2 of 4 rows are invalid (fix them, or pass --skip-invalid to "
        "import the others)",
    ]
    assert dump(kk.path) == before


def _seconds(stderr: str) -> str:
    line = next(x for x in stderr.splitlines() if x.startswith("read "))
    return line.rsplit(", ", 1)[1]


def test_the_broken_example_reports_every_bad_row(kk: Kk) -> None:
    before = ready(kk)
    result = kk("import", "csv", str(EXAMPLES / "kaputt.csv"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:5] == [
        "line 4: the row contains a NUL byte (binary data, not text)",
        "line 5: the row has 11 cells but the header has 10",
        "line 6, column 'PLZ', value '1067': not a valid postal code for DE (5 digits)",
        "line 7, column 'E-Mail', value 'erika(at)example.de': not a valid email address "
        "(An email address must have an @-sign.)",
        "line 8, column 'USt-IdNr', value 'DE136695978': not a valid VAT ID (checksum)",
    ]
    assert dump(kk.path) == before


def test_every_bad_field_of_a_row_is_named_in_its_one_report_line(kk: Kk, tmp_path: Path) -> None:
    rows = [HEADER, _row("Eva", "Elf", plz="1", email="nope", vat="DE1")]
    result = kk("import", "csv", str(write(tmp_path / "x.csv", csv_bytes(rows))))
    bad = [line for line in result.stderr.splitlines() if line.startswith("line")]
    assert len(bad) == 1
    assert "column 'PLZ', value '1'" in bad[0]
    assert "column 'E-Mail', value 'nope'" in bad[0]
    assert "column 'USt-IdNr', value 'DE1'" in bad[0]


def test_a_missing_name_is_reported_with_its_column(kk: Kk, tmp_path: Path) -> None:
    rows = [HEADER, _row("", "Ohnevorname"), _row("", "", firm="")]
    result = kk("import", "csv", str(write(tmp_path / "x.csv", csv_bytes(rows))))
    assert result.exit_code == 1
    assert (
        "line 2, column 'Vorname', value '': a private customer needs a first and a last name"
        in result.stderr
    )


# --- dry run -----------------------------------------------------------------------------


def test_dry_run_checks_everything_and_writes_nothing(kk: Kk) -> None:
    before = ready(kk)
    good = kk("import", "csv", str(DATA / "excel_de_cp1252.csv"), "--dry-run")
    assert good.exit_code == 0
    assert "dry run, nothing written: read 5, imported 5" in good.stderr
    bad = kk("import", "csv", str(EXAMPLES / "kaputt.csv"), "--dry-run")
    assert bad.exit_code == 1 and "line 6, column 'PLZ'" in bad.stderr
    assert dump(kk.path) == before


def test_dry_run_finds_duplicates_inside_the_file_too(kk: Kk, tmp_path: Path) -> None:
    rows = [HEADER, _row("Ina", "Eins", email="ina@example.de"),
            _row("Ina", "Zwei", email="ina@example.de")]  # fmt: skip
    result = kk("import", "csv", str(write(tmp_path / "d.csv", csv_bytes(rows))), "--dry-run")
    assert result.exit_code == 1
    assert (
        "line 3, column 'E-Mail', value 'ina@example.de': duplicate: line 2 has the same "
        "e-mail address" in result.stderr
    )


# --- skip invalid and reject files -------------------------------------------------------


def test_skip_invalid_imports_the_good_rows_and_writes_the_bad_ones_as_cp1252_csv(
    kk: Kk, tmp_path: Path
) -> None:
    rows = [HEADER, _row("Jörg", "Gut"), _row("Änne", "Schlecht", plz="123"), _row("Ute", "Gut")]
    path = write(tmp_path / "in.csv", csv_bytes(rows, encoding="cp1252"))
    rejects = tmp_path / "rejects.csv"
    result = kk("import", "csv", str(path), "--skip-invalid", "--reject-file", str(rejects))
    assert result.exit_code == 0, result.stderr
    assert "read 3, imported 2, updated 0, skipped 0, rejected 1" in result.stderr
    assert [r["last_name"] for r in customers(kk)] == ["Gut", "Gut"]
    data = rejects.read_bytes()
    assert "Änne".encode("cp1252") in data and b"\r\n" in data  # same encoding, line ends
    lines = data.decode("cp1252").splitlines()
    assert lines[0] == ";".join([*HEADER, "reject_reason"])  # same header and delimiter
    assert lines[1] == (
        ";Änne;Schlecht;123;Berlin;;;;line 3, column 'PLZ', value '123': not a valid postal "
        "code for DE (5 digits)"
    )
    assert len(lines) == 2


def test_a_corrected_reject_file_imports_as_it_is(kk: Kk, tmp_path: Path) -> None:
    rows = [HEADER, _row("Änne", "Schlecht", plz="123")]
    path = write(tmp_path / "in.csv", csv_bytes(rows))
    rejects = tmp_path / "rejects.csv"
    kk("import", "csv", str(path), "--skip-invalid", "--reject-file", str(rejects))
    fixed = rejects.read_text(encoding="utf-8").replace(";123;", ";12345;")
    result = kk("import", "csv", str(write(tmp_path / "fixed.csv", fixed)))
    assert result.exit_code == 0, result.stderr
    assert customers(kk)[0]["postal_code"] == "12345"


def test_jsonl_rejects_are_json_lines_with_a_reason(kk: Kk, tmp_path: Path) -> None:
    lines = [
        {"first_name": "Eva", "last_name": "Gut", "postal_code": "01067"},
        {"first_name": "Udo", "last_name": "Bad", "postal_code": "1067"},
        "kein JSON",
    ]
    text = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
    path = write(tmp_path / "in.jsonl", text)
    rejects = tmp_path / "r.jsonl"
    result = kk("import", "jsonl", str(path), "--skip-invalid", "--reject-file", str(rejects))
    assert result.exit_code == 0, result.stderr
    got = [json.loads(x) for x in rejects.read_text(encoding="utf-8").splitlines()]
    assert got[0] == {
        "first_name": "Udo", "last_name": "Bad", "postal_code": "1067",
        "reject_reason": "line 2, key 'postal_code', value '1067': not a valid postal code "
        "for DE (5 digits)",
    }  # fmt: skip
    assert got[1]["reject_line"] == "kein JSON"
    assert got[1]["reject_reason"].startswith("line 3: ")


def test_vcard_rejects_are_cards_with_a_reason(kk: Kk, tmp_path: Path) -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Bad;Udo;;;\r\nFN:Udo Bad\r\n"
        "EMAIL:udo(at)example.de\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Gut;Eva;;;\r\nFN:Eva Gut\r\nEND:VCARD\r\n"
    )
    rejects = tmp_path / "r.vcf"
    result = kk("import", "vcard", str(write(tmp_path / "in.vcf", card)), "--skip-invalid",
                "--reject-file", str(rejects))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    text = rejects.read_bytes().decode("utf-8")
    assert text.count("BEGIN:VCARD") == 1 and "N:Bad;Udo;;;" in text
    assert "X-KK-REJECT-REASON:card 1 (line 1)\\, property 'EMAIL'" in text
    assert text.endswith("END:VCARD\r\n")
    assert [r["last_name"] for r in customers(kk)] == ["Gut"]


# --- duplicates --------------------------------------------------------------------------


def _dupes(tmp_path: Path) -> Path:
    rows = [
        HEADER,
        _row("Ina", "Eins", email="ina@example.de"),
        _row("Ina", "Doppelt", email="ina@example.de"),
        _row("Otto", "Firma", firm="Otto AG", vat="DE136695976"),
    ]
    return write(tmp_path / "d.csv", csv_bytes(rows))


def test_duplicates_are_errors_by_default_inside_the_file_and_against_the_database(
    kk: Kk, tmp_path: Path
) -> None:
    kk.ok("customer", "add", "--company-name", "Alt AG", "--vat-id", "DE 136 695 976")
    before = dump(kk.path)
    result = kk("import", "csv", str(_dupes(tmp_path)))
    assert result.exit_code == 1
    assert (
        "line 3, column 'E-Mail', value 'ina@example.de': duplicate: line 2 has the same "
        "e-mail address (--on-duplicate skip or update)" in result.stderr
    )
    assert (
        "line 4, column 'USt-IdNr', value 'DE136695976': duplicate: CUS-0001 has this VAT ID "
        "already" in result.stderr
    )
    assert dump(kk.path) == before


def test_skip_keeps_the_first_and_the_stored_customer(kk: Kk, tmp_path: Path) -> None:
    kk.ok("customer", "add", "--company-name", "Alt AG", "--vat-id", "DE136695976")
    result = kk("import", "csv", str(_dupes(tmp_path)), "--on-duplicate", "skip")
    assert result.exit_code == 0, result.stderr
    assert "read 3, imported 1, updated 0, skipped 2, rejected 0" in result.stderr
    assert [r["display_name"] for r in customers(kk)] == ["Alt AG", "Eins, Ina"]


def test_update_changes_the_matched_customer_and_audits_it(kk: Kk, tmp_path: Path) -> None:
    kk.ok("customer", "add", "--company-name", "Alt AG", "--vat-id", "DE136695976",
          "--city", "Bonn")  # fmt: skip
    result = kk("import", "csv", str(_dupes(tmp_path)), "--on-duplicate", "update")
    assert result.exit_code == 0, result.stderr
    assert "read 3, imported 1, updated 2" in result.stderr
    records = customers(kk)
    assert [(r["number"], r["display_name"], r["city"]) for r in records] == [
        ("CUS-0001", "Otto AG", "Berlin"),
        ("CUS-0002", "Doppelt, Ina", "Berlin"),
    ]
    history = kk.json("customer", "history", "CUS-0001")
    changes = {(h["action"], h["field"], h["old"], h["new"]) for h in history}
    assert ("import", "city", "Bonn", "Berlin") in changes
    assert ("import", "company_name", "Alt AG", "Otto AG") in changes


def test_an_upsert_run_twice_changes_nothing_the_second_time(kk: Kk, tmp_path: Path) -> None:
    kk.ok("customer", "add", "--company-name", "Alt AG", "--vat-id", "DE136695976")
    path = str(DATA / "excel_de_cp1252.csv")
    kk.ok("import", "csv", path, "--on-duplicate", "update")
    after_first = dump(kk.path)
    second = kk("import", "csv", path, "--on-duplicate", "update")
    assert second.exit_code == 0
    assert "imported 0, updated 0, skipped 5" in second.stderr
    assert dump(kk.path) == after_first  # not even updated_at or the audit log


def test_an_export_imported_back_as_upsert_changes_nothing(kk: Kk, tmp_path: Path) -> None:
    kk.ok("import", "vcard", str(DATA / "contacts_v40.vcf"))
    for fmt in ("csv", "jsonl", "vcard"):
        exported = tmp_path / f"all.{fmt}"
        kk.ok("export", fmt, "-o", str(exported))
        before = dump(kk.path)
        kk.ok("import", fmt, str(exported), "--on-duplicate", "update")
        assert dump(kk.path) == before, fmt


def test_update_refuses_a_row_that_matches_two_customers(kk: Kk, tmp_path: Path) -> None:
    kk.ok("customer", "add", "--first-name", "A", "--last-name", "A", "--email", "a@example.de")
    kk.ok("customer", "add", "--company-name", "B AG", "--vat-id", "DE136695976")
    rows = [HEADER, _row("A", "A", firm="B AG", email="a@example.de", vat="DE136695976")]
    result = kk("import", "csv", str(write(tmp_path / "x.csv", csv_bytes(rows))),
                "--on-duplicate", "update")  # fmt: skip
    assert result.exit_code == 1
    assert "matches two customers" in result.stderr


# --- numbers -----------------------------------------------------------------------------


def test_rows_keep_their_free_numbers_and_the_others_get_new_ones(kk: Kk, tmp_path: Path) -> None:
    rows = [
        ["Kundennummer", "Vorname", "Nachname"],
        ["", "Ohne", "Nummer"],  # gets CUS-0001 ...
        ["CUS-0001", "Mit", "Eins"],  # ... which this row brings: the one above moves
        ["7", "Mit", "Sieben"],
        ["", "Auch", "Ohne"],
    ]
    kk.ok("import", "csv", str(write(tmp_path / "n.csv", csv_bytes(rows))))
    got = [(r["number"], r["last_name"]) for r in customers(kk)]
    assert got == [("CUS-0001", "Eins"), ("CUS-0002", "Nummer"), ("CUS-0007", "Sieben"),
                   ("CUS-0008", "Ohne")]  # fmt: skip
    kk.ok("customer", "add", "--first-name", "Neu", "--last-name", "Danach")
    assert customers(kk)[-1]["number"] == "CUS-0009"
    assert kk.ok("db", "check").strip().endswith("ok")


def test_a_number_given_before_is_never_given_again(kk: Kk, tmp_path: Path) -> None:
    kk.ok("customer", "add", "--first-name", "A", "--last-name", "A")
    kk.ok("customer", "add", "--first-name", "B", "--last-name", "B")
    rows = [["Kundennummer", "Vorname", "Nachname"], ["CUS-0002", "C", "C"]]
    result = kk("import", "csv", str(write(tmp_path / "n.csv", csv_bytes(rows))))
    assert "line 2, column 'Kundennummer', value 'CUS-0002': duplicate: CUS-0002 exists" in (
        result.stderr
    )


@pytest.mark.parametrize("jobs", ["0", "2"])
def test_worker_processes_give_the_same_result(kk: Kk, tmp_path: Path, jobs: str) -> None:
    rows = [HEADER] + [
        _row(f"Vor{i}", f"Nach{i}", plz=f"{i % 90000 + 10000:05d}", email=f"p{i}@example.de")
        for i in range(5000)
    ]
    rows[2500][3] = "bad"
    path = write(tmp_path / "many.csv", csv_bytes(rows))
    result = kk("import", "csv", str(path), "--jobs", jobs, "--skip-invalid")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        "line 2501, column 'PLZ', value 'bad': not a valid postal code for DE (5 digits)"
    )
    records = customers(kk)
    assert len(records) == 4999
    assert records[-1]["email"] == "p4999@example.de"


def test_json_summary_on_stdout(kk: Kk) -> None:
    out = kk.ok("import", "csv", str(DATA / "excel_de_cp1252.csv"), "--format", "json")
    summary = json.loads(out)
    assert {k: summary[k] for k in ("read", "imported", "rejected", "committed")} == {
        "read": 5, "imported": 5, "rejected": 0, "committed": True,
    }  # fmt: skip


def test_labels_and_names_survive(kk: Kk) -> None:
    kk.ok("import", "csv", str(DATA / "excel_de_cp1252.csv"))
    labels = {row["name"]: row["customers"] for row in kk.json("label", "list")}
    assert labels["Großkunde"] == 2
    assert by_name(customers(kk))["Großmann, Fritz"]["labels"] == []


def test_the_search_index_rows_are_those_a_rebuild_writes(kk: Kk, tmp_path: Path) -> None:
    rows = [["Kundennummer", "Firma", "Vorname", "Nachname", "E-Mail", "Telefon", "Ort"]]
    rows += [["", f"Bäckerei Nüßl {i}" if i % 2 else "", f"Jörg{i}", f"Müller-{i}",
              f"j{i}@müller.example" if i % 3 else f"j{i}@mueller.de", "030 1234567", "Köln"]
             for i in range(3000)]  # fmt: skip
    rows.insert(5, ["CUS-0002", "", "Mit", "Zwei", "", "", ""])  # moves a row of its batch
    rows.insert(2600, ["CUS-0001", "", "Mit", "Eins", "", "", ""])  # moves a written row
    path = write(tmp_path / "many.csv", csv_bytes(rows))
    kk.ok("import", "csv", str(path), "--jobs", "1")
    numbers = {r["last_name"]: r["number"] for r in customers(kk)}
    assert (numbers["Eins"], numbers["Zwei"]) == ("CUS-0001", "CUS-0002")
    assert len(set(numbers.values())) == 3002

    def index() -> list[tuple[object, ...]]:
        import sqlite3

        with sqlite3.connect(kk.path) as connection:
            return sorted(connection.execute("SELECT rowid, * FROM customer_fts"))

    written = index()
    assert len(written) == 3002
    kk.ok("db", "reindex")
    assert index() == written


def test_a_bulk_import_rebuilds_the_indexes_it_dropped(
    kk: Kk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from kk.services import import_store

    monkeypatch.setattr(import_store, "BULK_ROWS", 1000)
    dropped: list[bool] = []
    drop = import_store.Store._drop_indexes

    def spy(self: import_store.Store) -> None:
        dropped.append(True)
        drop(self)

    monkeypatch.setattr(import_store.Store, "_drop_indexes", spy)

    def schema() -> list[tuple[str, str]]:
        with sqlite3.connect(kk.path) as connection:
            return sorted(connection.execute("SELECT name, sql FROM sqlite_master"))

    before = schema()
    rows = [HEADER] + [_row(f"V{i}", f"N{i}", email=f"n{i}@example.de") for i in range(4500)]
    kk.ok("import", "csv", str(write(tmp_path / "bulk.csv", csv_bytes(rows))))
    assert dropped == [True]
    assert schema() == before
    with sqlite3.connect(kk.path) as connection:
        plan = " ".join(row[-1] for row in connection.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM customer ORDER BY sort_key, id LIMIT 5"
        ))  # fmt: skip
    assert "ix_customer_sort" in plan
    with sqlite3.connect(kk.path) as connection:  # merged once at the end, merging again
        segments = connection.execute("SELECT count(DISTINCT segid) FROM customer_fts_idx")
        assert segments.fetchone()[0] == 1
        config = dict(connection.execute("SELECT k, v FROM customer_fts_config"))
    assert config.get("automerge") == 4
    assert [h["number"] for h in kk.json("customer", "search", "n4321")] == ["CUS-4322"]
    assert kk.ok("db", "check").strip().endswith("ok")


def test_archived_customers_come_back_archived(kk: Kk, tmp_path: Path) -> None:
    from kk import db

    kk.ok("customer", "add", "--first-name", "Alt", "--last-name", "Kunde")
    kk.ok("customer", "add", "--first-name", "Neu", "--last-name", "Kunde")
    kk.ok("customer", "archive", "1", "--reason", "verzogen", "--yes")
    exported = tmp_path / "alle.csv"
    kk.ok("export", "csv", "--include-archived", "-o", str(exported))
    fresh = Kk(tmp_path / "fresh.db")
    fresh.ok("import", "csv", str(exported))
    again = tmp_path / "wieder.csv"
    fresh.ok("export", "csv", "--include-archived", "-o", str(again))
    assert again.read_bytes() == exported.read_bytes()
    archived = [json.loads(x) for x in fresh.ok("export", "jsonl", "--archived").splitlines()]
    assert [(r["first_name"], r["archive_reason"]) for r in archived] == [("Alt", "verzogen")]
    db.forget(fresh.path)


# --- history stamps ------------------------------------------------------------------------


def test_stamps_are_kept_in_kk_form_and_other_forms_become_utc(kk: Kk, tmp_path: Path) -> None:
    rows = [
        ["first_name", "last_name", "created_at", "updated_at"],
        ["Anna", "Alt", "2021-12-26T14:35:59+00:00", "2022-01-02T03:04:05Z"],
        ["Bert", "Bunt", "2021-12-26 15:35:59+01:00", "2021-12-26T14:35:59"],
    ]
    path = write(tmp_path / "k.csv", csv_bytes(rows, delimiter=","))
    kk.ok("import", "csv", str(path))
    found = by_name(customers(kk))
    assert found["Alt, Anna"]["created_at"] == "2021-12-26T14:35:59+00:00"
    assert found["Alt, Anna"]["updated_at"] == "2022-01-02T03:04:05+00:00"
    assert found["Bunt, Bert"]["created_at"] == "2021-12-26T14:35:59+00:00"
    assert found["Bunt, Bert"]["updated_at"] == "2021-12-26T14:35:59+00:00"


def test_a_stamp_in_kk_form_of_a_day_that_does_not_exist_is_refused(kk: Kk, tmp_path: Path) -> None:
    rows = [["first_name", "last_name", "created_at"], ["Anna", "Alt", "2021-06-31T10:00:00+00:00"]]
    path = write(tmp_path / "k.csv", csv_bytes(rows, delimiter=","))
    before = ready(kk)
    result = kk("import", "csv", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "line 2, column 'created_at', value '2021-06-31T10:00:00+00:00': not a timestamp "
        "(e.g. 2026-11-23T13:44:59+00:00)"
    )
    assert dump(kk.path) == before


def test_a_label_with_a_semicolon_is_refused_by_line_since_csv_would_split_it(
    kk: Kk, tmp_path: Path
) -> None:
    lines = [
        '{"first_name": "Anna", "last_name": "Alt", "labels": ["VIP"]}',
        '{"first_name": "Bert", "last_name": "Bunt", "labels": ["Handwerk;Süd"]}',
    ]
    path = write(tmp_path / "k.jsonl", "\n".join(lines) + "\n")
    before = ready(kk)
    result = kk("import", "jsonl", str(path))
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("line 2, key 'labels', value 'Handwerk;Süd': ")
    assert "contains ';'" in first
    assert dump(kk.path) == before


@pytest.mark.parametrize(("cores", "workers"), [(None, 1), (1, 1), (2, 1), (3, 2), (16, 4)])
def test_rows_are_checked_by_one_worker_per_core_beyond_the_first(
    cores: int | None, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As `kk import --jobs` says: the writing process keeps a core of its own."""
    import os

    from kk.services import import_workers

    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    assert import_workers.default_jobs() == workers
