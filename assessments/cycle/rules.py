"""The yearly cycle's rules: review-file checks, rating locks, regulation checks and the unit's checklist."""

import hashlib
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessments.models import (
    GRASSROOTS_KINDS,
    Kind,
    MemberAssessment,
    Membership,
    NotRatedReason,
    Organization,
    RatingLevel,
    RatingScheme,
    ReviewDocument,
    Role,
    Subject,
    Submission,
    SubmissionStatus,
    UnitAssessment,
    year_end,
)

# --- review documents: size and content checks ------------------------------------------------------------------

_CHUNK = 1024 * 1024
DOCX_MAX_ENTRIES = 2000
DOCX_MAX_UNCOMPRESSED = 300 * 1024 * 1024


def _megabytes(size: int) -> str:
    return number_format(round(size / (1024 * 1024), 1), decimal_pos=1)


def review_file_check(handle: IO[bytes], name: str) -> str:
    """The kind ("pdf" or "docx") of an uploaded review report, after checking its size, content and structure."""
    lowered = (name or "").lower()
    max_bytes = int(settings.UPLOAD_MAX_BYTES)
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(0)
    if size == 0:
        raise ValidationError(_("Tệp “%(name)s” rỗng (0 byte).") % {"name": name})
    if size > max_bytes:
        raise ValidationError(
            _("Tệp “%(name)s” nặng %(size)s MB (%(bytes)s byte), vượt giới hạn %(max)s MB.")
            % {
                "name": name,
                "size": _megabytes(size),
                "bytes": number_format(size, force_grouping=True),
                "max": _megabytes(max_bytes),
            }
        )
    if lowered.endswith((".docm", ".dotm")):
        raise ValidationError(
            _("Tệp “%(name)s” là văn bản Word có macro: không nhận, hãy lưu thành .docx hoặc .pdf.") % {"name": name}
        )
    if lowered.endswith(".pdf"):
        expected = ReviewDocument.FileKind.PDF
    elif lowered.endswith(".docx"):
        expected = ReviewDocument.FileKind.DOCX
    else:
        raise ValidationError(_("Tệp “%(name)s”: chỉ nhận báo cáo dạng PDF (.pdf) hoặc Word (.docx).") % {"name": name})
    head = handle.read(8192)
    handle.seek(0)
    guessed = filetype.guess(head)
    found = guessed.extension if guessed else _("không rõ")
    if expected == ReviewDocument.FileKind.PDF:
        if guessed is None or guessed.extension != "pdf" or not head.startswith(b"%PDF-"):
            raise ValidationError(
                _("Tệp “%(name)s” có đuôi .pdf nhưng nội dung không phải PDF (nhận ra: %(found)s).")
                % {"name": name, "found": found}
            )
        handle.seek(max(0, size - 2048))
        tail = handle.read()
        handle.seek(0)
        if b"%%EOF" not in tail:
            raise ValidationError(
                _("Tệp “%(name)s” không phải PDF hoàn chỉnh: thiếu dấu kết thúc %%%%EOF (tệp hỏng hoặc tải chưa xong).")
                % {"name": name}
            )
        return expected
    if guessed is None or guessed.extension not in ("docx", "zip"):
        raise ValidationError(
            _("Tệp “%(name)s” có đuôi .docx nhưng nội dung không phải văn bản Word (nhận ra: %(found)s).")
            % {"name": name, "found": found}
        )
    _docx_check(handle, name)
    return expected


def _docx_check(handle: IO[bytes], name: str) -> None:
    """Read only the zip directory: a Word body must be there, macros and decompression bombs must not."""
    try:
        with zipfile.ZipFile(handle) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ValidationError(_("Tệp “%(name)s” bị hỏng, không mở được như văn bản .docx.") % {"name": name}) from error
    finally:
        handle.seek(0)
    names = {entry.filename for entry in entries}
    if any(entry.lower().endswith("vbaproject.bin") for entry in names):
        raise ValidationError(
            _("Tệp “%(name)s” chứa macro (vbaProject.bin): không nhận, hãy lưu thành .docx không có macro hoặc .pdf.")
            % {"name": name}
        )
    if "word/document.xml" not in names:
        raise ValidationError(
            _("Tệp “%(name)s” không phải văn bản Word: thiếu phần nội dung word/document.xml.") % {"name": name}
        )
    if len(entries) > DOCX_MAX_ENTRIES or sum(entry.file_size for entry in entries) > DOCX_MAX_UNCOMPRESSED:
        raise ValidationError(
            _("Tệp “%(name)s” khi giải nén quá lớn hoặc có quá nhiều thành phần; không nhận.") % {"name": name}
        )


