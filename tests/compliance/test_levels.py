"""The level helper: criteria of Decree 85/2016 and Decree 331/2026 over a system's answers."""

from __future__ import annotations

import datetime

import pytest

from citysoc.compliance import levels, libraries
from citysoc.inventory.models import InformationSystem
from tests import factories

ND85, ND331 = "nd85-2016", "nd331-2026"


@pytest.fixture(scope="module")
def docs():
    return [
        libraries.read_document(libraries.SHIPPED_DIR / "nd331-tcvn14423.yaml"),
        libraries.read_document(libraries.SHIPPED_DIR / "nd85-tt12-tcvn11930.yaml"),
    ]


def propose(docs, **answers):
    return levels.propose(answers, docs)


def test_a_citizen_service_with_10000_users_is_level_3_under_decree_85(docs):
    result = propose(docs, system_type="citizen", info_classes=["personal"], user_count=10_000)
    nd85 = result[ND85]
    assert nd85.level == 3
    assert nd85.library_urn == "urn:citysoc:library:nd85-tt12-tcvn11930"
    assert nd85.reasons == [
        "NĐ 85/2016 Điều 9 khoản 2: HTTT cung cấp dịch vụ trực tuyến có xử lý thông tin "
        "riêng, thông tin cá nhân của từ 10.000 người sử dụng trở lên"
    ]
    assert "10,000 users or more" in nd85.reasons_en[0]
    assert (
        propose(docs, system_type="citizen", info_classes=["personal"], user_count=9_999)[
            ND85
        ].level
        == 2
    )


def test_an_internal_system_with_public_information_only_is_level_1(docs):
    result = propose(docs, system_type="internal", info_classes=["public"], user_count=40)
    assert (result[ND85].level, result[ND331].level) == (1, 1)
    assert result[ND85].reasons == [
        "NĐ 85/2016 Điều 7: HTTT chỉ phục vụ hoạt động nội bộ và chỉ xử lý thông tin công cộng"
    ]


def test_nothing_answered_is_level_1_with_a_reason(docs):
    proposal = propose(docs)[ND85]
    assert proposal.level == 1
    assert proposal.reasons_en == ["No criterion of levels 2–5 is met, so level 1 is proposed"]


def test_an_internal_system_with_private_information_is_level_2(docs):
    result = propose(docs, system_type="internal", info_classes=["public", "private"])
    assert result[ND85].level == 2
    assert result[ND85].reasons[0].startswith("NĐ 85/2016 Điều 8 khoản 1:")


def test_provincial_shared_infrastructure_is_level_3(docs):
    result = propose(docs, system_type="infrastructure", infra_scope="sector_province")
    assert (result[ND85].level, result[ND331].level) == (3, 3)
    assert result[ND85].reasons[0].startswith("NĐ 85/2016 Điều 9 khoản 3:")
    one_org = propose(docs, system_type="infrastructure", infra_scope="one_org")
    assert one_org[ND85].level == 2


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        ({"info_classes": ["personal"], "user_count": 99_999}, 2),
        ({"info_classes": ["personal"], "user_count": 100_000}, 3),
        ({"info_classes": ["personal"], "sensitive_personal_data": True, "user_count": 9_999}, 2),
        ({"info_classes": ["personal"], "sensitive_personal_data": True, "user_count": 10_000}, 3),
        ({"info_classes": ["public"], "handles_tthc": True, "user_count": 50}, 3),
    ],
)
def test_decree_331_thresholds(docs, answers, level):
    assert propose(docs, system_type="citizen", **answers)[ND331].level == level


def test_a_ward_one_stop_shop_differs_between_the_two_decrees(docs):
    # 50,000 citizens' basic data: level 3 under Decree 85 (>= 10,000), level 2 under 331
    # unless it handles administrative procedures, which a one-stop shop does.
    answers = {"system_type": "citizen", "info_classes": ["personal"], "user_count": 50_000}
    assert propose(docs, **answers)[ND331].level == 2
    result = propose(docs, **answers, handles_tthc=True)
    assert (result[ND85].level, result[ND331].level) == (3, 3)
    assert result[ND331].reasons[0].endswith("Hệ thống thông tin giải quyết thủ tục hành chính")


