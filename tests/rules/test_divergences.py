"""The cases where the write paths used to disagree: each is fed to the service, the importer, the admin's form and
(where it writes that data) the demo loader's rule call, and every path must give the same answer."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments import demo, services
from assessments.importing import FileRejected
from assessments.models import Kind, Member, MemberAssessment, Membership, Organization, UnitAssessment
from assessments.rules import organizations as rules_organizations
from tests.factories import MemberFactory, OrganizationFactory, level
from tests.rules.paths import admin_errors, import_messages, import_rows, member_admin_data, spans

pytestmark = pytest.mark.django_db

MR = ["card_number", "year", "organization_code", "level"]
MEMBERS = ["card_number", "full_name", "organization_code", "status"]


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _joined(tree, officer, code="BS-DONG-Y-01", **fields) -> Member:
    member = MemberFactory.build(organization=tree[code], **fields)
    return services.member_save(member=member, actor=officer, joined_on=datetime.date(2010, 1, 1))


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


# --- a rating at a unit that does not exist that year -------------------------------------------------------------


def test_a_member_rating_at_a_unit_dissolved_the_year_before_is_refused_by_every_path(
    tree, officer, admin_client, tmp_path
):
    expected = "BS-CU không tồn tại vào ngày 31/12/2017."
    member = MemberFactory(organization=tree["BS-CU"])
    good = level("hd27-2014", "member", "good")

    def rating():
        return MemberAssessment(member=member, year=2017, organization=tree["BS-CU"], level=good)

    with pytest.raises(ValidationError) as refused:
        services.member_assessment_save(assessment=rating(), actor=officer)
    assert refused.value.message_dict == {"organization": [expected]}

    result = import_rows(tmp_path, "member_ratings", [MR, [member.card_number, 2017, "BS-CU", "good"]], user=officer)
    assert import_messages(result) == [expected]

    response = admin_client.post(
        "/admin/assessments/memberassessment/add/",
        {"member": member.pk, "year": 2017, "organization": tree["BS-CU"].pk, "level": good.pk, "note": ""},
    )
    assert response.status_code == 200
    assert expected in admin_errors(response)

    with pytest.raises(ValidationError) as refused:
        demo.ratings_check([rating()])
    assert refused.value.message_dict == {"organization": [expected]}
    assert not MemberAssessment.objects.exists()


def test_a_unit_rating_at_a_unit_dissolved_the_year_before_is_refused_by_every_path(
    tree, officer, admin_client, tmp_path
):
    expected = "BS-CU không tồn tại vào ngày 31/12/2017."
    good = level("hd27-2014", "unit", "good")
    with pytest.raises(ValidationError) as refused:
        services.unit_assessment_save(
            assessment=UnitAssessment(organization=tree["BS-CU"], year=2017, level=good), actor=officer
        )
    assert refused.value.message_dict == {"organization": [expected]}
    result = import_rows(
        tmp_path, "unit_ratings", [["organization_code", "year", "level"], ["BS-CU", 2017, "good"]], user=officer
    )
    assert import_messages(result) == [expected]
    response = admin_client.post(
        "/admin/assessments/unitassessment/add/",
        {"organization": tree["BS-CU"].pk, "year": 2017, "level": good.pk, "note": ""},
    )
    assert expected in admin_errors(response)
    with pytest.raises(ValidationError) as refused:
        demo.ratings_check([UnitAssessment(organization=tree["BS-CU"], year=2017, level=good)])
    assert refused.value.message_dict == {"organization": [expected]}
    assert not UnitAssessment.objects.exists()


# --- a transfer into a unit that does not exist that day ----------------------------------------------------------


def test_a_transfer_into_a_dissolved_cell_is_refused_by_every_path(tree, officer, admin_client, tmp_path):
    today = timezone.localdate()
    expected = f"BS-CU không còn tồn tại vào ngày {_day(today)} (tồn tại đến 30/06/2016)."
    member = _joined(tree, officer)

    with pytest.raises(ValidationError) as refused:
        services.member_transfer(member=member, organization=tree["BS-CU"], day=today, actor=officer)
    assert refused.value.message_dict == {"organization": [expected]}

    row = [member.card_number, member.full_name, "BS-CU", "official"]
    assert import_messages(import_rows(tmp_path, "members", [MEMBERS, row], user=officer)) == [expected]

    member.refresh_from_db()
    response = admin_client.post(
        f"/admin/assessments/member/{member.pk}/change/", member_admin_data(member, organization=tree["BS-CU"].pk)
    )
    assert response.status_code == 200
    assert expected in admin_errors(response)

    with pytest.raises(ValidationError) as refused:
        demo.members_check([MemberFactory.build(organization=tree["BS-CU"], admitted_on=today)])
    assert refused.value.message_dict == {"organization": [expected]}

    member.refresh_from_db()
    assert member.organization.code == "BS-DONG-Y-01"
    assert spans(member) == [("BS-DONG-Y-01", datetime.date(2010, 1, 1), None)]


def test_a_transfer_into_a_cell_not_founded_yet_is_refused_by_the_service_and_the_importer(tree, officer, tmp_path):
    today = timezone.localdate()
    founded = today + datetime.timedelta(days=30)
    OrganizationFactory(code="BS-DONG-Y-03", kind=Kind.CELL, parent=tree["BS-DONG-Y"], valid_from=founded)
    new_cell = Organization.objects.get(code="BS-DONG-Y-03")
    expected = f"BS-DONG-Y-03 chưa thành lập vào ngày {_day(today)} (thành lập từ {_day(founded)})."
    member = _joined(tree, officer)
    with pytest.raises(ValidationError) as refused:
        services.member_transfer(member=member, organization=new_cell, day=today, actor=officer)
    assert refused.value.message_dict == {"organization": [expected]}
    row = [member.card_number, member.full_name, "BS-DONG-Y-03", "official"]
    assert import_messages(import_rows(tmp_path, "members", [MEMBERS, row], user=officer)) == [expected]


def test_a_membership_in_a_dissolved_cell_is_refused_by_the_service_the_inline_and_the_membership_admin(
    tree, officer, admin_client
):
    day = datetime.date(2017, 1, 1)
    expected = "BS-CU không còn tồn tại vào ngày 01/01/2017 (tồn tại đến 30/06/2016)."
    member = _joined(tree, officer)

    with pytest.raises(ValidationError) as refused:
        services.member_transfer(member=member, organization=tree["BS-CU"], day=day, actor=officer)
    assert refused.value.message_dict == {"organization": [expected]}
    with pytest.raises(ValidationError) as refused:
        services.membership_save(
            membership=Membership(member=member, organization=tree["BS-CU"], start=day), actor=officer
        )
    assert refused.value.message_dict == {"organization": [expected]}

    data = member_admin_data(member)
    data.update(
        {
            "memberships-TOTAL_FORMS": "2",
            "memberships-1-member": str(member.pk),
            "memberships-1-organization": str(tree["BS-CU"].pk),
            "memberships-1-start": "2017-01-01",
            "memberships-1-end": "2017-03-01",
        }
    )
    response = admin_client.post(f"/admin/assessments/member/{member.pk}/change/", data)
    assert expected in admin_errors(response)

    response = admin_client.post(
        "/admin/assessments/membership/add/",
        {"member": member.pk, "organization": tree["BS-CU"].pk, "start": "2017-01-01", "end": "2017-03-01"},
    )
    assert expected in admin_errors(response)
    assert spans(member) == [("BS-DONG-Y-01", datetime.date(2010, 1, 1), None)]


# --- a second transfer on the same day corrects that day's transfer ---------------------------------------------------


def _expected_after_correction(today):
    return [
        ("BS-DONG-Y-01", datetime.date(2010, 1, 1), today - datetime.timedelta(days=1)),
        ("BS-NHAT-TIEN-01", today, None),
    ]


def test_a_second_transfer_the_same_day_corrects_it_in_the_service(tree, officer):
    today = timezone.localdate()
    member = _joined(tree, officer)
    for code in ("BS-DONG-Y-02", "BS-NHAT-TIEN-01"):
        services.member_transfer(member=member, organization=tree[code], day=today, actor=officer)
    assert spans(member) == _expected_after_correction(today)
    services.member_transfer(member=member, organization=tree["BS-DONG-Y-01"], day=today, actor=officer)
    assert spans(member) == [("BS-DONG-Y-01", datetime.date(2010, 1, 1), None)]
    assert Member.objects.get(pk=member.pk).organization.code == "BS-DONG-Y-01"


def test_a_second_transfer_the_same_day_corrects_it_in_the_importer(tree, officer, tmp_path):
    today = timezone.localdate()
    member = _joined(tree, officer)
    for code in ("BS-DONG-Y-02", "BS-NHAT-TIEN-01"):
        result = import_rows(tmp_path, "members", [MEMBERS, [member.card_number, member.full_name, code, "official"]])
        assert result.ok, import_messages(result)
    assert spans(member) == _expected_after_correction(today)
    import_rows(tmp_path, "members", [MEMBERS, [member.card_number, member.full_name, "BS-DONG-Y-01", "official"]])
    assert spans(member) == [("BS-DONG-Y-01", datetime.date(2010, 1, 1), None)]
    assert Member.objects.get(pk=member.pk).organization.code == "BS-DONG-Y-01"


def test_a_second_transfer_the_same_day_corrects_it_in_the_admin(tree, officer, admin_client):
    today = timezone.localdate()
    member = _joined(tree, officer)
    for code in ("BS-DONG-Y-02", "BS-NHAT-TIEN-01"):
        member.refresh_from_db()
        response = admin_client.post(
            f"/admin/assessments/member/{member.pk}/change/", member_admin_data(member, organization=tree[code].pk)
        )
        assert response.status_code == 302, admin_errors(response)
    assert spans(member) == _expected_after_correction(today)


def test_a_transfer_dated_before_the_current_membership_is_refused(tree, officer):
    member = _joined(tree, officer)
    services.member_transfer(
        member=member, organization=tree["BS-DONG-Y-02"], day=datetime.date(2017, 7, 1), actor=officer
    )
    with pytest.raises(ValidationError) as refused:
        services.member_transfer(
            member=member, organization=tree["BS-NHAT-TIEN-01"], day=datetime.date(2017, 6, 1), actor=officer
        )
    assert refused.value.message_dict == {
        "day": ["Ngày chuyển phải từ ngày bắt đầu sinh hoạt hiện tại (01/07/2017) trở đi."]
    }


# --- re-pathing a moved subtree: one set-based function -----------------------------------------------------------


def _commune_with_cell(code: str, parent: Organization) -> Organization:
    commune = OrganizationFactory(code=code, kind=Kind.GRASSROOTS_COMMITTEE, parent=parent)
    OrganizationFactory(code=f"{code}-01", kind=Kind.CELL, parent=commune)
    return commune


def test_moving_a_commune_re_paths_its_cells_the_same_way_in_every_path(
    tree, admin_user, admin_client, tmp_path, monkeypatch
):
    other = OrganizationFactory(code="BS2", name="Đảng bộ huyện thứ hai", kind=Kind.DISTRICT, parent=tree["LS"])
    third = _commune_with_cell("BS-BA", tree["BS"])
    calls = []

    def spy(moves, exclude=()):
        calls.append(sorted(moves))
        return rules_organizations.subtree_repath(moves, exclude)

    monkeypatch.setattr("assessments.services.subtree_repath", spy)
    monkeypatch.setattr("assessments.importing.organizations.subtree_repath", spy)

    commune = tree["BS-DONG-Y"]
    commune.parent = other
    services.organization_save(organization=commune, actor=admin_user)

    result = import_rows(
        tmp_path,
        "organizations",
        [
            ["code", "name", "kind", "parent_code"],
            ["BS-NHAT-TIEN", "Đảng bộ xã Nhất Tiến", "grassroots_committee", "BS2"],
        ],
        user=admin_user,
    )
    assert result.ok, import_messages(result)

    response = admin_client.post(
        f"/admin/assessments/organization/{third.pk}/change/",
        {"code": "BS-BA", "name": third.name, "kind": third.kind, "sector": third.sector, "parent": other.pk},
    )
    assert response.status_code == 302, admin_errors(response)

    for code, cell in (("BS-DONG-Y", "BS-DONG-Y-01"), ("BS-NHAT-TIEN", "BS-NHAT-TIEN-02"), ("BS-BA", "BS-BA-01")):
        moved = Organization.objects.get(code=cell)
        assert (moved.path, moved.depth) == (f"LS/BS2/{code}/{cell}/", 3)
    assert len(calls) == 3


# --- what a secretary may write: one predicate ----------------------------------------------------------------------


def test_a_secretary_cannot_decide_their_own_units_level_in_the_service_or_the_importer(
    tree, secretary_dong_y, tmp_path
):
    good = level("hd27-2014", "unit", "good")
    with pytest.raises(ValidationError) as refused:
        services.unit_assessment_save(
            assessment=UnitAssessment(organization=tree["BS-DONG-Y"], year=2017, level=good), actor=secretary_dong_y
        )
    result = import_rows(
        tmp_path,
        "unit_ratings",
        [["organization_code", "year", "level"], ["BS-DONG-Y", 2017, "good"]],
        user=secretary_dong_y,
    )
    assert list(refused.value.message_dict) == ["level"]
    assert import_messages(result) == refused.value.message_dict["level"]
    assert not UnitAssessment.objects.exists()


def test_a_secretary_proposes_their_own_units_level_in_the_service_and_the_importer(tree, secretary_dong_y, tmp_path):
    good = level("hd27-2014", "unit", "good")
    services.unit_assessment_save(
        assessment=UnitAssessment(organization=tree["BS-DONG-Y"], year=2017, self_level=good), actor=secretary_dong_y
    )
    result = import_rows(
        tmp_path,
        "unit_ratings",
        [["organization_code", "year", "level", "self_level"], ["BS-NHAT-TIEN", 2016, "", "good"]],
        user=None,
    )
    assert result.ok
    assert UnitAssessment.objects.get(organization=tree["BS-DONG-Y"]).self_level == good


def test_a_secretary_cannot_rate_a_member_of_another_commune_in_the_service_or_the_importer(
    tree, secretary_dong_y, tmp_path
):
    theirs = MemberFactory(organization=tree["BS-NHAT-TIEN-01"])
    expected = f"Không có đảng viên số thẻ {theirs.card_number} trong phạm vi của bạn."
    with pytest.raises(ValidationError) as refused:
        services.member_assessment_save(
            assessment=MemberAssessment(
                member=theirs, year=2017, organization=tree["BS-DONG-Y-01"], level=level("hd27-2014", "member", "good")
            ),
            actor=secretary_dong_y,
        )
    assert refused.value.message_dict == {"member": [expected]}
    result = import_rows(
        tmp_path, "member_ratings", [MR, [theirs.card_number, 2017, "BS-DONG-Y-01", "good"]], user=secretary_dong_y
    )
    assert import_messages(result) == [expected]
    assert not MemberAssessment.objects.exists()


def test_a_leader_writes_nothing_in_the_service_or_the_importer(tree, leader, tmp_path):
    member = MemberFactory.build(organization=tree["BS-DONG-Y-01"])
    with pytest.raises(ValidationError) as refused:
        services.member_save(member=member, actor=leader)
    with pytest.raises(FileRejected) as rejected:
        import_rows(tmp_path, "members", [MEMBERS, ["9", "Vi Văn Chín", "BS-DONG-Y-01", "official"]], user=leader)
    assert refused.value.message_dict == {"organization": [str(rejected.value)]}
    assert not Member.objects.exists()


def test_a_secretary_cannot_move_a_member_into_another_commune_in_the_service_or_the_importer(
    tree, secretary_dong_y, officer, tmp_path
):
    member = _joined(tree, officer)
    with pytest.raises(ValidationError) as refused:
        services.member_transfer(
            member=member, organization=tree["BS-NHAT-TIEN-01"], day=timezone.localdate(), actor=secretary_dong_y
        )
    row = [member.card_number, member.full_name, "BS-NHAT-TIEN-01", "official"]
    result = import_rows(tmp_path, "members", [MEMBERS, row], user=secretary_dong_y)
    assert refused.value.message_dict == {
        "organization": ["Không có tổ chức mã BS-NHAT-TIEN-01 trong phạm vi của bạn."]
    }
    assert import_messages(result) == refused.value.message_dict["organization"]


# --- the admin's membership editing goes through the services -----------------------------------------------------


def test_changing_the_open_membership_in_the_admin_moves_the_member_too(tree, officer, admin_client):
    member = _joined(tree, officer)
    data = member_admin_data(member)
    data["memberships-0-organization"] = str(tree["BS-DONG-Y-02"].pk)
    response = admin_client.post(f"/admin/assessments/member/{member.pk}/change/", data)
    assert response.status_code == 302, admin_errors(response)
    assert Member.objects.get(pk=member.pk).organization.code == "BS-DONG-Y-02"


def test_the_open_membership_cannot_be_deleted_in_the_admin_or_the_service(tree, officer, admin_client):
    member = _joined(tree, officer)
    current = member.memberships.get()
    with pytest.raises(ValidationError) as refused:
        services.membership_delete(membership=current, actor=officer)
    data = member_admin_data(member)
    data["memberships-0-DELETE"] = "on"
    response = admin_client.post(f"/admin/assessments/member/{member.pk}/change/", data)
    assert refused.value.messages[0] in admin_errors(response)
    assert admin_client.post(f"/admin/assessments/membership/{current.pk}/delete/", {"post": "yes"}).status_code == 403
    assert member.memberships.count() == 1


def test_overlapping_memberships_are_refused_in_the_admin_and_the_service(tree, officer, admin_client):
    member = _joined(tree, officer)
    expected = "Trùng thời gian với quá trình sinh hoạt ở BS-DONG-Y-01 từ ngày 01/01/2010."
    with pytest.raises(ValidationError) as refused:
        services.membership_save(
            membership=Membership(
                member=member,
                organization=tree["BS-DONG-Y-02"],
                start=datetime.date(2015, 1, 1),
                end=datetime.date(2015, 12, 31),
            ),
            actor=officer,
        )
    assert refused.value.message_dict == {"start": [expected]}
    response = admin_client.post(
        "/admin/assessments/membership/add/",
        {"member": member.pk, "organization": tree["BS-DONG-Y-02"].pk, "start": "2015-01-01", "end": "2015-12-31"},
    )
    assert expected in admin_errors(response)
    assert member.memberships.count() == 1


# --- card numbers the user may not use: one message, naming nothing outside the scope (issue 13, item 12) ----------


def test_a_secretarys_members_import_does_not_reveal_a_card_number_of_another_commune(
    tree, officer, secretary_dong_y, tmp_path
):
    theirs = _joined(tree, officer, code="BS-NHAT-TIEN-01", full_name="Dương Văn Rõ")
    rows = [MEMBERS, [theirs.card_number, "Hoàng Văn Mới", "BS-DONG-Y-01", "official"]]
    taken = import_messages(import_rows(tmp_path, "members", rows, user=secretary_dong_y))
    header = ["card_number", "year", "organization_code", "level"]
    unknown = import_messages(
        import_rows(
            tmp_path, "member_ratings", [header, ["99999999", 2017, "BS-DONG-Y-01", "good"]], user=secretary_dong_y
        )
    )
    assert taken == [f"Không có đảng viên số thẻ {theirs.card_number} trong phạm vi của bạn."]
    assert unknown == ["Không có đảng viên số thẻ 99999999 trong phạm vi của bạn."]
    for text in ("NHAT-TIEN", "Nhất Tiến", "Dương Văn Rõ", "ngoài phạm vi", "sinh hoạt ở"):
        assert text not in taken[0]
    assert Member.objects.get(pk=theirs.pk).full_name == "Dương Văn Rõ"


# --- a level above what its score allows (QĐ 366, rules.scores) --------------------------------------------------


def test_a_level_above_its_score_is_refused_by_every_path_with_the_same_message(tree, officer, admin_client, tmp_path):
    expected = (
        "Điểm 85,5 thuộc khung Hoàn thành tốt nhiệm vụ (70 đến dưới 90); mức Hoàn thành xuất sắc nhiệm vụ cần từ 90 "
        "điểm."
    )
    member = MemberFactory(organization=tree["BS-DONG-Y-01"])
    excellent = level("qd366-2025", "member", "excellent")

    def rating():
        return MemberAssessment(
            member=member, year=2025, organization=tree["BS-DONG-Y-01"], level=excellent, score=Decimal("85.5")
        )

    with pytest.raises(ValidationError) as refused:
        services.member_assessment_save(assessment=rating(), actor=officer)
    assert refused.value.message_dict == {"level": [expected]}

    header = [*MR, "score"]
    result = import_rows(
        tmp_path,
        "member_ratings",
        [header, [member.card_number, 2025, "BS-DONG-Y-01", "excellent", "85,5"]],
        user=officer,
    )
    assert import_messages(result) == [expected]

    response = admin_client.post(
        "/admin/assessments/memberassessment/add/",
        {
            "member": member.pk,
            "year": 2025,
            "organization": tree["BS-DONG-Y-01"].pk,
            "level": excellent.pk,
            "score": "85.5",
            "note": "",
        },
    )
    assert response.status_code == 200
    assert expected in admin_errors(response)

    with pytest.raises(ValidationError) as refused:
        demo.ratings_check([rating()])
    assert refused.value.message_dict == {"level": [expected]}
    assert not MemberAssessment.objects.exists()


def test_a_unit_level_below_its_score_without_a_reason_is_refused_by_every_path(tree, officer, admin_client, tmp_path):
    expected = (
        "Điểm 93 cho phép mức Hoàn thành xuất sắc nhiệm vụ; xếp mức thấp hơn (Hoàn thành tốt nhiệm vụ) phải ghi lý "
        "do (ví dụ bị kỷ luật trong năm)."
    )
    good = level("qd366-2025", "unit", "good")

    def rating():
        return UnitAssessment(organization=tree["BS-DONG-Y"], year=2025, level=good, score=Decimal("93"))

    with pytest.raises(ValidationError) as refused:
        services.unit_assessment_save(assessment=rating(), actor=officer)
    assert refused.value.message_dict == {"below_score_reason": [expected]}
    result = import_rows(
        tmp_path,
        "unit_ratings",
        [["organization_code", "year", "level", "score"], ["BS-DONG-Y", 2025, "good", "93"]],
        user=officer,
    )
    assert import_messages(result) == [expected]
    response = admin_client.post(
        "/admin/assessments/unitassessment/add/",
        {"organization": tree["BS-DONG-Y"].pk, "year": 2025, "level": good.pk, "score": "93", "note": ""},
    )
    assert expected in admin_errors(response)
    with pytest.raises(ValidationError) as refused:
        demo.ratings_check([rating()])
    assert refused.value.message_dict == {"below_score_reason": [expected]}
    assert not UnitAssessment.objects.exists()
    reason = "Bị khiển trách tháng 6/2025."
    result = import_rows(
        tmp_path,
        "unit_ratings",
        [
            ["organization_code", "year", "level", "score", "below_score_reason"],
            ["BS-DONG-Y", 2025, "good", "93", reason],
        ],
        user=officer,
    )
    assert result.ok and UnitAssessment.objects.get(year=2025).below_score_reason == reason
