"""Demo data: the Bắc Sơn 2016–2020 programme with plans 49-KH/HU (Đồng Ý) and 82-KH/HU (Nhất Tiến); idempotent.

Facts (numbers, dates, posts, indicator values, ratings) come from DOMAIN.md; the names of seconded cadres and
working-group members other than Nguyễn Hữu Bình are invented for the demo.
"""

import datetime
import logging
from decimal import Decimal

from django.db import models, transaction

from assessments.models import Organization, RatingLevel, Subject, UnitAssessment
from assessments.services import unit_assessment_save

from . import services
from .models import (
    ContentArea,
    GroupRole,
    Indicator,
    Measurement,
    Plan,
    PlanStatus,
    Programme,
    SecondedCadre,
    Task,
    TaskProgress,
    TaskStatus,
    WorkingGroupMember,
)

logger = logging.getLogger(__name__)
D = datetime.date

PROGRAMME = {
    "plan_number": "32-KH/HU",
    "name": "Nâng cao chất lượng và hiệu quả hoạt động của tổ chức cơ sở đảng giai đoạn 2016–2020",
    "first_year": 2016,
    "last_year": 2020,
    "plan_issued_on": D(2016, 11, 11),
    "description": (
        "Mỗi năm Ban Thường vụ Huyện ủy lựa chọn tổ chức cơ sở đảng yếu kém hoặc chỉ hoàn thành nhiệm vụ để "
        "củng cố: tăng cường cán bộ huyện về giữ chức vụ chủ chốt ở cơ sở, cử tổ công tác theo dõi, giúp đỡ."
    ),
    "signer_post": "Phó Bí thư Thường trực",
    "signer_name": "Hoàng Văn Thắng",
    "recipients": (
        "Ban Tổ chức Tỉnh ủy (b/c)\nThường trực Huyện ủy\nCác đảng bộ, chi bộ trực thuộc\nLưu Văn phòng Huyện ủy"
    ),
}

RECIPIENTS = "Ban Tổ chức Tỉnh ủy (b/c)\nThường trực Huyện ủy\nBan Tổ chức Huyện ủy\n{unit}\nLưu Văn phòng Huyện ủy"

