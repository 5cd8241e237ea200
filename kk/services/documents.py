"""Files attached to customers, stored once by SHA-256 in a folder beside the database.

`kk.db` keeps its files in `kk.files/<first two hex digits>/<sha256>` (`kk db backup` copies
that folder along). The `document` rows carry name, title, type, size, uploader and time;
two rows with the same content share one file, and a file is deleted only when no row
points to it any more. Rows change in one IMMEDIATE transaction with their audit entry; files
are written before the row is inserted (content-addressed, so a retry is harmless) and
deleted only after the transaction committed (a rollback never loses a file).
"""

from __future__ import annotations

import contextlib
import hashlib
import mimetypes
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

from kk.clock import now_iso
from kk.db import immediate
from kk.errors import Conflict, KkError, NotFound, ValidationFailed
from kk.services import audit, queries
from kk.services.users import Actor

#: The JSON keys of a document, in output order (scripts depend on them).
DOCUMENT_KEYS = (
    "id", "customer", "name", "title", "media_type", "size", "sha256", "uploaded_by",
    "uploaded_at",
)  # fmt: skip
_CHUNK = 1 << 16


def database_file(connection: sqlite3.Connection) -> Path:
    """The file of the connection's main database."""
    for _seq, name, path in connection.execute("PRAGMA database_list"):
        if name == "main" and path:
            return Path(path)
    raise KkError("documents need a database file (this database lives in memory)")


def files_dir(connection: sqlite3.Connection) -> Path:
    """`kk.db` → `kk.files/`, the same rule `kk.db.backup` follows."""
    return database_file(connection).with_suffix(".files")


def blob_path(files: Path, sha256: str) -> Path:
    return files / sha256[:2] / sha256


def _writable(connection: sqlite3.Connection, ref: str) -> tuple[int, dict[str, Any]]:
    cid, record = queries.lookup(connection, ref)
    if record["archived"]:
        raise Conflict(
            f"{record['number']} is archived: an admin must restore it before it can be changed"
        )
    return cid, record


def _touch(connection: sqlite3.Connection, cid: int, actor: Actor) -> None:
    connection.execute(
        "UPDATE customer SET updated_at = ?, updated_by = ? WHERE id = ?",
        (now_iso(), actor.name, cid),
    )


