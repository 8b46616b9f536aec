"""Issue 16: the summary counts the leadership collectives of the subtree existing on 31 December and their leaders
(one per member and collective on that day), rated or not and by level, for the year and for a quarter; both
recompute paths (the SQL one on PostgreSQL) equal the naive recount, and leadership writes mark the summaries stale."""

import datetime

from django.urls import reverse
from rest_framework.test import APIClient

from assessments.models import CollectiveKind, CollectiveRating, Organization, Position, Title
from assessments.selectors import summary_read
from assessments.summaries import recompute as summaries
from tests.factories import MemberFactory
from tests.leadership.helpers import collective, collective_rated, leader, leader_rated
from tests.summary_reference import recount, without_freshness


def _leadership_2025(tree):
    """Đồng Ý: a standing board rated good with a secretary rated excellent and a deputy not rated, a party committee
    not rated, a board dissolved in 2024; Nhất Tiến: a people's committee rated excellent, in Q1 too, whose chair
    holds two posts there (one leader) and whose vice chair left in June."""
    dong_y, nhat_tien = tree["BS-DONG-Y"], tree["BS-NHAT-TIEN"]
    board = collective(dong_y)
    collective_rated(board, 2025, "good")
    secretary = leader(board)
    leader_rated(secretary, board, 2025, "excellent")
    leader(board, title=Title.DEPUTY_SECRETARY, heads=False)
    committee = collective(dong_y, kind=CollectiveKind.PARTY_COMMITTEE)
    collective_rated(committee, 2025, None)
    old = collective(dong_y, kind=CollectiveKind.FATHERLAND_FRONT, valid_to=datetime.date(2024, 6, 30))
    collective_rated(old, 2025, "good")
    people = collective(nhat_tien, kind=CollectiveKind.PEOPLES_COMMITTEE)
    collective_rated(people, 2025, "excellent")
    collective_rated(people, 2025, "completed", period="Q1")
    chair = leader(people, title=Title.CHAIR)
    leader(people, title=Title.MEMBER, heads=False, member=chair, start=datetime.date(2020, 1, 1))
    leader_rated(chair, people, 2025, "good")
    leader_rated(chair, people, 2025, "excellent", period="Q1")
    leader(people, title=Title.VICE_CHAIR, heads=False, end=datetime.date(2025, 6, 1))
    return board, people


def _blocks(org, period=""):
    data = summary_read(organization=org, year=2025, period=period)
    return data["collectives"], data["leaders"]


def _all_equal_recount(period=""):
    for org in Organization.objects.all():
        if org.exists_in(2025):
            stored = without_freshness(summary_read(organization=org, year=2025, period=period))
            assert stored == recount(org, 2025, period), (org.code, period)


def test_the_full_recompute_counts_collectives_and_leaders_like_a_direct_count(tree):
    _leadership_2025(tree)
    for period in ("", "Q1"):
        summaries.summaries_recompute_year(year=2025, period=period)
        _all_equal_recount(period)
    collectives, leaders = _blocks(tree["BS"])
    assert collectives == {
        "total": 3,
        "rated": 2,
        "not_rated": 1,
        "by_level": {"excellent": 1, "good": 1, "completed": 0, "not_completed": 0},
    }
    assert leaders == {
        "total": 3,
        "rated": 2,
        "not_rated": 1,
        "by_level": {"excellent": 1, "good": 1, "completed": 0, "not_completed": 0},
    }
    collectives, leaders = _blocks(tree["BS-NHAT-TIEN"], "Q1")
    assert (collectives["rated"], collectives["by_level"]["completed"]) == (1, 1)
    assert (leaders["total"], leaders["by_level"]["excellent"]) == (1, 1)
    assert _blocks(tree["BS-DONG-Y-01"])[0]["total"] == 0  # a cell below has no collective of its own


def test_the_per_organization_recompute_agrees_with_the_direct_count(tree):
    board, _people = _leadership_2025(tree)
    summaries.summaries_recompute_year(year=2025)
    deputy = Position.objects.get(collective=board, title=Title.DEPUTY_SECRETARY).member
    leader_rated(deputy, board, 2025, "completed")
    summaries.summaries_recompute(organization_ids=[tree["BS-DONG-Y"].pk], year=2025)
    assert _blocks(tree["BS"])[1]["rated"] == 3
    _all_equal_recount()


def test_an_import_recount_reads_fresh_children_as_stored_and_recounts_a_stale_one(tree):
    # The recount after one commune's import adds its siblings' stored counts when fresh; a sibling changed since
    # (stale) is counted from its rows, for the year and a quarter alike.
    board, people = _leadership_2025(tree)
    for period in ("", "Q1"):
        summaries.summaries_recompute_year(year=2025, period=period)
    deputy = Position.objects.get(collective=board, title=Title.DEPUTY_SECRETARY).member
    leader_rated(deputy, board, 2025, "completed")
    CollectiveRating.objects.filter(collective=people, year=2025, period="Q1").delete()
    for period in ("", "Q1"):
        summaries.summaries_recompute(organization_ids=[tree["BS-DONG-Y"].pk], year=2025, period=period)
    assert _blocks(tree["BS"])[1]["rated"] == 3
    # Nhất Tiến's Q1 rating deleted: its collective still counts in the district, now not rated.
    assert summary_read(organization=tree["BS-NHAT-TIEN"], year=2025, period="Q1")["stale"] is True
    assert (_blocks(tree["BS"], "Q1")[0]["total"], _blocks(tree["BS"], "Q1")[0]["rated"]) == (3, 0)
    for code in ("BS", "LS"):
        stored = without_freshness(summary_read(organization=tree[code], year=2025, period="Q1"))
        assert stored == recount(tree[code], 2025, "Q1"), code
    _all_equal_recount()


