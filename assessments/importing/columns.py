"""The file types: their columns, Vietnamese template titles and explanations (the file format contract)."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from assessments.common.text import fold

# The file types are the kinds of data a user may write, by the same codes: permissions.data_write_allowed judges
# an import by its type (engine.import_allowed).
from assessments.permissions import WRITE_COLLECTIVE_RATINGS as COLLECTIVE_RATINGS
from assessments.permissions import WRITE_COLLECTIVES as COLLECTIVES
from assessments.permissions import WRITE_CRITERIA as CRITERIA
from assessments.permissions import WRITE_ITEM_SCORES as ITEM_SCORES
from assessments.permissions import WRITE_LEADER_RATINGS as LEADER_RATINGS
from assessments.permissions import WRITE_MEMBER_RATINGS as MEMBER_RATINGS
from assessments.permissions import WRITE_MEMBERS as MEMBERS
from assessments.permissions import WRITE_ORGANIZATIONS as ORGANIZATIONS
from assessments.permissions import WRITE_POSITIONS as POSITIONS
from assessments.permissions import WRITE_UNIT_RATINGS as UNIT_RATINGS
from assessments.regulation.services import WRITE_DISCIPLINES as DISCIPLINES

DATA_TYPES = (
    ORGANIZATIONS,
    MEMBERS,
    UNIT_RATINGS,
    MEMBER_RATINGS,
    DISCIPLINES,
    CRITERIA,
    ITEM_SCORES,
    COLLECTIVES,
    POSITIONS,
    COLLECTIVE_RATINGS,
    LEADER_RATINGS,
)
DATA_TYPE_LABELS = {
    ORGANIZATIONS: _("Tổ chức đảng"),
    MEMBERS: _("Đảng viên"),
    UNIT_RATINGS: _("Xếp loại tổ chức đảng"),
    MEMBER_RATINGS: _("Xếp loại đảng viên"),
    DISCIPLINES: _("Kỷ luật"),
    CRITERIA: _("Bộ tiêu chí"),
    ITEM_SCORES: _("Điểm tiêu chí"),
    COLLECTIVES: _("Tập thể lãnh đạo, quản lý"),
    POSITIONS: _("Chức danh lãnh đạo, quản lý"),
    COLLECTIVE_RATINGS: _("Xếp loại tập thể lãnh đạo, quản lý"),
    LEADER_RATINGS: _("Xếp loại cá nhân lãnh đạo, quản lý"),
}
# The column the preview's downloadable file adds; accepted and ignored on upload so a fixed file goes back in.
ERRORS_COLUMN, ERRORS_TITLE = "errors", "Lỗi"
# A column read and dropped: a row number ("STT") or a column of the office's own that the format does not use.
IGNORED = "ignored"
# Row-number columns of Vietnamese administrative lists, folded: dropped without a word.
ROW_NUMBER_TITLES = {"stt", "tt", "so tt", "so thu tu", "thu tu", "#", "no", "no."}


@dataclass(frozen=True)
class Column:
    code: str
    # Template titles are part of the file format, so they stay Vietnamese whatever the interface language.
    title: str
    required: bool
    help: str
    choices: str = ""  # name of a code list explained on the template's second sheet


# QĐ 366's scores and task figures, optional in both rating types; for a scored scheme `score` goes with a level.
SCORE_COLUMNS = (
    Column(
        "score",
        "Điểm",
        False,
        _("Điểm cấp có thẩm quyền chấm, 0 đến tổng điểm (100); bắt buộc với mức xếp loại từ năm 2025 (Quy định 366)."),
    ),
    Column("self_score", "Điểm tự chấm", False, _("Điểm tự chấm, 0 đến tổng điểm.")),
    Column("tasks_assigned", "Số nhiệm vụ được giao", False, _("Số nhiệm vụ được giao trong năm.")),
    Column("tasks_on_time", "Số nhiệm vụ đúng hạn", False, _("Số nhiệm vụ hoàn thành đúng hạn, bảo đảm chất lượng.")),
    Column("tasks_exceeded", "Số nhiệm vụ vượt mức", False, _("Số nhiệm vụ hoàn thành vượt mức.")),
    Column("tasks_late", "Số nhiệm vụ chậm", False, _("Số nhiệm vụ hoàn thành nhưng chậm hạn.")),
    Column(
        "below_score_reason",
        "Lý do xếp thấp hơn mức theo điểm",
        False,
        _("Bắt buộc khi mức xếp loại thấp hơn mức điểm cho phép (ví dụ bị kỷ luật)."),
    ),
)

# Issue 15: a quarter's results next to the year's; optional, so files written before it mean the year.
PERIOD_COLUMN = Column(
    "period", "Kỳ đánh giá", False, _("Để trống là cả năm; Q1–Q4 (hoặc Quý I–Quý IV) là kết quả quý."), "period"
)
# The decision recognizing a rating, and a free note: the last columns of the unit's and the leadership ratings.
DECISION_COLUMNS = (
    Column("decision_ref", "Số quyết định", False, _("Số, ký hiệu quyết định công nhận.")),
    Column("decided_on", "Ngày quyết định", False, _("YYYY-MM-DD hoặc DD/MM/YYYY.")),
    Column("note", "Ghi chú", False, _("Ghi chú tự do.")),
)


def _leadership_rating_columns(levels: str, self_level_help: str) -> tuple[Column, ...]:
    """The columns a collective's and a leader's rating share after their keys: the three levels, scores, decision."""
    return (
        Column(
            "level",
            "Xếp loại",
            True,
            _("Mức cấp có thẩm quyền quyết định; để trống khi chưa quyết định."),
            levels,
        ),
        Column("self_level", "Tự đánh giá", False, self_level_help, levels),
        Column("appraisal_level", "Mức thẩm định", False, _("Mức Ban Tổ chức thẩm định, đề xuất."), levels),
        *SCORE_COLUMNS,
        *DECISION_COLUMNS,
    )


COLUMNS: dict[str, tuple[Column, ...]] = {
    ORGANIZATIONS: (
        Column("code", "Mã tổ chức", True, _("Mã duy nhất: chữ cái không dấu, chữ số, dấu gạch nối (BS-DONG-Y).")),
        Column("name", "Tên tổ chức", True, _("Tên đầy đủ, có dấu.")),
        Column("kind", "Loại tổ chức", True, _("Mã loại tổ chức."), "kind"),
        Column(
            "parent_code",
            "Mã tổ chức cấp trên",
            True,
            _("Mã của tổ chức cấp trên; chỉ để trống với tổ chức gốc (cấp tỉnh)."),
        ),
        Column("sector", "Loại hình", False, _("Mã loại hình; có thể để trống."), "sector"),
        Column("valid_from", "Thành lập từ ngày", False, _("Ngày thành lập: YYYY-MM-DD hoặc DD/MM/YYYY.")),
        Column("valid_to", "Tồn tại đến ngày", False, _("Ngày giải thể hoặc sáp nhập; để trống nếu còn hoạt động.")),
    ),
    MEMBERS: (
        Column("card_number", "Số thẻ đảng viên", True, _("Số thẻ đảng viên, duy nhất.")),
        Column("full_name", "Họ và tên", True, _("Họ và tên đầy đủ, có dấu.")),
        Column(
            "organization_code",
            "Mã chi bộ",
            True,
            _("Mã chi bộ nơi đảng viên đang sinh hoạt; đổi chi bộ được ghi là chuyển sinh hoạt."),
        ),
        Column("status", "Trạng thái", True, _("Mã trạng thái đảng viên."), "status"),
        Column("gender", "Giới tính", False, _("Mã giới tính."), "gender"),
        Column("birth_date", "Ngày sinh", False, _("YYYY-MM-DD hoặc DD/MM/YYYY.")),
        Column("ethnicity", "Dân tộc", False, _("Ví dụ: Tày, Nùng, Kinh, Dao.")),
        Column("admitted_on", "Ngày vào Đảng", False, _("YYYY-MM-DD hoặc DD/MM/YYYY.")),
        Column("official_on", "Ngày chính thức", False, _("Không trước ngày vào Đảng.")),
    ),
    UNIT_RATINGS: (
        Column("organization_code", "Mã tổ chức", True, _("Mã tổ chức đảng được xếp loại.")),
        Column("year", "Năm", True, _("Năm đánh giá, ví dụ 2017.")),
        Column(
            "level",
            "Xếp loại",
            True,
            _("Mã mức xếp loại của quy định năm đó; để trống khi chưa quyết định."),
            "unit_levels",
        ),
        Column("self_level", "Tự đánh giá", False, _("Mức tổ chức tự đánh giá, đề xuất."), "unit_levels"),
        Column("exemplary", "Tiêu biểu", False, _("true/false/1/0/có/không; để trống là không. Chỉ với mức cao nhất.")),
        *DECISION_COLUMNS,
        PERIOD_COLUMN,
        *SCORE_COLUMNS,
    ),
    MEMBER_RATINGS: (
        Column("card_number", "Số thẻ đảng viên", True, _("Số thẻ của đảng viên đã có trong hệ thống.")),
        Column("year", "Năm", True, _("Năm đánh giá, ví dụ 2017.")),
        Column("organization_code", "Mã chi bộ", True, _("Mã chi bộ nơi đảng viên được đánh giá năm đó.")),
        Column(
            "level",
            "Xếp loại",
            True,
            _("Mã mức xếp loại đảng viên của quy định năm đó; để trống khi không xếp loại."),
            "member_levels",
        ),
        Column(
            "not_rated_reason", "Lý do không xếp loại", False, _("Bắt buộc khi để trống xếp loại."), "member_reasons"
        ),
        Column(
            "full_name",
            "Họ và tên",
            False,
            _("Để đối chiếu: nếu có, phải khớp với họ tên của số thẻ (không phân biệt hoa thường, dấu)."),
        ),
        Column("note", "Ghi chú", False, _("Ghi chú tự do.")),
        Column(
            "sick_leave_months",
            "Số tháng nghỉ ốm",
            False,
            _("Số tháng nghỉ ốm trong năm (0 đến 12); từ 3 tháng trở lên không xếp cao hơn hoàn thành nhiệm vụ."),
        ),
        Column(
            "civil_servant_level",
            "Xếp loại công chức, viên chức",
            False,
            _("Mức xếp loại công chức, viên chức năm đó (nếu có); đảng viên không xếp cao hơn mức này."),
            "civil_servant_level",
        ),
        PERIOD_COLUMN,
        *SCORE_COLUMNS,
    ),
    DISCIPLINES: (
        Column("card_number", "Số thẻ đảng viên", False, _("Số thẻ của đảng viên bị kỷ luật; hoặc ghi mã tổ chức.")),
        Column(
            "organization_code",
            "Mã tổ chức",
            False,
            _("Mã tổ chức đảng bị kỷ luật; hoặc ghi số thẻ đảng viên (chỉ một trong hai)."),
        ),
        Column("form", "Hình thức kỷ luật", True, _("Mã hình thức kỷ luật."), "discipline_form"),
        Column("decided_on", "Ngày quyết định", True, _("YYYY-MM-DD hoặc DD/MM/YYYY.")),
        Column("decision_ref", "Số quyết định", True, _("Số, ký hiệu quyết định kỷ luật.")),
        Column("deciding_body", "Cơ quan quyết định", True, _("Ví dụ: Ủy ban Kiểm tra Huyện ủy.")),
        Column("note", "Ghi chú", False, _("Ghi chú tự do.")),
        Column(
            "corruption",
            "Vụ việc tham nhũng",
            False,
            _("Kỷ luật do vụ việc tham nhũng: có/không (true/false, 1/0); để trống là không."),
        ),
    ),
    CRITERIA: (
        Column("set_code", "Mã bộ tiêu chí", True, _("Mã bộ tiêu chí; mọi dòng của một bộ ghi cùng mã.")),
        Column("issuer_code", "Mã cấp ban hành", True, _("Mã tổ chức ban hành: tỉnh, hoặc đảng bộ xã cho các chi bộ.")),
        Column("subject_group", "Nhóm đối tượng", True, _("Mã nhóm đối tượng của bộ tiêu chí."), "subject_group"),
        Column("first_year", "Áp dụng từ năm", True, _("Năm đầu áp dụng, ví dụ 2025.")),
        Column("group_code", "Mã nhóm", True, _("Mã nhóm tiêu chí trong bộ, ví dụ I, II.")),
        Column("group_name", "Tên nhóm", True, _("Tên nhóm tiêu chí.")),
        Column("group_max", "Điểm tối đa của nhóm", True, _("Các nhóm của bộ cộng lại đúng tổng điểm (100).")),
        Column("item_code", "Mã tiêu chí", True, _("Mã tiêu chí, duy nhất trong bộ, ví dụ 1.1.")),
        Column("item_name", "Tên tiêu chí", True, _("Nội dung tiêu chí.")),
        Column(
            "item_max", "Điểm tối đa của tiêu chí", True, _("Các tiêu chí của nhóm cộng lại không quá điểm của nhóm.")
        ),
        Column("set_name", "Tên bộ tiêu chí", False, _("Tên đầy đủ của bộ; để trống thì dùng mã.")),
        Column("last_year", "Áp dụng đến năm", False, _("Năm cuối áp dụng; để trống là chưa hết hiệu lực.")),
        Column(
            "group_part",
            "Phần khung",
            False,
            _("Mã phần khung tiêu chí toàn quốc của nhóm: common (tiêu chí chung), tasks (kết quả nhiệm vụ)."),
        ),
        Column("item_description", "Giải thích tiêu chí", False, _("Nội dung chi tiết của tiêu chí.")),
        Column("item_measured_by", "Cách đo, minh chứng", False, _("Cách đánh giá, tài liệu minh chứng.")),
    ),
    ITEM_SCORES: (
        Column("card_number", "Số thẻ đảng viên", False, _("Số thẻ đảng viên được chấm; hoặc ghi mã tổ chức.")),
        Column(
            "organization_code",
            "Mã tổ chức",
            False,
            _("Mã tổ chức đảng được chấm; hoặc ghi số thẻ đảng viên (chỉ một trong hai)."),
        ),
        Column("year", "Năm", True, _("Năm đánh giá, ví dụ 2025.")),
        PERIOD_COLUMN,
        Column("set_code", "Mã bộ tiêu chí", True, _("Mã bộ tiêu chí (phiên bản mới nhất).")),
        Column("item_code", "Mã tiêu chí", True, _("Mã tiêu chí trong bộ.")),
        Column("self_score", "Điểm tự chấm", False, _("Từ 0 đến điểm tối đa của tiêu chí.")),
        Column("score", "Điểm", False, _("Điểm cấp trên chấm, từ 0 đến điểm tối đa của tiêu chí.")),
        Column(
            "name",
            "Họ tên hoặc tên tổ chức",
            False,
            _(
                "Để đối chiếu: nếu có, phải khớp với họ tên của số thẻ, hoặc tên của tổ chức "
                "(không phân biệt hoa thường, dấu)."
            ),
        ),
    ),
    COLLECTIVES: (
        Column("code", "Mã tập thể", True, _("Mã duy nhất của tập thể: chữ cái không dấu, chữ số, gạch nối (BS-BTV).")),
        Column("organization_code", "Mã tổ chức", True, _("Mã tổ chức đảng có tập thể này.")),
        Column("kind", "Loại tập thể", True, _("Mã loại tập thể lãnh đạo, quản lý."), "collective_kind"),
        Column("name", "Tên tập thể", True, _("Tên đầy đủ, có dấu, ví dụ: Ban Thường vụ Đảng ủy xã Bắc Sơn.")),
        Column("valid_from", "Từ ngày", False, _("Ngày tập thể bắt đầu (đầu nhiệm kỳ, thành lập): YYYY-MM-DD.")),
        Column("valid_to", "Đến ngày", False, _("Ngày tập thể kết thúc; để trống nếu còn hoạt động.")),
    ),
    POSITIONS: (
        Column("card_number", "Số thẻ đảng viên", True, _("Số thẻ của đảng viên giữ chức danh.")),
        Column("collective_code", "Mã tập thể", True, _("Mã tập thể lãnh đạo, quản lý.")),
        Column("title", "Chức danh", True, _("Mã chức danh."), "title"),
        Column("heads", "Người đứng đầu", False, _("true/false/1/0/có/không: người đứng đầu tập thể; trống là không.")),
        Column("start", "Từ ngày", True, _("Ngày bắt đầu giữ chức danh: YYYY-MM-DD hoặc DD/MM/YYYY.")),
        Column("end", "Đến ngày", False, _("Ngày thôi giữ chức danh; để trống nếu đang giữ.")),
        Column("managed_by_code", "Mã cấp ủy quản lý", True, _("Mã tổ chức đảng có cấp ủy quản lý chức danh này.")),
    ),
    COLLECTIVE_RATINGS: (
        Column("collective_code", "Mã tập thể", True, _("Mã tập thể được xếp loại.")),
        Column("year", "Năm", True, _("Năm đánh giá, ví dụ 2025.")),
        PERIOD_COLUMN,
        *_leadership_rating_columns("unit_levels", _("Mức tập thể tự đánh giá, đề xuất.")),
    ),
    LEADER_RATINGS: (
        Column("card_number", "Số thẻ đảng viên", True, _("Số thẻ của người lãnh đạo, quản lý được xếp loại.")),
        Column("collective_code", "Mã tập thể", True, _("Mã tập thể nơi người đó giữ chức danh trong năm.")),
        Column("year", "Năm", True, _("Năm đánh giá, ví dụ 2025.")),
        PERIOD_COLUMN,
        *_leadership_rating_columns("member_levels", _("Mức cá nhân tự đánh giá (bản tự kiểm điểm).")),
    ),
}

KEY_COLUMNS = {
    ORGANIZATIONS: ("code",),
    MEMBERS: ("card_number",),
    UNIT_RATINGS: ("organization_code", "year"),
    MEMBER_RATINGS: ("card_number", "year"),
    # A decision of one number against one member or organization; its first column is where errors without a
    # column of their own are shown, so it is the decision number every row has.
    DISCIPLINES: ("decision_ref", "card_number", "organization_code"),
    CRITERIA: ("set_code", "item_code"),
    # Errors without a column of their own go to the item's code, which every row has.
    ITEM_SCORES: ("item_code", "card_number", "organization_code", "year", "period", "set_code"),
    COLLECTIVES: ("code",),
    POSITIONS: ("card_number", "collective_code", "start"),
    COLLECTIVE_RATINGS: ("collective_code", "year", "period"),
    LEADER_RATINGS: ("card_number", "collective_code", "year", "period"),
}


# The scoring sheet's layout of item_scores: one row per subject, one column per item ("Điểm 1.1 (tối đa 15)", "Tự
# chấm 1.1 (tối đa 15)") instead of the item_code, self_score and score columns; folded, with the maximum optional.
WIDE_PREFIXES = {"diem": "score", "tu cham": "self_score"}
WIDE_TITLES = {"score": "Điểm", "self_score": "Tự chấm"}
WIDE_PATTERN = re.compile(r"^(diem|tu cham) ([a-z0-9]+(?:[.-][a-z0-9]+)*)(?: \(.*\))?$")
WIDE_MARK = "item:"


def wide_column(data_type: str, text: str) -> str | None:
    """For a scoring sheet's item column, its code "item:<score field>:<item code>"; None for any other header."""
    if data_type != ITEM_SCORES:
        return None
    found = WIDE_PATTERN.match(" ".join(fold(text).split()))
    if found is None:
        return None
    return f"{WIDE_MARK}{WIDE_PREFIXES[found.group(1)]}:{found.group(2)}"


def wide_title(field: str, item_code: str, max_points: str) -> str:
    """The header of a scoring sheet's item column, as wide_column reads it back."""
    return f"{WIDE_TITLES[field]} {item_code} (tối đa {max_points})"


def header_lookup(data_type: str) -> dict[str, str]:
    """Folded English code or Vietnamese title -> column code."""
    lookup = {}
    for column in COLUMNS[data_type]:
        lookup[fold(column.code)] = column.code
        lookup[fold(column.title)] = column.code
    lookup[fold(ERRORS_COLUMN)] = ERRORS_COLUMN
    lookup[fold(ERRORS_TITLE)] = ERRORS_COLUMN
    return lookup


def header_row_score(data_type: str, cells: list) -> int:
    """How many cells of a row are titles or codes of the type's columns: the header is the first row scoring 2."""
    lookup = header_lookup(data_type)
    return sum(1 for cell in cells if cell != "" and lookup.get(fold(str(cell))) not in (None, ERRORS_COLUMN))
