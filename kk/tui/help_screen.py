"""The help screen: every key of every screen, read from the screens' own bindings so it
cannot drift from what the keys do."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

INTRO = (
    "kk tui — browse, find and edit customers. Type to search; Enter opens; Escape goes "
    "back. Every change goes through the same services (and the same audit log) as the "
    "kk command line."
)


def _sections() -> list[tuple[str, list[BindingType]]]:
    from kk.tui.app import KkApp
    from kk.tui.detail_screen import CustomerDetailScreen
    from kk.tui.dialogs import ConfirmDialog
    from kk.tui.forms import FormScreen
    from kk.tui.list_screen import CustomerListScreen

    everywhere: list[BindingType] = [
        *KkApp.BINDINGS,
        Binding("ctrl+p", "command_palette", "Command palette: new customer, go to number, "
                "run or export a selection, theme"),
    ]  # fmt: skip
    return [
        ("Everywhere", everywhere),
        ("Customer list", CustomerListScreen.BINDINGS),
        ("Customer list: table", [
            Binding("enter", "open", "Open the highlighted customer"),
            Binding("up,down,pageup,pagedown", "move", "Move the cursor"),
            Binding("home,end", "ends", "First row, last loaded row (End again: the next page)"),
        ]),
        ("Customer detail", CustomerDetailScreen.BINDINGS),
        ("Forms", FormScreen.BINDINGS),
        ("Dialogs", ConfirmDialog.BINDINGS),
    ]  # fmt: skip


class HelpScreen(ModalScreen[None]):
    """Keys, by screen."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text(INTRO), id="help-intro")
            yield Static(self._table(), id="help-keys")

    def _table(self) -> Table:
        grid = Table(box=None, show_header=False, padding=(0, 2), expand=True)
        grid.add_column(no_wrap=True, style="bold", min_width=16)
        grid.add_column(ratio=1)
        for title, bindings in _sections():
            grid.add_row(Text(title, style="bold underline"), "")
            for binding in bindings:
                if not isinstance(binding, Binding):
                    continue
                keys = " ".join(
                    self.app.get_key_display(replace_key(binding, key))
                    for key in binding.key.split(",")
                )
                grid.add_row(keys, binding.tooltip or binding.description or binding.action)
            grid.add_row("", "")
        return grid

    def action_close(self) -> None:
        self.dismiss()


def replace_key(binding: Binding, key: str) -> Binding:
    from dataclasses import replace

    return replace(binding, key=key.strip())
