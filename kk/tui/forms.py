"""Forms to add and edit a customer and a contact person.

The rules live in the services (kk.services.customer_rules via add_customer/edit_customer,
customer_parts for persons): a form collects text, hands it to the service inside one
write transaction, and shows a refusal at the field it names. Nothing is saved until the
service accepts the whole form (a refused write rolls back).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Header,
    Input,
    Label,
    Select,
    Static,
    TextArea,
)

from kk.errors import KkError
from kk.tui import data
from kk.tui.screen_base import KkScreen, WriteDone, WriteFailed, field_of

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass(frozen=True)
class Field:
    """One field of a form: its service key, label, widget kind and hint."""

    key: str
    label: str
    kind: str = "input"  # input | select | check | area
    placeholder: str = ""
    options: tuple[tuple[str, str], ...] = ()


def as_text(value: Any) -> str:
    """A stored value as the text a form field shows."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def without_flag(message: str) -> str:
    """'--vat-id: bad' → 'bad': at the field, the flag's name is noise."""
    head, sep, rest = message.partition(": ")
    return rest if sep and head.startswith("--") and " " not in head else message


class FormScreen(KkScreen[str | None]):
    """A form over a service call; dismissed with the customer number once saved."""

    CSS_PATH = "forms.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    FIELDS: ClassVar[list[Field]] = []

    class Prefilled(Message):
        """The stored values of the record being edited arrived."""

        def __init__(self, values: dict[str, Any] | None, error: KkError | None) -> None:
            super().__init__()
            self.values = values
            self.error = error

    #: True: the service takes a SQLModel session; False: a stdlib connection.
    SESSION: ClassVar[bool] = True

    def __init__(
        self,
        heading: str,
        initial: dict[str, Any] | None = None,
        fields: list[Field] | None = None,
    ) -> None:
        super().__init__()
        self.fields = fields if fields is not None else list(self.FIELDS)
        self.heading = heading
        self.initial: dict[str, Any] = dict(initial or {})
        self.saving = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="form"):
            yield Static(self.heading, id="heading")
            yield Static(id="form-error")
            for field in self.fields:
                with Horizontal(classes="field", id=f"row-{field.key}"):
                    yield Label(field.label, classes="label")
                    with Vertical(classes="control"):
                        yield self._widget(field)
                        yield Static(classes="error", id=f"error-{field.key}")
            with Horizontal(id="form-buttons"):
                yield Button("Save", variant="primary", id="save", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer()

    def _widget(self, field: Field) -> Widget:
        value = self.initial.get(field.key)
        ident = f"field-{field.key}"
        if field.kind == "select":
            # Blank (the prompt) leaves the choice to the service (kind: company when a
            # company name is given), so the form never re-implements that rule.
            return Select(field.options, value=value or Select.NULL, id=ident,
                          prompt=field.placeholder or "Select", compact=True)  # fmt: skip
        if field.kind == "check":
            return Checkbox("yes", value=bool(value), id=ident, compact=True)
        if field.kind == "area":
            return TextArea(as_text(value), id=ident, soft_wrap=True, compact=True,
                            placeholder=field.placeholder)  # fmt: skip
        return Input(as_text(value), placeholder=field.placeholder, id=ident, compact=True)

    def on_mount(self) -> None:
        self._warm_up()

    @work(thread=True, group="warm-up")
    def _warm_up(self) -> None:
        data.warm_up_writes()

    # -- values -------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What the form holds now: text (stripped), the select's value, booleans."""
        out: dict[str, Any] = {}
        for field in self.fields:
            widget = self.query_one(f"#field-{field.key}")
            if isinstance(widget, Input):
                out[field.key] = widget.value.strip()
            elif isinstance(widget, Checkbox):
                out[field.key] = widget.value
            elif isinstance(widget, Select):
                out[field.key] = None if widget.is_blank() else widget.value
            elif isinstance(widget, TextArea):
                out[field.key] = widget.text.strip()
        return out

    def fill(self, values: dict[str, Any]) -> None:
        """Put stored values into the fields (an edit form once they are loaded)."""
        self.initial = dict(values)
        for field in self.fields:
            widget = self.query_one(f"#field-{field.key}")
            value = values.get(field.key)
            if isinstance(widget, Input):
                widget.value = as_text(value)
            elif isinstance(widget, Checkbox):
                widget.value = bool(value)
            elif isinstance(widget, Select):
                widget.value = value or Select.NULL
            elif isinstance(widget, TextArea):
                widget.load_text(as_text(value))

    def changed(self) -> dict[str, Any]:
        """The fields whose value differs from the stored one (None clears a field)."""
        out: dict[str, Any] = {}
        for key, value in self.values().items():
            before = self.initial.get(key)
            if isinstance(value, bool):
                if value != bool(before):
                    out[key] = value
            elif as_text(value) != as_text(before):
                out[key] = value or None
        return out

    # -- saving -------------------------------------------------------------------------

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.saving:
            return
        self.clear_errors()
        change = self.change()
        if change is None:
            self.dismiss(None)
            return
        self.saving = True
        self.run_write(change, self.done_text(), tag="form", session=self.SESSION)

    def change(self) -> Any:
        """The write for the current values (None: nothing to save)."""
        raise NotImplementedError

    def done_text(self) -> str:
        return "saved"

    def write_done(self, message: WriteDone) -> None:
        self.saving = False
        self.dismiss(message.number)

    def write_failed(self, message: WriteFailed) -> None:
        self.saving = False
        self.show_error(message.error)

    def clear_errors(self) -> None:
        for error in self.query(".error"):
            error.remove_class("-shown")
        for field in self.fields:
            self.query_one(f"#field-{field.key}").remove_class("-invalid")
        self.query_one("#form-error", Static).display = False

    def show_error(self, error: KkError) -> None:
        """Show a refusal at the field it names (else above the form) and focus that field."""
        key = field_of(error, {field.key for field in self.fields})
        if key is None:
            box = self.query_one("#form-error", Static)
            box.update(error.message)
            box.display = True
            return
        label = self.query_one(f"#error-{key}", Static)
        label.update(without_flag(error.message))
        label.add_class("-shown")
        widget = self.query_one(f"#field-{key}")
        widget.add_class("-invalid")
        widget.focus()
        self.query_one(f"#row-{key}").scroll_visible()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Prefilled)
    def _prefilled(self, message: Prefilled) -> None:
        if message.error is not None:
            self.notify(message.error.message, severity="error")
            self.dismiss(None)
            return
        assert message.values is not None
        self.fill(message.values)


