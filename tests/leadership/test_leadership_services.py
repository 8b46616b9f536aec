"""Writes of collectives, positions and their ratings through the services: scope (404), role (403), the
secretary's self-assessment, the officers' appraisal and decision, the period's rules on deciding and their override;
and what each persona sees: a secretary his own commune's collectives and leaders, never another's."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from assessments.leadership import selectors, services
from assessments.models import CollectiveRating, LeaderRating, Position, RuleOverride, Title
from assessments.permissions import collective_get_for_user
from tests.factories import MemberFactory, level
from tests.leadership.helpers import SCHEME, collective, collective_rated, leader, leader_rated

pytestmark = pytest.mark.django_db


@pytest.fixture
def boards(tree):
    """Each commune's standing board with its secretary."""
    out = {}
    for code in ("BS-DONG-Y", "BS-NHAT-TIEN"):
        group = collective(tree[code], code=f"{code}-BTV")
        out[code] = (group, leader(group, Title.SECRETARY))
    return out


def test_a_secretary_sees_his_communes_collectives_and_leaders_never_anothers(boards, secretary_dong_y, officer):
    mine, other = boards["BS-DONG-Y"], boards["BS-NHAT-TIEN"]
    for group, head in (mine, other):
        leader_rated(head, group, 2025, "good", decided_on=datetime.date(2026, 1, 15))
        collective_rated(group, 2025, "good")
    assert list(selectors.collectives_visible_to(secretary_dong_y)) == [mine[0]]
    assert [r.member for r in selectors.leader_ratings_visible_to(secretary_dong_y)] == [mine[1]]
    assert [r.collective for r in selectors.collective_ratings_visible_to(secretary_dong_y)] == [mine[0]]
    assert {p.member for p in selectors.positions_visible_to(secretary_dong_y)} == {mine[1]}
    assert selectors.collectives_visible_to(officer).count() == 2
    assert collective_get_for_user(user=secretary_dong_y, code=mine[0].code) == mine[0]
    with pytest.raises(Http404):
        collective_get_for_user(user=secretary_dong_y, code=other[0].code)


def test_a_secretary_writes_his_collectives_self_assessment_but_another_communes_is_not_found(boards, secretary_dong_y):
    group, _head = boards["BS-DONG-Y"]
    rating = CollectiveRating(
        collective=group, year=2025, self_level=level(SCHEME, "unit", "good"), self_score=Decimal("84.5"),
        tasks_assigned=10, tasks_on_time=10,
    )  # fmt: skip
    services.collective_rating_save(rating=rating, actor=secretary_dong_y)
    stored = CollectiveRating.objects.get()
    assert stored.self_score == Decimal("84.50") and stored.history.first().history_user == secretary_dong_y
    other = CollectiveRating(collective=boards["BS-NHAT-TIEN"][0], year=2025, self_level=rating.self_level)
    with pytest.raises(Http404):
        services.collective_rating_save(rating=other, actor=secretary_dong_y)
    assert CollectiveRating.objects.count() == 1


def test_a_secretary_may_not_decide_or_appraise_and_a_leader_writes_nothing(boards, secretary_dong_y, leader):
    group, head = boards["BS-DONG-Y"]
    decided = CollectiveRating(collective=group, year=2025, level=level(SCHEME, "unit", "good"))
    with pytest.raises(PermissionDenied, match="chỉ ghi phần tự đánh giá"):
        services.collective_rating_save(rating=decided, actor=secretary_dong_y)
    appraised = LeaderRating(member=head, collective=group, year=2025, appraisal_level=level(SCHEME, "member", "good"))
    with pytest.raises(PermissionDenied):
        services.leader_rating_save(rating=appraised, actor=secretary_dong_y)
    own = LeaderRating(member=head, collective=group, year=2025, self_level=level(SCHEME, "member", "good"))
    with pytest.raises(PermissionDenied):
        services.leader_rating_save(rating=own, actor=leader)
    services.leader_rating_save(rating=own, actor=secretary_dong_y)
    assert LeaderRating.objects.get().self_level.code == "good" and CollectiveRating.objects.count() == 0


