"""The Bắc Sơn demo district reproduces the published figures and loads the same way every time."""

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Count

from assessments import demo
from assessments.models import Member, MemberAssessment, Organization, UnitAssessment, User

pytestmark = pytest.mark.django_db


def _unit_counts(year: int) -> dict[str, int]:
    units = Organization.objects.filter(parent__code="BS").for_year(year)
    rows = (
        UnitAssessment.objects.filter(year=year, organization__in=units)
        .values_list("level__code")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def _member_share(year: int) -> float:
    rated = MemberAssessment.objects.filter(year=year, level__isnull=False)
    return 100 * rated.filter(level__is_good_or_better=True).count() / rated.count()


@pytest.fixture
def loaded(db):
    demo.demo_load()


def test_2017_has_33_of_55_units_clean_and_strong(loaded):
    assert Organization.objects.filter(parent__code="BS").for_year(2017).count() == 55
    assert _unit_counts(2017) == {"clean_strong": 33, "good": 15, "completed": 6, "weak": 1}


def test_2017_has_85_percent_of_rated_members_good_or_better(loaded):
    assert _member_share(2017) == 85.0


def test_named_units_have_their_published_ratings(loaded):
    def level(code, year):
        return UnitAssessment.objects.get(organization__code=code, year=year).level

    assert level("BS-DONG-Y", 2016).code == "weak"
    assert level("BS-DONG-Y", 2017).code == "clean_strong"
    assert level("BS-NHAT-TIEN", 2017).code == "completed"
    assert (level("BS-NHAT-TIEN", 2018).code, level("BS-NHAT-TIEN", 2018).scheme.code) == (
        "good",
        "qd132-2018",
    )
    assert Organization.objects.get(code="BS-VAN-THUY").name == "Đảng bộ xã Vạn Thủy"


def test_demo_members_are_mostly_tay_and_nung(loaded):
    by_ethnicity = dict(Member.objects.values_list("ethnicity").annotate(n=Count("id")))
    assert by_ethnicity["Tày"] > by_ethnicity["Nùng"] > by_ethnicity["Kinh"] > by_ethnicity["Dao"] > 0
    assert Member.objects.count() > 2000


def test_every_demo_rating_obeys_the_rules(loaded):
    from assessments.services import member_assessment_check, unit_assessment_check

    for rating in UnitAssessment.objects.select_related("level", "self_level", "organization"):
        unit_assessment_check(rating)
    for rating in MemberAssessment.objects.select_related("level")[:3000]:
        member_assessment_check(rating)


def test_merged_communes_no_longer_count_from_2020(loaded):
    assert Organization.objects.filter(parent__code="BS").for_year(2019).count() == 55
    assert Organization.objects.filter(parent__code="BS").for_year(2020).count() == 53


def test_loading_twice_changes_nothing(loaded):
    def snapshot():
        return (
            list(Organization.objects.values_list("code", "name", "path", "valid_to").order_by("code")),
            list(Member.objects.values_list("card_number", "full_name", "organization__code").order_by("card_number")),
            list(
                # The 2026 quarters share their year: the period keeps the order the same on every database.
                MemberAssessment.objects.values_list(
                    "member__card_number", "year", "period", "level_id", "not_rated_reason"
                ).order_by("member__card_number", "year", "period")
            ),
            list(
                UnitAssessment.objects.values_list(
                    "organization__code", "year", "period", "level_id", "exemplary"
                ).order_by("organization__code", "year", "period")
            ),
        )

    before = snapshot()
    demo.demo_load()
    assert snapshot() == before


def test_2017_figures_do_not_change_when_the_2025_structure_is_loaded(loaded):
    before = (_unit_counts(2017), _member_share(2017))
    new = demo.reorganization_2025_load()
    assert len(new) == 6
    assert (_unit_counts(2017), _member_share(2017)) == before
    assert not Organization.objects.filter(parent__code="BS").for_year(2025).exists()
    assert Organization.objects.filter(parent__code="LS").for_year(2025).count() == 6
    assert Organization.objects.get(code="BS-DONG-Y").successors.get().code == "LS-TAN-TRI"


def test_demo_accounts_can_log_in(loaded, client):
    for username in ("binh", "tinh", "lanhdao", "dongy", "rum", "admin"):
        response = client.post("/accounts/login/", {"username": username, "password": demo.DEMO_PASSWORD})
        assert response.status_code == 302, username
        client.post("/accounts/logout/")
    assert User.objects.get(username="rum").organization.code == "BS-NHAT-TIEN"


def test_load_demo_refuses_with_debug_off(db, monkeypatch):
    monkeypatch.setattr(settings, "DEBUG", False)
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")
    assert not Organization.objects.filter(code="BS").exists()


# --- issue 15: the July 2025 structure and its scored 2025 results are part of the default demo ---------------


def test_the_2025_structure_is_loaded_by_default_with_scored_results(loaded):
    from assessments.services import member_assessment_check, unit_assessment_check

    assert sorted(Organization.objects.filter(parent__code="LS").for_year(2025).values_list("code", flat=True)) == [
        "LS-BAC-SON",
        "LS-HUNG-VU",
        "LS-NHAT-HOA",
        "LS-TAN-TRI",
        "LS-VU-LANG",
        "LS-VU-LE",
    ]
    units = UnitAssessment.objects.filter(year=2025).select_related("level__scheme", "organization")
    members = MemberAssessment.objects.filter(year=2025).select_related("level__scheme", "organization")
    assert units.count() > 6 and members.count() > 1000
    assert not units.filter(score__isnull=True).exists()
    assert not members.filter(level__isnull=False, score__isnull=True).exists()
    for rating in [*units, *members]:  # every level is the one its score allows, or below it with a reason
        (unit_assessment_check if isinstance(rating, UnitAssessment) else member_assessment_check)(rating)
    below = [r.below_score_reason for r in [*units, *members] if r.below_score_reason]
    assert len(below) == 2
    assert members.filter(organization__code__startswith="LS-TAN-TRI-").exists()  # Đồng Ý's members, rated there


def test_the_provincial_officer_sees_the_six_communes_on_the_dashboard(loaded, client):
    assert User.objects.get(username="tinh").organization.code == "LS"
    client.force_login(User.objects.get(username="tinh"))
    page = client.get("/", {"year": 2025}, follow=True).content.decode()
    for name in ("Đảng bộ xã Bắc Sơn", "Đảng bộ xã Hưng Vũ", "Đảng bộ xã Vũ Lăng", "Đảng bộ xã Nhất Hòa",
                 "Đảng bộ xã Vũ Lễ", "Đảng bộ xã Tân Tri"):  # fmt: skip
        assert name in page, name


def test_the_2025_option_of_load_demo_still_works_and_changes_nothing(loaded, settings):
    settings.DEBUG = True
    before = list(UnitAssessment.objects.filter(year=2025).values_list("organization__code", "level_id", "score"))
    call_command("load_demo", "--with-2025-reorganization")
    assert list(UnitAssessment.objects.filter(year=2025).values_list("organization__code", "level_id", "score")) == (
        before
    )