def file_sha256(handle: IO[bytes]) -> str:
    """SHA-256 of a file, read in chunks so that a large upload is never held in memory at once."""
    digest = hashlib.sha256()
    handle.seek(0)
    for chunk in iter(lambda: handle.read(_CHUNK), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


# --- locks: which ratings an actor may still change ---------------------------------------------------------------


def _deciding_codes(organization: Organization) -> list[str]:
    """Codes whose submission governs this organization's ratings: its own, and for a cell its grassroots unit's."""
    codes = [organization.code]
    if organization.kind not in GRASSROOTS_KINDS:
        # Cells and sub-committees are rated by the grassroots committee above them; its submission governs them.
        codes += [code for code in organization.path.split("/")[:-1] if code and code != organization.code]
    return codes


def rating_locks(*, organizations: Iterable[Organization], year: int, actor) -> dict[int, str]:
    """The organizations (by id) whose ratings for the year the actor may not change, each with why (one query)."""
    organizations = list(organizations)
    if not organizations:
        return {}
    wanted = {org.pk: _deciding_codes(org) for org in organizations}
    codes = {code for group in wanted.values() for code in group}
    rows = Submission.objects.filter(
        cycle__year=year,
        organization__code__in=codes,
        status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.FINALIZED],
    ).values_list("organization__code", "organization__kind", "organization__name", "status")
    found = {code: (kind, name, status) for code, kind, name, status in rows}
    secretary = actor is not None and not actor.is_superuser and actor.role == Role.SECRETARY
    locks = {}
    for org in organizations:
        for code in wanted[org.pk]:
            if code not in found:
                continue
            kind, name, status = found[code]
            if code != org.code and kind not in GRASSROOTS_KINDS:
                continue
            if status == SubmissionStatus.FINALIZED:
                locks[org.pk] = _(
                    "Kết quả năm %(year)s của %(unit)s đã chốt: muốn sửa, cấp trên phải mở lại kèm lý do."
                ) % {"year": year, "unit": name}
            elif secretary:
                locks[org.pk] = _(
                    "Hồ sơ năm %(year)s của %(unit)s đã gửi lên cấp trên: chỉ sửa được khi cấp trên trả lại."
                ) % {"year": year, "unit": name}
            break
    return locks


def rating_lock_check(*, organization: Organization, year: int, actor) -> None:
    """Refuse a change to a rating that is finalized, or already submitted when the actor is the unit's secretary."""
    locks = rating_locks(organizations=[organization], year=year, actor=actor)
    if organization.pk in locks:
        raise ValidationError(locks[organization.pk])


# --- regulation checks ----------------------------------------------------------------------------------------------

# Schemes with the 20% cap on members rated excellent against good (21-HD/BTCTW 2019, 124-QĐ/TW, 366-QĐ/TW).
CAP_SCHEMES = ("qd132-2018", "qd124-2023", "qd366-2025")
CAP_FIRST_YEAR = 2019
CAP_PERCENT = 20
HD27 = "hd27-2014"


@dataclass
class CheckResult:
    """One regulation check on one unit: whether it passed, and the numbers behind it for display."""

    code: str
    title: str
    organization: Organization
    passed: bool
    message: str
    numbers: dict = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return not self.passed


def _percent(part: int, whole: int) -> str:
    # Rounded first: number_format cuts decimals off (66.67 would show as 66,6).
    return number_format(round(100 * part / whole, 1), decimal_pos=1) + "%" if whole else "—"


def cap_applies(scheme: RatingScheme | None, year: int) -> bool:
    """The 20% cap binds from 2019 under the schemes that state it."""
    return scheme is not None and scheme.code in CAP_SCHEMES and year >= CAP_FIRST_YEAR


