"""One Django form per file type: the shape of a row (types, lengths, codes, text normalized as in every form).
The rules come afterwards."""

import datetime
import decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.common.text import TextNormalizeFormMixin, fold
from assessments.importing.columns import (
    COLLECTIVE_RATINGS,
    COLLECTIVES,
    CRITERIA,
    DISCIPLINES,
    ITEM_SCORES,
    LEADER_RATINGS,
    MEMBER_RATINGS,
    MEMBERS,
    ORGANIZATIONS,
    POSITIONS,
    UNIT_RATINGS,
)
from assessments.models import (
    CODE_VALIDATOR,
    ITEM_CODE_VALIDATOR,
    MAX_YEAR,
    MIN_YEAR,
    CivilServantLevel,
    CollectiveKind,
    DisciplineForm,
    Gender,
    Kind,
    MemberStatus,
    NotRatedReason,
    Period,
    Sector,
    SubjectGroup,
    Title,
)

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class CodeChoiceField(forms.CharField):
    """A code of DOMAIN.md; the Vietnamese label is accepted too, ignoring case and diacritics."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.codes = {code for code, _label in choices}
        self.choices = list(choices)
        self.by_label = {fold(str(label)): code for code, label in choices}
        self.by_label.update({fold(code): code for code in self.codes})

    @property
    def labels(self) -> list[str]:
        """The Vietnamese labels, as the drop-down lists of the templates offer them."""
        return [str(label) for _code, label in self.choices]

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return ""
        code = self.by_label.get(fold(value))
        if code is None:
            raise ValidationError(
                _("“%(value)s” không phải giá trị hợp lệ; ghi một trong: %(labels)s.")
                % {"value": value, "labels": "; ".join(self.labels)}
            )
        return code


class FlexibleDateField(forms.DateField):
    """YYYY-MM-DD, DD/MM/YYYY, or a date cell of an XLSX file."""

    def __init__(self, **kwargs):
        super().__init__(input_formats=DATE_FORMATS, **kwargs)
        self.error_messages["invalid"] = gettext_lazy("Ngày không hợp lệ: ghi theo dạng YYYY-MM-DD hoặc DD/MM/YYYY.")

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        return super().to_python(value)


TRUE_WORDS = {"true", "1", "co", "x", "yes"}
FALSE_WORDS = {"false", "0", "khong", "no", ""}


class YesNoField(forms.Field):
    """true/false/1/0/có/không; blank is false."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        word = fold(str(value or ""))
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValidationError(_("“%(value)s” không hợp lệ: ghi true/false, 1/0 hoặc có/không.") % {"value": value})


def _year():
    return forms.IntegerField(
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={"invalid": gettext_lazy("Năm phải là một số, ví dụ 2017.")},
    )


def _period():
    # A blank cell is the year itself (Period.YEAR); Q1–Q4, or their labels, one of its quarters.
    return CodeChoiceField(Period.choices, required=False)


def _level():
    # A level's code or its label as the pages display it ("Hoàn thành xuất sắc nhiệm vụ"); which one depends on
    # the row's year, so handlers.Levels resolves it against that year's scheme.
    return forms.CharField(max_length=200, required=False)


def _multiline_text():
    # A Textarea keeps the cell's line breaks: TextNormalizeFormMixin normalizes it as multi-line text.
    return forms.CharField(required=False, strip=False, widget=forms.Textarea)


