"""Hardening: deployment checks, security headers, CSP without inline code (every page is walked in test_url_matrix)."""

import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.urls import reverse

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
