#!/usr/bin/env python3
"""The reference kk is measured against: the same queries with typer + stdlib sqlite3 only.

Usage:
    python kkprobe_sqlite3.py search nussl --db kk1m.db     # the term folded already
    python kkprobe_sqlite3.py list --db kk1m.db
    python kkprobe_sqlite3.py filter --db kk1m.db            # kind:company city:berlin label:vip
    python kkprobe_sqlite3.py --argparse search nussl --db kk1m.db   # stdlib only

Copied from ../shared/bench/kkprobe_sqlite3.py and pointed at kk's schema (customer,
customer_fts, sort_key): what a Python CLI reaches when the hot path imports nothing
heavy. It prints four plain columns per row; kk prints a table or full JSON records.
"""

import sqlite3
import sys

SEARCH = (
    "SELECT id, number, display_name, email, city FROM customer WHERE id IN "
    "(SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?) "
    "AND archived_at IS NULL AND restricted = 0 ORDER BY sort_key LIMIT ?"
)
LIST = (
    "SELECT id, number, display_name, email, city FROM customer "
    "WHERE archived_at IS NULL AND restricted = 0 ORDER BY sort_key, id LIMIT ?"
)
FILTER = (
    "SELECT id, number, display_name, email, city FROM customer c "
    "WHERE kind = 'company' AND id IN (SELECT rowid FROM customer_fts "
    "WHERE customer_fts MATCH 'city : \"berlin\"') AND EXISTS (SELECT 1 FROM "
    "customer_label cl JOIN label l ON l.id = cl.label_id WHERE cl.customer_id = c.id "
    "AND l.name = 'VIP' COLLATE NOCASE) AND archived_at IS NULL AND restricted = 0 "
    "ORDER BY sort_key, id LIMIT ?"
)


def run(sql, args, db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    out = sys.stdout.write
    for r in con.execute(sql, args):
        out(f"{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\t{r[4]}\n")
    con.close()


if "--argparse" in sys.argv:
    import argparse

    sys.argv.remove("--argparse")
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("search")
    s.add_argument("term")
    for name in ("search", "list", "filter"):
        p = s if name == "search" else sub.add_parser(name)
        p.add_argument("--db", required=True)
        p.add_argument("--limit", type=int, default=50)
    a = ap.parse_args()
    if a.cmd == "search":
        run(SEARCH, (f'"{a.term}"*', a.limit), a.db)
    else:
        run(LIST if a.cmd == "list" else FILTER, (a.limit,), a.db)
elif __name__ == "__main__":
    import typer

    app = typer.Typer(add_completion=False)

    @app.command()
    def search(term: str, db: str = typer.Option(..., "--db"), limit: int = 50) -> None:
        run(SEARCH, (f'"{term}"*', limit), db)

    @app.command("list")
    def list_(db: str = typer.Option(..., "--db"), limit: int = 50) -> None:
        run(LIST, (limit,), db)

    @app.command("filter")
    def filter_(db: str = typer.Option(..., "--db"), limit: int = 50) -> None:
        run(FILTER, (limit,), db)

    app()
