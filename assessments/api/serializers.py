"""Serializers of the read API (v1): shapes only; scoping and joins are chosen by the viewsets' querysets."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.models import (
    MemberAssessment,
    NotRatedReason,
    Organization,
    RatingLevel,
    RatingScheme,
    Sector,
    Summary,
    UnitAssessment,
)
from assessments.selectors import summary_scores


class OrganizationSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", allow_null=True, read_only=True, default=None)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    sector_label = serializers.CharField(source="get_sector_display", read_only=True)
    # Declared so that the schema allows the blank value ("" = no sector) next to the choices.
    sector = serializers.ChoiceField(choices=Sector.choices, allow_blank=True, read_only=True)
    children_count = serializers.IntegerField(
        read_only=True, help_text="Đơn vị trực thuộc tồn tại vào cuối năm `year` (mặc định: hôm nay)."
    )

    class Meta:
        model = Organization
        fields = [
            "code",
            "name",
            "kind",
            "kind_label",
            "sector",
            "sector_label",
            "parent",
            "depth",
            "valid_from",
            "valid_to",
            "children_count",
        ]
        read_only_fields = fields


# What a unit's and a member's rating rows both give: where it was rated, the level and its scheme, or why not.
# Each subclass lists its fields (and their order) in its own Meta, the run both share as _RATED_AT. A comment, not
# a docstring: drf-spectacular would put a docstring into the schema of both subclasses.
_RATED_AT = ["organization", "organization_name", "year", "period", "scheme", "level", "level_label", "level_rank"]


class _RatingSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.code", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    scheme = serializers.CharField(source="level.scheme.code", read_only=True, allow_null=True, default=None)
    level = serializers.CharField(source="level.code", read_only=True, allow_null=True, default=None)
    level_label = serializers.CharField(source="level.label_vi", read_only=True, allow_null=True, default=None)
    level_rank = serializers.IntegerField(source="level.rank", read_only=True, allow_null=True, default=None)
    not_rated_reason = serializers.ChoiceField(choices=NotRatedReason.choices, allow_blank=True, read_only=True)


class UnitAssessmentSerializer(_RatingSerializer):
    self_level = serializers.CharField(source="self_level.code", read_only=True, allow_null=True, default=None)

    class Meta:
        model = UnitAssessment
        fields = [
            "id",
            *_RATED_AT,
            "self_level",
            "exemplary",
            "not_rated_reason",
            "decision_ref",
            "decided_on",
            "updated_at",
        ]
        read_only_fields = fields


class MemberAssessmentSerializer(_RatingSerializer):
    card_number = serializers.CharField(source="member.card_number", read_only=True)
    full_name = serializers.CharField(source="member.full_name", read_only=True)

    class Meta:
        model = MemberAssessment
        fields = [
            "id",
            "card_number",
            "full_name",
            *_RATED_AT,
            "not_rated_reason",
            "updated_at",
        ]
        read_only_fields = fields


class RatingLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = RatingLevel
        fields = ["subject", "code", "rank", "label_vi", "label_en", "is_top", "is_good_or_better"]
        read_only_fields = fields


class RatingSchemeSerializer(serializers.ModelSerializer):
    levels = RatingLevelSerializer(many=True, read_only=True)

    class Meta:
        model = RatingScheme
        fields = ["code", "name", "first_year", "last_year", "levels"]
        read_only_fields = fields


class _LevelCounts(serializers.Field):
    """[[code, count], ...] stored best first, given as {code: count} (JSON objects keep insertion order)."""

    def to_representation(self, value):
        return dict(value)


_LEVEL_COUNTS_SCHEMA = {"type": "object", "additionalProperties": {"type": "integer"}}
_LevelCounts = extend_schema_field(_LEVEL_COUNTS_SCHEMA)(_LevelCounts)


def _counts_serializer(subjects: str, levels: str) -> type[serializers.Serializer]:
    """The counts every subject of a summary gives first, read from its stored columns (`<subjects>_total`,
    `<subjects>_rated`, `levels`): the subclass adds its own after them."""

    # A comment, not a docstring: drf-spectacular would put a docstring into the schema of every subclass.
    class Counts(serializers.Serializer):
        total = serializers.IntegerField(source=f"{subjects}_total")
        rated = serializers.IntegerField(source=f"{subjects}_rated")
        not_rated = serializers.SerializerMethodField()
        by_level = _LevelCounts(source=levels)

        def get_not_rated(self, row: Summary) -> int:
            return getattr(row, f"{subjects}_total") - getattr(row, f"{subjects}_rated")

    return Counts


class SummaryUnitsSerializer(_counts_serializer("units", "unit_levels")):
    exemplary = serializers.IntegerField(source="units_exemplary")


class SummaryMembersSerializer(_counts_serializer("members", "member_levels")):
    good_or_better = serializers.IntegerField(source="members_good_or_better")
    not_assessed = serializers.IntegerField(source="members_not_assessed")
    not_yet_rated = serializers.IntegerField(source="members_not_yet_rated")
    no_result = serializers.IntegerField(source="members_no_result")


class SummaryCollectivesSerializer(_counts_serializer("collectives", "collective_levels")):
    """Issue 16: the leadership collectives of the subtree existing on 31 December, by unit level."""


class SummaryLeadersSerializer(_counts_serializer("leaders", "leader_levels")):
    """Issue 16: the leaders of those collectives (one per member and collective on 31 December), by member level."""


class ScoreStatsSerializer(serializers.Serializer):
    """Issue 15: the scores of the rated rows with a score (mean to two decimals; null when there are none)."""

    count = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    min = serializers.FloatField(allow_null=True)
    max = serializers.FloatField(allow_null=True)


class SummaryScoresSerializer(serializers.Serializer):
    units = ScoreStatsSerializer()
    members = ScoreStatsSerializer()


@extend_schema_field(SummaryScoresSerializer)
class _Scores(serializers.Field):
    """The `scores` of a stored row; not read-only, so that the schema leaves it optional (absent before 2025)."""

    def to_representation(self, row: Summary):
        return summary_scores(row).get("scores")


class SummarySerializer(serializers.Serializer):
    """The summary JSON contract of selectors.summary_read, for stored Summary rows."""

    organization = serializers.CharField(source="organization.code")
    name = serializers.CharField(source="organization.name")
    year = serializers.IntegerField()
    scheme = serializers.CharField(source="scheme_code")
    units = SummaryUnitsSerializer(source="*")
    members = SummaryMembersSerializer(source="*")
    collectives = SummaryCollectivesSerializer(source="*")
    leaders = SummaryLeadersSerializer(source="*")
    period = serializers.CharField(required=False, help_text="Quý (Q1–Q4); không có ở số liệu cả năm.")
    computed_at = serializers.SerializerMethodField()
    stale = serializers.BooleanField()
    scores = _Scores(
        source="*", required=False, help_text="Chỉ có với quy định xếp loại theo điểm (từ năm 2025, Quy định 366)."
    )

    def to_representation(self, row: Summary) -> dict:
        data = super().to_representation(row)
        if data.get("scores") is None:
            data.pop("scores", None)  # a scheme without scores: the JSON keeps exactly the keys it had
        # As selectors.summary_read: only a quarter's summary has the key, so the year's JSON is what it was.
        if not row.period:
            data.pop("period", None)
        return data

    @extend_schema_field({**{"type": "string", "format": "date-time"}, "nullable": True})
    def get_computed_at(self, row: Summary) -> str | None:
        # Seconds in local time, exactly as summary_read gives them.
        return timezone.localtime(row.computed_at).isoformat(timespec="seconds") if row.computed_at else None


class TokenStatusSerializer(serializers.Serializer):
    exists = serializers.BooleanField()
    created = serializers.DateTimeField(allow_null=True)


class TokenCreatedSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Chỉ hiện một lần; gửi trong tiêu đề `Authorization: Token <key>`.")
    created = serializers.DateTimeField()
