"""Write customer records as CSV, streaming.

Two dialects: the default (UTF-8, ``,``, LF) for scripts, and ``excel=True`` (UTF-8 BOM,
``;``, CRLF) which German Excel opens with umlauts and columns right on a double click. No
``sep=;`` line in Excel mode: Excel then ignores the BOM and garbles the umlauts.

Formula injection: a cell beginning with ``=``, ``+``, ``-``, ``@``, tab or CR would run as a
formula in a spreadsheet (OWASP "CSV injection"), so it gets a leading ``'`` unless
``raw=True``. This includes E.164 phone numbers (``+4930…``): a spreadsheet would otherwise
read ``+49 30 1234`` as arithmetic. To keep round trips exact, the writer also protects a
value that already is ``'``-quotes followed by such a character, and kk's CSV reader drops
exactly one leading ``'`` before such a character (:func:`kk.formats.csv_in.unneutralise`):
a kk export re-imports to identical values. The price: a foreign file whose cell really is
``'=x`` reads as ``=x``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from kk.formats.csv_in import FORMULA_STARTS
from kk.formats.rows import cell_text

#: First characters that may need a protecting ``'``.
_RISKY = frozenset("'=+-@\t\r")


def neutralise(value: str) -> str:
    """Prefix ``'`` to a value a spreadsheet would run as a formula."""
    if value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(
    records: Iterable[Mapping[str, Any]],
    out: TextIO,
    *,
    columns: list[str],
    excel: bool = False,
    raw: bool = False,
) -> int:
    """Write a header of ``columns`` and one row per record; return the rows written.

    ``out`` must be opened with ``newline=""`` (and ``encoding="utf-8"``): the line ends
    are written here. Lists (labels, roles) are joined with ``;``; None is an empty cell;
    booleans are ``true``/``false``.
    """
    if excel:
        out.write("\ufeff")
    writer = csv.writer(
        out,
        delimiter=";" if excel else ",",
        lineterminator="\r\n" if excel else "\n",
        quoting=csv.QUOTE_MINIMAL,
    )
    writer.writerow(columns)
    risky = frozenset() if raw else _RISKY

    def convert(value: Any) -> str:
        text = cell_text(value)
        return text if raw else neutralise(text)

    count = 0
    writerow = writer.writerow
    for record in records:
        # one comprehension: plain safe strings, nearly all cells, pass as they are
        writerow(
            [
                ""
                if value is None
                else value
                if type(value) is str and (not value or value[0] not in risky)
                else convert(value)
                for value in map(record.get, columns)
            ]
        )
        count += 1
    return count