KINDS = (("Private person", "private"), ("Company", "company"))

CUSTOMER_FIELDS = [
    Field("kind", "Kind", "select", "from the fields (a company name: company)", KINDS),
    Field("company_name", "Company"),
    Field("salutation", "Salutation", placeholder="Frau, Herr"),
    Field("title", "Title", placeholder="Dr."),
    Field("first_name", "First name"),
    Field("last_name", "Last name"),
    Field("street", "Street"),
    Field("postal_code", "Postal code", placeholder="01067"),
    Field("city", "City"),
    Field("country", "Country", placeholder="DE"),
    Field("email", "Email"),
    Field("phone", "Phone", placeholder="030 1234567"),
    Field("mobile", "Mobile"),
    Field("website", "Website"),
    Field("vat_id", "VAT ID", placeholder="DE123456789"),
    Field("tax_number", "Tax number"),
    Field("register_number", "Register", placeholder="HRB 12345 Berlin (Charlottenburg)"),
    Field("discount_percent", "Discount %", placeholder="10,00"),
    Field("roles", "Roles", placeholder="customer, supplier"),
    Field("labels", "Labels", placeholder="VIP, SLA Gold"),
    Field("notes", "Notes"),
    Field("do_not_contact", "Do not contact", "check"),
    Field("is_template", "Template", "check"),
]


