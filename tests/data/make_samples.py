"""Write the sample import files byte for byte as the real programs write them.

German Excel saves "CSV (Trennzeichen-getrennt)" in cp1252 with ``;`` and CRLF, "CSV UTF-8"
with a BOM, and "Unicode-Text" as UTF-16 LE with tabs. Outlook's export writes every one of
its ~90 columns, each quoted, comma-separated, in the Windows code page (cp1252 in Germany);
Google Contacts writes UTF-8 with its "E-mail 1 - Value" columns and ``:::`` lists; Outlook's
vCard 2.1 uses QUOTED-PRINTABLE with a charset. The files are generated, not hand-edited, so
that encodings, BOMs and line ends are exact; a test checks the committed files still match.

Run: ``python tests/data/make_samples.py`` (writes tests/data/ and examples/), or pass a
target root directory.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

# The customers every sample describes, in kk's keys.
PEOPLE: list[dict[str, str]] = [
    {
        "number": "CUS-0001",
        "kind": "company",
        "company_name": "Müller & Söhne GmbH",
        "salutation": "Herr",
        "title": "Dr.",
        "first_name": "Hans",
        "last_name": "Müller",
        "street": "Hauptstraße",
        "house_number": "5",
        "postal_code": "01067",
        "city": "Dresden",
        "country": "Deutschland",
        "email": "info@mueller-soehne.de",
        "phone": "+49 351 4711000",
        "mobile": "0171 2345678",
        "website": "www.mueller-soehne.de",
        "vat_id": "DE136695976",
        "tax_number": "203/118/12345",
        "register_number": "HRB 1234 Dresden",
        "discount_percent": "10,00",
        "labels": "Großkunde; Sachsen",
        "notes": 'Lieferung nur Mo; Di\n"Rampe 3" benutzen, bitte',
    },
    {
        "number": "CUS-0002",
        "kind": "private",
        "salutation": "Herr",
        "first_name": "Jörg",
        "last_name": "Weiß",
        "street": "Schloßallee",
        "house_number": "12a",
        "postal_code": "80331",
        "city": "München",
        "country": "Deutschland",
        "email": "joerg.weiss@example.de",
        "mobile": "+49 171 9876543",
        "labels": "Privat",
    },
    {
        "number": "CUS-0003",
        "kind": "company",
        "company_name": "Bäckerei Öztürk",
        "salutation": "Frau",
        "first_name": "Ayla",
        "last_name": "Öztürk",
        "street": "Königstraße",
        "house_number": "1",
        "postal_code": "70173",
        "city": "Stuttgart",
        "country": "Deutschland",
        "email": "backstube@oeztuerk.example",
        "phone": "0711 123456",
        "tax_number": "93815/08152",
        "register_number": "HRB 12345 Stuttgart",
        "labels": "Lieferant",
        "notes": "Brötchen täglich 6:00",
    },
    {
        "number": "CUS-0004",
        "kind": "company",
        "company_name": "Grüne Energie eG",
        "salutation": "Frau",
        "title": "Prof. Dr.",
        "first_name": "Änne",
        "last_name": "Schäfer",
        "street": "Görlitzer Straße",
        "house_number": "3",
        "postal_code": "02826",
        "city": "Görlitz",
        "country": "Deutschland",
        "email": "a.schaefer@gruene-energie.example",
        "phone": "03581 7654321",
        "website": "https://gruene-energie.example",
        "discount_percent": "2,5",
        "labels": "Großkunde",
    },
    {
        "number": "CUS-0005",
        "kind": "private",
        "first_name": "Fritz",
        "last_name": "Großmann",
        "street": "Leipziger Str.",
        "house_number": "45",
        "postal_code": "04109",
        "city": "Leipzig",
        "country": "Deutschland",
        "phone": "0341 998877",
    },
]


def _street(p: dict[str, str]) -> str:
    return f"{p['street']} {p['house_number']}".strip()


def _csv_text(rows: list[list[str]], *, delimiter: str, crlf: bool, quote_all: bool) -> str:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=delimiter,
        lineterminator="\r\n" if crlf else "\n",
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerows(rows)
    return buffer.getvalue()


EXCEL_DE_HEADERS = [
    "Kundennummer",
    "Firma",
    "Anrede",
    "Titel",
    "Vorname",
    "Nachname",
    "Straße",
    "Hausnummer",
    "PLZ",
    "Ort",
    "Land",
    "E-Mail",
    "Telefon",
    "Mobil",
    "USt-IdNr",
    "Steuernummer",
    "Handelsregister",
    "Rabatt",
    "Gruppen",
    "Bemerkung",
]
_EXCEL_DE_KEYS = [
    "number",
    "company_name",
    "salutation",
    "title",
    "first_name",
    "last_name",
    "street",
    "house_number",
    "postal_code",
    "city",
    "country",
    "email",
    "phone",
    "mobile",
    "vat_id",
    "tax_number",
    "register_number",
    "discount_percent",
    "labels",
    "notes",
]


def excel_de_rows() -> list[list[str]]:
    return [EXCEL_DE_HEADERS] + [[p.get(k, "") for k in _EXCEL_DE_KEYS] for p in PEOPLE]


def excel_de_cp1252() -> bytes:
    """German Excel, "CSV (Trennzeichen-getrennt)": cp1252, ``;``, CRLF, Excel's notes use
    LF inside quotes."""
    return _csv_text(excel_de_rows(), delimiter=";", crlf=True, quote_all=False).encode("cp1252")


def excel_utf8_bom() -> bytes:
    """Excel "CSV UTF-8": BOM, ``;``; other header spellings; touched-but-empty rows
    (``;;;;``) and a blank line at the end, as Excel leaves them."""
    headers = [
        "Firmenname",
        "Vorname",
        "Nachname",
        "Strasse",
        "Postleitzahl",
        "Stadt",
        "Email",
        "Tel.",
        "Handy",
        "Kategorien",
        "Notizen",
        "Lieblingsfarbe",
    ]
    rows = [headers]
    for p in PEOPLE:
        rows.append(
            [
                p.get("company_name", ""),
                p["first_name"],
                p["last_name"],
                _street(p),
                p["postal_code"],
                p["city"],
                p.get("email", ""),
                p.get("phone", ""),
                p.get("mobile", ""),
                p.get("labels", "").replace("; ", ", "),
                p.get("notes", ""),
                "grün" if p["number"] == "CUS-0002" else "",
            ]
        )
    rows += [[""] * len(headers), [""] * len(headers)]
    text = _csv_text(rows, delimiter=";", crlf=True, quote_all=False) + "\r\n"
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def excel_sep_line() -> bytes:
    """A ``sep=;`` first line (written by tools so that Excel splits columns), cp1252."""
    rows = [["Firma", "Vorname", "Nachname", "Straße", "PLZ", "Ort", "Notizen"]]
    for p in PEOPLE[:3]:
        rows.append(
            [
                p.get("company_name", ""),
                p["first_name"],
                p["last_name"],
                _street(p),
                p["postal_code"],
                p["city"],
                p.get("notes", ""),
            ]
        )
    return ("sep=;\r\n" + _csv_text(rows, delimiter=";", crlf=True, quote_all=False)).encode(
        "cp1252"
    )


def excel_unicode_text() -> bytes:
    """Excel "Unicode-Text": UTF-16 LE with BOM, tab-separated, CRLF."""
    text = _csv_text(excel_de_rows(), delimiter="\t", crlf=True, quote_all=False)
    return b"\xff\xfe" + text.encode("utf-16-le")


OUTLOOK_EN_HEADERS = (
    "Title,First Name,Middle Name,Last Name,Suffix,Company,Department,Job Title,"
    "Business Street,Business Street 2,Business Street 3,Business City,Business State,"
    "Business Postal Code,Business Country/Region,Home Street,Home Street 2,Home Street 3,"
    "Home City,Home State,Home Postal Code,Home Country/Region,Other Street,Other Street 2,"
    "Other Street 3,Other City,Other State,Other Postal Code,Other Country/Region,"
    "Assistant's Phone,Business Fax,Business Phone,Business Phone 2,Callback,Car Phone,"
    "Company Main Phone,Home Fax,Home Phone,Home Phone 2,ISDN,Mobile Phone,Other Fax,"
    "Other Phone,Pager,Primary Phone,Radio Phone,TTY/TDD Phone,Telex,Account,Anniversary,"
    "Assistant's Name,Billing Information,Birthday,Business Address PO Box,Categories,"
    "Children,Directory Server,E-mail Address,E-mail Type,E-mail Display Name,"
    "E-mail 2 Address,E-mail 2 Type,E-mail 2 Display Name,E-mail 3 Address,E-mail 3 Type,"
    "E-mail 3 Display Name,Gender,Government ID Number,Hobby,Home Address PO Box,Initials,"
    "Internet Free Busy,Keywords,Language,Location,Manager's Name,Mileage,Notes,"
    "Office Location,Organizational ID Number,Other Address PO Box,Priority,Private,"
    "Profession,Referred By,Sensitivity,Spouse,User 1,User 2,User 3,User 4,Web Page"
).split(",")

OUTLOOK_DE_HEADERS = (
    "Anrede|Vorname|Weitere Vornamen|Nachname|Suffix|Firma|Abteilung|Position|"
    "Straße geschäftlich|Straße geschäftlich 2|Straße geschäftlich 3|Ort geschäftlich|"
    "Region geschäftlich|Postleitzahl geschäftlich|Land/Region geschäftlich|Straße privat|"
    "Straße privat 2|Straße privat 3|Ort privat|Region privat|Postleitzahl privat|"
    "Land/Region privat|Weitere Straße|Weitere Straße 2|Weitere Straße 3|Weiterer Ort|"
    "Weitere Region|Weitere Postleitzahl|Weiteres Land/Region|Telefon Assistent|"
    "Fax geschäftlich|Telefon geschäftlich|Telefon geschäftlich 2|Rückmeldung|Autotelefon|"
    "Telefon Firma|Fax privat|Telefon privat|Telefon privat 2|ISDN|Mobiltelefon|"
    "Weiteres Fax|Weiteres Telefon|Pager|Haupttelefon|Mobiltelefon 2|"
    "Telefon für Hörbehinderte|Telex|Abrechnungsinformation|Benutzer 1|Benutzer 2|"
    "Benutzer 3|Benutzer 4|Beruf|Büro|E-Mail-Adresse|E-Mail-Typ|E-Mail: Angezeigter Name|"
    "E-Mail 2: Adresse|E-Mail 2: Typ|E-Mail 2: Angezeigter Name|E-Mail 3: Adresse|"
    "E-Mail 3: Typ|E-Mail 3: Angezeigter Name|Empfohlen von|Geburtstag|Geschlecht|Hobby|"
    "Initialen|Internet Frei/Gebucht|Jahrestag|Kategorien|Kinder|Konto|"
    "Name Assistent|Name des/der Vorgesetzten|Notizen|Organisations-Nr.|Ort|Partner|"
    "Postfach geschäftlich|Postfach privat|Priorität|Privat|Regierungs-Nr.|Reisekilometer|"
    "Sprache|Stichwörter|Vertraulichkeit|Verzeichnisserver|Webseite|Weiteres Postfach"
).split("|")

# Outlook column (English name) -> how to fill it from a sample person.
_OUTLOOK_FILL = {
    "Title": lambda p: " ".join(x for x in (p.get("salutation"), p.get("title")) if x),
    "First Name": lambda p: p["first_name"],
    "Last Name": lambda p: p["last_name"],
    "Company": lambda p: p.get("company_name", ""),
    "Business Street": lambda p: _street(p) if p["kind"] == "company" else "",
    "Business City": lambda p: p["city"] if p["kind"] == "company" else "",
    "Business Postal Code": lambda p: p["postal_code"] if p["kind"] == "company" else "",
    "Business Country/Region": lambda p: p["country"] if p["kind"] == "company" else "",
    "Home Street": lambda p: _street(p) if p["kind"] == "private" else "",
    "Home City": lambda p: p["city"] if p["kind"] == "private" else "",
    "Home Postal Code": lambda p: p["postal_code"] if p["kind"] == "private" else "",
    "Home Country/Region": lambda p: p["country"] if p["kind"] == "private" else "",
    "Business Fax": lambda p: "+49 351 4711099" if p["number"] == "CUS-0001" else "",
    "Business Phone": lambda p: p.get("phone", "") if p["kind"] == "company" else "",
    "Home Phone": lambda p: p.get("phone", "") if p["kind"] == "private" else "",
    "Mobile Phone": lambda p: p.get("mobile", ""),
    "Anniversary": lambda p: "0/0/00",
    "Birthday": lambda p: "0/0/00",
    "Categories": lambda p: p.get("labels", "").replace("; ", ";"),
    "E-mail Address": lambda p: p.get("email", ""),
    "E-mail Type": lambda p: "SMTP" if p.get("email") else "",
    "E-mail Display Name": lambda p: (
        f"{p['first_name']} {p['last_name']} ({p['email']})" if p.get("email") else ""
    ),
    "E-mail 2 Address": lambda p: "h.mueller@privat.example" if p["number"] == "CUS-0001" else "",
    "E-mail 2 Type": lambda p: "SMTP" if p["number"] == "CUS-0001" else "",
    "Gender": lambda p: "Unspecified",
    "Initials": lambda p: f"{p['first_name'][0]}.{p['last_name'][0]}.",
    "Notes": lambda p: p.get("notes", "").replace("\n", "\r\n"),
    "Priority": lambda p: "Normal",
    "Private": lambda p: "False",
    "Sensitivity": lambda p: "Normal",
    "Web Page": lambda p: p.get("website", ""),
}


# German Outlook column -> the English column whose filler applies.
_OUTLOOK_DE_TO_EN = {
    "Anrede": "Title",
    "Vorname": "First Name",
    "Nachname": "Last Name",
    "Firma": "Company",
    "Straße geschäftlich": "Business Street",
    "Ort geschäftlich": "Business City",
    "Postleitzahl geschäftlich": "Business Postal Code",
    "Land/Region geschäftlich": "Business Country/Region",
    "Straße privat": "Home Street",
    "Ort privat": "Home City",
    "Postleitzahl privat": "Home Postal Code",
    "Land/Region privat": "Home Country/Region",
    "Fax geschäftlich": "Business Fax",
    "Telefon geschäftlich": "Business Phone",
    "Telefon privat": "Home Phone",
    "Mobiltelefon": "Mobile Phone",
    "Jahrestag": "Anniversary",
    "Geburtstag": "Birthday",
    "Kategorien": "Categories",
    "E-Mail-Adresse": "E-mail Address",
    "E-Mail-Typ": "E-mail Type",
    "E-Mail: Angezeigter Name": "E-mail Display Name",
    "E-Mail 2: Adresse": "E-mail 2 Address",
    "E-Mail 2: Typ": "E-mail 2 Type",
    "Geschlecht": "Gender",
    "Initialen": "Initials",
    "Notizen": "Notes",
    "Priorität": "Priority",
    "Privat": "Private",
    "Vertraulichkeit": "Sensitivity",
    "Webseite": "Web Page",
}


def _outlook(headers: list[str], english: list[str], words: dict[str, str]) -> bytes:
    rows: list[list[str]] = [headers]
    for p in PEOPLE:
        row = []
        for name in english:
            fill = _OUTLOOK_FILL.get(name)
            value = fill(p) if fill else ""
            row.append(words.get(value, value))
        rows.append(row)
    return _csv_text(rows, delimiter=",", crlf=True, quote_all=True).encode("cp1252")


def outlook_en() -> bytes:
    """Outlook (English) "Comma Separated Values" export: all columns, all quoted."""
    return _outlook(OUTLOOK_EN_HEADERS, OUTLOOK_EN_HEADERS, {})


def outlook_de() -> bytes:
    """Outlook (German): the same export with German column names and values, cp1252."""
    words = {"Unspecified": "Nicht angegeben", "False": "Aus", "0/0/00": "0.0.00"}
    english = [_OUTLOOK_DE_TO_EN.get(h, "") for h in OUTLOOK_DE_HEADERS]
    return _outlook(OUTLOOK_DE_HEADERS, english, words)


GOOGLE_HEADERS = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,"
    "Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,"
    "Organization Title,Organization Department,Birthday,Notes,Photo,Labels,"
    "E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,"
    "Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,"
    "Address 1 - Label,Address 1 - Formatted,Address 1 - Street,Address 1 - City,"
    "Address 1 - PO Box,Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,"
    "Address 1 - Extended Address,Website 1 - Label,Website 1 - Value"
).split(",")


def google_contacts() -> bytes:
    """Google Contacts "Google CSV" export: UTF-8 without BOM, comma, ``:::`` lists."""
    rows: list[list[str]] = [GOOGLE_HEADERS]
    for p in PEOPLE:
        labels = " ::: ".join(
            ["* myContacts"] + [x.strip() for x in p.get("labels", "").split(";") if x.strip()]
        )
        email = p.get("email", "")
        if p["number"] == "CUS-0001":
            email += " ::: h.mueller@privat.example"
        formatted = f"{_street(p)}\n{p['postal_code']} {p['city']}\n{p['country']}"
        values = {
            "First Name": p["first_name"],
            "Last Name": p["last_name"],
            "Name Prefix": " ".join(x for x in (p.get("salutation"), p.get("title")) if x),
            "File As": f"{p['last_name']}, {p['first_name']}",
            "Organization Name": p.get("company_name", ""),
            "Notes": p.get("notes", ""),
            "Labels": labels,
            "E-mail 1 - Label": "* Work" if email else "",
            "E-mail 1 - Value": email,
            "Phone 1 - Label": "Work" if p.get("phone") else "",
            "Phone 1 - Value": p.get("phone", ""),
            "Phone 2 - Label": "Mobile" if p.get("mobile") else "",
            "Phone 2 - Value": p.get("mobile", ""),
            "Address 1 - Label": "Work",
            "Address 1 - Formatted": formatted,
            "Address 1 - Street": _street(p),
            "Address 1 - City": p["city"],
            "Address 1 - Postal Code": p["postal_code"],
            "Address 1 - Country": p["country"],
            "Website 1 - Label": "Work" if p.get("website") else "",
            "Website 1 - Value": p.get("website", ""),
        }
        rows.append([values.get(h, "") for h in GOOGLE_HEADERS])
    return _csv_text(rows, delimiter=",", crlf=False, quote_all=False).encode("utf-8")


def _qp(head: str, text: str, charset: str) -> str:
    """Quoted-printable as Outlook writes it: line breaks as =0D=0A, soft breaks (``=`` at
    the end of a line) before 76 characters."""
    encoded = []
    for byte in text.replace("\n", "\r\n").encode(charset):
        char = chr(byte)
        encoded.append(char if 32 <= byte < 127 and char != "=" else f"={byte:02X}")
    lines, current = [], head
    for piece in encoded:
        if len(current) + len(piece) > 75:
            lines.append(current + "=")
            current = ""
        current += piece
    lines.append(current)
    return "\r\n".join(lines)


def vcard_v21() -> bytes:
    """Outlook's vCard 2.1: Windows-1252 text in CHARSET lines, QUOTED-PRINTABLE notes
    (soft line breaks), LABEL in QP, types as bare parameters, CRLF."""
    out: list[bytes] = []
    for p in PEOPLE[:4]:
        prefix = " ".join(x for x in (p.get("salutation"), p.get("title")) if x)
        fn = " ".join(x for x in (p.get("title"), p["first_name"], p["last_name"]) if x)
        lines = [
            "BEGIN:VCARD",
            "VERSION:2.1",
            f"N;LANGUAGE=de;CHARSET=Windows-1252:{p['last_name']};{p['first_name']};;{prefix}",
            f"FN;CHARSET=Windows-1252:{fn}",
        ]
        if p.get("company_name"):
            lines.append(f"ORG;CHARSET=Windows-1252:{p['company_name']}")
        if p.get("notes"):
            lines.append(
                _qp(
                    "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=Windows-1252:",
                    p["notes"] + " — Stand 2024",
                    "cp1252",
                )
            )
        if p.get("phone"):
            lines.append(f"TEL;WORK;VOICE:{p['phone']}")
        if p.get("mobile"):
            lines.append(f"TEL;CELL;VOICE:{p['mobile']}")
        if p["number"] == "CUS-0001":
            lines.append("TEL;WORK;FAX:+49 351 4711099")
        kind = "WORK" if p["kind"] == "company" else "HOME"
        lines.append(
            f"ADR;{kind};PREF;CHARSET=Windows-1252:;;{_street(p)};{p['city']};;"
            f"{p['postal_code']};{p['country']}"
        )
        label = f"{_street(p)}\n{p['postal_code']} {p['city']}\n{p['country']}"
        lines.append(
            _qp(
                f"LABEL;{kind};PREF;ENCODING=QUOTED-PRINTABLE;CHARSET=Windows-1252:",
                label,
                "cp1252",
            )
        )
        lines.append("X-MS-OL-DEFAULT-POSTAL-ADDRESS:2")
        if p.get("website"):
            lines.append(f"URL;WORK:{p['website']}")
        if p.get("email"):
            lines.append(f"EMAIL;PREF;INTERNET:{p['email']}")
        lines += ["REV:20240115T101500Z", "END:VCARD", ""]
        out.append("\r\n".join(lines).encode("cp1252") + b"\r\n")
    return b"".join(out)


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def vcard_v30() -> bytes:
    """vCard 3.0 as Apple Contacts and Google write it: UTF-8, TYPE= lists, escaped text,
    itemN.-grouped URLs."""
    out: list[str] = []
    for p in PEOPLE:
        prefix = " ".join(x for x in (p.get("salutation"), p.get("title")) if x)
        lines = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            "PRODID:-//Apple Inc.//macOS 14.2//EN",
            f"N:{_esc(p['last_name'])};{_esc(p['first_name'])};;{_esc(prefix)};",
            f"FN:{_esc(p['first_name'] + ' ' + p['last_name'])}",
        ]
        if p.get("company_name"):
            lines.append(f"ORG:{_esc(p['company_name'])};")
            lines.append("X-ABShowAs:COMPANY")
        if p.get("email"):
            lines.append(f"EMAIL;type=INTERNET;type=WORK;type=pref:{p['email']}")
        if p.get("phone"):
            lines.append(f"TEL;type=WORK;type=VOICE;type=pref:{p['phone']}")
        if p.get("mobile"):
            lines.append(f"TEL;type=CELL;type=VOICE:{p['mobile']}")
        lines.append(
            f"ADR;type=WORK;type=pref:;;{_esc(_street(p))};{_esc(p['city'])};;"
            f"{p['postal_code']};{_esc(p['country'])}"
        )
        if p.get("notes"):
            lines.append(f"NOTE:{_esc(p['notes'])}")
        if p.get("website"):
            lines.append(f"item1.URL;type=pref:{p['website']}")
            lines.append("item1.X-ABLabel:_$!<HomePage>!$_")
        if p.get("labels"):
            labels = [x.strip() for x in p["labels"].split(";")]
            lines.append("CATEGORIES:" + ",".join(_esc(x) for x in labels))
        lines += ["END:VCARD"]
        out.append("\r\n".join(lines) + "\r\n")
    return "".join(out).encode("utf-8")


def vcard_v40() -> bytes:
    """vCard 4.0 (RFC 6350) as Nextcloud/Thunderbird write it: UTF-8, KIND, PREF=1,
    quoted TYPE lists, tel: URIs."""
    out: list[str] = []
    for p in PEOPLE:
        prefix = " ".join(x for x in (p.get("salutation"), p.get("title")) if x)
        lines = [
            "BEGIN:VCARD",
            "VERSION:4.0",
            f"UID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6{int(p['number'][-2:]):02d}",
            "KIND:" + ("org" if p["kind"] == "company" else "individual"),
            f"FN:{_esc(p.get('company_name') or p['first_name'] + ' ' + p['last_name'])}",
            f"N:{_esc(p['last_name'])};{_esc(p['first_name'])};;{_esc(prefix)};",
        ]
        if p.get("company_name"):
            lines.append(f"ORG:{_esc(p['company_name'])}")
        if p.get("email"):
            lines.append(f"EMAIL;TYPE=work;PREF=1:{p['email']}")
        if p.get("phone"):
            lines.append(
                f'TEL;VALUE=uri;TYPE="work,voice";PREF=1:tel:{p["phone"].replace(" ", "-")}'
            )
        if p.get("mobile"):
            lines.append(f'TEL;VALUE=uri;TYPE="cell,voice":tel:{p["mobile"].replace(" ", "-")}')
        lines.append(
            f"ADR;TYPE=work;PREF=1:;;{_esc(_street(p))};{_esc(p['city'])};;"
            f"{p['postal_code']};{_esc(p['country'])}"
        )
        if p.get("notes"):
            lines.append(f"NOTE:{_esc(p['notes'])}")
        if p.get("website"):
            lines.append(f"URL:{p['website']}")
        if p.get("labels"):
            labels = [x.strip() for x in p["labels"].split(";")]
            lines.append("CATEGORIES:" + ",".join(_esc(x) for x in labels))
        lines += ["END:VCARD"]
        out.append("\r\n".join(lines) + "\r\n")
    return "".join(out).encode("utf-8")


def customers_jsonl() -> bytes:
    """kk's own JSON Lines export shape (keys as in the CLI contract)."""
    lines = []
    for p in PEOPLE:
        record: dict[str, object] = {
            "number": p["number"],
            "kind": p["kind"],
            "display_name": p.get("company_name") or f"{p['last_name']}, {p['first_name']}",
            "company_name": p.get("company_name"),
            "salutation": p.get("salutation"),
            "title": p.get("title"),
            "first_name": p["first_name"],
            "last_name": p["last_name"],
            "email": p.get("email"),
            "phone": p.get("phone"),
            "mobile": p.get("mobile"),
            "street": _street(p),
            "postal_code": p["postal_code"],
            "city": p["city"],
            "country": "DE",
            "vat_id": p.get("vat_id"),
            "notes": p.get("notes"),
            "discount_percent": p["discount_percent"].replace(",", ".")
            if p.get("discount_percent")
            else None,
            "roles": ["customer"],
            "labels": [x.strip() for x in p.get("labels", "").split(";") if x.strip()],
            "is_template": False,
            "do_not_contact": p["number"] == "CUS-0005",
        }
        lines.append(json.dumps(record, ensure_ascii=False) + "\n")
    return "".join(lines).encode("utf-8")


