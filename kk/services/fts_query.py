"""FTS5 MATCH strings built from what a user typed, never from FTS5 syntax the user wrote.

The index (kk.services.search_index) holds German-folded text (kk.text.fold) and FTS5's
``unicode61`` tokenizer splits it on everything that is not a letter or a digit, so
``info@nuessl-bau.de`` is stored as the tokens ``info nussl bau de``; letters and digits
next to each other are split apart on both sides (``mueller2`` → ``muller 2``). The query side folds
the same way and only ever emits double-quoted strings, the ``*`` prefix marker, the column
filter ``col :``, parentheses and ``AND``; every character the user typed ends up inside
quotes as a plain token. So ``"``, ``*``, ``(``, ``-``, ``:``, ``^``, ``AND``, ``OR``,
``NOT`` and ``NEAR`` typed by a user can never cause an FTS5 syntax error — they are
either dropped (punctuation) or searched for as the words they are.

How a typed word becomes a query (``match_query``, all parts ANDed):

- an ordinary word becomes a prefix token: ``Mül`` → ``"mul"*``. A word that folding splits
  into several tokens becomes a phrase whose last token is a prefix:
  ``Müller-Lüdenscheid`` → ``"muller ludenscheid"*``;
- a customer number is searched in the ``number`` column, by its digits (the index keeps
  no ``cus``): ``CUS-0042`` → ``number : "0042"*``, ``cus-42`` → ``number : "42"*``;
- a word with ``@`` is an e-mail address or a part of one and is searched as a phrase in the
  ``email`` column only: ``@gmx.de`` → ``email : "gmx de"*`` (matches ``x@gmx.de`` and
  ``x@gmx.de.example``), ``info@firma.de`` → ``email : "info firma de"*``;
- a phone number is searched by its digits in the ``phone`` column, which holds the digits
  of the E.164 form and of the German national form: ``030/123 456`` →
  ``phone : "030123456"*``. A word counts as a phone number when it consists of digits and
  ``+ ( ) / -`` only and has at least one of those separators; several such words in a row
  are read as ONE number when the first starts with ``+``, ``0`` or ``(`` (``+49 30 1234``,
  ``0351 98 76``); a run of plain digit groups is also searched as those words each on
  its own (``01067 42`` may be a postal code and a customer number):
  ``(phone : "0106742"* OR ("01067"* AND "42"*))``. A leading international ``00`` is
  dropped like a ``+``, and a trunk ``(0)`` after a country code is ignored
  (``+49 (0)30 1234`` → ``49301234``). A single plain digit run (``01067``, ``42``)
  stays an ordinary prefix token and so finds postal codes, customer numbers and phone
  numbers alike.

``phrase_query`` is the quoted-phrase form (``"sla gold"`` in a filter): the words in this
order next to each other in one column, each a whole word (no prefix) — except a phone
number, which is always searched by prefix. ``column_filter`` restricts a phrase to one
column (``city : "frankfurt am main"``), for ``city:`` in filter expressions.

Every function returns None when the text has nothing searchable (only punctuation).
"""

from __future__ import annotations

import unicodedata

from kk.services.search_index import COLUMNS, split_runs
from kk.text import digits, fold

__all__ = ["column_filter", "match_query", "phrase_query", "tokens"]

_PHONE_CHARS = frozenset("0123456789+()/-")
_PHONE_SEPARATORS = frozenset("+()/-")


def _token_char(char: str) -> bool:
    # unicode61's default token characters: categories L*, N* and Co.
    category = unicodedata.category(char)
    return category[0] in "LN" or category == "Co"


def tokens(text: str) -> list[str]:
    """The folded tokens of ``text`` as the index tokenizer sees them (letters and digits;
    a run of letters and a run of digits next to each other are two tokens, as indexed)."""
    return "".join(c if _token_char(c) else " " for c in split_runs(fold(text))).split()


def _quote(words: list[str]) -> str:
    return '"' + " ".join(words).replace('"', '""') + '"'


def _is_phone_word(word: str) -> bool:
    return all(c in _PHONE_CHARS for c in word) and any(c.isdigit() for c in word)


def _phone(text: str) -> str | None:
    stripped = text.strip()
    if stripped.startswith(("+", "00")):
        stripped = stripped.replace("(0)", "")
    number = digits(stripped)
    if stripped.startswith("00"):
        number = number[2:]
    return f"phone : {_quote([number])}*" if number else None


def _chunks(text: str) -> list[tuple[str, bool]]:
    """The words of ``text``, with runs of phone-number parts joined; (chunk, is_phone)."""
    words = text.split()
    chunks: list[tuple[str, bool]] = []
    i = 0
    while i < len(words):
        word = words[i]
        if _is_phone_word(word):
            j = i + 1
            if word[0] in "+0(":
                while j < len(words) and _is_phone_word(words[j]):
                    j += 1
            run = " ".join(words[i:j])
            chunks.append((run, j > i + 1 or any(c in _PHONE_SEPARATORS for c in run)))
            i = j
        else:
            chunks.append((word, False))
            i += 1
    return chunks


def _customer_number(words: list[str]) -> str | None:
    # The index keeps a number's digits only (every row has the 'cus').
    if len(words) == 2 and words[0] == "cus" and words[1].isdigit():
        return f"number : {_quote(words[1:])}"
    return None


def _word(word: str) -> str | None:
    words = tokens(word)
    if not words:
        return None
    number = _customer_number(words)
    if number:
        return number + "*"
    if "@" in word:
        return f"email : {_quote(words)}*"
    return f"{_quote(words)}*"


def _run(chunk: str) -> str | None:
    # '01067 42' may be a phone number or a postal code and a customer number: ask for both.
    phone = _phone(chunk)
    if phone is None or any(c in _PHONE_SEPARATORS for c in chunk):
        return phone
    words = [query for query in map(_word, chunk.split()) if query]
    return f"({phone} OR ({' AND '.join(words)}))"


def match_query(text: str) -> str | None:
    """An FTS5 MATCH string finding rows that contain every word of ``text`` (as prefixes)."""
    parts = [_run(chunk) if is_phone else _word(chunk) for chunk, is_phone in _chunks(text)]
    found = [part for part in parts if part]
    return " AND ".join(found) if found else None


def phrase_query(text: str) -> str | None:
    """An FTS5 MATCH string for the words of ``text`` as one phrase of whole words."""
    if _is_phone_word("".join(text.split())) and any(
        c in _PHONE_SEPARATORS or c.isspace() for c in text.strip()
    ):
        return _phone(text)
    words = tokens(text)
    if not words:
        return None
    if "@" in text and len(text.split()) == 1:
        return f"email : {_quote(words)}"
    return _customer_number(words) or _quote(words)


def column_filter(column: str, text: str, *, prefix: bool = False) -> str | None:
    """An FTS5 MATCH string for the words of ``text`` as one phrase inside ``column``.

    Whole words unless ``prefix``, which makes the last word a prefix: ``city : "frank"*``.
    """
    if column not in COLUMNS:
        raise ValueError(f"customer_fts has no column {column!r}")
    words = tokens(text)
    if not words:
        return None
    return f"{column} : {_quote(words)}{'*' if prefix else ''}"
