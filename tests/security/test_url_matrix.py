"""Every URL of the project, walked from the resolver: anonymous users go to the login page (the API answers 401/403),
a secretary of another commune gets 404 for Nhất Tiến's objects and never sees its data, and no role gets an error.

URLs added later are picked up automatically: a new object kind needs one line in OBJECT_FOR (which object a `pk`
means); until then its `pk` points at a row that does not exist, which still checks the anonymous redirect.
"""

import datetime

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.cycle import services as cycle_services
from assessments.models import ImportRecord, Kind, ReviewDocument, Role, Sector, Submission
from tests.factories import MemberFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

# Open to everybody on purpose, each with the reason.
PUBLIC = {
    "login": "the login page itself",
    "logout": "logging out needs no account (POST only; it ends nothing for an anonymous visitor)",
    "set_language": "the language switch works before logging in (login page in English)",
}
SECRET_NAMES = ("Vi Văn Bí Mật", "Đảng bộ xã Nhất Tiến")  # Nhất Tiến's data, never on a page for Đồng Ý
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


def _routes():
    admin_prefix = settings.ADMIN_URL
    seen, routes = set(), []
    for name, route, params in _walk(get_resolver().url_patterns):
        if route.startswith(admin_prefix) or name.startswith("admin:"):
            continue  # the admin has its own permission system (is_staff, model permissions), tested in test_admin
        if name in seen:
            continue
        seen.add(name)
        routes.append(pytest.param(name, tuple(params), id=name))
        if route.startswith("api/"):
            API_ROUTES.add(name)
    return routes


API_ROUTES: set[str] = set()
ROUTES = _routes()


