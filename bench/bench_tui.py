#!/usr/bin/env python3
"""`kk tui` on a big database: time to the first screen and from a keystroke to the list.

    python bench/bench_tui.py first-screen --db kk1m.db --user bench -n 7
    python bench/bench_tui.py keys --db kk1m.db --user bench

first-screen: whole processes, interleaved rounds (as bench/cmdbench.py does):
  - `python -c pass`                         the interpreter alone;
  - the reference probe                      Textual App + Header/DataTable/Footer with 50
                                             rows read by plain sqlite3 (the anchor of
                                             DESIGN.md, /work/shared/bench/kkprobe_tui.py);
  - `kk tui` (this script's `probe` mode)    the real command through kk.cli (Typer, lazy
                                             command, reading(), KkApp) run headless, exiting
                                             once the first page of customers is on screen.
keys: one headless app (Textual's Pilot) on the database; for each search term it types the
  term a key at a time and measures, per keystroke, the time from the key event until the
  list shows the rows for the new text (debounce included), then paging (End: the next
  keyset page) and Enter → detail. Medians and maxima; the budget is 100 ms a keystroke.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

REFERENCE = """
import sqlite3, sys
from textual.app import App
from textual.widgets import DataTable, Footer, Header
DB = sys.argv[1]
class Probe(App):
    def compose(self):
        yield Header(); yield DataTable(); yield Footer()
    def on_mount(self):
        t = self.query_one(DataTable)
        t.add_columns("Number", "Name", "City", "Email")
        con = sqlite3.connect(f"file:{DB}?mode=ro", uri=True)
        t.add_rows(con.execute("SELECT number, display_name, city, email FROM customer "
                               "ORDER BY sort_key, id LIMIT 50").fetchall())
        con.close()
        self.call_after_refresh(self.exit)
Probe().run(headless=True)
"""


def probe(db: str, user: str, direct: bool = False) -> None:
    """`kk --db DB --user USER tui`, headless, exiting after the first page is drawn;
    `direct`: the app alone, without Typer and kk.cli in front (what the CLI costs)."""
    from kk.tui import list_screen
    from kk.tui.app import KkApp

    shown = list_screen.CustomerListScreen._show_status

    def show_and_exit(self: Any, error: str | None = None) -> None:
        shown(self, error)
        self.app.call_after_refresh(self.app.exit)

    list_screen.CustomerListScreen._show_status = show_and_exit  # type: ignore[method-assign]
    KkApp.run = lambda self: App_run(self)  # type: ignore[method-assign,assignment]

    if direct:
        from contextlib import closing

        from kk import db as kk_db
        from kk.services.users import resolve_actor

        with closing(kk_db.connect(Path(db))) as connection:
            actor = resolve_actor(connection, user)
        KkApp(Path(db), actor).run()
        return
    from kk.cli import app

    app(["--db", db, "--user", user, "tui"], prog_name="kk", standalone_mode=False)


def App_run(app: Any) -> None:  # noqa: N802 - stands in for App.run
    from textual.app import App

    App.run(app, headless=True, size=(100, 30))


def _time(argv: list[str]) -> tuple[float, float]:
    """Wall clock and CPU (user + sys) seconds of one process; CPU is steadier than wall
    clock on a shared machine, where other jobs take turns on the two cores."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv} failed")
    return wall, usage.ru_utime + usage.ru_stime


def first_screen(args: argparse.Namespace) -> None:
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "reference probe (App+DataTable 50)": [sys.executable, "-c", REFERENCE, args.db],
        "kk tui (first page shown)": [sys.executable, __file__, "probe", "--db", args.db,
                                      "--user", args.user],
        "KkApp without the CLI (first page)": [sys.executable, __file__, "probe", "--db",
                                               args.db, "--user", args.user, "--direct"],
    }  # fmt: skip
    for argv in commands.values():  # warm the page cache and the .pyc files
        _time(argv)
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, argv in commands.items():
            wall, cpu = _time(argv)
            walls[name].append(wall)
            cpus[name].append(cpu)
    reference = "reference probe (App+DataTable 50)"
    base_wall = statistics.median(walls[reference])
    base_cpu = statistics.median(cpus[reference])
    print(f"first screen, {args.runs} interleaved rounds, ms: wall median (min-max) and ratio "
          "to the reference; CPU median and ratio")  # fmt: skip
    for name in commands:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(f"  {name:38s} wall {wall * 1000:5.0f} ({min(walls[name]) * 1000:4.0f}-"
              f"{max(walls[name]) * 1000:4.0f}) {wall / base_wall:4.2f}x   "
              f"cpu {cpu * 1000:5.0f} {cpu / base_cpu:4.2f}x")  # fmt: skip


