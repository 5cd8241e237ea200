"""The customer list: search as you type, a filter bar, saved selections, four sort orders
and the archived toggle, over a table that scrolls through a million rows without loading
them (one keyset page at a time, fetched when the cursor nears the end of what is loaded).

The screen stays on the stack under a detail screen, so coming back finds the search
text, filter, sort and cursor row as they were.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Footer, Header, Input, Static

from kk.clock import local
from kk.errors import KkError
from kk.tui import data
from kk.tui.rows import NEAR_END, CustomerRows, Row, line_text
from kk.tui.screen_base import KkScreen
from kk.tui.source import ListState, build_query, fetch_page

#: (header, key, width); the name and email columns share what the terminal has left.
COLUMNS: list[tuple[str, str, int]] = [
    ("Number", "number", 11),
    ("Name", "name", 0),
    ("City", "city", 14),
    ("Email", "email", 0),
    ("Labels", "labels", 12),
    ("Activity", "last_activity", 10),
]


def visible(record: dict[str, Any], archived_mode: str) -> bool:
    """Whether the list in `archived_mode` shows this customer."""
    if archived_mode == "active":
        return not record["archived"]
    if archived_mode == "archived":
        return bool(record["archived"])
    return True


def row_of(record: dict[str, Any]) -> Row:
    """The list row of one customer; an archived one is marked (and drawn dimmed)."""
    name = record["display_name"] or ""
    if record["archived"]:
        name += " (archived)"
    cells = (record["number"], name, record["city"] or "", record["email"] or "",
             ", ".join(record["labels"]), local(record["last_activity_at"])[:10])  # fmt: skip
    return Row(record["number"], cells, bool(record["archived"]))


def column_widths(total: int) -> dict[str, int]:
    """Widths for a terminal `total` cells wide: fixed columns first (narrower below 90
    cells), the rest shared by name and email, so no terminal needs sideways scrolling."""
    widths = {key: width for _, key, width in COLUMNS}
    if total < 90:
        widths.update(city=11, labels=8)
    padding = 2 * len(COLUMNS) + 2  # cell padding and the scroll bar
    rest = max(total - sum(widths.values()) - padding, 20)
    name = rest * 11 // 20
    widths.update(name=name, email=rest - name)
    return widths


def header_text(widths: dict[str, int]) -> str:
    return line_text([title for title, _, _ in COLUMNS], [widths[key] for _, key, _ in COLUMNS])


class CustomerListScreen(KkScreen[None]):
    """Every customer, found fast."""

    AUTO_FOCUS = "#customers"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", tooltip="Search as you type (Enter: to list)"),
        Binding(
            "f",
            "focus_filter",
            "Filter",
            tooltip="Filter expression, e.g. city:Berlin label:VIP (Enter applies)",
        ),
        Binding("n", "new_customer", "New", tooltip="Add a customer"),
        Binding("e", "edit", "Edit", show=False, tooltip="Edit the highlighted customer"),
        Binding(
            "a", "archive", "Archive", show=False, tooltip="Archive the highlighted customer (asks)"
        ),
        Binding(
            "u", "restore", "Restore", show=False, tooltip="Restore an archived customer (admins)"
        ),
        Binding("s", "sort", "Sort", tooltip="Sort by name, number, created, last activity"),
        Binding("S", "reverse", "Reverse", show=False, tooltip="Reverse the sort order"),
        Binding(
            "x",
            "archived",
            "Archived",
            tooltip="Show active, active and archived, or archived customers",
        ),
        Binding("l", "pick_selection", "Selection", show=False, tooltip="Show a saved selection"),
        Binding("g", "goto", "Go to", show=False, tooltip="Open a customer by number"),
        Binding("ctrl+l", "clear", "Clear", show=False, tooltip="Clear search and filter"),
        Binding(
            "escape",
            "leave_input",
            "To list",
            show=False,
            tooltip="From the search or filter box to the list",
        ),
    ]

    class PageLoaded(Message):
        """A page of customers arrived from a worker."""

        def __init__(
            self, generation: int, rows: list[dict[str, Any]], token: str | None, reset: bool
        ) -> None:
            super().__init__()
            self.generation = generation
            self.rows = rows
            self.token = token
            self.reset = reset

    class LoadFailed(Message):
        """The search, filter or selection could not run (a bad expression, say)."""

        def __init__(self, generation: int, error: KkError) -> None:
            super().__init__()
            self.generation = generation
            self.error = error

    class RowRefreshed(Message):
        """The current data of one customer (None: it is gone from view)."""

        def __init__(self, number: str, record: dict[str, Any] | None) -> None:
            super().__init__()
            self.number = number
            self.record = record

    def __init__(self) -> None:
        super().__init__()
        self.state = ListState()
        self.token: str | None = None
        self.exhausted = False
        self.fetching = False
        self._generation = 0
        self._keep: str | None = None
        self._interrupt = data.Interruptible()

    @property
    def table(self) -> CustomerRows:
        return self.query_one("#customers", CustomerRows)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="bars"):
            yield Input(placeholder="Search (/): name, number, email, city, phone", id="search")
            yield Input(placeholder="Filter (f): city = Berlin and label = VIP", id="filter")
        yield Static(id="status")
        widths = column_widths(self.app.size.width)
        yield Static(header_text(widths), id="columns")
        yield CustomerRows([widths[key] for _, key, _ in COLUMNS], id="customers")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def on_resize(self) -> None:
        widths = column_widths(self.size.width)
        self.query_one("#columns", Static).update(header_text(widths))
        self.table.set_widths([widths[key] for _, key, _ in COLUMNS])

    # -- loading ------------------------------------------------------------------------

    def reload(self, keep: str | None = None) -> None:
        """Load the first page for the current state; put the cursor on `keep` if shown."""
        self._generation += 1
        self.token = None
        self.exhausted = False
        self.fetching = True
        self._keep = keep
        self._interrupt.interrupt()
        self._fetch(self.kk.db_path, self._generation, self.state, None)

    def load_more(self) -> None:
        """Fetch the next page unless one is on its way or this was the last."""
        if self.fetching or self.exhausted:
            return
        self.fetching = True
        self._fetch(self.kk.db_path, self._generation, self.state, self.token)

    @work(thread=True, exclusive=True, group="list-page")
    def _fetch(self, path: Path, generation: int, state: ListState, after: str | None) -> None:
        try:
            with data.read(path) as connection, self._interrupt.running(connection):
                query = build_query(state, connection)
                rows, token = fetch_page(connection, query, after)
        except sqlite3.OperationalError as error:
            if "interrupt" in str(error):
                return  # a newer keystroke superseded this query; its own load follows
            raise
        except KkError as error:
            self.post_message(self.LoadFailed(generation, error))
            return
        self.post_message(self.PageLoaded(generation, rows, token, reset=after is None))

    @on(PageLoaded)
    def _page_loaded(self, message: PageLoaded) -> None:
        if message.generation != self._generation:
            return
        table = self.table
        if message.reset:
            table.clear()
            self.query_one("#filter", Input).remove_class("-invalid")
        table.add_rows(row_of(record) for record in message.rows)
        self.token = message.token
        self.exhausted = message.token is None
        self.fetching = False
        if message.reset:
            self._place_cursor()
        self._show_status()
        if table.cursor_row >= table.row_count - NEAR_END:
            self.load_more()

    def _place_cursor(self) -> None:
        table = self.table
        row = 0
        if self._keep and self._keep in table:
            row = table.get_row_index(self._keep)
        table.move_cursor(row)
        self._keep = None

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        if message.generation != self._generation:
            return
        self.fetching = False
        self.exhausted = True
        self.table.clear()
        if self.state.filter or self.state.selection:
            self.query_one("#filter", Input).add_class("-invalid")
        self._show_status(error=message.error.message)
        self.notify(message.error.message, severity="error")

    def _show_status(self, error: str | None = None) -> None:
        count = self.table.row_count
        if error:
            shown = Text(error, style="bold red")
        elif count == 0:
            shown = Text("no customers match")
        else:
            shown = Text(f"{count:,} shown" + ("" if self.exhausted else ", more below"))
        line = Text(self.state.describe() + " · ")
        line.append_text(shown)
        self.query_one("#status", Static).update(line)

    @on(CustomerRows.NearEnd)
    def _near_end(self) -> None:
        self.load_more()

    @on(CustomerRows.Highlighted)
    def _highlighted(self, event: CustomerRows.Highlighted) -> None:
        if event.index >= self.table.row_count - NEAR_END:
            self.load_more()

    @on(CustomerRows.Selected)
    def _selected(self, event: CustomerRows.Selected) -> None:
        self.kk.open_customer(event.number)

    # -- search and filter --------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        """Search as you type, debounced by cancellation: the query of the keystroke before
        is interrupted (sqlite3 `interrupt()`), its late result dropped (generation), so a
        burst of keys costs one query and a single key gets its result at once."""
        if event.value != self.state.text:
            self.apply(replace(self.state, text=event.value))

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.table.focus()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        self.apply(replace(self.state, filter=event.value))
        self.table.focus()

    def apply(self, state: ListState, keep: str | None = None) -> None:
        """Show the customers `state` asks for."""
        self.state = state
        self.reload(keep)

    # -- actions ------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_leave_input(self) -> None:
        self.table.focus()

    def action_clear(self) -> None:
        self.query_one("#search", Input).value = ""
        self.query_one("#filter", Input).value = ""
        self.apply(ListState(sort=self.state.sort, desc=self.state.desc,
                             archived=self.state.archived))  # fmt: skip

    def action_sort(self) -> None:
        self.apply(self.state.next_sort(), keep=self.table.current_number())

    def action_reverse(self) -> None:
        self.apply(replace(self.state, desc=not self.state.desc))

    def action_archived(self) -> None:
        self.apply(self.state.next_archived(), keep=self.table.current_number())

    def action_goto(self) -> None:
        self.kk.action_goto()

    def action_pick_selection(self) -> None:
        from kk.tui.dialogs import SelectionDialog

        def chosen(name: str | None) -> None:
            if name is not None:
                self.run_selection(name or None)

        self.app.push_screen(SelectionDialog(self.kk.db_path, self.state.selection), chosen)

    def run_selection(self, name: str | None) -> None:
        """Show the customers of the saved selection `name` (None: no selection)."""
        self.apply(replace(self.state, selection=name))

    def action_new_customer(self) -> None:
        from kk.tui.forms import CustomerForm

        def saved(number: str | None) -> None:
            if number:
                self.kk.open_customer(number)

        self.app.push_screen(CustomerForm(), saved)

    def action_edit(self) -> None:
        from kk.tui.forms import CustomerForm

        number = self.table.current_number()
        if number:
            self.app.push_screen(CustomerForm(number))

    def action_archive(self) -> None:
        number = self.table.current_number()
        if number:
            self.confirm_archive(number)

    def action_restore(self) -> None:
        number = self.table.current_number()
        if number:
            self.restore(number)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "restore":
            return self.kk.actor.is_admin and self.state.archived != "active"
        return True

    # -- keeping rows current -------------------------------------------------------------

    def refresh_customer(self, number: str) -> None:
        """Bring the row of `number` up to date (or drop it, or show a new customer)."""
        self._refresh_row(self.kk.db_path, number)

    @work(thread=True, group="list-row")
    def _refresh_row(self, path: Path, number: str) -> None:
        from kk.services import queries

        with data.read(path) as connection:
            try:
                record: dict[str, Any] | None = queries.lookup(connection, number)[1]
            except KkError:
                record = None
        self.post_message(self.RowRefreshed(number, record))

    @on(RowRefreshed)
    def _row_refreshed(self, message: RowRefreshed) -> None:
        table = self.table
        number, record = message.number, message.record
        if number not in table:
            if record is not None and visible(record, self.state.archived):
                self.reload(keep=number)
            return
        if record is None or not visible(record, self.state.archived):
            table.remove_row(number)
        else:
            table.replace_row(row_of(record))
        self._show_status()

    # -- export -------------------------------------------------------------------------

    def export_selection(self, name: str) -> None:
        """Write the customers of the saved selection `name` to a CSV file here."""
        self._export(self.kk.db_path, name)

    @work(thread=True, group="export")
    def _export(self, path: Path, name: str) -> None:
        from kk.clock import now_iso
        from kk.services.exporting import ExportOptions, export_customers

        stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in name)
        target = Path.cwd() / f"kk-{stem}-{now_iso()[:10]}.csv"
        try:
            with data.read(path) as connection, target.open("xb") as out:
                try:
                    count = export_customers(connection, out, ExportOptions("csv", selection=name))
                except BaseException:
                    target.unlink()
                    raise
        except FileExistsError:
            self.app.call_from_thread(self.notify, f"{target} exists already", severity="error")
            return
        except KkError as error:
            self.app.call_from_thread(self.notify, error.message, severity="error")
            return
        self.app.call_from_thread(self.notify, f"{count} customers written to {target}")
