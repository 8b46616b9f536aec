"""Schemathesis against /api/schema/: generated requests to every operation, in-process, give no server error."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from assessments.models import MemberAssessment, NotRatedReason, Summary, UnitAssessment
from assessments.summaries import recompute as summaries
from tests.factories import MemberAssessmentFactory, MemberFactory, UnitAssessmentFactory, level

pytestmark = pytest.mark.django_db

# Bounded so that the whole run stays within seconds: a few examples per operation and mode.
EXAMPLES = 10


@pytest.fixture
def wsgi_app():
    """The real WSGI app, with connections left open as Django's test client leaves them: closing the test's
    connection at the end of a request would end its transaction (and lose the data) on PostgreSQL."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def data(tree):
    for code, unit_level in (("BS-DONG-Y", "clean_strong"), ("BS-NHAT-TIEN", "completed"), ("BS-DONG-Y-01", "good")):
        UnitAssessmentFactory(organization=tree[code], year=2017, level=level("hd27-2014", "unit", unit_level))
    for code in ("BS-DONG-Y-01", "BS-NHAT-TIEN-02"):
        MemberAssessmentFactory(
            member=MemberFactory(organization=tree[code]), year=2017, level=level("hd27-2014", "member", "good")
        )
        MemberAssessmentFactory(
            member=MemberFactory(organization=tree[code]),
            year=2017,
            level=None,
            not_rated_reason=NotRatedReason.EXEMPT,
        )
    summaries.summaries_recompute_year(year=2017)
    return tree


def _fuzz(operation, mode, session: dict, statuses: dict, path_parameters: dict | None = None) -> None:
    """Send generated requests to one operation; fail on a 5xx, or on a 200 whose body breaks the schema."""

    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, cookies=session, path_parameters=path_parameters))
    def run(case):
        response = case.call()
        statuses.setdefault(operation.label, set()).add(response.status_code)
        checks = [not_a_server_error]
        if response.status_code == 200:
            checks.append(response_schema_conformance)
        case.validate_response(response, checks=checks)

    try:
        run()
    except Unsatisfiable:
        # Negative mode needs something to make invalid; an operation without parameters has nothing.
        if mode != GenerationMode.NEGATIVE:
            raise


def test_generated_requests_never_cause_a_server_error(client, officer, data, wsgi_app):
    client.force_login(officer)
    session = {"sessionid": client.cookies["sessionid"].value}
    app = wsgi_app
    # The schema is loaded with a token (werkzeug's client keeps its own cookie jar); cases carry the session.
    _token, key = AuthToken.objects.create(user=officer)
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app, headers={"Authorization": f"Token {key}"})
    operations = [result.ok() for result in schema.get_all_operations()]
    # Every read endpoint is exercised (the token endpoint's POST/DELETE are refused without a CSRF token).
    assert {op.path for op in operations} >= {
        "/api/v1/organizations/",
        "/api/v1/organizations/{code}/summary/{year}/",
        "/api/v1/unit-assessments/",
        "/api/v1/member-assessments/",
        "/api/v1/summaries/",
        "/api/v1/schemes/{code}/",
    }
    # Rows that exist, so that detail endpoints answer 200 too, not only 404 for generated ids.
    known = {
        "/api/v1/organizations/{code}/": {"code": "BS-DONG-Y"},
        "/api/v1/organizations/{code}/summary/{year}/": {"code": "BS", "year": 2017},
        "/api/v1/schemes/{code}/": {"code": "hd27-2014"},
        "/api/v1/unit-assessments/{id}/": {"id": UnitAssessment.objects.first().pk},
        "/api/v1/member-assessments/{id}/": {"id": MemberAssessment.objects.first().pk},
        "/api/v1/summaries/{id}/": {"id": Summary.objects.get(organization__code="BS", year=2017).pk},
    }
    statuses: dict[str, set[int]] = {}
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, session, statuses)
        if operation.path in known:
            _fuzz(operation, GenerationMode.POSITIVE, session, statuses, known[operation.path])
    # The runs reached real answers, not only refusals: each read endpoint answered 200 at least once.
    for label, codes in statuses.items():
        if label.startswith("GET"):
            assert 200 in codes, (label, codes)
