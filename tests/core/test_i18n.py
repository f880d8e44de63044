"""The English translation is complete: every string marked for translation has an English text."""

import re
from pathlib import Path

from django.test import Client
from django.urls import reverse
from django.utils import translation

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "nhanluc"
PO_FILE = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"
TEMPLATE_STRING = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1""")
TEMPLATE_STRING_IN_FILTER = re.compile(r"""_\((["'])(.+?)\1\)""")
PYTHON_STRING = re.compile(r"""\b_\(\s*(["'])(.+?)(?<!\\)\1\s*[,)]""")


def po_entries() -> dict[str, str]:
    entries, msgid, msgstr, current = {}, None, None, None
    for line in [*PO_FILE.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("msgid "):
            if msgid is not None:
                entries[msgid] = msgstr
            msgid, msgstr, current = line[7:-1], "", "id"
        elif line.startswith("msgstr "):
            msgstr, current = line[8:-1], "str"
        elif line.startswith('"') and current == "id":
            msgid += line[1:-1]
        elif line.startswith('"') and current == "str":
            msgstr += line[1:-1]
    if msgid is not None:
        entries[msgid] = msgstr
    return {k.replace('\\"', '"'): v for k, v in entries.items() if k}


def marked_strings() -> set[str]:
    found = set()
    for template in PACKAGE.glob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        found |= {m.group(2) for m in TEMPLATE_STRING.finditer(text)}
        found |= {m.group(2) for m in TEMPLATE_STRING_IN_FILTER.finditer(text)}
    for module in PACKAGE.glob("**/*.py"):
        if "migrations" in module.parts:
            continue
        found |= {m.group(2) for m in PYTHON_STRING.finditer(module.read_text(encoding="utf-8"))}
    return found


def test_po_file_has_no_fuzzy_or_empty_translations():
    text = PO_FILE.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    empty = [msgid for msgid, msgstr in po_entries().items() if not msgstr]
    assert empty == []


def test_every_marked_string_is_translated():
    entries = po_entries()
    missing = sorted(s for s in marked_strings() if s not in entries)
    assert len(marked_strings()) > 200
    assert missing == [], "run `make messages-update` and translate the new strings"


def test_vietnamese_by_default_english_when_chosen(db):
    with translation.override("en"):
        assert translation.gettext("Đơn vị hành chính") == "Administrative units"
    client = Client()
    assert "Đăng nhập" in client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Sign in" in client.get(reverse("login")).content.decode()
