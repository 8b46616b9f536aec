"""Stored summaries: the counting, every ancestor, staleness, coalescing, the API, the commands, the admin."""

import datetime
import json
import logging
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken
from kombu.exceptions import OperationalError as BrokerDown

from assessments import demo, services
from assessments.models import (
    Kind,
    Member,
    MemberAssessment,
    NotRatedReason,
    Organization,
    RatingLevel,
    Sector,
    Summary,
    UnitAssessment,
)
from assessments.selectors import summaries_read, summary_read
from assessments.summaries import recompute as summaries
from assessments.summaries import tasks
from bacson.celery import app as celery_app
from tests.factories import MemberFactory, OrganizationFactory, level
from tests.summary_reference import recount, without_freshness

# Tasks run in-process even when CI configures a broker.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def rate_member(member, year, code=None, reason=""):
    scheme = "hd27-2014" if year <= 2017 else "qd132-2018"
    assessment = MemberAssessment.objects.filter(member=member, year=year).first() or MemberAssessment(
        member=member, year=year, organization=member.organization
    )
    assessment.level = level(scheme, "member", code) if code else None
    assessment.not_rated_reason = reason
    return services.member_assessment_save(assessment=assessment, actor=None)


def rate_unit(organization, year, code=None, exemplary=False, reason=""):
    scheme = "hd27-2014" if year <= 2017 else "qd132-2018"
    assessment = UnitAssessment.objects.filter(organization=organization, year=year).first() or UnitAssessment(
        organization=organization, year=year
    )
    assessment.level = level(scheme, "unit", code) if code else None
    assessment.exemplary = exemplary
    assessment.not_rated_reason = reason
    return services.unit_assessment_save(assessment=assessment, actor=None)


def read(org, year):
    return summary_read(organization=org, year=year)


# --- counting --------------------------------------------------------------------------------------------------


def test_units_are_those_directly_under_existing_on_31_december(tree):
    bs = tree["BS"]
    founded_last_day = OrganizationFactory(
        code="BS-MOI", kind=Kind.GRASSROOTS_CELL, parent=bs, valid_from=datetime.date(2017, 12, 31)
    )
    OrganizationFactory(code="BS-2018", kind=Kind.GRASSROOTS_CELL, parent=bs, valid_from=datetime.date(2018, 1, 1))
    dissolved_last_day = OrganizationFactory(
        code="BS-GIAI-THE", kind=Kind.GRASSROOTS_CELL, parent=bs, valid_to=datetime.date(2017, 12, 31)
    )
    OrganizationFactory(
        code="BS-GIAI-THE-SOM", kind=Kind.GRASSROOTS_CELL, parent=bs, valid_to=datetime.date(2017, 12, 30)
    )
    rate_unit(tree["BS-DONG-Y"], 2017, "clean_strong", exemplary=True)
    rate_unit(tree["BS-NHAT-TIEN"], 2017, "completed")
    rate_unit(dissolved_last_day, 2017, "good")
    rate_unit(founded_last_day, 2017, reason=NotRatedReason.FOUNDED_RECENTLY)

    summaries.summaries_recompute_year(year=2017)

    units = read(bs, 2017)["units"]
    assert units == {
        "total": 4,
        "rated": 3,
        "not_rated": 1,
        "by_level": {"clean_strong": 1, "good": 1, "completed": 1, "weak": 0},
        "exemplary": 1,
    }
    summaries.summaries_recompute_year(year=2018)
    assert read(bs, 2018)["units"]["total"] == 4  # Đồng Ý, Nhất Tiến, founded 31/12/2017, founded 1/1/2018


def test_members_include_not_rated_and_roll_up_to_every_ancestor(tree, members):
    cell = tree["BS-DONG-Y-01"]
    in_cell = [m for m in members if m.organization == cell]
    rate_member(in_cell[0], 2017, "excellent")
    rate_member(in_cell[1], 2017, "completed")
    rate_member(in_cell[2], 2017, reason=NotRatedReason.EXEMPT)
    other = next(m for m in members if m.organization == tree["BS-NHAT-TIEN-02"])
    rate_member(other, 2017, "good")

    summaries.summaries_recompute_year(year=2017)

    assert read(cell, 2017)["members"] == {
        "total": 3,
        "rated": 2,
        "not_rated": 1,
        "by_level": {"excellent": 1, "good": 0, "completed": 1, "not_completed": 0},
        "good_or_better": 1,
        "not_assessed": 1,
        "not_yet_rated": 0,
        "no_result": 0,
    }
    assert read(tree["BS-DONG-Y"], 2017)["members"]["total"] == 3
    for code in ("BS", "LS"):
        members_summary = read(tree[code], 2017)["members"]
        assert (members_summary["total"], members_summary["rated"], members_summary["good_or_better"]) == (4, 3, 2)
    assert read(tree["BS-NHAT-TIEN-01"], 2017)["members"]["total"] == 0


