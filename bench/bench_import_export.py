#!/usr/bin/env python3
"""Bulk import and export of kk, side by side with reference loaders, in one run.

    python bench/bench_import_export.py -n 1000000            # the budget size
    python bench/bench_import_export.py -n 100000 --runs 3    # quicker, medians of 3
    python bench/bench_import_export.py -n 1000000 --exports-only --export-runs 5

Steps (each a separate process under `/usr/bin/time -v`, on a fresh database file):

1. `bench/gen_customers.py -n N` writes the CSV (kk's JSON keys as header; cached by N).
2. import the same CSV with
   - `raw`: Python's sqlite3, csv.reader → executemany into a plain table (all TEXT, no
     index, WAL, one transaction) — the floor for any Python importer;
   - `sqlite-utils insert DB customers CSV --csv` (its default type detection);
   - `kk import csv FILE --on-duplicate skip` (full validation, duplicate checks, numbers,
     labels, audit entries, search index; `skip` because the sample data repeat a few VAT
     IDs, as real data do);
3. the two halves of kk's import alone (bench/import_floors.py): the row checks without a
   database, and the database work (customer rows + search index, already clean) without
   a check; their CPU seconds bound what any importer of kk's data can do on two cores;
4. export the customers kk imported with `kk export csv` and `kk export jsonl`.

Printed per step: wall seconds, rows/s over the whole process, user+sys CPU seconds (all
processes of the step), peak RSS (the largest single process, from /usr/bin/time), and
the ratio of wall time to `raw`. Machines differ and a shared 2-core VM is noisy: compare
ratios measured in the same run. `--json FILE` keeps the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent

RAW = r"""
import csv, sqlite3, sys
db, path = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db, isolation_level=None)
con.execute("PRAGMA journal_mode=WAL"); con.execute("PRAGMA synchronous=NORMAL")
with open(path, newline="", encoding="utf-8") as f:
    rows = csv.reader(f)
    header = next(rows)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, "
                + ", ".join(f'"{h}" TEXT' for h in header) + ")")
    marks = ", ".join("?" * len(header))
    con.execute("BEGIN")
    con.executemany(f"INSERT INTO customers ({', '.join(repr(h) for h in header)}) "
                    f"VALUES ({marks})", rows)
    con.execute("COMMIT")
print(con.execute("SELECT count(*) FROM customers").fetchone()[0])
"""


def timed(argv: list[str], *, stdout: int | None = subprocess.DEVNULL) -> dict[str, float]:
    """Run under /usr/bin/time -v: wall s, user+sys s, peak RSS MB, exit status."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        started = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-v", "-o", report.name, *argv],
            stdout=stdout, stderr=subprocess.PIPE, text=True, check=False,
        )  # fmt: skip
        wall = time.perf_counter() - started
        fields = {}
        for line in report.read().splitlines():
            key, _, value = line.strip().rpartition(": ")
            fields[key] = value
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(argv)}")
    return {
        "wall": wall,
        "cpu": float(fields["User time (seconds)"]) + float(fields["System time (seconds)"]),
        "rss_mb": int(fields["Maximum resident set size (kbytes)"]) / 1024,
        "stderr_tail": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "",
    }


def generate(rows: int, work: Path) -> Path:
    path = work / f"customers_{rows}.csv"
    if not path.exists():
        subprocess.run(
            [sys.executable, str(HERE / "gen_customers.py"), "-n", str(rows), "--jobs", "2",
             "-o", str(path)],
            check=True,
        )  # fmt: skip
    return path


def kk(*args: str) -> list[str]:
    return [str(BIN / "kk"), *args]


