"""The model's rules: schemes by year, the dated tree, and the constraints on ratings."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assessments import services
from assessments.models import MemberAssessment, Organization, RatingScheme, Subject, UnitAssessment
from assessments.selectors import levels_for
from tests.factories import MemberFactory, level

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("year", "scheme"),
    [
        (2014, "hd27-2014"),
        (2017, "hd27-2014"),
        (2018, "qd132-2018"),
        (2022, "qd132-2018"),
        (2023, "qd124-2023"),
        (2024, "qd124-2023"),
        (2025, "qd366-2025"),
        (2031, "qd366-2025"),
    ],
)
def test_scheme_of_a_year_comes_from_the_data(year, scheme):
    assert RatingScheme.for_year(year).code == scheme


def test_year_before_any_scheme_has_none():
    assert RatingScheme.for_year(2010) is None


def test_a_new_scheme_needs_no_code_change():
    RatingScheme.objects.filter(code="qd366-2025").update(last_year=2029)
    new = RatingScheme.objects.create(code="qd999-2030", name="Quy định mới", first_year=2030)
    new.levels.create(subject=Subject.UNIT, code="excellent", rank=1, label_vi="Xuất sắc", is_top=True)
    assert RatingScheme.for_year(2030) == new
    assert [lv.code for lv in levels_for(year=2030, subject=Subject.UNIT)] == ["excellent"]


def test_unit_and_member_scales_differ_before_2018():
    assert [lv.code for lv in levels_for(year=2017, subject=Subject.UNIT)] == [
        "clean_strong",
        "good",
        "completed",
        "weak",
    ]
    assert [lv.code for lv in levels_for(year=2017, subject=Subject.MEMBER)] == [
        "excellent",
        "good",
        "completed",
        "not_completed",
    ]
    assert [lv.code for lv in levels_for(year=2018, subject=Subject.UNIT)] == [
        "excellent",
        "good",
        "completed",
        "not_completed",
    ]


def test_top_and_good_or_better_flags():
    levels = levels_for(year=2017, subject=Subject.UNIT)
    assert [lv.code for lv in levels if lv.is_top] == ["clean_strong"]
    assert [lv.code for lv in levels if lv.is_good_or_better] == ["clean_strong", "good"]


def test_dissolved_unit_does_not_count_in_later_years(tree):
    units_2015 = set(Organization.objects.filter(parent=tree["BS"]).for_year(2015).values_list("code", flat=True))
    units_2016 = set(Organization.objects.filter(parent=tree["BS"]).for_year(2016).values_list("code", flat=True))
    assert "BS-CU" in units_2015
    assert "BS-CU" not in units_2016


def test_unit_founded_in_december_counts_that_year(tree):
    Organization.objects.create(
        code="BS-MOI",
        name="Chi bộ mới",
        kind="grassroots_cell",
        parent=tree["BS"],
        valid_from=datetime.date(2017, 12, 31),
    )
    assert Organization.objects.filter(parent=tree["BS"]).for_year(2017).filter(code="BS-MOI").exists()
    assert not Organization.objects.filter(parent=tree["BS"]).for_year(2016).filter(code="BS-MOI").exists()


def test_subtree_follows_the_path(tree):
    codes = set(Organization.objects.subtree(tree["BS-DONG-Y"]).values_list("code", flat=True))
    assert codes == {"BS-DONG-Y", "BS-DONG-Y-01", "BS-DONG-Y-02"}


def test_moving_a_unit_moves_its_cells(tree, admin_user):
    # Out of the district: the province is outside the district officer's scope (rules.access), so the admin moves it.
    commune = tree["BS-DONG-Y"]
    commune.parent = tree["LS"]
    services.organization_save(organization=commune, actor=admin_user)
    assert Organization.objects.get(code="BS-DONG-Y-01").path == "LS/BS-DONG-Y/BS-DONG-Y-01/"


def test_unit_cannot_be_put_under_its_own_cell(tree, officer):
    commune = tree["BS-DONG-Y"]
    commune.parent = tree["BS-DONG-Y-01"]
    with pytest.raises(ValidationError, match="cấp dưới"):
        services.organization_save(organization=commune, actor=officer)


def test_organization_code_allows_letters_digits_hyphens(tree, officer):
    bad = Organization(code="BS DONG Y", name="x", kind="cell", parent=tree["BS-DONG-Y"])
    with pytest.raises(ValidationError) as error:
        services.organization_save(organization=bad, actor=officer)
    assert "code" in error.value.message_dict


def test_level_of_another_year_is_refused(tree, officer):
    rating = UnitAssessment(organization=tree["BS-DONG-Y"], year=2017, level=level("qd132-2018", "unit", "excellent"))
    with pytest.raises(ValidationError) as error:
        services.unit_assessment_save(assessment=rating, actor=officer)
    # The scheme is named as users know it, not by its code (since 22e60b3).
    assert "thuộc Quy định 132-QĐ/TW, không dùng cho năm 2017" in error.value.message_dict["level"][0]


def test_member_level_is_refused_for_a_unit(tree, officer):
    rating = UnitAssessment(organization=tree["BS-DONG-Y"], year=2017, level=level("hd27-2014", "member", "excellent"))
    with pytest.raises(ValidationError, match="Đảng viên"):
        services.unit_assessment_save(assessment=rating, actor=officer)


def test_exemplary_only_on_the_top_level(tree, officer):
    rating = UnitAssessment(
        organization=tree["BS-DONG-Y"], year=2017, level=level("hd27-2014", "unit", "good"), exemplary=True
    )
    with pytest.raises(ValidationError) as error:
        services.unit_assessment_save(assessment=rating, actor=officer)
    assert "exemplary" in error.value.message_dict


def test_exemplary_clean_strong_unit_is_accepted(tree, officer):
    rating = UnitAssessment(
        organization=tree["BS-DONG-Y"],
        year=2017,
        level=level("hd27-2014", "unit", "clean_strong"),
        exemplary=True,
    )
    services.unit_assessment_save(assessment=rating, actor=officer)
    assert rating.history.first().history_user == officer


def test_unit_rated_in_a_year_it_did_not_exist_is_refused(tree, officer):
    rating = UnitAssessment(organization=tree["BS-CU"], year=2017, level=level("hd27-2014", "unit", "good"))
    with pytest.raises(ValidationError, match="31/12/2017"):
        services.unit_assessment_save(assessment=rating, actor=officer)


def test_one_unit_rating_per_year(tree, officer):
    services.unit_assessment_save(assessment=UnitAssessment(organization=tree["BS-DONG-Y"], year=2017), actor=officer)
    with pytest.raises(ValidationError, match="đã có"):
        services.unit_assessment_save(
            assessment=UnitAssessment(organization=tree["BS-DONG-Y"], year=2017), actor=officer
        )


@pytest.mark.parametrize(
    ("level_code", "reason"),
    [pytest.param(None, "", id="not-rated-needs-a-reason"), pytest.param("good", "exempt", id="rated-has-no-reason")],
)
def test_member_rating_has_a_level_or_a_reason_not_both(members, officer, level_code, reason):
    rating = MemberAssessment(
        member=members[0],
        year=2017,
        organization=members[0].organization,
        level=level("hd27-2014", "member", level_code) if level_code else None,
        not_rated_reason=reason,
    )
    with pytest.raises(ValidationError) as error:
        services.member_assessment_save(assessment=rating, actor=officer)
    assert "not_rated_reason" in error.value.message_dict


def test_unit_reason_is_refused_for_a_member(members, officer):
    rating = MemberAssessment(
        member=members[0],
        year=2017,
        organization=members[0].organization,
        not_rated_reason="founded_recently",
    )
    with pytest.raises(ValidationError, match="không áp dụng"):
        services.member_assessment_save(assessment=rating, actor=officer)


def test_database_refuses_a_rated_member_with_a_reason(members):
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberAssessment.objects.create(
            member=members[0],
            year=2017,
            organization=members[0].organization,
            level=level("hd27-2014", "member", "good"),
            not_rated_reason="exempt",
        )


def test_database_refuses_exemplary_without_level(tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitAssessment.objects.create(organization=tree["BS-DONG-Y"], year=2017, exemplary=True)


def test_database_refuses_two_ratings_of_a_member_in_a_year(members):
    good = level("hd27-2014", "member", "good")
    MemberAssessment.objects.create(member=members[0], year=2017, organization=members[0].organization, level=good)
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberAssessment.objects.create(member=members[0], year=2017, organization=members[0].organization, level=good)


def test_transfer_closes_one_membership_and_opens_the_next(tree, officer):
    member = MemberFactory.build(organization=tree["BS-DONG-Y-01"])
    services.member_save(member=member, actor=officer, joined_on=datetime.date(2010, 1, 1))
    services.member_transfer(
        member=member, organization=tree["BS-NHAT-TIEN-01"], day=datetime.date(2017, 7, 1), actor=officer
    )
    spans = list(member.memberships.order_by("start").values_list("organization__code", "start", "end"))
    assert spans == [
        ("BS-DONG-Y-01", datetime.date(2010, 1, 1), datetime.date(2017, 6, 30)),
        ("BS-NHAT-TIEN-01", datetime.date(2017, 7, 1), None),
    ]
    assert member.organization.code == "BS-NHAT-TIEN-01"


def test_member_cannot_belong_to_a_committee(tree, officer):
    member = MemberFactory.build(organization=tree["BS-DONG-Y"])
    with pytest.raises(ValidationError, match="chi bộ"):
        services.member_save(member=member, actor=officer)
