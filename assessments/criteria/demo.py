"""The demo's criteria sets: Lạng Sơn's 2025 sets for party organizations and for party members working in the
political system, inside QĐ 366's frame (30 points of common criteria, 70 of task results). Illustrative wording,
not the province's published text. Written through the services, once (a rerun leaves existing sets alone)."""

from decimal import Decimal

from django.db import transaction

from assessments.criteria import services
from assessments.models import CriteriaGroup, CriteriaItem, CriteriaSet, FramePart, Organization, SubjectGroup

# (code, name, subject group, [(group code, frame part, name, [(item code, name, points, how measured)])])
SETS = [
    (
        "LS-TCD-2025",
        "Bộ tiêu chí đánh giá, xếp loại tổ chức đảng năm 2025",
        SubjectGroup.ORGANIZATIONS,
        [
            (
                "I",
                "common",
                "Tiêu chí chung về xây dựng Đảng",
                [
                    ("1.1", "Công tác chính trị, tư tưởng", 8, "Nghị quyết, kế hoạch, báo cáo học tập, quán triệt"),
                    ("1.2", "Công tác tổ chức, cán bộ, đảng viên", 8, "Số đảng viên kết nạp, sinh hoạt chi bộ định kỳ"),
                    (
                        "1.3",
                        "Công tác kiểm tra, giám sát, kỷ luật đảng",
                        7,
                        "Chương trình kiểm tra, giám sát; kết luận",
                    ),
                    (
                        "1.4",
                        "Thực hiện nguyên tắc tập trung dân chủ, quy chế làm việc",
                        7,
                        "Quy chế làm việc, biên bản",
                    ),
                ],
            ),
            (
                "II",
                "tasks",
                "Kết quả thực hiện nhiệm vụ được giao",
                [
                    ("2.1", "Lãnh đạo thực hiện các chỉ tiêu phát triển kinh tế - xã hội", 30, "Số chỉ tiêu đạt, vượt"),
                    ("2.2", "Lãnh đạo xây dựng chính quyền, Mặt trận và các đoàn thể", 20, "Xếp loại của các tổ chức"),
                    ("2.3", "Thực hiện nhiệm vụ đột xuất, phát sinh", 10, "Báo cáo kết quả"),
                    ("2.4", "Khắc phục hạn chế, khuyết điểm đã được chỉ ra", 10, "Báo cáo khắc phục"),
                ],
            ),
        ],
    ),
    (
        "LS-DV-2025",
        "Bộ tiêu chí đánh giá, xếp loại đảng viên công tác trong hệ thống chính trị năm 2025",
        SubjectGroup.MEMBERS_IN_SYSTEM,
        [
            (
                "I",
                "common",
                "Tiêu chí chung",
                [
                    ("1.1", "Tư tưởng chính trị", 10, "Bản tự kiểm điểm (Mẫu 2A), nhận xét của chi bộ"),
                    ("1.2", "Phẩm chất đạo đức, lối sống", 10, "Ý kiến nơi cư trú, chi bộ"),
                    ("1.3", "Ý thức tổ chức kỷ luật, tác phong, lề lối làm việc", 10, "Sổ theo dõi sinh hoạt đảng"),
                ],
            ),
            (
                "II",
                "tasks",
                "Kết quả thực hiện nhiệm vụ được giao",
                [
                    ("2.1", "Khối lượng nhiệm vụ hoàn thành theo kế hoạch", 40, "Số nhiệm vụ được giao, hoàn thành"),
                    ("2.2", "Tiến độ và chất lượng sản phẩm", 20, "Số nhiệm vụ đúng hạn, vượt mức, chậm"),
                    ("2.3", "Thực hiện nhiệm vụ đột xuất", 10, "Xác nhận của thủ trưởng cơ quan"),
                ],
            ),
        ],
    ),
]


@transaction.atomic
def criteria_demo_load(*, actor=None) -> list[CriteriaSet]:
    """Lạng Sơn's demo criteria sets for 2025 (skipped where the code exists already)."""
    province = Organization.objects.get(code="LS")
    parts = {part.code: part for part in FramePart.objects.filter(scheme__code="qd366-2025")}
    loaded = []
    for code, name, subject_group, groups in SETS:
        existing = CriteriaSet.objects.filter(code=code).order_by("-version").first()
        if existing is not None:
            loaded.append(existing)
            continue
        criteria_set = services.criteria_set_save(
            criteria_set=CriteriaSet(
                code=code, name=name, issuer=province, subject_group=subject_group, first_year=2025
            ),
            actor=actor,
        )
        for order, (group_code, part, group_name, items) in enumerate(groups, start=1):
            group = services.criteria_group_save(
                group=CriteriaGroup(
                    criteria_set=criteria_set,
                    code=group_code,
                    name=group_name,
                    max_points=Decimal(sum(points for _c, _n, points, _m in items)),
                    part=parts.get(part),
                    order=order,
                ),
                actor=actor,
            )
            for item_order, (item_code, item_name, points, measured_by) in enumerate(items, start=1):
                services.criteria_item_save(
                    item=CriteriaItem(
                        group=group,
                        code=item_code,
                        name=item_name,
                        max_points=Decimal(points),
                        measured_by=measured_by,
                        order=item_order,
                    ),
                    actor=actor,
                )
        loaded.append(criteria_set)
    return loaded
