"""Vietnamese text helpers: accent folding for search and an alphabetical sort key."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case, drop diacritics (đ becomes d) and collapse spaces: "Đồng  Ý" -> "dong y"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped).strip().casefold()


# Vietnamese alphabet order of base letters; tones are a secondary key.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
_SHAPE_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn are letters, not tones


def _letter_key(ch: str) -> tuple[int, int]:
    decomposed = unicodedata.normalize("NFD", ch.lower())
    base = decomposed[0]
    tone = 0
    shape = ""
    for mark in decomposed[1:]:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark in _SHAPE_MARKS:
            shape += mark
    letter = unicodedata.normalize("NFC", base + shape)
    position = _ALPHABET.find(letter)
    if position < 0:
        position = len(_ALPHABET) + ord(letter)
    return position, tone


def sort_key(text: str) -> tuple:
    """Sort key that orders Vietnamese like ICU's vi collation: a < ă < â, d < đ; tones break ties."""
    letters = [_letter_key(ch) for ch in (text or "") if not ch.isspace()]
    return tuple(p for p, _ in letters), tuple(t for _, t in letters)


def person_sort_key(full_name: str) -> tuple:
    """Vietnamese people are listed by given name (last word), then the full name."""
    parts = (full_name or "").split()
    return sort_key(parts[-1] if parts else ""), sort_key(full_name)
