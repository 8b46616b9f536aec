"""Helpers for the yearly-cycle tests: review files, members with ratings, an opened year."""

import datetime
import io
import zipfile

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import services
from assessments.cycle import services as cycle_services
from assessments.models import Member, MemberAssessment, Membership, Organization, Submission
from tests.factories import MemberFactory, level, scores_for

PDF_STORED = b"%PDF-1.4\n%%EOF\n"


def pdf_bytes(body: bytes = b"Bao cao kiem diem") -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Length 10 >> stream\n" + body + b"\nendstream endobj\ntrailer << >>\n%%EOF\n"


def docx_bytes(*, macro: bool = False, body: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        if body:
            archive.writestr("word/document.xml", "<w:document>Báo cáo kiểm điểm</w:document>")
        else:
            archive.writestr("word/styles.xml", "<w:styles/>")
        if macro:
            archive.writestr("word/vbaProject.bin", b"\0macro")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def members_rated(cell: Organization, year: int, scheme: str, codes: list[str]) -> list[MemberAssessment]:
    """One member of the cell (with a membership covering the year) per level code, rated that year."""
    rated = []
    for code in codes:
        member = MemberFactory(organization=cell)
        Membership.objects.create(member=member, organization=cell, start=datetime.date(2000, 1, 1))
        rated.append(
            MemberAssessment.objects.create(
                member=member, organization=cell, year=year, level=level(scheme, "member", code)
            )
        )
    return rated


def year_opened(*, officer, tree, year: int = 2025) -> dict[str, Submission]:
    """The district opens the year; returns the submissions by unit code."""
    cycle = cycle_services.year_open(
        organization=tree["BS"], year=year, deadline=datetime.date(year, 12, 15), actor=officer
    )
    return {s.organization.code: s for s in cycle.submissions.select_related("organization", "cycle__scheme")}


def submission_ready(*, submission: Submission, secretary, scheme: str, self_level: str, cell_level: str) -> None:
    """What a secretary does before submitting: report, self level, every cell decided (members rated by caller)."""
    cycle_services.document_upload(submission=submission, file=upload("bao-cao.pdf", pdf_bytes()), actor=secretary)
    cycle_services.unit_self_level_propose(
        submission=submission, level=level(scheme, "unit", self_level), actor=secretary
    )
    for cell in Organization.objects.filter(parent=submission.organization):
        cycle_services.cell_level_decide(
            submission=submission,
            cell=cell,
            level=level(scheme, "unit", cell_level),
            actor=secretary,
            scores=scores_for(cell_level) if scheme == "qd366-2025" else None,
        )


def nhat_tien_ready(*, submission: Submission, tree, secretary) -> None:
    """Nhất Tiến's 2025 file ready to submit: one member of its first cell rated good, the unit and cells good."""
    members_rated(tree["BS-NHAT-TIEN-01"], 2025, "qd366-2025", ["good"])
    submission_ready(
        submission=submission, secretary=secretary, scheme="qd366-2025", self_level="good", cell_level="good"
    )


def nhat_tien_people(tree) -> list:
    """Dương Thị Mai and Lý Văn Nam, members of Nhất Tiến's two cells since 2010."""
    people = []
    for cell, name in (("BS-NHAT-TIEN-01", "Dương Thị Mai"), ("BS-NHAT-TIEN-02", "Lý Văn Nam")):
        member = MemberFactory(organization=tree[cell], full_name=name)
        Membership.objects.create(member=member, organization=tree[cell], start=datetime.date(2010, 1, 1))
        people.append(member)
    return people


def pdf_document_stored(model, name: str, **fields):
    """A review report or self-assessment row (version 1, a small PDF) written as it is, with no upload checks."""
    document = model(version=1, original_name=name, kind="pdf", size=15, checksum="0" * 64, **fields)
    document.file.save(name, ContentFile(PDF_STORED), save=False)
    document.save()
    return document


def nhat_tien_members_year_opened(*, tree, officer, names, year: int, card_prefix: str, **fields) -> None:
    """Members of the given names in Nhất Tiến's two cells in turn, saved through the service (admitted and joined
    on 2 March 2005), then the district's year opened with a draft per unit."""
    cells = [tree["BS-NHAT-TIEN-01"], tree["BS-NHAT-TIEN-02"]]
    for i, name in enumerate(names):
        member = Member(
            card_number=f"{card_prefix}{i:04d}",
            full_name=name,
            status="official",
            organization=cells[i % 2],
            admitted_on=datetime.date(2005, 3, 2),
            **fields,
        )
        services.member_save(member=member, actor=officer, joined_on=datetime.date(2005, 3, 2))
    cycle_services.year_open(organization=tree["BS"], year=year, deadline=datetime.date(year, 12, 15), actor=officer)
