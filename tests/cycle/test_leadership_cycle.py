"""The leadership tables of a unit's file (issue 16): on the portal the secretary writes the self-assessment of the
commune's collectives and leaders, all rows or none, while the file is editable; on the review page officers appraise
and decide, a head rated above his collective needs a reason kept as an override; another commune's secretary finds
nothing; both pages cost the same queries whatever the number of rows; the year or a quarter."""

import datetime
from decimal import Decimal

import pytest

from assessments.models import (
    CollectiveKind,
    CollectiveRating,
    LeaderRating,
    RuleOverride,
    SelfAssessmentDocument,
    Submission,
    SubmissionStatus,
    Title,
)
from tests.cycle_factories import pdf_document_stored, year_opened
from tests.factories import level
from tests.leadership.helpers import SCHEME, collective, collective_rated, leader

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

PORTAL = "/portal/BS-NHAT-TIEN/2025/"
REVIEW = "/review/BS-NHAT-TIEN/2025/"


def _boards(commune, count=2, first=0):
    """`count` collectives of the commune (standing board first), each with its head and a deputy."""
    kinds = [CollectiveKind.STANDING_BOARD, CollectiveKind.PARTY_COMMITTEE, CollectiveKind.PEOPLES_COMMITTEE]
    out = []
    for i in range(first, first + count):
        group = collective(commune, kinds[i % 3], code=f"{commune.code}-T{i}", name=f"Tập thể {i} {commune.name}")
        head = leader(group, Title.SECRETARY)
        deputy = leader(group, Title.DEPUTY_SECRETARY, heads=False)
        out.append((group, head, deputy))
    return out


@pytest.fixture
def boards(tree, submissions):
    return _boards(tree["BS-NHAT-TIEN"])


def _unit(code):
    return level(SCHEME, "unit", code).pk


def _member(code):
    return level(SCHEME, "member", code).pk


def _back(response, url):
    assert response.status_code == 302 and response.url == url + "#leadership"
    return response.client.get(response.url).content.decode()


def test_the_secretary_records_the_self_assessment_of_his_communes_collectives(client, boards, secretary_nhat_tien):
    (first, *_), (second, *_) = boards
    client.force_login(secretary_nhat_tien)
    page = client.get(PORTAL).content.decode()
    assert 'id="collectives-form"' in page and 'id="leaders-form"' in page
    assert first.name in page and "Ban Thường vụ" in page
    response = client.post(
        PORTAL + "collectives/",
        {
            "period": "",
            f"c{first.pk}-self_level": _unit("excellent"),
            f"c{first.pk}-self_score": "92.5",
            f"c{first.pk}-tasks_assigned": "10",
            f"c{first.pk}-tasks_on_time": "10",
            f"c{second.pk}-self_level": _unit("good"),
        },
    )
    page = _back(response, PORTAL)
    assert "Đã ghi 2 dòng." in page
    stored = {r.collective_id: r for r in CollectiveRating.objects.all()}
    assert stored[first.pk].self_level.code == "excellent" and stored[first.pk].self_score == Decimal("92.5")
    assert stored[second.pk].self_level.code == "good" and stored[second.pk].level is None
    assert stored[first.pk].history.first().history_user == secretary_nhat_tien


def test_the_secretary_records_his_leaders_self_levels(client, boards, secretary_nhat_tien):
    (group, head, deputy), _second = boards
    client.force_login(secretary_nhat_tien)
    page = client.get(PORTAL).content.decode()
    assert head.full_name in page and deputy.full_name in page
    response = client.post(
        PORTAL + "leaders/",
        {f"l{head.pk}-{group.pk}-self_level": _member("excellent"), f"l{deputy.pk}-{group.pk}-self_level": ""},
    )
    _back(response, PORTAL)
    rating = LeaderRating.objects.get()
    assert (rating.member, rating.collective, rating.self_level.code) == (head, group, "excellent")


