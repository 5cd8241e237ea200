"""Messages that travel up from a screen to the app (attributes down, messages up)."""

from __future__ import annotations

from textual.message import Message


class CustomerChanged(Message):
    """A customer was added, edited, archived or restored: lists showing it refresh it."""

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
