"""Users and roles; config.toml defaults."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.conftest import Kk


def test_first_actor_is_admin_then_admins_manage_users(kk: Kk) -> None:
    assert [u["role"] for u in kk.json("user", "list")] == ["admin"]
    kk.ok("user", "add", "bob")
    kk.ok("user", "add", "carla", "--role", "admin")
    users = {u["name"]: u["role"] for u in kk.json("user", "list")}
    assert users == {"anna": "admin", "bob": "user", "carla": "admin"}
    assert kk("user", "add", "bob").exit_code == 1  # exists
    refused = kk("user", "role", "carla", "user", user="bob")
    assert refused.exit_code == 1 and "admin" in refused.stderr
    kk.ok("user", "role", "bob", "admin", user="carla")
    kk.ok("user", "role", "anna", "user", user="bob")
    users = {u["name"]: u["role"] for u in kk.json("user", "list", user="bob")}
    assert users == {"anna": "user", "bob": "admin", "carla": "admin"}


def test_a_plain_user_may_work_but_not_restore(kk: Kk) -> None:
    kk.ok("user", "add", "bob")
    kk.ok("customer", "add", "--first-name", "A", "--last-name", "B", user="bob")
    kk.ok("customer", "archive", "1", "--yes", user="bob")
    assert kk("customer", "restore", "1", user="bob").exit_code == 1
    kk.ok("customer", "restore", "1", user="anna")


def test_unknown_users_are_refused_with_a_hint(kk: Kk) -> None:
    kk.ok("user", "list")
    result = kk("customer", "list", user="zoe")
    assert result.exit_code == 1
    assert "unknown user 'zoe'" in result.stderr and "kk user add zoe" in result.stderr


def test_config_set_get_list_unset(kk: Kk, tmp_path: Path) -> None:
    kk.ok("config", "set", "country", "Österreich")
    kk.ok("config", "set", "company.name", "Müller & Söhne GmbH")
    assert kk.ok("config", "get", "country") == "AT\n"
    assert kk.json("config", "list") == [
        {"key": "country", "value": "AT"},
        {"key": "company.name", "value": "Müller & Söhne GmbH"},
    ]
    path = tmp_path / "config" / "config.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data == {"country": "AT", "company": {"name": "Müller & Söhne GmbH"}}
    kk.ok("config", "unset", "country")
    assert kk("config", "get", "country").exit_code == 1
    assert kk("config", "set", "format", "xml").exit_code == 1
    assert kk("config", "get", "nonsense").exit_code == 1


def test_config_country_is_the_default_for_new_customers(kk: Kk) -> None:
    kk.ok("config", "set", "country", "CH")
    out = kk.json("customer", "add", "--first-name", "Urs", "--last-name", "Zürcher",
                  "--postal-code", "8001")  # fmt: skip
    assert out["country"] == "CH"
    assert out["postal_code"] == "8001"


def test_config_user_and_db_are_used_without_flags(tmp_path: Path, db_path: Path) -> None:
    from typer.testing import CliRunner

    from kk.cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["config", "set", "db", str(db_path)]).exit_code == 0
    assert runner.invoke(app, ["config", "set", "user", "frieda"]).exit_code == 0
    result = runner.invoke(app, ["customer", "add", "--first-name", "A", "--last-name", "B"])
    assert result.exit_code == 0, result.stderr
    assert Kk(db_path).json("customer", "show", "1", user="frieda")["created_by"] == "frieda"
