"""The form a committee's officer uses to switch one rule of a period on or off for the units under it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.common.text import TextNormalizeFormMixin

CHOICE_ON, CHOICE_OFF, CHOICE_INHERIT = "on", "off", "inherit"
SWITCHES = {CHOICE_ON: True, CHOICE_OFF: False, CHOICE_INHERIT: None}


class RuleSettingForm(TextNormalizeFormMixin, forms.Form):
    rule = forms.CharField(widget=forms.HiddenInput)
    choice = forms.ChoiceField(
        label=_("Áp dụng tại đơn vị"),
        choices=[
            (CHOICE_ON, _("Áp dụng")),
            (CHOICE_OFF, _("Không áp dụng")),
            (CHOICE_INHERIT, _("Theo cấp trên và giai đoạn")),
        ],
    )
    reason = forms.CharField(label=_("Lý do"), max_length=1000)

    @property
    def enabled(self) -> bool | None:
        return SWITCHES[self.cleaned_data["choice"]]