def broken_csv() -> bytes:
    """Bad rows for the import's error report: a NUL byte (line 4), too many cells (line 5)
    — the reader flags those — and a 4-digit German PLZ (line 6), a bad e-mail (line 7),
    a VAT ID with a wrong check digit (line 8), which validation must catch."""
    header = "Firma;Vorname;Nachname;Straße;PLZ;Ort;Land;E-Mail;USt-IdNr;Bemerkung"
    rows = [
        header,
        "Müller & Söhne GmbH;Hans;Müller;Hauptstraße 5;01067;Dresden;DE;info@mueller-soehne.de;"
        'DE136695976;"zweizeilige\nNotiz"',
        "Kaputt\x00GmbH;Karl;Kaputt;Nullweg 0;10115;Berlin;DE;karl@kaputt.example;;",
        "Zu Viel AG;Zora;Viel;Extraweg 1;10117;Berlin;DE;zora@viel.example;;;ueberzaehlig",
        ";Otto;Ohnenull;Am Hang 2;1067;Dresden;DE;otto@example.de;;PLZ ohne führende Null",
        ";Erika;Mustermann;Heidestr. 17;51147;Köln;DE;erika(at)example.de;;",
        "Falsch GmbH;Fred;Falsch;Prüfweg 9;20095;Hamburg;DE;fred@falsch.example;DE136695978;",
    ]
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")


