"""`kk demo`: a throw-away database full of realistic, deterministic German customers."""

from __future__ import annotations

import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import pytest
from stdnum import iban
from typer.testing import CliRunner

from kk import db, validation
from kk.cli import app


def _customers(path: Path) -> list[tuple[str, ...]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(
            "SELECT number, display_name, postal_code, city, vat_id, email "
            "FROM customer ORDER BY id"
        ).fetchall()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    result = CliRunner().invoke(app, ["--user", "anna", "demo", "--db", str(path)])
    assert result.exit_code == 0, result.stderr
    db.forget(path)
    return path, result.stdout


def test_demo_fills_about_200_realistic_customers_and_shows_them(demo_db: tuple[Path, str]) -> None:
    path, table = demo_db
    rows = _customers(path)
    assert 150 <= len(rows) <= 250
    assert any(code.startswith("0") for _n, _d, code, *_ in rows if code)
    names = " ".join(row[1] for row in rows)
    assert any(ch in names for ch in "äöüß")
    assert any(
        name.endswith(("GmbH", "AG", "e.K.", "UG (haftungsbeschränkt)")) for _n, name, *_ in rows
    )
    vat_ids = [row[4] for row in rows if row[4]]
    assert vat_ids and all(validation.vat_id(v) == v for v in vat_ids)
    with closing(sqlite3.connect(path)) as connection:
        ibans = [
            r[0] for r in connection.execute("SELECT iban FROM bank_account WHERE iban IS NOT NULL")
        ]
        persons = connection.execute("SELECT count(*) FROM contact_person").fetchone()[0]
        admin = connection.execute("SELECT name, role FROM app_user").fetchall()
    assert ibans and all(iban.is_valid(i) for i in ibans)
    assert persons > 0
    assert admin == [("anna", "admin")]
    assert rows[0][0] in table and "Number" in table


def test_demo_is_deterministic(demo_db: tuple[Path, str], tmp_path: Path) -> None:
    path, _table = demo_db
    again = tmp_path / "again.db"
    assert CliRunner().invoke(app, ["demo", "--db", str(again)]).exit_code == 0
    assert _customers(again) == _customers(path)
    db.forget(again)


def test_demo_never_touches_kk_db_or_an_existing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    precious = tmp_path / "precious.db"
    monkeypatch.setenv("KK_DB", str(precious))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    result = CliRunner().invoke(app, ["demo"])
    assert result.exit_code == 0, result.stderr
    assert not precious.exists()
    created = list((tmp_path / "tmp").glob("kk-demo-*/kk.db"))
    assert len(created) == 1 and str(created[0]) in result.stderr
    existing = tmp_path / "existing.db"
    existing.write_bytes(b"")
    refused = CliRunner().invoke(app, ["demo", "--db", str(existing)])
    assert refused.exit_code == 1 and "exists" in refused.stderr
    db.forget(created[0])