def test_levels_follow_the_scheme_of_the_year_2017_then_2018(tree, members):
    rate_unit(tree["BS-DONG-Y"], 2017, "clean_strong")
    rate_unit(tree["BS-DONG-Y"], 2018, "excellent")
    rate_member(members[0], 2017, "good")
    rate_member(members[0], 2018, "excellent")
    for year in (2017, 2018):
        summaries.summaries_recompute_year(year=year)

    y2017, y2018 = read(tree["BS"], 2017), read(tree["BS"], 2018)
    assert y2017["scheme"] == "hd27-2014"
    assert list(y2017["units"]["by_level"]) == ["clean_strong", "good", "completed", "weak"]
    assert y2017["units"]["by_level"]["clean_strong"] == 1
    assert y2018["scheme"] == "qd132-2018"
    assert list(y2018["units"]["by_level"]) == ["excellent", "good", "completed", "not_completed"]
    assert y2018["units"]["by_level"]["excellent"] == 1
    assert y2017["members"]["by_level"]["good"] == 1 and y2018["members"]["by_level"]["excellent"] == 1


def test_year_without_scheme_has_no_summary(tree):
    assert read(tree["BS"], 2013) is None


def test_incremental_and_full_recompute_equal_a_naive_recount(tree, members):
    codes = ["excellent", "good", "completed", "not_completed", None]
    for i, member in enumerate(members):
        rate_member(member, 2017, codes[i % 5], reason="" if codes[i % 5] else NotRatedReason.SUSPENDED)
    rate_unit(tree["BS-DONG-Y"], 2017, "weak")
    rate_unit(tree["BS-DONG-Y-01"], 2017, "good")

    summaries.summaries_recompute(organization_ids=[tree["BS-DONG-Y-01"].pk], year=2017)
    for code in ("BS-DONG-Y-01", "BS-DONG-Y", "BS", "LS"):
        assert without_freshness(read(tree[code], 2017)) == recount(tree[code], 2017), code

    summaries.summaries_recompute_year(year=2017)
    for org in Organization.objects.all():
        assert without_freshness(read(org, 2017)) == recount(org, 2017), org.code


def test_full_recompute_runs_the_same_number_of_queries_for_a_bigger_tree(tree, members):
    for member in members:
        rate_member(member, 2017, "good")
    Summary.objects.all().delete()
    with CaptureQueriesContext(connection) as small:
        summaries.summaries_recompute_year(year=2017)
    for i in range(30):
        commune = OrganizationFactory(code=f"BS-XA-{i}", kind=Kind.GRASSROOTS_COMMITTEE, parent=tree["BS"])
        cell = OrganizationFactory(code=f"BS-XA-{i}-01", kind=Kind.CELL, parent=commune)
        rate_member(MemberFactory(organization=cell), 2017, "excellent")
        rate_unit(commune, 2017, "good")
    Summary.objects.all().delete()  # both runs create every row
    with CaptureQueriesContext(connection) as big:
        summaries.summaries_recompute_year(year=2017)
    assert len(big.captured_queries) == len(small.captured_queries)
    assert Summary.objects.filter(year=2017).count() == Organization.objects.count()


# --- freshness, every ancestor, coalescing ---------------------------------------------------------------------


def test_rating_saved_marks_cell_and_every_ancestor_stale_until_the_task_runs(
    tree, members, django_capture_on_commit_callbacks
):
    summaries.summaries_recompute_year(year=2017)
    member = members[0]  # in BS-DONG-Y-01
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rate_member(member, 2017, "excellent")
    chain = ["BS-DONG-Y-01", "BS-DONG-Y", "BS", "LS"]
    assert all(read(tree[code], 2017)["stale"] for code in chain)
    assert not read(tree["BS-NHAT-TIEN"], 2017)["stale"]
    assert read(tree["BS"], 2017)["members"]["total"] == 0  # reads never wait for the worker

    for callback in callbacks:
        callback()
    for code in chain:
        data = read(tree[code], 2017)
        assert not data["stale"], code
        assert data["members"]["by_level"]["excellent"] == 1, code


def test_reading_a_summary_is_one_query(tree, django_assert_num_queries):
    summaries.summaries_recompute_year(year=2017)
    with django_assert_num_queries(1):
        read(tree["BS"], 2017)


