"""The rules of a customer record, without a database: which fields exist, how each raw
value is checked and normalised, what is required, how the display name is derived.

`kk customer add/edit`, the bulk import and the TUI forms all go through `clean_customer`,
so there is exactly one copy of the rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from kk import validation
from kk.errors import ValidationFailed
from kk.text import fold

KINDS = ("private", "company")
ROLES = ("customer", "supplier")

#: Fields a user may set, in the order of DESIGN.md (JSON keys).
FIELDS: tuple[str, ...] = (
    "kind", "company_name", "register_number", "vat_id", "tax_number", "salutation", "title",
    "first_name", "last_name", "email", "phone", "mobile", "website", "street", "postal_code",
    "city", "country", "notes", "discount_percent", "roles", "is_template", "do_not_contact",
)  # fmt: skip

#: Fields `--from TEMPLATE` copies: not its number, names or contact data.
TEMPLATE_FIELDS = ("kind", "country", "discount_percent", "roles", "notes")

_FLAGS = {"discount_percent": "--discount", "roles": "--role", "is_template": "--template"}


def flag(field: str) -> str:
    """The CLI flag that sets `field`, for messages (`postal_code` → `--postal-code`)."""
    return _FLAGS.get(field, "--" + field.replace("_", "-"))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = (value if type(value) is str else str(value)).strip()
    return text or None


def _bool(field: str) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "yes", "true", "ja", "y", "j", "x"):
            return True
        if text in ("", "0", "no", "false", "nein", "n"):
            return False
        raise ValidationFailed(f"{flag(field)}: '{value}' is not yes or no", field=field)

    return check


def _roles(value: Any) -> str:
    items = value if isinstance(value, list | tuple) else str(value).replace(";", ",").split(",")
    roles: list[str] = []
    for item in items:
        role = str(item).strip().lower()
        if not role:
            continue
        if role not in ROLES:
            raise ValidationFailed(
                f"--role: '{item}' is not one of customer, supplier", field="roles"
            )
        if role not in roles:
            roles.append(role)
    return ",".join(sorted(roles, key=ROLES.index)) or "customer"


def _kind(value: Any) -> str:
    kind = str(value).strip().lower()
    if kind not in KINDS:
        raise ValidationFailed(f"--kind: '{value}' is not one of private, company", field="kind")
    return kind


def _percent(value: Any) -> str:
    # The flag is --discount; the field keeps its JSON key (imports map it to their column).
    try:
        return format(validation.percent(str(value), field="discount"), "f")
    except ValidationFailed as error:
        raise ValidationFailed(error.message, field="discount_percent") from None


_CHECKS: dict[str, Callable[[str], Any]] = {
    "email": lambda v: validation.email(v, field="email"),
    "vat_id": lambda v: validation.vat_id(v, field="vat_id"),
    "register_number": lambda v: validation.register_number(v, field="register_number"),
    "tax_number": lambda v: validation.tax_number(v, field="tax_number"),
    "website": lambda v: validation.website(v, field="website"),
    "country": lambda v: validation.country(v, field="country"),
    "discount_percent": _percent,
}


def _checked(check: Callable[[str], Any]) -> Callable[[Any], Any]:
    def clean(value: Any) -> Any:
        text = _text(value)
        return check(text) if text else None

    return clean


def _kind_or_none(value: Any) -> str | None:
    return _kind(value) if _text(value) else None


def _roles_or_default(value: Any) -> str:
    return _roles(value if value is not None else "customer")


def _bool_or_false(field: str) -> Callable[[Any], bool]:
    check = _bool(field)
    return lambda value: check(value if value is not None else False)


#: field → how its raw value becomes the stored one. One table, read once per field: a
#: bulk import runs this for every cell of a million rows.
_CLEAN: dict[str, Callable[[Any], Any]] = {
    field: _checked(_CHECKS[field]) if field in _CHECKS else _text for field in FIELDS
}
_CLEAN.update(
    kind=_kind_or_none,
    roles=_roles_or_default,
    is_template=_bool_or_false("is_template"),
    do_not_contact=_bool_or_false("do_not_contact"),
)
_FIELD_SET = frozenset(FIELDS)


def clean_customer(
    raw: Mapping[str, Any],
    *,
    current: Mapping[str, Any] | None = None,
    default_country: str = "DE",
) -> dict[str, Any]:
    """Check and normalise the given fields; return the full record they make.

    `raw` holds only the fields being set (None clears one); `current` is the stored
    record for an edit. Raises ValidationFailed naming the first bad field.
    """
    if not _FIELD_SET.issuperset(raw):
        unknown = next(key for key in raw if key not in _FIELD_SET)
        raise ValidationFailed(f"unknown field '{unknown}'", field=unknown)
    record: dict[str, Any] = dict(current) if current else {}
    for field in FIELDS:  # in this order, so the first bad field is the one reported
        if field in raw:
            record[field] = _CLEAN[field](raw[field])
    if "roles" not in record:
        record["roles"] = "customer"
    if "is_template" not in record:
        record["is_template"] = False
    if "do_not_contact" not in record:
        record["do_not_contact"] = False
    country = record.get("country")
    if not country:
        country = record["country"] = default_country
    if not record.get("kind"):
        record["kind"] = "company" if record.get("company_name") else "private"
    if record.get("postal_code") and ("postal_code" in raw or "country" in raw):
        record["postal_code"] = validation.postal_code(
            record["postal_code"], country=country, field="postal_code"
        )
    for field in ("phone", "mobile"):
        if record.get(field) and (field in raw or "country" in raw):
            region = country if len(country) == 2 else "DE"
            record[field] = validation.phone(record[field], field=field, region=region)
    _require(record)
    record["display_name"] = name = display_name(record)
    record["sort_key"] = fold(name)
    return record


def _require(record: Mapping[str, Any]) -> None:
    if record["kind"] == "company":
        if not record.get("company_name"):
            raise ValidationFailed(
                "--company-name: a company customer needs a company name", field="company_name"
            )
        return
    for field in ("first_name", "last_name"):
        if not record.get(field):
            raise ValidationFailed(
                f"{flag(field)}: a private customer needs a first and a last name", field=field
            )


def display_name(record: Mapping[str, Any]) -> str:
    """Company name, or 'Last, First' — derived, never typed twice."""
    if record.get("kind") == "company" and record.get("company_name"):
        return str(record["company_name"])
    parts = [p for p in (record.get("last_name"), record.get("first_name")) if p]
    return ", ".join(parts) or str(record.get("company_name") or "")


def clean_labels(labels: Iterable[str]) -> list[str]:
    """Labels as typed (trimmed), without duplicates (case-insensitive), in order."""
    seen: set[str] = set()
    out: list[str] = []
    for label in labels:
        name = " ".join(str(label).split())
        if not name:
            continue
        if len(name) > 60:
            raise ValidationFailed(f"--label: '{name[:20]}…' is longer than 60 characters")
        if ";" in name:
            # ';' separates the labels of a CSV cell (kk's export, Excel's "Gruppen"): a
            # label holding one would come back as two from every CSV round trip.
            raise ValidationFailed(
                f"--label: '{name}' contains ';', which separates labels in CSV files "
                "(give two labels instead)"
            )
        if name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return out
