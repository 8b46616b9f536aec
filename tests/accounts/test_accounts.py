"""Accounts: provisioning from the command line, and the one scoping function."""

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Role, User
from assessments.permissions import organizations_visible_to

pytestmark = pytest.mark.django_db


def test_create_account_with_a_password_file(tree, tmp_path):
    secret = tmp_path / "pw.txt"
    secret.write_text("Nhat-Tien-bi-thu-2018\n", encoding="utf-8")
    call_command(
        "create_account",
        "bithu",
        "--role",
        "secretary",
        "--organization",
        "BS-NHAT-TIEN",
        "--password-file",
        str(secret),
        "--full-name",
        "Dương Văn Rum",
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


def test_create_account_rejects_a_weak_password(tree, tmp_path):
    secret = tmp_path / "pw.txt"
    secret.write_text("12345\n", encoding="utf-8")
    with pytest.raises(CommandError, match="10"):
        call_command(
            "create_account",
            "yeu",
            "--role",
            "officer",
            "--organization",
            "BS",
            "--password-file",
            str(secret),
        )
    assert not User.objects.filter(username="yeu").exists()


def test_create_account_rejects_unknown_organization(tree, tmp_path):
    secret = tmp_path / "pw.txt"
    secret.write_text("Mat-khau-rat-dai-2017", encoding="utf-8")
    with pytest.raises(CommandError, match="BS-KHONG-CO"):
        call_command(
            "create_account",
            "x",
            "--role",
            "officer",
            "--organization",
            "BS-KHONG-CO",
            "--password-file",
            str(secret),
        )


def test_secretary_must_belong_to_a_grassroots_organization(tree, tmp_path):
    secret = tmp_path / "pw.txt"
    secret.write_text("Mat-khau-rat-dai-2017", encoding="utf-8")
    with pytest.raises(CommandError, match="cơ sở"):
        call_command(
            "create_account",
            "x",
            "--role",
            "secretary",
            "--organization",
            "BS",
            "--password-file",
            str(secret),
        )


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
