"""The URL matrix: every URL of the project, walked from the resolver, against every persona: the one URL walker.

The policy it holds (docs/architecture.md, "Scope and permissions"):
- anonymous visitors go to the login page (the API answers 401 with WWW-Authenticate: Token);
- an object outside the user's scope answers 404, whether it exists or not, and nothing of it shows: checked with
  planted data of a commune of the same district and of a second district (Bình Gia, with its own officer);
- an action inside the scope that the role may not take answers 403 (FORBIDDEN, per persona);
- a year outside MIN_YEAR..MAX_YEAR answers 404 in every URL that has one;
- no role gets a server error, and no GET (nor a leader's POST) writes anything;
- every page an officer opens sends the CSP and has no inline script or style.

URLs added later are picked up automatically: a new object kind needs one line in OBJECT_FOR (which object a `pk`
means); until then its `pk` points at a row that does not exist, which still checks the anonymous redirect.
"""

import datetime

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from assessments.cycle import services as cycle_services
from assessments.models import (
    Collective,
    ImportRecord,
    IssuedDocument,
    Kind,
    Notice,
    NoticeKind,
    Position,
    ReviewDocument,
    Role,
    Sector,
    SelfAssessmentDocument,
    Submission,
)
from tests.consolidation_factories import PlanFactory, ProgrammeFactory
from tests.criteria_factories import criteria_set_make
from tests.cycle_factories import pdf_document_stored
from tests.factories import MemberFactory, OrganizationFactory, UserFactory
from tests.security.test_hardening import inline_problems

pytestmark = pytest.mark.django_db

# Open to everybody on purpose, each with the reason.
PUBLIC = {
    "login": "the login page itself",
    "logout": "logging out needs no account (POST only; it ends nothing for an anonymous visitor)",
    "set_language": "the language switch works before logging in (login page in English)",
}
OTHER_YEAR = 2019


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            converters = getattr(entry.pattern, "converters", None)
            params = list(converters) if converters else list(entry.pattern.regex.groupindex)
            yield name, prefix + str(entry.pattern), params


def _routes() -> list[tuple[str, tuple]]:
    admin_prefix = settings.ADMIN_URL
    seen, routes = set(), []
    for name, route, params in _walk(get_resolver().url_patterns):
        if route.startswith(admin_prefix) or name.startswith("admin:"):
            continue  # the admin has its own permission system (is_staff, model permissions), tested in test_admin
        if name in seen or "format" in params:
            continue  # DRF's .json suffix variants are the same views
        seen.add(name)
        routes.append((name, tuple(params)))
        if route.startswith("api/"):
            API_ROUTES.add(name)
    return routes


API_ROUTES: set[str] = set()
ROUTES = _routes()
PRIVATE = [(name, params) for name, params in ROUTES if name not in PUBLIC]
PAGES = [(name, params) for name, params in PRIVATE if name not in API_ROUTES]

# Which object a `pk` means, by URL name prefix (longest first wins).
OBJECT_FOR = {
    "assessments:document_": "document",
    "assessments:self_assessment_": "self_assessment",
    "assessments:import_": "import",
    "assessments:notice_read": "notice",
    "consolidation:plan_": "plan",
    "consolidation:task_progress_add": "plan",
    "consolidation:measurement_add": "plan",
    "consolidation:programme_": "programme",
    "reports:issued_": "issued",
    "assessments:criteria_": "criteria",
    "assessments:portal_scoring_sheet": "criteria",
}
# A cycle is named by the organization that opened it (the district), not by one of its units.
DISTRICT_CODE_FOR = ("assessments:cycle_",)
VALUES = {"year": str(OTHER_YEAR), "data_type": "member_ratings", "period": "hd21-2019"}
# Parameters that name a kind of thing rather than an object of one commune.
NOT_OBJECT_PARAMS = {"data_type", "year", "format", "period"}


