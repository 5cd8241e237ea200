"""The kk browser application: which screens exist, app-wide keys, themes, the palette.

Start-up is budgeted (first screen under 0.6 s on a million customers): this module and
the list screen import only what the first screen shows; the detail screen, the forms and
the write path (SQLModel, ~480 ms) are imported when first used.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType

from kk.errors import KkError
from kk.services.users import Actor
from kk.tui.list_screen import CustomerListScreen
from kk.tui.messages import CustomerChanged, DetailRead
from kk.tui.palette import KkCommands

if TYPE_CHECKING:
    from textual.screen import Screen

THEMES = {"dark": "textual-dark", "light": "textual-light"}

PaletteEntry = tuple[str, str, Callable[[], object]]


class KkApp(App[None]):
    """Browse, find and edit customers; the same services as the CLI underneath."""

    #: The list screen is the default screen, whose own CSS_PATH Textual does not load.
    CSS_PATH = ["app.tcss", "list.tcss"]
    TITLE = "kk"
    COMMANDS = App.COMMANDS | {KkCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", tooltip="Quit kk (nothing is left unsaved)."),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            show=False,
            priority=True,
            tooltip="Quit kk, also from a text box",
        ),
        Binding("question_mark,f1", "help", "Help", tooltip="This list of keys"),
        Binding(
            "ctrl+t",
            "toggle_theme",
            "Light/dark",
            show=False,
            tooltip="Switch between the dark and the light theme",
        ),
    ]

    def __init__(
        self,
        db_path: Path,
        actor: Actor,
        *,
        theme: str = "dark",
        default_country: str = "DE",
    ) -> None:
        super().__init__()
        self.db_path = db_path
        self.actor = actor
        self.default_country = default_country
        self.theme = THEMES.get(theme, theme)
        self.sub_title = f"{actor.name} ({actor.role}) · {db_path.name}"
        self.list_screen = CustomerListScreen()

    def get_default_screen(self) -> Screen[None]:
        return self.list_screen

    # -- app-wide actions -------------------------------------------------------------

    def action_help(self) -> None:
        from kk.tui.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def open_customer(self, ref: str) -> None:
        """Show the detail of the customer `ref` (CUS-0042, cus-42, 42).

        The data is read first, off the UI thread, and the screen is pushed with it: one
        paint instead of an empty screen and a second one (measured ~150 ms less)."""
        from kk.services.numbers import parse_ref

        try:
            number = parse_ref(ref)
        except KkError as error:
            self.notify(error.message, severity="error")
            return
        self._read_detail(self.db_path, number)

    @work(thread=True, exclusive=True, group="open-customer")
    def _read_detail(self, path: Path, number: str) -> None:
        from kk.tui import data, detail_data

        try:
            with data.read(path) as connection:
                detail = detail_data.load(connection, number)
        except KkError as error:
            self.post_message(DetailRead(number, None, error))
            return
        self.post_message(DetailRead(number, detail, None))

    def on_detail_read(self, message: DetailRead) -> None:
        from kk.tui.detail_screen import CustomerDetailScreen

        if message.error is not None:
            self.notify(message.error.message, severity="error")
            return
        self.push_screen(CustomerDetailScreen(message.number, message.detail))

    def action_goto(self) -> None:
        from kk.tui.dialogs import NumberDialog

        def chosen(ref: str | None) -> None:
            if ref:
                self.open_customer(ref)

        self.push_screen(NumberDialog(), chosen)

    def on_customer_changed(self, message: CustomerChanged) -> None:
        """A screen changed a customer: the list updates that row in place."""
        self.list_screen.refresh_customer(message.number)

    # -- command palette --------------------------------------------------------------

    def to_list(self) -> CustomerListScreen:
        """Bring the customer list to the front (closing details and forms above it)."""
        while len(self.screen_stack) > 1 and self.screen is not self.list_screen:
            self.pop_screen()
        return self.list_screen

    def _on_list(self, action: Callable[[CustomerListScreen], object]) -> Callable[[], None]:
        def run() -> None:
            action(self.to_list())

        return run

    def palette_commands(self) -> list[PaletteEntry]:
        """kk's own commands for the palette (selections are added by the provider)."""
        on_list = self._on_list
        return [
            ("New customer", "Open the form for a new customer",
             on_list(lambda s: s.action_new_customer())),
            ("Go to customer number", "Open a customer by its number", self.action_goto),
            ("Search customers", "Focus the search box",
             on_list(lambda s: s.action_focus_search())),
            ("Filter customers", "Focus the filter bar",
             on_list(lambda s: s.action_focus_filter())),
            ("Run selection", "Pick a saved selection",
             on_list(lambda s: s.action_pick_selection())),
            ("Clear search and filter", "Show every customer",
             on_list(lambda s: s.action_clear())),
            ("Show/hide archived customers", "Active, all, archived only",
             on_list(lambda s: s.action_archived())),
            ("Sort by next column", "Name, number, created, last activity",
             on_list(lambda s: s.action_sort())),
            ("Reverse sort order", "Ascending or descending",
             on_list(lambda s: s.action_reverse())),
            ("Light/dark theme", "Switch between the light and the dark theme",
             self.action_toggle_theme),
            ("Help: keys", "Every key of every screen", self.action_help),
        ]  # fmt: skip

    def selection_names(self) -> list[str]:
        """The saved selections (called from a thread: opens its own connection)."""
        from kk.tui import data
        from kk.tui.source import selection_names

        with data.read(self.db_path) as connection:
            return selection_names(connection)

    def run_selection(self, name: str) -> None:
        self.to_list().run_selection(name)

    def export_selection(self, name: str) -> None:
        self.to_list().export_selection(name)
