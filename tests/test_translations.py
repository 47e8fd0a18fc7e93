"""The Vietnamese catalogue: complete, compiled, faithful to its placeholders, and used.

The .po and the .mo are both committed so that a fresh machine needs no gettext tools;
these tests catch a catalogue that was refreshed but not translated or not recompiled.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

import citysoc

SOURCE = Path(citysoc.__file__).resolve().parent
CATALOGUE = SOURCE / "locale" / "vi" / "LC_MESSAGES"
PO_FILE = CATALOGUE / "django.po"
MO_FILE = CATALOGUE / "django.mo"

NAMED = re.compile(r"%\(\w+\)[sdif]")
POSITIONAL = re.compile(r"%[sdif]")
BRACES = re.compile(r"\{\w*\}")
TAGS = re.compile(r"</?\w+[^>]*>|&\w+;")
VERBATIM = re.compile(r"`[^`]+`|<code>.*?</code>")


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(PO_FILE))


def _texts(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(source, translation) pairs: one, or one per plural form."""
    if entry.msgid_plural:
        return [(entry.msgid_plural, text) for text in entry.msgstr_plural.values()]
    return [(entry.msgid, entry.msgstr)]


def _as_dict(catalogue) -> dict[tuple, object]:
    return {
        (e.msgctxt, e.msgid, e.msgid_plural): (
            tuple(sorted(e.msgstr_plural.items())) if e.msgid_plural else e.msgstr
        )
        for e in catalogue
    }


def test_the_catalogue_declares_vietnamese_with_one_plural_form(po):
    assert po.metadata["Language"] == "vi"
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert po.metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"


def test_every_entry_is_translated_and_none_is_fuzzy(po):
    assert len(po) > 0
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    empty_forms = [e.msgid for e in po if e.msgid_plural and not all(e.msgstr_plural.values())]
    assert untranslated == [], "translate these in locale/vi/LC_MESSAGES/django.po"
    assert fuzzy == []
    assert empty_forms == []
    assert po.obsolete_entries() == []


def _entries(catalogue: polib.POFile) -> dict[tuple, tuple]:
    return {
        (e.msgctxt, e.msgid, e.msgid_plural): (
            e.msgstr,
            tuple(sorted(e.msgstr_plural.items())),
            tuple(sorted(e.occurrences)),
            tuple(sorted(e.flags)),
        )
        for e in catalogue
    }


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_makemessages_leaves_the_committed_catalogue_unchanged(po, tmp_path, monkeypatch, settings):
    # makemessages on a copy, so that the committed catalogue is never touched. The .po is
    # the catalogue people edit: a string added, changed or removed in the source without
    # `make messages` shows here as a difference.
    copy = tmp_path / "citysoc"
    shutil.copytree(
        SOURCE, copy, ignore=shutil.ignore_patterns("engine", "locale", "static", "__pycache__")
    )
    (copy / "locale" / "vi" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(PO_FILE, copy / "locale" / "vi" / "LC_MESSAGES" / "django.po")
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["vi"], no_obsolete=True, add_location="file", verbosity=0)
    fresh = polib.pofile(str(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    assert len(fresh) > 100  # the copy was really read
    before, after = _entries(po), _entries(fresh)
    new = sorted(k[1] for k in after.keys() - before.keys())
    gone = sorted(k[1] for k in before.keys() - after.keys())
    moved = sorted(k[1] for k in before.keys() & after.keys() if before[k] != after[k])
    assert (new, gone, moved) == ([], [], []), "run `make messages`, translate in django.po"


def test_the_committed_mo_is_the_compiled_po(po):
    compiled_now = polib.mofile(po.to_binary())
    committed = polib.mofile(str(MO_FILE))
    assert _as_dict(committed) == _as_dict(compiled_now), "run `make messages` and commit"
    assert committed.metadata["Plural-Forms"] == po.metadata["Plural-Forms"]


def test_translations_keep_every_placeholder_tag_and_command(po):
    problems = []
    for entry in po:
        for source, text in _texts(entry):
            for pattern in (NAMED, BRACES, TAGS, VERBATIM):
                if Counter(pattern.findall(source)) != Counter(pattern.findall(text)):
                    problems.append((pattern.pattern, entry.msgid, text))
            # Positional placeholders are filled in order, so the order must not change.
            if POSITIONAL.findall(source) != POSITIONAL.findall(text):
                problems.append(("positional", entry.msgid, text))
            if source.count("\n") != text.count("\n"):
                problems.append(("line breaks", entry.msgid, text))
    assert problems == []


def test_the_plural_entries_read_the_same_for_any_count():
    with translation.override("vi"):
        one = translation.ngettext("%(n)s assignment", "%(n)s assignments", 1) % {"n": 1}
        many = translation.ngettext("%(n)s assignment", "%(n)s assignments", 7) % {"n": 7}
    assert one == "1 việc được giao"
    assert many == "7 việc được giao"


def test_the_login_page_is_vietnamese_by_default(client):
    page = client.get(reverse("login")).content.decode()
    assert "Đăng nhập" in page
    assert "Quên mật khẩu?" in page
    assert "Forgot your password?" not in page


def test_the_navigation_is_vietnamese_by_default(client, officer_a):
    client.force_login(officer_a)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "Hệ thống thông tin" in page
    assert "Information systems" not in page


def test_the_english_switch_shows_english(client, officer_a):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login_page = client.get(reverse("login")).content.decode()
    assert "Forgot your password?" in login_page
    assert "Đăng nhập" not in login_page
    client.force_login(officer_a)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "Information systems" in page
    assert "Hệ thống thông tin" not in page


def test_model_labels_and_choices_are_translated():
    from citysoc.inventory.models import InformationSystem

    with translation.override("vi"):
        assert str(InformationSystem._meta.verbose_name) == "hệ thống thông tin"
        assert str(InformationSystem.Dossier.APPROVED.label) == "Đã phê duyệt"
    with translation.override("en"):
        assert str(InformationSystem.Dossier.APPROVED.label) == "Approved"


def test_every_choice_label_shown_in_vietnamese_is_accepted_in_an_import_file():
    from citysoc.inventory import columns

    refused = []
    with translation.override("vi"):
        for name, choices in columns.CHOICE_SOURCES.items():
            lookup = columns.choice_lookup(name)
            for value, label in choices.choices:
                if lookup.get(columns.fold(str(label))) != value:
                    refused.append((name, value, str(label)))
    assert refused == []


@pytest.mark.parametrize(
    ("context", "msgid", "vietnamese"),
    [
        # One English word, two Vietnamese meanings: the context keeps them apart.
        (None, "Earlier", "Đợt trước"),  # the assessment comparison
        ("calendar", "Earlier", "Trước"),  # the roster's month grid
        (None, "answered by", "người báo cáo"),  # a directive assignment
        ("swap request", "answered by", "người trả lời"),
        (None, "First seen", "Phát hiện lần đầu"),
        ("alert", "First seen", "Lần đầu"),
    ],
)
def test_words_with_two_meanings_are_translated_by_context(context, msgid, vietnamese):
    with translation.override("vi"):
        text = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    assert text == vietnamese


def test_the_directive_answer_and_the_swap_answer_read_differently():
    from citysoc.directives.models import Assignment
    from citysoc.duty.models import SwapRequest

    with translation.override("vi"):
        directive = str(Assignment._meta.get_field("updated_by").verbose_name)
        swap = str(SwapRequest._meta.get_field("decided_by").verbose_name)
    assert (directive, swap) == ("người báo cáo", "người trả lời")
