"""A unit that does not exist in a year (dissolved earlier that year): its summary never stays stale, and the API and
the `summary` command answer the same for it, whether tasks run in-process or on a real worker."""

import datetime
import json
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F

from assessments import services
from assessments.models import Kind, MemberAssessment, Organization, Role, Sector, Summary
from assessments.selectors import summary_read
from assessments.summaries import recompute as summaries
from assessments.summaries import tasks
from bacson.celery import app as celery_app
from tests.factories import MemberFactory, OrganizationFactory, UserFactory, level, province_and_district
from tests.real_services import Worker, needs_postgres_and_redis, process_env, redis_queues_clear, wait_until
from tests.summary_reference import recount, without_freshness

YEAR = 2017


def _district() -> dict[str, Organization]:
    """LS > BS > a commune with one cell, and a cell dissolved on 30 June of YEAR with members rated there in YEAR-1."""
    ls, bs = province_and_district()
    commune = OrganizationFactory(
        code="BS-XA", kind=Kind.GRASSROOTS_COMMITTEE, sector=Sector.COMMUNE, parent=bs, name="Đảng bộ xã Mới"
    )
    cell = OrganizationFactory(code="BS-XA-01", kind=Kind.CELL, sector=Sector.COMMUNE, parent=commune)
    gone = OrganizationFactory(
        code="BS-GIAI-THE",
        name="Chi bộ Giải Thể",
        kind=Kind.GRASSROOTS_CELL,
        sector=Sector.AGENCY,
        parent=bs,
        valid_to=datetime.date(YEAR, 6, 30),
    )
    for _ in range(3):
        MemberFactory(organization=cell)
    return {"LS": ls, "BS": bs, "BS-XA": commune, "BS-XA-01": cell, "BS-GIAI-THE": gone}


def _touch(orgs: dict[str, Organization]) -> None:
    """What an import does: one transaction that rates members and touches the dissolved unit's year."""
    with transaction.atomic():
        for member in orgs["BS-XA-01"].members.all():
            services.member_assessment_save(
                assessment=MemberAssessment(
                    member=member, year=YEAR, organization=orgs["BS-XA-01"], level=level("hd27-2014", "member", "good")
                ),
                actor=None,
            )
        # The importer signals every organization its rows concern, the dissolved one included.
        tasks.summaries_changed(organization_ids=[orgs["BS-GIAI-THE"].pk], years=[YEAR])


def _stale() -> list[str]:
    rows = Summary.objects.exclude(version=F("computed_version")).select_related("organization")
    return sorted(f"{row.organization.code}/{row.year}" for row in rows)


def _answers(client, officer, code: str) -> tuple[int, dict | None, dict | None]:
    client.force_login(officer)
    response = client.get(f"/api/v1/organizations/{code}/summary/{YEAR}/")
    out = StringIO()
    try:
        call_command("summary", code, str(YEAR), stdout=out)
        command = json.loads(out.getvalue())
    except Exception as error:  # CommandError: the command's answer is its message
        command = {"error": str(error)}
    return response.status_code, (response.json() if response.status_code == 200 else None), command


@pytest.fixture
def officer_and_district(db):
    orgs = _district()
    return UserFactory(username="binh", role=Role.OFFICER, organization=orgs["BS"]), orgs


def _zeros(data: dict) -> bool:
    counts = [data["units"]["total"], data["units"]["rated"], data["members"]["total"], data["members"]["rated"]]
    by_level = [*data["units"]["by_level"].values(), *data["members"]["by_level"].values()]
    return not any(counts) and not any(by_level)


@pytest.mark.django_db
def test_a_unit_dissolved_earlier_in_the_year_reads_fresh_zeros_before_and_after_the_worker_runs(
    eager_tasks, client, officer_and_district, django_capture_on_commit_callbacks
):
    officer, orgs = officer_and_district
    summaries.summaries_recompute_year(year=YEAR)
    # The import commits; its recompute is queued but no worker has taken it yet (or the worker was lost).
    with mock.patch.object(tasks, "_enqueue"):
        _touch(orgs)
    assert "BS-GIAI-THE/2017" in _stale()
    status, api, command = _answers(client, officer, "BS-GIAI-THE")
    assert status == 200 and api == command
    assert api["stale"] is False and _zeros(api)
    # The worker runs: the stored rows end fresh and the answers do not change.
    summaries.summaries_reconcile()
    assert _stale() == []
    status, after, command = _answers(client, officer, "BS-GIAI-THE")
    assert status == 200 and after == command and without_freshness(after) == without_freshness(api)
    assert after["stale"] is False


@pytest.mark.django_db
def test_a_unit_founded_after_the_year_reads_fresh_zeros_without_any_stored_row(
    eager_tasks, client, officer_and_district
):
    officer, orgs = officer_and_district
    summaries.summaries_recompute_year(year=YEAR)
    OrganizationFactory(
        code="BS-MOI", kind=Kind.GRASSROOTS_CELL, parent=orgs["BS"], valid_from=datetime.date(2019, 1, 1)
    )
    status, api, command = _answers(client, officer, "BS-MOI")
    assert status == 200 and api == command
    assert api["stale"] is False and _zeros(api)


@pytest.mark.django_db
def test_an_existing_unit_whose_row_was_never_created_is_counted_by_the_reconciliation(
    eager_tasks, client, officer_and_district
):
    officer, orgs = officer_and_district
    summaries.summaries_recompute_year(year=YEAR)
    # Created behind the services' back (a raw save sends no signal): no row, so it reads "not computed yet".
    late = Organization(
        code="BS-XA-02", name="Chi bộ thôn 2", kind=Kind.CELL, sector=Sector.COMMUNE, parent=orgs["BS-XA"]
    )
    late.save()
    MemberAssessment.objects.create(
        member=MemberFactory(organization=late),
        year=YEAR,
        organization=late,
        level=level("hd27-2014", "member", "good"),
    )
    assert summary_read(organization=late, year=YEAR)["stale"] is True
    summaries.summaries_reconcile()
    read = summary_read(organization=late, year=YEAR)
    assert read["stale"] is False and read["members"]["total"] == 1
    assert without_freshness(read) == recount(late, YEAR)


@pytest.mark.integration
@needs_postgres_and_redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_a_real_worker_a_dissolved_units_summary_does_not_stay_stale(client, tmp_path):
    orgs = _district()
    officer = UserFactory(username="binh", role=Role.OFFICER, organization=orgs["BS"])
    summaries.summaries_recompute_year(year=YEAR)
    redis_queues_clear()
    worker = Worker(process_env(), tmp_path / "worker.log", "absent-test")
    try:
        eager = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = False
        try:
            _touch(orgs)
        finally:
            celery_app.conf.task_always_eager = eager
        wait_until(lambda: _stale() == [], 60, f"every summary fresh: {_stale()} {worker.text()[-3000:]}")
    finally:
        worker.stop()
    status, api, command = _answers(client, officer, "BS-GIAI-THE")
    assert status == 200 and api == command and api["stale"] is False and _zeros(api)