def test_one_refused_row_saves_nothing_and_the_error_names_the_collective(client, boards, secretary_nhat_tien):
    (first, *_), (second, *_) = boards
    client.force_login(secretary_nhat_tien)
    response = client.post(
        PORTAL + "collectives/",
        {
            f"c{first.pk}-self_level": _unit("good"),
            f"c{second.pk}-self_level": _unit("good"),
            f"c{second.pk}-tasks_assigned": "5",
            f"c{second.pk}-tasks_on_time": "7",
        },
    )
    page = _back(response, PORTAL)
    assert not CollectiveRating.objects.exists()
    assert f"{second.name}, Hoàn thành đúng hạn: Số nhiệm vụ đúng hạn (7) cộng số chậm (0) vượt số" in page
    assert "không dòng nào được lưu" in page


def test_another_communes_secretary_finds_neither_the_page_nor_the_actions(client, boards, secretary_dong_y):
    (group, head, _deputy), _second = boards
    client.force_login(secretary_dong_y)
    assert client.get(PORTAL).status_code == 404
    assert client.post(PORTAL + "collectives/", {f"c{group.pk}-self_level": _unit("good")}).status_code == 404
    assert client.post(PORTAL + "leaders/", {f"l{head.pk}-{group.pk}-self_level": _member("good")}).status_code == 404
    assert not CollectiveRating.objects.exists() and not LeaderRating.objects.exists()


def test_a_secretarys_appraisal_and_decision_are_ignored_on_the_portal_and_refused_on_the_review(
    client, boards, secretary_nhat_tien
):
    (group, *_), _second = boards
    client.force_login(secretary_nhat_tien)
    posted = {
        f"c{group.pk}-self_level": _unit("good"),
        f"c{group.pk}-level": _unit("excellent"),
        f"c{group.pk}-appraisal_level": _unit("excellent"),
        f"c{group.pk}-decision_ref": "01-QĐ/HU",
    }
    _back(client.post(PORTAL + "collectives/", posted), PORTAL)
    rating = CollectiveRating.objects.get()
    assert rating.self_level.code == "good"
    assert (rating.level, rating.appraisal_level, rating.decision_ref) == (None, None, "")
    assert client.post(REVIEW + "collectives/", posted).status_code == 403
    assert client.get(REVIEW).status_code == 403


def test_the_officer_appraises_and_decides_the_collectives_on_the_review_page(client, boards, officer):
    (first, *_), (second, *_) = boards
    collective_rated(first, 2025, None, self_level=level(SCHEME, "unit", "good"), self_score=Decimal("81"))
    client.force_login(officer)
    page = client.get(REVIEW).content.decode()
    assert 'id="collectives-form"' in page and "Ban Tổ chức thẩm định" in page
    row = {"appraisal_level": _unit("good"), "level": _unit("good"), "score": "81", "decision_ref": "15-QĐ/HU",
           "decided_on": "2026-01-12"}  # fmt: skip
    response = client.post(
        REVIEW + "collectives/",
        {**{f"c{first.pk}-{k}": v for k, v in row.items()}, f"c{second.pk}-level": ""},
    )
    _back(response, REVIEW)
    rating = CollectiveRating.objects.get()
    assert (rating.collective, rating.self_level.code, rating.appraisal_level.code, rating.level.code) == (
        first, "good", "good", "good",
    )  # fmt: skip
    assert (rating.decision_ref, rating.decided_on) == ("15-QĐ/HU", datetime.date(2026, 1, 12))
    assert rating.history.first().history_user == officer


