"""The yearly cycle as services: opening a year, the unit's file, review, checks, finalize, locks and reopen."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from assessments import services
from assessments.cycle import rules
from assessments.cycle import services as cycle_services
from assessments.models import (
    MemberAssessment,
    ReviewDocument,
    Submission,
    SubmissionStatus,
    UnitAssessment,
    YearCycle,
)
from assessments.rules import locks
from tests.cycle_factories import (
    docx_bytes,
    members_rated,
    pdf_bytes,
    submission_ready,
    upload,
    year_opened,
)
from tests.factories import OrganizationFactory, level, scores_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _messages(error: ValidationError) -> str:
    return " ".join(error.value.messages)


# --- opening a year -------------------------------------------------------------------------------------------------


def test_opening_a_year_takes_the_scheme_from_the_year_and_the_units_existing_at_year_end(officer, tree):
    OrganizationFactory(code="BS-MOI", kind="grassroots_cell", parent=tree["BS"], valid_from=datetime.date(2018, 3, 1))
    cycle = cycle_services.year_open(
        organization=tree["BS"], year=2017, deadline=datetime.date(2017, 12, 20), actor=officer
    )
    assert cycle.scheme.code == "hd27-2014"
    assert cycle.opened_by == officer
    codes = set(cycle.submissions.values_list("organization__code", flat=True))
    # BS-CU was dissolved in 2016, BS-MOI founded in 2018: neither is rated for 2017.
    assert codes == {"BS-DONG-Y", "BS-NHAT-TIEN"}
    assert set(cycle.submissions.values_list("status", flat=True)) == {SubmissionStatus.DRAFT}
    assert Submission.history.filter(history_user=officer).count() == 2


def test_a_year_is_opened_once_per_organization(officer, tree):
    cycle_services.year_open(organization=tree["BS"], year=2025, deadline=datetime.date(2025, 12, 15), actor=officer)
    with pytest.raises(ValidationError) as error:
        cycle_services.year_open(
            organization=tree["BS"], year=2025, deadline=datetime.date(2025, 12, 15), actor=officer
        )
    assert "đã mở đợt đánh giá năm 2025" in _messages(error)
    assert YearCycle.objects.count() == 1


def test_a_year_without_a_rating_scheme_cannot_be_opened(officer, tree):
    with pytest.raises(ValidationError) as error:
        cycle_services.year_open(
            organization=tree["BS"], year=2010, deadline=datetime.date(2010, 12, 15), actor=officer
        )
    assert "chưa có quy định xếp loại" in _messages(error)


def test_a_deadline_far_from_the_year_is_refused(officer, tree):
    with pytest.raises(ValidationError) as error:
        cycle_services.year_open(organization=tree["BS"], year=2025, deadline=datetime.date(2020, 1, 1), actor=officer)
    assert "Hạn nộp" in _messages(error)


# The district is outside a commune secretary's scope (not found, 404); a leader has it in scope but may not act (403).
@pytest.mark.parametrize(("persona", "refusal"), [("secretary_nhat_tien", Http404), ("leader", PermissionDenied)])
def test_only_officers_open_a_year(request, tree, persona, refusal):
    with pytest.raises(refusal):
        cycle_services.year_open(
            organization=tree["BS"],
            year=2025,
            deadline=datetime.date(2025, 12, 15),
            actor=request.getfixturevalue(persona),
        )


# --- review documents -----------------------------------------------------------------------------------------------


def test_each_upload_is_a_new_version_with_its_checksum_under_a_random_name(officer, tree, secretary_nhat_tien, media):
    submission = year_opened(officer=officer, tree=tree)["BS-NHAT-TIEN"]
    first, second = pdf_bytes(b"ban dau"), docx_bytes()
    v1 = cycle_services.document_upload(
        submission=submission, file=upload("Báo cáo.pdf", first), actor=secretary_nhat_tien
    )
    v2 = cycle_services.document_upload(
        submission=submission, file=upload("bao-cao.docx", second), actor=secretary_nhat_tien
    )
    assert (v1.version, v2.version) == (1, 2)
    assert v1.checksum == hashlib.sha256(first).hexdigest()
    assert v2.checksum == hashlib.sha256(second).hexdigest()
    assert (v1.kind, v2.kind, v1.original_name) == ("pdf", "docx", "Báo cáo.pdf")
    assert "Báo cáo" not in v1.file.name and v1.file.name.startswith("reviews/")
    # Both versions are kept on disk, byte for byte.
    assert (media / v1.file.name).read_bytes() == first
    assert (media / v2.file.name).read_bytes() == second


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bao-cao.exe", b"MZ\x90\x00", "chỉ nhận báo cáo dạng PDF"),
        ("bao-cao.pdf", docx_bytes(), "nội dung không phải PDF"),
        ("bao-cao.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n", "%%EOF"),
        ("bao-cao.docx", pdf_bytes(), "nội dung không phải văn bản Word"),
        ("bao-cao.docx", docx_bytes(macro=True), "vbaProject.bin"),
        ("bao-cao.docx", docx_bytes(body=False), "word/document.xml"),
        ("bao-cao.docm", docx_bytes(macro=True), "có macro"),
        ("bao-cao.pdf", b"", "rỗng"),
    ],
)
def test_review_files_of_the_wrong_kind_are_refused_and_nothing_is_kept(
    officer, tree, secretary_nhat_tien, media, name, content, expected
):
    submission = year_opened(officer=officer, tree=tree)["BS-NHAT-TIEN"]
    with pytest.raises(ValidationError) as error:
        cycle_services.document_upload(submission=submission, file=upload(name, content), actor=secretary_nhat_tien)
    assert expected in _messages(error)
    assert name in _messages(error)
    assert ReviewDocument.objects.count() == 0
    assert not (media / "reviews").exists() or not any((media / "reviews").iterdir())


def test_a_review_file_over_the_size_limit_is_refused(officer, tree, secretary_nhat_tien, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    submission = year_opened(officer=officer, tree=tree)["BS-NHAT-TIEN"]
    big = pdf_bytes(b"x" * (1024 * 1024 + 10))
    with pytest.raises(ValidationError) as error:
        cycle_services.document_upload(submission=submission, file=upload("lon.pdf", big), actor=secretary_nhat_tien)
    assert "vượt giới hạn 1,0 MB" in _messages(error)
    assert ReviewDocument.objects.count() == 0


def test_secretary_cannot_upload_to_another_communes_file(officer, tree, secretary_dong_y):
    submission = year_opened(officer=officer, tree=tree)["BS-NHAT-TIEN"]
    with pytest.raises(Http404):  # another commune is outside the scope: not found
        cycle_services.document_upload(submission=submission, file=upload("a.pdf", pdf_bytes()), actor=secretary_dong_y)
    assert ReviewDocument.objects.count() == 0


# --- the unit's file: propose, decide cells, submit -------------------------------------------------------------------


def test_submit_is_refused_until_every_step_of_the_checklist_is_done(officer, tree, secretary_nhat_tien):
    submission = year_opened(officer=officer, tree=tree)["BS-NHAT-TIEN"]
    members_rated(tree["BS-NHAT-TIEN-01"], 2025, "qd366-2025", ["good"])
    unrated = members_rated(tree["BS-NHAT-TIEN-02"], 2025, "qd366-2025", ["good"])[0]
    unrated.delete()
    with pytest.raises(ValidationError) as error:
        cycle_services.submission_submit(submission=submission, actor=secretary_nhat_tien)
    text = _messages(error)
    assert "Chưa có báo cáo kiểm điểm" in text
    assert "Còn 1/2 đảng viên chưa có kết quả xếp loại" in text
    assert unrated.member.full_name in text
    assert "Chưa đề xuất mức xếp loại" in text
    assert "Đã quyết định 0/2 chi bộ" in text
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT


def test_a_grassroots_committee_decides_only_its_own_cells(officer, tree, secretary_nhat_tien):
    submission = year_opened(officer=officer, tree=tree)["BS-NHAT-TIEN"]
    with pytest.raises(ValidationError) as error:
        cycle_services.cell_level_decide(
            submission=submission,
            cell=tree["BS-DONG-Y-01"],
            level=level("qd366-2025", "unit", "good"),
            actor=secretary_nhat_tien,
            scores=scores_for("good"),
        )
    assert "không phải chi bộ trực thuộc" in _messages(error)
    assert not UnitAssessment.objects.filter(organization=tree["BS-DONG-Y-01"]).exists()


def test_a_level_of_another_scheme_is_refused(officer, tree, secretary_nhat_tien):
    submission = year_opened(officer=officer, tree=tree)["BS-NHAT-TIEN"]
    with pytest.raises(ValidationError) as error:
        cycle_services.unit_self_level_propose(
            submission=submission, level=level("hd27-2014", "unit", "clean_strong"), actor=secretary_nhat_tien
        )
    assert "Hướng dẫn 27-HD/BTCTW" in _messages(error)  # the scheme as people cite it, not its code


# --- the whole cycle --------------------------------------------------------------------------------------------------


def _finalize_scored(submission, rating_level, *, actor, **decision):
    """`actor` finalizes a file of a scored year at `rating_level`, with a score in its band and this decision."""
    return cycle_services.rating_finalize(
        submission=submission, level=rating_level, actor=actor, scores=scores_for(rating_level), **decision
    )


def _ready_nhat_tien(officer, tree, secretary):
    submission = year_opened(officer=officer, tree=tree)["BS-NHAT-TIEN"]
    # 2 excellent against 5 good: 40%, over the 20% cap.
    members_rated(tree["BS-NHAT-TIEN-01"], 2025, "qd366-2025", ["excellent", "excellent", "good", "good"])
    members_rated(tree["BS-NHAT-TIEN-02"], 2025, "qd366-2025", ["good", "good", "good", "completed"])
    submission_ready(
        submission=submission, secretary=secretary, scheme="qd366-2025", self_level="excellent", cell_level="good"
    )
    return submission


def test_the_full_cycle_submit_return_resubmit_finalize_with_override_lock_reopen(
    officer, tree, secretary_nhat_tien, member_cap_on_in_2025
):
    secretary = secretary_nhat_tien
    submission = _ready_nhat_tien(officer, tree, secretary)
    good, excellent = level("qd366-2025", "unit", "good"), level("qd366-2025", "unit", "excellent")

    cycle_services.submission_submit(submission=submission, actor=secretary)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.submitted_by == secretary

    # Submitted: the secretary can change nothing.
    with pytest.raises(ValidationError) as error:
        cycle_services.unit_self_level_propose(submission=submission, level=good, actor=secretary)
    assert "không sửa được nữa" in _messages(error)
    with pytest.raises(ValidationError):
        cycle_services.document_upload(submission=submission, file=upload("b.pdf", pdf_bytes()), actor=secretary)
    with pytest.raises(ValidationError):
        cycle_services.cell_level_decide(
            submission=submission,
            cell=tree["BS-NHAT-TIEN-01"],
            level=good,
            actor=secretary,
            scores=scores_for(good),
        )
    member_rating = MemberAssessment.objects.filter(organization=tree["BS-NHAT-TIEN-01"]).first()
    member_rating.level, member_rating.score = level("qd366-2025", "member", "completed"), 60
    with pytest.raises(ValidationError) as error:
        services.member_assessment_save(assessment=member_rating, actor=secretary)
    assert "đã gửi lên cấp trên" in _messages(error)

    # The district returns it; a comment is required.
    with pytest.raises(ValidationError):
        cycle_services.submission_return(submission=submission, comment="   ", actor=officer)
    cycle_services.submission_return(submission=submission, comment="Bổ sung biên bản bỏ phiếu.", actor=officer)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    assert submission.return_comment == "Bổ sung biên bản bỏ phiếu."

    # The secretary edits again and resubmits.
    cycle_services.unit_self_level_propose(submission=submission, level=good, actor=secretary)
    cycle_services.document_upload(submission=submission, file=upload("bo-sung.pdf", pdf_bytes(b"v2")), actor=secretary)
    cycle_services.submission_submit(submission=submission, actor=secretary)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.documents.count() == 2

    # The officer sees the 20% cap fail; finalizing needs a written reason.
    checks = rules.submission_checks(submission=submission, level=excellent)
    cap = next(check for check in checks if check.code == "member_cap_20")
    assert cap.failed
    assert (cap.numbers["excellent"], cap.numbers["good"], cap.numbers["allowed"]) == (2, 5, 1)
    with pytest.raises(ValidationError) as error:
        _finalize_scored(
            submission, excellent, actor=officer, decision_ref="123-QĐ/HU", decided_on=datetime.date(2026, 1, 10)
        )
    assert "2 đảng viên hoàn thành xuất sắc nhiệm vụ = 40,0% của 5" in _messages(error)
    assert not UnitAssessment.objects.filter(organization=tree["BS-NHAT-TIEN"], level__isnull=False).exists()
    _finalize_scored(
        submission,
        excellent,
        actor=officer,
        decision_ref="123-QĐ/HU",
        decided_on=datetime.date(2026, 1, 10),
        override_reason="Ban Thường vụ xét thành tích đột xuất năm 2025.",
    )
    submission.refresh_from_db()
    rating = UnitAssessment.objects.get(organization=tree["BS-NHAT-TIEN"], year=2025)
    assert submission.status == SubmissionStatus.FINALIZED
    assert submission.override_reason == "Ban Thường vụ xét thành tích đột xuất năm 2025."
    assert (rating.level, rating.self_level, rating.decision_ref) == (excellent, good, "123-QĐ/HU")
    assert "Ban Thường vụ xét thành tích đột xuất" in rating.note

    # Finalized: locked for everyone, the officer included.
    rating.level, rating.score = good, 80
    with pytest.raises(ValidationError) as error:
        services.unit_assessment_save(assessment=rating, actor=officer)
    assert "đã chốt" in _messages(error)
    cell_rating = UnitAssessment.objects.get(organization=tree["BS-NHAT-TIEN-01"], year=2025)
    cell_rating.level, cell_rating.score = excellent, 95
    with pytest.raises(ValidationError):
        services.unit_assessment_save(assessment=cell_rating, actor=officer)
    with pytest.raises(ValidationError):
        cycle_services.submission_return(submission=submission, comment="Sửa", actor=officer)

    # Reopening needs a reason; then the officer can record a new level.
    with pytest.raises(ValidationError):
        cycle_services.rating_reopen(submission=submission, reason="", actor=officer)
    cycle_services.rating_reopen(submission=submission, reason="Sai số quyết định.", actor=officer)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    _finalize_scored(
        submission,
        excellent,
        actor=officer,
        decision_ref="124-QĐ/HU",
        decided_on=datetime.date(2026, 1, 12),
        override_reason="Giữ nguyên mức theo quyết định của Ban Thường vụ.",
    )

    # Both the override and the reopening are in the history of the rating and of the file.
    reasons = list(
        UnitAssessment.history.filter(organization=tree["BS-NHAT-TIEN"]).values_list("history_change_reason", flat=True)
    )
    assert any(r and "Ban Thường vụ xét thành tích" in r for r in reasons)
    assert any(r and "Sai số quyết định" in r for r in reasons)
    file_reasons = list(submission.history.values_list("history_change_reason", flat=True))
    assert any(r and r.startswith("Mở lại") for r in file_reasons)
    assert any(r and "Bổ sung biên bản" in r for r in file_reasons)
    statuses = list(submission.history.order_by("history_date").values_list("status", flat=True))
    assert statuses[-6:] == ["submitted", "returned", "submitted", "finalized", "submitted", "finalized"]


def test_a_secretary_of_another_commune_cannot_submit_or_propose(officer, tree, secretary_dong_y):
    submission = year_opened(officer=officer, tree=tree)["BS-NHAT-TIEN"]
    with pytest.raises(Http404):  # another commune is outside the scope: not found
        cycle_services.submission_submit(submission=submission, actor=secretary_dong_y)
    with pytest.raises(Http404):
        cycle_services.unit_self_level_propose(
            submission=submission, level=level("qd366-2025", "unit", "good"), actor=secretary_dong_y
        )


def test_a_leader_cannot_finalize_or_return(officer, tree, leader, secretary_nhat_tien):
    submission = _ready_nhat_tien(officer, tree, secretary_nhat_tien)
    cycle_services.submission_submit(submission=submission, actor=secretary_nhat_tien)
    with pytest.raises(PermissionDenied):
        cycle_services.submission_return(submission=submission, comment="Sửa", actor=leader)
    with pytest.raises(PermissionDenied):
        _finalize_scored(
            submission,
            level("qd366-2025", "unit", "good"),
            actor=leader,
            decision_ref="1",
            decided_on=datetime.date(2026, 1, 1),
        )


def test_finalizing_needs_the_decision_reference_and_date(officer, tree, secretary_nhat_tien):
    submission = _ready_nhat_tien(officer, tree, secretary_nhat_tien)
    cycle_services.submission_submit(submission=submission, actor=secretary_nhat_tien)
    with pytest.raises(ValidationError) as error:
        _finalize_scored(
            submission, level("qd366-2025", "unit", "good"), actor=officer, decision_ref="", decided_on=None
        )
    assert set(error.value.error_dict) == {"decision_ref", "decided_on"}


def test_a_draft_cannot_be_finalized(officer, tree):
    submission = year_opened(officer=officer, tree=tree)["BS-NHAT-TIEN"]
    with pytest.raises(ValidationError) as error:
        _finalize_scored(
            submission,
            level("qd366-2025", "unit", "good"),
            actor=officer,
            decision_ref="1-QĐ/HU",
            decided_on=datetime.date(2026, 1, 1),
        )
    assert "Đang chuẩn bị" in _messages(error)


# --- regulation checks -----------------------------------------------------------------------------------------------


def test_the_cap_allows_excellent_up_to_a_fifth_of_good(officer, tree, member_cap_on_in_2025):
    submission = year_opened(officer=officer, tree=tree)["BS-DONG-Y"]
    members_rated(tree["BS-DONG-Y-01"], 2025, "qd366-2025", ["excellent", "good", "good", "good"])
    members_rated(tree["BS-DONG-Y-02"], 2025, "qd366-2025", ["good", "good"])
    checks = rules.submission_checks(submission=submission, level=None)
    cap = next(check for check in checks if check.code == "member_cap_20")
    assert cap.passed
    assert cap.numbers == {"excellent": 1, "good": 5, "allowed": 1, "percent": "20,0%"}


def test_the_cap_is_counted_within_each_grassroots_organization(tree, member_cap_on_in_2025):
    members_rated(tree["BS-DONG-Y-01"], 2025, "qd366-2025", ["excellent", "good"])
    members_rated(tree["BS-NHAT-TIEN-01"], 2025, "qd366-2025", ["good"] * 10)
    results = rules.excellent_cap_checks(
        organizations=[tree["BS-DONG-Y"], tree["BS-NHAT-TIEN"]],
        year=2025,
        scheme=level("qd366-2025", "unit", "good").scheme,
    )
    assert results[tree["BS-DONG-Y"].pk].failed
    assert results[tree["BS-NHAT-TIEN"].pk].passed
    assert results[tree["BS-NHAT-TIEN"].pk].numbers["good"] == 10


def test_the_cap_does_not_apply_before_2019():
    scheme_2018 = level("qd132-2018", "unit", "good").scheme
    assert not rules.cap_applies(scheme_2018, 2018)
    assert rules.cap_applies(scheme_2018, 2019)
    assert not rules.cap_applies(level("hd27-2014", "unit", "good").scheme, 2017)


def test_hd27_committee_with_over_a_third_of_units_weak_cannot_be_rated_above_weak(officer, tree, secretary_dong_y):
    submission = year_opened(officer=officer, tree=tree, year=2017)["BS-DONG-Y"]
    members_rated(tree["BS-DONG-Y-01"], 2017, "hd27-2014", ["good", "good"])
    members_rated(tree["BS-DONG-Y-02"], 2017, "hd27-2014", ["good", "completed"])
    cycle_services.document_upload(submission=submission, file=upload("bc.docx", docx_bytes()), actor=secretary_dong_y)
    cycle_services.unit_self_level_propose(
        submission=submission, level=level("hd27-2014", "unit", "good"), actor=secretary_dong_y
    )
    cycle_services.cell_level_decide(
        submission=submission,
        cell=tree["BS-DONG-Y-01"],
        level=level("hd27-2014", "unit", "weak"),
        actor=secretary_dong_y,
    )
    cycle_services.cell_level_decide(
        submission=submission,
        cell=tree["BS-DONG-Y-02"],
        level=level("hd27-2014", "unit", "good"),
        actor=secretary_dong_y,
    )
    cycle_services.submission_submit(submission=submission, actor=secretary_dong_y)
    good = level("hd27-2014", "unit", "good")
    check = next(
        c for c in rules.submission_checks(submission=submission, level=good) if c.code == "hd27_weak_committee"
    )
    assert check.failed
    assert check.numbers == {"weak": 1, "total": 2, "percent": "50,0%", "level": good.label}
    weak = level("hd27-2014", "unit", "weak")
    assert next(
        c for c in rules.submission_checks(submission=submission, level=weak) if c.code == "hd27_weak_committee"
    ).passed
    with pytest.raises(ValidationError) as error:
        cycle_services.rating_finalize(
            submission=submission,
            level=good,
            decision_ref="49-QĐ/HU",
            decided_on=datetime.date(2018, 1, 5),
            actor=officer,
        )
    assert "1/2 đơn vị trực thuộc yếu kém (50,0%), quá 1/3" in _messages(error)
    cycle_services.rating_finalize(
        submission=submission, level=weak, decision_ref="49-QĐ/HU", decided_on=datetime.date(2018, 1, 5), actor=officer
    )
    assert UnitAssessment.objects.get(organization=tree["BS-DONG-Y"], year=2017).level == weak


def test_hd27_cell_with_over_half_its_members_not_completed_cannot_be_rated_above_weak(officer, tree):
    submission = year_opened(officer=officer, tree=tree, year=2017)["BS-NHAT-TIEN"]
    members_rated(tree["BS-NHAT-TIEN-01"], 2017, "hd27-2014", ["not_completed", "not_completed", "good"])
    members_rated(tree["BS-NHAT-TIEN-02"], 2017, "hd27-2014", ["not_completed", "good"])
    for code in ("BS-NHAT-TIEN-01", "BS-NHAT-TIEN-02"):
        UnitAssessment.objects.create(organization=tree[code], year=2017, level=level("hd27-2014", "unit", "good"))
    cells = {
        c.organization.code: c
        for c in rules.submission_checks(submission=submission, level=None)
        if c.code == "hd27_weak_cell"
    }
    assert cells["BS-NHAT-TIEN-01"].failed
    assert (cells["BS-NHAT-TIEN-01"].numbers["bad"], cells["BS-NHAT-TIEN-01"].numbers["total"]) == (2, 3)
    assert "2/3 đảng viên không hoàn thành nhiệm vụ (66,7%), quá 1/2" in cells["BS-NHAT-TIEN-01"].message
    # Exactly half is not more than half.
    assert cells["BS-NHAT-TIEN-02"].passed


def test_hd27_checks_do_not_apply_under_later_schemes(officer, tree, member_cap_on_in_2025):
    submission = year_opened(officer=officer, tree=tree)["BS-NHAT-TIEN"]
    members_rated(tree["BS-NHAT-TIEN-01"], 2025, "qd366-2025", ["not_completed", "not_completed"])
    codes = {c.code for c in rules.submission_checks(submission=submission, level=None)}
    assert codes == {"member_cap_20"}


# --- locks, set-based for the import pipeline ------------------------------------------------------------------------


def test_rating_locks_cover_the_unit_its_cells_and_are_computed_in_one_query(
    officer, tree, secretary_nhat_tien, django_assert_num_queries
):
    submission = _ready_nhat_tien(officer, tree, secretary_nhat_tien)
    cycle_services.submission_submit(submission=submission, actor=secretary_nhat_tien)
    orgs = [tree[c] for c in ("BS-NHAT-TIEN", "BS-NHAT-TIEN-01", "BS-NHAT-TIEN-02", "BS-DONG-Y", "BS-DONG-Y-01")]
    with django_assert_num_queries(1):
        for_secretary = locks.rating_locks(organizations=orgs, year=2025, actor=secretary_nhat_tien)
    assert set(for_secretary) == {tree["BS-NHAT-TIEN"].pk, tree["BS-NHAT-TIEN-01"].pk, tree["BS-NHAT-TIEN-02"].pk}
    # Submitted but not finalized: the district may still correct it.
    assert locks.rating_locks(organizations=orgs, year=2025, actor=officer) == {}
    assert locks.rating_locks(organizations=orgs, year=2024, actor=secretary_nhat_tien) == {}
