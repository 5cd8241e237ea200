"""kk's commands in Textual's command palette (ctrl+p): new customer, go to a number, run
or export a saved selection, sorting, archived, theme, help."""

from __future__ import annotations

import asyncio
import re
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from kk.errors import KkError

if TYPE_CHECKING:
    from kk.tui.app import KkApp, PaletteEntry

_NUMBER = re.compile(r"^\s*(?:cus-?)?0*(\d{1,9})\s*$", re.IGNORECASE)


class KkCommands(Provider):
    """Commands of the kk browser."""

    async def startup(self) -> None:
        app = cast("KkApp", self.app)
        try:
            self.selections = await asyncio.to_thread(app.selection_names)
        except KkError:
            self.selections = []

    def _entries(self) -> list[PaletteEntry]:
        app = cast("KkApp", self.app)
        entries = app.palette_commands()
        for name in self.selections:
            entries.append((f"Run selection: {name}", "Show the customers of this selection",
                            partial(app.run_selection, name)))  # fmt: skip
            entries.append((f"Export selection: {name}", "Write its customers to a CSV file",
                            partial(app.export_selection, name)))  # fmt: skip
        return entries

    async def discover(self) -> Hits:
        for title, help_text, callback in self._entries():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        app = cast("KkApp", self.app)
        number = _NUMBER.match(query)
        if number and int(number.group(1)):
            ref = number.group(1)
            yield Hit(1.0, f"Open customer {ref}", partial(app.open_customer, ref),
                      help="Go to this customer number")  # fmt: skip
        matcher = self.matcher(query)
        for title, help_text, callback in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
