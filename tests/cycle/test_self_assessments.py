"""Members' self-assessments (Mẫu 2A/2B/2C) in a unit's file: uploads and their refusals, versions, scoped
downloads, and the list of paperwork still missing on the portal and on the officers' review page."""

import datetime

import pytest

from assessments.cycle import self_assessments
from assessments.cycle import services as cycle_services
from assessments.models import MemberAssessment, Membership, SelfAssessmentDocument, Submission
from tests.criteria_factories import criteria_set_make
from tests.cycle_factories import docx_bytes, nhat_tien_people, pdf_bytes, upload, year_opened
from tests.factories import MemberFactory, level

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

PORTAL = "/portal/BS-NHAT-TIEN/2025/"
UPLOAD = PORTAL + "self-assessment/"


@pytest.fixture
def unit(tree, officer):
    """2025 (scored) opened; Nhất Tiến with two members in its cells and the district's members' criteria set."""
    year_opened(officer=officer, tree=tree)
    people = nhat_tien_people(tree)
    criteria_set_make(tree["BS"], code="TC-DV", subject_group="members_outside")
    return {"submission": Submission.objects.get(organization=tree["BS-NHAT-TIEN"], cycle__year=2025), "people": people}


def _post(client, member, content=None, name="tu-kiem-diem.pdf", form="2C"):
    content = pdf_bytes() if content is None else content
    return client.post(UPLOAD, {"member": member.pk, "form": form, "file": upload(name, content)}, follow=True)


def test_secretary_uploads_a_members_self_assessment_and_each_upload_is_a_new_version(
    client, unit, secretary_nhat_tien, media
):
    mai = unit["people"][0]
    client.force_login(secretary_nhat_tien)
    assert _post(client, mai, name="Mai 2C.pdf").redirect_chain == [(PORTAL, 302)]
    _post(client, mai, docx_bytes(), name="Mai 2C sửa.docx")
    versions = list(SelfAssessmentDocument.objects.filter(member=mai).order_by("version"))
    assert [(d.version, d.kind, d.form) for d in versions] == [(1, "pdf", "2C"), (2, "docx", "2C")]
    # Private storage under random names: the uploader's file name is kept only as data.
    assert all(d.file.name.startswith("self-assessments/") and "Mai" not in d.file.name for d in versions)
    page = client.get(PORTAL).content.decode()
    assert "Mai 2C.pdf" in page and "Mai 2C sửa.docx" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tu-kiem-diem.xlsx", b"PK\x03\x04not a document", "chỉ nhận bản tự kiểm điểm dạng PDF"),
        ("tu-kiem-diem.docx", docx_bytes(macro=True), "chứa macro (vbaProject.bin)"),
        ("tu-kiem-diem.pdf", b"MZ\x90\x00 an executable", "có đuôi .pdf nhưng nội dung không phải PDF"),
    ],
)
def test_a_wrong_or_unsafe_file_is_refused_and_nothing_is_kept(
    client, unit, secretary_nhat_tien, media, name, content, message
):
    client.force_login(secretary_nhat_tien)
    response = _post(client, unit["people"][0], content, name=name)
    assert response.redirect_chain == [(PORTAL, 302)]
    assert message in response.content.decode()
    assert not SelfAssessmentDocument.objects.exists()
    assert not (media / "self-assessments").exists() or not any((media / "self-assessments").iterdir())


