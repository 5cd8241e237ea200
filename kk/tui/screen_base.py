"""What every kk screen shares: the app it belongs to, and running one write through a
service in a worker (archive, restore, forms), with the result coming back as a message.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual import on, work
from textual.message import Message
from textual.screen import Screen

from kk.errors import KkError
from kk.tui import data
from kk.tui.messages import CustomerChanged

if TYPE_CHECKING:
    from sqlmodel import Session

    from kk.tui.app import KkApp

ResultT = TypeVar("ResultT")
#: A write: gets the open session (or stdlib connection), returns the customer's number.
Change = Callable[[Any], str]


class WriteDone(Message):
    """A write committed."""

    def __init__(self, number: str, text: str, tag: str) -> None:
        super().__init__()
        self.number = number
        self.text = text
        self.tag = tag


class WriteFailed(Message):
    """A service refused a write; nothing was saved (the transaction rolled back)."""

    def __init__(self, error: KkError, tag: str) -> None:
        super().__init__()
        self.error = error
        self.tag = tag


class KkScreen(Screen[ResultT]):
    """A screen of the kk app."""

    @property
    def kk(self) -> KkApp:
        return cast("KkApp", self.app)

    def run_write(self, change: Change, done: str, tag: str = "", *, session: bool = True) -> None:
        """Run `change` off the UI thread: in one SQLModel session's transaction, or with a
        stdlib connection (`session=False`) for the services that open their own."""
        self._write(self.kk.db_path, change, done, tag, session)

    @work(thread=True, group="write")
    def _write(self, path: Path, change: Change, done: str, tag: str, session: bool) -> None:
        try:
            if session:
                with data.write(path) as open_session:
                    number = change(open_session)
            else:
                with data.read(path) as connection:
                    number = change(connection)
        except KkError as error:
            self.post_message(WriteFailed(error, tag))
            return
        self.post_message(WriteDone(number, done, tag))

    @on(WriteDone)
    def _write_done(self, message: WriteDone) -> None:
        message.stop()
        if message.text:
            self.notify(message.text)
        self.app.post_message(CustomerChanged(message.number))
        self.write_done(message)

    @on(WriteFailed)
    def _write_failed(self, message: WriteFailed) -> None:
        message.stop()
        self.write_failed(message)

    def write_done(self, message: WriteDone) -> None:
        """Hook: a write of this screen committed."""

    def write_failed(self, message: WriteFailed) -> None:
        """Hook: a write of this screen was refused (default: a notification)."""
        self.notify(message.error.message, severity="error", timeout=8)

    # -- archive and restore, offered by the list and the detail -------------------------

    def confirm_archive(self, number: str) -> None:
        """Ask, then archive `number` (it vanishes from lists; an admin can restore it)."""
        from kk.tui.dialogs import ConfirmDialog

        actor = self.kk.actor
        dialog = ConfirmDialog(
            f"Archive {number}?",
            "The customer vanishes from lists and searches and keeps all its records. "
            "Only an admin can restore it.",
            confirm="Archive",
            ask_reason=True,
        )

        def answered(ok: bool | None) -> None:
            if not ok:
                return
            reason = dialog.reason

            def change(session: Session) -> str:
                from kk.services.customers import archive_customer

                return archive_customer(session, number, reason=reason, actor=actor).number

            self.run_write(change, f"{number} archived", tag="archive")

        self.app.push_screen(dialog, answered)

    def restore(self, number: str) -> None:
        """Restore an archived customer; the service refuses anyone but an admin."""
        actor = self.kk.actor

        def change(session: Session) -> str:
            from kk.services.customers import restore_customer

            return restore_customer(session, number, actor=actor).number

        self.run_write(change, f"{number} restored", tag="restore")


def field_of(error: KkError, fields: Any) -> str | None:
    """The form field an error is about: its `field`, else the flag it starts with."""
    if error.field and error.field in fields:
        return error.field
    head = error.message.split(":", 1)[0].strip()
    if head.startswith("--"):
        key = head[2:].replace("-", "_")
        key = {"discount": "discount_percent", "role": "roles", "label": "labels"}.get(key, key)
        if key in fields:
            return key
    return None
