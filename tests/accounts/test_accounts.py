"""Accounts: provisioning from the command line, and the one scoping function."""

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Role, User
from assessments.permissions import organizations_visible_to

pytestmark = pytest.mark.django_db


def _create_account(tmp_path, username: str, role: str, organization: str, password: str, *options: str) -> None:
    """create_account with its password read from a file, as an administrator runs it."""
    secret = tmp_path / "pw.txt"
    secret.write_text(password, encoding="utf-8")
    call_command(
        "create_account",
        username,
        "--role",
        role,
        "--organization",
        organization,
        "--password-file",
        str(secret),
        *options,
    )


def test_create_account_with_a_password_file(tree, tmp_path):
    _create_account(
        tmp_path, "bithu", "secretary", "BS-NHAT-TIEN", "Nhat-Tien-bi-thu-2018\n", "--full-name", "Dương Văn Rum"
    )
    user = User.objects.get(username="bithu")
    assert (user.role, user.organization.code, user.get_full_name()) == (
        "secretary",
        "BS-NHAT-TIEN",
        "Dương Văn Rum",
    )
    assert user.check_password("Nhat-Tien-bi-thu-2018")
    assert not user.is_staff


def test_create_account_prompts_when_no_file(tree, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "Mat-khau-rat-dai-2017")
    call_command("create_account", "canbo", "--role", "officer", "--organization", "BS")
    assert User.objects.get(username="canbo").check_password("Mat-khau-rat-dai-2017")


@pytest.mark.parametrize(
    ("role", "organization", "password", "refusal"),
    [
        pytest.param("officer", "BS", "12345\n", "10", id="weak-password"),
        pytest.param("officer", "BS-KHONG-CO", "Mat-khau-rat-dai-2017", "BS-KHONG-CO", id="unknown-organization"),
        # A secretary belongs to a grassroots organization (cơ sở), not to the district.
        pytest.param("secretary", "BS", "Mat-khau-rat-dai-2017", "cơ sở", id="secretary-of-a-district"),
    ],
)
def test_create_account_refuses_and_creates_nobody(tree, tmp_path, role, organization, password, refusal):
    with pytest.raises(CommandError, match=refusal):
        _create_account(tmp_path, "moi", role, organization, password)
    assert not User.objects.filter(username="moi").exists()


def test_officer_sees_the_whole_district(officer, tree):
    codes = set(organizations_visible_to(officer).values_list("code", flat=True))
    assert codes == set(tree) - {"LS"}


def test_secretary_sees_only_their_commune_and_its_cells(secretary_dong_y):
    codes = set(organizations_visible_to(secretary_dong_y).values_list("code", flat=True))
    assert codes == {"BS-DONG-Y", "BS-DONG-Y-01", "BS-DONG-Y-02"}


def test_province_user_sees_every_district(tree):
    user = User.objects.create(username="tinh", role=Role.LEADER, organization=tree["LS"])
    assert organizations_visible_to(user).count() == len(tree)


def test_inactive_or_anonymous_users_see_nothing(secretary_dong_y):
    from django.contrib.auth.models import AnonymousUser

    secretary_dong_y.is_active = False
    assert not organizations_visible_to(secretary_dong_y).exists()
    assert not organizations_visible_to(AnonymousUser()).exists()
