"""The vulnerability pages on a phone (390 CSS pixels): nothing scrolls sideways, even with
a long scanner title, a long CVSS vector and the work forms open."""

import pytest

from citysoc.vulns.models import KnownExploited
from tests import factories
from tests.browser.actions import log_in
from tests.factories import PASSWORD
from tests.vulns.support import make_finding

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390


def test_no_vulnerability_page_scrolls_sideways_on_a_phone(phone_page, officer_a, unit_a, shot):
    KnownExploited.objects.create(cve="CVE-2021-44228", name="Log4Shell", ransomware=True)
    system = factories.make_system(unit_a, level=3, name="Hệ thống một cửa điện tử phường")
    finding = make_finding(
        unit_a,
        system=system,
        title="Apache Log4j2 JNDI features do not protect against attacker controlled LDAP "
        "and other JNDI related endpoints (Log4Shell) in log4j-core-2.14.1.jar",
        severity="critical",
        cves=["CVE-2021-44228"],
        cvss_vector="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
        location="/opt/tomcat/webapps/motcua-dien-tu-phuong/WEB-INF/lib/log4j-core-2.14.1.jar",
        days_ago=12,
    )
    page = phone_page
    log_in(page, "officer_a", PASSWORD)
    too_wide = {}
    for path in [
        "/vulns/",
        f"/vulns/findings/{finding.pk}/",
        f"/vulns/units/{unit_a.pk}/",
        f"/vulns/systems/{system.pk}/",
        "/vulns/board/",
    ]:
        page.goto(path)
        for summary in page.locator("details summary").all():
            summary.click()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE:
            too_wide[path] = width
        shot(page, "phone" + path.replace("/", "-").rstrip("-"))
    assert too_wide == {}


def test_the_filter_tick_boxes_sit_beside_their_words_on_a_laptop_and_a_phone(
    phone_page, officer_a, unit_a
):
    make_finding(unit_a, title="Open SSH on the ward's server", severity="high")
    page = phone_page
    log_in(page, "officer_a", PASSWORD)
    for width in (1366, PHONE):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/vulns/")
        for name in ("kev", "overdue"):
            box = page.locator(f"form[data-testid=filters] input[name={name}]").bounding_box()
            words = page.locator(f"form[data-testid=filters] label:has(input[name={name}])")
            label = words.bounding_box()
            assert box["width"] < 30, (width, name, box)  # not stretched like a text field
            # One line: the box and its words share a middle.
            assert abs(box["y"] + box["height"] / 2 - (label["y"] + label["height"] / 2)) < 6
        assert page.evaluate("document.documentElement.scrollWidth") <= width
