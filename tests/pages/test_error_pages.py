"""The 403, 404, 405 and 500 answers are Vietnamese pages with a way back (issue 18, item 5)."""

from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error


def test_403_shows_the_views_own_reason_and_the_way_back(client, tree, leader):
    client.force_login(leader)
    response = client.get(reverse("assessments:import_upload"), HTTP_REFERER="http://testserver/units/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Lãnh đạo chỉ xem số liệu, không nhập dữ liệu." in page
    assert 'href="http://testserver/units/"' in page and "Về trang chủ" in page


def test_404_is_vietnamese_with_the_way_home(client, tree, officer):
    client.force_login(officer)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404 and "Về trang chủ" in response.content.decode()


def test_an_actions_address_opened_by_get_is_a_vietnamese_405_page(client, tree, officer):
    client.force_login(officer)
    response = client.get("/portal/BS-NHAT-TIEN/2025/submit/")
    page = response.content.decode()
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "chỉ dùng để gửi biểu mẫu" in page and "Về trang chủ" in page


def test_500_page_needs_neither_request_nor_database():
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500 and "Hệ thống gặp lỗi" in page and 'href="/"' in page
