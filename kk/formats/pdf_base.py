"""Shared PDF plumbing of kk: the bundled Unicode font, metadata, running head and footer.

Importing this module imports fpdf (~400 ms measured here), so the renderers import it
inside their functions, never at module top.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT = "DejaVu"

PAGE_WIDTH = 210.0
LEFT = 25.0
RIGHT = 20.0
TOP = 20.0
BODY_WIDTH = PAGE_WIDTH - LEFT - RIGHT
#: Room kept free at the bottom of every page for the footer.
FOOTER_HEIGHT = 38.0


def creation_datetime(created_at: datetime | None, fallback: date) -> datetime:
    """Fixed metadata date: same document, same bytes."""
    if created_at is not None:
        return created_at if created_at.tzinfo else created_at.replace(tzinfo=UTC)
    return datetime.combine(fallback, time(0, 0), tzinfo=UTC)


class KkPdf(FPDF):
    """A4 portrait in mm with DejaVu Sans, a footer of columns and ``Seite N von M``."""

    def __init__(
        self,
        *,
        title: str,
        author: str,
        created_at: datetime,
        footer_columns: list[list[str]],
        running_head: str,
    ) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_font(FONT, size=10)
        self.set_title(title)
        self.set_author(author)
        self.set_subject(title)
        self.set_creator("kk")
        self.set_producer("kk")
        self.set_lang("de-DE")
        self.set_creation_date(created_at)
        self.set_margins(LEFT, TOP, RIGHT)
        self.set_auto_page_break(True, margin=FOOTER_HEIGHT)
        self.alias_nb_pages()
        self.footer_columns = [c for c in footer_columns if c]
        self.running_head = running_head

    def header(self) -> None:
        if self.page_no() == 1 or not self.running_head:
            return
        self.set_font(FONT, size=8)
        self.set_text_color(90)
        self.set_xy(LEFT, 10)
        self.cell(BODY_WIDTH, 4, self.running_head, align="L")
        self.set_text_color(0)
        self.set_font(FONT, size=10)
        self.set_xy(LEFT, TOP)

    def footer(self) -> None:
        self.set_text_color(60)
        top = self.h - FOOTER_HEIGHT + 6
        self.set_draw_color(160)
        self.line(LEFT, top - 2, PAGE_WIDTH - RIGHT, top - 2)
        self.set_font(FONT, size=7)
        # Columns as wide as their longest line, the slack shared out, so an IBAN stays whole.
        natural = [max(self.get_string_width(t) for t in col) + 3 for col in self.footer_columns]
        slack = (BODY_WIDTH - sum(natural)) / len(natural) if natural else 0.0
        x = LEFT
        for column, width in zip(self.footer_columns, natural, strict=True):
            w = max(width + slack, 15.0)
            self.set_xy(x, top)
            self.multi_cell(w - 1, 3.2, "\n".join(column), align="L")
            x += w
        self.set_font(FONT, size=8)
        self.set_xy(LEFT, self.h - 12)
        self.cell(BODY_WIDTH, 4, f"Seite {self.page_no()} von {{nb}}", align="R")
        self.set_text_color(0)
        self.set_draw_color(0)
        self.set_font(FONT, size=10)

    def heading(self, text: str, size: float = 11) -> None:
        """A bold heading that never sits alone at the bottom of a page."""
        if self.will_page_break(size * 0.35 * 2 + 12):
            self.add_page()
        self.ln(2)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, size=10)
        self.ln(1)

    def paragraph(self, text: str, size: float = 9.5, height: float = 4.6) -> None:
        self.set_font(FONT, size=size)
        self.multi_cell(0, height, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, size=10)

    def to_bytes(self) -> bytes:
        return bytes(self.output())