def store_file(files: Path, source: BinaryIO) -> tuple[str, int]:
    """Copy `source` into the store (once per content); its SHA-256 and size."""
    files.mkdir(mode=0o700, parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    handle, temp_name = tempfile.mkstemp(prefix=".incoming-", dir=files)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as target:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                target.write(chunk)
                size += len(chunk)
        sha256 = digest.hexdigest()
        final = blob_path(files, sha256)
        if final.exists():
            temp.unlink()
        else:
            final.parent.mkdir(mode=0o700, exist_ok=True)
            temp.chmod(0o600)
            os.replace(temp, final)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return sha256, size


def add_document(
    connection: sqlite3.Connection,
    ref: str,
    *,
    path: Path,
    title: str | None,
    actor: Actor,
) -> int:
    """Attach the file at `path` to a customer; the new document's id."""
    if not path.is_file():
        raise ValidationFailed(f"FILE: '{path}' is not a readable file", field="file")
    name = path.name
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    title = (title or "").strip() or None
    files = files_dir(connection)
    stored: str | None = None
    try:
        with immediate(connection):
            cid, _record = _writable(connection, ref)
            try:
                with path.open("rb") as source:
                    stored, size = store_file(files, source)
            except OSError as error:
                raise ValidationFailed(
                    f"FILE: cannot read '{path}': {error.strerror}", field="file"
                ) from None
            doc_id = int(connection.execute(
                "INSERT INTO document (customer_id, sha256, name, title, media_type, size, "
                "uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (cid, stored, name, title, media_type, size, actor.name, now_iso()),
            ).fetchone()[0])  # fmt: skip
            _touch(connection, cid, actor)
            audit.record(
                connection, user=actor.name, entity="document", entity_id=doc_id,
                customer_id=cid, action="create",
                changes={
                    key: (None, value)
                    for key, value in (("name", name), ("title", title), ("media_type", media_type),
                                       ("size", size), ("sha256", stored))
                    if value is not None
                },
            )  # fmt: skip
    except BaseException:
        if stored is not None:  # the row was rolled back: do not leave its file behind
            prune(connection, files, [stored])
        raise
    return doc_id


_SELECT = (
    "SELECT d.id, c.number, d.name, d.title, d.media_type, d.size, d.sha256, d.uploaded_by, "
    "d.uploaded_at FROM document d JOIN customer c ON c.id = d.customer_id"
)


def _row(row: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip(DOCUMENT_KEYS, row, strict=True))


def list_documents(connection: sqlite3.Connection, customer_id: int) -> list[dict[str, Any]]:
    """The documents of one customer, oldest first."""
    rows = connection.execute(f"{_SELECT} WHERE d.customer_id = ? ORDER BY d.id", (customer_id,))
    return [_row(row) for row in rows]


def customer_documents(connection: sqlite3.Connection, ref: str) -> list[dict[str, Any]]:
    """The documents of the customer addressed by `ref` (archived ones too)."""
    cid, _record = queries.lookup(connection, ref)
    return list_documents(connection, cid)


def get_document(connection: sqlite3.Connection, doc_id: int) -> dict[str, Any]:
    """One document of a visible (not erased) customer."""
    row = connection.execute(f"{_SELECT} WHERE d.id = ? AND c.restricted = 0", (doc_id,)).fetchone()
    if row is None:
        raise NotFound(f"no document {doc_id}")
    return _row(row)


def open_blob(connection: sqlite3.Connection, document: dict[str, Any]) -> Path:
    """The stored file of a document, checked against its SHA-256."""
    path = blob_path(files_dir(connection), document["sha256"])
    if not path.is_file():
        raise KkError(f"document {document['id']} ({document['name']}): its file {path} is missing")
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    if digest.hexdigest() != document["sha256"]:
        raise KkError(
            f"document {document['id']} ({document['name']}): its file {path} is damaged "
            "(SHA-256 differs); restore it from a backup"
        )
    return path


def export_document(
    connection: sqlite3.Connection, doc_id: int, target: Path | None, *, overwrite: bool = False
) -> Path:
    """Write a document's file to `target` (default: its name in the current folder)."""
    document = get_document(connection, doc_id)
    source = open_blob(connection, document)
    destination = target if target is not None else Path(document["name"])
    if destination.is_dir():
        destination = destination / document["name"]
    if destination.exists() and not overwrite:
        raise Conflict(f"-o: {destination} exists already")
    shutil.copyfile(source, destination)
    return destination


def write_to(connection: sqlite3.Connection, doc_id: int, out: BinaryIO) -> None:
    """Stream a document's bytes to `out` (`-o -`)."""
    source = open_blob(connection, get_document(connection, doc_id))
    with source.open("rb") as handle:
        shutil.copyfileobj(handle, out, _CHUNK)


def remove_document(connection: sqlite3.Connection, doc_id: int, *, actor: Actor) -> dict[str, Any]:
    """Delete a document row (audited); its file goes when no other row points to it."""
    files = files_dir(connection)
    with immediate(connection):
        document = get_document(connection, doc_id)
        cid, _record = _writable(connection, document["customer"])
        connection.execute("DELETE FROM document WHERE id = ?", (doc_id,))
        _touch(connection, cid, actor)
        audit.record(
            connection, user=actor.name, entity="document", entity_id=doc_id, customer_id=cid,
            action="delete",
            changes={"name": (document["name"], None), "sha256": (document["sha256"], None)},
        )  # fmt: skip
    prune(connection, files, [document["sha256"]])
    return document


def prune(connection: sqlite3.Connection, files: Path, hashes: Iterable[str]) -> int:
    """Delete the stored files of `hashes` that no document row references; how many.

    Call outside a transaction, after the deleting one committed. The check and the unlink
    run under the write lock, so a concurrent `add` of the same content cannot slip between.
    """
    removed = 0
    with immediate(connection):
        for sha256 in sorted(set(hashes)):
            if connection.execute(
                "SELECT 1 FROM document WHERE sha256 = ? LIMIT 1", (sha256,)
            ).fetchone():
                continue
            path = blob_path(files, sha256)
            if path.exists():
                path.unlink()
                removed += 1
                with contextlib.suppress(OSError):  # the fan-out folder, once empty
                    path.parent.rmdir()
    return removed
