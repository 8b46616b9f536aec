"""Builders for the leadership tests: a commune's collectives with their heads, and ratings of them."""

import datetime

from assessments.models import Collective, CollectiveKind, CollectiveRating, LeaderRating, Membership, Position, Title
from tests.factories import MemberFactory, level

SCHEME = "qd366-2025"


def collective(org, kind=CollectiveKind.STANDING_BOARD, code=None, **fields):
    return Collective.objects.create(
        code=code or f"{org.code}-{kind.upper().replace('_', '')[:6]}",
        organization=org,
        kind=kind,
        name=fields.pop("name", f"{CollectiveKind(kind).label} {org.name}"),
        **fields,
    )


def leader(group, title=Title.SECRETARY, heads=True, managed_by=None, **fields):
    """A member of the collective's organization holding a post in it from 2015."""
    member = fields.pop("member", None) or MemberFactory(organization=group.organization)
    Membership.objects.get_or_create(member=member, organization=group.organization, start=datetime.date(2000, 1, 1))
    Position.objects.create(
        member=member,
        collective=group,
        title=title,
        heads=heads,
        start=fields.pop("start", datetime.date(2015, 1, 1)),
        managed_by=managed_by or group.organization.parent,
        **fields,
    )
    return member


def collective_rated(group, year, code, scheme=SCHEME, **fields):
    return CollectiveRating.objects.create(
        collective=group, year=year, level=level(scheme, "unit", code) if code else None, **fields
    )


def leader_rated(member, group, year, code, scheme=SCHEME, **fields):
    return LeaderRating.objects.create(
        member=member, collective=group, year=year, level=level(scheme, "member", code) if code else None, **fields
    )
