"""Pages to upload, preview, confirm and follow imports; templates and files with errors to download."""

import contextlib
import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessments import permissions
from assessments.common.uploads import file_size_check
from assessments.common.vocabulary import number_text
from assessments.importing import (
    DATA_TYPE_LABELS,
    DATA_TYPES,
    FileRejected,
    file_check,
    final_import_allowed,
    import_allowed,
    import_record_create,
    import_record_run,
)
from assessments.importing.columns import COLUMNS, MEMBER_RATINGS, MEMBERS, ORGANIZATIONS, UNIT_RATINGS
from assessments.importing.records import import_record_expire_if_stale, import_record_may_write, import_record_start
from assessments.importing.tasks import import_record_task, progress_key
from assessments.importing.workbooks import annotated_file, template_workbook
from assessments.models import MAX_YEAR, MIN_YEAR, ImportRecord

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows of the preview per page: a 135-row preview was a 27,560 px page on a phone.
PREVIEW_PAGE_ROWS = 25


def _importer(user) -> None:
    """Leaders read but never import (403); every other role may import at least one type."""
    permissions.role_require(permissions.may_import(user), _("Lãnh đạo chỉ xem số liệu, không nhập dữ liệu."))


def _record_for_importer(user, pk: int) -> ImportRecord:
    """The user's import record, for a user who may import. Scope first (404): another district's import is not
    found, whatever the user's role; then the role (403)."""
    record = permissions.import_record_get_for_user(user=user, pk=pk)
    _importer(user)
    return record


