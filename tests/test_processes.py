"""The installed `kk` as a real process: start-up, concurrency, import hygiene, help."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

KK = shutil.which("kk", path=str(Path(sys.executable).parent)) or "kk"


def run(
    *args: str, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    merged = {**os.environ, **(env or {})}
    result = subprocess.run([KK, *args], capture_output=True, text=True, env=merged, timeout=120)
    if check:
        assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    return result


def test_version_and_help() -> None:
    from kk import __version__

    assert run("--version").stdout.strip() == f"kk {__version__}"
    help_text = run("--help").stdout
    for command in ("customer", "user", "config", "db", "demo"):
        assert command in help_text


def test_installed_kk_adds_lists_and_reports_errors(db_path: Path) -> None:
    base = ["--db", str(db_path), "--user", "anna"]
    assert run(*base, "customer", "add", "--first-name", "Jürgen", "--last-name", "Groß",
               "--postal-code", "01067").stdout == "CUS-0001\n"  # fmt: skip
    rows = json.loads(run(*base, "customer", "list", "--format", "json").stdout)
    assert rows[0]["postal_code"] == "01067"
    table = run(*base, "customer", "list", env={"COLUMNS": "120"}).stdout
    assert "Groß, Jürgen" in table and "\x1b[" not in table  # plain when piped
    bad = run(*base, "customer", "add", "--first-name", "A", "--last-name", "B",
              "--postal-code", "1067", check=False)  # fmt: skip
    assert bad.returncode == 1
    assert bad.stderr.count("\n") == 1 and "--postal-code" in bad.stderr
    assert "Traceback" not in bad.stderr
    usage = run(*base, "customer", "list", "--format", "xml", check=False)
    assert usage.returncode == 2


ADDER = """
import sys
from typer.testing import CliRunner
from kk.cli import app
runner = CliRunner()
for i in range(100):
    r = runner.invoke(app, ["--db", sys.argv[1], "--user", "anna", "customer", "add",
                            "--first-name", f"P{sys.argv[2]}", "--last-name", f"N{i}"])
    assert r.exit_code == 0, r.output
"""


def test_two_processes_adding_at_once_get_distinct_consecutive_numbers(
    db_path: Path, tmp_path: Path
) -> None:
    from tests.conftest import Kk

    Kk(db_path).ok("user", "list")  # anna becomes the first admin
    script = tmp_path / "adder.py"
    script.write_text(ADDER)
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(db_path), tag], stderr=subprocess.PIPE, text=True
        )
        for tag in ("a", "b")
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    import sqlite3

    with sqlite3.connect(db_path) as connection:
        numbers = [row[0] for row in connection.execute("SELECT number FROM customer ORDER BY id")]
        by_process = {
            row[0]: row[1]
            for row in connection.execute(
                "SELECT substr(first_name, 2), count(*) FROM customer GROUP BY 1"
            )
        }
    assert numbers == [f"CUS-{i:04d}" for i in range(1, 201)]
    assert by_process == {"a": 100, "b": 100}


HYGIENE = """
import sys
from typer.testing import CliRunner
from kk.cli import app
args = sys.argv[2:]
result = CliRunner().invoke(app, ["--db", sys.argv[1], "--user", "anna", *args])
assert result.exit_code == 0, result.output
HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "textual", "fpdf", "msal", "vobject")
heavy = sorted(m for m in HEAVY
               if m in sys.modules)
print(",".join(heavy))
assert "kk" in sys.modules
"""


@pytest.mark.parametrize(
    "args",
    [("customer", "list"), ("customer", "search", "müller"), ("customer", "show", "1"),
     ("customer", "list", "--format", "json"), ("label", "list"), ("user", "list"),
     ("customer", "filter", "kind:private -label:x created>=2020-01-01 müller"),
     ("customer", "search", "mül", "--format", "json"), ("selection", "run", "mine"),
     ("selection", "list"), ("selection", "show", "mine"),
     ("selection", "save", "other", "city:berlin")],
)  # fmt: skip
def test_read_commands_do_not_import_heavy_libraries(
    db_path: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    from tests.conftest import Kk

    Kk(db_path).ok("customer", "add", "--first-name", "Jürgen", "--last-name", "Müller")
    Kk(db_path).ok("selection", "save", "mine", "kind:private müller")
    script = tmp_path / "hygiene.py"
    script.write_text(HYGIENE)
    result = subprocess.run([sys.executable, str(script), str(db_path), *args],
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", "heavy imports on the read path"


def test_help_does_not_import_rich_or_command_modules() -> None:
    code = (
        "import sys\nfrom typer.testing import CliRunner\nfrom kk.cli import app\n"
        "CliRunner().invoke(app, ['--help'])\n"
        "print(sorted(m for m in sys.modules\n"
        "             if m.startswith(('kk.commands.', 'rich', 'sqlalchemy'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("module", ["kk.services.queries", "kk.services.customers", "kk.models",
                                    "kk.db", "kk.validation", "kk.formats.csv_in"])  # fmt: skip
def test_the_core_never_imports_a_face(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'textual') "
        "or m.startswith(('kk.commands', 'kk.tui', 'kk.cli'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def _walk(command, path):  # type: ignore[no-untyped-def]
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _walk(sub, [*path, name])


def test_every_command_has_help_text() -> None:
    import typer

    from kk.cli import COMMANDS, LazyGroup, available

    group = typer.main.get_command(__import__("kk.cli", fromlist=["app"]).app)
    assert isinstance(group, LazyGroup)
    for name in available():
        command = group.get_command(None, name)
        for path, sub in _walk(command, [name]):
            assert (sub.help or "").strip(), " ".join(path)
    assert set(available()) <= set(COMMANDS)
