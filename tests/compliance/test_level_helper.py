"""The level helper of a system: the page and the API, with the shipped libraries' rules."""

from __future__ import annotations

import re

import pytest
from rest_framework.test import APIClient

from citysoc.compliance import libraries
from citysoc.compliance.models import LevelProposal
from citysoc.inventory.models import InformationSystem
from tests import factories

ND85 = "nd85-2016"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def shipped(db):
    results = libraries.load_all(libraries.SHIPPED_DIR)
    assert all(r.ok for r in results), [libraries.describe(r) for r in results]


@pytest.fixture
def portal(unit_a, shipped):
    """A citizen-facing service holding personal data of 12,000 people, no level yet."""
    return factories.make_system(
        unit_a,
        name="Cổng dịch vụ công phường A",
        level=None,
        system_type=InformationSystem.Type.CITIZEN,
        info_classes=["personal"],
        user_count=12_000,
    )


def _api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_the_page_proposes_level_3_under_decree_85_and_confirming_sets_the_level(
    client_as, officer_a, portal
):
    client = client_as(officer_a)
    url = f"/compliance/city/systems/{portal.pk}/level/"
    form = client.get(url).content.decode()
    # Pre-filled from the inventory: the type, the information class and the user count.
    assert '<option value="citizen" selected>' in form
    assert 'value="12000"' in form
    assert re.search(
        r'<input type="checkbox" name="info_classes" value="personal"[^>]*checked', form
    )

    response = client.post(
        url,
        {
            "action": "propose",
            "system_type": "citizen",
            "info_classes": ["personal"],
            "user_count": "12000",
        },
    )
    proposal = LevelProposal.objects.get(system=portal)
    assert response.status_code == 302
    assert response["Location"] == f"{url}?proposal={proposal.pk}"
    assert proposal.proposals[ND85]["level"] == 3
    page = client.get(response["Location"]).content.decode()
    assert f'data-regime="{ND85}" data-level="3"' in page
    assert "10,000 users or more" in page  # the reason, in the page's language

    confirmed = client.post(url, {"action": "confirm", "proposal": proposal.pk, "regime": ND85})
    assert confirmed.status_code == 302
    assert confirmed["Location"] == f"/inventory/systems/{portal.pk}/"
    portal.refresh_from_db()
    proposal.refresh_from_db()
    assert (portal.security_level, portal.regime.code) == (3, ND85)
    assert (proposal.confirmed_level, proposal.confirmed_regime.code) == (3, ND85)
    # Approval stays with the dossier workflow of the inventory.
    assert portal.dossier_status == InformationSystem.Dossier.NONE
    detail = client.get(confirmed["Location"]).content.decode()
    assert f"/compliance/city/systems/{portal.pk}/level/" in detail


def test_the_api_gives_the_questions_prefilled_and_stores_the_proposal(officer_a, portal):
    api = _api(officer_a)
    url = f"/api/systems/{portal.pk}/level-proposal/"
    got = api.get(url).json()
    ids = [q["id"] for q in got["questions"]]
    assert {"system_type", "info_classes", "user_count", "infra_scope"} <= set(ids)
    assert got["answers"] == {
        "system_type": "citizen",
        "info_classes": ["personal"],
        "user_count": 12000,
    }
    kind = next(q for q in got["questions"] if q["id"] == "system_type")
    assert kind["choices"][1] == {
        "value": "citizen",
        "label": "Phục vụ người dân, doanh nghiệp",
        "label_en": "Serving citizens and businesses",
    }

    response = api.post(url, {"answers": got["answers"]}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["proposals"][ND85]["level"] == 3
    assert body["proposals"][ND85]["library"] == "urn:citysoc:library:nd85-tt12-tcvn11930"
    assert body["proposals"][ND85]["reasons"][0].startswith("NĐ 85/2016 Điều 9 khoản 2")
    stored = LevelProposal.objects.get(pk=body["id"])
    assert (stored.system, stored.unit, stored.created_by) == (portal, portal.unit, officer_a)


def test_the_api_names_each_bad_answer_and_stores_nothing(officer_a, portal):
    response = _api(officer_a).post(
        f"/api/systems/{portal.pk}/level-proposal/",
        {"answers": {"user_count": "many", "system_type": "spaceship", "colour": "red"}},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["answers"]
    assert set(errors) == {"user_count", "system_type", "colour"}
    assert "spaceship" in errors["system_type"]
    assert not LevelProposal.objects.exists()


def test_a_read_only_role_sees_a_proposal_but_cannot_store_or_confirm_it(
    client_as, viewer_a, portal
):
    client = client_as(viewer_a)
    url = f"/compliance/city/systems/{portal.pk}/level/"
    page = client.post(url, {"action": "propose", "system_type": "citizen", "user_count": "5"})
    assert page.status_code == 200
    assert f'data-regime="{ND85}"' in page.content.decode()
    assert not LevelProposal.objects.exists()
    proposal = LevelProposal.objects.create(unit=portal.unit, system=portal, proposals={ND85: {}})
    denied = client.post(url, {"action": "confirm", "proposal": proposal.pk, "regime": ND85})
    assert denied.status_code == 403
    api = _api(viewer_a).post(
        f"/api/systems/{portal.pk}/level-proposal/", {"answers": {}}, format="json"
    )
    assert api.status_code == 403
    portal.refresh_from_db()
    assert portal.security_level is None


def test_another_wards_system_is_not_found(client_as, officer_b, portal):
    assert (
        client_as(officer_b).get(f"/compliance/city/systems/{portal.pk}/level/").status_code == 404
    )
    assert _api(officer_b).get(f"/api/systems/{portal.pk}/level-proposal/").status_code == 404
