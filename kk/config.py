"""The user's defaults in `<user config dir>/kk/config.toml`.

Read with tomllib, written with tomli-w. Keys are dotted (`company.name`) and map to
TOML tables. Only known keys are accepted, so a typo is an error rather than a silent no-op.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from kk.errors import ValidationFailed

#: key → what it sets. Later features add their keys here.
KNOWN_KEYS: dict[str, str] = {
    "db": "database file used when neither --db nor KK_DB is given",
    "user": "acting user when neither --user nor KK_USER is given",
    "format": "default output format of read commands (table, json, jsonl, csv)",
    "country": "default country (ISO 3166 alpha-2) for new customers",
    "company.name": "your company's name (sender of PDFs, DSGVO controller)",
    "company.street": "your company's street",
    "company.postal_code": "your company's postal code",
    "company.city": "your company's city",
    "company.country": "your company's country",
    "company.vat_id": "your USt-IdNr",
    "company.tax_number": "your Steuernummer",
    "company.register_number": "your Handelsregister entry",
    "company.bank": "your bank's name",
    "company.iban": "your IBAN",
    "company.bic": "your BIC",
    "company.email": "your email address",
    "company.phone": "your phone number",
    "invoice.small_business": "yes: § 19 UStG small business, invoices without VAT",
    "invoice.payment_days": "days until an invoice is due (default 14)",
    "dsgvo.dpo": "your data protection officer (name, contact), named in DSGVO Auskunft letters",
    "dsgvo.supervisory_authority": "the data protection authority responsible for you",
}


def config_path() -> Path:
    """The config file: `KK_CONFIG` if set (tests pin it), else the platform's config dir."""
    override = os.environ.get("KK_CONFIG")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("kk", appauthor=False)) / "config.toml"


def _load() -> dict[str, Any]:
    path = config_path()
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as error:
        raise ValidationFailed(f"config file {path} is not valid TOML: {error}") from None


def _check_key(key: str) -> None:
    if key not in KNOWN_KEYS:
        known = ", ".join(KNOWN_KEYS)
        raise ValidationFailed(f"unknown config key '{key}' (known: {known})", field="key")


def get(key: str, default: str | None = None) -> str | None:
    """The value of a dotted key, or `default`."""
    node: Any = _load()
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return None if isinstance(node, dict) else str(node)


def items() -> dict[str, str]:
    """Every key set in the file, flattened to dotted keys."""
    flat: dict[str, str] = {}

    def walk(prefix: str, node: dict[str, Any]) -> None:
        for name, value in node.items():
            key = f"{prefix}{name}"
            if isinstance(value, dict):
                walk(f"{key}.", value)
            else:
                flat[key] = str(value)

    walk("", _load())
    return flat


def set_value(key: str, value: str) -> None:
    """Set a dotted key and write the file back (creating its folder)."""
    _check_key(key)
    if key == "format" and value not in ("table", "json", "jsonl", "csv"):
        raise ValidationFailed(f"format: '{value}' is not one of table, json, jsonl, csv")
    if key == "country":
        from kk import validation

        value = validation.country(value, field="country")
    data = _load()
    node = data
    *parents, leaf = key.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value
    import tomli_w

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")


def unset(key: str) -> None:
    """Remove a dotted key from the file, if it is there."""
    _check_key(key)
    data = _load()
    node = data
    *parents, leaf = key.split(".")
    for part in parents:
        node = node.get(part, {})
    if leaf in node:
        del node[leaf]
        import tomli_w

        config_path().write_text(tomli_w.dumps(data), encoding="utf-8")
