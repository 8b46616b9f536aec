"""factory_boy factories for the assessments models."""

import datetime

import factory
from django.contrib.auth.models import Permission

from assessments.models import (
    Kind,
    Member,
    MemberAssessment,
    MemberStatus,
    Organization,
    RatingLevel,
    Sector,
    UnitAssessment,
    User,
)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"ORG-{n}")
    name = factory.Sequence(lambda n: f"Chi bộ thôn {n}")
    kind = Kind.CELL
    sector = Sector.COMMUNE


def province_and_district() -> tuple[Organization, Organization]:
    """Lạng Sơn province (LS) and its Bắc Sơn district (BS): the top of the test trees."""
    ls = OrganizationFactory(code="LS", name="Đảng bộ tỉnh Lạng Sơn", kind=Kind.PROVINCE, sector="")
    bs = OrganizationFactory(code="BS", name="Đảng bộ huyện Bắc Sơn", kind=Kind.DISTRICT, sector="", parent=ls)
    return ls, bs


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    card_number = factory.Sequence(lambda n: f"{100000 + n}")
    full_name = factory.Sequence(lambda n: f"Hoàng Văn Thử {n}")
    status = MemberStatus.OFFICIAL
    ethnicity = "Tày"
    admitted_on = datetime.date(2000, 1, 1)
    organization = factory.SubFactory(OrganizationFactory)


def level(scheme: str, subject: str, code: str) -> RatingLevel:
    return RatingLevel.objects.get(scheme__code=scheme, subject=subject, code=code)


# A score inside each qd366-2025 band (90 / 70 / 50), for tests that decide a level in a scored year.
BAND_SCORES = {"excellent": 95, "good": 80, "completed": 60, "not_completed": 40}


def scores_for(level_or_code) -> dict:
    """The `scores` a cycle service takes for a level of a scored year: a score in that level's band."""
    code = getattr(level_or_code, "code", level_or_code)
    return {"score": BAND_SCORES[code]}


class UnitAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitAssessment

    organization = factory.SubFactory(OrganizationFactory, kind=Kind.GRASSROOTS_COMMITTEE)
    year = 2017


class MemberAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberAssessment

    member = factory.SubFactory(MemberFactory)
    organization = factory.SelfAttribute("member.organization")
    year = 2017


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "mat-khau-thu-nghiem-2017")
        if create:
            self.save(update_fields=["password"])


def staff_with(user, codenames: list[str]):
    """The user let into the admin with these permissions (by codename) added."""
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user