def test_a_head_decided_above_his_collective_needs_a_reason_then_the_override_is_recorded(client, boards, officer):
    (group, head, _deputy), _second = boards
    collective_rated(group, 2025, "good", score=Decimal("81"), decided_on=datetime.date(2026, 1, 10))
    client.force_login(officer)
    key = f"l{head.pk}-{group.pk}"
    posted = {f"{key}-level": _member("excellent"), f"{key}-score": "95", f"{key}-decided_on": "2026-01-15"}
    page = _back(client.post(REVIEW + "leaders/", posted), REVIEW)
    assert "cao hơn tập thể" in page and "người đứng đầu không xếp cao hơn tập thể mình đứng đầu" in page
    assert f'data-reason="{key}"' in page and f'name="{key}-override_reason"' in page
    assert not LeaderRating.objects.exists() and not RuleOverride.objects.exists()
    posted[f"{key}-override_reason"] = "Được khen thưởng đột xuất trong năm"
    page = _back(client.post(REVIEW + "leaders/", posted), REVIEW)
    assert "Đã ghi 1 dòng." in page
    assert LeaderRating.objects.get().level.code == "excellent"
    override = RuleOverride.objects.get()
    assert (override.rule, override.reason, override.decided_by) == (
        "leader_above_collective", "Được khen thưởng đột xuất trong năm", officer,
    )  # fmt: skip


def test_a_leader_reads_the_tables_but_has_no_form(client, boards, leader):
    client.force_login(leader)
    page = client.get(REVIEW).content.decode()
    assert 'id="collectives-table"' in page and 'id="collectives-form"' not in page
    group = boards[0][0]
    assert client.post(REVIEW + "collectives/", {f"c{group.pk}-level": _unit("good")}).status_code == 403


def test_a_quarter_has_its_own_ratings_beside_the_year(client, boards, secretary_nhat_tien):
    (group, *_), _second = boards
    collective_rated(group, 2025, None, self_level=level(SCHEME, "unit", "good"))
    client.force_login(secretary_nhat_tien)
    page = client.get(PORTAL + "?period=Q2").content.decode()
    assert '<strong aria-current="page">Quý II</strong>' in page and 'name="period" value="Q2"' in page
    response = client.post(PORTAL + "collectives/", {"period": "Q2", f"c{group.pk}-self_level": _unit("excellent")})
    assert response.status_code == 302 and response.url == PORTAL + "?period=Q2#leadership"
    by_period = {r.period: r.self_level.code for r in CollectiveRating.objects.all()}
    assert by_period == {"": "good", "Q2": "excellent"}
    assert client.post(PORTAL + "collectives/", {"period": "Q5"}).status_code == 404


def test_once_the_file_is_sent_the_secretary_can_no_longer_change_the_self_assessments(
    client, boards, submissions, secretary_nhat_tien
):
    from assessments.models import Submission, SubmissionStatus

    Submission.objects.filter(pk=submissions["BS-NHAT-TIEN"].pk).update(status=SubmissionStatus.SUBMITTED)
    (group, *_), _second = boards
    client.force_login(secretary_nhat_tien)
    page = client.get(PORTAL).content.decode()
    assert 'id="collectives-form"' not in page and 'id="collectives-table"' in page
    page = _back(client.post(PORTAL + "collectives/", {f"c{group.pk}-self_level": _unit("good")}), PORTAL)
    assert "không sửa được nữa" in page
    assert not CollectiveRating.objects.exists()


def test_each_leader_shows_whether_his_self_assessment_is_in_the_file(client, boards, submissions, secretary_nhat_tien):
    (group, head, deputy), _second = boards
    pdf_document_stored(
        SelfAssessmentDocument,
        "tu-kiem-diem.pdf",
        submission=submissions["BS-NHAT-TIEN"],
        member=head,
        form="2B",
        uploaded_by=secretary_nhat_tien,
    )
    client.force_login(secretary_nhat_tien)
    page = client.get(PORTAL).content.decode()
    table = page[page.index('id="leaders-table"') :]
    head_row = table[table.index(f'data-row="l{head.pk}-{group.pk}"') :]
    deputy_row = table[table.index(f'data-row="l{deputy.pk}-{group.pk}"') :]
    assert head_row.index("Đã tải lên") < head_row.index("</tr>")
    assert deputy_row.index("Chưa tải lên") < deputy_row.index("</tr>")
    link = f'<a href="?leader={deputy.pk}#self-assessment-form">'
    assert link in deputy_row[: deputy_row.index("</tr>")]


