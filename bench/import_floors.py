#!/usr/bin/env python3
"""The two halves of `kk import csv`, each alone, to show what any importer of kk's data
must spend per row on this machine (bench_import_export.py runs both in the same run):

    python bench/import_floors.py rules FILE.csv
        read the file through kk's CSV reader and check every row with kk's rules
        (kk.services.import_rows.Preparer: clean_customer, labels, stamps, search texts),
        one process, no database;
    python bench/import_floors.py insert KK.db TEMPLATE.db
        copy the customers and search index rows a `kk import` wrote (already clean) into
        a fresh database of kk's schema with executemany, in one transaction, the way a
        bulk `kk import` writes (indexes the load does not read built at the end, the search
        index merged once): the database work alone, without a single check.

The CPU seconds of the two add up to the least CPU an import that checks every row and
keeps the search index can spend; on two cores that is a ceiling for rows/s.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path


def rules(path: Path) -> int:
    from kk.services.import_rows import Preparer, Rules
    from kk.services.import_sources import open_source

    with path.open("rb") as stream:
        source = open_source(stream, "csv")
        preparer = Preparer(
            Rules(actor="bench", now="2026-11-23T00:00:00+00:00", index_texts=True),
            source.columns,
        )
        count = 0
        for row in source.rows:
            built = source.build(row) if source.build is not None else row
            if built is not None:
                preparer.prepare(built)
                count += 1
    return count


def insert(kk_db: Path, target: Path) -> int:
    from kk.services import search_index

    source = sqlite3.connect(kk_db)
    out = sqlite3.connect(target, isolation_level=None)
    out.execute("PRAGMA journal_mode = WAL")
    out.execute("PRAGMA synchronous = NORMAL")
    columns = [row[1] for row in source.execute("PRAGMA table_info(customer)")]
    marks = ", ".join("?" * len(columns))
    fts = [row[1] for row in source.execute("PRAGMA table_info(customer_fts)")]
    fts_marks = ", ".join("?" * (len(fts) + 1))
    out.execute("BEGIN")
    # as kk does on a bulk load: indexes the load does not read are built once at the end
    dropped = [
        sql
        for name, sql in out.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name = 'customer' AND sql NOT LIKE '%UNIQUE%' "
            "AND sql NOT LIKE '%(email)%' AND sql NOT LIKE '%(vat_id)%'"
        ).fetchall()
        if out.execute(f'DROP INDEX "{name}"') is not None
    ]
    search_index.defer_merges(out)
    out.executemany(
        f"INSERT INTO customer ({', '.join(columns)}) VALUES ({marks})",
        source.execute(f"SELECT {', '.join(columns)} FROM customer ORDER BY id"),
    )
    out.executemany(
        f"INSERT INTO customer_fts (rowid, {', '.join(fts)}) VALUES ({fts_marks})",
        source.execute(f"SELECT rowid, {', '.join(fts)} FROM customer_fts ORDER BY rowid"),
    )
    for sql in dropped:
        out.execute(sql)
    search_index.merge_now(out)
    out.execute("COMMIT")
    return int(out.execute("SELECT count(*) FROM customer").fetchone()[0])


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "rules":
        print(rules(Path(argv[1])))
        return 0
    if len(argv) == 3 and argv[0] == "insert":
        print(insert(Path(argv[1]), Path(argv[2])))
        return 0
    sys.stderr.write(__doc__ or "")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
