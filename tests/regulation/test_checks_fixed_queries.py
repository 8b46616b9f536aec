"""The year's checks over a subtree (the officers' page /checks/CODE/YEAR/ and check_ratings) cost a fixed number of
queries whatever the number of units: the subtree's facts are loaded once, then every unit is judged in Python."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from assessments.models import CollectiveKind, Kind, PeriodRule, RuleSetting, Sector
from assessments.regulation import run
from tests.factories import MemberFactory, OrganizationFactory
from tests.leadership.helpers import collective, leader
from tests.regulation.helpers import disciplined, member_rated, unit_rated

pytestmark = pytest.mark.django_db

# The page: session and user, the unit, the period, the names of the checked units' parents; the checks: the rules
# with their settings, the scheme's levels, the units, their ratings, their members' levels, the discipline records,
# the party leadership collectives with their members and those members' records, the member cap, the members'
# rules, the collectives' and leaders' ratings, the overrides, the unread notices; the same for one commune and for six.
PAGE_QUERIES = 22
RUN_QUERIES = 15


def _commune(district, n, year, scheme, officer):
    """A commune of two cells with every kind of fact a rule reads, rated so that most rules have something to say."""
    commune = OrganizationFactory(code=f"BS-XA{n}", name=f"Đảng bộ xã {n}", kind=Kind.GRASSROOTS_COMMITTEE,
                                  sector=Sector.COMMUNE, parent=district)  # fmt: skip
    for i in (1, 2):
        cell = OrganizationFactory(code=f"BS-XA{n}-0{i}", name=f"Chi bộ thôn {i}", kind=Kind.CELL,
                                   sector=Sector.COMMUNE, parent=commune)  # fmt: skip
        for code in ("excellent", "excellent", "good", "completed"):
            member_rated(cell, year, scheme, code)
        late = member_rated(cell, year, scheme, "good", sick_leave_months=4, admitted_on=datetime.date(year, 9, 1))
        disciplined(late.member, "warning", datetime.date(year, 5, 1))
        unit_rated(cell, year, scheme, "excellent")
    disciplined(cell, "reprimand", datetime.date(year, 3, 1))
    unit_rated(commune, year, scheme, "excellent", mass_organizations_good=True)
    deputy = MemberFactory(organization=commune)
    leader(collective(commune, CollectiveKind.PARTY_COMMITTEE), member=deputy, heads=False)
    disciplined(deputy, "warning", datetime.date(year, 7, 1))
    RuleSetting.objects.create(organization=commune, period_rule=PeriodRule.objects.get(
        period__code="hd21-2019" if year < 2023 else "hd25-2023", rule="unit_cap_20"), enabled=n % 2 == 0,
        reason="Thí điểm", set_by=officer)  # fmt: skip
    return commune


@pytest.mark.parametrize(("year", "scheme"), [(2019, "qd132-2018"), (2023, "qd124-2023")])
def test_the_subtree_checks_cost_the_same_queries_for_one_commune_and_for_six(
    tree, officer, django_assert_max_num_queries, year, scheme
):
    _commune(tree["BS"], 1, year, scheme, officer)
    with django_assert_max_num_queries(RUN_QUERIES):
        small = run.reported(run.subtree_checks(organization=tree["BS"], year=year))
    for n in range(2, 7):
        _commune(tree["BS"], n, year, scheme, officer)
    with django_assert_max_num_queries(RUN_QUERIES):
        large = run.reported(run.subtree_checks(organization=tree["BS"], year=year))
    assert len(large) > len(small) > 0
    # Every commune's cells are judged: the same failures in the first and the last of those set alike.
    per_commune = {code: sum(1 for r in large if r.organization.code.startswith(f"BS-XA{code}")) for code in "15"}
    assert per_commune["1"] == per_commune["5"] > 0


def test_the_officers_page_costs_the_same_queries_for_one_commune_and_for_six(
    client, tree, officer, django_assert_max_num_queries
):
    _commune(tree["BS"], 1, 2019, "qd132-2018", officer)
    client.force_login(officer)
    client.get("/checks/BS/2019/")  # the session, once
    with django_assert_max_num_queries(PAGE_QUERIES):
        small = client.get("/checks/BS/2019/").content.decode()
    for n in range(2, 7):
        _commune(tree["BS"], n, 2019, "qd132-2018", officer)
    with django_assert_max_num_queries(PAGE_QUERIES):
        large = client.get("/checks/BS/2019/").content.decode()
    assert large.count("data-rule=") > small.count("data-rule=") > 0
    assert 'href="/units/BS-XA6-01/"' in large and 'data-rule="collective_disciplined"' in large


def test_check_ratings_lists_the_same_as_the_page(tree, officer):
    for n in (1, 2):
        _commune(tree["BS"], n, 2019, "qd132-2018", officer)
    out = StringIO()
    with pytest.raises(SystemExit) as stop:
        call_command("check_ratings", "BS", "2019", stdout=out)
    assert stop.value.code == 1
    lines = out.getvalue().splitlines()
    assert len(lines) == len(run.reported(run.subtree_checks(organization=tree["BS"], year=2019)))
    assert any(line.startswith("BS-XA2-01 2019 collective_disciplined: ") for line in lines)
    # The cap of communes is switched on at BS-XA2 only (an even number): its cells' group is checked there.
    assert any(line.startswith("BS-XA2 2019 unit_cap_20: ") for line in lines)
    assert not any(line.startswith("BS-XA1 2019 unit_cap_20: ") for line in lines)