def test_thousand_member_ratings_for_a_commune_recompute_each_organization_once(
    tree, django_capture_on_commit_callbacks
):
    cells = [tree["BS-NHAT-TIEN-01"], tree["BS-NHAT-TIEN-02"]]
    Member.objects.bulk_create(
        [
            Member(card_number=f"9{i:05d}", full_name=f"Đảng viên {i}", status="official", organization=cells[i % 2])
            for i in range(1000)
        ]
    )
    recomputed: list[tuple[tuple[int, ...], int]] = []
    real = summaries.summaries_recompute

    def spy(*, organization_ids, year, with_ancestors=True, period=""):
        recomputed.append((tuple(sorted(organization_ids)), year))
        return real(organization_ids=organization_ids, year=year, with_ancestors=with_ancestors, period=period)

    with mock.patch.object(summaries, "summaries_recompute", spy), django_capture_on_commit_callbacks(execute=True):
        for i, member in enumerate(Member.objects.order_by("card_number")):  # one import transaction
            rate_member(member, 2017, "good" if i % 10 else "excellent")

    expected = tuple(sorted(o.pk for o in [*cells, tree["BS-NHAT-TIEN"], tree["BS"], tree["LS"]]))
    assert recomputed == [(expected, 2017)]
    summary = read(tree["BS"], 2017)
    assert summary["members"]["good_or_better"] == 1000 and not summary["stale"]


def test_commits_while_a_task_is_queued_coalesce_and_a_commit_during_a_run_queues_one_more(
    tree, members, django_capture_on_commit_callbacks
):
    celery_app.conf.task_always_eager = False
    queued = []
    with mock.patch.object(tasks.summaries_recompute_task, "delay", side_effect=lambda *a: queued.append(a)):
        for member in members[:3]:  # three transactions, same cell
            with django_capture_on_commit_callbacks(execute=True):
                rate_member(member, 2017, "good")
        assert len(queued) == 1  # one task queued for the cell and its ancestors

        ids, year = queued[0]
        real = summaries.summaries_recompute

        def run_with_a_concurrent_commit(**kwargs):
            # The task has released its keys; this change commits before the task reads the database.
            with django_capture_on_commit_callbacks(execute=True):
                rate_member(members[0], 2017, "not_completed")
            return real(**kwargs)

        with mock.patch.object(summaries, "summaries_recompute", run_with_a_concurrent_commit):
            tasks.summaries_recompute_task.run(ids, year)
        assert len(queued) == 2 and queued[1] == queued[0]  # one more run, for the same organizations

    tasks.summaries_recompute_task.run(*queued[1])
    data = read(tree["BS"], 2017)
    assert not data["stale"]
    assert data["members"]["by_level"] == {"excellent": 0, "good": 2, "completed": 0, "not_completed": 1}


def test_saving_succeeds_when_the_broker_is_down_and_reconciliation_repairs(
    tree, members, django_capture_on_commit_callbacks, caplog
):
    summaries.summaries_recompute_year(year=2017)
    celery_app.conf.task_always_eager = False
    broker_down = mock.patch.object(tasks.summaries_recompute_task, "delay", side_effect=BrokerDown("Redis is down"))
    warnings = caplog.at_level(logging.WARNING, logger="assessments.summaries.tasks")
    with broker_down, warnings, django_capture_on_commit_callbacks(execute=True):
        rate_member(members[0], 2017, "good")
    assert MemberAssessment.objects.filter(member=members[0], year=2017).exists()
    assert "Could not queue the summary recompute" in caplog.text
    assert read(tree["BS"], 2017)["stale"]

    tasks.summaries_reconcile_task.run()
    data = read(tree["BS"], 2017)
    assert not data["stale"] and data["members"]["rated"] == 1


def test_reconciliation_summarizes_years_loaded_without_signals(tree, members):
    MemberAssessment.objects.bulk_create(
        [
            MemberAssessment(
                member=m, year=2016, organization=m.organization, level=level("hd27-2014", "member", "good")
            )
            for m in members
        ]
    )
    summaries.summaries_reconcile()
    assert without_freshness(read(tree["LS"], 2016)) == recount(tree["LS"], 2016)
    assert not read(tree["LS"], 2016)["stale"]