def test_the_highest_matching_level_wins_and_every_deciding_criterion_is_given(docs):
    result = propose(docs, system_type="industrial", ics_grade="I", info_classes=["state_secret"])
    assert result[ND85].level == 4
    assert result[ND85].reasons == [
        "NĐ 85/2016 Điều 10 khoản 4: HTTT điều khiển công nghiệp trực tiếp điều khiển công trình "
        "cấp I"
    ]
    both = propose(docs, conditional_business=True, dvc_level="4")
    assert both[ND85].level == 3 and len(both[ND85].reasons) == 2
    assert propose(docs, harm_level="especially_serious")[ND85].level == 5


def test_form_values_are_read_by_question_kind(docs):
    result = levels.propose(
        {"system_type": "citizen", "info_classes": "personal", "user_count": "12.000",
         "handles_tthc": "off", "dvc_level": 3},
        docs,
    )  # fmt: skip
    assert result[ND85].level == 3
    assert len(result[ND85].reasons) == 2  # DVC level 3 and >= 10,000 users
    assert result[ND331].level == 2  # handles_tthc "off" is a no
    assert levels.propose({"user_count": "many", "system_type": "citizen"}, docs)[ND85].level == 2


def test_questions_cover_both_decrees_once_each_in_a_stable_order(docs):
    asked = levels.questions(docs)
    ids = [q.id for q in asked]
    assert len(ids) == len(set(ids))
    for needed in (
        "system_type", "info_classes", "user_count", "sensitive_personal_data", "dvc_level",
        "handles_tthc", "conditional_business", "infra_scope", "ics_grade",
        "national_egov_24x7", "harm_level",
    ):  # fmt: skip
        assert needed in ids
    assert ids[:3] == ["system_type", "info_classes", "user_count"]
    assert ids == [q.id for q in levels.questions(docs)]
    system_type = asked[0]
    assert system_type.kind == "choice"
    assert ("citizen", "Phục vụ người dân, doanh nghiệp", "Serving citizens and businesses") in (
        system_type.choices
    )
    # The inventory's choices and the helper's must agree, or pre-filling breaks.
    assert {c[0] for c in system_type.choices} == set(InformationSystem.Type.values)
    assert {c[0] for c in asked[1].choices} == set(InformationSystem.InfoClass.values)


def test_answers_come_from_the_inventory(unit_a):
    system = factories.make_system(
        unit_a,
        system_type=InformationSystem.Type.CITIZEN,
        subtype=InformationSystem.Subtype.ONE_STOP,
        info_classes=["public", "personal"],
        user_count=12_000,
    )
    assert levels.answers_from_system(system) == {
        "system_type": "citizen",
        "info_classes": ["public", "personal"],
        "user_count": 12_000,
        "handles_tthc": True,
    }
    bare = factories.make_system(unit_a, system_type=InformationSystem.Type.INTERNAL)
    assert levels.answers_from_system(bare) == {"system_type": "internal"}


def test_the_libraries_in_force_are_read_from_the_database(unit_a):
    libraries.load_all()
    system = factories.make_system(
        unit_a, system_type="citizen", info_classes=["personal"], user_count=12_000
    )
    in_force = levels.libraries_in_force(datetime.date(2026, 11, 29))
    assert [lib.regime.code for lib in in_force] == [ND331, ND85]
    assert levels.libraries_in_force(datetime.date(2024, 1, 15))[0].regime.code == ND85

    result = levels.propose(levels.answers_from_system(system), in_force)

    assert (result[ND85].level, result[ND331].level) == (3, 2)
    assert result[ND85].as_json()["library"] == "urn:citysoc:library:nd85-tt12-tcvn11930"
    asked = [q.id for q in levels.questions(in_force)]
    assert "sensitive_personal_data" in asked and "ics_grade" in asked