class ScoreField(forms.DecimalField):
    """A score of at most two decimals, with a comma or a point ("85,5" as written in Vietnamese, or 85.5)."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=5, decimal_places=2, min_value=0, required=False, **kwargs)
        self.error_messages["invalid"] = gettext_lazy("Điểm phải là một số, ví dụ 85,5.")

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        elif isinstance(value, float):
            value = repr(value)  # 85.5 from an XLSX number cell, without binary noise
        return super().to_python(value)


def _task_count():
    return forms.IntegerField(
        min_value=0, required=False, error_messages={"invalid": gettext_lazy("Số nhiệm vụ phải là một số nguyên.")}
    )


class ScoreColumnsMixin(forms.Form):
    """The score columns both rating types share (importing.columns.SCORE_COLUMNS)."""

    score = ScoreField()
    self_score = ScoreField()
    tasks_assigned = _task_count()
    tasks_on_time = _task_count()
    tasks_exceeded = _task_count()
    tasks_late = _task_count()
    below_score_reason = _multiline_text()


def _code(required=True):
    return forms.CharField(max_length=40, required=required, validators=[CODE_VALIDATOR])


class OrganizationRowForm(TextNormalizeFormMixin, forms.Form):
    code = _code()
    name = forms.CharField(max_length=200)
    kind = CodeChoiceField(Kind.choices)
    parent_code = _code(required=False)
    sector = CodeChoiceField(Sector.choices, required=False)
    valid_from = FlexibleDateField(required=False)
    valid_to = FlexibleDateField(required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Ngày kết thúc phải sau ngày thành lập."))
        if data.get("code") and data.get("code") == data.get("parent_code"):
            self.add_error("parent_code", _("Một tổ chức không thể trực thuộc chính nó."))
        return data


class MemberRowForm(TextNormalizeFormMixin, forms.Form):
    card_number = forms.CharField(max_length=20)
    full_name = forms.CharField(max_length=120)
    organization_code = _code()
    status = CodeChoiceField(MemberStatus.choices)
    gender = CodeChoiceField(Gender.choices, required=False)
    birth_date = FlexibleDateField(required=False)
    ethnicity = forms.CharField(max_length=40, required=False)
    admitted_on = FlexibleDateField(required=False)
    official_on = FlexibleDateField(required=False)


class UnitRatingRowForm(TextNormalizeFormMixin, ScoreColumnsMixin, forms.Form):
    organization_code = _code()
    year = _year()
    period = _period()
    level = _level()
    self_level = _level()
    exemplary = YesNoField()
    decision_ref = forms.CharField(max_length=60, required=False)
    decided_on = FlexibleDateField(required=False)
    note = _multiline_text()


class MemberRatingRowForm(TextNormalizeFormMixin, ScoreColumnsMixin, forms.Form):
    card_number = forms.CharField(max_length=20)
    year = _year()
    period = _period()
    organization_code = _code()
    level = _level()
    not_rated_reason = CodeChoiceField(NotRatedReason.choices, required=False)
    full_name = forms.CharField(max_length=120, required=False)
    note = _multiline_text()
    sick_leave_months = forms.IntegerField(
        min_value=0,
        max_value=12,
        required=False,
        error_messages={"invalid": gettext_lazy("Số tháng nghỉ ốm phải là một số từ 0 đến 12.")},
    )
    civil_servant_level = CodeChoiceField(CivilServantLevel.choices, required=False)


def _one_subject_check(form: forms.Form, data: dict, message: str) -> None:
    """A row about a member (card_number) or an organization (organization_code) names exactly one of them; the
    error goes on the card's column, or on the organization's where the file has no card column."""
    if bool(data.get("card_number")) == bool(data.get("organization_code")):
        column = "card_number" if "card_number" in form.fields else "organization_code"
        form.add_error(column, message)


class DisciplineRowForm(TextNormalizeFormMixin, forms.Form):
    card_number = forms.CharField(max_length=20, required=False)
    organization_code = _code(required=False)
    form = CodeChoiceField(DisciplineForm.choices)
    decided_on = FlexibleDateField()
    decision_ref = forms.CharField(max_length=60)
    deciding_body = forms.CharField(max_length=200)
    note = _multiline_text()
    corruption = YesNoField()

    def clean(self):
        data = super().clean()
        _one_subject_check(self, data, _("Ghi số thẻ đảng viên hoặc mã tổ chức đảng bị kỷ luật, chỉ một trong hai."))
        return data


POINTS_MESSAGE = gettext_lazy("Điểm phải là một số từ 0 đến 100, ví dụ 12,5.")


class PointsField(forms.DecimalField):
    """Points as 12.5 or the Vietnamese 12,5."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def _points_field(required=True) -> PointsField:
    return PointsField(
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        required=required,
        error_messages={
            "invalid": POINTS_MESSAGE,
            "min_value": POINTS_MESSAGE,
            "max_value": POINTS_MESSAGE,
            "max_digits": POINTS_MESSAGE,
            "max_decimal_places": gettext_lazy("Điểm ghi tối đa hai chữ số thập phân, ví dụ 12,25."),
            "max_whole_digits": POINTS_MESSAGE,
        },
    )


class CriteriaRowForm(TextNormalizeFormMixin, forms.Form):
    set_code = _code()
    issuer_code = _code()
    subject_group = CodeChoiceField(SubjectGroup.choices)
    first_year = _year()
    group_code = forms.CharField(max_length=20, validators=[ITEM_CODE_VALIDATOR])
    group_name = forms.CharField(max_length=250)
    group_max = _points_field()
    item_code = forms.CharField(max_length=20, validators=[ITEM_CODE_VALIDATOR])
    item_name = forms.CharField(max_length=500)
    item_max = _points_field()
    set_name = forms.CharField(max_length=250, required=False)
    last_year = forms.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR, required=False)
    group_part = forms.CharField(max_length=20, required=False)
    item_description = _multiline_text()
    item_measured_by = _multiline_text()

    def clean(self):
        data = super().clean()
        for name in ("group_max", "item_max"):
            if data.get(name) is not None and data[name] <= 0:
                self.add_error(name, _("Điểm tối đa phải lớn hơn 0."))
        first, last = data.get("first_year"), data.get("last_year")
        if first and last and last < first:
            self.add_error("last_year", _("Năm kết thúc không được trước năm bắt đầu."))
        return data