def label_list(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class CustomerForm(FormScreen):
    """Add a customer (no number) or edit one."""

    FIELDS = CUSTOMER_FIELDS

    def __init__(self, number: str | None = None) -> None:
        super().__init__(f"Edit {number}" if number else "New customer")
        self.number = number

    def on_mount(self) -> None:
        super().on_mount()
        if self.number:
            self._prefill(self.kk.db_path, self.number)
        else:
            self.query_one("#field-country", Input).value = self.kk.default_country
            self.initial["country"] = self.kk.default_country
        self.query_one("#field-kind", Select).focus()

    @work(thread=True, exclusive=True, group="prefill")
    def _prefill(self, path: Path, number: str) -> None:
        from kk.services import queries

        try:
            with data.read(path) as connection:
                record = queries.lookup(connection, number)[1]
        except KkError as error:
            self.post_message(self.Prefilled(None, error))
            return
        self.post_message(self.Prefilled(record, None))

    def done_text(self) -> str:
        return f"{self.number} saved" if self.number else "customer added"

    def change(self) -> Any:
        actor = self.kk.actor
        if self.number is None:
            values = self.values()
            labels = label_list(values.pop("labels"))
            fields = {k: v for k, v in values.items() if v not in ("", None)}
            country = self.kk.default_country

            def add(session: Session) -> str:
                from kk.services.customers import add_customer

                customer = add_customer(session, data=fields, actor=actor, labels=labels,
                                        default_country=country)  # fmt: skip
                return customer.number

            return add
        number = self.number
        changes = self.changed()
        label_text = changes.pop("labels", False)
        before = set(label_list(as_text(self.initial.get("labels"))))
        after = set(label_list(label_text or "")) if label_text is not False else before
        if not changes and after == before:
            return None

        def edit(session: Session) -> str:
            from kk.services.customers import add_labels, edit_customer, remove_labels

            if changes:
                edit_customer(session, number, changes=changes, actor=actor)
            if after - before:
                add_labels(session, number, sorted(after - before), actor=actor)
            if before - after:
                remove_labels(session, number, sorted(before - after), actor=actor)
            return number

        return edit


PERSON_FIELDS = [
    Field("salutation", "Salutation", placeholder="Frau, Herr"),
    Field("title", "Title"),
    Field("first_name", "First name"),
    Field("last_name", "Last name"),
    Field("role", "Role", placeholder="Einkauf, Geschäftsführung"),
    Field("email", "Email"),
    Field("phone", "Phone"),
]


class PersonForm(FormScreen):
    """Add a contact person to a customer, or edit one."""

    FIELDS = PERSON_FIELDS

    def __init__(self, number: str, person: dict[str, Any] | None = None) -> None:
        heading = (
            f"Edit contact person of {number}" if person else f"New contact person of {number}"
        )
        super().__init__(heading, person)
        self.number = number
        self.person_id: int | None = person["id"] if person else None

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#field-salutation", Input).focus()

    def done_text(self) -> str:
        return "contact person saved"

    def change(self) -> Any:
        actor, number, person_id = self.kk.actor, self.number, self.person_id
        if person_id is None:
            values = self.values()

            def add(session: Session) -> str:
                from kk.services.customer_parts import add_person

                add_person(session, number, data=values, actor=actor)
                return number

            return add
        changes = self.changed()
        if not changes:
            return None

        def edit(session: Session) -> str:
            from kk.services.customer_parts import edit_person

            edit_person(session, number, person_id, changes=changes, actor=actor)
            return number

        return edit


NOTE_FIELDS = [Field("text", "Note", "area", "What was said, agreed, promised …")]


class NoteForm(FormScreen):
    """Add a note to a customer, or edit one (its author or an admin)."""

    FIELDS = NOTE_FIELDS
    SESSION = False

    def __init__(self, number: str, note: dict[str, Any] | None = None) -> None:
        heading = f"Edit note {note['id']} of {number}" if note else f"New note on {number}"
        super().__init__(heading, note)
        self.number = number
        self.note_id: int | None = note["id"] if note else None

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#field-text", TextArea).focus()

    def done_text(self) -> str:
        return "note saved"

    def change(self) -> Any:
        actor, number, note_id = self.kk.actor, self.number, self.note_id
        text = self.values()["text"]
        if note_id is not None and text == as_text(self.initial.get("text")).strip():
            return None

        def save(connection: sqlite3.Connection) -> str:
            from kk.services import notes

            if note_id is None:
                notes.add_note(connection, number, text=text, actor=actor)
            else:
                notes.edit_note(connection, note_id, text=text, actor=actor)
            return number

        return save


ACTIVITY_KINDS = tuple((kind.capitalize(), kind) for kind in
                       ("call", "email", "meeting", "letter", "task", "other"))  # fmt: skip


class ActivityForm(FormScreen):
    """Add an activity (call, meeting, task …) to a customer, or edit one."""

    SESSION = False

    def __init__(
        self,
        number: str,
        persons: list[dict[str, Any]],
        activity: dict[str, Any] | None = None,
    ) -> None:
        people = tuple(
            (" ".join(p for p in (person["first_name"], person["last_name"]) if p), person["id"])
            for person in persons
        )
        fields = [
            Field("name", "Activity", placeholder="Rückruf wegen Angebot"),
            Field("kind", "Kind", "select", "Task", ACTIVITY_KINDS),
            Field("due", "Due", placeholder="01.12.2026 or 2026-12-01 14:00"),
            Field("assignee", "Assignee", placeholder="a kk user"),
            *([Field("person", "Contact", "select", "nobody in particular", people)]
              if people else []),
            Field("description", "Description", "area"),
        ]  # fmt: skip
        heading = f"Edit activity of {number}" if activity else f"New activity for {number}"
        super().__init__(heading, activity, fields)
        self.number = number
        self.activity_id: int | None = activity["id"] if activity else None

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#field-name", Input).focus()

    def done_text(self) -> str:
        return "activity saved"

    def change(self) -> Any:
        actor, number, activity_id = self.kk.actor, self.number, self.activity_id
        if activity_id is None:
            values = {k: v for k, v in self.values().items() if v not in ("", None)}
            name = values.pop("name", "")

            def add(connection: sqlite3.Connection) -> str:
                from kk.services import activities

                activities.add_activity(connection, number, name=name, actor=actor, **values)
                return number

            return add
        changes = self.changed()
        if not changes:
            return None

        def edit(connection: sqlite3.Connection) -> str:
            from kk.services import activities

            activities.edit_activity(connection, activity_id, changes=changes, actor=actor)
            return number

        return edit
