"""The customer list's rows: a Line-API widget that draws only the lines on screen.

Textual's DataTable renders each cell through Rich (measured ~0.3 ms a cell here) and
re-measures every row it gets; refilling it on every keystroke cost more than the search
itself. This widget keeps each loaded row as a tuple of ready-made cell texts and draws a
line as a handful of Segments, so a refill costs what the query costs. It knows only the
rows loaded so far: the screen feeds it keyset pages and is told when the view nears the
end (`NearEnd`), so a million customers scroll without being loaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

#: Fetch the next page when the cursor or the view comes this close to the last row.
NEAR_END = 25


@dataclass(frozen=True)
class Row:
    """One loaded customer: its number (the row's key), cell texts, archived or not."""

    number: str
    cells: tuple[str, ...]
    archived: bool = False


def fit(text: str, width: int) -> str:
    """`text` on one line, cut or padded to exactly `width` cells (… marks a cut)."""
    if "\n" in text or "\t" in text:
        text = " ".join(text.split())
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…" if width > 0 else ""
    return set_cell_size(text, width)


def line_text(cells: Sequence[str], widths: Sequence[int]) -> str:
    """The cells of one line, each padded by a space on both sides."""
    return "".join(f" {fit(cell, width)} " for cell, width in zip(cells, widths, strict=True))


class CustomerRows(ScrollView, can_focus=True):
    """Rows of customers with a cursor; Enter (or a click on the cursor row) selects."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "rows--cursor",
        "rows--even",
        "rows--archived",
    }
    DEFAULT_CSS = """
    CustomerRows {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        & > .rows--cursor { background: $block-cursor-blurred-background;
                            color: $block-cursor-blurred-foreground; }
        &:focus > .rows--cursor { background: $block-cursor-background;
                                  color: $block-cursor-foreground;
                                  text-style: $block-cursor-text-style; }
        & > .rows--even { background: $surface-lighten-1 40%; }
        & > .rows--archived { color: $text-muted; text-style: italic; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "first", "First row", show=False),
        Binding("end", "last", "Last loaded row", show=False),
        Binding("enter", "select", "Open", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True)

    class Highlighted(Message):
        """The cursor moved to row `index`."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class Selected(Message):
        """The user chose the customer `number` (Enter, or a click on the cursor row)."""

        def __init__(self, number: str) -> None:
            super().__init__()
            self.number = number

    class NearEnd(Message):
        """The view shows the last loaded rows: time to fetch the next page."""

    def __init__(self, widths: Sequence[int], *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.widths = list(widths)
        self.rows: list[Row] = []
        self._index: dict[str, int] = {}
        self._styles: dict[str, Style] = {}

    # -- data -----------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def numbers(self) -> list[str]:
        """The customer numbers of the loaded rows, top to bottom."""
        return [row.number for row in self.rows]

    def __contains__(self, number: object) -> bool:
        return number in self._index

    def get_row_index(self, number: str) -> int:
        return self._index[number]

    def cells(self, number: str) -> tuple[str, ...]:
        return self.rows[self._index[number]].cells

    def clear(self) -> None:
        self.rows = []
        self._index = {}
        self.scroll_to(y=0, animate=False, immediate=True)
        self._resized()
        self.cursor_row = 0

    def add_rows(self, rows: Iterable[Row]) -> None:
        """Append rows (a row whose number is loaded already is skipped)."""
        for row in rows:
            if row.number not in self._index:
                self._index[row.number] = len(self.rows)
                self.rows.append(row)
        self._resized()

    def replace_row(self, row: Row) -> None:
        self.rows[self._index[row.number]] = row
        self.refresh()

    def remove_row(self, number: str) -> None:
        index = self._index[number]
        del self.rows[index]
        self._index = {row.number: i for i, row in enumerate(self.rows)}
        self._resized()
        self.cursor_row = min(self.cursor_row, max(len(self.rows) - 1, 0))

    def current_number(self) -> str | None:
        """The number of the customer under the cursor."""
        if not self.rows:
            return None
        return self.rows[min(self.cursor_row, len(self.rows) - 1)].number

    def set_widths(self, widths: Sequence[int]) -> None:
        self.widths = list(widths)
        self._resized()

    def _resized(self) -> None:
        width = sum(self.widths) + 2 * len(self.widths)
        self.virtual_size = Size(width, len(self.rows))
        self.refresh()

    # -- cursor -------------------------------------------------------------------------

    def move_cursor(self, row: int) -> None:
        self.cursor_row = max(0, min(row, len(self.rows) - 1))

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self.rows) - 1)) if self.rows else 0

    def watch_cursor_row(self, old: int, new: int) -> None:
        height = max(self.scrollable_content_region.height, 1)
        top = round(self.scroll_y)
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= top + height:
            self.scroll_to(y=new - height + 1, animate=False, immediate=True)
        self.refresh()
        if self.rows:
            self.post_message(self.Highlighted(new))

    def action_cursor(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def action_page(self, step: int) -> None:
        height = max(self.scrollable_content_region.height - 1, 1)
        self.move_cursor(self.cursor_row + step * height)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self.rows) - 1)

    def action_select(self) -> None:
        number = self.current_number()
        if number is not None:
            self.post_message(self.Selected(number))

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_y) + event.y
        if 0 <= index < len(self.rows):
            if index == self.cursor_row or event.chain > 1:
                self.cursor_row = index
                self.action_select()
            else:
                self.cursor_row = index

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        height = self.scrollable_content_region.height
        if self.rows and new_value + height >= len(self.rows) - NEAR_END:
            self.post_message(self.NearEnd())

    # -- drawing ------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = {}

    def _on_focus(self, event: events.Focus) -> None:
        self._styles = {}
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self._styles = {}
        self.refresh()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            base = self.rich_style
            style = base if name == "base" else base + self.get_component_rich_style(name)
            self._styles[name] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y
        if index >= len(self.rows):
            return Strip.blank(width, self._style("base"))
        row = self.rows[index]
        if index == self.cursor_row:
            style = self._style("rows--cursor")
        else:
            style = self._style("rows--even" if index % 2 else "base")
            if row.archived:
                style = style + self._style("rows--archived")
        text = line_text(row.cells, self.widths)
        return Strip([Segment(text, style)]).adjust_cell_length(width, style)
