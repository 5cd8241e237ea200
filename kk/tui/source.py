"""The customer list's data source: what the user asked for, turned into a service query,
fetched one keyset page at a time.

A million rows are never loaded: the table holds the pages fetched so far and asks for
the next one when its cursor nears the end (`queries.page` with the last row's token;
no OFFSET, so page 2,000 costs what page 1 costs).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from typing import Any

from kk.services import queries

PAGE_SIZE = 100
#: Searching starts at this many characters: one letter or digit matches a good part of a
#: million customers and narrows nothing (measured at 1M rows: "e" 45 ms, "m" 120 ms,
#: "0" 420 ms; two characters 4-75 ms).
MIN_SEARCH = 2
SORT_ORDER = ("name", "number", "created", "last_activity")
SORT_TITLES = {
    "name": "name",
    "number": "number",
    "created": "created",
    "last_activity": "last activity",
}
ARCHIVED_ORDER = ("active", "all", "archived")
ARCHIVED_TITLES = {"active": "active", "all": "active + archived", "archived": "archived only"}


@dataclass(frozen=True)
class ListState:
    """Everything that decides which customers the list shows, in which order."""

    text: str = ""
    filter: str = ""
    selection: str | None = None
    sort: str = "name"
    desc: bool = False
    archived: str = "active"

    def next_sort(self) -> ListState:
        index = SORT_ORDER.index(self.sort) if self.sort in SORT_ORDER else -1
        return replace(self, sort=SORT_ORDER[(index + 1) % len(SORT_ORDER)], desc=False)

    def next_archived(self) -> ListState:
        index = ARCHIVED_ORDER.index(self.archived)
        return replace(self, archived=ARCHIVED_ORDER[(index + 1) % len(ARCHIVED_ORDER)])

    def describe(self) -> str:
        """One line for the status bar: order, archive mode, search/filter in force."""
        arrow = "↓" if self.desc else "↑"
        title = SORT_TITLES.get(self.sort, self.sort)
        searching = len(self.text.strip()) >= MIN_SEARCH
        if self.sort == "name" and searching:
            title = "best match, then name"
        parts = [f"sorted by {title} {arrow}"]
        if self.text.strip() and not searching:
            parts.append(f"type {MIN_SEARCH} characters to search")
        parts.append(ARCHIVED_TITLES[self.archived])
        if self.selection:
            parts.append(f"selection {self.selection}")
        return " · ".join(parts)


def build_query(
    state: ListState, connection: sqlite3.Connection | None = None
) -> queries.CustomerQuery:
    """The service query for `state`: search through the index, then filter and selection.

    The connection is needed only to look a saved selection up by name.
    """
    text = state.text.strip()
    if len(text) >= MIN_SEARCH:
        from kk.services.search import search_query  # ~20 ms: not before the first search

        query = search_query(text, archived=state.archived)
    else:
        query = queries.CustomerQuery(archived=state.archived)
    for expression in filter_expressions(state, connection):
        apply_filter(query, expression)
    if not (len(text) >= MIN_SEARCH and state.sort == "name"):
        query.sort = state.sort  # searching "by name" keeps the search's rank, then name
    query.desc = state.desc
    return query


def filter_expressions(state: ListState, connection: sqlite3.Connection | None) -> list[str]:
    """The filter bar's expression and the saved selection's, to be ANDed."""
    expressions = [state.filter.strip()] if state.filter.strip() else []
    if state.selection:
        expressions.append(selection_expression(connection, state.selection))
    return expressions


def apply_filter(query: queries.CustomerQuery, expression: str) -> None:
    """Narrow `query` by a `kk customer filter` expression (FilterSyntaxError if unreadable)."""
    from kk.services import search

    search.apply_filter(query, expression)


def selection_expression(connection: sqlite3.Connection | None, name: str) -> str:
    """The expression saved under `name` (NotFound if there is none)."""
    from kk.services import selections

    if connection is None:
        raise ValueError("a connection is needed to read a saved selection")
    return str(selections.get(connection, name)["expression"])


def selection_names(connection: sqlite3.Connection) -> list[str]:
    """The names of the saved selections, sorted."""
    from kk.services import selections

    return [str(row["name"]) for row in selections.list_selections(connection)]


def fetch_page(
    connection: sqlite3.Connection, query: queries.CustomerQuery, after: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of rows and the token of the next (None: this was the last page)."""
    return queries.page(connection, query, limit=PAGE_SIZE, after=after)
