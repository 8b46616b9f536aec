"""Forms check the shape of input; consolidation.services checks the rules."""

import datetime

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from assessments.common.text import TextNormalizeFormMixin
from assessments.common.vocabulary import scheme_title
from assessments.models import MAX_YEAR, MIN_YEAR, Kind
from assessments.permissions import organizations_visible_to

from . import selectors
from .models import (
    Indicator,
    Plan,
    PlanStatus,
    Programme,
    SecondedCadre,
    Task,
    TaskStatus,
    WorkingGroupMember,
)

ISSUING_KINDS = (Kind.DISTRICT, Kind.PROVINCE)  # the committees that issue programmes
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The letterhead and the signature block of an issued document: a plan and a programme's report both have them
# (templates/consolidation/includes/document_form_fields.html lays them out).
LETTERHEAD_FIELDS = ["parent_body", "issuing_body", "place"]
SIGNATURE_FIELDS = ["signer_post", "signer_name", "recipients"]
RECIPIENTS_INPUT = forms.Textarea(attrs={"rows": 3})


class PlanFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Năm ban hành"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)
    status = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả"))] + list(PlanStatus.choices)
    )
    unit = forms.ChoiceField(label=_("Đơn vị"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = selectors.units_with_plans(user=user).values_list("code", "name")
        self.fields["unit"].choices = [("", _("Tất cả"))] + list(units)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Năm xếp loại"), min_value=MIN_YEAR, max_value=MAX_YEAR)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year >= datetime.date.today().year:
            raise forms.ValidationError(
                _("Năm %(year)s chưa kết thúc: chỉ chọn đơn vị củng cố từ kết quả của năm đã qua."),
                params={"year": year},
            )
        return year


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # The scheme as people cite it ("Quy định 132-QĐ/TW"), never its code: the levels of two schemes share names.
        return f"{obj.label} ({scheme_title(obj.scheme)})"


class PlanForm(TextNormalizeFormMixin, forms.ModelForm):
    baseline_level = LevelChoiceField(
        queryset=selectors.unit_levels(), label=_("Mức xếp loại làm căn cứ"), required=False
    )

    class Meta:
        model = Plan
        fields = [
            "programme",
            "number",
            "issued_on",
            *LETTERHEAD_FIELDS,
            "title",
            "organization",
            "baseline_year",
            "baseline_level",
            "goals",
            *SIGNATURE_FIELDS,
        ]
        widgets = {"issued_on": DATE_INPUT, "goals": forms.Textarea(attrs={"rows": 4}), "recipients": RECIPIENTS_INPUT}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only units the officer may see can be targeted: the scope rule applies to writes as much as reads.
        self.fields["organization"].queryset = organizations_visible_to(user).grassroots().order_by("name_folded")
        self.fields["programme"].queryset = selectors.programmes_visible_to(user)


class CompactRowForm(TextNormalizeFormMixin, forms.ModelForm):
    """A formset row rendered in a table: Bootstrap's small controls, no labels (the table head has them)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            widget.attrs["class"] = css
            widget.attrs.setdefault("aria-label", str(field.label))


class SecondedCadreForm(CompactRowForm):
    class Meta:
        model = SecondedCadre
        fields = ["full_name", "home_post", "unit_post", "start", "end"]
        widgets = {"start": DATE_INPUT, "end": DATE_INPUT}


class TaskForm(CompactRowForm):
    class Meta:
        model = Task
        fields = ["area", "description", "owner", "due_on", "status"]
        widgets = {"due_on": DATE_INPUT, "description": forms.Textarea(attrs={"rows": 2})}


class IndicatorForm(CompactRowForm):
    class Meta:
        model = Indicator
        fields = ["name", "unit_of_measure", "baseline_value", "baseline_year", "target_value", "higher_is_better"]


class WorkingGroupMemberForm(CompactRowForm):
    class Meta:
        model = WorkingGroupMember
        fields = ["full_name", "post", "role"]


CadreFormSet = inlineformset_factory(Plan, SecondedCadre, form=SecondedCadreForm, extra=1, can_delete=True)
GroupFormSet = inlineformset_factory(Plan, WorkingGroupMember, form=WorkingGroupMemberForm, extra=1, can_delete=True)
TaskFormSet = inlineformset_factory(Plan, Task, form=TaskForm, extra=1, can_delete=True)
IndicatorFormSet = inlineformset_factory(Plan, Indicator, form=IndicatorForm, extra=1, can_delete=True)

PLAN_FORMSETS = (
    ("cadres", CadreFormSet, _("Cán bộ tăng cường")),
    ("group", GroupFormSet, _("Tổ công tác")),
    ("tasks", TaskFormSet, _("Nhiệm vụ")),
    ("indicators", IndicatorFormSet, _("Chỉ tiêu theo dõi")),
)


class TransitionForm(TextNormalizeFormMixin, forms.Form):
    to = forms.ChoiceField(choices=PlanStatus.choices)
    closing_assessment = forms.CharField(
        label=_("Đánh giá kết thúc"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def _plan_parts_only(field: forms.ModelChoiceField, plan: Plan, label) -> None:
    """A record's choice of task or indicator lists only this plan's: the id of another plan's is "not a valid
    choice", never a write elsewhere."""
    field.queryset = field.queryset.model.objects.filter(plan=plan).select_related("plan")
    field.label_from_instance = label


class TaskProgressForm(TextNormalizeFormMixin, forms.Form):
    task = forms.ModelChoiceField(label=_("Nhiệm vụ"), queryset=Task.objects.none())
    noted_on = forms.DateField(label=_("Ngày"), widget=DATE_INPUT, initial=datetime.date.today)
    note = forms.CharField(label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    status = forms.ChoiceField(
        label=_("Tiến độ"), required=False, choices=[("", _("Giữ nguyên"))] + list(TaskStatus.choices)
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        _plan_parts_only(self.fields["task"], plan, lambda t: f"{t.get_area_display()}: {t.description[:60]}")


class MeasurementForm(TextNormalizeFormMixin, forms.Form):
    indicator = forms.ModelChoiceField(label=_("Chỉ tiêu"), queryset=Indicator.objects.none())
    measured_on = forms.DateField(label=_("Ngày số liệu"), widget=DATE_INPUT, initial=datetime.date.today)
    value = forms.DecimalField(label=_("Giá trị"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=300)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        _plan_parts_only(self.fields["indicator"], plan, lambda i: f"{i.name} ({i.unit_of_measure})")


class ProgrammeForm(TextNormalizeFormMixin, forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "name",
            "organization",
            "first_year",
            "last_year",
            "plan_number",
            "plan_issued_on",
            "description",
            *LETTERHEAD_FIELDS,
            "report_number",
            *SIGNATURE_FIELDS,
        ]
        widgets = {
            "plan_issued_on": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 4}),
            "recipients": RECIPIENTS_INPUT,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The issuing committee is a district or province in the user's scope; their own is the first choice.
        issuers = organizations_visible_to(user).filter(kind__in=ISSUING_KINDS).order_by("path")
        self.fields["organization"].queryset = issuers
        # Left empty, the programme is issued by the user's own committee (an officer of a district needs no choice).
        self.fields["organization"].required = False
        self.own_issuer = issuers.filter(pk=user.organization_id).first()
        if self.instance.pk is None and not self.is_bound and self.own_issuer is not None:
            self.initial.setdefault("organization", self.own_issuer.pk)

    def clean_organization(self):
        organization = self.cleaned_data.get("organization") or self.own_issuer
        if organization is None:
            raise forms.ValidationError(_("Chọn cấp ủy ban hành đề án."))
        return organization
