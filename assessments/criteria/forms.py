"""Forms of the criteria pages: the set, a group, an item (shape only; the services check the rules)."""

from django import forms

from assessments.common.text import TextNormalizeFormMixin
from assessments.models import CriteriaGroup, CriteriaItem, CriteriaSet, FramePart, RatingScheme
from assessments.permissions import organizations_visible_to
from assessments.rules.criteria import ISSUER_KINDS


class CriteriaSetForm(TextNormalizeFormMixin, forms.ModelForm):
    class Meta:
        model = CriteriaSet
        fields = ["code", "name", "issuer", "subject_group", "first_year", "last_year"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        issuers = organizations_visible_to(user).filter(kind__in=ISSUER_KINDS).order_by("path")
        self.fields["issuer"].queryset = issuers
        if self.instance.pk is not None:
            # A set keeps its code and issuer: imports and scores name it by its code.
            self.fields["code"].disabled = True
            self.fields["issuer"].disabled = True
        elif not self.is_bound and user.organization_id:
            self.initial.setdefault("issuer", user.organization_id)


class CriteriaGroupForm(TextNormalizeFormMixin, forms.ModelForm):
    class Meta:
        model = CriteriaGroup
        fields = ["code", "name", "max_points", "part", "order"]
        localized_fields = ["max_points"]  # 12,5 in Vietnamese

    def __init__(self, *args, criteria_set: CriteriaSet, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.criteria_set = criteria_set
        scheme = RatingScheme.for_year(criteria_set.first_year)
        self.fields["part"].queryset = FramePart.objects.filter(scheme=scheme)


class CriteriaItemForm(TextNormalizeFormMixin, forms.ModelForm):
    class Meta:
        model = CriteriaItem
        fields = ["group", "code", "name", "description", "measured_by", "max_points", "order"]
        localized_fields = ["max_points"]  # 12,5 in Vietnamese
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "measured_by": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, criteria_set: CriteriaSet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = criteria_set.groups.all()
