"""The rule sets page: the city adds a checked version from a file; a ward sees what jobs carry."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citysoc.sweep import jobs, rules
from citysoc.sweep.models import RuleSet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HASHES = "# city list\n44d88612fea8a8f36de82e1278abb02f;EICAR\n" + "a" * 64 + ";dropper\n"


def _upload(client, text: str, name: str = "city-hashes", kind: str = "hashes"):
    file = SimpleUploadedFile("list.txt", text.encode("utf-8"), content_type="text/plain")
    return client.post("/sweep/rules/", {"name": name, "kind": kind, "file": file}, follow=True)


def test_the_city_adds_a_version_and_sees_its_count_author_and_date(client_as, city_admin):
    response = _upload(client_as(city_admin), HASHES)
    body = response.content.decode()
    saved = RuleSet.objects.get(name="city-hashes")
    assert (saved.version, saved.rule_count, saved.created_by) == (1, 2, city_admin)
    assert "city-hashes v1 added: 2 rules" in body
    assert city_admin.username in body
    second = _upload(client_as(city_admin), HASHES + "b" * 40 + ";more\n")
    assert RuleSet.objects.get(name="city-hashes", version=2).rule_count == 3
    assert "city-hashes v2" in second.content.decode()
    assert jobs.rule_sets()["hashes"][-1]["description"] == "more"


def test_a_bad_line_is_named_and_nothing_is_saved(client_as, city_admin):
    response = _upload(client_as(city_admin), HASHES + "not-a-hash;oops\n")
    body = response.content.decode()
    assert response.status_code == 200
    assert "line 4" in body and "Nothing was saved" in body
    assert not RuleSet.objects.exists()


def test_a_file_that_is_not_utf8_is_refused(client_as, city_admin):
    file = SimpleUploadedFile("list.txt", b"\xff\xfe\x00bad", content_type="text/plain")
    client = client_as(city_admin)
    response = client.post("/sweep/rules/", {"name": "x", "kind": "hashes", "file": file})
    assert "not UTF-8" in response.content.decode()
    assert not RuleSet.objects.exists()


def test_a_ward_sees_the_versions_its_jobs_carry_but_cannot_add(client_as, officer_a, city_admin):
    rules.add_version("city-hashes", "hashes", HASHES, by=city_admin)
    rules.add_version("city-hashes", "hashes", HASHES + "b" * 40 + ";more\n", by=city_admin)
    client = client_as(officer_a)
    body = client.get("/sweep/rules/").content.decode()
    assert "city-hashes v2" in body and "city-hashes v1" not in body
    assert 'data-testid="add-rule-set"' not in body
    assert _upload(client, HASHES, name="ward-list").status_code == 403
    assert not RuleSet.objects.filter(name="ward-list").exists()


def test_the_sweep_page_links_to_the_rule_sets(client_as, officer_a):
    assert 'href="/sweep/rules/"' in client_as(officer_a).get("/sweep/").content.decode()


def test_the_page_costs_the_same_queries_whatever_the_number_of_versions(client_as, city_admin):
    client = client_as(city_admin)
    rules.add_version("list-0", "hashes", HASHES, by=city_admin)
    client.get("/sweep/rules/")  # warm the session and the caches
    with CaptureQueriesContext(connection) as one:
        client.get("/sweep/rules/")
    for n in range(1, 6):
        rules.add_version(f"list-{n}", "hashes", HASHES, by=city_admin)
    with CaptureQueriesContext(connection) as six:
        client.get("/sweep/rules/")
    assert len(six) == len(one)
