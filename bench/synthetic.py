"""What synthetic rows are made of: people's names, places and sectors, how members and units are rated, a score
and task figures within each level's band, a commune's collectives and a province's criteria groups."""

import random

from assessments.common.text import fold

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vi", "Lương", "Dương", "Hà", "Nông", "Lộc", "Mã", "Đinh", "Vũ"]
MIDDLE_M = ["Văn", "Đức", "Hữu", "Quang", "Minh", "Thành", "Xuân", "Công"]
MIDDLE_F = ["Thị", "Thị Thu", "Thị Thanh", "Thị Hồng", "Ngọc", "Thị Kim"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đông",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiền",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Ngọc",
    "Nhung",
    "Phong",
    "Phương",
    "Quân",
    "Quyết",
    "Sơn",
    "Tâm",
    "Thắng",
    "Thảo",
    "Thủy",
    "Tiến",
    "Trang",
    "Trung",
    "Tuấn",
    "Vân",
    "Việt",
    "Yến",
    "Lụa",
    "Rum",
]
PLACE = [
    "Bắc Quỳnh",
    "Chiến Thắng",
    "Chiêu Vũ",
    "Đồng Ý",
    "Hưng Vũ",
    "Hữu Vĩnh",
    "Long Đống",
    "Nhất Hòa",
    "Nhất Tiến",
    "Quỳnh Sơn",
    "Tân Hương",
    "Tân Lập",
    "Tân Thành",
    "Tân Tri",
    "Trấn Yên",
    "Vạn Thủy",
    "Vũ Lăng",
    "Vũ Lễ",
    "Vũ Sơn",
    "Yên Bình",
    "Hòa Bình",
    "Đại Đồng",
    "Quang Trung",
    "Bình Minh",
    "Phú Thịnh",
    "An Khánh",
    "Thạch Đà",
    "Mường Lay",
]
ETHNICITY = ["Tày", "Tày", "Nùng", "Kinh", "Kinh", "Dao", "Mông", "Thái"]
COMMITTEE_SECTORS = ["commune", "commune", "commune", "commune", "ward", "town", "agency", "public_service"]
CELL_SECTORS = ["agency", "public_service", "public_service", "enterprise", "military", "police"]
# (cumulative percentage, level code): how synthetic members and units are rated.
MEMBER_DISTRIBUTION = [(11, "excellent"), (81, "good"), (95, "completed"), (97, "not_completed")]
UNIT_DISTRIBUTION = [(20, "excellent"), (78, "good"), (95, "completed"), (100, "not_completed")]


def full_names(women: bool) -> list[tuple[str, str]]:
    """Every full name of men's (or women's) middle names, with its folded form."""
    middles = MIDDLE_F if women else MIDDLE_M
    names = []
    for family in FAMILY:
        for middle in middles:
            for given in GIVEN:
                full = f"{family} {middle} {given}"
                names.append((full, fold(full)))
    return names


def pick(distribution: list[tuple[int, str]], roll: int) -> str | None:
    """The level a roll out of 100 falls on; None (not rated) past the distribution's last share."""
    for upto, code in distribution:
        if roll < upto:
            return code
    return None


# A score inside each level's band of QĐ 366 (90+, 70-89, 50-69, under 50) and task figures meeting its conditions
# (all on time and 30% exceeded; all on time; all done, at most 20% late; fewer), so the rows pass rules/scores.py.
SCORE_BANDS = {"excellent": (90, 99), "good": (70, 89), "completed": (50, 69), "not_completed": (30, 49)}


def scored(level: str | None, rng: random.Random) -> tuple:
    """(self_score, score, tasks_assigned, on_time, exceeded, late) of a rating at the level; all NULL unrated."""
    if level is None:
        return (None,) * 6
    low, high = SCORE_BANDS[level]
    score = rng.randint(low, high)
    assigned = 8 + rng.randrange(5)
    if level == "excellent":
        figures = (assigned, assigned, (assigned * 3 + 9) // 10, 0)
    elif level == "good":
        figures = (assigned, assigned, rng.randrange(2), 0)
    elif level == "completed":
        figures = (assigned, assigned - 1, 0, 1)
    else:
        figures = (assigned, assigned // 2, 0, 2)
    return (min(100, score + rng.randrange(3)), score, *figures)


# A commune's three collectives and its ten posts: (kind, name, [(title, heads), ...]).
COMMUNE_COLLECTIVES = [
    (
        "standing_board",
        "Ban Thường vụ Đảng ủy xã",
        [("secretary", True), ("deputy_secretary", False), ("deputy_secretary", False), ("member", False)],
    ),
    ("peoples_committee", "Ủy ban nhân dân xã", [("chair", True), ("vice_chair", False), ("vice_chair", False)]),
    (
        "peoples_council",
        "Thường trực Hội đồng nhân dân xã",
        [("chair", True), ("vice_chair", False), ("member", False)],
    ),
]
# A province's criteria sets (one per subject group): two groups, one per part of the frame, of three items each.
CRITERIA_GROUPS = [
    ("common", "Tiêu chí chung", 30, ["10", "10", "10"]),
    ("tasks", "Kết quả nhiệm vụ", 70, ["30", "20", "20"]),
]
SUBJECT_GROUPS = ["organizations", "collectives", "leaders", "members_in_system", "members_outside"]
