"""Forms of the yearly cycle: they check the shape of the input; the services check the rules."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments.common.text import TextNormalizeFormMixin
from assessments.cycle import rules
from assessments.models import UNIT_REASONS, Kind, NotRatedReason, Organization, RatingLevel

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


def cell_choices(levels: list[RatingLevel]) -> list[tuple[str, str]]:
    choices = [("", "—")]
    choices += [(f"level:{lv.pk}", lv.label) for lv in levels]
    choices += [
        (f"reason:{code}", _("Không xếp loại: %(r)s") % {"r": NotRatedReason(code).label}) for code in UNIT_REASONS
    ]
    return choices


class CellLevelsForm(forms.Form):
    """One choice per cell of a grassroots committee: a level of the year's scheme, or why it is not rated."""

    def __init__(self, *args, cells: list[Organization], levels: list[RatingLevel], current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.cells = cells
        self.levels = {lv.pk: lv for lv in levels}
        choices = cell_choices(levels)
        for cell in cells:
            self.fields[f"cell_{cell.pk}"] = forms.ChoiceField(
                label=cell.name,
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.initial.setdefault(f"cell_{cell.pk}", current.get(cell.pk, ""))
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


class ReturnForm(TextNormalizeFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến gửi đơn vị (cần sửa gì)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class AppraiseForm(TextNormalizeFormMixin, forms.Form):
    level = LevelChoiceField(label=_("Ban Tổ chức đề xuất mức"), queryset=RatingLevel.objects.none())

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = RatingLevel.objects.filter(pk__in=[lv.pk for lv in rules.unit_levels(year)])


class FinalizeForm(TextNormalizeFormMixin, forms.Form):
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

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = RatingLevel.objects.filter(pk__in=[lv.pk for lv in rules.unit_levels(year)])

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