def test_the_refusals_of_a_self_assessment_name_the_self_assessment_not_a_report(
    client, unit, officer, leader, secretary_nhat_tien
):
    """Whichever way it comes (the portal's form, the service), a refused self-assessment is called one: "bản tự
    kiểm điểm", never the unit's "báo cáo"."""
    client.force_login(secretary_nhat_tien)
    page = _post(client, unit["people"][0], b"PK\x03\x04", name="Mai 2C.xlsx").content.decode()
    assert "Tệp “Mai 2C.xlsx”: chỉ nhận bản tự kiểm điểm dạng PDF (.pdf) hoặc Word (.docx)." in page
    refusals = []
    for actor, file in (
        (secretary_nhat_tien, upload("Mai 2C.odt", b"not a document")),  # the service's own check of the file
        (leader, upload("a.pdf", pdf_bytes())),  # in scope, but a leader may not upload
    ):
        with pytest.raises(Exception) as refused:
            self_assessments.self_assessment_upload(
                submission=unit["submission"], member=unit["people"][0], form="2C", file=file, actor=actor
            )
        refusals.append(" ".join(getattr(refused.value, "messages", [str(refused.value)])))
    Submission.objects.filter(pk=unit["submission"].pk).update(status="finalized")
    with pytest.raises(Exception) as refused:
        self_assessments.self_assessment_upload(
            submission=unit["submission"], member=unit["people"][0], form="2C", file=upload("a.pdf", pdf_bytes()),
            actor=officer,
        )  # fmt: skip
    refusals.append(" ".join(refused.value.messages))
    assert "chỉ nhận bản tự kiểm điểm dạng PDF" in refusals[0]
    assert "cán bộ Ban Tổ chức được tải lên bản tự kiểm điểm" in refusals[1]
    assert "muốn thay bản tự kiểm điểm phải mở lại kèm lý do" in refusals[2]
    assert not any("báo cáo" in text for text in refusals)
    assert not SelfAssessmentDocument.objects.exists()


def test_a_too_big_file_is_refused_with_its_size(client, unit, secretary_nhat_tien, settings):
    settings.UPLOAD_MAX_BYTES = 2048
    client.force_login(secretary_nhat_tien)
    response = _post(client, unit["people"][0], pdf_bytes(b"x" * 4096))
    assert "vượt giới hạn" in response.content.decode()
    assert not SelfAssessmentDocument.objects.exists()


def test_a_member_of_another_unit_is_refused_by_name(unit, tree, secretary_nhat_tien):
    outsider = MemberFactory(organization=tree["BS-DONG-Y"], full_name="Hà Văn Ngoài")
    Membership.objects.create(member=outsider, organization=tree["BS-DONG-Y"], start=datetime.date(2010, 1, 1))
    with pytest.raises(Exception, match="Hà Văn Ngoài không sinh hoạt ở Đảng bộ xã Nhất Tiến ngày 31/12/2025"):
        self_assessments.self_assessment_upload(
            submission=unit["submission"],
            member=outsider,
            form="2B",
            file=upload("a.pdf", pdf_bytes()),
            actor=secretary_nhat_tien,
        )
    assert not SelfAssessmentDocument.objects.exists()


def test_a_sent_file_takes_no_more_self_assessments_from_the_secretary(client, unit, secretary_nhat_tien):
    Submission.objects.filter(pk=unit["submission"].pk).update(status="submitted")
    client.force_login(secretary_nhat_tien)
    response = _post(client, unit["people"][0])
    assert "không sửa được nữa" in response.content.decode()
    assert not SelfAssessmentDocument.objects.exists()


def _stored(unit, secretary, member=None):
    return self_assessments.self_assessment_upload(
        submission=unit["submission"],
        member=member or unit["people"][0],
        form="2A",
        file=upload("Mai 2A.pdf", pdf_bytes()),
        actor=secretary,
    )


def test_downloads_are_in_scope_only_and_refused_to_a_role_that_may_not_read(
    client, unit, tree, secretary_nhat_tien, secretary_dong_y, officer, leader
):
    document = _stored(unit, secretary_nhat_tien)
    url = f"/self-assessments/{document.pk}/"
    for user in (secretary_nhat_tien, officer, leader):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
    client.force_login(secretary_dong_y)  # another commune: as if it did not exist
    assert client.get(url).status_code == 404
    assert client.post(UPLOAD, {"member": unit["people"][0].pk, "form": "2C"}).status_code == 404
    client.force_login(leader)  # leaders read, and upload nothing
    assert _post(client, unit["people"][0]).status_code == 403