def excellent_cap_checks(
    *, organizations: Iterable[Organization], year: int, scheme: RatingScheme | None
) -> dict[int, CheckResult]:
    """Members rated excellent within each grassroots organization must not exceed 20% of those rated good."""
    organizations = list(organizations)
    if not organizations or not cap_applies(scheme, year):
        return {}
    condition = Q()
    for org in organizations:
        condition |= Q(organization__path__startswith=org.path)
    rows = (
        MemberAssessment.objects.filter(condition, year=year, level__code__in=["excellent", "good"])
        .values_list("organization__path", "level__code")
        .annotate(n=Count("id"))
    )
    counts: dict[int, dict[str, int]] = {org.pk: {"excellent": 0, "good": 0} for org in organizations}
    # Longest path first, so a cell is counted in its nearest grassroots organization.
    by_path = sorted(organizations, key=lambda org: -len(org.path))
    for path, code, n in rows:
        owner = next((org for org in by_path if path.startswith(org.path)), None)
        if owner is not None:
            counts[owner.pk][code] += n
    results = {}
    for org in organizations:
        excellent, good = counts[org.pk]["excellent"], counts[org.pk]["good"]
        allowed = good * CAP_PERCENT // 100
        passed = excellent * 100 <= good * CAP_PERCENT
        numbers = {"excellent": excellent, "good": good, "allowed": allowed, "percent": _percent(excellent, good)}
        if passed:
            message = _(
                "%(excellent)s đảng viên hoàn thành xuất sắc nhiệm vụ, %(good)s hoàn thành tốt nhiệm vụ: "
                "tối đa được %(allowed)s (20%% của số hoàn thành tốt)."
            )
        else:
            message = _(
                "%(excellent)s đảng viên hoàn thành xuất sắc nhiệm vụ = %(percent)s của %(good)s hoàn thành tốt "
                "nhiệm vụ, vượt mức tối đa 20%% (tối đa %(allowed)s)."
            )
        results[org.pk] = CheckResult(
            code="excellent_cap",
            title=_("Tỉ lệ xuất sắc không quá 20% số hoàn thành tốt"),
            organization=org,
            passed=passed,
            message=message % numbers,
            numbers=numbers,
        )
    return results


def committee_weak_units_check(
    *, organization: Organization, year: int, scheme: RatingScheme | None, level: RatingLevel | None
) -> CheckResult | None:
    """hd27-2014: a grassroots committee with more than a third of its units weak cannot be rated above weak."""
    if scheme is None or scheme.code != HD27 or organization.kind != Kind.GRASSROOTS_COMMITTEE:
        return None
    totals = (
        Organization.objects.filter(parent=organization)
        .for_year(year)
        .aggregate(
            total=Count("id", distinct=True),
            weak=Count("assessments", filter=Q(assessments__year=year, assessments__level__code="weak")),
        )
    )
    total, weak = totals["total"], totals["weak"]
    over = weak * 3 > total
    passed = not (over and level is not None and level.rank < 4)
    numbers = {"weak": weak, "total": total, "percent": _percent(weak, total)}
    if not over:
        message = _("%(weak)s/%(total)s đơn vị trực thuộc yếu kém (%(percent)s), không quá 1/3.")
    elif passed:
        message = _("%(weak)s/%(total)s đơn vị trực thuộc yếu kém (%(percent)s), quá 1/3: chỉ được xếp Yếu kém.")
    else:
        numbers["level"] = level.label
        message = _(
            "%(weak)s/%(total)s đơn vị trực thuộc yếu kém (%(percent)s), quá 1/3: không được xếp “%(level)s”, "
            "chỉ được xếp Yếu kém."
        )
    return CheckResult(
        code="committee_weak_units",
        title=_("Đảng bộ có quá 1/3 đơn vị trực thuộc yếu kém"),
        organization=organization,
        passed=passed,
        message=message % numbers,
        numbers=numbers,
    )


def cell_not_completed_checks(
    *, cells: Iterable[Organization], year: int, scheme: RatingScheme | None, levels: dict[int, RatingLevel | None]
) -> list[CheckResult]:
    """hd27-2014: a cell with more than half its members not completed cannot be rated above weak (one query)."""
    cells = list(cells)
    if scheme is None or scheme.code != HD27 or not cells:
        return []
    rows = (
        MemberAssessment.objects.filter(year=year, organization__in=cells)
        .values("organization_id")
        .annotate(total=Count("id"), bad=Count("id", filter=Q(level__code="not_completed")))
    )
    counts = {row["organization_id"]: (row["bad"], row["total"]) for row in rows}
    results = []
    for cell in cells:
        bad, total = counts.get(cell.pk, (0, 0))
        level = levels.get(cell.pk)
        over = bad * 2 > total
        passed = not (over and level is not None and level.rank < 4)
        numbers = {"cell": cell.name, "bad": bad, "total": total, "percent": _percent(bad, total)}
        if not over:
            message = _("%(cell)s: %(bad)s/%(total)s đảng viên không hoàn thành nhiệm vụ (%(percent)s), không quá 1/2.")
        elif passed:
            message = _(
                "%(cell)s: %(bad)s/%(total)s đảng viên không hoàn thành nhiệm vụ (%(percent)s), quá 1/2: "
                "chi bộ chỉ được xếp Yếu kém."
            )
        else:
            numbers["level"] = level.label
            message = _(
                "%(cell)s: %(bad)s/%(total)s đảng viên không hoàn thành nhiệm vụ (%(percent)s), quá 1/2: "
                "không được xếp “%(level)s”, chỉ được xếp Yếu kém."
            )
        results.append(
            CheckResult(
                code="cell_not_completed",
                title=_("Chi bộ có quá 1/2 đảng viên không hoàn thành nhiệm vụ"),
                organization=cell,
                passed=passed,
                message=message % numbers,
                numbers=numbers,
            )
        )
    return results