def test_beat_schedule_runs_the_reconciliation(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["summaries-reconcile"]
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"] > 0


def test_moving_a_cell_recomputes_both_communes(tree, members, django_capture_on_commit_callbacks):
    for member in members:
        rate_member(member, 2017, "good")
    summaries.summaries_recompute_year(year=2017)
    cell = tree["BS-DONG-Y-02"]
    cell.parent = tree["BS-NHAT-TIEN"]
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_save(organization=cell, actor=None)
    assert read(tree["BS-DONG-Y"], 2017)["members"]["total"] == 3
    assert read(tree["BS-NHAT-TIEN"], 2017)["members"]["total"] == 9
    assert read(tree["BS-NHAT-TIEN"], 2017)["units"]["total"] == 3
    assert not read(tree["BS-DONG-Y"], 2017)["stale"]


def test_demo_bulk_load_leaves_every_summary_exact_and_fresh(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demo.demo_load()  # bulk upserts, then one signal for all organizations and years
    bs = Organization.objects.get(code="BS")
    data = read(bs, 2017)
    assert not data["stale"]
    assert data["units"]["total"] == 55 and data["units"]["by_level"]["clean_strong"] == 33
    assert round(100 * data["members"]["good_or_better"] / data["members"]["rated"]) == 85
    for code in ("LS", "BS", "BS-DONG-Y", "BS-NHAT-TIEN"):
        for year in (2016, 2017, 2018):
            org = Organization.objects.get(code=code)
            assert without_freshness(read(org, year)) == recount(org, year), (code, year)


# --- admin paths -----------------------------------------------------------------------------------------------


def test_admin_change_and_delete_of_a_rating_recompute_summaries(
    client, admin_user, tree, members, django_capture_on_commit_callbacks
):
    assessment = rate_member(members[0], 2017, "good")
    summaries.summaries_recompute_year(year=2017)
    client.force_login(admin_user)
    url = f"/admin/assessments/memberassessment/{assessment.pk}/change/"
    form = {
        "member": members[0].pk,
        "year": 2017,
        "organization": members[0].organization_id,
        "level": level("hd27-2014", "member", "not_completed").pk,
        "not_rated_reason": "",
        "note": "",
        "change_reason": "Sửa theo biên bản kiểm phiếu",  # the admin asks why a rating changes (issue 18)
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert read(tree["BS"], 2017)["members"]["by_level"]["not_completed"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/assessments/memberassessment/{assessment.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    data = read(tree["BS"], 2017)
    assert data["members"]["total"] == 0 and not data["stale"]


def test_admin_edit_of_a_scheme_level_recomputes_every_year(tree, members, django_capture_on_commit_callbacks):
    rate_member(members[0], 2017, "good")
    summaries.summaries_recompute_year(year=2017)
    good = RatingLevel.objects.get(scheme__code="hd27-2014", subject="member", code="good")
    good.is_good_or_better = False  # a correction made in the admin
    with django_capture_on_commit_callbacks(execute=True):
        good.save()
    data = read(tree["BS"], 2017)
    assert data["members"]["good_or_better"] == 0 and not data["stale"]


def test_summary_admin_is_read_only(client, admin_user, tree):
    summaries.summaries_recompute_year(year=2017)
    client.force_login(admin_user)
    assert client.get("/admin/assessments/summary/").status_code == 200
    assert client.get("/admin/assessments/summary/add/").status_code == 403
    row = Summary.objects.get(organization=tree["BS"], year=2017)
    page = client.get(f"/admin/assessments/summary/{row.pk}/change/")
    # Shown read-only, in Vietnamese; the comparison column kept by the database is not shown.
    assert page.status_code == 200 and "số đảng viên" in page.content.decode().lower()
    assert "levels_text" not in page.content.decode()


# --- API -------------------------------------------------------------------------------------------------------


def test_api_returns_the_summary_contract(client, officer, tree, members):
    rate_unit(tree["BS-DONG-Y"], 2017, "clean_strong", exemplary=True)
    rate_member(members[0], 2017, "excellent")
    summaries.summaries_recompute_year(year=2017)
    client.force_login(officer)
    response = client.get("/api/v1/organizations/BS/summary/2017/")
    assert response.status_code == 200
    data = response.json()
    assert list(data) == [
        "organization", "name", "year", "scheme", "units", "members", "collectives", "leaders", "computed_at", "stale",
    ]  # fmt: skip
    assert data["organization"] == "BS" and data["name"] == "Đảng bộ huyện Bắc Sơn" and data["year"] == 2017
    assert data["units"] == {
        "total": 2,
        "rated": 1,
        "not_rated": 1,
        "by_level": {"clean_strong": 1, "good": 0, "completed": 0, "weak": 0},
        "exemplary": 1,
    }
    assert data["members"]["by_level"] == {"excellent": 1, "good": 0, "completed": 0, "not_completed": 0}
    assert data["computed_at"].endswith("+07:00") and data["stale"] is False
    assert "Đảng bộ huyện Bắc Sơn".encode() in response.content  # UTF-8, not \\u escapes


def test_api_accepts_a_token(client, officer, tree):
    _token, key = AuthToken.objects.create(user=officer)
    response = client.get("/api/v1/organizations/BS/summary/2017/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200 and response.json()["stale"] is True  # never computed yet


def test_anonymous_cannot_read_a_summary(client, tree):
    assert client.get("/api/v1/organizations/BS/summary/2017/").status_code in (401, 403)


def test_secretary_of_dong_y_gets_404_for_nhat_tien(client, secretary_dong_y, tree):
    summaries.summaries_recompute_year(year=2017)
    client.force_login(secretary_dong_y)
    assert client.get("/api/v1/organizations/BS-DONG-Y/summary/2017/").status_code == 200
    for code in ("BS-NHAT-TIEN", "BS-NHAT-TIEN-01", "BS", "LS"):
        assert client.get(f"/api/v1/organizations/{code}/summary/2017/").status_code == 404, code


def test_api_answers_404_for_unknown_code_and_year_without_scheme(client, officer, tree):
    client.force_login(officer)
    assert client.get("/api/v1/organizations/KHONG-CO/summary/2017/").status_code == 404
    assert client.get("/api/v1/organizations/BS/summary/2013/").status_code == 404


def test_api_summary_reads_in_a_fixed_number_of_queries(client, officer, tree, django_assert_max_num_queries):
    summaries.summaries_recompute_year(year=2017)
    client.force_login(officer)
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/organizations/BS/summary/2017/").status_code == 200


# --- commands --------------------------------------------------------------------------------------------------


def test_summary_command_prints_the_same_json_as_the_api(client, officer, tree, members):
    rate_member(members[0], 2017, "good")
    summaries.summaries_recompute_year(year=2017)
    out = StringIO()
    call_command("summary", "BS", "2017", stdout=out)
    client.force_login(officer)
    assert json.loads(out.getvalue()) == client.get("/api/v1/organizations/BS/summary/2017/").json()


@pytest.mark.parametrize(("code", "year", "message"), [("KHONG-CO", "2017", "KHONG-CO"), ("BS", "2013", "2013")])
def test_summary_command_exits_1_for_unknown_code_or_year(tree, code, year, message):
    with pytest.raises(CommandError, match=message) as error:
        call_command("summary", code, year, stdout=StringIO())
    assert error.value.returncode == 1


def test_recompute_summaries_command_repairs_from_scratch(tree, members):
    rate_member(members[0], 2017, "good")  # callbacks never run: stale
    Summary.objects.filter(year=2017).update(members_total=999)  # and even corrupted
    out = StringIO()
    call_command("recompute_summaries", "--year", "2017", stdout=out)
    assert "2017" in out.getvalue()
    data = read(tree["BS"], 2017)
    assert not data["stale"] and without_freshness(data) == recount(tree["BS"], 2017)


def test_recompute_summaries_command_for_one_organization(tree, members):
    rate_member(members[0], 2017, "good")
    call_command("recompute_summaries", "--organization", "BS-DONG-Y", "--year", "2017", stdout=StringIO())
    for code in ("BS-DONG-Y-01", "BS-DONG-Y-02", "BS-DONG-Y", "BS", "LS"):
        assert not read(tree[code], 2017)["stale"], code
    with pytest.raises(CommandError, match="KHONG-CO"):
        call_command("recompute_summaries", "--organization", "KHONG-CO", stdout=StringIO())


def test_every_organization_of_a_sector_gets_a_summary(tree):
    OrganizationFactory(code="BS-TRUONG", kind=Kind.GRASSROOTS_CELL, sector=Sector.PUBLIC_SERVICE, parent=tree["BS"])
    summaries.summaries_recompute_year(year=2017)
    assert set(Summary.objects.filter(year=2017).values_list("organization__code", flat=True)) == set(
        Organization.objects.values_list("code", flat=True)
    )


def test_summaries_of_several_organizations_read_in_one_query(tree, django_assert_num_queries):
    summaries.summaries_recompute_year(year=2017)
    communes = Organization.objects.filter(parent=tree["BS"])
    with django_assert_num_queries(1):
        data = summaries_read(organizations=communes, year=2017)
    assert set(data) == {"BS-DONG-Y", "BS-NHAT-TIEN", "BS-CU"}
    assert data["BS-DONG-Y"] == read(tree["BS-DONG-Y"], 2017)