def test_the_upload_link_of_a_leader_preselects_him_in_the_self_assessment_form(
    client, boards, tree, secretary_nhat_tien
):
    (_group, _head, deputy), _second = boards
    client.force_login(secretary_nhat_tien)

    def selected(query):
        page = client.get(PORTAL + query).content.decode()
        form = page[page.index('id="self-assessment-form"') :]
        form = form[: form.index("</form>")]
        return [line for line in form.split("<option") if "selected" in line and 'value=""' not in line]

    chosen = selected(f"?leader={deputy.pk}")
    assert len(chosen) == 1 and f'value="{deputy.pk}"' in chosen[0]
    # A member of another commune, or anything else, pre-selects nobody.
    ((_other, other_head, _d),) = _boards(tree["BS-DONG-Y"], count=1)
    assert selected(f"?leader={other_head.pk}") == []
    assert selected("?leader=abc") == []


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona, url", [("secretary_nhat_tien", PORTAL), ("officer", REVIEW)])
def test_both_pages_cost_the_same_queries_with_many_collectives_and_leaders(
    client, request, tree, boards, persona, url, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(persona))
    few = _queries(client, url)
    more = _boards(tree["BS-NHAT-TIEN"], count=4, first=2)
    for group, head, deputy in more:
        collective_rated(group, 2025, None, self_level=level(SCHEME, "unit", "good"))
        for member in (head, deputy):
            LeaderRating.objects.create(
                member=member, collective=group, year=2025, self_level=level(SCHEME, "member", "good")
            )
    with django_assert_max_num_queries(few):
        page = client.get(url).content.decode()
    assert page.count("data-row=") == 6 + 12
    assert all(head.full_name in page for _group, head, _deputy in more)


def test_a_commune_without_collectives_says_so(client, submissions, secretary_nhat_tien):
    client.force_login(secretary_nhat_tien)
    page = client.get(PORTAL).content.decode()
    assert 'id="leadership-none"' in page and 'id="collectives-form"' not in page
    assert client.post(PORTAL + "collectives/", {}).status_code == 302


def test_an_officer_may_not_write_the_self_assessment_on_the_portal(client, boards, officer):
    group = boards[0][0]
    client.force_login(officer)
    assert client.post(PORTAL + "collectives/", {f"c{group.pk}-self_level": _unit("good")}).status_code == 403
    assert not CollectiveRating.objects.exists()


def test_a_year_not_scored_asks_only_the_levels(client, officer, tree, secretary_nhat_tien):
    year_opened(officer=officer, tree=tree, year=2019)
    (group, head, _deputy), _second = _boards(tree["BS-NHAT-TIEN"])
    client.force_login(secretary_nhat_tien)
    page = client.get("/portal/BS-NHAT-TIEN/2019/").content.decode()
    assert f'name="c{group.pk}-self_level"' in page and "self_score" not in page and "tasks_assigned" not in page
    response = client.post(
        "/portal/BS-NHAT-TIEN/2019/leaders/",
        {f"l{head.pk}-{group.pk}-self_level": level("qd132-2018", "member", "good").pk},
    )
    assert response.status_code == 302
    assert LeaderRating.objects.get().self_level.code == "good"
    client.force_login(officer)
    page = client.get("/review/BS-NHAT-TIEN/2019/").content.decode()
    assert f'name="c{group.pk}-level"' in page and f'name="c{group.pk}-score"' not in page


