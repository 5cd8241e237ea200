"""Timestamps as kk stores them: UTC, ISO 8601, second precision (sortable as text)."""

from __future__ import annotations

from datetime import UTC, datetime


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def local(stamp: str | None) -> str:
    """A stored UTC stamp shown in the machine's local time (for tables only)."""
    if not stamp:
        return ""
    moment = datetime.fromisoformat(stamp)
    return moment.astimezone().strftime("%d.%m.%Y %H:%M")
