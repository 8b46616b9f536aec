"""Vietnamese first, an English switch that works, locale formats, and complete catalogues (project and vendor)."""

import gettext as pygettext
import json
import pathlib
import re

import pytest
from django.conf import settings
from django.utils import translation

from assessments.models import MemberAssessment, Subject, UnitAssessment
from assessments.summaries.recompute import summaries_recompute_year
from tests.factories import MemberFactory, level

ROOT = pathlib.Path(settings.BASE_DIR)
CATALOGUES = {
    "en": ROOT / "locale" / "en" / "LC_MESSAGES" / "django",
    "vendor-vi": ROOT / "locale" / "vendor" / "vi" / "LC_MESSAGES" / "django",
    "vendor-vi-js": ROOT / "locale" / "vendor" / "vi" / "LC_MESSAGES" / "djangojs",
}


def parse_po(path: pathlib.Path) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr list, and whether it is fuzzy."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict = {"msgstr": [], "fuzzy": False}
        current = None
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fields["fuzzy"] = True
            if line.startswith("#"):
                continue
            match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line)
            if match:
                key, value = match.group(1), json.loads(match.group(2))
                if key.startswith("msgstr"):
                    fields["msgstr"].append(value)
                    current = ("msgstr", len(fields["msgstr"]) - 1)
                else:
                    fields[key] = value
                    current = (key, None)
            elif line.startswith('"') and current:
                key, index = current
                if index is None:
                    fields[key] += json.loads(line)
                else:
                    fields["msgstr"][index] += json.loads(line)
        if fields.get("msgid"):
            entries.append(fields)
    return entries


@pytest.fixture
def rated_2017(tree):
    UnitAssessment.objects.create(
        organization=tree["BS-DONG-Y"], year=2017, level=level("hd27-2014", "unit", "clean_strong")
    )
    UnitAssessment.objects.create(
        organization=tree["BS-NHAT-TIEN"], year=2017, level=level("hd27-2014", "unit", "good")
    )
    codes = ["good"] * 2400 + ["completed"] * 424 + ["excellent"] * 0
    cell = tree["BS-DONG-Y-01"]
    members = [MemberFactory.build(organization=cell, card_number=f"9{i:06d}") for i in range(len(codes))]
    from assessments.models import Member

    Member.objects.bulk_create(members)
    levels = {code: level("hd27-2014", Subject.MEMBER, code) for code in set(codes)}
    MemberAssessment.objects.bulk_create(
        MemberAssessment(member=m, organization=cell, year=2017, level=levels[c])
        for m, c in zip(members, codes, strict=True)
    )
    summaries_recompute_year(year=2017)


# --- language choice -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_vietnamese_is_the_default_even_for_an_english_browser(client, officer):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in page and "Đăng nhập" in page
    client.force_login(officer)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "vi"
    assert "Tổng quan" in response.content.decode()