@pytest.fixture
def objects(tree, officer, secretary_nhat_tien, settings, tmp_path):
    """Nhất Tiến's objects of every kind a URL can point at, made through the services where they exist."""
    settings.MEDIA_ROOT = tmp_path
    MemberFactory(full_name="Vi Văn Bí Mật", organization=tree["BS-NHAT-TIEN-01"])
    OrganizationFactory(
        code="BS-CQ", name="Chi bộ Cơ quan", kind=Kind.GRASSROOTS_CELL, sector=Sector.AGENCY, parent=tree["BS"]
    )
    cycle = cycle_services.year_open(
        organization=tree["BS"], year=OTHER_YEAR, deadline=datetime.date(OTHER_YEAR, 12, 15), actor=officer
    )
    submission = Submission.objects.get(cycle=cycle, organization=tree["BS-NHAT-TIEN"])
    document = ReviewDocument(
        submission=submission,
        version=1,
        original_name="bao-cao.pdf",
        kind="pdf",
        size=15,
        checksum="0" * 64,
        uploaded_by=secretary_nhat_tien,
    )
    document.file.save("bao-cao.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    document.save()
    record = ImportRecord(
        user=secretary_nhat_tien, data_type="member_ratings", file_name="xep-loai.csv", status="failed", size=40
    )
    record.file.save("xep-loai.csv", ContentFile("Số thẻ đảng viên,Xếp loại\n1,xuất sắc\n".encode()), save=False)
    record.save()
    made = {"document": document, "import": record}
    try:
        from tests.consolidation_factories import PlanFactory, ProgrammeFactory

        made["plan"] = PlanFactory(organization=tree["BS-NHAT-TIEN"], number="82-KH/HU")
        made["programme"] = ProgrammeFactory()
    except ImportError:  # consolidation not in this code base
        pass
    return made


# Which object a `pk` means, by URL name prefix (longest first wins).
OBJECT_FOR = {
    "assessments:document_": "document",
    "assessments:import_": "import",
    "consolidation:plan_": "plan",
    "consolidation:task_progress_add": "plan",
    "consolidation:measurement_add": "plan",
    "consolidation:programme_": "programme",
}
VALUES = {"code": "BS-NHAT-TIEN", "year": str(OTHER_YEAR), "data_type": "member_ratings"}
# A cycle is named by the organization that opened it (the district), not by one of its units.
CODE_FOR = {"assessments:cycle_": "BS"}
# Parameters that name a kind of thing rather than an object of one commune.
NOT_OBJECT_PARAMS = {"data_type", "year", "format"}


def _url(name: str, params: tuple, objects: dict) -> str:
    kwargs = {}
    for param in params:
        if param == "pk" or param.endswith("_pk") or param == "id":
            prefix = max((p for p in OBJECT_FOR if name.startswith(p)), key=len, default=None)
            obj = objects.get(OBJECT_FOR[prefix]) if prefix else None
            kwargs[param] = obj.pk if obj is not None else 999_999
        elif param == "code":
            prefix = max((p for p in CODE_FOR if name.startswith(p)), key=len, default=None)
            kwargs[param] = CODE_FOR[prefix] if prefix else VALUES["code"]
        elif param in VALUES:
            kwargs[param] = VALUES[param]
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


@pytest.mark.parametrize(("name", "params"), ROUTES)
def test_anonymous_is_sent_to_login(client, objects, name, params):
    if name in PUBLIC:
        pytest.skip(f"public on purpose: {PUBLIC[name]}")
    url = _url(name, params, objects)
    response = _get_or_post(client, url)
    if name in API_ROUTES and response.status_code != 302:
        assert response.status_code in (401, 403), (url, response.status_code)
    else:
        assert response.status_code == 302, (url, response.status_code)
        assert response.url.startswith(reverse("login")), (url, response.url)


@pytest.mark.parametrize(("name", "params"), ROUTES)
def test_secretary_of_another_commune_gets_404_and_sees_nothing_of_it(client, secretary_dong_y, objects, name, params):
    if name in PUBLIC:
        pytest.skip(f"public on purpose: {PUBLIC[name]}")
    client.force_login(secretary_dong_y)
    url = _url(name, params, objects)
    response = _get_or_post(client, url)
    if _is_object_url(params):
        assert response.status_code == 404, (url, response.status_code)
    else:
        assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
    body = b"" if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    for secret in SECRET_NAMES:
        assert secret not in text, (url, secret)


@pytest.mark.parametrize(("name", "params"), ROUTES)
def test_no_role_gets_a_server_error(client, request, objects, name, params):
    url = _url(name, params, objects)
    for role in ("officer", "leader", "secretary_nhat_tien", "admin_user"):
        client.force_login(request.getfixturevalue(role))
        response = client.get(url)
        assert response.status_code < 500, (role, url, response.status_code)


def test_officer_opens_every_page_of_a_commune_in_the_district(client, officer, objects):
    client.force_login(officer)
    for name, params in ((p.values[0], p.values[1]) for p in ROUTES):
        if name in PUBLIC or not _is_object_url(params) or name in API_ROUTES:
            continue
        url = _url(name, params, objects)
        response = client.get(url)
        # Pages answer 200 (or redirect to their canonical page); POST-only actions refuse GET with 405.
        assert response.status_code in (200, 302, 405), (url, response.status_code)


def _row_counts() -> dict[str, int]:
    """Rows of every model (history tables included), leaving out sessions and login bookkeeping."""
    from django.apps import apps

    skip = {"sessions", "axes", "admin", "contenttypes", "auth"}
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label not in skip}


def test_a_leader_account_changes_nothing_through_any_action(client, tree, objects):
    leader = UserFactory(username="lanhdao2", role=Role.LEADER, organization=tree["BS"])
    client.force_login(leader)
    before = _row_counts()
    posted = []
    for name, params in ((p.values[0], p.values[1]) for p in ROUTES):
        if name in PUBLIC or name in API_ROUTES:
            continue
        url = _url(name, params, objects)
        if client.get(url).status_code != 405:
            continue  # only POST-only actions here
        response = client.post(url, {})
        posted.append(url)
        assert response.status_code < 500, (url, response.status_code)
    assert posted, "the project has POST-only actions"
    assert _row_counts() == before
