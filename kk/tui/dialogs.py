"""Small modal dialogs: confirm (with an optional reason), go to a number, pick a selection."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from kk.errors import KkError
from kk.tui import data

DIALOG_CSS = "dialogs.tcss"


class ConfirmDialog(ModalScreen[bool]):
    """Yes or no to one question; nothing happens on no (Escape)."""

    CSS_PATH = DIALOG_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+y", "confirm", "Confirm", show=False),
    ]

    def __init__(
        self, question: str, detail: str = "", *, confirm: str = "Yes", ask_reason: bool = False
    ) -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.confirm_label = confirm
        self.ask_reason = ask_reason
        #: The reason typed into the dialog (None if none was asked for or typed).
        self.reason: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.question, id="question")
            if self.detail:
                yield Static(self.detail, id="detail")
            if self.ask_reason:
                yield Input(placeholder="Reason (optional)", id="reason")
            with Horizontal(id="buttons"):
                yield Button(self.confirm_label, variant="error", id="confirm")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#reason" if self.ask_reason else "#cancel").focus()

    @on(Button.Pressed, "#confirm")
    @on(Input.Submitted, "#reason")
    def action_confirm(self) -> None:
        if self.ask_reason:
            self.reason = self.query_one("#reason", Input).value.strip() or None
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


class NumberDialog(ModalScreen[str | None]):
    """Ask for a customer number to open."""

    CSS_PATH = DIALOG_CSS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Go to customer number", id="question")
            yield Input(placeholder="CUS-0042, cus-42 or 42", id="number")

    @on(Input.Submitted, "#number")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SelectionDialog(ModalScreen[str | None]):
    """Pick a saved selection to show; "" means no selection, None means cancel."""

    CSS_PATH = DIALOG_CSS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    class Loaded(Message):
        def __init__(self, names: list[str], error: KkError | None) -> None:
            super().__init__()
            self.names = names
            self.error = error

    def __init__(self, db_path: Path, current: str | None) -> None:
        super().__init__()
        self.db_path = db_path
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Run a saved selection", id="question")
            yield OptionList(id="selections")

    def on_mount(self) -> None:
        self._load(self.db_path)

    @work(thread=True, exclusive=True)
    def _load(self, path: Path) -> None:
        from kk.tui.source import selection_names

        try:
            with data.read(path) as connection:
                names = selection_names(connection)
        except KkError as error:
            self.post_message(self.Loaded([], error))
            return
        self.post_message(self.Loaded(names, None))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        options = self.query_one("#selections", OptionList)
        options.add_option(Option("(no selection: every customer)", id=""))
        for name in message.names:
            options.add_option(Option(name, id=name))
        if message.error:
            self.notify(message.error.message, severity="error")
        if self.current in message.names:
            options.highlighted = message.names.index(self.current) + 1
        else:
            options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#selections")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id or "")

    def action_cancel(self) -> None:
        self.dismiss(None)
