"""The member ratings' update path (issue 19): on PostgreSQL one UPDATE ... FROM (VALUES ...) and one INSERT ... SELECT
of the history, elsewhere the ORM's bulk_update_with_history; either way the same stored rows and history rows."""

import io

import pytest
from django.core.management import call_command

from assessments.models import ImportRecord, MemberAssessment
from tests.importfiles import write_csv

pytestmark = pytest.mark.usefixtures("media")

HEADER = ["card_number", "year", "organization_code", "level", "not_rated_reason", "note", "sick_leave_months"]


def _import(path, user="dongy"):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_data", "member_ratings", str(path), "--user", user, stdout=out, stderr=err)
    except SystemExit as stop:
        assert stop.code == 0, err.getvalue()


def test_an_update_writes_the_ratings_and_one_history_row_each_as_the_user(members, secretary_dong_y, tmp_path):
    own = [m for m in members if m.organization.code.startswith("BS-DONG-Y")][:3]
    first = [[m.card_number, 2017, m.organization.code, "good", "", "", ""] for m in own]
    _import(write_csv(tmp_path, [HEADER, *first]))
    before = {a.member_id: a.updated_at for a in MemberAssessment.objects.all()}
    # A level up, a level dropped for a reason (the level goes NULL), a note and sick leave given (NULL to a value).
    second = [
        [own[0].card_number, 2017, own[0].organization.code, "excellent", "", "Gương mẫu", ""],
        [own[1].card_number, 2017, own[1].organization.code, "", "exempt", "", ""],
        [own[2].card_number, 2017, own[2].organization.code, "completed", "", "", "4"],
    ]
    _import(write_csv(tmp_path, [HEADER, *second]))

    rows = {a.member_id: a for a in MemberAssessment.objects.select_related("level")}
    assert (rows[own[0].pk].level.code, rows[own[0].pk].note) == ("excellent", "Gương mẫu")
    assert (rows[own[1].pk].level, rows[own[1].pk].not_rated_reason) == (None, "exempt")
    assert (rows[own[2].pk].level.code, rows[own[2].pk].sick_leave_months) == ("completed", 4)
    assert all(rows[pk].updated_at > before[pk] for pk in rows)
    for member in own:
        created, updated = MemberAssessment.history.filter(member_id=member.pk).order_by("history_id")
        stored = rows[member.pk]
        assert (created.history_type, updated.history_type) == ("+", "~")
        assert updated.history_user == secretary_dong_y
        # The reason names the import that changed it (the latest record), as for the created rows.
        assert updated.history_change_reason.endswith(f"(lần nhập {ImportRecord.objects.latest('pk').pk})")
        assert created.history_date <= updated.history_date
        # The history row is the stored row as written, field by field.
        for field in MemberAssessment.history.model.tracked_fields:
            assert getattr(updated, field.attname) == getattr(stored, field.attname), field.name


def test_a_scored_file_checks_every_score_against_its_item_scores_in_a_fixed_number_of_statements(
    tree, officer, tmp_path, django_assert_max_num_queries
):
    from assessments.models import ItemScore
    from tests.criteria_factories import criteria_set_make
    from tests.factories import MemberFactory
    from tests.importfiles import csv_imported

    criteria_set = criteria_set_make(tree["BS"], code="TC-DV", subject_group="members_outside")
    members = [MemberFactory(organization=tree["BS-DONG-Y-01"]) for _ in range(30)]
    for code, points in (("1.1", 14), ("2.1", 33)):
        ItemScore.objects.create(item=criteria_set.items.get(code=code), member=members[0], year=2025, score=points)
    header = ["card_number", "year", "organization_code", "level", "score"]
    rows = [[m.card_number, 2025, "BS-DONG-Y-01", "good", "80"] for m in members]
    # 30 rows, one with item scores that do not add up to its score: one grouped read of the sums, not 30.
    with django_assert_max_num_queries(25):
        result = csv_imported(tmp_path, "member_ratings", [header, *rows], user=officer, dry_run=True)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "score", "Điểm 80 khác tổng điểm các tiêu chí (47): điểm của bản xếp loại là tổng điểm các tiêu chí.")
    ]
    rows[0][3:] = ["not_completed", "47"]
    result = csv_imported(tmp_path, "member_ratings", [header, *rows], user=officer)
    assert result.ok, result.errors
    assert MemberAssessment.objects.get(member=members[0]).score == 47
