"""factory_boy factories for the consolidation models, and a helper to rate a unit."""

import datetime

import factory

from assessments.models import Kind, Organization, Subject, UnitAssessment
from consolidation.models import (
    ContentArea,
    Indicator,
    Measurement,
    Plan,
    PlanStatus,
    Programme,
    SecondedCadre,
    Task,
    TaskStatus,
    WorkingGroupMember,
)
from tests.factories import OrganizationFactory, UnitAssessmentFactory, level


def rate(unit: Organization, year: int, scheme: str, code: str) -> UnitAssessment:
    """A unit's final rating for a year at a level of the given scheme."""
    return UnitAssessmentFactory(organization=unit, year=year, level=level(scheme, Subject.UNIT, code))


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = "Nâng cao chất lượng và hiệu quả hoạt động của tổ chức cơ sở đảng giai đoạn 2016–2020"
    # Issued by the first district of the tree (Bắc Sơn in the shared fixtures); a district is made if none exists.
    organization = factory.LazyFunction(
        lambda: (
            Organization.objects.filter(kind=Kind.DISTRICT).order_by("path").first()
            or OrganizationFactory(kind=Kind.DISTRICT, sector="")
        )
    )
    first_year = 2016
    last_year = 2020
    plan_number = "32-KH/HU"
    plan_issued_on = datetime.date(2016, 11, 11)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    number = factory.Sequence(lambda n: f"{100 + n}-KH/HU")
    issued_on = datetime.date(2017, 5, 4)
    organization = factory.SubFactory(OrganizationFactory, kind=Kind.GRASSROOTS_COMMITTEE)
    baseline_year = 2016
    baseline_level = factory.LazyFunction(lambda: level("hd27-2014", Subject.UNIT, "weak"))
    status = PlanStatus.ACTIVE
    goals = "Khắc phục yếu kém."
    signer_post = "Phó Bí thư Thường trực"
    signer_name = "Hoàng Văn Thắng"
    recipients = "Ban Tổ chức Tỉnh ủy\nLưu Văn phòng Huyện ủy"


class SecondedCadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SecondedCadre

    plan = factory.SubFactory(PlanFactory)
    full_name = factory.Sequence(lambda n: f"Lương Văn Cán {n}")
    home_post = "Phó Trưởng phòng Tài chính - Kế hoạch huyện"
    unit_post = "Chủ tịch Ủy ban nhân dân xã"
    start = datetime.date(2017, 5, 15)


class WorkingGroupMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroupMember

    plan = factory.SubFactory(PlanFactory)
    full_name = factory.Sequence(lambda n: f"Hà Thị Tổ {n}")
    post = "Chuyên viên Ban Tổ chức Huyện ủy"


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    plan = factory.SubFactory(PlanFactory)
    area = ContentArea.LEADERSHIP
    description = factory.Sequence(lambda n: f"Kiện toàn cấp ủy, việc số {n}")
    owner = "Đảng ủy xã"
    due_on = datetime.date(2017, 9, 30)
    status = TaskStatus.NOT_STARTED


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Đường bê tông {n}")
    unit_of_measure = "km"


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    measured_on = datetime.date(2017, 12, 31)
    value = 9