class UploadForm(forms.Form):
    data_type = forms.ChoiceField(label=gettext_lazy("Loại dữ liệu"))
    file = forms.FileField(label=gettext_lazy("Tệp CSV hoặc XLSX"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["data_type"].choices = [(t, DATA_TYPE_LABELS[t]) for t in DATA_TYPES if import_allowed(user, t)]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            file_size_check(upload.size)  # first: a file too big is told so whatever its name
            file_check(upload, upload.name)
        except FileRejected as rejected:
            raise forms.ValidationError(rejected.message) from rejected
        return upload


def _run_or_queue(record: ImportRecord, *, dry_run: bool, user, final: bool = False) -> None:
    """Small files are handled in the request; larger ones by a Celery task after commit."""
    if record.rows_estimated > settings.IMPORT_ASYNC_ROWS:
        import_record_start(record=record, dry_run=dry_run)
        import_record_task.delay_on_commit(record.pk, dry_run, final)
        return
    with contextlib.suppress(FileRejected):  # the record carries the message
        import_record_run(record=record, dry_run=dry_run, scope_user=user, final=final)


# The type an upload page opens on when no link chose one: the yearly task first, never the tree of organizations.
DEFAULT_ORDER = (MEMBER_RATINGS, UNIT_RATINGS, MEMBERS, ORGANIZATIONS)
ERRORS_SESSION_KEY = "import_upload_errors"


def _next_url(request) -> str:
    """Where the user came from (a page of this site only), to offer the way back after the import."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False):
        return url
    return ""


def _with_query(url: str, **params) -> str:
    query = urlencode({key: value for key, value in params.items() if value})
    return f"{url}?{query}" if query else url


def _chosen_type(request) -> str:
    """The type a link asked for (?data_type=), if the user may import it; else the first of DEFAULT_ORDER."""
    allowed = [t for t in DEFAULT_ORDER if import_allowed(request.user, t)]
    asked = request.POST.get("data_type") or request.GET.get("data_type")
    if asked in DATA_TYPES and import_allowed(request.user, asked):
        return asked  # any type the user may import, e.g. item_scores from the portal's scoring section
    return allowed[0] if allowed else ""


@login_required
def import_upload(request):
    _importer(request.user)
    next_url = _next_url(request)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            record = import_record_create(
                handle=upload,
                name=upload.name,
                data_type=form.cleaned_data["data_type"],
                actor=request.user,
                dry_run=True,
            )
            _run_or_queue(record, dry_run=True, user=request.user)
            return redirect(_with_query(reverse("assessments:import_preview", args=[record.pk]), next=next_url))
        # Back to the page by GET (a reload never re-posts nor lands on a POST-only address), errors kept.
        request.session[ERRORS_SESSION_KEY] = {
            name: [str(message) for message in messages_] for name, messages_ in form.errors.items()
        }
        back = _with_query(
            reverse("assessments:import_upload"),
            data_type=_chosen_type(request),
            year=request.GET.get("year"),
            next=next_url,
        )
        return redirect(back)
    form = UploadForm(initial={"data_type": _chosen_type(request)}, user=request.user)
    upload_errors = request.session.pop(ERRORS_SESSION_KEY, {})
    # The user's own imports made for the unit they are in now (those of a unit they left stay with it), without
    # the errors and changes kept for the preview (JSON of up to a few hundred rows each, decoded for nothing).
    recent = (
        ImportRecord.objects.filter(organization_id=request.user.organization_id, user=request.user)
        .only("pk", "created_at", "file_name", "status")
        .order_by("-created_at")[:10]
    )
    types = [(t, DATA_TYPE_LABELS[t]) for t in DATA_TYPES if import_allowed(request.user, t)]
    return render(
        request,
        "assessments/import_upload.html",
        {
            "form": form,
            "upload_errors": upload_errors,
            "file_errors": upload_errors.get("file", []),
            "other_errors": [m for name, found in upload_errors.items() if name != "file" for m in found],
            "next_url": next_url,
            "recent": recent,
            "types": types,
            "year": _year_asked(request) or _year_default(request.user),
            "max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
            "max_rows": settings.IMPORT_MAX_ROWS,
        },
    )


def _year_default(user) -> int:
    """The year the member-ratings template is offered for: the latest one open for the user's unit, else the latest
    with results in scope (as the dashboard's), else last year; an open year the user's unit did not live to the end
    of (a commune merged away mid-year) is not its year."""
    from assessments.pages import selectors, years

    unit = user.organization
    open_ = [year for year in years.open_years_for_user(user) if unit is None or unit.exists_in(year)]
    return max(open_, default=None) or selectors.latest_unit_year(user=user) or datetime.date.today().year - 1


def _year_asked(request) -> int | None:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return None
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _progress_context(record: ImportRecord) -> dict:
    done = cache.get(progress_key(record.pk)) or 0
    total = max(record.rows_estimated, done, 1)
    return {"record": record, "done": done, "total": total, "percent": int(100 * done / total)}


@login_required
def import_preview(request, pk: int):
    record = _record_for_importer(request.user, pk)
    import_record_expire_if_stale(record)
    context = _progress_context(record)
    changes = Paginator(record.changes or [], PREVIEW_PAGE_ROWS).get_page(request.GET.get("trang"))
    errors = Paginator(record.errors or [], PREVIEW_PAGE_ROWS).get_page(request.GET.get("trang_loi"))
    context.update(
        {
            "changes": changes,
            "errors_page": errors,
            "next_url": _next_url(request),
            "type_label": DATA_TYPE_LABELS.get(record.data_type, record.data_type),
            "can_confirm": import_record_may_write(record) and record.user_id == request.user.pk,
            "can_finalize": final_import_allowed(request.user, record.data_type),
            "more_errors": max(record.error_count - len(record.errors), 0),
            "columns": COLUMNS.get(record.data_type, ()),
        }
    )
    return render(request, "assessments/import_preview.html", context)


@login_required
def import_progress(request, pk: int):
    record = _record_for_importer(request.user, pk)
    import_record_expire_if_stale(record)
    response = render(request, "assessments/includes/import_progress.html", _progress_context(record))
    if not record.is_running:
        response["HX-Refresh"] = "true"  # the whole page shows the outcome
    return response


@login_required
@require_POST
def import_confirm(request, pk: int):
    record = _record_for_importer(request.user, pk)
    permissions.role_require(
        permissions.may_confirm_import(request.user, record), _("Chỉ người tải tệp lên mới xác nhận được lần nhập này.")
    )
    if not import_record_may_write(record):
        messages.error(request, _("Lần nhập này không còn chờ xác nhận."))
        return redirect("assessments:import_preview", pk=record.pk)
    final = request.POST.get("final") == "on"
    permissions.role_require(
        not final or final_import_allowed(request.user, record.data_type),
        _("Chỉ cán bộ Ban Tổ chức mới nhập kết quả xếp loại như đã chốt."),
    )
    _run_or_queue(record, dry_run=False, user=request.user, final=final)
    record.refresh_from_db()
    preview = _with_query(reverse("assessments:import_preview", args=[record.pk]), next=_next_url(request))
    if record.status == ImportRecord.Status.SUCCEEDED:
        messages.success(
            request,
            _("Đã ghi: %(c)s thêm mới, %(u)s cập nhật, %(n)s không đổi.")
            % {
                "c": number_text(record.created),
                "u": number_text(record.updated),
                "n": number_text(record.unchanged),
            },
        )
    elif record.status == ImportRecord.Status.FAILED:
        messages.error(request, _("Dữ liệu đã thay đổi từ lúc kiểm tra: có lỗi, không ghi gì."))
    return redirect(preview)


@login_required
def import_errors(request, pk: int):
    record = _record_for_importer(request.user, pk)
    if not record.file:
        # A record whose file was never kept (rejected before storing, or cleaned up) has nothing to annotate.
        raise Http404
    try:
        handle, name = annotated_file(record)
    except FileRejected as rejected:
        messages.error(request, rejected.message)
        return redirect("assessments:import_preview", pk=record.pk)
    content_type = XLSX_TYPE if name.endswith(".xlsx") else "text/csv; charset=utf-8"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)


@login_required
def import_template(request, data_type: str):
    _importer(request.user)
    if data_type not in DATA_TYPES:
        raise Http404
    permissions.role_require(
        import_allowed(request.user, data_type),
        _("Vai trò của bạn không được nhập loại dữ liệu “%(type)s”.") % {"type": DATA_TYPE_LABELS[data_type]},
    )
    year = _year_asked(request) if data_type == MEMBER_RATINGS else None
    content = template_workbook(data_type, user=request.user, year=year)
    name = f"mau-{data_type}{'-' + str(year) if year else ''}.xlsx"
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
