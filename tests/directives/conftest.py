import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from citysoc.directives import answering, issuing
from tests import factories
from tests.support.shared_data import kept_until_the_last_test


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def issued(city, unit_a, unit_b, city_admin):
    """A two-item directive issued to wards A and B."""
    directive = factories.make_directive(city, subject="V/v test", recipient_kinds=["ward"])
    issuing.issue(directive, by=city_admin)
    return directive


@pytest.fixture
def assignment_a(issued, unit_a):
    return issued.assignments.get(unit=unit_a, item__order=1)


@pytest.fixture(scope="module")
def _answered_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once per module (the demo city alone costs seconds); each test's changes are
    rolled back (tests/support/shared_data.py). Its evidence files stay in a folder of its
    own, which every test of the module keeps as MEDIA_ROOT."""
    media = tmp_path_factory.mktemp("answered-media")
    with (
        override_settings(MEDIA_ROOT=media, LANGUAGE_CODE="en"),
        kept_until_the_last_test(django_db_blocker),
    ):
        from citysoc.core import demo as core_demo
        from citysoc.core.models import Unit
        from citysoc.directives.templating import instantiate_template

        core_demo.load()
        directive = instantiate_template("tet", year=2026)
        directive.number = "42"
        directive.legal_bases = directive.legal_bases.replace("…", "15", 2)
        directive.signer_name = "Vũ Đình Chiến"
        directive.save()
        issuing.issue(directive, by=None)
        bacson = Unit.objects.get(code="p-bacson")
        for a in directive.assignments.filter(unit=bacson).select_related("item"):
            # "Done" needs its evidence in the same answer when the item asks for it.
            name = "bien-ban-ra-soat.pdf" if a.item.order == 1 else f"bien-ban-{a.item.order}.pdf"
            files = [SimpleUploadedFile(name, b"%PDF-1.4")] if a.item.evidence_required else []
            answering.answer(
                a, by=None, status="done", report=f"Bắc Sơn đã xong mục {a.item.order}", files=files
            )
        vnpt = directive.assignments.get(unit__code="isp-vnpt", item__order=6)
        answering.answer(vnpt, by=None, status="in_progress", report="VNPT đang bố trí ca trực")
        yield directive.pk, media


@pytest.fixture
def answered(_answered_once, db, settings):
    """The Tết 2026 directive issued to the demo city; Bắc Sơn answered every item with
    evidence for item 1, VNPT is working on item 6, everyone else is silent (and late
    after 10/02/2026)."""
    from citysoc.directives.models import Directive

    pk, settings.MEDIA_ROOT = _answered_once
    return Directive.objects.get(pk=pk)
