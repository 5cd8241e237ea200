"""Messages that travel up from a screen to the app (attributes down, messages up)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from kk.errors import KkError


class CustomerChanged(Message):
    """A customer was added, edited, archived or restored: lists showing it refresh it."""

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number


class DetailRead(Message):
    """Everything about one customer was read (or could not be: `error`)."""

    def __init__(self, number: str, detail: dict[str, Any] | None, error: KkError | None) -> None:
        super().__init__()
        self.number = number
        self.detail = detail
        self.error = error