PLANS = [
    {
        "number": "49-KH/HU",
        "issued_on": D(2017, 5, 4),
        "unit": "BS-DONG-Y",
        "baseline": (2016, "hd27-2014", "weak"),
        "next": (2017, "hd27-2014", "clean_strong"),
        "title": "Củng cố, kiện toàn Đảng bộ xã Đồng Ý",
        "goals": (
            "Khắc phục tình trạng yếu kém năm 2016; nâng cao năng lực lãnh đạo của Đảng ủy và hiệu lực quản lý, "
            "điều hành của Ủy ban nhân dân xã; phấn đấu năm 2017 Đảng bộ đạt trong sạch, vững mạnh và xã đạt "
            "chuẩn nông thôn mới."
        ),
        "closing": (
            "Năm 2017 Đảng bộ xã Đồng Ý được xếp loại trong sạch, vững mạnh. Hơn 9 km đường thôn và 13 km đường "
            "ngõ xóm được bê tông hóa; xã đạt chuẩn nông thôn mới năm 2017."
        ),
        "closed_on": D(2017, 12, 31),
        "cadres": [
            (
                "Lương Văn Hùng",
                "Phó Trưởng phòng Tài chính - Kế hoạch huyện",
                "Phó Bí thư Đảng ủy, Chủ tịch Ủy ban nhân dân xã",
                D(2017, 5, 15),
                D(2019, 12, 31),
            ),
        ],
        "group": [
            ("Nguyễn Hữu Bình", "Phó Trưởng Ban Tổ chức Huyện ủy", GroupRole.LEADER),
            ("Hà Thị Lan", "Chuyên viên Ban Tổ chức Huyện ủy", GroupRole.MEMBER),
            ("Vi Văn Sáng", "Chuyên viên Ủy ban Kiểm tra Huyện ủy", GroupRole.MEMBER),
        ],
        "tasks": [
            (
                ContentArea.POLITICAL,
                "Tổ chức sinh hoạt chính trị, quán triệt nghị quyết đến từng chi bộ thôn; nắm "
                "tình hình tư tưởng cán bộ, đảng viên và nhân dân.",
                "Ban Thường vụ Đảng ủy xã",
                D(2017, 7, 31),
            ),
            (
                ContentArea.LEADERSHIP,
                "Kiện toàn Ban Chấp hành, Ban Thường vụ Đảng ủy; xây dựng quy chế làm việc và "
                "chương trình công tác toàn khóa.",
                "Đảng ủy xã",
                D(2017, 8, 31),
            ),
            (
                ContentArea.ADMINISTRATION,
                "Đổi mới quản lý, điều hành của Ủy ban nhân dân xã; tập trung chỉ đạo bê "
                "tông hóa đường thôn, ngõ xóm và xây dựng nhà văn hóa thôn.",
                "Chủ tịch UBND xã",
                D(2017, 11, 30),
            ),
            (
                ContentArea.DISCIPLINE,
                "Chấn chỉnh kỷ luật, kỷ cương hành chính, tác phong làm việc của cán bộ, công chức xã.",
                "Đảng ủy xã",
                D(2017, 9, 30),
            ),
            (
                ContentArea.SOCIO_ECONOMIC,
                "Hoàn thành 19/19 tiêu chí nông thôn mới trong năm 2017.",
                "UBND xã",
                D(2017, 12, 15),
            ),
        ],
        "indicators": [
            ("Đường thôn được bê tông hóa", "km", None, None, None, True, [(D(2017, 12, 31), "9", "trên 9 km")]),
            ("Đường ngõ xóm được bê tông hóa", "km", None, None, None, True, [(D(2017, 12, 31), "13", "")]),
            ("Nhà văn hóa thôn được xây dựng, sửa chữa", "nhà", None, None, None, True, []),
            (
                "Tiêu chí nông thôn mới đạt",
                "tiêu chí",
                None,
                None,
                "19",
                True,
                [(D(2017, 12, 31), "19", "xã đạt chuẩn nông thôn mới năm 2017")],
            ),
        ],
    },
    {
        "number": "82-KH/HU",
        "issued_on": D(2018, 5, 14),
        "unit": "BS-NHAT-TIEN",
        "baseline": (2017, "hd27-2014", "completed"),
        "next": (2018, "qd132-2018", "good"),
        "title": "Củng cố, kiện toàn Đảng bộ xã Nhất Tiến",
        "goals": (
            "Khắc phục những hạn chế khiến Đảng bộ chỉ hoàn thành nhiệm vụ năm 2017; giảm nghèo, tăng thu nhập, "
            "đẩy nhanh xây dựng nông thôn mới; phấn đấu năm 2018 Đảng bộ hoàn thành tốt nhiệm vụ trở lên."
        ),
        "closing": (
            "Năm 2018 Đảng bộ xã Nhất Tiến được xếp loại hoàn thành tốt nhiệm vụ. Còn 188 hộ nghèo (21,5%, giảm "
            "7,3 điểm phần trăm so với năm 2017); thu nhập bình quân 21,3 triệu đồng/người/năm; đạt 10/19 tiêu "
            "chí nông thôn mới; bê tông hóa trên 2 km đường ngõ xóm."
        ),
        "closed_on": D(2018, 12, 31),
        "cadres": [
            (
                "Hoàng Văn Quân",
                "Phó Trưởng phòng Nông nghiệp và Phát triển nông thôn huyện",
                "Phó Bí thư Đảng ủy, Chủ tịch Ủy ban nhân dân xã",
                D(2018, 5, 21),
                D(2020, 12, 31),
            ),
            (
                "Đinh Thị Hằng",
                "Phó Trưởng phòng Nội vụ huyện",
                "Phó Bí thư Đảng ủy xã",
                D(2018, 5, 21),
                D(2020, 12, 31),
            ),
        ],
        "group": [
            ("Nguyễn Hữu Bình", "Phó Trưởng Ban Tổ chức Huyện ủy", GroupRole.LEADER),
            ("Mông Văn Tư", "Phó Trưởng Ban Dân vận Huyện ủy", GroupRole.DEPUTY),
            ("Hà Thị Lan", "Chuyên viên Ban Tổ chức Huyện ủy", GroupRole.MEMBER),
        ],
        "tasks": [
            (
                ContentArea.POLITICAL,
                "Tuyên truyền, vận động nhân dân tham gia giảm nghèo và xây dựng nông thôn "
                "mới; đối thoại với nhân dân ở các thôn.",
                "Ban Thường vụ Đảng ủy xã",
                D(2018, 8, 31),
            ),
            (
                ContentArea.LEADERSHIP,
                "Nâng cao chất lượng sinh hoạt chi bộ thôn; phân công cấp ủy viên phụ trách từng chi bộ.",
                "Bí thư Đảng ủy xã",
                D(2018, 9, 30),
            ),
            (
                ContentArea.ADMINISTRATION,
                "Rà soát, kiện toàn bộ phận một cửa; công khai thủ tục hành chính tại trụ sở UBND xã.",
                "Chủ tịch UBND xã",
                D(2018, 8, 31),
            ),
            (
                ContentArea.DISCIPLINE,
                "Kiểm tra việc chấp hành giờ giấc, tác phong của cán bộ, công chức xã; xử lý nghiêm vi phạm.",
                "Ủy ban Kiểm tra Đảng ủy xã",
                D(2018, 10, 31),
            ),
            (
                ContentArea.SOCIO_ECONOMIC,
                "Giảm tỷ lệ hộ nghèo; nâng số tiêu chí nông thôn mới đạt được; bê tông hóa đường ngõ xóm.",
                "UBND xã",
                D(2018, 12, 15),
            ),
        ],
        "indicators": [
            ("Số hộ nghèo", "hộ", None, None, None, False, [(D(2018, 12, 31), "188", "")]),
            (
                "Tỷ lệ hộ nghèo",
                "%",
                "28.8",
                2017,
                None,
                False,
                [(D(2018, 12, 31), "21.5", "giảm 7,3 điểm phần trăm so với năm 2017")],
            ),
            (
                "Thu nhập bình quân đầu người",
                "triệu đồng/người/năm",
                None,
                None,
                None,
                True,
                [(D(2018, 12, 31), "21.3", "")],
            ),
            ("Tiêu chí nông thôn mới đạt", "tiêu chí", None, None, "19", True, [(D(2018, 12, 31), "10", "10/19")]),
            ("Đường ngõ xóm được bê tông hóa", "km", None, None, None, True, [(D(2018, 12, 31), "2", "trên 2 km")]),
        ],
    },
]


