"""Each issued version keeps the PDF and Word files generated with it: stored once in private media under random
names, listed on the report page with their checksums, downloaded byte for byte within the scope only."""

import datetime
import hashlib
import io

import pytest
from django.urls import reverse
from docx import Document

from assessments.models import IssuedDocument, Kind, Role
from assessments.reports import build as reports
from assessments.reports import issuing
from tests.factories import OrganizationFactory, UnitAssessmentFactory, UserFactory, level

FORM = {
    "kind": "decision",
    "number": "42",
    "issued_on": "2018-01-12",
    "signer_post": "Phó Bí thư",
    "signer_name": "Nguyễn Hữu Bình",
    "recipients": "Ban Tổ chức Tỉnh ủy (b/c),",
}


@pytest.fixture
def rated(tree):
    UnitAssessmentFactory(organization=tree["BS-DONG-Y"], year=2017, level=level("hd27-2014", "unit", "clean_strong"))
    UnitAssessmentFactory(organization=tree["BS-NHAT-TIEN"], year=2017, level=level("hd27-2014", "unit", "completed"))
    return tree


def _issue(client, tree, form=FORM) -> IssuedDocument:
    response = client.post(reverse("reports:issue", args=[tree["BS"].code, 2017]), form)
    assert response.status_code == 302
    return IssuedDocument.objects.filter(organization=tree["BS"], year=2017, kind=form["kind"]).first()


def _download(client, name: str, document: IssuedDocument):
    response = client.get(reverse(name, args=[document.pk]))
    return response, b"".join(response.streaming_content) if response.status_code == 200 else b""


def test_an_issued_version_keeps_its_files_and_each_download_is_the_stored_bytes(client, rated, officer, media):
    client.force_login(officer)
    document = _issue(client, rated)
    assert document.pdf_file.name.startswith("issued/") and document.docx_file.name.startswith("issued/")
    # Random names in private media: nothing of the unit, year or number in the path.
    for stored in (document.pdf_file, document.docx_file):
        assert "BS" not in stored.name and "2017" not in stored.name and "42" not in stored.name.split("/")[0]
        assert (media / stored.name).is_file()
    pdf_response, pdf = _download(client, "reports:issued_pdf", document)
    docx_response, docx = _download(client, "reports:issued_docx", document)
    assert pdf[:5] == b"%PDF-"
    assert (
        hashlib.sha256(pdf).hexdigest()
        == document.checksum
        == hashlib.sha256((media / document.pdf_file.name).read_bytes()).hexdigest()
    )
    assert hashlib.sha256(docx).hexdigest() == document.docx_checksum
    for response in (pdf_response, docx_response):
        assert response["Content-Disposition"].startswith("attachment;")
        assert "no-store" in response["Cache-Control"]
    assert 'filename="quyet-dinh-BS-2017-v1.pdf"' in pdf_response["Content-Disposition"]
    # The Word file kept is the decision with this version's header.
    word = Document(io.BytesIO(docx))
    cells = "\n".join(cell.text for table in word.tables for row in table.rows for cell in row.cells)
    assert "Số 42-QĐ/HU" in cells and "Nguyễn Hữu Bình" in cells and "PHÓ BÍ THƯ" in cells


def test_the_stored_file_stays_the_same_when_a_later_version_changes_the_current_document(
    client, rated, officer, media
):
    client.force_login(officer)
    first = _issue(client, rated, FORM | {"kind": "report", "number": "15"})
    _issue(client, rated, FORM | {"kind": "report", "number": "16"})
    first.refresh_from_db()
    _response, docx = _download(client, "reports:issued_docx", first)
    cells = "\n".join(c.text for t in Document(io.BytesIO(docx)).tables for r in t.rows for c in r.cells)
    assert "Số 15-BC/HU" in cells and "Số 16-BC/HU" not in cells
    current = client.get(reverse("reports:docx", args=[rated["BS"].code, 2017])).content
    cells = "\n".join(c.text for t in Document(io.BytesIO(current)).tables for r in t.rows for c in r.cells)
    assert "Số 16-BC/HU" in cells  # later downloads of the current document use the latest version's header


def test_the_report_page_lists_each_version_with_links_to_its_files_and_offers_word_next_to_pdf(
    client, rated, officer, media
):
    client.force_login(officer)
    document = _issue(client, rated)
    page = client.get(reverse("reports:detail", args=[rated["BS"].code, 2017])).content.decode()
    versions = page.split('id="issued-versions"')[1].split("</table>")[0]
    assert reverse("reports:issued_pdf", args=[document.pk]) in versions
    assert reverse("reports:issued_docx", args=[document.pk]) in versions
    assert document.checksum[:14] in versions and document.docx_checksum[:14] in versions
    assert "Nguyễn Hữu Bình" in versions
    offered = page.split('id="current-documents"')[1].split("</p>")[0]
    for name in ("reports:pdf", "reports:docx", "reports:decision_pdf", "reports:decision_docx"):
        assert reverse(name, args=[rated["BS"].code, 2017]) in offered


def test_a_secretary_or_another_districts_officer_gets_404_for_a_version_file(
    client, rated, officer, secretary_dong_y, leader, media
):
    client.force_login(officer)
    document = _issue(client, rated)
    district = OrganizationFactory(
        code="BG", name="Đảng bộ huyện Bình Gia", kind=Kind.DISTRICT, sector="", parent=rated["LS"]
    )
    officer_bg = UserFactory(username="binhgia", role=Role.OFFICER, organization=district)
    for outsider in (secretary_dong_y, officer_bg):
        client.force_login(outsider)
        for name in ("reports:issued_pdf", "reports:issued_docx"):
            assert client.get(reverse(name, args=[document.pk])).status_code == 404
    client.force_login(leader)  # in scope: reads the files, as he reads the report
    assert client.get(reverse("reports:issued_pdf", args=[document.pk])).status_code == 200


def test_a_version_issued_before_files_were_kept_has_no_file_to_download(client, rated, officer, media):
    old = IssuedDocument.objects.create(
        organization=rated["BS"], year=2017, kind="report", version=1, number="1", issued_on="2018-01-02",
        checksum="a" * 64, created_by=officer,
    )  # fmt: skip
    client.force_login(officer)
    assert client.get(reverse("reports:issued_pdf", args=[old.pk])).status_code == 404
    page = client.get(reverse("reports:detail", args=[rated["BS"].code, 2017])).content.decode()
    assert "không lưu tệp" in page


def test_no_version_and_no_file_is_left_when_the_version_cannot_be_recorded(client, rated, officer, media, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise RuntimeError("database gone")

    report = reports.report_build(organization=rated["BS"], year=2017)
    monkeypatch.setattr(IssuedDocument, "save", refuse)
    with pytest.raises(RuntimeError):
        issuing.document_issue(
            actor=officer, report=report, kind="report", number="7", issued_on=datetime.date(2018, 1, 2),
            signer_post="", signer_name="", recipients="",
        )  # fmt: skip
    assert not IssuedDocument.objects.exists()
    issued_dir = media / "issued"
    assert not issued_dir.exists() or not any(issued_dir.iterdir())