def test_the_file_is_sent_only_once_the_collectives_and_leaders_have_their_self_levels(
    client, boards, submissions, tree, secretary_nhat_tien
):
    from assessments.models import MemberAssessment, Submission, SubmissionStatus
    from tests.cycle_factories import members_rated, submission_ready

    submission = submissions["BS-NHAT-TIEN"]
    members_rated(tree["BS-NHAT-TIEN-01"], 2025, SCHEME, ["good"])
    for _group, *leaders in boards:  # the leaders are the commune's members too, rated as such
        for member in leaders:
            MemberAssessment.objects.create(
                member=member, organization=tree["BS-NHAT-TIEN"], year=2025, level=level(SCHEME, "member", "good")
            )
    submission_ready(
        submission=submission, secretary=secretary_nhat_tien, scheme=SCHEME, self_level="good", cell_level="good"
    )
    client.force_login(secretary_nhat_tien)
    page = client.get(PORTAL).content.decode()
    assert "Tự đánh giá của tập thể, cá nhân lãnh đạo, quản lý" in page
    assert "Đã tự đánh giá 0/2 tập thể và 0/4 cá nhân." in page
    client.post(PORTAL + "submit/")
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.DRAFT
    (first, first_head, first_deputy), (second, second_head, second_deputy) = boards
    for group in (first, second):
        CollectiveRating.objects.create(collective=group, year=2025, self_level=level(SCHEME, "unit", "good"))
    for member, group in ((first_head, first), (first_deputy, first), (second_head, second)):
        LeaderRating.objects.create(
            member=member, collective=group, year=2025, self_level=level(SCHEME, "member", "good")
        )
    assert "Đã tự đánh giá 2/2 tập thể và 3/4 cá nhân." in client.get(PORTAL).content.decode()
    client.post(PORTAL + "submit/")
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.DRAFT
    LeaderRating.objects.create(
        member=second_deputy, collective=second, year=2025, self_level=level(SCHEME, "member", "good")
    )
    client.post(PORTAL + "submit/")
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.SUBMITTED


def test_before_leadership_ratings_the_checklist_does_not_ask_for_them(officer, tree):
    """2017 (HD 27) rated no collectives or leaders: a commune's recorded collectives add no step to its file."""
    from assessments.cycle.rules import submission_checklist

    submission = year_opened(officer=officer, tree=tree, year=2017)["BS-NHAT-TIEN"]
    _boards(tree["BS-NHAT-TIEN"])
    assert "leadership" not in {item.code for item in submission_checklist(submission=submission)}
    later = year_opened(officer=officer, tree=tree, year=2025)["BS-NHAT-TIEN"]
    assert "leadership" in {item.code for item in submission_checklist(submission=later)}


def test_a_finalized_file_closes_the_officers_leadership_decisions_until_reopened(client, boards, officer, submissions):
    (group, *_), _second = boards
    collective_rated(group, 2025, None, self_level=level(SCHEME, "unit", "good"))
    submission = submissions["BS-NHAT-TIEN"]
    Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.FINALIZED)
    row = {
        "appraisal_level": _unit("good"),
        "level": _unit("good"),
        "score": "81",
        "decision_ref": "15-QĐ/HU",
        "decided_on": "2026-01-12",
    }
    posted = {f"c{group.pk}-{k}": v for k, v in row.items()}
    client.force_login(officer)
    page = client.get(REVIEW).content.decode()
    assert 'id="leadership-closed"' in page and 'id="collectives-form"' not in page
    assert 'id="collectives-table"' in page
    page = _back(client.post(REVIEW + "collectives/", posted), REVIEW)
    assert "Hồ sơ đã chốt kết quả: mở lại hồ sơ trước khi sửa" in page
    assert CollectiveRating.objects.get().level is None
    # A quarter is closed with the year's file too; reopened, the decisions are open again.
    assert 'id="leadership-closed"' in client.get(REVIEW + "?period=Q1").content.decode()
    Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.SUBMITTED)
    page = client.get(REVIEW).content.decode()
    assert 'id="leadership-closed"' not in page and 'id="collectives-form"' in page
    _back(client.post(REVIEW + "collectives/", posted), REVIEW)
    assert CollectiveRating.objects.get().level.code == "good"
