"""The forms of the leadership tables of a unit's file: one row per collective or leader, with the part of the rating
the user writes (the secretary the self-assessment, officers the appraisal and the decision). They check the shape;
the leadership services check the rules, row by row."""

import copy

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.common.text import TextNormalizeFormMixin
from assessments.models import Period, RatingLevel
from assessments.rules.collectives import rating_changed

SELF, DECIDE = "self", "decide"
SMALL = {"class": "form-control form-control-sm"}
SCORE = forms.NumberInput(attrs={"step": "0.01", "min": "0", **SMALL})
COUNT = forms.NumberInput(attrs={"min": "0", **SMALL})
# Which fields each part writes, in the order of the table's columns; the scored ones only in a scored year.
PARTS = {
    SELF: [
        ("self_level", False),
        ("self_score", True),
        ("tasks_assigned", True),
        ("tasks_on_time", True),
        ("tasks_exceeded", True),
        ("tasks_late", True),
    ],
    DECIDE: [
        ("appraisal_level", False),
        ("level", False),
        ("score", True),
        ("below_score_reason", True),
        ("decision_ref", False),
        ("decided_on", False),
    ],
}
LABELS = {
    "self_level": gettext_lazy("Tự đánh giá"),
    "self_score": gettext_lazy("Điểm tự chấm"),
    "tasks_assigned": gettext_lazy("Số nhiệm vụ được giao"),
    "tasks_on_time": gettext_lazy("Hoàn thành đúng hạn"),
    "tasks_exceeded": gettext_lazy("Hoàn thành vượt mức"),
    "tasks_late": gettext_lazy("Hoàn thành chậm"),
    "appraisal_level": gettext_lazy("Ban Tổ chức thẩm định"),
    "level": gettext_lazy("Xếp loại quyết định"),
    "score": gettext_lazy("Điểm"),
    "below_score_reason": gettext_lazy("Lý do xếp thấp hơn mức theo điểm"),
    "decision_ref": gettext_lazy("Số quyết định"),
    "decided_on": gettext_lazy("Ngày quyết định"),
    "override_reason": gettext_lazy("Lý do vẫn quyết định khi không đạt kiểm tra quy định"),
}


def _field(name: str, level_choices: list) -> forms.Field:
    label = LABELS[name]
    if name.endswith("level"):
        return forms.TypedChoiceField(
            label=label,
            choices=level_choices,
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
        )
    if name.endswith("score"):
        return forms.DecimalField(
            label=label, required=False, max_digits=5, decimal_places=2, min_value=0, max_value=100, widget=SCORE
        )
    if name.startswith("tasks_"):
        return forms.IntegerField(label=label, required=False, min_value=0, max_value=10_000, widget=COUNT)
    if name == "decided_on":
        return forms.DateField(
            label=label, required=False, widget=forms.DateInput(attrs={"type": "date", **SMALL}, format="%Y-%m-%d")
        )
    if name == "override_reason":
        return forms.CharField(
            label=label, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2, **SMALL})
        )
    return forms.CharField(
        label=label, required=False, max_length=60 if name == "decision_ref" else 2000, widget=forms.TextInput(SMALL)
    )


class LeadershipRatingsForm(TextNormalizeFormMixin, forms.Form):
    """A table of collectives or leaders (`rows` of cycle.leadership) and the part of their ratings one user writes.

    A row's fields are named "<row key>-<field>"; a row the page did not show (a collective added since) is left as
    it is, and so is a row nothing was changed in."""

    period = forms.ChoiceField(choices=Period.choices, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, rows: list, levels: list[RatingLevel], part: str, scored: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows, self.part = rows, part
        self.levels = {lv.pk: lv for lv in levels}
        self.names = [name for name, scored_only in PARTS[part] if scored or not scored_only]
        choices = [("", "—")] + [(lv.pk, lv.label) for lv in levels]
        for row in rows:
            for name in self.names:
                key = f"{row.key}-{name}"
                self.fields[key] = _field(name, choices)
                value = getattr(row.rating, f"{name}_id" if name.endswith("level") else name)
                self.initial.setdefault(key, value)
            if part == DECIDE:
                self.fields[f"{row.key}-override_reason"] = _field("override_reason", choices)

    def columns(self) -> list:
        return [LABELS[name] for name in self.names]

    def bound_rows(self) -> list:
        """Each row with its fields, and its override reason (decision only; shown when it has something to say)."""
        return [
            (
                row,
                [self[f"{row.key}-{name}"] for name in self.names],
                self[f"{row.key}-override_reason"] if self.part == DECIDE else None,
            )
            for row in self.rows
        ]

    def _shown(self, row) -> bool:
        """Whether the page sent this row (a browser sends every field of the rows it showed)."""
        return any(f"{row.key}-{name}" in self.data for name in self.names)

    def changes(self) -> list[tuple[str, object, str]]:
        """(row key, rating with the values given, reason for overriding) of every row shown whose part changed."""
        changed = []
        for row in self.rows:
            if not self._shown(row):
                continue
            rating = copy.copy(row.rating)
            for name in self.names:
                value = self.cleaned_data.get(f"{row.key}-{name}")
                if name.endswith("level"):
                    setattr(rating, name, self.levels.get(value) if value is not None else None)
                else:
                    setattr(
                        rating, name, "" if value is None and name in ("below_score_reason", "decision_ref") else value
                    )
            if rating_changed(row.rating if row.stored else None, rating):
                reason = self.cleaned_data.get(f"{row.key}-override_reason") or ""
                changed.append((row.key, rating, reason))
        return changed

    def refusals_add(self, errors: dict) -> None:
        """The services' refusals, each on its row's field when the form has it, else on the form naming the row."""
        rows = {row.key: row for row in self.rows}
        for key, error in errors.items():
            row = rows[key]
            items = error.error_dict.items() if hasattr(error, "error_dict") else [(None, error.error_list)]
            for name, found in items:
                field = f"{key}-{name}"
                if name and field in self.fields:
                    self.add_error(field, found)
                else:
                    for message in found:
                        self.add_error(None, f"{row.name}: {' '.join(message.messages)}")

    def named_errors(self) -> list[str]:
        """Every error, each naming its row and field ("Ban Thường vụ …, Điểm tự chấm: …"), for the page's alert."""
        said = [str(message) for message in self.non_field_errors()]
        for row in self.rows:
            for name in [*self.names, "override_reason"]:
                for message in self.errors.get(f"{row.key}-{name}", []):
                    said.append(
                        _("%(row)s, %(field)s: %(message)s")
                        % {"row": row.name, "field": LABELS[name], "message": message}
                    )
        said += [str(message) for message in self.errors.get("period", [])]
        return said
