"""Forms of the yearly cycle: they check the shape of the input; the services check the rules."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments.common.text import TextNormalizeFormMixin
from assessments.cycle import rules
from assessments.models import (
    UNIT_REASONS,
    Kind,
    NotRatedReason,
    Organization,
    RatingLevel,
    RatingScheme,
    SelfAssessmentForm,
)

SCORE_INPUT = forms.NumberInput(attrs={"step": "0.01", "min": "0", "class": "form-control form-control-sm"})


def score_form_fields() -> dict[str, forms.Field]:
    """The score and task figures of a decision in a scored year (QĐ 366); the rules check them."""
    count = {"required": False, "min_value": 0}
    return {
        "score": forms.DecimalField(label=_("Điểm"), required=False, max_digits=5, decimal_places=2, min_value=0),
        "tasks_assigned": forms.IntegerField(label=_("Số nhiệm vụ được giao"), **count),
        "tasks_on_time": forms.IntegerField(label=_("Số nhiệm vụ hoàn thành đúng hạn"), **count),
        "tasks_exceeded": forms.IntegerField(label=_("Số nhiệm vụ hoàn thành vượt mức"), **count),
        "tasks_late": forms.IntegerField(label=_("Số nhiệm vụ hoàn thành chậm"), **count),
        "below_score_reason": forms.CharField(
            label=_("Lý do xếp thấp hơn mức theo điểm"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2}),
        ),
    }


def year_is_scored(year: int) -> bool:
    """Whether the year's scheme is scored (the POST views, before the submission is fetched)."""
    scheme = RatingScheme.for_year(year)
    return scheme is not None and scheme.is_scored


class ScoresFormMixin:
    """Adds the score fields in a scored year; `scores()` gives them to the service, apart from the rest."""

    def scores_add(self, scored: bool) -> None:
        if scored:
            self.fields.update(score_form_fields())

    def scores(self) -> dict | None:
        """The score fields filled in; a blank one keeps what the rating has stored."""
        names = score_form_fields().keys()
        given = {name: self.cleaned_data[name] for name in names if self.cleaned_data.get(name) not in (None, "")}
        return given or None

    def decision(self) -> dict:
        """The cleaned data without the score fields (those go to the service as `scores`)."""
        names = score_form_fields().keys()
        return {name: value for name, value in self.cleaned_data.items() if name not in names}


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RatingLevel) -> str:
        return obj.label


class YearOpenForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Tổ chức mở đợt"), queryset=Organization.objects.none(), empty_label=None
    )
    year = forms.IntegerField(label=_("Năm đánh giá"), min_value=1930, max_value=2100)
    deadline = forms.DateField(label=_("Hạn nộp hồ sơ"), widget=DATE_INPUT)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations.filter(kind__in=[Kind.PROVINCE, Kind.DISTRICT])
        if not self.is_bound:
            today = datetime.date.today()
            self.initial.setdefault("year", today.year)
            self.initial.setdefault("deadline", datetime.date(today.year, 12, 15))


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Báo cáo kiểm điểm (PDF hoặc DOCX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        rules.review_file_check(upload, upload.name)
        return upload


class SelfAssessmentUploadForm(forms.Form):
    """A member's self-assessment (Mẫu 2A/2B/2C): whose, which form, the file; the service checks the rest."""

    member = forms.TypedChoiceField(label=_("Đảng viên"), coerce=int)
    form = forms.ChoiceField(label=_("Mẫu"), choices=SelfAssessmentForm.choices)
    file = forms.FileField(
        label=_("Bản tự kiểm điểm (PDF hoặc DOCX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "—")] + [(pk, f"{name} ({card})") for pk, card, name in members]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        rules.review_file_check(upload, upload.name, document=rules.SELF_ASSESSMENT)
        return upload


class SelfLevelForm(forms.Form):
    level = LevelChoiceField(label=_("Mức đơn vị tự đề xuất"), queryset=RatingLevel.objects.none())
    # HD 21's condition for the top level, recorded with the proposal (issue 14): blank leaves it as it was.
    mass_organizations = forms.ChoiceField(
        label=_("Chính quyền, Mặt trận Tổ quốc và các đoàn thể do đơn vị lãnh đạo đạt hoàn thành tốt trở lên"),
        choices=[("", "—"), ("yes", _("Có")), ("no", _("Không"))],
        required=False,
    )

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = RatingLevel.objects.filter(pk__in=[lv.pk for lv in rules.unit_levels(year)])

    def mass_organizations_good(self) -> bool | None:
        """True or False when answered, None when left blank."""
        return {"yes": True, "no": False}.get(self.cleaned_data.get("mass_organizations") or "")


def cell_choices(levels: list[RatingLevel], reason_labels: dict | None = None) -> list[tuple[str, str]]:
    """A cell's choices: the year's levels, then the unit reasons (labelled with the period's months when given)."""
    labels = reason_labels or {}
    choices = [("", "—")]
    choices += [(f"level:{lv.pk}", lv.label) for lv in levels]
    choices += [
        (f"reason:{code}", _("Không xếp loại: %(r)s") % {"r": labels.get(code) or NotRatedReason(code).label})
        for code in UNIT_REASONS
    ]
    return choices


class CellLevelsForm(forms.Form):
    """One choice per cell of a grassroots committee: a level of the year's scheme, or why it is not rated."""

    def __init__(
        self,
        *args,
        cells: list[Organization],
        levels: list[RatingLevel],
        current: dict,
        scored=False,
        scores: dict | None = None,
        reason_labels: dict | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.cells = cells
        self.levels = {lv.pk: lv for lv in levels}
        self.scored = scored
        choices = cell_choices(levels, reason_labels)
        for cell in cells:
            self.fields[f"cell_{cell.pk}"] = forms.ChoiceField(
                label=cell.name,
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.initial.setdefault(f"cell_{cell.pk}", current.get(cell.pk, ""))
            if scored:  # a scored year: the cell's score beside its level (QĐ 366)
                self.fields[f"score_{cell.pk}"] = forms.DecimalField(
                    label=_("Điểm"), required=False, max_digits=5, decimal_places=2, min_value=0, widget=SCORE_INPUT
                )
                self.initial.setdefault(f"score_{cell.pk}", (scores or {}).get(cell.pk))
        self.fields["override_reason"] = forms.CharField(
            label=_("Lý do vẫn quyết định khi không đạt kiểm tra quy định"),
            widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
            required=False,
            max_length=2000,
        )

    def clean(self):
        cleaned = super().clean()
        # An empty form must not read as "saved": say that nothing was chosen.
        if not self.errors and not self.decisions():
            raise forms.ValidationError(
                _("Chưa chọn mức xếp loại hoặc lý do không xếp loại cho chi bộ nào: không có gì được ghi.")
            )
        return cleaned

    def decisions(self) -> list[tuple[Organization, RatingLevel | None, str]]:
        """The cells whose choice is filled in, each with its level or its not-rated reason."""
        chosen = []
        for cell in self.cells:
            value = self.cleaned_data.get(f"cell_{cell.pk}") or ""
            if value.startswith("level:"):
                chosen.append((cell, self.levels[int(value.split(":", 1)[1])], ""))
            elif value.startswith("reason:"):
                chosen.append((cell, None, value.split(":", 1)[1]))
        return chosen

    def bound_cells(self):
        return [(cell, self[f"cell_{cell.pk}"]) for cell in self.cells]

    def bound_scores(self):
        """Each cell with its level choice and, in a scored year, its score field (else None)."""
        return [
            (cell, self[f"cell_{cell.pk}"], self[f"score_{cell.pk}"] if self.scored else None) for cell in self.cells
        ]

    def scores_of(self, cell: Organization) -> dict | None:
        """The score given for a cell in a scored year, for the service (None: keep what is stored)."""
        if not self.scored:
            return None
        return {"score": self.cleaned_data.get(f"score_{cell.pk}")}


class ReturnForm(TextNormalizeFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến gửi đơn vị (cần sửa gì)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class AppraiseForm(ScoresFormMixin, TextNormalizeFormMixin, forms.Form):
    level = LevelChoiceField(label=_("Ban Tổ chức đề xuất mức"), queryset=RatingLevel.objects.none())

    def __init__(self, *args, year: int, scored: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = RatingLevel.objects.filter(pk__in=[lv.pk for lv in rules.unit_levels(year)])
        self.scores_add(scored)


class FinalizeForm(ScoresFormMixin, TextNormalizeFormMixin, forms.Form):
    level = LevelChoiceField(label=_("Mức xếp loại quyết định"), queryset=RatingLevel.objects.none(), required=False)
    not_rated_reason = forms.ChoiceField(
        label=_("Hoặc: lý do không xếp loại"),
        choices=[("", "—")] + [(code, NotRatedReason(code).label) for code in UNIT_REASONS],
        required=False,
    )
    exemplary = forms.BooleanField(label=_("Tiêu biểu"), required=False)
    decision_ref = forms.CharField(label=_("Số quyết định"), max_length=60)
    decided_on = forms.DateField(label=_("Ngày quyết định"), widget=DATE_INPUT)
    override_reason = forms.CharField(
        label=_("Lý do vẫn chốt khi không đạt kiểm tra quy định"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        help_text=_("Chỉ cần khi có kiểm tra không đạt; lý do được ghi vào ghi chú và lịch sử."),
    )

    def __init__(self, *args, year: int, scored: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = RatingLevel.objects.filter(pk__in=[lv.pk for lv in rules.unit_levels(year)])
        self.scores_add(scored)

    def clean(self):
        data = super().clean()
        if data.get("level") is None and not data.get("not_rated_reason"):
            raise ValidationError({"level": _("Chọn mức xếp loại, hoặc lý do không xếp loại.")})
        if data.get("level") is not None and data.get("not_rated_reason"):
            raise ValidationError({"not_rated_reason": _("Đã chọn mức xếp loại thì không ghi lý do không xếp loại.")})
        return data


class ReopenForm(TextNormalizeFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Lý do mở lại kết quả đã chốt"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
