#!/usr/bin/env python3
"""kk search, filter and list on a big database, against minimal references, in ONE run.

Usage:
    python bench/bench_search.py build --db /tmp/kk1m.db -n 1000000     # once, a few minutes
    python bench/bench_search.py run --db /tmp/kk1m.db -n 15             # the figures
    python bench/bench_search.py all --db /tmp/kk1m.db -n 1000000 --runs 15

`build` makes a kk database (kk's own migrations) with N customers of kk's deterministic
generator (kk.sample_data, the rows of bench/gen_customers.py): by `kk import csv` when that
command exists, else by executemany with the customer's derived fields computed as kk
computes them, then the search index filled set-based (kk.services.search_index.index_after).
No ANALYZE: a user's database has no statistics either.

`run` prints, side by side and measured interleaved (bench/cmdbench.py):
  cold `kk --help`; cold `kk customer list --limit 50`; cold `kk customer search` for a rare
  term (nüßl), a common one (müller, ~7 % of rows) and a missing one (xyzzy); cold
  `kk customer filter` with three conditions; each next to the same query through a minimal
  typer+sqlite3 script (bench/kkprobe_sqlite3.py) and `sqlite-utils query`;
then the in-process search latency (kk.services: search_query + one page of 50, warm
connection) p50/p95 per term, and the cost of later pages.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import cmdbench  # noqa: E402

RARE, COMMON, MISSING = "nüßl", "müller", "xyzzy"
FILTER = "kind:company city:berlin label:vip"
#: In-process latency: rare words, common words, prefixes and several words at once.
TERMS = {
    "rare": [
        "nüßl",
        "nuessl",
        "schmidt 4711",
        "DE951909740",
        "@mueller-2.de",
        "CUS-0042",
        "0351 98",
    ],
    "common": ["müller", "schmidt", "berlin", "gmbh", "mü", "mül", "müller berlin", "anna müller"],
    "missing": ["xyzzy", "qqqq zzzz"],
}

# --- build -----------------------------------------------------------------------------


def _phone(value: str | None) -> str | None:
    """A typed German/foreign phone number as E.164 (what kk stores), good enough here."""
    if not value:
        return None
    digits = "".join(c for c in value if c.isdigit())
    if value.strip().startswith("+"):
        return "+" + digits
    if digits.startswith("00"):
        return "+" + digits[2:]
    return "+49" + digits.lstrip("0")


def _records(n: int) -> Any:
    from kk import sample_data
    from kk.services.customer_rules import display_name
    from kk.text import fold

    for i, row in enumerate(sample_data.customer_rows(n), 1):
        name = display_name(row)
        yield (
            i, f"CUS-{i:04d}", row["kind"], row["company_name"], row["register_number"],
            (row["vat_id"] or "").replace(" ", "") or None, row["tax_number"],
            row["salutation"], row["title"], row["first_name"], row["last_name"], name,
            fold(name), row["email"], _phone(row["phone"]), _phone(row["mobile"]),
            row["website"], row["street"], row["postal_code"], row["city"], row["country"],
            row["notes"], row["discount_percent"], ",".join(row["roles"]) or "customer",
            int(bool(row["do_not_contact"])), row["created_at"], "bench", row["created_at"],
            "bench", row["labels"],
        )  # fmt: skip


_COLUMNS = (
    "id, number, kind, company_name, register_number, vat_id, tax_number, salutation, title, "
    "first_name, last_name, display_name, sort_key, email, phone, mobile, website, street, "
    "postal_code, city, country, notes, discount_percent, roles, do_not_contact, created_at, "
    "created_by, updated_at, updated_by"
)


def build(db: Path, n: int, loader: str = "auto") -> dict[str, float]:
    from kk import db as kkdb

    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    steps: dict[str, float] = {}
    t0 = time.perf_counter()
    kkdb.ensure_current(db)
    steps["migrate"] = time.perf_counter() - t0
    if loader == "import" or (loader == "auto" and _has_import()):
        return _build_with_import(db, n, steps)
    connection = sqlite3.connect(db, isolation_level=None)
    connection.execute("PRAGMA synchronous = OFF")
    indexes = connection.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customer' "
        "AND sql IS NOT NULL"
    ).fetchall()
    t0 = time.perf_counter()
    connection.execute("BEGIN")
    for name, _sql in indexes:
        connection.execute(f"DROP INDEX {name}")
    labels: dict[str, int] = {}
    links: list[tuple[int, int]] = []

    def rows() -> Any:
        for record in _records(n):
            for label in record[-1]:
                if label not in labels:
                    labels[label] = len(labels) + 1
                links.append((record[0], labels[label]))
            yield record[:-1]

    marks = ", ".join("?" * len(_COLUMNS.split(", ")))
    connection.executemany(f"INSERT INTO customer ({_COLUMNS}) VALUES ({marks})", rows())
    connection.executemany("INSERT INTO label (id, name) VALUES (?, ?)",
                           [(i, name) for name, i in labels.items()])  # fmt: skip
    connection.executemany("INSERT INTO customer_label VALUES (?, ?)", links)
    connection.execute("UPDATE counter SET value = ? WHERE name = 'customer'", (n,))
    connection.execute("COMMIT")
    steps["load rows (executemany)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    connection.execute("BEGIN")
    for _name, sql in indexes:
        connection.execute(sql)
    connection.execute("COMMIT")
    steps["customer indexes"] = time.perf_counter() - t0
    _fill_index(connection, steps)
    return steps


def _fill_index(connection: sqlite3.Connection, steps: dict[str, float]) -> None:
    from kk.services import search_index

    t0 = time.perf_counter()
    connection.execute("BEGIN")
    connection.execute("DELETE FROM customer_fts")
    search_index.index_after(connection, 0)
    connection.execute("COMMIT")
    steps["search index (index_after)"] = time.perf_counter() - t0
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def _has_import() -> bool:
    from importlib.util import find_spec

    return find_spec("kk.commands.import_") is not None


def _build_with_import(db: Path, n: int, steps: dict[str, float]) -> dict[str, float]:
    csv_path = db.with_name(f"customers_{n}.csv")  # kept: the same (n, seed), the same bytes
    if not csv_path.exists():
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(HERE / "gen_customers.py"), "-n", str(n),
                        "--jobs", "2", "-o", str(csv_path)], check=True)  # fmt: skip
        steps["generate CSV"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    # The generator repeats a few VAT IDs in a million rows (as real data does): skip those.
    subprocess.run([_kk(), "--db", str(db), "--user", "bench", "import", "csv", str(csv_path),
                    "--on-duplicate", "skip"],
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    steps["kk import csv"] = time.perf_counter() - t0
    return steps


# --- run -------------------------------------------------------------------------------


def _kk() -> str:
    return str(Path(sys.executable).parent / "kk")


def _fold(text: str) -> str:
    from kk.text import fold

    return fold(text)


def _q(text: str) -> str:
    return shlex.quote(text)


def cold(db: Path, runs: int) -> list[tuple[str, list[dict[str, Any]]]]:
    """Whole-process timings, each group interleaved, the typer+sqlite3 probe first."""
    py = sys.executable
    kk = f"{_kk()} --db {db} --user bench"
    probe = f"{py} {HERE / 'kkprobe_sqlite3.py'}"
    utils = str(Path(sys.executable).parent / "sqlite-utils")
    sql = _reference_sql()
    groups = [
        ("--help", [
            ("python -c pass", f"{py} -c pass"),
            ("typer+sqlite3 --help", f"{probe} --help"),
            ("kk --help", f"{_kk()} --help"),
        ]),
        ("list --limit 50", [
            ("typer+sqlite3", f"{probe} list --db {db}"),
            ("sqlite-utils query", f"{utils} query {db} {_q(sql['list'])}"),
            ("kk (table)", f"{kk} customer list --limit 50"),
            ("kk --format json", f"{kk} customer list --limit 50 --format json"),
        ]),
    ]  # fmt: skip
    for label, term in (("rare", RARE), ("common", COMMON), ("missing", MISSING)):
        match = f'"{_fold(term)}"*'
        groups.append((f"search {term} ({label})", [
            ("typer+sqlite3", f"{probe} search {_q(_fold(term))} --db {db}"),
            ("sqlite-utils query", f"{utils} query {db} {_q(sql['search'])} -p match {_q(match)}"),
            ("kk (table)", f"{kk} customer search {_q(term)}"),
            ("kk --format json", f"{kk} customer search {_q(term)} --format json"),
        ]))  # fmt: skip
    groups.append((f"filter '{FILTER}'", [
        ("typer+sqlite3", f"{probe} filter --db {db}"),
        ("sqlite-utils query", f"{utils} query {db} {_q(sql['filter'])}"),
        ("kk (table)", f"{kk} customer filter {_q(FILTER)}"),
        ("kk --format json", f"{kk} customer filter {_q(FILTER)} --format json"),
    ]))  # fmt: skip
    results = []
    for title, commands in groups:
        print(f"\n## cold: {title}", flush=True)
        out = HERE / ".cold.json"
        args = ["-n", str(runs), "--warmup", "2", "--json", str(out)]
        for label, _ in commands:
            args += ["--label", label]
        cmdbench.main(args + [command for _, command in commands])
        results.append((title, json.loads(out.read_text())["results"]))
        out.unlink()
    return results


def _reference_sql() -> dict[str, str]:
    sys.path.insert(0, str(HERE))
    import kkprobe_sqlite3

    return {"list": kkprobe_sqlite3.LIST.replace("?", "50"),
            "search": kkprobe_sqlite3.SEARCH.replace("LIMIT ?", "LIMIT 50").replace("?", ":match"),
            "filter": kkprobe_sqlite3.FILTER.replace("?", "50")}  # fmt: skip


def in_process(db: Path, reps: int) -> dict[str, Any]:
    """search_query + one page of 50 through kk's services on one warm connection.

    Wall time and CPU time (time.process_time) side by side: on a shared, loaded machine
    the wall time is mostly waiting for a core, the CPU time is what the query costs."""
    from kk.services import queries, search

    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, isolation_level=None)
    segments = connection.execute("SELECT count(DISTINCT segid) FROM customer_fts_idx")
    report: dict[str, Any] = {"index_segments": segments.fetchone()[0]}
    print(f"\n## in-process search, one page of 50, {reps} reps, warm connection (ms); "
          f"index segments: {report['index_segments']}")  # fmt: skip
    print(f"{'kind':8} {'term':16} {'p50':>7} {'p95':>7} {'max':>7} {'cpu50':>7} {'cpu95':>7} "
          f"{'hits':>7}")  # fmt: skip
    for kind, terms in TERMS.items():
        for term in terms:
            query = search.search_query(term)
            walls, cpus = [], []
            for _ in range(reps + 1):
                t0, c0 = time.perf_counter(), time.process_time()
                queries.page(connection, query, limit=50)
                walls.append((time.perf_counter() - t0) * 1e3)
                cpus.append((time.process_time() - c0) * 1e3)
            wall, cpu = sorted(walls[1:]), sorted(cpus[1:])
            hits = _hits(connection, query)
            row = {"kind": kind, "p50": _pct(wall, 50), "p95": _pct(wall, 95), "max": wall[-1],
                   "cpu_p50": _pct(cpu, 50), "cpu_p95": _pct(cpu, 95), "hits": hits}  # fmt: skip
            report[term] = row
            print(f"{kind:8} {term:16} {row['p50']:7.2f} {row['p95']:7.2f} {row['max']:7.2f} "
                  f"{row['cpu_p50']:7.2f} {row['cpu_p95']:7.2f} {hits:7d}", flush=True)  # fmt: skip
    report["pages"] = _later_pages(connection, reps)
    report["filter"] = _filter_page(connection, reps)
    connection.close()
    return report


def _pct(sorted_values: list[float], percent: int) -> float:
    return sorted_values[
        min(len(sorted_values) - 1, round(percent / 100 * (len(sorted_values) - 1)))
    ]


def _hits(connection: sqlite3.Connection, query: Any) -> int:
    if query.match is None:
        return 0
    sql = "SELECT count(*) FROM customer_fts WHERE customer_fts MATCH ?"
    return int(connection.execute(sql, (query.match,)).fetchone()[0])


def _later_pages(connection: sqlite3.Connection, reps: int) -> dict[str, float]:
    """Pages 2..21 of the common term and of the plain list: the cost of --after."""
    from kk.services import queries, search

    out = {}
    for label, query in (("search müller", search.search_query(COMMON)),
                         ("list", queries.CustomerQuery())):  # fmt: skip
        times = []
        after = None
        for _ in range(21):
            t0 = time.perf_counter()
            _rows, after = queries.page(connection, query, limit=50, after=after)
            times.append((time.perf_counter() - t0) * 1e3)
        out[label] = statistics.median(times[1:])
        print(f"pages 2-21 of {label}: median {out[label]:.2f} ms")
    return out


def _filter_page(connection: sqlite3.Connection, reps: int) -> float:
    from kk.services import queries, search

    query = search.filter_query(FILTER)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        queries.page(connection, query, limit=50)
        times.append((time.perf_counter() - t0) * 1e3)
    print(f"filter '{FILTER}' page 1: median {statistics.median(times):.2f} ms")
    return statistics.median(times)


def summary(results: list[tuple[str, list[dict[str, Any]]]]) -> None:
    """kk's cold medians as ratios to the typer+sqlite3 probe of the same run."""
    print("\n## summary: cold medians (ms) and kk / typer+sqlite3 (budget ≤ 1.5)")
    for title, rows in results:
        by = {row["command"]: row for row in rows}
        base = by.get("typer+sqlite3") or by.get("typer+sqlite3 --help")
        for label, row in by.items():
            if label.startswith("kk") and base:
                ratio = row["median_ms"] / base["median_ms"]
                print(f"{title:40} {label:18} {row['median_ms']:7.1f}  "
                      f"ref {base['median_ms']:7.1f}  ratio {ratio:4.2f}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name in ("build", "run", "all"):
        p = sub.add_parser(name)
        p.add_argument("--db", required=True, type=Path)
        p.add_argument("-n", type=int, default=1_000_000, help="customers (build)")
        p.add_argument("--runs", type=int, default=15, help="cold runs per command")
        p.add_argument("--reps", type=int, default=40, help="in-process repetitions")
        p.add_argument("--json", type=Path, help="write every figure here")
        p.add_argument(
            "--loader",
            choices=["auto", "import", "sql"],
            default="auto",
            help="build with 'kk import csv' or plain executemany (auto: import "
            "when the command exists)",
        )
    args = parser.parse_args(argv)
    report: dict[str, Any] = {}
    if args.cmd in ("build", "all"):
        steps = build(args.db, args.n, args.loader)
        for step, seconds in steps.items():
            print(f"{step:32} {seconds:8.1f} s")
        size = os.path.getsize(args.db) / 2**20
        print(f"{'database file':32} {size:8.0f} MB")
        report["build"] = {"steps_s": steps, "db_mb": size, "n": args.n}
    if args.cmd in ("run", "all"):
        with sqlite3.connect(args.db) as connection:
            count = connection.execute("SELECT count(*) FROM customer").fetchone()[0]
        print(f"# {count} customers, sqlite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs")
        report["in_process"] = in_process(args.db, args.reps)
        cold_results = cold(args.db, args.runs)
        summary(cold_results)
        report["cold"] = cold_results
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
