"""URLs of the consolidation app."""

app_name = "consolidation"
urlpatterns: list = []