def test_collectives_and_positions_are_written_by_officers_only(tree, secretary_dong_y, officer):
    group = collective(tree["BS-DONG-Y"], code="DY-UBND", kind="peoples_committee")
    post = Position(
        member=MemberFactory(organization=tree["BS-DONG-Y-01"]), collective=group, title=Title.CHAIR, heads=True,
        start=datetime.date(2021, 7, 1), managed_by=tree["BS"],
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.position_save(position=post, actor=secretary_dong_y)
    post.end = datetime.date(2021, 6, 30)
    with pytest.raises(ValidationError) as error:
        services.position_save(position=post, actor=officer)
    assert error.value.message_dict == {"end": ["Ngày kết thúc phải từ ngày bắt đầu trở đi."]}
    post.end = None
    services.position_save(position=post, actor=officer)
    assert Position.objects.get().history.first().history_user == officer


def test_an_officer_deciding_a_head_above_the_collective_needs_a_reason_kept_as_an_override(boards, officer):
    group, head = boards["BS-DONG-Y"]
    collective_rated(group, 2025, "good", decided_on=datetime.date(2026, 1, 10))
    rating = LeaderRating(
        member=head, collective=group, year=2025, level=level(SCHEME, "member", "excellent"), score=Decimal("95"),
        decided_on=datetime.date(2026, 1, 15),
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.leader_rating_save(rating=rating, actor=officer)
    assert "cao hơn tập thể" in " ".join(error.value.message_dict["override_reason"])
    assert LeaderRating.objects.count() == 0
    services.leader_rating_save(rating=rating, actor=officer, override_reason="Thành tích đột xuất được khen thưởng")
    override = RuleOverride.objects.get()
    assert (override.rule, override.decided_by, override.organization.code) == (
        "leader_above_collective",
        officer,
        "BS-DONG-Y",
    )


def test_a_leader_is_rated_only_in_a_collective_where_he_held_a_post_that_year(boards, officer, tree):
    group, _head = boards["BS-DONG-Y"]
    stranger = MemberFactory(organization=tree["BS-DONG-Y-01"])
    rating = LeaderRating(member=stranger, collective=group, year=2025, self_level=level(SCHEME, "member", "good"))
    with pytest.raises(ValidationError) as error:
        services.leader_rating_save(rating=rating, actor=officer)
    assert error.value.message_dict["member"] == [
        f"Đảng viên số thẻ {stranger.card_number} không giữ chức danh nào trong tập thể BS-DONG-Y-BTV năm 2025."
    ]


def test_a_quarter_and_the_year_are_separate_ratings_and_each_once(boards, officer):
    from django.db import IntegrityError, transaction

    group, _head = boards["BS-DONG-Y"]
    collective_rated(group, 2026, "good", period="Q1")
    collective_rated(group, 2026, "good")
    with pytest.raises(IntegrityError), transaction.atomic():
        collective_rated(group, 2026, "completed", period="Q1")
    with pytest.raises(ValidationError) as error:
        services.collective_rating_save(
            rating=CollectiveRating(collective=group, year=2026, period="Q1"), actor=officer
        )
    assert "Tập thể này đã có bản xếp loại của kỳ đó." in str(error.value)


def test_deciding_the_third_excellent_secretary_of_ten_needs_a_reason_but_a_quarter_is_not_capped(tree, officer):
    from assessments.models import CollectiveKind

    rated = []
    for i in range(10):
        group = collective(tree["BS-DONG-Y"], CollectiveKind.PARTY_COMMITTEE, code=f"DY-BCH-{i}")
        head = leader(group, Title.SECRETARY, managed_by=tree["BS"])
        rated.append(leader_rated(head, group, 2019, "excellent" if i < 2 else "good", scheme="qd132-2018"))
    third = rated[2]
    third.level = level("qd132-2018", "member", "excellent")
    with pytest.raises(ValidationError) as error:
        services.leader_rating_save(rating=third, actor=officer)
    assert "3/10 người" in " ".join(error.value.message_dict["override_reason"])
    quarter = LeaderRating(
        member=third.member, collective=third.collective, year=2019, period="Q1",
        level=level("qd132-2018", "member", "excellent"),
    )  # fmt: skip
    services.leader_rating_save(rating=quarter, actor=officer)
    assert LeaderRating.objects.filter(period="Q1").count() == 1