def _upsert(model: type[models.Model], lookup: dict, values: dict, actor) -> models.Model:
    """Get by natural key or create; save (with history) only when something differs, so reruns change nothing."""
    obj = model.objects.filter(**lookup).first() or model(**lookup)
    changed = obj.pk is None
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    if changed:
        obj._history_user = actor
        obj.full_clean()
        obj.save()
    return obj


def _level(scheme: str, code: str) -> RatingLevel:
    return RatingLevel.objects.get(scheme__code=scheme, subject=Subject.UNIT, code=code)


def _rating_ensure(*, unit: Organization, year: int, scheme: str, code: str, actor) -> None:
    """The ratings the story rests on, only where the district demo left that unit-year unrated."""
    if UnitAssessment.objects.yearly().filter(organization=unit, year=year, level__isnull=False).exists():
        return
    assessment = UnitAssessment.objects.yearly().filter(organization=unit, year=year).first() or UnitAssessment(
        organization=unit, year=year
    )
    assessment.level = _level(scheme, code)
    assessment.not_rated_reason = ""
    unit_assessment_save(assessment=assessment, actor=actor)


def _plan_load(*, spec: dict, programme: Programme, unit: Organization, actor) -> Plan:
    year, scheme, code = spec["baseline"]
    for rating_year, rating_scheme, rating_code in (spec["baseline"], spec["next"]):
        _rating_ensure(unit=unit, year=rating_year, scheme=rating_scheme, code=rating_code, actor=actor)
    plan = Plan.objects.filter(issuing_body=programme.issuing_body, number=spec["number"]).first()
    if plan is None:
        plan = services.plan_save(
            plan=Plan(
                programme=programme,
                number=spec["number"],
                issued_on=spec["issued_on"],
                organization=unit,
                baseline_year=year,
                baseline_level=_level(scheme, code),
                title=spec["title"],
                goals=spec["goals"],
                signer_post=programme.signer_post,
                signer_name=programme.signer_name,
                recipients=RECIPIENTS.format(unit=f"Đảng ủy xã {unit.name.removeprefix('Đảng bộ xã ')}"),
            ),
            actor=actor,
        )
    for name, home, post, start, end in spec["cadres"]:
        _upsert(
            SecondedCadre,
            {"plan": plan, "full_name": name},
            {"home_post": home, "unit_post": post, "start": start, "end": end},
            actor,
        )
    for name, post, role in spec["group"]:
        _upsert(WorkingGroupMember, {"plan": plan, "full_name": name}, {"post": post, "role": role}, actor)
    for area, description, owner, due in spec["tasks"]:
        task = _upsert(
            Task,
            {"plan": plan, "area": area, "description": description},
            {"owner": owner, "due_on": due, "status": TaskStatus.DONE},
            actor,
        )
        _upsert(TaskProgress, {"task": task, "noted_on": due}, {"note": "Đã hoàn thành."}, actor)
    for name, uom, base, base_year, target, higher, values in spec["indicators"]:
        indicator = _upsert(
            Indicator,
            {"plan": plan, "name": name},
            {
                "unit_of_measure": uom,
                "baseline_value": Decimal(base) if base else None,
                "baseline_year": base_year,
                "target_value": Decimal(target) if target else None,
                "higher_is_better": higher,
            },
            actor,
        )
        for day, value, note in values:
            _upsert(
                Measurement,
                {"indicator": indicator, "measured_on": day},
                {"value": Decimal(value), "note": note},
                actor,
            )
    # Walk the plan through its life by the same rules as the pages; a rerun finds it completed and stops.
    if plan.status == PlanStatus.DRAFT:
        plan = services.plan_transition(plan=plan, to=PlanStatus.ACTIVE, actor=actor)
    if plan.status == PlanStatus.ACTIVE:
        plan = services.plan_transition(
            plan=plan, to=PlanStatus.COMPLETED, actor=actor, closing_assessment=spec["closing"], day=spec["closed_on"]
        )
    return plan


@transaction.atomic
def demo_load(*, actor=None) -> list[Plan]:
    """Load (or re-load without duplicates) the programme and its two plans; skip if the district is missing."""
    units = {o.code: o for o in Organization.objects.filter(code__in=[spec["unit"] for spec in PLANS])}
    missing = [spec["unit"] for spec in PLANS if spec["unit"] not in units]
    if missing:
        logger.warning("Consolidation demo skipped: units %s are not loaded.", ", ".join(missing))
        return []
    values = {k: v for k, v in PROGRAMME.items() if k != "plan_number"}
    values["organization_id"] = units[PLANS[0]["unit"]].parent_id  # the district (Huyện ủy) that issued it
    programme = _upsert(Programme, {"plan_number": PROGRAMME["plan_number"]}, values, actor)
    return [_plan_load(spec=spec, programme=programme, unit=units[spec["unit"]], actor=actor) for spec in PLANS]


def on_demo_loaded(sender, actor=None, **kwargs) -> None:
    """Receiver of assessments.signals.demo_loaded: add the consolidation story to the demo district."""
    demo_load(actor=actor)
