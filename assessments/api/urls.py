"""URLs of the REST API, mounted at /api/v1/: add viewsets to the router."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from assessments.api import tokens as api_tokens
from assessments.api import views as api_read

app_name = "api"

router = SimpleRouter()
# api_read.OrganizationReadViewSet extends api.OrganizationViewSet (its summary action) with the list and detail.
router.register("organizations", api_read.OrganizationReadViewSet, basename="organization")
router.register("unit-assessments", api_read.UnitAssessmentViewSet, basename="unit-assessment")
router.register("member-assessments", api_read.MemberAssessmentViewSet, basename="member-assessment")
router.register("summaries", api_read.SummaryViewSet, basename="summary")
router.register("schemes", api_read.RatingSchemeViewSet, basename="scheme")

urlpatterns = [*router.urls, path("token/", api_tokens.TokenView.as_view(), name="token")]