TERMS = ["müller", "nüßl", "schmidt", "berlin", "@gmx", "0301234", "cus-4711", "xyzzy"]


async def keys(args: argparse.Namespace) -> None:
    from kk import db
    from kk.services.users import resolve_actor
    from kk.tui import list_screen
    from kk.tui.app import KkApp
    from kk.tui.detail_screen import CustomerDetailScreen

    path = Path(args.db)
    with db.connect(path) as connection:
        actor = resolve_actor(connection, args.user)
    marks: dict[str, float] = {}
    shown = list_screen.CustomerListScreen._show_status

    def show(self: Any, error: str | None = None) -> None:
        shown(self, error)

        def painted() -> None:
            marks["cpu"] = time.process_time()
            marks["shown"] = time.perf_counter()

        self.app.call_after_refresh(painted)

    list_screen.CustomerListScreen._show_status = show  # type: ignore[method-assign]
    app = KkApp(path, actor)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.list_screen

        async def until_shown(after: float, text: str | None = None) -> float:
            for _ in range(2000):
                await pilot.pause(0.002)
                done = marks.get("shown", 0) > after and not screen.fetching
                if done and (text is None or screen.state.text == text):
                    return marks["shown"] - after
            raise SystemExit("the list did not update within 4 s")

        start = time.perf_counter()
        await until_shown(0)
        print(f"in-process first page after mount: {(marks['shown'] - start) * 1000:.0f} ms")
        await pilot.press("slash")
        all_keys: list[float] = []
        all_cpu: list[float] = []
        print("keystroke -> list updated, ms (one character shows the whole list; "
              "searching starts at two):")  # fmt: skip
        for term in TERMS:
            typed = ""
            per_key = []
            for char in term:
                typed += char
                cpu_before = time.process_time()
                before = time.perf_counter()
                await pilot.press(char)
                per_key.append(await until_shown(before, typed))
                all_cpu.append(marks["cpu"] - cpu_before)
            all_keys += per_key
            rows = screen.table.row_count
            cells = " ".join(f"{t * 1000:.0f}" for t in per_key)
            print(f"  {term:10s} {cells:40s} max {max(per_key) * 1000:4.0f}  ({rows} rows shown)")
            screen.query_one("#search").value = ""
            await until_shown(time.perf_counter() - 0.001, "")
        print(f"  all {len(all_keys)} keystrokes: median {statistics.median(all_keys) * 1000:.0f}"
              f" ms, p95 {sorted(all_keys)[int(len(all_keys) * 0.95)] * 1000:.0f} ms,"
              f" max {max(all_keys) * 1000:.0f} ms; CPU of this process per keystroke (all"
              f" threads: not slowed by other jobs' load): median"
              f" {statistics.median(all_cpu) * 1000:.0f} ms, p95"
              f" {sorted(all_cpu)[int(len(all_cpu) * 0.95)] * 1000:.0f} ms")  # fmt: skip
        await pilot.press("escape")
        pages = []
        for _ in range(args.pages):
            marks["shown"] = 0
            before = time.perf_counter()
            await pilot.press("end")
            pages.append(await until_shown(before))
        print(f"End -> next keyset page: median {statistics.median(pages) * 1000:.0f} ms, max "
              f"{max(pages) * 1000:.0f} ms over {args.pages} pages "
              f"({screen.table.row_count} rows loaded)")  # fmt: skip
        for attempt in ("first", "second"):
            before = time.perf_counter()
            await pilot.press("enter")
            for _ in range(2000):
                await pilot.pause(0.002)
                detail = app.screen
                if isinstance(detail, CustomerDetailScreen) and detail.detail is not None:
                    break
            print(f"Enter -> detail loaded ({attempt} time): "
                  f"{(time.perf_counter() - before) * 1000:.0f} ms")  # fmt: skip
            await pilot.press("escape")
            await pilot.pause(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    for mode in ("first-screen", "keys", "probe"):
        p = sub.add_parser(mode)
        p.add_argument("--db", required=True)
        p.add_argument("--user", default=os.environ.get("KK_USER", "bench"))
        p.add_argument("-n", "--runs", type=int, default=7)
        p.add_argument("--pages", type=int, default=20)
        p.add_argument("--direct", action="store_true")
    args = parser.parse_args()
    if args.mode == "probe":
        probe(args.db, args.user, args.direct)
    elif args.mode == "first-screen":
        first_screen(args)
    else:
        asyncio.run(keys(args))


if __name__ == "__main__":
    main()
