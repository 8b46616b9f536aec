"""The demo read in Vietnamese as its users read it (issue 18, item 11): numbers in the Vietnamese format, and no
codes or English words on the pages of the officer, the leader and a commune secretary."""

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from assessments import demo
from assessments.cycle import services as cycle_services
from assessments.models import Organization, User

pytestmark = pytest.mark.django_db

OPEN_YEAR = 2020
START = {
    "binh": [
        "/",
        "/?year=2017",
        "/units/?year=2017",
        "/members/?year=2017",
        "/units/BS-DONG-Y/",
        "/reports/",
        "/reports/BS/2017/",
        "/reports/BS/2019/",
        "/cycle/",
        f"/cycle/BS/{OPEN_YEAR}/",
        f"/review/BS-NHAT-TIEN/{OPEN_YEAR}/",
        f"/checks/BS/{OPEN_YEAR - 1}/",
        "/consolidation/",
        "/consolidation/candidates/",
        "/consolidation/programmes/",
        "/notices/",
    ],
    "lanhdao": ["/", "/units/?year=2017", "/members/?year=2017", "/reports/BS/2017/", "/cycle/", "/consolidation/"],
    "rum": [
        "/",
        "/units/",
        "/members/",
        "/units/BS-NHAT-TIEN/",
        f"/portal/BS-NHAT-TIEN/{OPEN_YEAR}/",
        "/reports/",
        "/consolidation/",
        "/notices/",
    ],
}
# Downloads, documents and the pages that are not the app's own (the admin, the API explorer).
SKIP = re.compile(
    r"^/(admin|api|static|media|i18n|accounts)/|/(errors|template|download|documents?|print|export|pdf|docx)/"
    r"|\.(xlsx|csv|pdf|docx|json)$|/(xlsx|csv|pdf|docx)/$|[?&]format="
)
MAX_PAGES = 60


class _Text(HTMLParser):
    """The text a user reads: element text, option labels, and titles, placeholders and labels of controls."""

    SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        for name, value in attrs:
            if name in self.SHOWN_ATTRIBUTES and value:
                self.parts.append(value)
            if tag == "input" and name == "value" and dict(attrs).get("type") in ("submit", "button") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def _shape(url: str) -> str:
    """Pages that differ only by a code, an id, a year or the values of their filters have the same layout."""
    parts = urlsplit(url)
    path = re.sub(r"/[^/]*[A-Z\d][^/]*(?=/)", "/N", parts.path)
    return path + "?" + "&".join(sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair}))


def crawl(client, start: list[str]) -> dict[str, str]:
    """The visible text of the start pages and of the pages their links lead to (one page of each layout)."""
    seen, queue, texts = set(), list(start), {}
    while queue and len(texts) < MAX_PAGES:
        url = queue.pop(0)
        if url in texts or SKIP.search(url):
            continue
        key = _shape(url)
        if key in seen and url not in start:
            continue
        seen.add(key)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        texts[url] = visible_text(html)
        main = html[html.find("<main") :]
        queue += [href.replace("&amp;", "&") for href in re.findall(r'href="(/[^"#]*)', main)]
    return texts


@pytest.fixture
def demo_year_open(db):
    """The demo, with the district's year after the published ones open (a cycle, its files and review pages)."""
    demo.demo_load()
    officer = User.objects.get(username="binh")
    cycle_services.year_open(
        organization=Organization.objects.get(code="BS"),
        year=OPEN_YEAR,
        deadline=datetime.date(OPEN_YEAR, 12, 15),
        actor=officer,
    )


def _login(client, username: str):
    client.force_login(User.objects.get(username=username))
    client.cookies["django_language"] = "vi"


# English number formats: grouping by commas (2,824), a decimal point (85.0 or 85.0%), a count left ungrouped (2824).
ENGLISH_NUMBERS = {
    "thousands with a comma": re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])"),
    "a decimal point": re.compile(r"(?<![\d.,/-])\d+\.\d{1,2}(?![\d.])"),
    "a count without grouping": re.compile(r"(?<![\d.,/:-])\d{4,5}(?![\d.,/:-])"),
}


# A number counting something: even in the range of years, it is a count.
COUNTED = re.compile(r"\s*(đảng viên|tổ chức|chi bộ|đơn vị|dòng|lần|byte|thông báo)")


def _is_year(text: str, match: re.Match) -> bool:
    number = match.group()
    return len(number) == 4 and 1930 <= int(number) <= 2100 and not COUNTED.match(text, match.end())


def english_numbers(text: str) -> list[tuple[str, str]]:
    found = []
    for what, pattern in ENGLISH_NUMBERS.items():
        for match in pattern.finditer(text):
            if what == "a count without grouping" and _is_year(text, match):
                continue
            line = text[text.rfind("\n", 0, match.start()) + 1 : text.find("\n", match.end())]
            found.append((what, line[:120]))
    return found


def test_the_demo_writes_every_number_the_vietnamese_way(client, demo_year_open):
    _login(client, "binh")
    texts = crawl(client, START["binh"])
    assert len(texts) >= 25, sorted(texts)
    wrong = {url: found for url, text in texts.items() if (found := english_numbers(text))}
    assert not wrong
    # The pages do carry grouped counts and decimal percentages: the check looked at real figures.
    every = "\n".join(texts.values())
    assert re.search(r"\d\.\d{3}", every) and re.search(r"\d,\d%", every)


# What the issue found shown to Vietnamese users, and the codes behind the labels.
NOT_SHOWN = {
    "an empty value printed as None": re.compile(r"\bNone\b"),
    "the history's English change line": re.compile(r"\bChanged:"),
    # Django's empty choice (a document's short rule under its issuer, "-----", is the party's document style).
    "an empty choice of dashes": re.compile(r"-{9}"),
    "a field=value code": re.compile(r"\b(level|status|kind|sector|subject)="),
    "a scheme code": re.compile(r"\b(?:qd|hd)\d+-\d{4}\b"),
    "a filter's English toggle": re.compile(r"Show counts|Hide counts|\bBởi scheme\b"),
    "English words of the interface": re.compile(
        r"\b(?:True|False|null|Submit|Save|Delete|Cancel|Search|Filter|Next|Previous|Page|Edit|Add|Yes|No|Unknown"
        r"|Loading|Error|Home|Login|Logout|Password|Username|Choose|Select|Upload|Download|Status|Level|Year)\b"
    ),
}


def codes_and_english(text: str) -> list[tuple[str, str]]:
    found = []
    for what, pattern in NOT_SHOWN.items():
        for match in pattern.finditer(text):
            line = text[text.rfind("\n", 0, match.start()) + 1 : text.find("\n", match.end())]
            found.append((what, line[:120]))
    return found


@pytest.mark.parametrize("username", ["binh", "lanhdao", "rum"])
def test_the_demo_shows_no_codes_or_english_in_vietnamese(client, demo_year_open, username):
    _login(client, username)
    texts = crawl(client, START[username])
    assert len(texts) >= len(START[username]) - 2, sorted(texts)
    wrong = {url: found for url, text in texts.items() if (found := codes_and_english(text))}
    assert not wrong