def test_a_secretary_account_above_the_unit_sees_it_in_scope_but_is_refused_the_file(
    client, unit, tree, secretary_nhat_tien
):
    from tests.factories import UserFactory

    document = _stored(unit, secretary_nhat_tien)
    district_secretary = UserFactory(username="bithuhuyen", role="secretary", organization=tree["BS"])
    client.force_login(district_secretary)
    response = client.get(f"/self-assessments/{document.pk}/")
    assert response.status_code == 403
    assert "chỉ bí thư của Đảng bộ xã Nhất Tiến và cán bộ cấp trên" in response.content.decode()


def test_the_portal_lists_the_missing_paperwork_with_names_and_counts(client, unit, secretary_nhat_tien):
    mai, nam = unit["people"]
    _stored(unit, secretary_nhat_tien, member=mai)
    MemberAssessment.objects.create(
        member=nam, organization=nam.organization, year=2025, level=level("qd366-2025", "member", "good"), score=80
    )
    client.force_login(secretary_nhat_tien)
    page = client.get(PORTAL).content.decode()
    assert 'id="paperwork"' in page
    assert 'data-item="review-report" data-done="false"' in page
    assert 'data-item="scoring-sheet" data-set="TC-DV" data-done="false"' in page
    assert "Đảng viên chưa có bản tự kiểm điểm (Mẫu 2A, 2B, 2C): 1/2" in page
    assert "Đảng viên chưa có điểm: 1/2" in page
    missing = self_assessments.paperwork_progress(unit["submission"])
    assert missing.without_self_assessment.names == ["Lý Văn Nam"]
    assert missing.without_score.names == ["Dương Thị Mai"]
    cycle_services.document_upload(
        submission=unit["submission"], file=upload("bc.pdf", pdf_bytes()), actor=secretary_nhat_tien
    )
    assert 'data-item="review-report" data-done="true"' in client.get(PORTAL).content.decode()


def test_a_long_missing_list_is_cut_with_how_many_more_in_vietnamese_numbers(unit, tree):
    cell = tree["BS-NHAT-TIEN-01"]
    for number in range(1200):
        member = MemberFactory(organization=cell, full_name=f"Đảng viên {number:04d}")
        Membership.objects.create(member=member, organization=cell, start=datetime.date(2010, 1, 1))
    missing = self_assessments.paperwork_progress(unit["submission"]).without_self_assessment
    assert missing.count == 1202 and len(missing.names) == self_assessments.NAMES_SHOWN
    assert missing.more == 1202 - self_assessments.NAMES_SHOWN


def test_the_officers_review_page_shows_the_same_missing_items(client, unit, officer, secretary_nhat_tien):
    _stored(unit, secretary_nhat_tien)
    client.force_login(officer)
    page = client.get("/review/BS-NHAT-TIEN/2025/").content.decode()
    assert "Đảng viên chưa có bản tự kiểm điểm (Mẫu 2A, 2B, 2C): 1/2" in page
    assert "Lý Văn Nam" in page and "Mai 2A.pdf" in page


def test_the_portal_costs_the_same_queries_with_many_members_and_self_assessments(
    client, unit, tree, secretary_nhat_tien, django_assert_max_num_queries
):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(PORTAL).status_code == 200
        return len(captured)

    client.force_login(secretary_nhat_tien)
    few = count_queries()
    cell = tree["BS-NHAT-TIEN-02"]
    for number in range(15):
        member = MemberFactory(organization=cell, full_name=f"Đảng viên {number}")
        Membership.objects.create(member=member, organization=cell, start=datetime.date(2010, 1, 1))
        _stored(unit, secretary_nhat_tien, member=member)
    with django_assert_max_num_queries(few):
        client.get(PORTAL)
