"""URLs of the REST API, mounted at /api/v1/: add viewsets to the router."""

from rest_framework.routers import SimpleRouter

from . import api

app_name = "api"

router = SimpleRouter()
router.register("organizations", api.OrganizationViewSet, basename="organization")

urlpatterns = router.urls
