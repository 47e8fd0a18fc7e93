from collections import Counter

import pytest
from django.utils import translation

from citysoc.core.models import AuditEntry
from citysoc.directives import issuing
from citysoc.directives.models import Assignment, Directive
from citysoc.directives.templating import instantiate_template
from tests import factories


@pytest.fixture
def cast(city, unit_a, unit_b, sub_unit_a, isp, city_admin):
    return {"a": unit_a, "b": unit_b, "school": sub_unit_a, "isp": isp}


def test_it_creates_one_assignment_per_recipient_and_applicable_item(cast, city_admin):
    directive = instantiate_template("tet", year=2025)
    directive.legal_bases = directive.legal_bases.replace("…", "15", 2)
    created = issuing.issue(directive, by=city_admin)
    per_unit = Counter(a.unit.code for a in created)
    # Six items for everyone; the three ISP items go to the ISP only.
    assert per_unit == {"ward-a": 6, "ward-b": 6, "school-a1": 6, "isp-vnpt": 9}
    isp_items = set(directive.items.filter(applies_to_kinds=["isp"]).values_list("pk", flat=True))
    assert len(isp_items) == 3
    holders = {a.unit.code for a in created if a.item_id in isp_items}
    assert holders == {"isp-vnpt"}
    directive.refresh_from_db()
    assert directive.status == Directive.Status.ISSUED
    assert directive.issued_by == city_admin


def test_it_never_sends_work_to_the_issuing_city_itself(cast, city, city_admin):
    directive = factories.make_directive(city, recipient_kinds=["city", "ward"])
    issuing.issue(directive, by=city_admin)
    assert not directive.assignments.filter(unit=city).exists()


def test_issuing_again_creates_only_what_is_missing_and_keeps_answers(cast, city_admin):
    directive = factories.make_directive(cast["a"].parent, recipient_kinds=["ward"])
    first = issuing.issue(directive, by=city_admin)
    assert len(first) == 4
    answered = first[0]
    answered.status = Assignment.Status.DONE
    answered.save()
    assert issuing.issue(directive, by=city_admin) == []
    directive.recipient_units.add(cast["isp"])
    again = issuing.issue(directive, by=city_admin)
    assert {a.unit.code for a in again} == {"isp-vnpt"}
    assert directive.assignments.count() == 6
    answered.refresh_from_db()
    assert answered.status == Assignment.Status.DONE


def test_chosen_units_and_chosen_kinds_add_up(cast, city_admin):
    directive = factories.make_directive(cast["a"].parent, items=1, recipient_kinds=["isp"])
    directive.recipient_units.add(cast["a"])
    created = issuing.issue(directive, by=city_admin)
    assert sorted(a.unit.code for a in created) == ["isp-vnpt", "ward-a"]


def test_issuing_is_written_to_the_audit_log(cast, city_admin):
    directive = factories.make_directive(cast["a"].parent, recipient_kinds=["ward"])
    issuing.issue(directive, by=city_admin)
    entry = AuditEntry.objects.get(model="directives.assignment")
    assert entry.changes == {"assignments": 4, "units": 2}


@translation.override("en")
def test_it_refuses_to_issue_a_directive_without_items_or_recipients(cast, city, city_admin):
    empty = factories.make_directive(city, items=0, recipient_kinds=["ward"])
    with pytest.raises(issuing.IssueError, match="no action items"):
        issuing.issue(empty, by=city_admin)
    nobody = factories.make_directive(city, items=1)
    with pytest.raises(issuing.IssueError, match="no recipients"):
        issuing.issue(nobody, by=city_admin)
    assert not Assignment.objects.exists()
    assert Directive.objects.filter(status=Directive.Status.ISSUED).count() == 0


def test_a_template_letter_is_not_issued_until_its_citation_is_filled_in(cast, city_admin):
    directive = instantiate_template("tet", year=2027)
    with translation.override("vi"), pytest.raises(issuing.IssueError) as refused:
        issuing.issue(directive, by=city_admin)
    assert "căn cứ pháp lý" in str(refused.value)
    assert not Assignment.objects.exists()
    directive.legal_bases = directive.legal_bases.replace("…", "15", 2)
    assert issuing.issue(directive, by=city_admin)


def test_a_2027_template_names_no_body_abolished_before_2027(cast):
    directive = instantiate_template("tet", year=2027)
    text = " ".join(
        [directive.legal_bases, directive.body, *directive.items.values_list("text", flat=True)]
    )
    assert "Thông tin và Truyền thông" not in text
    assert "Cục An toàn thông tin" not in text
    assert "Công an tỉnh" in text and "Cục An ninh mạng" in text


def test_a_2024_letter_keeps_the_names_of_2024(cast):
    directive = instantiate_template("tet", year=2024)
    assert "Sở Thông tin và Truyền thông" in directive.legal_bases