def fresh_kk_db(template: Path, target: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kkbench-io")
    parser.add_argument("--jobs", type=int, default=None, help="kk import --jobs")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--export-runs",
        type=int,
        default=3,
        help="runs of each export per run (short and noisy: the median)",
    )
    parser.add_argument(
        "--exports-only",
        action="store_true",
        help="only the exports, of the kk.db a previous run left in --work",
    )
    args = parser.parse_args(argv)
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    source = generate(args.rows, work)
    rows = args.rows

    template = work / "template.db"
    if template.exists():
        template.unlink()
    subprocess.run(kk("--db", str(template), "--user", "bench", "user", "list"), check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    subprocess.run(["sqlite3", str(template), "PRAGMA wal_checkpoint(TRUNCATE)"],
                   check=False, stdout=subprocess.DEVNULL)  # fmt: skip

    jobs = [] if args.jobs is None else ["--jobs", str(args.jobs)]
    load_before = os.getloadavg()
    results: dict[str, list[dict[str, float]]] = {}
    kk_db = work / "kk.db"
    for _ in range(args.runs):
        if args.exports_only:
            break
        raw_db = work / "raw.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{raw_db}{suffix}").unlink(missing_ok=True)
        results.setdefault("raw sqlite3 executemany", []).append(
            timed([sys.executable, "-c", RAW, str(raw_db), str(source)])
        )
        utils_db = work / "utils.db"
        utils_db.unlink(missing_ok=True)
        results.setdefault("sqlite-utils insert --csv", []).append(
            timed(
                [
                    str(BIN / "sqlite-utils"),
                    "insert",
                    str(utils_db),
                    "customers",
                    str(source),
                    "--csv",
                ]
            )  # fmt: skip
        )
        fresh_kk_db(template, kk_db)
        results.setdefault("kk import csv", []).append(
            timed(
                kk(
                    "--db",
                    str(kk_db),
                    "--user",
                    "bench",
                    "import",
                    "csv",
                    str(source),
                    "--on-duplicate",
                    "skip",
                    *jobs,
                )
            )  # fmt: skip
        )
        floors = HERE / "import_floors.py"
        results.setdefault("floor: kk rules, no DB", []).append(
            timed([sys.executable, str(floors), "rules", str(source)])
        )
        floor_db = fresh_kk_db(template, work / "floor.db")
        results.setdefault("floor: kk schema, no checks", []).append(
            timed([sys.executable, str(floors), "insert", str(kk_db), str(floor_db)])
        )
    for _ in range(args.runs * args.export_runs):
        for fmt in ("csv", "jsonl"):
            out = work / f"export.{fmt}"
            results.setdefault(f"kk export {fmt}", []).append(
                timed(kk("--db", str(kk_db), "--user", "bench", "export", fmt, "-o", str(out)))
            )
    imported = int(
        subprocess.run(
            ["sqlite3", str(kk_db), "SELECT count(*) FROM customer"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout  # fmt: skip
    )
    raw_runs = results.get("raw sqlite3 executemany")
    base = statistics.median(r["wall"] for r in raw_runs) if raw_runs else float("nan")
    print(f"{rows:,} rows from {source.name} ({source.stat().st_size / 1e6:.0f} MB); kk imported "
          f"{imported:,} (the rest: repeated VAT IDs, skipped); {os.cpu_count()} CPUs, "
          f"{args.runs} run(s), medians")  # fmt: skip
    load = f"{load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after"
    print(f"load average (1 min): {load}; rows/CPU-s counts the CPU time of all processes")
    print(f"{'step':28} {'wall s':>8} {'rows/s':>10} {'CPU s':>8} {'rows/CPU-s':>11} "
          f"{'peak RSS':>9} {'vs raw':>7}")  # fmt: skip
    summary = {}
    for name, runs in results.items():
        wall = statistics.median(r["wall"] for r in runs)
        cpu = statistics.median(r["cpu"] for r in runs)
        rss = max(r["rss_mb"] for r in runs)
        count = imported if name.startswith("kk export") else rows
        summary[name] = {
            "wall_s": round(wall, 2),
            "rows_per_s": round(count / wall),
            "cpu_s": round(cpu, 2),
            "rows_per_cpu_s": round(count / cpu),
            "peak_rss_mb": round(rss),
            "vs_raw": round(wall / base, 2) if raw_runs else None,
            "last_line": runs[-1]["stderr_tail"],
        }
        print(f"{name:28} {wall:8.1f} {count / wall:10,.0f} {cpu:8.1f} {count / cpu:11,.0f} "
              f"{rss:7.0f} MB {f'{wall / base:6.2f}x' if raw_runs else '      -'}")  # fmt: skip
    if args.exports_only:
        return _save(args.json, rows, imported, load, summary)
    print(f"kk import said: {summary['kk import csv']['last_line']}")
    floor_cpu = sum(summary[name]["cpu_s"] for name in summary if name.startswith("floor:"))
    ceiling = 2 * rows / floor_cpu
    print(f"floors: checks + database work alone take {floor_cpu:.1f} CPU s for {rows:,} rows "
          f"({floor_cpu / rows * 1e6:.0f} µs a row): on 2 cores no importer that does both "
          f"can pass {ceiling:,.0f} rows/s here")  # fmt: skip
    summary["ceiling_rows_per_s_2_cores"] = {"rows_per_s": round(ceiling)}
    return _save(args.json, rows, imported, load, summary)


def _save(path: Path | None, rows: int, imported: int, load: str, summary: dict) -> int:
    if path:
        path.write_text(json.dumps({"rows": rows, "imported": imported, "load": load,
                                    "results": summary}, indent=2))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
