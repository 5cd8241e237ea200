"""Guess the encoding and the delimiter of a CSV file from its first bytes.

Files reach kk from German Excel (cp1252, ``;``), from Excel's "CSV UTF-8" (BOM), from
Excel's "Unicode Text" (UTF-16 LE, tab) and from scripts (UTF-8, ``,``). A user should not
have to say which: the guess is cheap and wrong only for files that mix encodings.
"""

from __future__ import annotations

import codecs

#: The delimiters kk recognises, in the order ties are broken.
DELIMITERS = (";", ",", "\t")


def detect_encoding(head: bytes) -> str:
    """Return a Python codec name for a file beginning with ``head``.

    A BOM decides; otherwise UTF-8 if ``head`` decodes as UTF-8 (a multi-byte sequence cut
    at the end of ``head`` still counts as UTF-8), else cp1252, which German Excel writes
    and which decodes every byte but five.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def sep_line(first_line: str) -> str | None:
    """Return the delimiter an Excel ``sep=X`` first line announces, else None."""
    text = first_line.strip("\r\n").lstrip("\ufeff")
    if text.lower().startswith("sep=") and len(text) == 5:
        return text[4]
    return None


def detect_delimiter(sample_text: str) -> str:
    """Return the delimiter of a CSV text among ``;``, ``,`` and tab.

    Excel's ``sep=;`` first line wins. Otherwise the header line decides: the delimiter
    that occurs most often outside double quotes; ``,`` when none occurs (a one-column
    file).
    """
    lines = sample_text.lstrip("\ufeff").splitlines()
    if not lines:
        return ","
    announced = sep_line(lines[0])
    if announced is not None:
        return announced
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in lines[0]:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","
