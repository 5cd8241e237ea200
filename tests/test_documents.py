"""`kk document add|list|export|remove`: files stored once by SHA-256 beside the database,
given back byte for byte, deleted only when no document points to them any more."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kk import db
from kk.services import documents
from tests.conftest import Kk, dump

CONTENT = "Angebot für Jürgen Groß – 1.234,56 €\n".encode()
SHA = hashlib.sha256(CONTENT).hexdigest()


def _customer(kk: Kk) -> str:
    return kk.ok("customer", "add", "--first-name", "Jürgen", "--last-name", "Groß").strip()


def _file(tmp_path: Path, name: str = "angebot.pdf", content: bytes = CONTENT) -> Path:
    path = tmp_path / "in" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    return path


def _blobs(db_path: Path) -> list[Path]:
    return sorted(p for p in db_path.with_suffix(".files").rglob("*") if p.is_file())


def test_add_stores_the_file_once_by_hash(kk: Kk, db_path: Path, tmp_path: Path) -> None:
    number = _customer(kk)
    first = kk.ok("document", "add", number, str(_file(tmp_path)), "--title", "Angebot")
    second = kk.ok("document", "add", number, str(_file(tmp_path, "kopie.pdf")))
    assert (first, second) == ("1\n", "2\n")
    blob = db_path.with_suffix(".files") / SHA[:2] / SHA
    assert _blobs(db_path) == [blob]
    assert blob.read_bytes() == CONTENT
    assert oct(blob.stat().st_mode & 0o777) == "0o600"

    rows = kk.json("document", "list", number)
    assert [list(row) for row in rows] == [list(documents.DOCUMENT_KEYS)] * 2
    one = rows[0]
    assert (one["id"], one["customer"], one["name"], one["title"]) == (
        1,
        number,
        "angebot.pdf",
        "Angebot",
    )
    assert (one["media_type"], one["size"], one["sha256"]) == ("application/pdf", len(CONTENT), SHA)
    assert one["uploaded_by"] == "anna" and one["uploaded_at"]
    assert rows[1]["name"] == "kopie.pdf" and rows[1]["title"] is None


def test_add_with_format_json_prints_the_document(kk: Kk, tmp_path: Path) -> None:
    number = _customer(kk)
    shown = json.loads(kk.ok("document", "add", number, str(_file(tmp_path)), "--format", "json"))
    assert shown["sha256"] == SHA and shown["customer"] == number


def test_export_gives_the_bytes_back(kk: Kk, tmp_path: Path) -> None:
    number = _customer(kk)
    kk.ok("document", "add", number, str(_file(tmp_path)))
    target = tmp_path / "out.pdf"
    assert kk.ok("document", "export", "1", "-o", str(target)).strip() == str(target)
    assert target.read_bytes() == CONTENT
    again = kk("document", "export", "1", "-o", str(target))
    assert again.exit_code == 1 and "exists already" in again.stderr
    kk.ok("document", "export", "1", "-o", str(target), "--force")
    folder = tmp_path / "folder"
    folder.mkdir()
    assert kk.ok("document", "export", "1", "-o", str(folder)).strip() == str(
        folder / "angebot.pdf"
    )
    result = kk("document", "export", "1", "-o", "-")
    assert result.exit_code == 0 and result.stdout_bytes == CONTENT


def test_export_refuses_a_damaged_or_missing_file(kk: Kk, db_path: Path, tmp_path: Path) -> None:
    number = _customer(kk)
    kk.ok("document", "add", number, str(_file(tmp_path)))
    [blob] = _blobs(db_path)
    blob.write_bytes(b"tampered")
    damaged = kk("document", "export", "1", "-o", str(tmp_path / "x"))
    assert damaged.exit_code == 1 and "damaged" in damaged.stderr
    blob.unlink()
    missing = kk("document", "export", "1", "-o", str(tmp_path / "x"))
    assert missing.exit_code == 1 and "missing" in missing.stderr
    assert not (tmp_path / "x").exists()


def test_remove_keeps_a_shared_file_until_the_last_one(
    kk: Kk, db_path: Path, tmp_path: Path
) -> None:
    number = _customer(kk)
    other = kk.ok("customer", "add", "--company-name", "Nachbar GmbH").strip()
    kk.ok("document", "add", number, str(_file(tmp_path)))
    kk.ok("document", "add", other, str(_file(tmp_path, "same.pdf")))
    before = dump(db_path)
    refused = kk("document", "remove", "1")  # no terminal, no --yes
    assert refused.exit_code == 1 and "--yes" in refused.stderr
    assert dump(db_path) == before

    kk.ok("document", "remove", "1", "--yes")
    assert kk.json("document", "list", number) == []
    assert len(_blobs(db_path)) == 1  # document 2 still points to it
    kk.ok("document", "remove", "2", "--yes")
    assert _blobs(db_path) == []
    assert not any(db_path.with_suffix(".files").iterdir())  # no empty fan-out folder left
    history = kk.json("customer", "history", number)
    actions = [(e["entity"], e["action"], e["field"]) for e in history if e["entity"] == "document"]
    assert ("document", "delete", "name") in actions and ("document", "create", "sha256") in actions
    gone = kk("document", "remove", "1", "--yes")
    assert gone.exit_code == 1 and "no document 1" in gone.stderr


def test_bad_input_changes_nothing(kk: Kk, db_path: Path, tmp_path: Path) -> None:
    number = _customer(kk)
    before = dump(db_path)
    missing = kk("document", "add", number, str(tmp_path / "nope.pdf"))
    assert missing.exit_code == 1 and "nope.pdf" in missing.stderr and "FILE" in missing.stderr
    unknown = kk("document", "add", "CUS-0099", str(_file(tmp_path)))
    assert unknown.exit_code == 1 and "no customer CUS-0099" in unknown.stderr
    assert dump(db_path) == before
    assert _blobs(db_path) == []


def test_archived_customers_take_no_new_documents(kk: Kk, db_path: Path, tmp_path: Path) -> None:
    number = _customer(kk)
    kk.ok("document", "add", number, str(_file(tmp_path)))
    kk.ok("customer", "archive", number, "--yes")
    refused = kk("document", "add", number, str(_file(tmp_path, "b.txt", b"other")))
    assert refused.exit_code == 1 and "archived" in refused.stderr
    assert len(_blobs(db_path)) == 1  # the refused file was not left behind
    assert [d["id"] for d in kk.json("document", "list", number)] == [1]  # still listed


def test_backup_copies_the_files(kk: Kk, tmp_path: Path) -> None:
    number = _customer(kk)
    kk.ok("document", "add", number, str(_file(tmp_path)))
    target = tmp_path / "backup" / "copy.db"
    kk.ok("db", "backup", str(target))
    assert (target.with_suffix(".files") / SHA[:2] / SHA).read_bytes() == CONTENT
    db.forget(target)


@settings(max_examples=40, deadline=None)
@given(content=st.binary(max_size=200_000))
def test_store_file_round_trips_any_bytes(content: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        files = Path(folder) / "kk.files"
        sha, size = documents.store_file(files, io.BytesIO(content))
        again = documents.store_file(files, io.BytesIO(content))
        assert (sha, size) == again == (hashlib.sha256(content).hexdigest(), len(content))
        assert documents.blob_path(files, sha).read_bytes() == content
        assert [p.name for p in files.rglob("*") if p.is_file()] == [sha]
