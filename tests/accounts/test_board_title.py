"""Every page's title names the board the user works for: the province's Organization Board for a province officer
(the level that runs the cycle since July 2025), the district's for a district officer, the unit for its secretary,
the board in general on the login page; the user's organization comes with the user, in the same query."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments.accounts.backends import OrganizationModelBackend
from assessments.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _title(client: Client, url: str, language: str = "vi") -> str:
    client.cookies["django_language"] = language
    html = client.get(url, follow=True).content.decode()
    return re.search(r"<title>(.*?)</title>", html, flags=re.S).group(1)


@pytest.mark.parametrize(
    ("unit", "role", "board"),
    [
        ("LS", Role.OFFICER, "Ban Tổ chức Tỉnh ủy"),
        ("BS", Role.OFFICER, "Ban Tổ chức Huyện ủy"),
        ("BS", Role.LEADER, "Ban Tổ chức Huyện ủy"),
        ("BS-DONG-Y", Role.SECRETARY, "Đảng bộ xã Đồng Ý"),
    ],
)
def test_the_title_names_the_users_board(tree, client, unit, role, board):
    organization = tree["BS"].parent if unit == "LS" else tree[unit]  # the tree is named from the district down
    client.force_login(UserFactory(role=role, organization=organization))
    assert _title(client, reverse("assessments:home")).endswith(f" · {board}")


def test_the_login_page_names_the_board_in_general_in_both_languages(client):
    assert _title(client, reverse("login")).endswith(" · Ban Tổ chức")
    assert _title(client, reverse("login"), "en").endswith(" · Organization Board")


def test_a_province_officer_reads_the_province_board_in_english(tree, client):
    client.force_login(UserFactory(role=Role.OFFICER, organization=tree["BS"].parent))
    assert _title(client, reverse("assessments:home"), "en").endswith(" · Provincial Party Organization Board")


def test_the_users_organization_is_read_with_the_user(tree, django_assert_num_queries):
    """The user of a session comes with the organization in one query: naming the board costs none more."""
    user = UserFactory(role=Role.OFFICER, organization=tree["BS"])
    with django_assert_num_queries(1):
        loaded = OrganizationModelBackend().get_user(user.pk)
        assert loaded.organization.code == "BS"
    user.is_active = False
    user.save()
    assert OrganizationModelBackend().get_user(user.pk) is None


def test_the_admin_names_the_administrators_board(tree, client):
    """The admin served a district's name to every administrator; it names the board of the one logged in."""
    client.force_login(UserFactory(role=Role.OFFICER, organization=tree["BS"].parent, is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:index")).content.decode()
    assert "Quản trị dữ liệu · Ban Tổ chức Tỉnh ủy</a>" in html
    assert "Huyện ủy Bắc Sơn" not in html
    english = _title(client, reverse("admin:index"), "en")
    assert english.endswith("| Data administration · Provincial Party Organization Board")
