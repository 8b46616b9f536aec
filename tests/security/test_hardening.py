"""Hardening: deployment checks, security headers, CSP without inline code, every URL behind login and scope."""

import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(48),  # 64 characters, as the deployment check wants 50 or more
    "ALLOWED_HOSTS": "bacson.example",
    "CSRF_TRUSTED_ORIGINS": "https://bacson.example",
    "DJANGO_SETTINGS_MODULE": "bacson.settings",
}


def _run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECRET_KEY", "DEBUG", "ADMIN_URL"))}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


# --- deployment settings ---------------------------------------------------------------------------------------


def test_production_settings_pass_the_deployment_checks():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


PROBE = """
import django
django.setup()
from django.test import Client
c = Client()
plain = c.get("/api/v1/schemes/")
secure = c.get("/api/v1/schemes/", secure=True)
print(plain.status_code, plain.get("Location", ""))
print(secure.status_code, secure.get("Strict-Transport-Security", ""))
print(c.cookies)
"""


def test_production_redirects_to_https_and_sends_hsts():
    result = _run(["-c", PROBE], {**PRODUCTION, "ALLOWED_HOSTS": "testserver"})
    assert result.returncode == 0, result.stderr
    plain, secure = result.stdout.splitlines()[:2]
    assert plain == "301 https://testserver/api/v1/schemes/"
    status, hsts = secure.split(" ", 1)
    assert status in ("401", "403")  # anonymous, but served over https
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts


ADMIN_PROBE = """
import django
django.setup()
from django.test import Client
from django.urls import reverse
c = Client()
print(reverse("admin:index"))
print(c.get("/quan-tri-7f3a/").status_code, c.get("/quan-tri-7f3a/")["Location"])
print(c.get("/admin/").status_code)
"""


def test_admin_lives_on_the_configured_path_only():
    result = _run(["-c", ADMIN_PROBE], {"DJANGO_SETTINGS_MODULE": "bacson.settings", "ADMIN_URL": "quan-tri-7f3a/"})
    assert result.returncode == 0, result.stderr
    index, moved, old = result.stdout.splitlines()[:3]
    assert index == "/quan-tri-7f3a/"
    assert moved.startswith("302 /quan-tri-7f3a/login/")
    assert old == "404"


def test_admin_path_comes_from_settings():
    assert reverse("admin:index") == f"/{settings.ADMIN_URL}"


# --- headers and content security policy -----------------------------------------------------------------------


def test_login_page_sends_the_security_headers(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src


class InlineFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, style attributes, event handler attributes."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        # A JSON data block (json_script) is never executed, so the CSP allows it; anything else needs src.
        if tag == "script" and "src" not in attributes and attributes.get("type") != "application/json":
            self.problems.append(f"<script> without src at line {self.getpos()[0]}")
        for name, _value in attrs:
            if name == "style":
                self.problems.append(f"style= on <{tag}> at line {self.getpos()[0]}")
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}> at line {self.getpos()[0]}")


def inline_problems(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.problems


def test_inline_finder_catches_what_the_csp_would_block():
    assert inline_problems('<script src="/static/js/a.js"></script><script type="application/json">{}</script>') == []
    assert len(inline_problems('<script>alert(1)</script><p style="color:red" onclick="x()">')) == 3


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace, pattern.name, list(pattern.pattern.regex.groupindex)


def url_patterns():
    """Every named URL of the project except Django's admin (which has its own login and is tested above)."""
    found = {(ns or "", name, tuple(args)) for ns, name, args in _walk(get_resolver().url_patterns) if ns != "admin"}
    return sorted(found)


SAMPLES = {"year": "2017", "pk": "1", "data_type": "members"}


def url_for(namespace, name, args, **values) -> str | None:
    if "format" in args:
        return None  # DRF's .json suffix variants are the same views
    kwargs = {arg: values.get(arg, SAMPLES.get(arg, "x")) for arg in args}
    return reverse(f"{namespace}:{name}" if namespace else name, kwargs=kwargs)


MAIN_PAGES = [
    "assessments:home",
    "assessments:unit_list",
    "assessments:member_list",
    "assessments:unit_detail",
]


@pytest.mark.django_db
def test_main_pages_have_no_inline_script_or_style_and_send_the_csp(client, officer, members):
    client.force_login(officer)
    rendered = []
    for namespace, name, args in url_patterns():
        if set(args) - {"code", "year"}:
            continue
        url = url_for(namespace, name, args, code="BS-DONG-Y")
        if url is None:
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        rendered.append(f"{namespace}:{name}")
        assert "Content-Security-Policy" in response, url
        problems = inline_problems(response.content.decode())
        assert not problems, f"{url}: {problems}"
    assert set(MAIN_PAGES) <= set(rendered), rendered


# --- every URL: login first, then scope ------------------------------------------------------------------------

PUBLIC = {"login", "logout", "set_language", "api:token"}


def _private(pattern) -> bool:
    namespace, name, args = pattern
    return (f"{namespace}:{name}" if namespace else name) not in PUBLIC and "format" not in args


@pytest.mark.django_db
@pytest.mark.parametrize(("namespace", "name", "args"), [p for p in url_patterns() if _private(p)])
def test_anonymous_visitors_are_sent_to_login_or_refused(client, tree, namespace, name, args):
    url = url_for(namespace, name, args, code="BS-DONG-Y")
    for method in (client.get, client.post):
        response = method(url)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login")), (url, response["Location"])
        else:
            assert response.status_code in (401, 403, 405), (url, response.status_code)


OUTSIDE = {"officer": "LS", "leader": "LS", "secretary_dong_y": "BS-NHAT-TIEN", "secretary_nhat_tien": "BS-DONG-Y"}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(OUTSIDE))
def test_nobody_reaches_an_organization_outside_their_scope_by_any_url(client, request, members, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    checked = []
    for namespace, name, args in url_patterns():
        if "code" not in args or set(args) - {"code", "year"}:
            continue
        url = url_for(namespace, name, args, code=OUTSIDE[persona])
        if url is None:
            continue
        statuses = [client.get(url).status_code, client.post(url).status_code]
        # Not found (or forbidden) whether or not the organization exists; 405 only for the other method.
        assert set(statuses) <= {403, 404, 405} and set(statuses) & {403, 404}, (persona, url, statuses)
        checked.append(url)
    assert any("/units/" in url for url in checked) and any("/summary/" in url for url in checked), checked
