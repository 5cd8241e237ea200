"""JSON Lines and JSON arrays: line and element numbers, bad lines, streaming, round trips."""

from __future__ import annotations

import decimal
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kk.formats import jsonl
from kk.formats.jsonl import read_json, read_jsonl, write_json, write_jsonl
from kk.formats.rows import KK_KEYS

DATA = Path(__file__).parent / "data"


def test_sample_jsonl_reads_kk_export_shape() -> None:
    with (DATA / "customers.jsonl").open("rb") as stream:
        rows = list(read_jsonl(stream))
    assert [r.line for r in rows] == [1, 2, 3, 4, 5]
    first = rows[0].record
    assert first["number"] == "CUS-0001"
    assert first["postal_code"] == "01067"
    assert first["discount_percent"] == "10.00"
    assert first["labels"] == ["Großkunde", "Sachsen"]
    assert first["roles"] == ["customer"]
    assert first["is_template"] == "false"  # booleans become their JSON text
    assert first["notes"] == 'Lieferung nur Mo; Di\n"Rampe 3" benutzen, bitte'
    assert "vat_id" not in rows[1].record  # null means not given
    assert rows[4].record["do_not_contact"] == "true"


def test_bad_lines_are_rows_with_errors() -> None:
    text = (
        '{"number": "CUS-0001", "last_name": "Müller"}\n'
        "\n"
        '{"last_name": "Weiß",\n'
        "[1, 2]\n"
        '{"last_name": {"nested": true}}\n'
        '{"last_name": "Öz", "discount_percent": 2.50, "colour": "blau", "email": null}\n'
    )
    rows = list(read_jsonl(io.StringIO(text)))
    assert [(r.line, r.error is None) for r in rows] == [
        (1, True),
        (3, False),
        (4, False),
        (5, False),
        (6, True),
    ]
    assert rows[1].where == "line 3"
    assert rows[2].error == "expected a JSON object, got an array"
    assert "last_name" in str(rows[3].error)
    assert rows[4].record == {
        "last_name": "Öz",
        "discount_percent": "2.50",  # the number's text, not a float
        "extra": {"colour": "blau"},
    }


def test_read_json_array_with_element_numbers() -> None:
    text = '[\n  {"last_name": "A"},\n\n  {"last_name": "B",\n   "city": "Köln"},\n  {"x": 1}\n]\n'
    rows = list(read_json(io.StringIO(text)))
    assert [r.line for r in rows] == [1, 2, 3]
    assert [r.where for r in rows] == [
        "element 1 (line 2)",
        "element 2 (line 4)",
        "element 3 (line 6)",
    ]
    assert rows[1].record == {"last_name": "B", "city": "Köln"}
    assert rows[2].record == {"extra": {"x": "1"}}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ('{"a": 1}', "expected a JSON array"),
        ('[{"last_name": "A"}, {"last_name": ', "invalid JSON"),
        ('[{"last_name": "A"} {"last_name": "B"}]', "expected ','"),
        ('[{"last_name": "A"}', "not closed"),
    ],
)
def test_read_json_broken(text: str, message: str) -> None:
    rows = list(read_json(io.StringIO(text)))
    assert rows[-1].error is not None and message in rows[-1].error
    assert all(r.error is None for r in rows[:-1])


def test_read_json_across_chunk_boundaries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Elements and numbers split between two reads are reassembled."""
    monkeypatch.setattr(jsonl, "_CHUNK", 5)
    records = [{"last_name": f"Müller {i}", "discount_percent": "12.50"} for i in range(30)]
    out = io.StringIO()
    write_json(records, out)
    data = out.getvalue().encode()
    rows = list(read_json(io.BytesIO(data)))
    assert [r.record for r in rows] == records
    numbers = list(read_json(io.BytesIO(b"[123456789, 7]")))
    assert [r.error for r in numbers] == ["expected a JSON object, got a number or string"] * 2


def test_writers_stream_valid_json() -> None:
    records = [
        {"number": "CUS-0001", "discount_percent": decimal.Decimal("10.00"), "labels": ["A"]},
        {"number": "CUS-0002", "email": None, "archived": False},
    ]
    out = io.StringIO()
    assert write_json(records, out) == 2
    assert json.loads(out.getvalue())[0]["discount_percent"] == "10.00"
    assert out.getvalue().count("\n") == 4  # "[", one line per object, "]"
    empty = io.StringIO()
    assert write_json([], empty) == 0
    assert json.loads(empty.getvalue()) == []
    lines = io.StringIO()
    assert write_jsonl(records, lines) == 2
    assert [json.loads(line)["number"] for line in lines.getvalue().splitlines()] == [
        "CUS-0001",
        "CUS-0002",
    ]
    umlauts = io.StringIO()
    write_jsonl([{"last_name": "Müller"}], umlauts)
    assert umlauts.getvalue() == '{"last_name": "Müller"}\n'  # UTF-8, not \\u escapes


TEXT_KEYS = [k for k in KK_KEYS if k not in ("labels", "roles")]
TEXT = (
    st.text(st.sampled_from(list("aÄöüß0 ;,\"'\\=+-@\n\t{}[]:é€")), min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool)
)


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    keys = draw(st.lists(st.sampled_from(TEXT_KEYS), min_size=1, max_size=8, unique=True))
    record: dict[str, Any] = {k: draw(TEXT) for k in keys}
    if draw(st.booleans()):
        record["postal_code"] = draw(st.from_regex(r"0[0-9]{4}", fullmatch=True))
    if draw(st.booleans()):
        record["labels"] = draw(st.lists(TEXT, max_size=4, unique=True))
    return record


@settings(max_examples=100, deadline=None)
@given(st.lists(records(), max_size=6))
def test_jsonl_round_trip(batch: list[dict[str, Any]]) -> None:
    out = io.StringIO()
    write_jsonl(batch, out)
    rows = list(read_jsonl(io.BytesIO(out.getvalue().encode())))
    assert [r.record for r in rows] == batch
    assert [r.line for r in rows] == list(range(1, len(batch) + 1))


@settings(max_examples=100, deadline=None)
@given(st.lists(records(), max_size=6))
def test_json_round_trip(batch: list[dict[str, Any]]) -> None:
    out = io.StringIO()
    write_json(batch, out)
    rows = list(read_json(io.BytesIO(out.getvalue().encode())))
    assert [r.record for r in rows] == batch
    assert [r.where for r in rows] == [
        f"element {n} (line {n + 1})" for n in range(1, len(batch) + 1)
    ]
