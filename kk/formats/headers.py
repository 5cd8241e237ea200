"""Map the column headers of a CSV file to kk's customer keys.

Four families of headers are known: kk's own keys with common German sheet headers
("generic"), Outlook's contact export in English and in German, and Google Contacts' export
(the current "First Name … E-mail 1 - Value" layout and the older "Given Name … Group
Membership" one). Headers compare case-, space- and punctuation-insensitively ("E-Mail",
"email", "E_MAIL" are one header; "Straße" equals "Strasse").

The family is detected from headers only it uses ("Business Street", "Ort geschäftlich",
"E-mail 1 - Value" …). It matters for the few headers whose meaning differs: Outlook's
"Title"/"Anrede" is a name prefix ("Herr Dr."), German Outlook's "Ort" is the office
*location* not the city, Google's "Labels" are ``:::``-separated.

Ignorable columns: the Outlook and Google exports always write every column they have
(~90 for Outlook), most of them useless to kk (Birthday, Priority, Sensitivity, Private,
Assistant's Phone, Job Title, PO boxes …). Reporting all of them as unknown would hide the
one column a user mistyped, so each family lists the columns it writes that kk drops on
purpose; they count as unknown only when that family was not detected. Phone-like columns
kk has no field for (faxes, pager, car phone) are not dropped but go to ``extra``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from kk.errors import ValidationFailed
from kk.formats.rows import KK_KEYS, LIST_KEYS, Record, split_list, split_prefix

#: Address parts; the parts of one address travel together (never a business street with a
#: home city).
ADDRESS_FIELDS = frozenset({"street", "house_number", "postal_code", "city", "country"})
#: Targets that are not kk keys: joined or split into kk keys when a record is built.
PSEUDO_FIELDS = ("house_number", "name_prefix", "middle_name", "extra", "phone_label")
#: kk keys whose cell is taken as it is.
_SIMPLE_KEYS = frozenset(KK_KEYS) - LIST_KEYS - ADDRESS_FIELDS
#: What ``--map HEADER=FIELD`` accepts as FIELD; ``ignore`` drops the column.
MAP_TARGETS = frozenset(KK_KEYS) | {"house_number", "name_prefix", "middle_name", "extra"}


@dataclass(frozen=True, slots=True)
class Target:
    """Where a column goes: a kk key (or pseudo field), the address or phone group it
    belongs to, and how a list cell splits."""

    field: str
    group: str | None = None
    split: str = ";,"


def norm(header: str) -> str:
    """Fold a header for comparison: case, ß/ss, spaces, dashes and punctuation vanish."""
    return "".join(c for c in header.casefold() if c.isalnum())


def _table(spec: dict[str, Iterable[str]], **kwargs: str) -> dict[str, Target]:
    return {
        norm(alias): Target(key, **kwargs) for key, aliases in spec.items() for alias in aliases
    }


_GENERIC: dict[str, Target] = {norm(k): Target(k, split=";") for k in KK_KEYS}
_GENERIC.update(
    _table(
        {
            "number": ["Kundennummer", "Kunden-Nr.", "Kundennr", "Kd-Nr.", "Customer Number"],
            "display_name": ["Anzeigename"],
            "company_name": ["Firma", "Firmenname", "Unternehmen", "Company", "Organisation"],
            "register_number": ["Handelsregister", "HRB", "Handelsregisternummer"],
            "vat_id": ["USt-IdNr", "USt-ID", "UStIdNr", "Umsatzsteuer-ID", "VAT ID"],
            "tax_number": ["Steuernummer", "St.-Nr."],
            "salutation": ["Anrede"],
            "title": ["Titel"],
            "first_name": ["Vorname", "First Name"],
            "last_name": ["Nachname", "Familienname", "Last Name"],
            "email": ["E-Mail", "E-Mail-Adresse", "Mail", "E-mail Address"],
            "phone": ["Telefon", "Tel.", "Telefonnummer"],
            "mobile": ["Mobil", "Handy", "Mobiltelefon", "Mobilnummer"],
            "extra": ["Fax", "Telefax", "Faxnummer"],
            "website": ["Webseite", "Internet", "Homepage", "Web", "URL"],
            "street": ["Straße", "Str."],
            "house_number": ["Hausnummer", "Hausnr."],
            "postal_code": ["PLZ", "Postleitzahl", "Postal Code", "ZIP"],
            "city": ["Ort", "Stadt", "Wohnort"],
            "country": ["Land"],
            "notes": ["Notizen", "Notiz", "Bemerkung", "Bemerkungen", "Anmerkungen", "Kommentar"],
            "discount_percent": ["Rabatt", "Rabatt %", "Rabatt (%)", "Discount"],
            "roles": ["Rollen"],
        }
    )
)
_GENERIC.update(_table({"labels": ["Gruppen", "Gruppe", "Kategorien", "Kategorie", "Tags"]}))

# Outlook (English): the address columns come in three groups.
_OUTLOOK_EN: dict[str, Target] = _table(
    {
        "name_prefix": ["Title"],
        "first_name": ["First Name"],
        "middle_name": ["Middle Name"],
        "last_name": ["Last Name"],
        "company_name": ["Company"],
        "email": ["E-mail Address", "E-mail 2 Address", "E-mail 3 Address"],
        "phone": [
            "Business Phone",
            "Business Phone 2",
            "Company Main Phone",
            "Primary Phone",
            "Home Phone",
            "Home Phone 2",
            "Other Phone",
        ],
        "mobile": ["Mobile Phone"],
        "extra": [
            "Suffix",
            "Business Fax",
            "Home Fax",
            "Other Fax",
            "Car Phone",
            "Pager",
            "Radio Phone",
            "ISDN",
            "Callback",
            "Telex",
            "TTY/TDD Phone",
            "Business Street 2",
            "Business Street 3",
            "Home Street 2",
            "Home Street 3",
            "Other Street 2",
            "Other Street 3",
        ],
        "notes": ["Notes"],
        "website": ["Web Page"],
    }
)
_OUTLOOK_EN.update(_table({"labels": ["Categories"]}))
for _group, _prefix in (("business", "Business"), ("home", "Home"), ("other", "Other")):
    _OUTLOOK_EN.update(
        _table(
            {
                "street": [f"{_prefix} Street"],
                "city": [f"{_prefix} City"],
                "postal_code": [f"{_prefix} Postal Code"],
                "country": [f"{_prefix} Country/Region", f"{_prefix} Country"],
            },
            group=_group,
        )
    )
_OUTLOOK_EN_IGNORABLE = {
    norm(h)
    for h in (
        "Billing Information|Birthday|Business Address PO Box|Children|Directory Server|"
        "E-mail Type|E-mail Display Name|E-mail 2 Type|E-mail 2 Display Name|E-mail 3 Type|"
        "E-mail 3 Display Name|Gender|Government ID Number|Hobby|Home Address PO Box|Initials|"
        "Internet Free Busy|Keywords|Language|Location|Manager's Name|Mileage|Office Location|"
        "Organizational ID Number|Other Address PO Box|Priority|Private|Profession|"
        "Referred By|Sensitivity|Spouse|User 1|User 2|User 3|User 4|Business State|Home State|"
        "Other State|Given Name Yomi|Family Name Yomi|Company Yomi|Department|Job Title|"
        "Assistant's Phone|Account|Anniversary|Assistant's Name"
    ).split("|")
}
_OUTLOOK_EN_SIGNATURE = {
    norm(h)
    for h in (
        "Business Street",
        "Business City",
        "Business Postal Code",
        "Business Country/Region",
        "Home Street",
        "E-mail Type",
        "E-mail Display Name",
        "Business Phone",
        "Mobile Phone",
        "Assistant's Phone",
        "Web Page",
    )
}

# Outlook (German): same columns, German names, written in cp1252.
_OUTLOOK_DE: dict[str, Target] = _table(
    {
        "name_prefix": ["Anrede"],
        "first_name": ["Vorname"],
        "middle_name": ["Weitere Vornamen"],
        "last_name": ["Nachname"],
        "company_name": ["Firma"],
        "email": ["E-Mail-Adresse", "E-Mail 2: Adresse", "E-Mail 3: Adresse"],
        "phone": [
            "Telefon geschäftlich",
            "Telefon geschäftlich 2",
            "Telefon Firma",
            "Haupttelefon",
            "Telefon privat",
            "Telefon privat 2",
            "Telefon (privat)",
            "Telefon (privat 2)",
            "Weiteres Telefon",
        ],
        "mobile": ["Mobiltelefon", "Mobiltelefon 2"],
        "extra": [
            "Suffix",
            "Fax geschäftlich",
            "Fax privat",
            "Weiteres Fax",
            "Autotelefon",
            "Pager",
            "ISDN",
            "Rückmeldung",
            "Telex",
            "Telefon für Hörbehinderte",
            "Straße geschäftlich 2",
            "Straße geschäftlich 3",
            "Straße privat 2",
            "Straße privat 3",
            "Weitere Straße 2",
            "Weitere Straße 3",
        ],
        "notes": ["Notizen"],
        "website": ["Webseite"],
    }
)
_OUTLOOK_DE.update(_table({"labels": ["Kategorien"]}))
for _group, _names in (
    (
        "business",
        (
            "Straße geschäftlich",
            "Ort geschäftlich",
            "Postleitzahl geschäftlich",
            "Land/Region geschäftlich",
        ),
    ),
    ("home", ("Straße privat", "Ort privat", "Postleitzahl privat", "Land/Region privat")),
    ("other", ("Weitere Straße", "Weiterer Ort", "Weitere Postleitzahl", "Weiteres Land/Region")),
):
    for _key, _name in zip(("street", "city", "postal_code", "country"), _names, strict=True):
        _OUTLOOK_DE[norm(_name)] = Target(_key, group=_group)
_OUTLOOK_DE[norm("Weiteres/e Land/Region")] = Target("country", group="other")
_OUTLOOK_DE_IGNORABLE = {
    norm(h)
    for h in (
        "Abteilung|Position|Region geschäftlich|Bundesland/Kanton geschäftlich|Region privat|"
        "Bundesland/Kanton privat|Weitere Region|Weiteres/r Bundesland/Kanton|"
        "Telefon Assistent|Abrechnungsinformation|Abrechnungsinformationen|Assistent(in)|"
        "Name Assistent|Benutzer 1|Benutzer 2|Benutzer 3|Benutzer 4|Beruf|Büro|"
        "E-Mail-Typ|E-Mail: Angezeigter Name|E-Mail 2: Typ|E-Mail 2: Angezeigter Name|"
        "E-Mail 3: Typ|E-Mail 3: Angezeigter Name|Empfohlen von|Geburtstag|Geschlecht|Hobby|"
        "Initialen|Internet Frei/Gebucht|Jahrestag|Kinder|Konto|Name des/der Vorgesetzten|"
        "Name des/r Vorgesetzten|Organisations-Nr.|Ort|Partner|Partner/in|"
        "Postfach geschäftlich|Postfach privat|Weiteres Postfach|Priorität|Privat|"
        "Regierungs-Nr.|Sozialversicherungsnr.|Reisekilometer|Sprache|Stichwörter|"
        "Vertraulichkeit|Verzeichnisserver|Vorname Yomi|Nachname Yomi|Firma Yomi"
    ).split("|")
}
_OUTLOOK_DE_SIGNATURE = {
    norm(h)
    for h in (
        "Straße geschäftlich",
        "Ort geschäftlich",
        "Postleitzahl geschäftlich",
        "Land/Region geschäftlich",
        "Straße privat",
        "Telefon geschäftlich",
        "E-Mail-Typ",
        "E-Mail: Angezeigter Name",
        "Weitere Vornamen",
        "Telefon Assistent",
    )
}

# Google Contacts: fixed columns plus numbered groups ("E-mail 1 - Value", "Address 2 - City").
_GOOGLE: dict[str, Target] = _table(
    {
        "first_name": ["First Name", "Given Name"],
        "middle_name": ["Middle Name", "Additional Name"],
        "last_name": ["Last Name", "Family Name"],
        "name_prefix": ["Name Prefix"],
        "extra": ["Name Suffix"],
        "company_name": ["Organization Name", "Organization 1 - Name"],
        "notes": ["Notes"],
    }
)
_GOOGLE.update(_table({"labels": ["Labels", "Group Membership"]}, split=":::"))
_GOOGLE_IGNORABLE = {
    norm(h)
    for h in (
        "Name|Phonetic First Name|Phonetic Middle Name|Phonetic Last Name|Nickname|File As|"
        "Organization Title|Organization Department|Birthday|Photo|Yomi Name|Given Name Yomi|"
        "Additional Name Yomi|Family Name Yomi|Initials|Short Name|Maiden Name|Gender|"
        "Location|Billing Information|Directory Server|Mileage|Occupation|Hobby|Sensitivity|"
        "Priority|Subject|Language"
    ).split("|")
}
_GOOGLE_NUMBERED = re.compile(
    r"^(email|phone|address|website|organization|event|relation|customfield|im|externalid"
    r"|calendarlink|jot)(\d+)([a-z]+)$"
)
_GOOGLE_SIGNATURE = {
    norm(h)
    for h in (
        "Organization Name",
        "Given Name",
        "Family Name",
        "Group Membership",
        "File As",
        "Phonetic First Name",
        "Name Prefix",
        "Labels",
        "E-mail 1 - Value",
        "Phone 1 - Value",
    )
}


#: What the lookups return for a column kk drops on purpose.
IGNORE = Target("")


def _google_numbered(key: str) -> Target | None:
    """Target of a numbered Google column; IGNORE if ignorable; None if not one."""
    match = _GOOGLE_NUMBERED.match(key)
    if match is None:
        return None
    kind, n, part = match.groups()
    if kind == "email" and part == "value":
        return Target("email")
    if kind == "phone" and part == "value":
        return Target("phone", group=n)
    if kind == "phone" and part in ("label", "type"):
        return Target("phone_label", group=n)
    if kind == "website" and part == "value":
        return Target("website")
    if kind == "address" and part in ("street", "city", "country"):
        return Target(part, group=f"google{n}")
    if kind == "address" and part == "postalcode":
        return Target("postal_code", group=f"google{n}")
    if kind == "organization" and part == "name":
        return Target("company_name")
    return IGNORE


FAMILIES = ("generic", "outlook_en", "outlook_de", "google")
_KK_KEYS = frozenset(norm(k) for k in KK_KEYS)
_SIGNATURES = {
    "outlook_en": _OUTLOOK_EN_SIGNATURE,
    "outlook_de": _OUTLOOK_DE_SIGNATURE,
    "google": _GOOGLE_SIGNATURE,
}
_TABLES = {"outlook_en": _OUTLOOK_EN, "outlook_de": _OUTLOOK_DE, "google": _GOOGLE}
_IGNORABLE = {
    "outlook_en": _OUTLOOK_EN_IGNORABLE,
    "outlook_de": _OUTLOOK_DE_IGNORABLE,
    "google": _GOOGLE_IGNORABLE,
}


def detect_family(headers: Sequence[str]) -> str:
    """Name the export a header row comes from: the family with the most of its own
    headers (at least two), else ``generic``."""
    keys = {norm(h) for h in headers}
    if len(keys & _KK_KEYS) * 2 >= len(keys):
        return "generic"  # kk's own export, whatever else it has
    scores = {name: len(keys & signature) for name, signature in _SIGNATURES.items()}
    scores["google"] += sum(1 for k in keys if _GOOGLE_NUMBERED.match(k))
    best = max(scores, key=lambda name: scores[name])
    return best if scores[best] >= 2 else "generic"


def _lookup(key: str, family: str) -> Target | None:
    """Target of a folded header; IGNORE if ignorable for ``family``; None if unknown."""
    if family in _TABLES:
        if key in _TABLES[family]:
            return _TABLES[family][key]
        if family == "google":
            numbered = _google_numbered(key)
            if numbered is not None:
                return numbered
        if key in _IGNORABLE[family]:
            return IGNORE
    return _GENERIC.get(key)


@dataclass(slots=True)
class HeaderMap:
    """The columns of one file and where each goes.

    ``fields[i]`` is the target of column ``i`` (a kk key, or ``house_number``,
    ``name_prefix``, ``middle_name``, ``extra``, ``phone_label``), None for dropped ones;
    ``unknown`` lists the non-empty headers nothing maps; ``ignored`` the ones dropped on
    purpose.
    """

    headers: list[str]
    targets: list[Target | None]
    family: str
    unknown: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    _plan: list[tuple[int, Target]] | None = field(default=None, repr=False)
    _direct: list[str | None] = field(default_factory=list, repr=False)
    _lists: list[tuple[int, str, str]] = field(default_factory=list, repr=False)

    @property
    def fields(self) -> list[str | None]:
        return [t.field if t else None for t in self.targets]

    def plan(self) -> tuple[list[str | None], list[tuple[int, Target]]]:
        """Split the columns once: ``direct[i]`` is the kk key column ``i`` fills as it is
        (the only column for that key, no list, address, prefix or Google logic); the
        rest need the slow path. Keeps a million-row import fast."""
        if self._plan is None:
            keys = [t.field if t else None for t in self.targets]
            one_address = not any(
                t.field == "house_number" or (t.field in ADDRESS_FIELDS and t.group is not None)
                for t in self.targets
                if t is not None
            )
            simple = _SIMPLE_KEYS | ADDRESS_FIELDS if one_address else _SIMPLE_KEYS
            self._direct = [
                key
                if target is not None
                and key in simple
                and target.group is None
                and self.family != "google"
                and keys.count(key) == 1
                else None
                for key, target in zip(keys, self.targets, strict=True)
            ]
            self._lists = [
                (index, target.field, target.split)
                for index, target in enumerate(self.targets)
                if target is not None
                and target.field in LIST_KEYS
                and keys.count(target.field) == 1
            ]
            listed = {index for index, _, _ in self._lists}
            self._plan = [
                (index, target)
                for index, target in enumerate(self.targets)
                if target is not None and self._direct[index] is None and index not in listed
            ]
        return self._direct, self._plan

    def record(self, cells: Sequence[str], clean: Callable[[str], str] | None = None) -> Record:
        """Build a record from the cells of one row (trimmed here; ``clean`` is applied to
        each used cell, before any splitting or joining).

        Several columns for one key: the first non-empty wins, the others go to ``extra``
        under their header; a column named for a key wins over a value derived from another
        (a "Salutation" column over the salutation split off a name prefix). Addresses: the
        first group with any part wins whole.
        """
        direct, plan = self.plan()
        record: Record = {
            key: text
            for key, value in zip(direct, cells, strict=False)  # a short row lacks its end
            if key is not None and value and (text := value.strip())
        }
        if clean is not None:
            for key, value in record.items():
                record[key] = clean(value)
        count = len(cells)
        for index, key, how in self._lists:
            if index < count and (text := cells[index].strip()):
                items = split_list(clean(text) if clean else text, how)
                if items:
                    record[key] = items
        if not plan:
            return record
        if clean is not None:
            cells = [clean(cell) for cell in cells]
        return _Builder(self, record).build(cells)


class _Builder:
    """The slow path of :meth:`HeaderMap.record`: columns that join, split or compete."""

    def __init__(self, header_map: HeaderMap, record: Record) -> None:
        self.map = header_map
        self.record = record
        self.extra: dict[str, str] = {}

    def put_extra(self, index: int, value: str) -> None:
        header = self.map.headers[index] or f"column {index + 1}"
        if header in self.extra:
            header = f"{header} (column {index + 1})"
        self.extra[header] = value

    def put(self, key: str, index: int, value: str) -> None:
        if key in self.record:
            self.put_extra(index, value)
        else:
            self.record[key] = value

    def build(self, cells: Sequence[str]) -> Record:
        count = len(cells)
        record = self.record
        _, plan = self.map.plan()
        phone_labels: dict[str, str] = {}
        addresses: dict[str, dict[str, tuple[int, str]]] = {}
        middle: list[str] = []
        for index, target in plan:
            if target.field == "phone_label" and index < count:
                phone_labels[target.group or ""] = cells[index].strip().casefold()
        for index, target in plan:
            if index >= count:
                break
            value = cells[index].strip()
            if not value:
                continue
            key = target.field
            if key == "phone_label":
                continue
            if key in LIST_KEYS:
                items = split_list(value, target.split)
                merged = record.get(key, []) + items
                if merged:
                    record[key] = list(dict.fromkeys(merged))
                continue
            if self.map.family == "google" and ":::" in value:
                first, _, rest = value.partition(":::")
                value = first.strip()
                self.put_extra(index, rest.strip())
            if key == "extra":
                self.put_extra(index, value)
            elif key in ADDRESS_FIELDS:
                parts = addresses.setdefault(target.group or "", {})
                if key in parts:
                    self.put_extra(index, value)
                else:
                    parts[key] = (index, value)
            elif key == "middle_name":
                middle.append(value)
            elif key == "name_prefix":
                salutation, title = split_prefix(value)
                if salutation:
                    self.put("salutation", index, salutation)
                if title:
                    self.put("title", index, title)
            elif key == "phone" and target.group is not None:
                label = phone_labels.get(target.group, "")
                if any(word in label for word in ("mobile", "mobil", "cell", "handy")):
                    self.put("mobile", index, value)
                elif "fax" in label or "pager" in label:
                    self.put_extra(index, value)
                else:
                    self.put("phone", index, value)
            else:
                self.put(key, index, value)
        if middle:
            self.record["first_name"] = " ".join([self.record.get("first_name", ""), *middle])
            self.record["first_name"] = self.record["first_name"].strip()
        self.place_address(addresses)
        if self.extra:
            self.record["extra"] = self.extra
        return self.record

    def place_address(self, addresses: dict[str, dict[str, tuple[int, str]]]) -> None:
        for n, parts in enumerate(addresses.values()):
            if n > 0:
                for index, value in parts.values():
                    self.put_extra(index, value)
                continue
            if "house_number" in parts:
                index, number = parts.pop("house_number")
                if "street" in parts:
                    street_index, street = parts["street"]
                    parts["street"] = (street_index, f"{street} {number}")
                else:
                    self.put_extra(index, number)
            for key, (index, value) in parts.items():
                self.put(key, index, value)


def map_headers(headers: Sequence[str], overrides: dict[str, str] | None = None) -> HeaderMap:
    """Map a header row; ``overrides`` (``--map "Kd-Nr=number"``) win over the tables.

    An override value is a kk key, a pseudo field (``house_number``, ``name_prefix``,
    ``middle_name``, ``extra``) or ``ignore``. An override naming a column the file does
    not have, or an unknown field, raises :class:`ValidationFailed`.
    """
    clean = [h.strip().lstrip("\ufeff").strip() for h in headers]
    family = detect_family(clean)
    wanted: dict[str, tuple[str, str]] = {}
    for header, target in (overrides or {}).items():
        target = target.strip()
        if target != "ignore" and target not in MAP_TARGETS:
            raise ValidationFailed(
                f"--map: {target!r} is not a field (use one of the JSON keys, or 'ignore')",
                field="map",
            )
        wanted[norm(header)] = (header, target)
    missing = set(wanted) - {norm(h) for h in clean}
    if missing:
        header = wanted[sorted(missing)[0]][0]
        raise ValidationFailed(f"--map: the file has no column {header!r}", field="map")
    result = HeaderMap(headers=clean, targets=[], family=family)
    for header in clean:
        key = norm(header)
        if key in wanted:
            name = wanted[key][1]
            result.targets.append(None if name == "ignore" else Target(name))
            if name == "ignore":
                result.ignored.append(header)
            continue
        found = _lookup(key, family) if key else IGNORE
        if found is None:
            result.targets.append(None)
            result.unknown.append(header)
        elif found is IGNORE:
            result.targets.append(None)
            if header:
                result.ignored.append(header)
        else:
            result.targets.append(found)
    _resolve_name(result)
    return result


def _resolve_name(result: HeaderMap) -> None:
    """A lone "Name" column: the last name beside a first-name column, else the whole name
    (``display_name``), which the importer splits or takes as a company name."""
    has_first = any(t is not None and t.field == "first_name" for t in result.targets)
    for index, header in enumerate(result.headers):
        if norm(header) == "name" and header in result.unknown:
            result.unknown.remove(header)
            field_name = "last_name" if has_first else "display_name"
            result.targets[index] = Target(field_name)
