import pytest

from citysoc.directives import issuing
from tests import factories


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
