"""A writer process for the worker integration test: rates one commune's units and members through the services.

Run as `python -m tests.summaries_writer CODE YEAR SEED [PERIOD]` with DATABASE_URL, CELERY_BROKER_URL and CACHE_URL
set; with PERIOD (Q1–Q4) it writes that quarter's results instead of the year's.
"""

import os
import random
import sys


def main(code: str, year: int, seed: int, period: str = "") -> int:
    """Rate, re-rate in one bulk transaction, rate units, then delete a few ratings; returns the number of writes."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bacson.settings")
    import django

    django.setup()
    from django.db import transaction

    from assessments import services
    from assessments.models import Member, MemberAssessment, NotRatedReason, Organization, RatingLevel, UnitAssessment

    rng = random.Random(seed)
    commune = Organization.objects.get(code=code)
    scheme = "hd27-2014" if year <= 2017 else "qd132-2018"
    member_levels = list(RatingLevel.objects.filter(scheme__code=scheme, subject="member"))
    unit_levels = list(RatingLevel.objects.filter(scheme__code=scheme, subject="unit"))
    members = list(Member.objects.filter(organization__path__startswith=commune.path).order_by("pk"))
    writes = 0

    def rate(member):
        assessment = MemberAssessment.objects.filter(
            member=member, year=year, period=period
        ).first() or MemberAssessment(member=member, year=year, period=period, organization=member.organization)
        if rng.random() < 0.1:
            assessment.level, assessment.not_rated_reason = None, NotRatedReason.EXEMPT
        else:
            assessment.level, assessment.not_rated_reason = rng.choice(member_levels), ""
        services.member_assessment_save(assessment=assessment, actor=None)

    for member in members:  # one transaction per rating, as a secretary typing them in
        rate(member)
        writes += 1
    with transaction.atomic():  # a bulk import re-rating a third of them
        for member in members[::3]:
            rate(member)
            writes += 1
    for unit in [commune, *Organization.objects.filter(parent=commune)]:
        assessment = UnitAssessment.objects.filter(
            organization=unit, year=year, period=period
        ).first() or UnitAssessment(organization=unit, year=year, period=period)
        assessment.level = rng.choice(unit_levels)
        assessment.exemplary = not period and assessment.level.is_top and rng.random() < 0.5
        services.unit_assessment_save(assessment=assessment, actor=None)
        writes += 1
    for assessment in MemberAssessment.objects.filter(member__in=members[:2], year=year, period=period):
        assessment.delete()  # the admin's delete path: no service, a post_delete signal
        writes += 1
    return writes


if __name__ == "__main__":
    print(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), *sys.argv[4:5]))