@pytest.mark.django_db
def test_english_switch_shows_english_and_is_remembered(client, officer):
    client.force_login(officer)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/members/"})
    assert response.status_code == 302 and response.url == "/members/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["max-age"] >= 30 * 24 * 3600
    page = client.get("/members/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<html lang="en">' in page
    assert "Overview" in page and "Members" in page and "Log out" in page
    assert "Tổng quan" not in page and "Đăng xuất" not in page
    assert 'value="vi"' in page and "Tiếng Việt" in page  # the switch back, named in its own language

    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Tổng quan" in client.get("/").content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_vietnamese(client, officer):
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "Tổng quan" in client.get("/").content.decode()


# --- locale formats --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_numbers_follow_the_language(client, officer, rated_2017):
    client.force_login(officer)
    vi = client.get("/", {"year": 2017}).content.decode()
    assert "(50,0%)" in vi and "2.400/2.824" in vi and '<option value="2017" selected>2017</option>' in vi
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    en = client.get("/", {"year": 2017}).content.decode()
    assert "(50.0%)" in en and "2,400/2,824" in en and "85.0%" in en
    assert "Clean and strong" in en and "good or better" in en
    assert "/units/?parent=BS&amp;year=2017&amp;level=clean_strong" in en  # years in links are never grouped


def test_dates_are_day_first_in_vietnamese_and_english():
    import datetime

    from django.template import Context, Template

    template = Template('{{ d|date:"SHORT_DATE_FORMAT" }}')
    with translation.override("vi"):
        assert template.render(Context({"d": datetime.date(2017, 5, 4)})) == "04/05/2017"
    with translation.override("en"):
        assert template.render(Context({"d": datetime.date(2017, 5, 4)})) == "05/04/2017"


def test_vietnamese_forms_read_day_first_dates():
    import datetime

    from django import forms

    class DayForm(forms.Form):
        day = forms.DateField()

    with translation.override("vi"):
        form = DayForm({"day": "04/05/2017"})
        assert form.is_valid() and form.cleaned_data["day"] == datetime.date(2017, 5, 4)


# --- catalogues ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CATALOGUES))
def test_catalogue_is_complete_and_compiled(name):
    base = CATALOGUES[name]
    entries = parse_po(base.with_suffix(".po"))
    assert entries
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"]) or e["fuzzy"]]
    assert not untranslated, f"{name}: untranslated or fuzzy: {untranslated[:10]}"
    with base.with_suffix(".mo").open("rb") as handle:
        compiled = pygettext.GNUTranslations(handle)
    for entry in entries:
        key = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if "msgid_plural" in entry:
            assert compiled._catalog.get((key, 0)) == entry["msgstr"][0], f"{name}: .mo is stale, run compilemessages"
        else:
            assert compiled._catalog.get(key) == entry["msgstr"][0], f"{name}: .mo is stale, run compilemessages"


TRANSLATE_TAG = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.+?)\1""")
BLOCK_TAG = re.compile(r"\{%\s*blocktranslate\b([^%]*)%\}(.*?)\{%\s*(?:plural|endblocktranslate)\s*%\}", re.S)
BLOCK_VARIABLE = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def template_msgids(text: str) -> list[str]:
    """The msgids makemessages takes from a template: translate tags, and blocktranslate bodies with their
    variables written as %(name)s and literal percent signs doubled."""
    ids = [match.group(2) for match in TRANSLATE_TAG.finditer(text)]
    for match in BLOCK_TAG.finditer(text):
        body = match.group(2).replace("%", "%%")
        if "trimmed" in match.group(1):
            body = " ".join(line.strip() for line in body.strip().splitlines())
        ids.append(BLOCK_VARIABLE.sub(r"%(\1)s", body))
    return ids


def test_every_template_string_has_an_english_translation():
    """A string added to a template after the last `makemessages -l en` shows up here by name."""
    known = {e["msgid"] for e in parse_po(CATALOGUES["en"].with_suffix(".po"))}
    missing = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for msgid in template_msgids(path.read_text(encoding="utf-8")):
            if msgid not in known:
                missing.append(f"{path.relative_to(ROOT)}: {msgid}")
    assert not missing, "run makemessages -l en and translate:\n" + "\n".join(missing)


def test_third_party_apps_speak_vietnamese():
    # Called through a plain name so that makemessages does not copy these English msgids into the project catalogue.
    lookup = translation.gettext
    with translation.override("vi"):
        assert lookup("Past 7 days") == "7 ngày qua"  # django-filter
        assert lookup("Changed by") == "Người sửa"  # simple-history admin
        assert lookup("Account locked: too many login attempts. Please try again later.").startswith(
            "Tài khoản tạm khóa"
        )  # axes
        assert lookup("Enter a valid UUID.") == "Nhập một UUID hợp lệ."  # a gap in Django's own vi catalogue
        assert lookup("Log out") != "Log out"  # Django's own vi catalogue still answers


def test_the_admins_pickers_and_calendar_speak_vietnamese(client, admin_user):
    # The admin's JavaScript catalogue: Django's vi one lacks the two-list picker's messages of Django 5 (an account's
    # groups and permissions read "Choose Các nhóm by selecting them…") and the calendar's days.
    client.force_login(admin_user)
    script = client.get("/admin/jsi18n/").content.decode()
    assert json.dumps({"Choose all %s": "Chọn tất cả %s"})[1:-1] in script
    assert json.dumps({"Monday": "Thứ Hai"})[1:-1] in script


VIETNAMESE_LETTER = re.compile(r"[À-ỹĐđ]")
TAGS = re.compile(r"\{%\s*blocktranslate.*?\{%\s*endblocktranslate\s*%\}|\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)


@pytest.mark.parametrize(
    "template",
    [
        "base.html",
        "assessments/home.html",
        "assessments/unit_list.html",
        "assessments/unit_detail.html",
        "assessments/member_list.html",
        *[
            f"assessments/includes/{p.name}"
            for p in sorted((ROOT / "templates/assessments/includes").glob("dashboard_*"))
        ],
    ],
)
def test_no_vietnamese_text_outside_translation_tags(template):
    text = TAGS.sub("", (ROOT / "templates" / template).read_text(encoding="utf-8"))
    # The switch names each language in itself, on purpose.
    text = text.replace('lang="vi">Tiếng Việt<', "")
    assert not VIETNAMESE_LETTER.search(text), (
        VIETNAMESE_LETTER.search(text)
        and text[max(0, VIETNAMESE_LETTER.search(text).start() - 60) : VIETNAMESE_LETTER.search(text).start() + 60]
    )
