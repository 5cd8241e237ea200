"""What every reader yields: a raw record with the place in the file it came from.

Readers do not validate. They trim, split list cells and map names to kk's customer keys;
the import service validates and reports problems by :attr:`SourceRow.where`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

#: The JSON keys of a customer record, in kk's export column order.
KK_KEYS: tuple[str, ...] = (
    "number",
    "kind",
    "display_name",
    "company_name",
    "register_number",
    "vat_id",
    "tax_number",
    "salutation",
    "title",
    "first_name",
    "last_name",
    "email",
    "phone",
    "mobile",
    "website",
    "street",
    "postal_code",
    "city",
    "country",
    "notes",
    "discount_percent",
    "roles",
    "labels",
    "is_template",
    "do_not_contact",
    "archived",
    "archived_at",
    "archived_by",
    "archive_reason",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "last_activity_at",
)

#: Keys whose value is a list of strings.
LIST_KEYS = frozenset({"labels", "roles"})

#: A record: kk keys to ``str`` or ``list[str]``; ``extra`` maps source names to values the
#: reader could not place (a second phone, a fax number) so the importer can report them.
Record = dict[str, Any]


@dataclass(slots=True)
class SourceRow:
    """One record read from a file, or the reason it could not be read.

    ``line`` is the 1-based physical line where the record starts (for JSON arrays: the
    element number); ``where`` says the same for a message ("line 12", "element 3 (line
    9)", "card 4 (line 57)"). ``raw`` holds the source as read: the cells (CSV), the line or
    element text (JSON), the card's lines (vCard) — what a reject file writes back.
    ``keys`` names the kk keys the source states for this record, nulls and empty values
    included (a JSON object's keys); None when the whole file states the same keys (a CSV
    header) — an upsert clears exactly the stated keys that are empty.
    """

    line: int
    record: Record
    raw: list[str] = field(default_factory=list)
    error: str | None = None
    where: str = ""
    keys: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if not self.where:
            self.where = f"line {self.line}"


_SPLIT_ANY = re.compile(r"\s*[;,]\s*")


def split_list(value: str, how: str = ";") -> list[str]:
    """Split a list cell: ``";"`` (kk's own), ``";,"`` (hand-made sheets) or ``":::"``
    (Google, whose system groups such as ``* myContacts`` are dropped). Blank items and
    repeats go; order stays."""
    if how == ":::":
        parts = [p.strip() for p in value.split(":::")]
        parts = [p for p in parts if not p.startswith("* ")]
    elif how == ";,":
        parts = _SPLIT_ANY.split(value.strip())
    else:
        parts = [p.strip() for p in value.split(";")]
    parts = [p for p in parts if p]
    return parts if len(set(parts)) == len(parts) else list(dict.fromkeys(parts))


#: Words that open a name prefix and are a salutation rather than an academic title.
SALUTATIONS = frozenset(
    {"herr", "frau", "divers", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "mx", "mx."}
)


def split_prefix(prefix: str) -> tuple[str | None, str | None]:
    """Split a name prefix such as ``"Herr Dr."`` into salutation and title.

    vCard's N and Outlook's "Title"/"Anrede" hold both in one field; kk keeps them apart.
    """
    words = prefix.split()
    if not words:
        return None, None
    if words[0].casefold() in SALUTATIONS:
        rest = " ".join(words[1:])
        return words[0], rest or None
    return None, " ".join(words)


def cell_text(value: Any, list_sep: str = ";") -> str:
    """Render one value for a text cell: None is empty, booleans are ``true``/``false``,
    lists are joined with ``list_sep``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return list_sep.join(cell_text(v) for v in value)
    return str(value)
