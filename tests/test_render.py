"""Tables as a pipe sees them: plain text, one line per row, as wide as $COLUMNS."""

from __future__ import annotations

import pytest

from kk import render

COLUMNS = [("number", "Number"), ("display_name", "Name"), ("city", "City"), ("email", "Email")]
ROWS = [
    {"number": "CUS-0001", "display_name": "Müller & Söhne Maschinenbau GmbH & Co. KG",
     "city": "Frankfurt am Main", "email": "info@mueller-soehne-maschinenbau.de"},
    {"number": "CUS-0002", "display_name": "Groß, Jürgen", "city": "Köln", "email": None},
]  # fmt: skip


def test_piped_table_is_plain_fits_columns_and_cuts_with_an_ellipsis(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "70")
    render.table(ROWS, COLUMNS)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Number", "Name", "City", "Email"]
    assert set(lines[1]) == {"─"}
    assert len(lines) == 4
    assert all(len(line) <= 70 for line in lines)
    assert lines[2].startswith("CUS-0001   Müller & Söhne")
    assert "…" in lines[2]
    assert "\x1b[" not in "".join(lines)
    assert lines[3].split() == ["CUS-0002", "Groß,", "Jürgen", "Köln"]


def test_narrow_output_drops_trailing_columns_whole(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    render.table(ROWS, COLUMNS)
    header = capsys.readouterr().out.splitlines()[0].split()
    assert header[:2] == ["Number", "Name"] and "Email" not in header


def test_wide_output_shows_everything_uncut(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    render.table(ROWS, COLUMNS)
    out = capsys.readouterr().out
    assert "Müller & Söhne Maschinenbau GmbH & Co. KG" in out
    assert "info@mueller-soehne-maschinenbau.de" in out and "…" not in out


def test_stored_utc_times_are_shown_in_local_time(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import time

    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        render.table([{"at": "2026-11-23T13:44:59+00:00"}, {"at": "2026-07-01T22:30:00+00:00"}],
                     [("at", "When"), ("x", "X")])  # fmt: skip
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    out = capsys.readouterr().out
    assert "23.11.2026 14:44" in out and "02.07.2026 00:30" in out


def test_a_terminal_gets_the_rich_table(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    render.table(ROWS, COLUMNS, styles=lambda row: "red")
    assert "\x1b[" in capsys.readouterr().out  # rich styles (NO_COLOR is pinned: bold only)
