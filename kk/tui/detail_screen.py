"""One customer with tabs: Overview (base data with the address first), Persons, Addresses,
Bank, Notes, Activities, Orders, History. Edits happen in forms pushed on top; the screen
reloads whenever it comes back to the front."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from kk.clock import local
from kk.errors import KkError
from kk.tui import data, detail_data, overview
from kk.tui.screen_base import KkScreen

#: (tab id, title); keys 1–8 switch to them in this order.
TABS: list[tuple[str, str]] = [
    ("overview", "Overview"),
    ("persons", "Persons"),
    ("addresses", "Addresses"),
    ("bank", "Bank"),
    ("notes", "Notes"),
    ("activities", "Activities"),
    ("orders", "Orders"),
    ("history", "History"),
]
#: Actions that change the customer: not offered while it is archived.
CHANGES = {"edit", "archive", "add_person", "add_note", "add_activity", "toggle_done"}


class CustomerDetailScreen(KkScreen[None]):
    """Everything about one customer."""

    CSS_PATH = "detail.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to the list"),
        Binding("e", "edit", "Edit", tooltip="Edit the customer"),
        Binding("p", "add_person", "Person", tooltip="Add a contact person"),
        Binding("n", "add_note", "Note", tooltip="Add a note"),
        Binding("c", "add_activity", "Activity", tooltip="Add an activity (call, task …)"),
        Binding(
            "d",
            "toggle_done",
            "Done/open",
            tooltip="Activities tab: mark the highlighted activity done, or open again",
        ),
        Binding("a", "archive", "Archive", tooltip="Archive the customer (asks)"),
        Binding("u", "restore", "Restore", tooltip="Restore the archived customer (admins)"),
        Binding("right_square_bracket", "next_tab(1)", "Next tab", show=False),
        Binding("left_square_bracket", "next_tab(-1)", "Previous tab", show=False),
        *[
            Binding(str(index), f"tab('{tab}')", title, show=False, tooltip=f"{title} tab")
            for index, (tab, title) in enumerate(TABS, start=1)
        ],
    ]

    class Loaded(Message):
        def __init__(self, detail: dict[str, Any] | None, error: KkError | None) -> None:
            super().__init__()
            self.detail = detail
            self.error = error

    def __init__(self, number: str, detail: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.number = number
        self.detail: dict[str, Any] | None = None
        #: Read before the screen was pushed: shown at mount, not read again at once.
        self._preloaded = detail

    @property
    def record(self) -> dict[str, Any] | None:
        return self.detail["customer"] if self.detail else None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="banner")
        with TabbedContent(id="tabs"):
            for tab, title in TABS:
                with TabPane(title, id=tab):
                    if tab == "overview":
                        with VerticalScroll(id="overview-scroll"), Horizontal(id="overview"):
                            yield Static(id="card")
                            yield Static(id="facts")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.number
        if self._preloaded is not None:
            self._loaded(self.Loaded(self._preloaded, None))

    def table(self, tab: str) -> DataTable[Any] | None:
        """The table of `tab`, if it was shown already (tables are made on first view:
        seven tables mounted up front doubled the time to open a customer)."""
        found = self.query(f"#{tab}-table")
        return found.first(DataTable) if found else None

    async def _show_table(self, tab: str) -> DataTable[Any]:
        table = self.table(tab)
        if table is None:
            table = DataTable(id=f"{tab}-table", cursor_type="row", zebra_stripes=True)
            for header, key in detail_data.TABLES[tab]:
                table.add_column(header, key=key)
            await self.query_one(f"#{tab}", TabPane).mount(table)
            self._fill(tab)
        return table

    def on_screen_resume(self) -> None:
        if self._preloaded is not None:
            self._preloaded = None  # shown at mount; later resumes (after a form) re-read
            return
        self.reload()

    def reload(self) -> None:
        self._load(self.kk.db_path, self.number)

    @work(thread=True, exclusive=True, group="detail")
    def _load(self, path: Path, number: str) -> None:
        try:
            with data.read(path) as connection:
                detail = detail_data.load(connection, number)
        except KkError as error:
            self.post_message(self.Loaded(None, error))
            return
        self.post_message(self.Loaded(detail, None))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.error is not None:
            self.notify(message.error.message, severity="error")
            if self.detail is None:
                self.dismiss()
            return
        assert message.detail is not None
        self.detail = detail = message.detail
        record = detail["customer"]
        self.title = record["display_name"]
        self.query_one("#card", Static).update(overview.card(record))
        self.query_one("#facts", Static).update(overview.facts(record, detail["stats"]))
        for tab in detail_data.TABLES:
            self._fill(tab)
        self._show_banner(record, detail["hints"])
        self.refresh_bindings()

    def records(self, tab: str) -> list[dict[str, Any]]:
        """What `tab` lists for the loaded customer."""
        if self.detail is None:
            return []
        if tab in ("persons", "addresses"):
            return list(self.detail["customer"][tab])
        if tab == "bank":
            return list(self.detail["customer"]["bank_accounts"])
        return list(self.detail[tab])

    def _fill(self, tab: str) -> None:
        table = self.table(tab)
        if table is None:
            return
        records = self.records(tab)
        row = table.cursor_row
        table.clear()
        for record, cells in zip(records, detail_data.rows(tab, records), strict=True):
            key = record.get("id") or record.get("number")
            table.add_row(*cells, key=None if key is None else str(key))
        if records:
            table.move_cursor(row=min(row, len(records) - 1), animate=False)

    def _show_banner(self, record: dict[str, Any], hints: list[str]) -> None:
        banner = self.query_one("#banner", Static)
        line = Text()
        if record["archived"]:
            line.append(f" Archived {local(record['archived_at'])}", style="bold")
            if record["archive_reason"]:
                line.append(f": {record['archive_reason']}")
            line.append(" · press u to restore" if self.kk.actor.is_admin
                        else " · only an admin can restore it")  # fmt: skip
        for hint in hints:
            line.append(f" ★ {hint} ", style="bold")
        banner.update(line)
        banner.set_class(bool(record["archived"]), "-archived")
        banner.display = bool(line.plain)

    # -- tabs ---------------------------------------------------------------------------

    @property
    def active_tab(self) -> str:
        return self.query_one("#tabs", TabbedContent).active

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab

    def action_next_tab(self, step: int) -> None:
        ids = [tab for tab, _title in TABS]
        index = ids.index(self.active_tab) if self.active_tab in ids else 0
        self.action_tab(ids[(index + step) % len(ids)])

    @on(TabbedContent.TabActivated, "#tabs")
    async def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        tab = event.pane.id or ""
        if tab != "overview":
            (await self._show_table(tab)).focus()
        self.refresh_bindings()

    # -- actions ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        record = self.record
        if action == "restore":
            return bool(record and record["archived"] and self.kk.actor.is_admin)
        if action in CHANGES:
            if record is None or record["archived"]:
                return False
            if action == "toggle_done":
                return self.active_tab == "activities"
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_edit(self) -> None:
        from kk.tui.forms import CustomerForm

        self.app.push_screen(CustomerForm(self.number))

    def action_add_person(self) -> None:
        from kk.tui.forms import PersonForm

        self.app.push_screen(PersonForm(self.number))

    @on(DataTable.RowSelected, "#persons-table")
    def _person_selected(self, event: DataTable.RowSelected) -> None:
        from kk.tui.forms import PersonForm

        if self.record is None or self.record["archived"] or not event.row_key.value:
            return
        person_id = int(event.row_key.value)
        person = next(p for p in self.record["persons"] if p["id"] == person_id)
        self.app.push_screen(PersonForm(self.number, person))

    def action_add_note(self) -> None:
        from kk.tui.forms import NoteForm

        self.app.push_screen(NoteForm(self.number))

    def action_add_activity(self) -> None:
        from kk.tui.forms import ActivityForm

        persons = self.record["persons"] if self.record else []
        self.app.push_screen(ActivityForm(self.number, persons))

    def _row_record(self, tab: str, key: str | None) -> dict[str, Any] | None:
        if self.detail is None or key is None:
            return None
        return next((r for r in self.records(tab) if str(r.get("id")) == key), None)

    @on(DataTable.RowSelected, "#notes-table")
    def _note_selected(self, event: DataTable.RowSelected) -> None:
        from kk.tui.forms import NoteForm

        note = self._row_record("notes", event.row_key.value)
        if note is not None and self.check_action("add_note", ()):
            self.app.push_screen(NoteForm(self.number, note))

    @on(DataTable.RowSelected, "#activities-table")
    def _activity_selected(self, event: DataTable.RowSelected) -> None:
        from kk.tui.forms import ActivityForm

        activity = self._row_record("activities", event.row_key.value)
        if activity is not None and self.check_action("add_activity", ()):
            persons = self.record["persons"] if self.record else []
            self.app.push_screen(ActivityForm(self.number, persons, activity))

    def action_toggle_done(self) -> None:
        """Mark the highlighted activity done, or open again if it is done."""
        table = self.table("activities")
        if table is None or not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        activity = self._row_record("activities", key)
        if activity is None:
            return
        actor, number, activity_id = self.kk.actor, self.number, int(activity["id"])
        done = activity["status"] == "done"

        def toggle(connection: sqlite3.Connection) -> str:
            from kk.services import activities

            if done:
                activities.reopen(connection, activity_id, actor=actor)
            else:
                activities.mark_done(connection, activity_id, actor=actor)
            return number

        text = f"'{activity['name']}' " + ("open again" if done else "done")
        self.run_write(toggle, text, tag="toggle", session=False)

    def action_archive(self) -> None:
        self.confirm_archive(self.number)

    def action_restore(self) -> None:
        self.restore(self.number)

    def write_done(self, message: Any) -> None:
        self.reload()
