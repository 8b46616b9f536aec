"""Import of item scores: one row per subject (card_number or organization_code, exactly one), year, period, set
and item, with the self score and the score; checked by assessments.rules.criteria (range, subject, years, a
complete set) and the cycle's locks, written set-based. Once the file is read, each scored subject's rating of that
period, if it exists, takes the sums of its item scores as its self score and score, through the rating rules;
nothing else is created."""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from assessments.common.text import fold
from assessments.importing.columns import ITEM_SCORES, WIDE_MARK
from assessments.importing.forms import PointsField
from assessments.importing.handlers import Handler, Row, subject_key, updated_at_stamp, values_apply
from assessments.models import CriteriaItem, CriteriaSet, ItemScore, MemberAssessment, UnitAssessment
from assessments.rules.criteria import criteria_totals_errors, item_score_check, item_totals_planned
from assessments.rules.locks import rating_locks
from assessments.rules.ratings import member_assessment_check, unit_assessment_check

SCORE_FIELDS = ("self_score", "score")
MEMBER, ORGANIZATION = "member_id", "organization_id"


class ItemScoreHandler(Handler):
    data_type = ITEM_SCORES
    field_columns = {"member": "card_number", "organization": "organization_code", "item": "item_code"}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sets: dict[str, CriteriaSet | None] = {}
        self.set_errors: dict[int, list[str]] = {}
        self.items: dict[tuple[int, str], CriteriaItem] = {}
        # (subject field, subject id, year, period) -> {item id: (self score, score)} of the file, and its first row.
        self.planned: dict[tuple, dict[int, tuple]] = defaultdict(dict)
        self.first_rows: dict[tuple, int] = {}

    def process(self, batch: list[Row], writing: bool) -> list[Row]:
        """A scoring sheet's row (one column per item) becomes one row per item given, under the same row number."""
        self.wide = {code for code in self.present if code.startswith(WIDE_MARK)}
        if not self.wide:
            return super().process(batch, writing)
        self.present |= {"item_code", *SCORE_FIELDS}
        rows = []
        for row in batch:
            rows.extend(self.expand(row) if row.data is not None and not row.errors else [row])
        return super().process(rows, writing)

    def expand(self, row: Row) -> list[Row]:
        by_item: dict[str, dict[str, str]] = {}
        for code in sorted(self.wide):
            _mark, field, item_code = code.split(":", 2)
            by_item.setdefault(item_code, {})[field] = code
        field = PointsField(min_value=0, max_value=100, max_digits=5, decimal_places=2, required=False)
        rows = []
        for item_code, columns in by_item.items():
            sub = Row(number=row.number, cells=row.cells, data={**row.data, "item_code": item_code})
            sub.wide = {"item_code": next(iter(columns.values())), **columns}
            given = False
            for name in SCORE_FIELDS:
                raw = row.values.get(columns[name], "") if name in columns else ""
                given = given or raw not in ("", None)
                try:
                    sub.data[name] = field.clean(raw)
                except ValidationError:
                    sub.error(columns[name], _("Điểm phải là một số từ 0 đến 100, ví dụ 12,5."))
            if given:
                rows.append(sub)
        if not rows:
            row.data = None  # a subject left blank on the sheet: nothing to write, nothing wrong
            return [row]
        return rows

    def plan(self, rows: list[Row]) -> tuple[list, list]:
        plan = self.plan_rows(rows)
        for row in rows:
            wide = getattr(row, "wide", None)
            if wide and row.errors:
                row.errors = [(wide.get(column, column), message) for column, message in row.errors]
        return plan

    def sets_load(self, codes: set[str]) -> None:
        codes = codes - set(self.sets)
        if not codes:
            return
        for criteria_set in CriteriaSet.objects.filter(code__in=codes).order_by("version"):
            self.sets[criteria_set.code] = criteria_set  # the newest version wins
        for code in codes:
            self.sets.setdefault(code, None)
        fresh = [s for s in self.sets.values() if s is not None and s.pk not in self.set_errors]
        for criteria_set in fresh:
            self.set_errors[criteria_set.pk] = criteria_totals_errors(criteria_set)
        for item in CriteriaItem.objects.filter(criteria_set__in=fresh).select_related("criteria_set"):
            self.items[(item.criteria_set_id, item.code.lower())] = item  # a sheet's headers are read folded

    def plan_rows(self, rows: list[Row]) -> tuple[list, list]:
        rows = self.rows_keyed(
            rows,
            lambda data: (
                f"{subject_key(data)}/{data['year']}/{data.get('period', '')}/{data['set_code']}/{data['item_code']}"
            ),
        )
        self.sets_load({row.data["set_code"] for row in rows})
        members = self.members_and_units_load(rows)
        existing = self.existing(rows, members)
        creates, updates = [], []
        for row in rows:
            score = self.row_score(row, members, existing)
            if score is None:
                continue
            values = self.present_values(row.data, SCORE_FIELDS)
            is_new = score.pk is None
            changed = values_apply(score, values, is_new=is_new)
            if not self.rule_holds(row, item_score_check, score):
                continue
            row.obj = score
            row.changed = changed
            subject = (MEMBER, score.member_id) if score.member_id else (ORGANIZATION, score.organization_id)
            key = (*subject, score.year, score.period)
            self.planned[key][score.item_id] = (score.self_score, score.score)
            self.first_rows.setdefault(key, row.number)
            self.file(row, score, is_new=is_new, changed=changed, plan=(creates, updates))
        return self.locks_refuse(rows, creates, updates)

    def existing(self, rows: list[Row], members: dict) -> dict:
        item_ids = [item.pk for item in self.items.values()]
        years = {row.data["year"] for row in rows}
        subjects = Q(member__in=[m.pk for m in members.values()]) | Q(
            organization__in=[o.pk for o in self.orgs.by_code.values()]
        )
        found = ItemScore.objects.filter(item__in=item_ids, year__in=years).filter(subjects)
        return {(s.item_id, s.member_id, s.organization_id, s.year, s.period): s for s in found}

    def row_score(self, row: Row, members: dict, existing: dict) -> ItemScore | None:
        """The score a row writes (stored or new), or None with the row's error."""
        data = row.data
        subject = self.member_or_unit_get(row, members)
        if subject is None:
            return None
        member, org = subject
        if not _same_name(data.get("name"), member.full_name if member is not None else org.name):
            if member is not None:
                message = _("Họ tên không khớp với đảng viên số thẻ %(card)s (%(name)s): dòng bị lệch?") % {
                    "card": member.card_number,
                    "name": member.full_name,
                }
            else:
                message = _("Tên không khớp với tổ chức mã %(code)s (%(name)s): dòng bị lệch?") % {
                    "code": org.code,
                    "name": org.name,
                }
            row.error("name", message)
            return None
        criteria_set = self.sets.get(data["set_code"])
        if criteria_set is None:
            row.error("set_code", _("Không có bộ tiêu chí mã %(code)s.") % {"code": data["set_code"]})
            return None
        if self.set_errors[criteria_set.pk]:
            message = _("Bộ tiêu chí %(code)s chưa hoàn chỉnh, chưa chấm điểm được: %(errors)s") % {
                "code": criteria_set.code,
                "errors": " ".join(self.set_errors[criteria_set.pk]),
            }
            row.error("set_code", message)
            return None
        item = self.items.get((criteria_set.pk, data["item_code"].lower()))
        if item is None:
            row.error(
                "item_code",
                _("Bộ tiêu chí %(set)s không có tiêu chí mã %(code)s.")
                % {"set": criteria_set.code, "code": data["item_code"]},
            )
            return None
        period = data.get("period", "")
        key = (item.pk, member.pk if member else None, org.pk if org else None, data["year"], period)
        score = existing.get(key) or ItemScore(
            item=item, member=member, organization=org, year=data["year"], period=period
        )
        score.item = item
        return score

    def locks_refuse(self, rows: list[Row], creates: list, updates: list) -> tuple[list, list]:
        """Scores of a unit (or of a member of a unit) whose results are locked by the cycle are errors."""
        changing = [row for row in rows if row.action in ("created", "updated") and not row.errors]
        by_year: dict[int, dict] = {}
        for row in changing:
            org = self.subject_org(row.obj)
            by_year.setdefault(row.obj.year, {})[org.pk] = org
        locked = {}
        for year, orgs in by_year.items():
            for org_id, message in rating_locks(organizations=orgs.values(), year=year, actor=self.scope_user).items():
                locked[(org_id, year)] = message
        refused = set()
        for row in changing:
            message = locked.get((self.subject_org(row.obj).pk, row.obj.year))
            if message:
                row.error("card_number" if row.obj.member_id else "organization_code", str(message))
                row.action = ""
                refused.add(id(row.obj))
        return [s for s in creates if id(s) not in refused], [s for s in updates if id(s) not in refused]

    def subject_org(self, score: ItemScore):
        return score.member.organization if score.member_id else score.organization

    def write(self, plan) -> None:
        self.write_with_history(ItemScore, plan, list(SCORE_FIELDS))

    def finish(self, writing: bool) -> list[Row]:
        """Roll each scored subject's item scores up into its rating of that period (if it has one)."""
        if not self.planned:
            return []
        totals = self.totals()
        ratings = self.ratings()
        errors, unit_updates, member_updates = [], [], []
        with item_totals_planned(totals):
            for key, rating in ratings.items():
                self_total, total = totals[key]
                if rating.self_score == self_total and rating.score == total:
                    continue
                rating.self_score, rating.score = self_total, total
                check = member_assessment_check if key[0] == MEMBER else unit_assessment_check
                try:
                    check(rating)
                except ValidationError as error:
                    row = Row(number=self.first_rows[key], cells=[])
                    for messages in error.message_dict.values():
                        for message in messages:
                            row.error(
                                "card_number" if key[0] == MEMBER else "organization_code",
                                _("Xếp loại %(rating)s: %(message)s") % {"rating": rating, "message": message},
                            )
                    errors.append(row)
                    continue
                (member_updates if key[0] == MEMBER else unit_updates).append(rating)
                self.changed_add(rating.organization_id, rating.year, rating.period)
        if writing and not errors:
            updated_at_stamp([*unit_updates, *member_updates])
            for model, updates in ((UnitAssessment, unit_updates), (MemberAssessment, member_updates)):
                self.update_with_history(model, updates, ["self_score", "score", "updated_at"])
        return errors

    def totals(self) -> dict[tuple, tuple]:
        """Each scored subject's sums over its stored item scores, overlaid with the file's (one query per kind)."""
        scores: dict[tuple, dict[int, tuple]] = defaultdict(dict)
        for field in (MEMBER, ORGANIZATION):
            keys = [key for key in self.planned if key[0] == field]
            if not keys:
                continue
            stored = ItemScore.objects.filter(
                **{f"{field}__in": {key[1] for key in keys}, "year__in": {key[2] for key in keys}}
            ).values_list(field, "year", "period", "item_id", "self_score", "score")
            for subject_id, year, period, item_id, self_score, score in stored:
                scores[(field, subject_id, year, period)][item_id] = (self_score, score)
        for key, items in self.planned.items():
            scores[key].update(items)
        return {
            key: (_sum(v[0] for v in items.values()), _sum(v[1] for v in items.values()))
            for key, items in scores.items()
        }

    def ratings(self) -> dict[tuple, UnitAssessment | MemberAssessment]:
        """The existing ratings of the scored subjects and periods."""
        found = {}
        for field, model in ((MEMBER, MemberAssessment), (ORGANIZATION, UnitAssessment)):
            keys = {key for key in self.planned if key[0] == field}
            if not keys:
                continue
            subject = "member" if field == MEMBER else "organization"
            candidates = model.objects.filter(
                **{f"{subject}__in": {key[1] for key in keys}, "year__in": {key[2] for key in keys}}
            ).select_related("organization", "level", "member" if field == MEMBER else "self_level")
            for rating in candidates:
                key = (field, getattr(rating, field), rating.year, rating.period)
                if key in keys:
                    found[key] = rating
        return found

    def signal(self) -> None:
        if self.org_ids:
            self.ratings_signal(UnitAssessment)


def _same_name(given: str | None, name: str) -> bool:
    """A name given to check a row against (blank checks nothing), ignoring case, diacritics and spacing."""
    return not given or fold(given).replace(" ", "") == fold(name).replace(" ", "")


def _sum(values) -> Decimal | None:
    """The sum of the scores given; None when none is."""
    given = [Decimal(value) for value in values if value is not None]
    return sum(given, Decimal(0)) if given else None
