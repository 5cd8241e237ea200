"""A real `kk import` process killed with SIGKILL half-way leaves the database exactly as it
was (one transaction) and consistent (`kk db check`), and leaves no worker behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import dump

REPO = Path(__file__).resolve().parent.parent
ROWS = 20_000


def _kk(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kk", "--db", str(db), "--user", "anna", *args],
        capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip


def _position(pid: int, path: Path) -> int | None:
    """How far process ``pid`` has read ``path`` (its file offset), None if not open."""
    fds = Path(f"/proc/{pid}/fd")
    try:
        for fd in fds.iterdir():
            try:
                if Path(os.readlink(fd)) == path:
                    info = Path(f"/proc/{pid}/fdinfo/{fd.name}").read_text()
                    return int(info.split("pos:")[1].split()[0])
            except OSError:
                continue
    except OSError:
        return None
    return None


def _children(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if f"\nPPid:\t{pid}\n" in text:
            found.append(int(status.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "kunden.csv"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "gen_customers.py"), "-n", str(ROWS),
         "-o", str(path)],
        check=True, capture_output=True, cwd=REPO,
    )  # fmt: skip
    return path


@pytest.mark.parametrize("fraction", [0.4, 0.9])
def test_kill_9_during_an_import_changes_nothing(
    tmp_path: Path, migrated_template: Path, big_csv: Path, fraction: float
) -> None:
    db = tmp_path / "kk.db"
    shutil.copyfile(migrated_template, db)
    assert _kk(db, "customer", "add", "--first-name", "Vor", "--last-name", "Her").returncode == 0
    before = dump(db)
    size = big_csv.stat().st_size
    process = subprocess.Popen(
        [sys.executable, "-m", "kk", "--db", str(db), "--user", "anna", "import", "csv",
         str(big_csv), "--jobs", "1"],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    workers: list[int] = []
    while True:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline, "the import never got that far"
        position = _position(process.pid, big_csv)
        if position is not None and position >= size * fraction:
            workers = _children(process.pid)
            break
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL

    assert dump(db) == before
    check = _kk(db, "db", "check")
    assert check.returncode == 0 and check.stdout.strip().endswith(": ok"), check.stderr
    assert workers, "the import should have used a worker process"
    gone_by = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < gone_by:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers), "a worker outlived the killed import"
    if fraction < 0.5:
        return
    # and the same database still takes the whole file afterwards
    done = _kk(db, "import", "csv", str(big_csv))
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"imported {ROWS}" in done.stderr
