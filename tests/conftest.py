"""Shared fixtures: a small Bắc Sơn tree and the named personas of the house style."""

import contextlib
import datetime
import importlib

import pytest

from assessments.models import Kind, Role, Sector
from tests.factories import MemberFactory, OrganizationFactory, UserFactory, province_and_district

PASSWORD = "mat-khau-thu-nghiem-2017"


def rating_schemes_ensure() -> None:
    """Put back the rating schemes and guidance periods of the data migrations.

    A transactional test's final flush removes them; the next test needs them.
    """
    from django.apps import apps

    from assessments.models import GuidancePeriod, RatingScheme

    if not RatingScheme.objects.exists():
        importlib.import_module("assessments.migrations.0002_rating_schemes").load(apps, None)
        # Migration 0008's lowest levels; its other facts (cap, HD 27 shares) are the period rules of 0011 now.
        RatingLevel = apps.get_model("assessments", "RatingLevel")
        for scheme in RatingScheme.objects.all():
            for subject in ("unit", "member"):
                last = RatingLevel.objects.filter(scheme=scheme, subject=subject).order_by("-rank").first()
                if last is not None:
                    RatingLevel.objects.filter(pk=last.pk).update(is_lowest=True)
        # Migration 0018's scored scheme: qd366-2025's total, bands and task conditions.
        importlib.import_module("assessments.migrations.0018_scored_ratings").load(apps, None)
    if not GuidancePeriod.objects.exists():
        importlib.import_module("assessments.migrations.0011_regulation_periods_data").load(apps, None)
        importlib.import_module("assessments.migrations.0016_issued_files_and_rating_word").classification_set(
            apps, None
        )
        importlib.import_module("assessments.migrations.0015_rule_settings_corruption").forward(apps, None)
    from assessments.models import FramePart

    if not FramePart.objects.exists():
        # Migration 0020's national frame of criteria (common criteria and task results).
        importlib.import_module("assessments.migrations.0020_criteria_sets").frame_load(apps, None)
    from assessments.models import PeriodRule

    if not PeriodRule.objects.filter(rule="leader_cap_20").exists():
        importlib.import_module("assessments.migrations.0021_collectives_and_leaders").rules_load(apps, None)


@contextlib.contextmanager
def demo_rolled_back(django_db_blocker):
    """For a module fixture that reads the demo once: the demo loaded in Vietnamese inside a transaction that is
    rolled back on leaving. Yields the demo district."""
    from django.db import transaction
    from django.utils import translation

    from assessments import demo
    from assessments.models import Organization

    with django_db_blocker.unblock(), translation.override("vi"), transaction.atomic():
        rating_schemes_ensure()
        demo.demo_load()
        yield Organization.objects.get(code="BS")
        transaction.set_rollback(True)


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return any(name in request.fixturenames for name in ("transactional_db", "live_server"))


@pytest.fixture(autouse=True)
def _rating_schemes_present(request, django_db_setup, django_db_blocker):
    """Every test sees the schemes: pytest-django runs transactional tests late, and their flush empties the tables.

    Transactional tests are left alone: they restore the database themselves (serialized_rollback). Tests without the
    database are left alone too: pytest-django creates the test database only when a collected test asks for it, so
    a file of such tests run alone would otherwise reach for the development database.
    """
    uses_db = request.node.get_closest_marker("django_db") is not None or "db" in request.fixturenames
    if uses_db and not _transactional(request):
        with django_db_blocker.unblock():
            rating_schemes_ensure()
    yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached reads are keyed by database ids and versions, which SQLite gives again after a test's rollback: every
    test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in English leaves English active in the test thread; the next test starts in Vietnamese again."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def tree(db):
    """LS > BS > {Đồng Ý, Nhất Tiến} each with two village cells, and a unit dissolved in 2016."""
    ls, bs = province_and_district()
    communes = [
        OrganizationFactory(code=code, name=name, kind=Kind.GRASSROOTS_COMMITTEE, sector=Sector.COMMUNE, parent=bs)
        for code, name in (("BS-DONG-Y", "Đảng bộ xã Đồng Ý"), ("BS-NHAT-TIEN", "Đảng bộ xã Nhất Tiến"))
    ]
    cells = {}
    for commune in communes:
        for i in (1, 2):
            code = f"{commune.code}-{i:02d}"
            cells[code] = OrganizationFactory(
                code=code,
                name=f"Chi bộ thôn {i} {commune.name[10:]}",
                kind=Kind.CELL,
                sector=Sector.COMMUNE,
                parent=commune,
            )
    old = OrganizationFactory(
        code="BS-CU",
        name="Chi bộ Cơ quan cũ",
        kind=Kind.GRASSROOTS_CELL,
        sector=Sector.AGENCY,
        parent=bs,
        valid_to=datetime.date(2016, 6, 30),
    )
    return {"LS": ls, "BS": bs, **{commune.code: commune for commune in communes}, "BS-CU": old, **cells}


@pytest.fixture
def media(settings, tmp_path):
    """The files a test stores (uploads, imports, issued documents) go to its own folder, returned, not to media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def eager_tasks(settings):
    """Celery tasks run in-process even where CI configures a broker, and the recompute's coalescing keys live in a
    private local cache, emptied before and after."""
    from django.core.cache import cache

    from bacson.celery import app as celery_app

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "eager"}}
    cache.clear()
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before
    cache.clear()


@pytest.fixture
def member_cap_on_in_2025(db):
    """HD 43's member cap switched on in the admin (loaded off: DOMAIN.md does not confirm it for HD 43), for the
    cycle tests written around a 2025 file over the cap."""
    from assessments.models import PeriodRule

    PeriodRule.objects.filter(period__code="hd43-2025", rule="member_cap_20").update(enabled=True)


@pytest.fixture
def members(tree):
    """Three members in each village cell."""
    return [MemberFactory(organization=tree[code]) for code in tree if code.count("-") == 3 for _ in range(3)]


# The named personas of the house style: fixture -> (username, role, unit, full name).
PERSONAS = {
    "officer": ("binh", Role.OFFICER, "BS", "Nguyễn Hữu Bình"),  # the district Organization Board
    "leader": ("lanhdao", Role.LEADER, "BS", "Hoàng Văn Lãnh"),
    "secretary_dong_y": ("dongy", Role.SECRETARY, "BS-DONG-Y", "Lương Văn Đồng"),
    "secretary_nhat_tien": ("rum", Role.SECRETARY, "BS-NHAT-TIEN", "Dương Văn Rum"),  # party secretary of Nhất Tiến
}


def _persona(name: str):
    username, role, unit, full_name = PERSONAS[name]
    first, _, last = full_name.rpartition(" ")

    @pytest.fixture(name=name)
    def persona(tree):
        return UserFactory(username=username, role=role, organization=tree[unit], first_name=first, last_name=last)

    return persona


officer, leader, secretary_dong_y, secretary_nhat_tien = (_persona(name) for name in PERSONAS)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True)
