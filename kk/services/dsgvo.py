"""The DSGVO access export (Art. 15 and 20): everything kk holds about one person.

`collect` gathers every personal datum (master record, persons, addresses, bank accounts,
labels, consents, notes, activities, quotes/orders/invoices with their lines, documents'
metadata, the audit entries about them). `export_zip` writes it as a ZIP: `data.json`
(machine-readable, Art. 20), the documents themselves, `auskunft.pdf` (the German letter
along Art. 15 (1) a–h and (2), controller from `kk config` company.*), and `manifest.json`
with the SHA-256 of every other file. Erased (restricted) customers are included: the
DSGVO export is the one place they still appear. Every export is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sqlite3
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from kk.clock import now_iso
from kk.db import immediate
from kk.errors import Conflict, ValidationFailed
from kk.services import audit, documents, queries
from kk.services.users import Actor

FORMAT = "kk-dsgvo-export"
VERSION = 1
#: The personal sections of data.json, in order (the PDF's appendix follows it).
SECTIONS = (
    "customer", "persons", "addresses", "bank_accounts", "labels", "consents", "notes",
    "activities", "orders", "documents", "audit",
)  # fmt: skip
CONTROLLER_KEYS = ("name", "street", "postal_code", "city", "country", "email", "phone")


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", "_", name).strip(" .")
    return cleaned or "datei"


_ORDERS = (
    "SELECT o.*, c.number AS customer, c.display_name AS customer_name, "
    "(SELECT s.number FROM sales_order s WHERE s.id = o.source_id) AS source, "
    "(SELECT s.number FROM sales_order s WHERE s.id = o.cancels_id) AS cancels, "
    "(SELECT s.number FROM sales_order s WHERE s.source_id = o.id ORDER BY s.id LIMIT 1) "
    "AS converted_to, "
    "(SELECT s.number FROM sales_order s WHERE s.cancels_id = o.id ORDER BY s.id LIMIT 1) "
    "AS cancelled_by "
    "FROM sales_order o JOIN customer c ON c.id = o.customer_id WHERE o.customer_id = ? "
    "ORDER BY o.booking_date, o.id"
)


def _orders(connection: sqlite3.Connection, cid: int) -> list[dict[str, Any]]:
    """Quotes, orders and invoices as `kk order show --format json` has them (lines,
    totals, recipient); read here because the order queries hide erased customers."""
    from kk.services.order_read import line_rows, order_record

    rows = _dicts(connection.execute(_ORDERS, (cid,)))
    lines = line_rows(connection, [row["id"] for row in rows])
    return [order_record(connection, row, lines[row["id"]]) for row in rows]


def collect(connection: sqlite3.Connection, ref: str) -> tuple[int, dict[str, Any]]:
    """(customer id, every personal section) of the customer `ref`, restricted ones too."""
    cid, customer = queries.lookup(connection, ref, include_restricted=True)
    data: dict[str, Any] = {
        "customer": customer,
        "persons": queries.persons(connection, cid),
        "addresses": queries.addresses(connection, cid),
        "bank_accounts": queries.bank_accounts(connection, cid),
        "labels": customer["labels"],
        "consents": [
            {"channel": channel, **values}
            for channel, values in sorted(queries.consents(connection, cid).items())
        ],
        "notes": _dicts(connection.execute(
            "SELECT id, order_id, activity_id, text, author, created_at, updated_at FROM note "
            "WHERE customer_id = ? ORDER BY created_at, id", (cid,),
        )),
        "activities": _dicts(connection.execute(
            "SELECT id, name, description, kind, author, assignee, person_id, due, done_at, "
            "created_at, updated_at FROM activity WHERE customer_id = ? ORDER BY created_at, id",
            (cid,),
        )),
        "orders": _orders(connection, cid),
        "documents": [
            {**doc, "file": f"documents/{doc['id']}-{_safe_name(doc['name'])}"}
            for doc in documents.list_documents(connection, cid)
        ],
        "audit": list(reversed(queries.history(connection, cid))),
    }  # fmt: skip
    return cid, data


def controller() -> dict[str, str | None]:
    """The controller (Verantwortlicher) from `kk config`: company.* and dsgvo.*."""
    from kk import config

    found: dict[str, str | None] = {key: config.get(f"company.{key}") for key in CONTROLLER_KEYS}
    found["dpo"] = config.get("dsgvo.dpo")
    found["supervisory_authority"] = config.get("dsgvo.supervisory_authority")
    return found


def subject_name(customer: dict[str, Any]) -> str:
    """The person's name as a letter addresses it ("Jürgen Groß"), or the company's."""
    if customer["kind"] == "company" and customer["company_name"]:
        return str(customer["company_name"])
    parts = (customer["title"], customer["first_name"], customer["last_name"])
    return " ".join(p for p in parts if p) or str(customer["display_name"])


def _audit_export(
    connection: sqlite3.Connection, cid: int, number: str, actor: Actor, how: str
) -> None:
    audit.record(
        connection, user=actor.name, entity="customer", entity_id=number, customer_id=cid,
        action="export-dsgvo", changes={"export": (None, how)},
    )  # fmt: skip


def export_json(connection: sqlite3.Connection, ref: str, *, actor: Actor) -> dict[str, Any]:
    """The content of data.json (for `--format json`); the export is audited."""
    with immediate(connection):
        cid, data = collect(connection, ref)
        number = data["customer"]["number"]
        _audit_export(connection, cid, number, actor, "json")
    return {
        "format": FORMAT, "version": VERSION, "exported_at": now_iso(),
        "exported_by": actor.name, "controller": controller(), **data,
    }  # fmt: skip


def default_target(number: str, today: dt.date | None = None) -> Path:
    return Path(f"{number}-dsgvo-{(today or dt.date.today()).isoformat()}.zip")


def export_zip(
    connection: sqlite3.Connection,
    ref: str,
    *,
    actor: Actor,
    target: Path | None = None,
    today: dt.date | None = None,
) -> Path:
    """Write the access export ZIP (mode 0600); the path written. The export is audited."""
    from kk.formats.pdf_auskunft import render_auskunft_pdf
    from kk.formats.pdf_model import AuskunftDoc

    who = controller()
    if not who["name"]:
        raise ValidationFailed(
            "company.name: the Auskunft names the controller; set it first with "
            "kk config set company.name 'Your Company GmbH' (and company.street, "
            "company.postal_code, company.city)",
            field="company.name",
        )
    day = today or dt.date.today()
    moment = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with immediate(connection):
        cid, data = collect(connection, ref)
        customer = data["customer"]
        path = target if target is not None else default_target(customer["number"], day)
        if path.is_dir():
            path = path / default_target(customer["number"], day)
        if path.exists():
            raise Conflict(f"-o: {path} exists already")
        header = {
            "exported_at": moment.isoformat(), "exported_by": actor.name, "controller": who,
        }  # fmt: skip
        blobs = [
            (doc["file"], documents.open_blob(connection, doc), doc["sha256"], doc["size"])
            for doc in data["documents"]
        ]
        pdf = render_auskunft_pdf(
            AuskunftDoc(
                controller=who, subject_name=subject_name(customer),
                subject_number=customer["number"], created=day, data=data, created_at=moment,
            )
        )  # fmt: skip
        payload = json.dumps(
            {"format": FORMAT, "version": VERSION, **header, **data}, ensure_ascii=False, indent=2
        ).encode()
        _write_zip(path, moment, payload, pdf, blobs, customer["number"])
        try:
            _audit_export(connection, cid, customer["number"], actor, path.name)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    return path


def _write_zip(
    path: Path,
    moment: dt.datetime,
    payload: bytes,
    pdf: bytes,
    blobs: list[tuple[str, Path, str, int]],
    number: str,
) -> None:
    stamp = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    manifest: list[dict[str, Any]] = []
    parent = path.parent if str(path.parent) else Path(".")
    parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".dsgvo-", suffix=".zip", dir=parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive:

            def add(name: str, content: bytes) -> None:
                archive.writestr(zipfile.ZipInfo(name, stamp), content, zipfile.ZIP_DEFLATED)
                manifest.append({
                    "path": name, "size": len(content),
                    "sha256": hashlib.sha256(content).hexdigest(),
                })  # fmt: skip

            add("data.json", payload)
            add("auskunft.pdf", pdf)
            for name, blob, sha256, size in blobs:  # checked against sha256 by open_blob
                info = zipfile.ZipInfo(name, stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                with blob.open("rb") as source, archive.open(info, "w") as sink:
                    while chunk := source.read(1 << 16):
                        sink.write(chunk)
                manifest.append({"path": name, "size": size, "sha256": sha256})
            index = {
                "format": FORMAT, "version": VERSION, "customer": number,
                "exported_at": moment.isoformat(), "files": manifest,
            }  # fmt: skip
            archive.writestr(
                zipfile.ZipInfo("manifest.json", stamp),
                json.dumps(index, ensure_ascii=False, indent=2).encode(),
                zipfile.ZIP_DEFLATED,
            )
        temp.chmod(0o600)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
