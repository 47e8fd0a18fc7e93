"""Swept / infected / cleaned / not swept per unit, on the page and in the directive's item."""

from __future__ import annotations

import pytest
from django.utils import timezone

from citysoc.directives.area_progress import progress_for
from citysoc.directives.models import ActionItem
from citysoc.sweep import progress
from citysoc.sweep.models import Result
from tests import factories
from tests.sweep_worlds import sweep as world

pytestmark = pytest.mark.django_db


def test_figures_count_swept_infected_cleaned_and_not_swept(unit_a, officer_a):
    ids = world.build(unit_a, officer_a, "A", "192.0.2")
    factories.make_host(unit_a, hostname="never-swept")
    row = progress.figures([unit_a])[0]
    assert (row.hosts, row.swept, row.infected, row.cleaned, row.not_swept) == (2, 1, 1, 0, 1)
    first = Result.objects.get(pk=ids["sweepresult"])
    later = timezone.now()
    Result.objects.create(
        unit=unit_a, agent=first.agent, host=first.host, via="online", body_sha256="again",
        verdict="clean", started_at=later, finished_at=later,
    )  # fmt: skip
    row = progress.figures([unit_a])[0]
    assert (row.infected, row.cleaned) == (0, 1)


def test_the_directives_malware_item_shows_the_units_figures(unit_a, officer_a):
    world.build(unit_a, officer_a, "A", "192.0.2")
    item = ActionItem(area=ActionItem.Area.MALWARE)
    shown = progress_for(item, unit_a)
    assert shown.tracked and "1" in shown.summary and shown.url.endswith(unit_a.code)


def test_the_page_lists_hosts_not_swept_with_a_bundle_button(
    client_as, officer_a, unit_a, django_assert_max_num_queries
):
    world.build(unit_a, officer_a, "A", "192.0.2")
    factories.make_host(unit_a, hostname="never-swept")
    client = client_as(officer_a)
    with django_assert_max_num_queries(30):
        page = client.get("/sweep/").content.decode()
    assert "never-swept" in page and "mark-a-pc" in page
