"""Pages of a unit's documents: members' self-assessments (Mẫu 2A/2B/2C) uploaded on the portal, and the review
reports and self-assessments downloaded within scope, always as an attachment."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments import permissions
from assessments.common.uploads import stored_attachment
from assessments.cycle import forms, scoring, self_assessments
from assessments.cycle.views import _portal_post, _submission_for_action, _submission_read_require
from assessments.models import Member, ReviewDocument

CONTENT_TYPES = {
    ReviewDocument.FileKind.PDF: "application/pdf",
    ReviewDocument.FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@login_required
@require_POST
def portal_self_assessment_upload(request, code: str, year: int):
    """A member's self-assessment uploaded into the unit's file: a new version, the older ones kept."""
    submission = _submission_for_action(
        request,
        code,
        year,
        allowed=permissions.may_upload_for,
        refused=self_assessments.UPLOAD_REFUSED,
    )
    members = scoring.members_at_year_end(submission.organization, year)
    form = forms.SelfAssessmentUploadForm(request.POST, request.FILES, members=members)
    return _portal_post(
        request,
        submission,
        form,
        name="self_assessment",
        write=lambda: self_assessments.self_assessment_upload(
            submission=submission,
            member=Member.objects.get(pk=form.cleaned_data["member"]),
            form=form.cleaned_data["form"],
            file=form.cleaned_data["file"],
            actor=request.user,
        ),
        done=lambda document: (
            _("Đã nhận bản tự kiểm điểm lần %(v)s của %(name)s (%(file)s).")
            % {"v": document.version, "name": document.member.full_name, "file": document.original_name}
        ),
    )


@login_required
@require_GET
def self_assessment_download(request, pk: int):
    """A member's self-assessment, as an attachment: 404 outside the scope, 403 for a role that may not read it."""
    document = permissions.self_assessment_get_for_user(user=request.user, pk=pk)
    submission = document.submission
    _submission_read_require(request.user, submission)
    return document_attachment(document)


@login_required
@require_GET
def document_download(request, pk: int):
    """The unit's review report, as an attachment: 404 outside the scope."""
    document = permissions.document_get_for_user(user=request.user, pk=pk)
    return document_attachment(document)


def document_attachment(document) -> FileResponse:
    """A stored review report or self-assessment as an attachment under its original name; 404 if the file is gone."""
    return stored_attachment(document.file, filename=document.original_name, content_type=CONTENT_TYPES[document.kind])
