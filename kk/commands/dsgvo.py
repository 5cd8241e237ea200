"""`kk dsgvo due`: customers whose retention periods have ended, so they can be erased; and
the face of `kk customer erase` (its command lives in kk/commands/customer.py)."""

from __future__ import annotations

import sys
from typing import Any

import typer

from kk.commands._common import FormatOption, confirm, reading
from kk.render import emit_list, resolve

app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None,
    help="DSGVO housekeeping: retention periods that ended.",
)  # fmt: skip


@app.callback()
def _group() -> None:
    """DSGVO housekeeping: retention periods that ended."""


DUE_COLUMNS = [
    ("number", "Number"),
    ("display_name", "Name"),
    ("state", "State"),
    ("archived_at", "Archived"),
    ("erased_at", "Anonymised"),
    ("keep_until", "Kept until"),
]
DUE_KEYS = ("number", "display_name", "state", "archived_at", "erased_at", "keep_until")


@app.command()
def due(fmt: FormatOption = None) -> None:
    """Archived customers with nothing left to keep, and anonymised ones whose kept records
    ran out (§ 147 AO / § 257 HGB, counted from the end of the year): erase them now."""
    from kk.services import retention

    with reading() as (connection, _actor):
        rows = retention.due(connection)
    emit_list(rows, resolve(fmt), columns=DUE_COLUMNS, keys=DUE_KEYS)


def _report_text(report: dict[str, Any]) -> str:
    head = "would be " if report["dry_run"] else ""
    if report["erased"]:
        lines = [f"{report['customer']}: {head}erased (removed with all personal data)"]
    else:
        lines = [
            f"{report['customer']}: {head}anonymised and restricted; records kept by law "
            f"until {report['keep_until']}"
        ]
    removed = ", ".join(f"{key.replace('_', ' ')} {n}" for key, n in report["removed"].items() if n)
    lines.append(f"removed: {removed or 'nothing else'}")
    for kept in report["kept"]:
        lines.append(f"kept: {kept['record']} until {kept['keep_until']} ({kept['reason']})")
    return "\n".join(lines) + "\n"


def erase_command(ref: str, *, yes: bool, dry_run: bool, fmt: Any) -> None:
    """`kk customer erase`: plan (errors first), confirm, erase, print the report."""
    import json

    from kk.services import erasure

    with reading() as (connection, actor):
        plan = erasure.erase_customer(connection, ref, actor=actor, dry_run=True)
    if not dry_run:
        what = (
            "remove it and all its personal data"
            if plan["erased"]
            else f"anonymise it; {len(plan['kept'])} record(s) are kept until {plan['keep_until']}"
        )
        confirm(f"Erase customer {plan['customer']} ({what})? This cannot be undone", yes=yes)
        with reading() as (connection, actor):
            plan = erasure.erase_customer(connection, ref, actor=actor)
    if resolve(fmt) == "json":
        sys.stdout.write(json.dumps(plan, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(_report_text(plan))
