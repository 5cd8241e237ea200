#!/usr/bin/env python3
"""Write kk's deterministic sample customers as a flat CSV (or JSON Lines) for the benchmarks.

    python bench/gen_customers.py -n 1000000 -o customers_1m.csv
    python bench/gen_customers.py -n 100000 --format jsonl -o c.jsonl
    python bench/gen_customers.py -n 1000000 --jobs 2 -o c.csv     # same bytes, 2 processes
    python bench/gen_customers.py -n 20000 --validate              # check every value

The rows are :func:`kk.sample_data.customer_rows`: a pure function of (n, seed), so a file is
rebuilt byte for byte from its two numbers. The header is exactly
:data:`kk.sample_data.CUSTOMER_KEYS` (kk's JSON keys, which ``kk import csv`` maps to
themselves); persons, bank accounts and consents are not in the flat file. Cells are written
as kk's own CSV export writes them: lists joined with ``;``, booleans ``true``/``false``,
missing values empty. JSON Lines hold the same keys with ``null``, lists and booleans.

Measured on the 2-core dev machine under a load average of 3-5 from other test runs:
``-n 1000000`` takes 25 s of CPU and 36-45 s wall clock for a 220 MB file.

``--validate`` checks the full records of the same (n, seed) — customer keys, persons and bank
accounts — with python-stdnum, phonenumbers and email-validator and prints a JSON summary on
stderr; exit status 1 if any value fails or an e-mail repeats. With ``-o`` it writes the file
first.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any, TextIO

REPO = Path(__file__).resolve().parent.parent


def _sample_data() -> Any:
    """kk.sample_data, also when this file runs from a checkout without kk installed."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from kk import sample_data

    return sample_data


def render_chunk(task: tuple[int, int, int, str]) -> str:
    """The text of one chunk of rows (runs in a worker process with ``--jobs``)."""
    import csv

    n, seed, chunk_no, fmt = task
    sd = _sample_data()
    rows = sd.customer_chunk(n, seed, chunk_no)
    buf = io.StringIO()
    if fmt == "csv":
        keys = sd.CUSTOMER_KEYS
        get = itemgetter(*keys)
        commas = len(keys) - 1
        quoting = csv.writer(buf, lineterminator="\n")
        write = buf.write
        for row in rows:
            row["roles"] = ";".join(row["roles"])
            row["labels"] = ";".join(row["labels"])
            row["do_not_contact"] = "true" if row["do_not_contact"] else "false"
            cells = get(row)
            # Most rows need no quoting: joined directly they cost 30 % less than through
            # csv.writer, which still writes every row where a cell holds , " or a line break.
            line = ",".join([cell or "" for cell in cells])
            if line.count(",") != commas or '"' in line or "\n" in line or "\r" in line:
                quoting.writerow(cells)
            else:
                write(line + "\n")
    else:
        dumps = json.dumps
        buf.writelines(dumps(row, ensure_ascii=False) + "\n" for row in rows)
    return buf.getvalue()


def _tasks(n: int, seed: int, fmt: str) -> Iterator[tuple[int, int, int, str]]:
    chunk = _sample_data().CHUNK
    for chunk_no in range((n + chunk - 1) // chunk):
        yield n, seed, chunk_no, fmt


def write(out: TextIO, n: int, seed: int, fmt: str, jobs: int = 1) -> None:
    if fmt == "csv":
        out.write(",".join(_sample_data().CUSTOMER_KEYS) + "\n")
    tasks = _tasks(n, seed, fmt)
    if jobs > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for text in pool.imap(render_chunk, tasks, chunksize=1):
                out.write(text)
    else:
        for task in tasks:
            out.write(render_chunk(task))


# --- validation --------------------------------------------------------------------------


def _checkers() -> dict[str, Any]:
    import phonenumbers
    from email_validator import EmailNotValidError, validate_email
    from stdnum import bic, iban
    from stdnum.ch import vat as ch_vat
    from stdnum.de import handelsregisternummer, stnr
    from stdnum.eu import vat as eu_vat

    def email(value: str) -> bool:
        try:
            validate_email(value, check_deliverability=False)
        except EmailNotValidError:
            return False
        return True

    def phone(value: str) -> bool:
        try:
            return bool(phonenumbers.is_valid_number(phonenumbers.parse(value, "DE")))
        except phonenumbers.NumberParseException:
            return False

    def vat(value: str) -> bool:
        if value.startswith("CHE"):
            return bool(ch_vat.is_valid(value))
        return bool(eu_vat.is_valid(value))

    postal = {"DE": 5, "AT": 4, "CH": 4}
    return {
        "vat_id": vat,
        "register_number": handelsregisternummer.is_valid,
        "tax_number": stnr.is_valid,
        "email": email,
        "phone": phone,
        "mobile": phone,
        "iban": iban.is_valid,
        "bic": bic.is_valid,
        "postal_code": lambda v, c: v.isdigit() and len(v) == postal.get(c, 0),
    }


def validate(n: int, seed: int) -> dict[str, Any]:
    """Check every value of the first ``n`` full records; a summary with the failures."""
    sd = _sample_data()
    check = _checkers()
    checked: Counter[str] = Counter()
    invalid: Counter[str] = Counter()
    examples: dict[str, str] = {}
    emails: set[str] = set()
    duplicate_emails = 0
    kinds: Counter[str] = Counter()

    def test(field: str, value: Any, *extra: Any) -> None:
        if value is None:
            return
        checked[field] += 1
        if not check[field](value, *extra):
            invalid[field] += 1
            examples.setdefault(field, str(value))

    for record in sd.customers(n, seed):
        kinds[record["kind"]] += 1
        for field in ("vat_id", "register_number", "tax_number", "email", "phone", "mobile"):
            test(field, record[field])
        test("postal_code", record["postal_code"], record["country"])
        if record["email"] is not None:
            duplicate_emails += record["email"] in emails
            emails.add(record["email"])
        for person in record["persons"]:
            test("email", person["email"])
            test("phone", person["phone"])
        for account in record["bank_accounts"]:
            test("iban", account["iban"])
            test("bic", account["bic"])
    return {
        "rows": n,
        "seed": seed,
        "kinds": dict(kinds),
        "checked": dict(checked),
        "invalid": dict(invalid),
        "examples": examples,
        "duplicate_emails": duplicate_emails,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("-n", "--rows", type=int, default=1000)
    parser.add_argument("-o", "--output", help="file to write ('-' = stdout, the default)")
    parser.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="worker processes; the bytes are the same for any number",
    )
    parser.add_argument("--validate", action="store_true", help="check every value")
    args = parser.parse_args(argv)
    if args.output is not None or not args.validate:
        started = time.perf_counter()
        if args.output in (None, "-"):
            sys.stdout.reconfigure(encoding="utf-8", newline="")  # type: ignore[union-attr]
            write(sys.stdout, args.rows, args.seed, args.format, args.jobs)
            sys.stdout.flush()
        else:
            with open(args.output, "w", encoding="utf-8", newline="") as out:
                write(out, args.rows, args.seed, args.format, args.jobs)
            seconds = time.perf_counter() - started
            print(
                f"wrote {args.rows} rows to {args.output} in {seconds:.1f} s "
                f"({args.rows / max(seconds, 1e-9):,.0f} rows/s)",
                file=sys.stderr,
            )
    if args.validate:
        summary = validate(args.rows, args.seed)
        print(json.dumps(summary, ensure_ascii=False), file=sys.stderr)
        if summary["invalid"] or summary["duplicate_emails"]:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
