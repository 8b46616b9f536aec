"""Vietnamese text helpers: accent folding for search, an alphabetical sort key, and the one normalization of
text typed by people (text_normalize, TextNormalizeFormMixin) that every form and import applies."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

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


# --- names and free text as typed by people: one normalization for every form and import --------------------------

# Characters a name may not carry: controls (Cc, except tabs and line breaks, which count as spaces), format characters
# (Cf: zero-width spaces and joiners, soft hyphens, bidi embeddings, overrides and isolates, the BOM), surrogates
# and private-use characters (Cs, Co), unassigned code points (Cn), and the line and paragraph separators.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_SPACING_CONTROLS = {"\n", "\r", "\t"}  # collapsed to a space (kept as line breaks in multi-line text)
_LINE_SPACES = re.compile(r"[^\S\n]+")


def text_normalize(value: str | None, *, multiline: bool = False) -> str:
    """Text as stored: NFC, no invisible or direction-changing character, spaces collapsed and trimmed (in
    multi-line text, within each line; line breaks kept, CRLF made LF). Raises ValidationError naming the first
    character refused and where it is, so that a name can neither look blank nor escape search."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # str.isprintable() is False for exactly the refused categories (and spacing other than " "): a fast path for
    # the usual clean text of a large import.
    for position, ch in enumerate("" if text.isprintable() else text, start=1):
        if ch in _SPACING_CONTROLS:
            continue
        if unicodedata.category(ch) in _REFUSED_CATEGORIES:
            name = unicodedata.name(ch, "")
            message = gettext(
                "Có ký tự ẩn hoặc ký tự điều khiển U+%(code)04X%(name)s ở vị trí %(position)s: hãy gõ lại đoạn này."
            )
            details = {"code": ord(ch), "name": f" ({name})" if name else "", "position": position}
            raise ValidationError(message % details)
    if multiline:
        lines = [_LINE_SPACES.sub(" ", line).strip() for line in text.split("\n")]
        return "\n".join(lines).strip("\n")
    return _SPACES.sub(" ", text).strip()


class TextNormalizeFormMixin:
    """Every text field of a form goes through text_normalize (multi-line where its widget is a textarea), with
    the refusal as that field's error. Put it first among a form's bases."""

    def clean(self):
        from django import forms  # here, not at the top: the models import this module and no forms

        cleaned = super().clean()
        for name, field in self.fields.items():
            value = cleaned.get(name)
            if not isinstance(field, forms.CharField) or not isinstance(value, str):
                continue
            try:
                cleaned[name] = text_normalize(value, multiline=isinstance(field.widget, forms.Textarea))
            except ValidationError as error:
                self.add_error(name, error)
        return cleaned
