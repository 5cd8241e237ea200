"""How `kk customer show` prints the overview (statistics and recent records) as tables.

The JSON keeps `statistics` and `recent` as they are; only the table view needs them as
rows, which is what `for_table` adds.
"""

from __future__ import annotations

from typing import Any

_STATISTICS_LABELS = (
    ("notes", "Notes"), ("activities_open", "Open activities"),
    ("activities_done", "Done activities"), ("quotes", "Quotes"), ("orders", "Orders"),
    ("invoices", "Invoices"), ("total_invoiced", "Invoiced EUR"), ("total_paid", "Paid EUR"),
    ("total_outstanding", "Outstanding EUR"), ("last_activity_at", "Last activity"),
)  # fmt: skip
_ORDER_COLUMNS = [("number", "Number"), ("status", "Status"), ("booking_date", "Date"),
                  ("name", "Subject"), ("gross_total", "Gross EUR")]  # fmt: skip
SECTIONS = [
    ("overview_statistics", "Statistics", [("what", "What"), ("value", "Value")]),
    ("recent_notes", "Recent notes",
     [("id", "Id"), ("created_at", "When"), ("author", "Author"), ("text", "Note")]),
    ("recent_activities", "Recent activities",
     [("id", "Id"), ("status", "Status"), ("due", "Due"), ("name", "Activity"),
      ("kind", "Kind"), ("assignee", "Assignee")]),
    ("recent_quotes", "Recent quotes", _ORDER_COLUMNS),
    ("recent_orders", "Recent orders", _ORDER_COLUMNS),
    ("recent_invoices", "Recent invoices", _ORDER_COLUMNS),
]  # fmt: skip


def for_table(record: dict[str, Any]) -> dict[str, Any]:
    """The customer with the overview as table rows (times in local time)."""
    from kk.clock import local

    statistics = record.get("statistics") or {}
    recent = record.get("recent") or {}
    rows = [
        {
            "what": label,
            "value": local(statistics[key]) if key == "last_activity_at" else statistics[key],
        }
        for key, label in _STATISTICS_LABELS
        if key in statistics
    ]
    notes = [
        {**n, "created_at": local(n["created_at"]), "text": n["text"].splitlines()[0][:80]}
        for n in recent.get("notes", [])
    ]
    return {
        **record,
        "overview_statistics": rows,
        "recent_notes": notes,
        "recent_activities": recent.get("activities", []),
        "recent_quotes": recent.get("quotes", []),
        "recent_orders": recent.get("orders", []),
        "recent_invoices": recent.get("invoices", []),
    }