SAMPLES = {
    "tests/data/excel_de_cp1252.csv": excel_de_cp1252,
    "tests/data/excel_utf8_bom.csv": excel_utf8_bom,
    "tests/data/excel_sep_line.csv": excel_sep_line,
    "tests/data/excel_unicode_text.txt": excel_unicode_text,
    "tests/data/outlook_en.csv": outlook_en,
    "tests/data/outlook_de.csv": outlook_de,
    "tests/data/google_contacts.csv": google_contacts,
    "tests/data/contacts_v21.vcf": vcard_v21,
    "tests/data/contacts_v30.vcf": vcard_v30,
    "tests/data/contacts_v40.vcf": vcard_v40,
    "tests/data/customers.jsonl": customers_jsonl,
    "tests/data/broken.csv": broken_csv,
    "examples/kunden_excel.csv": excel_de_cp1252,
    "examples/outlook_export.csv": outlook_de,
    "examples/google_contacts.csv": google_contacts,
    "examples/kontakte_v21.vcf": vcard_v21,
    "examples/kontakte_v40.vcf": vcard_v40,
    "examples/kunden.jsonl": customers_jsonl,
    "examples/kaputt.csv": broken_csv,
}


def write_all(root: Path) -> list[Path]:
    written = []
    for name, make in SAMPLES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(make())
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2]
    for path in write_all(target):
        sys.stdout.write(f"{path}\n")