def decided_cells(organization: Organization, year: int) -> list[Organization]:
    """The cells a grassroots committee rates itself, as they stood at the end of the year."""
    if organization.kind != Kind.GRASSROOTS_COMMITTEE:
        return []
    return list(
        Organization.objects.subtree(organization)
        .for_year(year)
        .filter(kind__in=[Kind.CELL, Kind.SUBCOMMITTEE])
        .order_by("name_folded")
    )


def submission_checks(*, submission: Submission, level: RatingLevel | None) -> list[CheckResult]:
    """Every regulation check of a unit's submission, judged against the level about to be recorded."""
    org, year, scheme = submission.organization, submission.cycle.year, submission.cycle.scheme
    results = list(excellent_cap_checks(organizations=[org], year=year, scheme=scheme).values())
    committee = committee_weak_units_check(organization=org, year=year, scheme=scheme, level=level)
    if committee is not None:
        results.append(committee)
    if scheme is not None and scheme.code == HD27:
        if org.kind == Kind.GRASSROOTS_CELL:
            results += cell_not_completed_checks(cells=[org], year=year, scheme=scheme, levels={org.pk: level})
        else:
            cells = [cell for cell in decided_cells(org, year) if cell.kind == Kind.CELL]
            levels = dict(
                UnitAssessment.objects.filter(organization__in=cells, year=year)
                .select_related("level")
                .values_list("organization_id", "level")
            )
            level_objects = {lv.pk: lv for lv in RatingLevel.objects.filter(pk__in=[v for v in levels.values() if v])}
            results += cell_not_completed_checks(
                cells=cells,
                year=year,
                scheme=scheme,
                levels={pk: level_objects.get(level_id) for pk, level_id in levels.items()},
            )
    return results


# --- the unit's checklist -------------------------------------------------------------------------------------------


@dataclass
class ChecklistItem:
    """One step the unit must complete before it can submit."""

    code: str
    title: str
    done: bool
    detail: str = ""


def member_rating_counts(*, organization: Organization, year: int) -> dict:
    """Members of the unit at year end, how many have a rating row for the year, and counts by level (two queries)."""
    day = year_end(year)
    memberships = Membership.objects.filter(organization__path__startswith=organization.path, start__lte=day).filter(
        Q(end__isnull=True) | Q(end__gte=day)
    )
    totals = memberships.aggregate(
        total=Count("member", distinct=True),
        missing=Count(
            "member",
            distinct=True,
            filter=~Exists(MemberAssessment.objects.filter(member=OuterRef("member"), year=year)),
        ),
    )
    by_level = list(
        MemberAssessment.objects.filter(organization__path__startswith=organization.path, year=year)
        .values("level__code", "level__label_vi", "level__label_en", "level__rank", "not_rated_reason")
        .annotate(n=Count("id"))
        .order_by("level__rank", "not_rated_reason")
    )
    english = (get_language() or "vi").startswith("en")
    for row in by_level:
        if row["level__code"]:
            row["label"] = (row["level__label_en"] or row["level__label_vi"]) if english else row["level__label_vi"]
        else:
            reason = NotRatedReason(row["not_rated_reason"]).label if row["not_rated_reason"] else ""
            row["label"] = _("Không xếp loại: %(reason)s") % {"reason": reason}
    return {"total": totals["total"], "missing": totals["missing"], "by_level": by_level}


