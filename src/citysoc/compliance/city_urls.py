"""Pages of the city's compliance view."""

urlpatterns: list = []