class ItemScoreRowForm(TextNormalizeFormMixin, forms.Form):
    card_number = forms.CharField(max_length=20, required=False)
    organization_code = _code(required=False)
    year = _year()
    period = _period()
    set_code = _code()
    item_code = forms.CharField(max_length=20, validators=[ITEM_CODE_VALIDATOR])
    self_score = _points_field(required=False)
    score = _points_field(required=False)
    name = forms.CharField(max_length=200, required=False)

    def clean(self):
        data = super().clean()
        _one_subject_check(self, data, _("Ghi số thẻ đảng viên hoặc mã tổ chức được chấm, chỉ một trong hai."))
        return data


class CollectiveRowForm(TextNormalizeFormMixin, forms.Form):
    code = _code()
    organization_code = _code()
    kind = CodeChoiceField(CollectiveKind.choices)
    name = forms.CharField(max_length=200)
    valid_from = FlexibleDateField(required=False)
    valid_to = FlexibleDateField(required=False)


class PositionRowForm(TextNormalizeFormMixin, forms.Form):
    card_number = forms.CharField(max_length=20)
    collective_code = _code()
    title = CodeChoiceField(Title.choices)
    heads = YesNoField()
    start = FlexibleDateField()
    end = FlexibleDateField(required=False)
    managed_by_code = _code()


class LeadershipRatingRowForm(TextNormalizeFormMixin, ScoreColumnsMixin, forms.Form):
    """What the ratings of collectives and of leaders share."""

    collective_code = _code()
    year = _year()
    period = _period()
    level = _level()
    self_level = _level()
    appraisal_level = _level()
    decision_ref = forms.CharField(max_length=60, required=False)
    decided_on = FlexibleDateField(required=False)
    note = _multiline_text()


class LeaderRatingRowForm(LeadershipRatingRowForm):
    card_number = forms.CharField(max_length=20)


ROW_FORMS = {
    ORGANIZATIONS: OrganizationRowForm,
    MEMBERS: MemberRowForm,
    UNIT_RATINGS: UnitRatingRowForm,
    MEMBER_RATINGS: MemberRatingRowForm,
    DISCIPLINES: DisciplineRowForm,
    CRITERIA: CriteriaRowForm,
    ITEM_SCORES: ItemScoreRowForm,
    COLLECTIVES: CollectiveRowForm,
    POSITIONS: PositionRowForm,
    COLLECTIVE_RATINGS: LeadershipRatingRowForm,
    LEADER_RATINGS: LeaderRatingRowForm,
}


def row_form_class(data_type: str, present: set[str]) -> type[forms.Form]:
    """The type's form limited to the columns the file has: an absent optional column leaves data as it is."""
    base = ROW_FORMS[data_type]
    form_class = type(base.__name__, (base,), {})
    form_class.base_fields = {name: field for name, field in base.base_fields.items() if name in present}
    return form_class


# How many raw values each field of a file's form remembers: the years, codes, levels and blank cells that repeat
# on every row fit, and a column of unique values (card numbers, names) keeps memory flat by starting over.
MEMO_LIMIT = 4096
# Cleaned values that rows may share: immutable.
_SHAREABLE = (str, int, float, decimal.Decimal, datetime.date, bool, type(None))


def _memoized(clean):
    """A field's clean() that answers a raw value it has already cleaned from memory: cleaning a cell depends on
    its value only, and a file repeats most of its cells (a third of a commune's upload was cleaning them)."""
    memo: dict = {}

    def cached(value):
        key = (type(value), value)
        try:
            value_cleaned, errors = memo[key]
        except TypeError:  # an unhashable value is cleaned every time
            return clean(value)
        except KeyError:
            if len(memo) >= MEMO_LIMIT:
                memo.clear()
            try:
                value_cleaned, errors = clean(value), None
            except ValidationError as error:
                value_cleaned, errors = None, error.error_list
            if errors is not None or isinstance(value_cleaned, _SHAREABLE):
                memo[key] = (value_cleaned, errors)
        if errors is not None:
            raise ValidationError(errors)  # a new error each time: a raised one keeps its traceback
        return value_cleaned

    return cached


class RowValidator:
    """Checks each row with the type's Django form. One bound form is re-bound for every row: building a form
    deep-copies all its fields, which was 40% of the time of a large import; its fields remember the values they
    have cleaned (_memoized)."""

    def __init__(self, form_class: type[forms.Form]):
        self.form = form_class(data={})
        for field in self.form.fields.values():  # the form's own copies: the class's fields are left as they are
            field.clean = _memoized(field.clean)

    def validate(self, values: dict) -> tuple[dict | None, dict]:
        form = self.form
        form.data = values
        form._errors = None  # makes .errors run full_clean() again on the new data
        if form.is_valid():
            return dict(form.cleaned_data), {}
        return None, {name: list(messages) for name, messages in form.errors.items()}
