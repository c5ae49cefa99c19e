"""The Chinese catalogue: one file, every message translated, current with the source."""

import gettext
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

BASE = Path(settings.BASE_DIR)
LOCALE = BASE / "locale" / "zh_Hans" / "LC_MESSAGES"
PLACEHOLDER = {
    "python-format": re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]"),
    "python-brace-format": re.compile(r"\{[^{}]*\}"),
}
TAG = re.compile(r"<[^<>]+>")
# Not the project's source: makemessages finds no messages there, and walking them is slow.
NOT_SOURCE = {"locale", "node_modules", "media", "staticfiles", "test-artifacts"}


def _unquote(line):
    escapes = {"n": "\n", "t": "\t"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m[1], m[1]), line.strip()[1:-1])


def parse_po(path):
    """Return the catalogue's live entries as dicts: ctxt, id, plural, strs, flags."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry = {"ctxt": None, "id": None, "plural": None, "strs": [], "flags": set()}
        field = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue  # References, comments and obsolete (#~) entries.
            elif line.startswith('"'):
                if field == "strs":
                    entry["strs"][-1] += _unquote(line)
                else:
                    entry[field] += _unquote(line)
            else:
                keyword, _, value = line.partition(" ")
                field = {"msgctxt": "ctxt", "msgid": "id", "msgid_plural": "plural"}.get(
                    keyword, "strs"
                )
                if field == "strs":
                    entry["strs"].append(_unquote(value))
                else:
                    entry[field] = _unquote(value)
        if entry["id"]:  # Neither the header nor a block of obsolete entries.
            entries.append(entry)
    return entries


def label(entry):
    return f"{entry['ctxt']}|{entry['id']}" if entry["ctxt"] else entry["id"]


@pytest.fixture(scope="module")
def catalog():
    return parse_po(LOCALE / "django.po")


def test_one_catalogue_for_the_whole_interface():
    # makemessages writes an app's strings into the nearest locale/ directory, so a second
    # one would split the catalogue again and leave its strings out of this file.
    assert [Path(path) for path in settings.LOCALE_PATHS] == [BASE / "locale"]
    strays = [
        path
        for top in ("articles", "site_config", "templates")
        for path in (BASE / top).rglob("locale")
    ]
    assert strays == []


def test_every_message_is_translated_and_reviewed(catalog):
    assert len(catalog) > 300
    untranslated = [label(e) for e in catalog if not all(text.strip() for text in e["strs"])]
    fuzzy = [label(e) for e in catalog if "fuzzy" in e["flags"]]
    assert untranslated == [], "translate these in locale/zh_Hans/LC_MESSAGES/django.po"
    assert fuzzy == [], "check these guesses, correct them and drop the fuzzy flag"


def test_chinese_has_one_plural_form(catalog):
    assert all(len(e["strs"]) == 1 for e in catalog if e["plural"])


@pytest.mark.parametrize("flag", sorted(PLACEHOLDER))
def test_translations_keep_their_placeholders(catalog, flag):
    pattern = PLACEHOLDER[flag]
    broken = []
    for entry in (e for e in catalog if flag in e["flags"]):
        # Chinese has one plural form, used for every count: it needs the plural's values.
        expected = set(pattern.findall(entry["id"] + (entry["plural"] or "")))
        # Missing translations fail another test.
        if any(set(pattern.findall(text)) != expected for text in filter(None, entry["strs"])):
            broken.append(label(entry))
    assert broken == []


def test_translations_keep_their_markup(catalog):
    broken = [
        label(entry)
        for entry in catalog
        if any(
            sorted(TAG.findall(text)) != sorted(TAG.findall(entry["id"]))
            for text in filter(None, entry["strs"])
        )
    ]
    assert broken == []


def test_compiled_catalogue_matches_the_source(catalog):
    # A fresh machine may lack gettext, so the .mo file is committed next to the .po;
    # a stale .mo would silently show older wording or none.
    with (LOCALE / "django.mo").open("rb") as compiled:
        messages = gettext.GNUTranslations(compiled)._catalog
    stale = []
    # msgfmt leaves out what is untranslated or fuzzy: gettext then shows the English.
    for entry in (e for e in catalog if all(e["strs"]) and "fuzzy" not in e["flags"]):
        key = f"{entry['ctxt']}\x04{entry['id']}" if entry["ctxt"] else entry["id"]
        if entry["plural"]:
            found = [messages.get((key, n)) for n in range(len(entry["strs"]))]
        else:
            found = [messages.get(key)]
        if found != entry["strs"]:
            stale.append(label(entry))
    assert stale == [], "run: msgfmt --check -o django.mo django.po (in locale/zh_Hans/LC_MESSAGES)"


def test_catalogue_has_every_message_in_the_source(tmp_path, settings, monkeypatch):
    if not shutil.which("xgettext"):
        if os.environ.get("CI") == "true":
            pytest.fail("gettext is missing; .ci/run installs it with apt-get")
        pytest.skip("gettext is not installed (apt-get install gettext): source not checked")
    # makemessages writes into the locale/ directory nearest the sources it walks, so it
    # walks links to them beside a copy of the catalogue. It skips any other locale/ rather
    # than write through a link; a stray one fails test_one_catalogue_for_the_whole_interface.
    for entry in BASE.iterdir():
        if entry.name not in NOT_SOURCE and not entry.name.startswith("."):
            (tmp_path / entry.name).symlink_to(entry)
    shutil.copytree(BASE / "locale", tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command(
        "makemessages",
        locale=["zh_Hans"],
        no_obsolete=True,
        symlinks=True,
        ignore_patterns=["locale"],
        verbosity=0,
    )
    fresh = {label(e) for e in parse_po(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES/django.po")}
    committed = {label(e) for e in parse_po(LOCALE / "django.po")}
    assert len(fresh) > 300
    missing = sorted(fresh - committed)
    assert missing == [], (
        "The source has messages the catalogue lacks. Run "
        "`manage.py makemessages -l zh_Hans --no-obsolete`, translate them in "
        "locale/zh_Hans/LC_MESSAGES/django.po, then compile the .mo."
    )
