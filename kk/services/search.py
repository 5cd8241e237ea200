"""Customer search through the FTS5 index: one service for the CLI and the TUI."""

from __future__ import annotations

from kk.services.queries import CustomerQuery
from kk.text import fold


def match_expression(text: str) -> str | None:
    """Every word of `text` as a folded, quoted prefix term, ANDed; None if nothing to find."""
    words = [w for w in fold(text).replace("@", " ").replace(".", " ").split() if w.strip("-")]
    terms = ['"' + w.replace('"', "") + '"*' for w in words]
    return " ".join(terms) or None


def search_query(text: str, *, archived: str = "active") -> CustomerQuery:
    """A customer query for the fragment `text` (names, number, email, city, phone …)."""
    query = CustomerQuery(archived=archived, sort="name")
    expression = match_expression(text)
    if expression is None:
        return query.add("0")
    return query.add(
        "c.id IN (SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?)", expression
    )
