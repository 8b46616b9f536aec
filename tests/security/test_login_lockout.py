"""Login lock-out is per (user name, client address): failures for one name never lock another person out, and
behind our reverse proxy each client keeps its own address while a forged X-Forwarded-For is not believed."""

import pytest
from django.urls import reverse

from bacson.middleware import client_address

PASSWORD = "mat-khau-thu-nghiem-2017"


def login(client, username, password, **meta):
    return client.post(reverse("login"), {"username": username, "password": password}, **meta)


def logged_in(response) -> bool:
    return response.status_code == 302 and response.url == "/"


def fail_five_times(client, username, **meta):
    for _ in range(5):
        assert not logged_in(login(client, username, "sai-mat-khau", **meta))


def test_failures_for_one_user_do_not_lock_another_user_at_the_same_address(client, officer, leader):
    fail_five_times(client, "lanhdao", REMOTE_ADDR="10.1.1.7")
    assert logged_in(login(client, "binh", PASSWORD, REMOTE_ADDR="10.1.1.7"))


def test_the_user_and_address_that_failed_are_locked(client, leader):
    fail_five_times(client, "lanhdao", REMOTE_ADDR="10.1.1.7")
    response = login(client, "lanhdao", PASSWORD, REMOTE_ADDR="10.1.1.7")
    assert not logged_in(response) and response.status_code == 429
    # The right person at their own desk is not locked out by someone failing elsewhere.
    assert logged_in(login(client, "lanhdao", PASSWORD, REMOTE_ADDR="10.1.1.8"))


def test_behind_the_proxy_each_client_keeps_its_own_address(client, officer, leader, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    fail_five_times(client, "lanhdao", HTTP_X_FORWARDED_FOR="10.1.1.7", **proxy)
    assert not logged_in(login(client, "lanhdao", PASSWORD, HTTP_X_FORWARDED_FOR="10.1.1.7", **proxy))
    assert logged_in(login(client, "binh", PASSWORD, HTTP_X_FORWARDED_FOR="10.1.1.7", **proxy))
    client.logout()
    assert logged_in(login(client, "lanhdao", PASSWORD, HTTP_X_FORWARDED_FOR="10.1.1.9", **proxy))


def test_a_forged_forwarded_address_does_not_escape_the_lock(client, leader, settings):
    # No trusted proxy (the default): the header is the client's own words and is ignored.
    fail_five_times(client, "lanhdao", REMOTE_ADDR="10.1.1.7")
    assert not logged_in(login(client, "lanhdao", PASSWORD, REMOTE_ADDR="10.1.1.7", HTTP_X_FORWARDED_FOR="10.9.9.9"))
    # One trusted proxy: only the entry it appended counts, not what the client put before it.
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    fail_five_times(client, "lanhdao", HTTP_X_FORWARDED_FOR="10.2.2.2", **proxy)
    forged = login(client, "lanhdao", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9, 10.2.2.2", **proxy)
    assert not logged_in(forged)


@pytest.mark.parametrize(
    ("count", "forwarded", "remote", "expected"),
    [
        (0, "1.1.1.1", "10.0.0.1", "10.0.0.1"),
        (1, "", "10.0.0.1", "10.0.0.1"),
        (1, "1.1.1.1", "10.0.0.1", "1.1.1.1"),
        (1, "6.6.6.6, 1.1.1.1", "10.0.0.1", "1.1.1.1"),
        (2, "6.6.6.6, 1.1.1.1, 10.0.0.2", "10.0.0.1", "1.1.1.1"),
        (2, "1.1.1.1", "10.0.0.1", "1.1.1.1"),
    ],
)
def test_client_address_counts_trusted_proxies_from_the_right(db, rf, settings, count, forwarded, remote, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
