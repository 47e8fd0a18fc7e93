"""Pages of the unit's assessments."""

urlpatterns: list = []