# --- planted data: one commune in each of two districts, with an object of every kind a URL can point at ----------


def _plant(*, district, commune, officer, secretary, secret_member: str) -> dict:
    """A commune's objects of every kind, made through the services where they exist."""
    member = MemberFactory(full_name=secret_member, organization=commune.children.first())
    cycle = cycle_services.year_open(
        organization=district, year=OTHER_YEAR, deadline=datetime.date(OTHER_YEAR, 12, 15), actor=officer
    )
    submission = Submission.objects.get(cycle=cycle, organization=commune)
    document = pdf_document_stored(ReviewDocument, "bao-cao.pdf", submission=submission, uploaded_by=secretary)
    self_assessment = pdf_document_stored(
        SelfAssessmentDocument,
        "tu-kiem-diem.pdf",
        submission=submission,
        member=member,
        form="2C",
        uploaded_by=secretary,
    )
    record = ImportRecord(
        user=secretary,
        organization=secretary.organization,
        data_type="member_ratings",
        file_name="xep-loai.csv",
        status="failed",
        size=40,
    )
    record.file.save("xep-loai.csv", ContentFile("Số thẻ đảng viên,Xếp loại\n1,xuất sắc\n".encode()), save=False)
    record.save()
    # A version of the district's results report, with the files kept with it.
    issued = IssuedDocument(
        organization=district,
        year=OTHER_YEAR,
        kind="report",
        version=1,
        number="15",
        issued_on=datetime.date(OTHER_YEAR + 1, 1, 10),
        checksum="0" * 64,
        docx_checksum="0" * 64,
        created_by=officer,
    )
    issued.pdf_file.save("a.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    issued.docx_file.save("a.docx", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=False)
    issued.save()
    # A set the commune issued for its cells; its second group is left without items so deleting it is harmless.
    # Written directly for the matrix's year (the rule wants a scored year) so the portal's scoring sheet has a set.
    criteria_set = criteria_set_make(
        commune,
        code=f"TC-{commune.code}",
        groups=[("I", "common", 30, [("1.1", 15)]), ("II", "tasks", 70, [])],
        first_year=OTHER_YEAR,
    )
    # The commune's standing board, headed by the secret member: the portal's and the review's leadership tables.
    board = Collective.objects.create(
        code=f"{commune.code}-BTV", organization=commune, kind="standing_board", name=f"Ban Thường vụ {commune.name}"
    )
    Position.objects.create(
        member=member, collective=board, title="secretary", heads=True, start=datetime.date(2015, 1, 1),
        managed_by=district,
    )  # fmt: skip
    return {
        "code": commune.code,
        "district": district.code,
        "cell": commune.children.order_by("code").last().code,
        "secrets": (secret_member, commune.name),
        "document": document,
        "self_assessment": self_assessment,
        "import": record,
        "issued": issued,
        "notice": Notice.objects.create(
            recipient=secretary, kind=NoticeKind.RETURNED, subject=f"Hồ sơ của {commune.name} bị trả lại"
        ),
        "plan": PlanFactory(organization=commune, number="82-KH/HU", issuing_body=f"Huyện ủy {district.code}"),
        "programme": ProgrammeFactory(organization=district, name=f"Đề án củng cố của {district.name}"),
        "criteria": criteria_set,
        "group": criteria_set.groups.get(code="II"),
        "item": criteria_set.items.get(code="1.1"),
    }


@pytest.fixture
def officer_bg(tree):
    """The officer of a second district (Bình Gia): Bắc Sơn's objects are outside their scope."""
    district = OrganizationFactory(
        code="BG", name="Đảng bộ huyện Bình Gia", kind=Kind.DISTRICT, sector="", parent=tree["LS"]
    )
    return UserFactory(username="binhgia", role=Role.OFFICER, organization=district, first_name="Lộc", last_name="Văn")


@pytest.fixture
def planted(tree, officer, officer_bg, secretary_nhat_tien, settings, tmp_path):
    """Nhất Tiến (Bắc Sơn) and Hòa Bình (Bình Gia), each with an object of every kind; and an agency cell of BS."""
    settings.MEDIA_ROOT = tmp_path
    OrganizationFactory(
        code="BS-CQ", name="Chi bộ Cơ quan", kind=Kind.GRASSROOTS_CELL, sector=Sector.AGENCY, parent=tree["BS"]
    )
    bg = officer_bg.organization
    hoa_binh = OrganizationFactory(
        code="BG-HOA-BINH", name="Đảng bộ xã Hòa Bình", kind=Kind.GRASSROOTS_COMMITTEE, sector=Sector.COMMUNE, parent=bg
    )
    OrganizationFactory(code="BG-HOA-BINH-01", name="Chi bộ thôn Pàn", kind=Kind.CELL, parent=hoa_binh)
    secretary_hoa_binh = UserFactory(username="hoabinh", role=Role.SECRETARY, organization=hoa_binh)
    return {
        "BS": _plant(
            district=tree["BS"],
            commune=tree["BS-NHAT-TIEN"],
            officer=officer,
            secretary=secretary_nhat_tien,
            secret_member="Vi Văn Bí Mật",
        ),
        "BG": _plant(
            district=bg,
            commune=hoa_binh,
            officer=officer_bg,
            secretary=secretary_hoa_binh,
            secret_member="Hoàng Thị Kín",
        ),
    }


def _url(name: str, params: tuple, side: dict, **values) -> str:
    kwargs = {}
    for param in params:
        if param == "pk" or param.endswith("_pk") or param == "id":
            prefix = max((p for p in OBJECT_FOR if name.startswith(p)), key=len, default=None)
            obj = side.get(OBJECT_FOR[prefix]) if prefix else None
            if param.endswith("_pk"):
                obj = side.get(param.removesuffix("_pk"))  # a part of the object: a criteria set's group, item
            kwargs[param] = obj.pk if obj is not None else 999_999
        elif param == "code":
            kwargs[param] = side["district"] if name.startswith(DISTRICT_CODE_FOR) else side["code"]
        elif param in values or param in VALUES:
            kwargs[param] = values.get(param, VALUES.get(param))
        else:
            pytest.fail(f"{name}: no test value for the URL parameter {param!r}; add one to VALUES in {__file__}")
    return reverse(name, kwargs=kwargs)


def _is_object_url(params: tuple) -> bool:
    return any(p not in NOT_OBJECT_PARAMS for p in params)


def _get_or_post(client, url):
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


def _text(response) -> str:
    body = b"" if response.streaming else response.content
    return body.decode("utf-8", errors="replace")


# --- anonymous ------------------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_by_every_method(client, planted):
    wrong = []
    for name, params in PRIVATE:
        url = _url(name, params, planted["BS"])
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if name in API_ROUTES and response.status_code != 302:  # the docs page is a page: it redirects
                # Not logged in is 401 naming the scheme to use, never 403 (that means: known, but not allowed).
                ok = response.status_code == 401 and response.get("WWW-Authenticate") == "Token"
            else:
                ok = response.status_code == 302 and response.url.startswith(reverse("login"))
            if not ok:
                wrong.append((method, url, response.status_code))
    assert not wrong


# --- outside the scope: 404 and nothing shown -----------------------------------------------------------------------

# Each persona and the planted commune outside their scope.
OUTSIDERS = {
    "secretary_dong_y": "BS",  # another commune of the same district (and the district's cycle and programme)
    "secretary_nhat_tien": "BG",
    "officer": "BG",  # another district: its cycle, commune, documents, imports, plans and programme
    "leader": "BG",
    "officer_bg": "BS",  # Bình Gia's officer reads, prints, renames nothing of Bắc Sơn, programme included
}


ABOVE = {"secretary_dong_y": "BS", "secretary_nhat_tien": "BS", "officer": "LS", "leader": "LS", "officer_bg": "LS"}


@pytest.mark.parametrize("persona", sorted(OUTSIDERS))
def test_objects_outside_the_scope_answer_404_and_show_nothing(client, request, planted, persona):
    client.force_login(request.getfixturevalue(persona))
    side = planted[OUTSIDERS[persona]]
    wrong, checked = [], []
    for name, params in PRIVATE:
        url = _url(name, params, side)
        responses = [client.get(url), client.post(url, {})]
        statuses = [r.status_code for r in responses]
        if _is_object_url(params):
            checked.append(name)
            # Not found whether or not the object exists; 405 only for the method the URL does not take.
            if not (set(statuses) <= {404, 405} and 404 in statuses):
                wrong.append((url, statuses))
        elif any(status >= 500 for status in statuses):
            wrong.append((url, statuses))
        for response in responses:
            for secret in side["secrets"]:
                if secret in _text(response):
                    wrong.append((url, secret))
    # The organization above the user's own (the province, or a commune secretary's district) is outside too, and
    # so is a cell of the foreign commune, and a code that exists nowhere: the same 404 for all three.
    for code in (ABOVE[persona], side["cell"], "KHONG-CO"):
        for name, params in PRIVATE:
            if "code" not in params or set(params) - {"code", "year"}:
                continue
            url = _url(name, params, {**side, "code": code, "district": code})
            statuses = [client.get(url).status_code, client.post(url, {}).status_code]
            if not (set(statuses) <= {404, 405} and 404 in statuses):
                wrong.append((url, statuses))
    assert not wrong
    assert {"consolidation:programme_detail", "consolidation:programme_edit", "assessments:unit_detail"} <= set(checked)
    assert "api:organization-summary" in checked


def test_another_districts_officer_cannot_rename_bac_sons_programme_or_attach_plans_to_it(client, planted, officer_bg):
    programme = planted["BS"]["programme"]
    client.force_login(officer_bg)
    renamed = client.post(
        reverse("consolidation:programme_edit", args=[programme.pk]),
        {"name": "Đã bị đổi tên", "first_year": 2016, "last_year": 2020},
    )
    form = client.get(reverse("consolidation:plan_create"))
    assert renamed.status_code == 404
    programme.refresh_from_db()
    assert programme.name != "Đã bị đổi tên"
    assert form.status_code == 200
    assert programme.pk not in {p.pk for p in form.context["form"].fields["programme"].queryset}
    assert planted["BG"]["programme"].pk in {p.pk for p in form.context["form"].fields["programme"].queryset}


# --- inside the scope: what each role may not do answers 403 --------------------------------------------------------

OFFICER_FORBIDDEN = {
    # The unit's own file is changed by its own secretary only.
    "assessments:portal_self_level": "post",
    "assessments:portal_cells": "post",
    "assessments:portal_submit": "post",
    # The self-assessment of the unit's collectives and leaders is its secretary's part of the file.
    "assessments:portal_collectives": "post",
    "assessments:portal_leaders": "post",
    # Only the person who uploaded a file confirms its import.
    "assessments:import_confirm": "post",
}
# Criteria sets are written by the issuer's officers only.
CRITERIA_WRITES = {
    "assessments:criteria_create": "get",
    "assessments:criteria_edit": "get",
    "assessments:criteria_new_version": "post",
    "assessments:criteria_group_add": "get",
    "assessments:criteria_group_edit": "get",
    "assessments:criteria_group_delete": "post",
    "assessments:criteria_item_add": "get",
    "assessments:criteria_item_edit": "get",
    "assessments:criteria_item_delete": "post",
}
FORBIDDEN = {
    "officer": OFFICER_FORBIDDEN,
    "admin_user": OFFICER_FORBIDDEN,
    # Leaders read everything in scope and change nothing.
    "leader": {
        "assessments:cycle_list": "post",
        "assessments:portal_document_upload": "post",
        "assessments:portal_self_assessment_upload": "post",
        "assessments:portal_self_level": "post",
        "assessments:portal_cells": "post",
        "assessments:portal_submit": "post",
        "assessments:review_appraise": "post",
        "assessments:review_finalize": "post",
        "assessments:cycle_finalize_selected": "post",
        "assessments:review_return": "post",
        "assessments:review_reopen": "post",
        "assessments:portal_collectives": "post",
        "assessments:portal_leaders": "post",
        "assessments:review_collectives": "post",
        "assessments:review_leaders": "post",
        "assessments:import_upload": "get",
        "assessments:import_preview": "get",
        "assessments:import_progress": "get",
        "assessments:import_confirm": "post",
        "assessments:import_errors": "get",
        "assessments:import_template": "get",
        "consolidation:plan_create": "get",
        "consolidation:plan_edit": "get",
        "consolidation:plan_transition": "post",
        "consolidation:task_progress_add": "post",
        "consolidation:measurement_add": "post",
        "consolidation:programme_create": "get",
        "consolidation:programme_edit": "get",
        "reports:issue": "post",
        "assessments:regulation_rule_settings": "post",
        **CRITERIA_WRITES,
    },
    # A secretary works on their unit's file and records progress on its plan; the district's pages are not theirs.
    "secretary_nhat_tien": {
        "reports:issue": "post",
        "assessments:cycle_list": "get",
        "assessments:review_detail": "get",
        "assessments:regulation_checks": "get",
        "assessments:regulation_rule_settings": "get",
        "assessments:review_appraise": "post",
        "assessments:review_finalize": "post",
        "assessments:review_return": "post",
        "assessments:review_reopen": "post",
        "assessments:review_collectives": "post",
        "assessments:review_leaders": "post",
        "consolidation:plan_create": "get",
        "consolidation:plan_edit": "get",
        "consolidation:plan_transition": "post",
        "consolidation:candidate_list": "get",
        "consolidation:programme_list": "get",
        "consolidation:programme_create": "get",
        **CRITERIA_WRITES,
    },
}
# Objects a persona of FORBIDDEN does not have in scope even on their own side: the district's cycle and programme
# are above a commune secretary.
# A notice is its recipient's alone (the planted one is the commune secretary's): 404 to everybody else.
NOT_IN_SCOPE = {
    "officer": ("assessments:notice_read",),
    "admin_user": ("assessments:notice_read",),
    "leader": ("assessments:notice_read",),
    "secretary_nhat_tien": (
        "assessments:cycle_detail",
        "assessments:cycle_finalize_selected",
        "consolidation:programme_",
        "reports:issued_",
    ),
}


@pytest.mark.parametrize("persona", sorted(FORBIDDEN))
def test_inside_the_scope_a_forbidden_action_answers_403_and_the_rest_opens(client, request, planted, persona):
    client.force_login(request.getfixturevalue(persona))
    forbidden, outside = FORBIDDEN[persona], NOT_IN_SCOPE.get(persona, ())
    wrong = []
    for name, params in PAGES:
        url = _url(name, params, planted["BS"])
        if name in forbidden:
            status = getattr(client, forbidden[name])(url, {}).status_code
            if status != 403:
                wrong.append(("expected 403", url, status))
            continue
        status = _get_or_post(client, url).status_code
        # Pages answer 200 (or redirect); an empty POST to an allowed action is a form error (400).
        expected = (404,) if outside and name.startswith(outside) else (200, 302, 400)
        if status not in expected:
            wrong.append(("unexpected", url, status))
    # Every unit inside the scope opens, down to a cell.
    cell = planted["BS"]["cell"]
    status = client.get(reverse("assessments:unit_detail", args=[cell])).status_code
    if status != 200:
        wrong.append(("unexpected", cell, status))
    assert not wrong


def test_officer_opens_every_page_and_each_sends_the_csp_without_inline_code(client, officer, planted, members):
    client.force_login(officer)
    wrong, rendered = [], []
    for name, params in PAGES:
        url = _url(name, params, planted["BS"])
        response = client.get(url)
        # Pages answer 200 (or redirect to their canonical page); POST-only actions refuse GET with 405.
        if response.status_code not in (200, 302, 405):
            wrong.append((url, response.status_code))
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            rendered.append(name)
            if "Content-Security-Policy" not in response:
                wrong.append((url, "no CSP"))
            problems = inline_problems(response.content.decode())
            if problems:
                wrong.append((url, problems))
    assert not wrong
    main = {"assessments:home", "assessments:unit_list", "assessments:member_list", "assessments:unit_detail"}
    assert main <= set(rendered), rendered


# --- years out of range ---------------------------------------------------------------------------------------------


def test_a_year_outside_the_allowed_range_is_404_in_every_url(client, officer, planted):
    client.force_login(officer)
    wrong, checked = [], []
    for name, params in PRIVATE:
        if "year" not in params:
            continue
        for year in ("10000", "9999", "1929", "1000", "0"):
            try:
                url = _url(name, params, planted["BS"], year=year)
            except NoReverseMatch:
                continue  # the API's summary takes exactly four digits
            checked.append(url)
            statuses = [client.get(url).status_code, client.post(url, {}).status_code]
            if not (set(statuses) <= {404, 405} and 404 in statuses):
                wrong.append((url, statuses))
    assert not wrong
    assert any("/reports/" in url for url in checked) and any("/summary/9999/" in url for url in checked)
    # A year in a query string is checked as well: a plan from an impossible year's candidate is not found.
    plan_url = reverse("consolidation:plan_create")
    assert client.get(plan_url, {"unit": "BS-NHAT-TIEN", "year": "10000"}).status_code == 404


# --- no errors, no writes -------------------------------------------------------------------------------------------


def test_no_role_gets_a_server_error(client, request, planted):
    wrong = []
    for role in ("officer", "leader", "secretary_nhat_tien", "admin_user", "officer_bg"):
        client.force_login(request.getfixturevalue(role))
        for name, params in ROUTES:
            url = _url(name, params, planted["BS"])
            status = client.get(url).status_code
            if status >= 500:
                wrong.append((role, url, status))
    assert not wrong


def _row_counts() -> dict[str, int]:
    """Rows of every model (history tables included), leaving out sessions and login bookkeeping."""
    from django.apps import apps

    skip = {"sessions", "axes", "admin", "contenttypes", "auth"}
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label not in skip}


@pytest.mark.parametrize("persona", ["officer", "leader", "secretary_nhat_tien"])
def test_no_get_writes_anything(client, request, tree, planted, persona):
    # A unit founded after the year was opened: its portal page must show a draft, not create one.
    OrganizationFactory(code="BS-MOI", name="Chi bộ Trường mới", kind=Kind.GRASSROOTS_CELL, parent=tree["BS"])
    client.force_login(request.getfixturevalue(persona))
    before = _row_counts()
    for name, params in PAGES:
        client.get(_url(name, params, planted["BS"]))
    client.get(reverse("assessments:portal_detail", args=["BS-MOI", OTHER_YEAR]))
    assert _row_counts() == before


def test_a_leader_account_changes_nothing_through_any_action(client, tree, planted):
    leader = UserFactory(username="lanhdao2", role=Role.LEADER, organization=tree["BS"])
    client.force_login(leader)
    before = _row_counts()
    posted = []
    for name, params in PAGES:
        url = _url(name, params, planted["BS"])
        if client.get(url).status_code != 405:
            continue  # only POST-only actions here
        response = client.post(url, {})
        posted.append(url)
        assert response.status_code < 500, (url, response.status_code)
    assert posted, "the project has POST-only actions"
    assert _row_counts() == before
