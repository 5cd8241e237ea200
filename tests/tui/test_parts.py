"""The TUI's pure parts: list state, column widths, cells, error mapping, browse service."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kk import db
from kk.errors import Conflict, ValidationFailed
from kk.services import browse, queries
from kk.tui.forms import CUSTOMER_FIELDS, as_text, label_list, without_flag
from kk.tui.list_screen import COLUMNS, column_widths, row_of, visible
from kk.tui.screen_base import field_of
from kk.tui.source import PAGE_SIZE, SORT_ORDER, ListState, build_query, fetch_page
from tests.tui.helpers import add_bulk


def test_sort_cycles_through_every_order_and_back() -> None:
    state = ListState()
    seen = []
    for _ in SORT_ORDER:
        seen.append(state.sort)
        state = state.next_sort()
    assert seen == list(SORT_ORDER) and state.sort == "name"
    assert ListState(desc=True).next_sort().desc is False


def test_archived_mode_cycles_and_is_described() -> None:
    state = ListState()
    modes = [state.archived, state.next_archived().archived,
             state.next_archived().next_archived().archived]  # fmt: skip
    assert modes == ["active", "all", "archived"]
    assert state.next_archived().next_archived().next_archived() == state
    assert "best match" in ListState(text="müller").describe()
    assert "selection VIP" in ListState(selection="VIP").describe()
    assert "type 2 characters" in ListState(text="m").describe()


def test_one_character_does_not_search_yet(demo_db: Path) -> None:
    with closing(db.connect(demo_db)) as connection:
        one = build_query(ListState(text="s"), connection)
        two = build_query(ListState(text="sc"), connection)
        assert (
            fetch_page(connection, one, None)[0]
            == fetch_page(connection, build_query(ListState(), connection), None)[0]
        )
        assert {row["number"] for row in fetch_page(connection, two, None)[0]} == {
            "CUS-0002", "CUS-0004"
        }  # fmt: skip


@given(st.integers(min_value=60, max_value=400))
def test_columns_fit_any_terminal_from_80_cells(total: int) -> None:
    widths = column_widths(total)
    assert set(widths) == {key for _, key, _ in COLUMNS}
    used = sum(widths.values()) + 2 * len(COLUMNS) + 2
    assert all(width > 0 for width in widths.values())
    if total >= 80:
        assert used <= total


def test_cells_mark_archived_customers(demo_db: Path) -> None:
    with closing(db.connect(demo_db)) as connection:
        active = queries.lookup(connection, "1")[1]
        archived = queries.lookup(connection, "8")[1]
    row = row_of(active)
    assert row.number == "CUS-0001" and not row.archived
    assert row.cells[:3] == ("CUS-0001", "Müller Maschinenbau GmbH", "Dresden")
    assert row.cells[5] == "20.03.2026"
    assert row_of(archived).archived and row_of(archived).cells[1].endswith("(archived)")
    assert visible(active, "active") and not visible(archived, "active")
    assert visible(archived, "archived") and not visible(active, "archived")
    assert visible(archived, "all")


def test_pages_cover_every_row_once_in_order(demo_db: Path) -> None:
    add_bulk(demo_db, 2 * PAGE_SIZE + 3)
    with closing(db.connect(demo_db)) as connection:
        query = build_query(ListState(sort="number"), connection)
        numbers: list[str] = []
        token = None
        pages = 0
        while True:
            rows, token = fetch_page(connection, query, token)
            pages += 1
            numbers += [row["number"] for row in rows]
            if token is None:
                break
    assert pages == 3
    assert numbers == sorted(set(numbers)) and len(numbers) == 7 + 2 * PAGE_SIZE + 3


def test_errors_find_their_field() -> None:
    fields = {field.key for field in CUSTOMER_FIELDS}
    error = ValidationFailed("--vat-id: 'X' is not a valid VAT ID", field="vat_id")
    assert field_of(error, fields) == "vat_id"
    assert field_of(Conflict("--vat-id: DE1 belongs to CUS-0001 already"), fields) == "vat_id"
    assert field_of(Conflict("--discount: bad"), fields) == "discount_percent"
    assert field_of(Conflict("CUS-0001 is archived"), fields) is None
    assert without_flag("--vat-id: 'X' is bad") == "'X' is bad"
    assert without_flag("a plain message: with a colon") == "a plain message: with a colon"


def test_form_text_helpers() -> None:
    assert as_text(None) == "" and as_text(["a", "b"]) == "a, b" and as_text(5) == "5"
    assert label_list(" VIP, SLA Gold;; Messe ,") == ["VIP", "SLA Gold", "Messe"]


def test_hint_labels_pick_service_levels_and_warnings() -> None:
    labels = ["Key account", "SLA Gold", "vip", "Newsletter", "Achtung: Mahnung"]
    assert browse.hint_labels(labels) == ["SLA Gold", "vip", "Achtung: Mahnung"]


def test_customer_extras_count_documents_and_read_the_sync_state(demo_db: Path) -> None:
    with closing(db.connect(demo_db)) as connection:
        assert browse.customer_extras(connection, 1) == {
            "documents": 0, "m365_status": None, "m365_last_sync": None,
            "m365_last_error": None,
        }  # fmt: skip
        connection.execute(
            "UPDATE customer SET m365_status = 'error', m365_last_error = 'HTTP 429' WHERE id = 1"
        )
        extras = browse.customer_extras(connection, 1)
    assert extras["m365_status"] == "error" and extras["m365_last_error"] == "HTTP 429"