def test_leadership_writes_mark_the_summaries_stale_up_the_tree(tree):
    board, people = _leadership_2025(tree)
    summaries.summaries_recompute_year(year=2025)
    assert summary_read(organization=tree["LS"], year=2025)["stale"] is False

    CollectiveRating.objects.filter(collective=people, year=2025, period="").get().delete()
    assert summary_read(organization=tree["LS"], year=2025)["stale"] is True
    assert summary_read(organization=tree["BS-DONG-Y"], year=2025)["stale"] is False
    summaries.summaries_recompute_year(year=2025)
    assert _blocks(tree["BS"])[0]["rated"] == 1

    leader(board, title=Title.MEMBER, heads=False, member=MemberFactory(organization=tree["BS-DONG-Y"]))
    assert summary_read(organization=tree["BS-DONG-Y"], year=2025)["stale"] is True
    summaries.summaries_recompute_year(year=2025)
    assert _blocks(tree["BS-DONG-Y"])[1]["total"] == 3

    board.organization = tree["BS-NHAT-TIEN"]
    board.save()  # moved: both the old and the new commune recount it
    assert summary_read(organization=tree["BS-DONG-Y"], year=2025)["stale"] is True
    assert summary_read(organization=tree["BS-NHAT-TIEN"], year=2025)["stale"] is True
    summaries.summaries_recompute_year(year=2025)
    assert _blocks(tree["BS-DONG-Y"])[0]["total"] == 1
    _all_equal_recount()


def test_the_other_keys_of_the_summary_keep_their_shape(tree):
    summaries.summaries_recompute_year(year=2017)
    data = summary_read(organization=tree["BS"], year=2017)
    assert list(data) == [
        "organization",
        "name",
        "year",
        "scheme",
        "units",
        "members",
        "collectives",
        "leaders",
        "computed_at",
        "stale",
    ]
    assert list(data["units"]) == ["total", "rated", "not_rated", "by_level", "exemplary"]
    unit_codes = list(data["units"]["by_level"])
    assert data["collectives"] == {"total": 0, "rated": 0, "not_rated": 0, "by_level": dict.fromkeys(unit_codes, 0)}


def test_the_api_gives_the_collectives_and_leaders_blocks(tree, officer):
    _leadership_2025(tree)
    summaries.summaries_recompute_year(year=2025)
    client = APIClient()
    client.force_authenticate(officer)
    expected = summary_read(organization=tree["BS"], year=2025)
    body = client.get(reverse("api:organization-summary", args=("BS", 2025))).json()
    assert body["collectives"] == expected["collectives"] and body["leaders"] == expected["leaders"]
    assert body["leaders"]["by_level"]["excellent"] == 1
    row = tree["BS"].summaries.get(year=2025, period="")
    stored = client.get(reverse("api:summary-detail", args=(row.pk,))).json()
    assert stored["collectives"] == expected["collectives"] and stored["leaders"] == expected["leaders"]


def test_leadership_imports_mark_the_summaries_stale(tree, officer, tmp_path, settings):
    from assessments.importing import data_import
    from tests.importfiles import csv_bytes

    settings.MEDIA_ROOT = tmp_path / "media"
    board, _people = _leadership_2025(tree)
    summaries.summaries_recompute_year(year=2025)
    summaries.summaries_recompute_year(year=2025, period="Q1")

    def imported(data_type, rows):
        path = tmp_path / f"{data_type}.csv"
        path.write_bytes(csv_bytes(rows))
        with open(path, "rb") as handle:
            result = data_import(data_type=data_type, handle=handle, name=path.name, actor=officer, scope_user=officer)
        assert result.ok, [(e.row, e.column, e.message) for e in result.errors]

    imported(
        "collective_ratings",
        [["collective_code", "year", "period", "level", "score"], [board.code, 2025, "Q1", "excellent", "95"]],
    )
    assert summary_read(organization=tree["BS"], year=2025, period="Q1")["stale"] is True
    assert summary_read(organization=tree["BS"], year=2025)["stale"] is False  # only the quarter changed
    imported(
        "collectives",
        [
            ["code", "organization_code", "kind", "name", "valid_from", "valid_to"],
            ["NT-HDND", "BS-NHAT-TIEN", "peoples_council", "Thường trực HĐND xã Nhất Tiến", "2021-07-01", ""],
        ],
    )
    assert summary_read(organization=tree["BS-NHAT-TIEN"], year=2025)["stale"] is True
    for period in ("", "Q1"):
        summaries.summaries_recompute_year(year=2025, period=period)
        _all_equal_recount(period)
    quarter = _blocks(tree["BS"], "Q1")[0]
    assert (quarter["rated"], quarter["by_level"]["excellent"], quarter["by_level"]["completed"]) == (2, 1, 1)