def missing_member_names(*, organization: Organization, year: int, limit: int = 5) -> list[str]:
    """A few members of the unit at year end who have no rating row for the year, for the error message."""
    day = year_end(year)
    return list(
        Membership.objects.filter(organization__path__startswith=organization.path, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .exclude(Exists(MemberAssessment.objects.filter(member=OuterRef("member"), year=year)))
        .order_by("member__name_folded")
        .values_list("member__full_name", flat=True)
        .distinct()[:limit]
    )


def submission_checklist(
    *,
    submission: Submission,
    members: dict | None = None,
    own: UnitAssessment | None = None,
    cells: list[Organization] | None = None,
) -> list[ChecklistItem]:
    """What the unit has done and still has to do before it may submit (pages pass what they already read)."""
    org, year = submission.organization, submission.cycle.year
    items = []
    latest = submission.documents.order_by("-version").first()
    items.append(
        ChecklistItem(
            code="document",
            title=_("Tải lên báo cáo kiểm điểm (PDF hoặc DOCX)"),
            done=latest is not None,
            detail=(_("Đã có bản lần %(v)s: %(name)s.") % {"v": latest.version, "name": latest.original_name})
            if latest
            else _("Chưa có báo cáo kiểm điểm."),
        )
    )
    counts = members if members is not None else member_rating_counts(organization=org, year=year)
    if counts["total"] == 0:
        detail = _("Đơn vị không có đảng viên nào vào ngày 31/12/%(year)s.") % {"year": year}
    elif counts["missing"]:
        names = ", ".join(missing_member_names(organization=org, year=year))
        detail = _("Còn %(n)s/%(total)s đảng viên chưa có kết quả xếp loại, ví dụ: %(names)s.") % {
            "n": counts["missing"],
            "total": counts["total"],
            "names": names,
        }
    else:
        detail = _("Đủ kết quả xếp loại của %(total)s đảng viên.") % {"total": counts["total"]}
    items.append(
        ChecklistItem(
            code="members",
            title=_("Tải lên kết quả xếp loại đảng viên"),
            done=counts["total"] > 0 and counts["missing"] == 0,
            detail=detail,
        )
    )
    if own is None:
        own = UnitAssessment.objects.filter(organization=org, year=year).select_related("self_level").first()
    items.append(
        ChecklistItem(
            code="self_level",
            title=_("Đề xuất mức xếp loại của đơn vị (tự đánh giá)"),
            done=own is not None and own.self_level_id is not None,
            detail=(_("Đã đề xuất: %(level)s.") % {"level": own.self_level.label})
            if own and own.self_level_id
            else _("Chưa đề xuất mức xếp loại."),
        )
    )
    if cells is None:
        cells = decided_cells(org, year)
    if cells:
        decided = UnitAssessment.objects.filter(organization__in=cells, year=year).filter(
            Q(level__isnull=False) | ~Q(not_rated_reason="")
        )
        n = decided.count()
        items.append(
            ChecklistItem(
                code="cells",
                title=_("Quyết định xếp loại các chi bộ trực thuộc"),
                done=n == len(cells),
                detail=_("Đã quyết định %(n)s/%(total)s chi bộ.") % {"n": n, "total": len(cells)},
            )
        )
    return items


# --- reads for the cycle pages ----------------------------------------------------------------------------------------


def cycle_units(cycle) -> list[dict]:
    """The units of a cycle with their submission's state, levels and document count, in a fixed number of queries."""
    from django.db.models import FilteredRelation

    units = list(
        cycle.units()
        .annotate(
            sub=FilteredRelation("submissions", condition=Q(submissions__cycle=cycle)),
            rating=FilteredRelation("assessments", condition=Q(assessments__year=cycle.year)),
        )
        .values(
            "pk",
            "code",
            "name",
            "kind",
            "sub__status",
            "sub__submitted_at",
            "sub__pk",
            "rating__self_level__label_vi",
            "rating__self_level__label_en",
            "rating__level__label_vi",
            "rating__level__label_en",
        )
        .order_by("name_folded")
    )
    docs = dict(
        ReviewDocument.objects.filter(submission__cycle=cycle)
        .values("submission_id")
        .annotate(n=Count("id"))
        .values_list("submission_id", "n")
    )
    labels = dict(SubmissionStatus.choices)
    english = (get_language() or "vi").startswith("en")
    for unit in units:
        for name in ("self_level", "level"):
            vi, en = unit[f"rating__{name}__label_vi"], unit[f"rating__{name}__label_en"]
            unit[name] = (en or vi) if english else vi
        unit["status"] = unit["sub__status"] or SubmissionStatus.DRAFT
        unit["status_label"] = labels[unit["status"]]
        unit["documents"] = docs.get(unit["sub__pk"], 0)
        unit["submitted"] = unit["status"] in (SubmissionStatus.SUBMITTED, SubmissionStatus.FINALIZED)
    return units


def status_counts(units: list[dict]) -> dict[str, int]:
    """Units of a cycle counted by the state of their submission."""
    counts: dict[str, int] = defaultdict(int)
    for unit in units:
        counts[unit["status"]] += 1
    return {value: counts[value] for value in SubmissionStatus.values}


def unit_levels(year: int) -> list[RatingLevel]:
    """The unit levels of the year's scheme, best first."""
    scheme = RatingScheme.for_year(year)
    if scheme is None:
        return []
    return list(scheme.levels.filter(subject=Subject.UNIT).order_by("rank"))
